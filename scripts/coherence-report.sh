#!/usr/bin/env bash
# Runs the coherence checker's report: three JVMs under a mixed workload (writes, writes through the
# loader, removals, tag invalidations, reads) on a redis-server the program starts itself, first
# without a fault, then with the subscriber connections killed, Redis holding back writes for 1.2 s
# (CLIENT PAUSE WRITE), Redis SIGSTOPped 10 s, and Redis
# killed -9 and restarted after 30 s (strict writers; once more with graceful writers, a documented
# limit). Writes a Markdown report (also printed). About 5 minutes on 2 cores.
# Needs a JDK 17+, Maven and redis-server on the PATH (or $REDIS_SERVER_BIN).
#
# Builds the benchmarks module and the modules it needs from this checkout (it installs nothing),
# then runs io.layercache.benchmarks.coherence.CoherenceFaultReport. MVN_OPTS=-o builds offline.
# Exit status: 0 every expected scenario coherent, 1 one was not, 2 the run could not be made.
#
# Usage: scripts/coherence-report.sh [--quick] [--load-seconds N] [--only load,pubsub,held,pause,kill,graceful]
# Environment:
#   SKIP_BUILD=1   use the existing benchmarks/target/benchmarks.jar
#   OUT=FILE       report file (default benchmarks/results/coherence-report.md)
#
# To check your own configuration and Redis instead, run the checker's main class:
#   java -cp benchmarks/target/benchmarks.jar io.layercache.testsupport.coherence.CoherenceCheck --config FILE
set -euo pipefail
cd "$(dirname "$0")/.."

JAR=benchmarks/target/benchmarks.jar
OUT=${OUT:-benchmarks/results/coherence-report.md}

command -v java >/dev/null 2>&1 || { echo "coherence-report: java is required" >&2; exit 2; }
if [[ -z "${REDIS_SERVER_BIN:-}" ]] && ! command -v redis-server >/dev/null 2>&1; then
  echo "coherence-report: redis-server is required (Debian: apt-get install redis-server) or set REDIS_SERVER_BIN" >&2
  exit 2
fi

if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  echo "== building $JAR (benchmarks and the modules it needs)" >&2
  mvn -B -q ${MVN_OPTS:-} -Dstyle.color=never -pl benchmarks -am package -Dmaven.test.skip=true >&2
fi

echo "== CoherenceFaultReport -> $OUT" >&2
exec java -cp "$JAR" io.layercache.benchmarks.coherence.CoherenceFaultReport --out "$OUT" "$@"
