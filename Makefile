# Tessera: `make run` starts the server with a demo tenant on the embedded
# default (SQLite, no other service); `make test` runs the whole suite.

GO            ?= go
BIN           ?= bin/tessera
STATICCHECK   ?= honnef.co/go/tools/cmd/staticcheck@v0.8.2
# The suite runs on SQLite always, and on PostgreSQL and Redis when they
# answer at these addresses (under CI=1 they must).
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/test?sslmode=disable
TEST_REDIS_URL    ?= redis://127.0.0.1:6379/0
export TEST_DATABASE_URL TEST_REDIS_URL

.PHONY: run build frontend test test-go test-frontend screenshots test-short bench fuzz lint fmt clean

run: build
	./$(BIN) serve --demo

# The web app is built into frontend/dist (embedded by the Go binary) when
# its sources changed; `npm ci` runs when the lock file changed.
FRONTEND_SRC := $(shell find frontend/src frontend/public -type f 2>/dev/null) \
	$(wildcard frontend/index.html frontend/package.json frontend/vite.config.ts frontend/tsconfig*.json)

frontend/node_modules/.package-lock.json: frontend/package-lock.json
	cd frontend && npm ci --no-audit --no-fund

frontend/dist/index.html: frontend/node_modules/.package-lock.json $(FRONTEND_SRC)
	cd frontend && npm run build

frontend: frontend/dist/index.html

build: frontend/dist/index.html
	$(GO) build -o $(BIN) ./cmd/tessera

test: test-go test-frontend

test-go:
	$(GO) vet ./...
	$(GO) test -count=1 -timeout 20m ./...

# Unit tests, the bundle budget, then the browser tests against the real
# server binary (Debian chromium; .ci/run installs it). Screenshots of a
# test run go to a scratch folder; `make screenshots` refreshes docs/.
E2E_SHOTS ?= $(CURDIR)/frontend/e2e/.tmp/screenshots
test-frontend: build
	cd frontend && npm run test:unit
	cd frontend && npm run size
	cd frontend && TESSERA_BIN=$(CURDIR)/$(BIN) SCREENSHOTS_DIR=$(E2E_SHOTS) npm run test:e2e

screenshots: build
	cd frontend && TESSERA_BIN=$(CURDIR)/$(BIN) SCREENSHOTS_DIR=$(CURDIR)/docs/screenshots npm run test:e2e

test-short:
	$(GO) test -count=1 -short ./...

# Benchmarks: see docs/benchmarks.md for what each measures and the results.
bench:
	$(GO) test -run '^$$' -bench . -benchmem -benchtime 2s ./bench/...

fuzz:
	$(GO) test -run '^$$' -fuzz FuzzCompile -fuzztime 60s ./engine/filter
	$(GO) test -run '^$$' -fuzz FuzzCompile -fuzztime 60s ./engine/expression
	$(GO) test -run '^$$' -fuzz FuzzValidateAPIName -fuzztime 30s ./metadata
	$(GO) test -run '^$$' -fuzz FuzzGrant_AgreesWithCasbin -fuzztime 60s ./internal/app
	$(GO) test -run '^$$' -fuzz FuzzSharingRule_Input -fuzztime 60s ./internal/app
	$(GO) test -run '^$$' -fuzz FuzzOpen -fuzztime 30s ./internal/crypto

lint:
	@unformatted="$$(gofmt -l $$(git ls-files '*.go'))"; if [ -n "$$unformatted" ]; then echo "gofmt: $$unformatted"; exit 1; fi
	$(GO) vet ./...
	$(GO) run $(STATICCHECK) ./...

fmt:
	gofmt -w $$(git ls-files '*.go')

clean:
	rm -rf bin data
