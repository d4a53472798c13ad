#!/usr/bin/env bash
# bench/run.sh: the end-to-end load test behind docs/benchmarks.md.
#
# For SQLite and PostgreSQL in turn: a fresh database, the bench tenant
# (sales template), 100k opportunities seeded through the records service,
# then `tessera serve` under 32 clients for create, get and list, then the
# bare baseline server on the same table for get and list. Prints one table
# at the end; raw output and server logs stay in bench/results/<time>/
# (the SQLite database too when BENCH_KEEP_DB is set).
#
# Run by hand from anywhere (it is not part of CI or `make bench`); it needs
# Go, curl, and for PostgreSQL psql reaching BENCH_PG_URL's
# server. About 8 minutes on 2 cores. Knobs (environment):
#   BENCH_DIALECTS       "sqlite postgres"
#   BENCH_PG_URL         postgres://postgres@127.0.0.1:5432/test?sslmode=disable
#   BENCH_OPPORTUNITIES  100000      BENCH_ACCOUNTS 1000
#   BENCH_CLIENTS        32          BENCH_DURATION 10s
#   BENCH_PORT           18080       BENCH_BASELINE_PORT 18090
set -euo pipefail

cd "$(dirname "$0")/.."
root=$PWD
dialects=${BENCH_DIALECTS:-sqlite postgres}
pg_url=${BENCH_PG_URL:-postgres://postgres@127.0.0.1:5432/test?sslmode=disable}
opportunities=${BENCH_OPPORTUNITIES:-100000}
accounts=${BENCH_ACCOUNTS:-1000}
clients=${BENCH_CLIENTS:-32}
duration=${BENCH_DURATION:-10s}
port=${BENCH_PORT:-18080}
baseline_port=${BENCH_BASELINE_PORT:-18090}
out=$root/bench/results/$(date +%Y%m%d-%H%M%S)
mkdir -p "$out"
results=$out/results.tsv
: >"$results"

# Everything this script starts or creates, cleaned up however it exits.
pids=()
pg_dbs=()
cleanup() {
	for pid in "${pids[@]}"; do
		kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
	done
	for db in "${pg_dbs[@]}"; do
		psql "$pg_url" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true
	done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log() { printf '\n== %s\n' "$*" >&2; }

# pg_db_url replaces the database name in pg_url.
pg_db_url() {
	local base=${pg_url%%\?*} query=""
	[[ $pg_url == *\?* ]] && query="?${pg_url#*\?}"
	printf '%s/%s%s' "${base%/*}" "$1" "$query"
}

stop() { # stop PID: end a server this script started
	kill "$1" 2>/dev/null || true
	wait "$1" 2>/dev/null || true
	local keep=()
	for p in "${pids[@]}"; do [[ $p == "$1" ]] || keep+=("$p"); done
	pids=("${keep[@]}")
}

wait_http() { # wait_http URL: until it answers, at most 30 s
	for _ in $(seq 1 150); do
		curl -fsS -o /dev/null "$1" 2>/dev/null && return 0
		sleep 0.2
	done
	echo "no answer from $1" >&2
	return 1
}

load() { # load LABEL SCENARIO ARGS...: one bounded load run, RESULT kept
	local label=$1 scenario=$2
	shift 2
	sleep 2 # let the previous run's connections and writes settle
	local report
	report=$("$root/bin/bench-load" -label "$label" -scenario "$scenario" -c "$clients" -d "$duration" "$@")
	printf '%s\n' "$report" >>"$out/load.txt"
	printf '%s\n' "$report" | grep -v '^RESULT' >&2
	printf '%s\n' "$report" | awk -F'\t' '$1 == "RESULT"' >>"$results"
}

{
	echo "date: $(date -u +%FT%TZ)"
	echo "commit: $(git rev-parse --short HEAD 2>/dev/null)$(git diff --quiet 2>/dev/null || echo ' (with local changes)')"
	echo "cpus: $(nproc)"
	go version
} >"$out/env.txt"

log "build"
go build -o bin/tessera ./cmd/tessera
go build -o bin/bench-seed ./bench/cmd/seed
go build -o bin/bench-load ./bench/cmd/load
go build -o bin/bench-baseline ./bench/cmd/baseline

run_dialect() {
	local dialect=$1 db_url
	if [[ $dialect == postgres ]]; then
		local name
		name=tessera_bench_$(date +%s)_$$
		psql "$pg_url" -qc "CREATE DATABASE $name"
		pg_dbs+=("$name")
		db_url=$(pg_db_url "$name")
	else
		db_url=$out/sqlite/tessera.db
		mkdir -p "$out/sqlite"
	fi
	export DATABASE_URL=$db_url

	log "$dialect: tenant and seed ($opportunities opportunities)"
	"$root/bin/tessera" tenant create --key bench --name Bench --locale en \
		--admin-email admin@bench.local --admin-password 'bench-pass-123' 2>>"$out/tessera-$dialect.log"
	"$root/bin/bench-seed" -accounts "$accounts" -opportunities "$opportunities" 2>&1 |
		tee -a "$out/seed.txt"
	if [[ $dialect == postgres ]]; then
		psql "$db_url" -qc "VACUUM ANALYZE"
	fi

	log "$dialect: tessera serve"
	ADDR=127.0.0.1:$port "$root/bin/tessera" serve 2>>"$out/tessera-$dialect.log" &
	local server=$!
	pids+=("$server")
	wait_http "http://127.0.0.1:$port/readyz"
	local token
	token=$(curl -fsS -X POST "http://127.0.0.1:$port/api/v1/auth/login" -H 'Content-Type: application/json' \
		-d '{"tenant":"bench","email":"admin@bench.local","password":"bench-pass-123"}' |
		sed -n 's/.*"token":"\([^"]*\)".*/\1/p')
	[[ -n $token ]] || { echo "login failed" >&2; return 1; }

	local api=(-url "http://127.0.0.1:$port" -token "$token")
	load "$dialect api" create "${api[@]}"
	load "$dialect api" get "${api[@]}" -ids-file "$out/ids-$dialect.txt"
	load "$dialect api" list "${api[@]}"
	stop "$server"

	log "$dialect: baseline"
	"$root/bin/bench-baseline" -database-url "$db_url" -addr "127.0.0.1:$baseline_port" 2>>"$out/baseline-$dialect.log" &
	local baseline=$!
	pids+=("$baseline")
	wait_http "http://127.0.0.1:$baseline_port/api/v1/records/opportunity"
	local base=(-url "http://127.0.0.1:$baseline_port")
	load "$dialect baseline" get "${base[@]}" -ids-file "$out/ids-$dialect.txt"
	load "$dialect baseline" list "${base[@]}"
	stop "$baseline"
	head -1 "$out/baseline-$dialect.log" >>"$out/env.txt"
	gzip -f "$out/tessera-$dialect.log"
	if [[ $dialect == sqlite && -z ${BENCH_KEEP_DB:-} ]]; then
		rm -rf "$out/sqlite"
	fi
}

for d in $dialects; do
	run_dialect "$d"
done

log "results ($clients clients, $duration per run, $opportunities seeded opportunities; raw output in $out)"
cat "$out/env.txt"
{
	printf 'target\tscenario\treq/s\tp50 ms\tp90 ms\tp99 ms\tmax ms\tresponses\terrors\tnon-2xx\n'
	awk -F'\t' '{ printf "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", $2, $3, $8, $9, $10, $11, $12, $5, $6, $7 }' "$results"
} | column -t -s $'\t' | tee "$out/table.txt"

echo
{
	printf 'database\tscenario\tapi req/s\tbaseline req/s\tapi/baseline (target >= 0.6)\n'
	awk -F'\t' '
		{ split($2, w, " "); rps[w[1] SUBSEP w[2] SUBSEP $3] = $8; seen[w[1]] = 1 }
		END {
			for (d in seen) for (i = 1; i <= 2; i++) {
				s = (i == 1) ? "get" : "list"
				a = rps[d SUBSEP "api" SUBSEP s]; b = rps[d SUBSEP "baseline" SUBSEP s]
				if (a != "" && b != "" && b > 0) printf "%s\t%s\t%s\t%s\t%.2f\n", d, s, a, b, a / b
			}
		}' "$results" | sort
} | column -t -s $'\t' | tee -a "$out/table.txt"
