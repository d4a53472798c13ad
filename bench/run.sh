#!/usr/bin/env bash
# bench/run.sh: the end-to-end load test behind docs/benchmarks.md.
#
# For SQLite and PostgreSQL in turn: a fresh database, the bench tenant
# (sales template), 100k opportunities seeded through the records service,
# then `tessera serve` under 32 clients for create, get and list, and the
# bare baseline server on the same table for get and list (get and list
# alternate between the two, three rounds). Prints two tables at the end; raw output and server logs stay in bench/results/<time>/
# (the SQLite database too when BENCH_KEEP_DB is set).
#
# Run by hand from anywhere (it is not part of CI or `make bench`); it needs
# Go, curl, and for PostgreSQL psql reaching BENCH_PG_URL's
# server. About 8 minutes on 2 cores. Knobs (environment):
#   BENCH_DIALECTS       "sqlite postgres"
#   BENCH_PG_URL         postgres://postgres@127.0.0.1:5432/test?sslmode=disable
#   BENCH_OPPORTUNITIES  100000      BENCH_ACCOUNTS 1000
#   BENCH_CLIENTS        32          BENCH_DURATION 10s (per run)
#   BENCH_ROUNDS         3 (get and list alternate API/baseline this often)
#   BENCH_PORT           18080       BENCH_BASELINE_PORT 18090
set -euo pipefail

cd "$(dirname "$0")/.."
root=$PWD
dialects=${BENCH_DIALECTS:-sqlite postgres}
pg_url=${BENCH_PG_URL:-postgres://postgres@127.0.0.1:5432/test?sslmode=disable}
opportunities=${BENCH_OPPORTUNITIES:-100000}
accounts=${BENCH_ACCOUNTS:-1000}
clients=${BENCH_CLIENTS:-32}
rounds=${BENCH_ROUNDS:-3}
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

	log "$dialect: tessera serve and the baseline"
	ADDR=127.0.0.1:$port "$root/bin/tessera" serve 2>>"$out/tessera-$dialect.log" &
	local server=$!
	pids+=("$server")
	"$root/bin/bench-baseline" -database-url "$db_url" -addr "127.0.0.1:$baseline_port" 2>>"$out/baseline-$dialect.log" &
	local baseline=$!
	pids+=("$baseline")
	wait_http "http://127.0.0.1:$port/readyz"
	wait_http "http://127.0.0.1:$baseline_port/api/v1/records/opportunity"
	local token
	token=$(curl -fsS -X POST "http://127.0.0.1:$port/api/v1/auth/login" -H 'Content-Type: application/json' \
		-d '{"tenant":"bench","email":"admin@bench.local","password":"bench-pass-123"}' |
		sed -n 's/.*"token":"\([^"]*\)".*/\1/p')
	[[ -n $token ]] || { echo "login failed" >&2; return 1; }

	local api=(-url "http://127.0.0.1:$port" -token "$token") base=(-url "http://127.0.0.1:$baseline_port")
	local ids=(-ids-file "$out/ids-$dialect.txt")
	load "$dialect api r1" create "${api[@]}"
	# The API and the baseline take turns, so that a change in the machine's
	# background load hits both sides of a ratio alike.
	for r in $(seq 1 "$rounds"); do
		load "$dialect api r$r" get "${api[@]}" "${ids[@]}"
		load "$dialect baseline r$r" get "${base[@]}" "${ids[@]}"
		load "$dialect api r$r" list "${api[@]}"
		load "$dialect baseline r$r" list "${base[@]}"
	done
	stop "$server"
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
	printf 'database\tscenario\tapi req/s (median)\tbaseline req/s (median)\tapi/baseline per round\tmedian (target >= 0.6)\n'
	awk -F'\t' '
		function median(s,   a, n, i, j, t) {
			n = split(s, a, " ")
			for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t }
			return (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
		}
		$3 == "get" || $3 == "list" {
			split($2, w, " "); k = w[1] SUBSEP $3
			rps[k SUBSEP w[2] SUBSEP w[3]] = $8; rounds[k] = rounds[k] " " w[3]; keys[k] = 1
			if (w[2] == "api") api[k] = api[k] " " $8; else base[k] = base[k] " " $8
		}
		END {
			for (k in keys) {
				split(k, kk, SUBSEP); ratios = ""
				n = split(rounds[k], r, " ")
				for (i = 1; i <= n; i++) {
					a = rps[k SUBSEP "api" SUBSEP r[i]]; b = rps[k SUBSEP "baseline" SUBSEP r[i]]
					if (a == "" || b == "" || b == 0 || seen[k, r[i]]++) continue
					ratios = ratios sprintf(" %.2f", a / b)
				}
				printf "%s\t%s\t%.0f\t%.0f\t%s\t%.2f\n", kk[1], kk[2], median(api[k]), median(base[k]), substr(ratios, 2), median(ratios)
			}
		}' "$results" | sort
} | column -t -s $'\t' | tee -a "$out/table.txt"
