#!/usr/bin/env bash
# The HTTP-service benchmark: a small service on the JDK's HttpServer (benchmarks module,
# io.layercache.benchmarks.http.HttpBenchmarkServer) answers keys from a 5 ms origin through
# /layered (LayerCache memory -> Redis), /memory (LayerCache memory only), /nocache (the origin on
# every request, one fetch at a time) and /nocache-pooled (the origin with 40 fetches at once),
# loaded by wrk with 40 connections for 8 s per run. Then the memory-pressure scenario: memory
# capped at 25 entries, 180 keys x 256 KiB written, then revisited for 8 s: with Redis under the
# memory layer (/pressure) the misses are served by Redis, without it (/pressure-memory) they go
# back to the origin. Prints a markdown table (also written to $OUT).
#
# Needs a JDK 17+, Maven, redis-server and wrk on the PATH. wrk is the Debian package `wrk`: when
# it is missing this script installs it with apt-get if run as root, and otherwise says how.
#
# wrk, the service and redis-server share this machine's cores: read the figures as ratios
# between endpoints of one run. Before measuring, the script waits until the 1-minute load
# average is below QUIET_LOAD (default 1.5), for at most QUIET_WAIT seconds (default 1200); past
# that it measures anyway and says so. It prints the load average before and after.
#
# Environment: SKIP_BUILD=1 (use the existing benchmarks/target/benchmarks.jar), MVN_OPTS=-o,
# CONNECTIONS (40), DURATION (8s), WARMUP (3s), ROUNDS (2: /memory and /layered alternate),
# OUT (benchmarks/results/http-benchmark.md; wrk's own output of every measured run goes beside it,
# in the same name with .txt, and the service's log with -service.log).
set -euo pipefail
cd "$(dirname "$0")/.."

JAR=benchmarks/target/benchmarks.jar
CONNECTIONS=${CONNECTIONS:-40}
DURATION=${DURATION:-8s}
WARMUP=${WARMUP:-3s}
ROUNDS=${ROUNDS:-2}
QUIET_LOAD=${QUIET_LOAD:-1.5}
QUIET_WAIT=${QUIET_WAIT:-1200}
OUT=${OUT:-benchmarks/results/http-benchmark.md}
RAW=${OUT%.md}.txt
KEYS=1000
PRESSURE_KEYS=180

say() { echo "== $*" >&2; }
die() { echo "http-benchmark: $*" >&2; exit 2; }

command -v java >/dev/null 2>&1 || die "java (JDK 17+) is required"
command -v curl >/dev/null 2>&1 || die "curl is required (Debian: apt-get install curl)"
command -v redis-server >/dev/null 2>&1 || die "redis-server is required (Debian: apt-get install redis-server)"
if ! command -v wrk >/dev/null 2>&1; then
  if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null 2>&1; then
    say "wrk is missing: installing the Debian package wrk (apt-get install wrk)"
    apt-get update -qq >&2 && apt-get install -y -qq wrk >&2
  else
    die "wrk is required: install the Debian package (sudo apt-get install wrk)"
  fi
fi

if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  say "building $JAR (benchmarks and the modules it needs)"
  mvn -B -q ${MVN_OPTS:-} -Dstyle.color=never -pl benchmarks -am package -Dmaven.test.skip=true >&2
fi

TMP=$(mktemp -d /tmp/http-benchmark.XXXXXX)
REDIS_PID=""
SERVICE_PID=""
cleanup() {
  [[ -f "$TMP/service.log" ]] && cp "$TMP/service.log" "${OUT%.md}-service.log"
  [[ -n "$SERVICE_PID" ]] && kill "$SERVICE_PID" 2>/dev/null || true
  [[ -n "$REDIS_PID" ]] && kill "$REDIS_PID" 2>/dev/null || true
  rm -rf "$TMP"
}
trap cleanup EXIT

free_port() {
  local port
  for port in $(shuf -i 20000-60000 -n 100); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return
    fi
  done
  die "no free port found"
}

# Waits (at most $2 tries, 0.2 s apart) until the command $1 succeeds.
wait_for() {
  local tries=0
  until eval "$1" >/dev/null 2>&1; do
    (( ++tries < $2 )) || return 1
    sleep 0.2
  done
}

REDIS_PORT=$(free_port)
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no >"$TMP/redis.log" 2>&1 &
REDIS_PID=$!
wait_for "exec 3<>/dev/tcp/127.0.0.1/$REDIS_PORT" 100 || die "redis-server did not start (see $TMP/redis.log)"

HTTP_PORT=$(free_port)
java -Xmx1g -Dsun.net.httpserver.nodelay=true -cp "$JAR" io.layercache.benchmarks.http.HttpBenchmarkServer \
  --redis="redis://127.0.0.1:$REDIS_PORT" --port="$HTTP_PORT" --keys="$KEYS" --pressure-keys="$PRESSURE_KEYS" \
  >"$TMP/service.log" 2>&1 &
SERVICE_PID=$!
wait_for "grep -q READY $TMP/service.log" 300 || { cat "$TMP/service.log" >&2; die "the service did not start"; }
URL="http://127.0.0.1:$HTTP_PORT"

load1() { cut -d' ' -f1 /proc/loadavg; }
waited=0
QUIET=yes
until awk -v l="$(load1)" -v q="$QUIET_LOAD" 'BEGIN { exit !(l < q) }'; do
  if (( waited >= QUIET_WAIT )); then
    say "the load average stayed >= $QUIET_LOAD for ${QUIET_WAIT}s: measuring anyway"
    QUIET="no (waited ${QUIET_WAIT}s, measured anyway)"
    break
  fi
  say "waiting for a quiet machine: load average $(load1) (want < $QUIET_LOAD)"
  sleep 30
  waited=$((waited + 30))
done

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
: >"$RAW"
say "$(nproc) cores; load average before: $LOAD_BEFORE"

fetches() { curl -sf "$URL/stats" | awk -v e="$1" '$1 == "fetches" && $2 == e { print $3 }'; }
layer_hits() { curl -sf "$URL/stats" | awk -v c="$1" -v l="$2" '$1 == "hits" && $2 == c && $3 == l { print $4 }'; }

# wrk on /$1 over $2 keys for $3; prints "requests/s p99 errors".
run_wrk() {
  local endpoint=$1 keys=$2 duration=$3 file="$TMP/wrk-$1-$RANDOM.txt"
  printf 'request = function() return wrk.format("GET", "/%s?k=" .. math.random(0, %d)) end\n' \
    "$endpoint" "$((keys - 1))" >"$TMP/$endpoint.lua"
  wrk -t2 -c"$CONNECTIONS" -d"$duration" --latency -s "$TMP/$endpoint.lua" "$URL" >"$file"
  [[ "$duration" == "$DURATION" ]] && { echo "### /$endpoint"; cat "$file"; } >>"$RAW"
  local rps p99 errors
  rps=$(awk '/^Requests\/sec:/ { print $2 }' "$file")
  p99=$(awk '$1 == "99%" { print $2 }' "$file")
  errors=$(awk '/Non-2xx or 3xx responses:/ { n += $NF } /Socket errors:/ { gsub(",", ""); n += $4 + $6 + $8 + $10 } END { print n + 0 }' "$file")
  echo "$rps $p99 $errors"
}

declare -A RPS P99 ERRORS FETCHED FILLED
record() { # endpoint, "rps p99 errors", origin fetches during the run
  read -r rps p99 errors <<<"$2"
  RPS[$1]="${RPS[$1]:-} $rps"
  P99[$1]="${P99[$1]:-} $p99"
  ERRORS[$1]=$(( ${ERRORS[$1]:-0} + errors ))
  FETCHED[$1]=$(( ${FETCHED[$1]:-0} + $3 ))
}
measure() { # endpoint keys
  local before after result
  before=$(fetches "$1")
  result=$(run_wrk "$1" "$2" "$DURATION")
  after=$(fetches "$1")
  record "$1" "$result" $((after - before))
  say "/$1: $result (requests/s, p99, errors); origin fetches during the run: $((after - before))"
}

say "warming up: every key of /memory and /layered loaded once, then wrk for $WARMUP each"
for endpoint in memory layered; do
  curl -sf "$URL/fill?endpoint=$endpoint" >/dev/null
  run_wrk "$endpoint" "$KEYS" "$WARMUP" >/dev/null
done
for ((round = 1; round <= ROUNDS; round++)); do
  measure memory "$KEYS"
  measure layered "$KEYS"
done
measure nocache "$KEYS"
measure nocache-pooled "$KEYS"

say "memory pressure: memory capped at 25 entries, $PRESSURE_KEYS keys x 256 KiB written, then revisited"
for endpoint in pressure pressure-memory; do
  curl -sf "$URL/fill?endpoint=$endpoint" >/dev/null
  FILLED[$endpoint]=$(fetches "$endpoint")
  measure "$endpoint" "$PRESSURE_KEYS"
done
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

mean() { awk '{ s = 0; for (i = 1; i <= NF; i++) s += $i; printf "%.0f", s / NF }' <<<"$1"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }'; }
MEMORY=$(mean "${RPS[memory]}")
LAYERED=$(mean "${RPS[layered]}")
NOCACHE=$(mean "${RPS[nocache]}")
POOLED=$(mean "${RPS[nocache-pooled]}")

{
  echo "HTTP benchmark, $(date -u +%Y-%m-%dT%H:%MZ), git $(git rev-parse --short HEAD 2>/dev/null || echo '?'), $(nproc) cores"
  echo "wrk -t2 -c$CONNECTIONS -d$DURATION (after a warm-up), origin 5 ms; wrk, the service and redis-server on the same cores"
  echo "load average (1, 5, 15 min) before: $LOAD_BEFORE; after: $LOAD_AFTER; quiet machine: $QUIET"
  echo
  echo "| endpoint | requests/s (each run) | mean | p99 latency | errors | origin fetches during the runs | vs /memory | vs /nocache | vs /nocache-pooled |"
  echo "|---|---|---|---|---|---|---|---|---|"
  for endpoint in memory layered nocache nocache-pooled; do
    m=$(mean "${RPS[$endpoint]}")
    echo "| /$endpoint | ${RPS[$endpoint]# } | $m | ${P99[$endpoint]# } | ${ERRORS[$endpoint]} | ${FETCHED[$endpoint]} | $(ratio "$m" "$MEMORY") | $(ratio "$m" "$NOCACHE") | $(ratio "$m" "$POOLED") |"
  done
  echo
  echo "Memory pressure: memory layer capped at 25 entries, $PRESSURE_KEYS keys x 256 KiB written (one origin fetch each), then revisited at random for $DURATION."
  echo
  echo "| endpoint | stack | writes (origin fetches) | origin refetches while revisiting | requests/s | p99 latency | errors | memory hits | redis hits |"
  echo "|---|---|---|---|---|---|---|---|---|"
  echo "| /pressure | memory (25) -> redis | ${FILLED[pressure]} | ${FETCHED[pressure]} | ${RPS[pressure]# } | ${P99[pressure]# } | ${ERRORS[pressure]} | $(layer_hits pressure memory) | $(layer_hits pressure redis) |"
  echo "| /pressure-memory | memory (25) | ${FILLED[pressure-memory]} | ${FETCHED[pressure-memory]} | ${RPS[pressure-memory]# } | ${P99[pressure-memory]# } | ${ERRORS[pressure-memory]} | $(layer_hits pressure-memory memory) | - |"
  echo
  echo "layered / memory = $(ratio "$LAYERED" "$MEMORY") (goal >= 0.98); layered / nocache = $(ratio "$LAYERED" "$NOCACHE") (goal >= 100); layered / nocache-pooled = $(ratio "$LAYERED" "$POOLED")"
} | tee "$OUT"
