#!/usr/bin/env bash
# Measures LayerCache (memory + Redis) under real Redis faults (kill -9, SIGSTOP, DEBUG SLEEP) and a
# failing origin (fail-safe, stale-while-revalidate), against a redis-server the program starts
# itself, and writes a Markdown report (also printed). About 4 minutes on 2 cores.
# Needs a JDK 17+, Maven and redis-server on the PATH (or $REDIS_SERVER_BIN).
#
# Builds the benchmarks module and the modules it needs from this checkout (it installs nothing),
# then runs io.layercache.benchmarks.fault.FaultReport. MVN_OPTS=-o builds offline.
# Exit status: 0 all checks passed, 1 an expectation was violated, 2 a scenario could not run.
#
# Usage: scripts/fault-report.sh [FaultReport options, e.g. --quick, --only 1,3, --faults kill]
# Environment:
#   SKIP_BUILD=1   use the existing benchmarks/target/benchmarks.jar
#   OUT=FILE       report file (default benchmarks/results/fault-report.md)
set -euo pipefail
cd "$(dirname "$0")/.."

JAR=benchmarks/target/benchmarks.jar
OUT=${OUT:-benchmarks/results/fault-report.md}

command -v java >/dev/null 2>&1 || { echo "fault-report: java is required" >&2; exit 2; }
if [[ -z "${REDIS_SERVER_BIN:-}" ]] && ! command -v redis-server >/dev/null 2>&1; then
  echo "fault-report: redis-server is required (Debian: apt-get install redis-server) or set REDIS_SERVER_BIN" >&2
  exit 2
fi

if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  echo "== building $JAR (benchmarks and the modules it needs)" >&2
  mvn -B -q ${MVN_OPTS:-} -Dstyle.color=never -pl benchmarks -am package -Dmaven.test.skip=true >&2
fi

FAULT_REPORT_SCRIPT="scripts/fault-report.sh${*:+ $*}"
FAULT_REPORT_GIT="git $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
if [[ -n "$(git status --porcelain core redis 2>/dev/null || true)" ]]; then
  FAULT_REPORT_GIT="$FAULT_REPORT_GIT + uncommitted changes in core/ or redis/"
fi
if [[ -f "$JAR" ]]; then
  FAULT_REPORT_GIT="$FAULT_REPORT_GIT; benchmarks.jar built $(date -u -r "$JAR" +%FT%TZ)"
fi
export FAULT_REPORT_SCRIPT FAULT_REPORT_GIT

echo "== FaultReport -> $OUT" >&2
exec java -cp "$JAR" io.layercache.benchmarks.fault.FaultReport --out "$OUT" "$@"
