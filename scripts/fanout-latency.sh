#!/usr/bin/env bash
# Measures the invalidation bus's fan-out latency across 3 JVMs on one host: a put or remove on
# instance A, the time until B's and C's memory copies are gone (p50/p99/max), beside Redisson's
# RLocalCachedMap (INVALIDATE) and raw Redisson pub/sub in the same JVMs and the same run, against
# a redis-server the program starts itself. About a minute for 2,000 rounds.
# Needs a JDK 17+, Maven and redis-server on the PATH (or $REDIS_SERVER_BIN).
#
# A latency tail measures the machine as much as the code: the script first waits (up to
# QUIET_WAIT seconds, default 1800) until the 1-minute load average is below QUIET_LOAD (default
# 1.0), and prints the load average before and after the run; compare only quiet runs.
#
# Usage: scripts/fanout-latency.sh [rounds]        (default 2000)
# Environment:
#   BUSES="redis nats-core nats-jetstream rabbitmq rabbitmq-durable"   the buses to measure, one run
#                  each (default: redis); NATS and RabbitMQ need nats-server / rabbitmq-server
#   OBSERVE=poll   time copies gone by polling the memory layer instead of the RemoteInvalidated event
#   SKIP_BUILD=1   use the existing benchmarks/target/benchmarks.jar
#   MVN_OPTS=-o    build offline
set -euo pipefail
cd "$(dirname "$0")/.."

JAR=benchmarks/target/benchmarks.jar
QUIET_LOAD=${QUIET_LOAD:-1.0}
QUIET_WAIT=${QUIET_WAIT:-1800}

command -v java >/dev/null 2>&1 || { echo "fanout-latency: java is required" >&2; exit 2; }
if [[ -z "${REDIS_SERVER_BIN:-}" ]] && ! command -v redis-server >/dev/null 2>&1; then
  echo "fanout-latency: redis-server is required (Debian: apt-get install redis-server) or set REDIS_SERVER_BIN" >&2
  exit 2
fi

if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  echo "== building $JAR (benchmarks and the modules it needs)" >&2
  mvn -B -q ${MVN_OPTS:-} -Dstyle.color=never -pl benchmarks -am package -Dmaven.test.skip=true >&2
fi

load1() { cut -d' ' -f1 /proc/loadavg; }
waited=0
until awk -v l="$(load1)" -v q="$QUIET_LOAD" 'BEGIN { exit !(l < q) }'; do
  if (( waited >= QUIET_WAIT )); then
    echo "fanout-latency: the machine did not become quiet (load $(load1) >= $QUIET_LOAD) within ${QUIET_WAIT}s" >&2
    exit 2
  fi
  echo "== waiting for a quiet machine: load average $(load1) (want < $QUIET_LOAD)" >&2
  sleep 30
  waited=$((waited + 30))
done

echo "== $(nproc) cores; before: $(uptime)"
echo "== git $(git rev-parse --short HEAD 2>/dev/null || echo '?')$( [[ -n "$(git status --porcelain core redis benchmarks 2>/dev/null)" ]] && echo ' + uncommitted changes')"
for bus in ${BUSES:-redis}; do
  echo "== bus $bus, load average $(cut -d' ' -f1-3 /proc/loadavg)"
  java -Dfanout.bus="$bus" -Dfanout.observe="${OBSERVE:-event}" -cp "$JAR" \
    io.layercache.benchmarks.bus.FanOutLatency "${1:-2000}" 2>/dev/null
done
echo "== after: $(uptime)"
