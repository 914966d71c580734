#!/usr/bin/env bash
# Builds benchmarks/target/benchmarks.jar and runs, one after the other (never in parallel: 2 cores):
#   1. GetHitBenchmark through RunHitBenchmark: every impl x storeByValue x valueType, 1 and 2 threads,
#      in ONE JMH run, so the numbers are ratios (~12 minutes with the default settings on 2 cores);
#   2. StampedeBenchmark: 75 and 500 concurrent callers of one invalidated key (~30 s).
# Results go to benchmarks/results/ (overwritten each run):
#   get-hit.txt  get-hit.json  get-hit-ratios.md  stampede.txt  stampede.md
#
# Usage: benchmarks/run.sh [extra JMH options, e.g. -p impl=layercache,caffeine-jcache]
# Environment:
#   SKIP_BUILD=1        use the existing jar
#   JMH_OPTS="..."      replaces the default "-f 1 -wi 3 -w 2s -i 5 -r 2s"
#   STAMPEDE_ARGS="..." e.g. "--callers 75,500 --rounds 50 --load-ms 5"
#   SKIP_HIT=1 / SKIP_STAMPEDE=1  run only the other part
set -euo pipefail

cd "$(dirname "$0")/.."
RESULTS=benchmarks/results
JAR=benchmarks/target/benchmarks.jar
JMH_OPTS=${JMH_OPTS:-"-f 1 -wi 3 -w 2s -i 5 -r 2s"}
STAMPEDE_ARGS=${STAMPEDE_ARGS:-"--callers 75,500 --rounds 50 --warmup-rounds 5 --load-ms 5"}
mkdir -p "$RESULTS"

if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  echo "== building $JAR"
  mvn -B -q -pl benchmarks -am package -DskipTests
fi

if [[ "${SKIP_HIT:-0}" != 1 ]]; then
  echo "== GetHitBenchmark ($JMH_OPTS $*)"
  # shellcheck disable=SC2086  # JMH_OPTS is a word list on purpose
  java -cp "$JAR" io.layercache.benchmarks.RunHitBenchmark \
    --ratios-out "$RESULTS/get-hit-ratios.md" \
    $JMH_OPTS -rf json -rff "$RESULTS/get-hit.json" "$@" 2>&1 | tee "$RESULTS/get-hit.txt"
fi

if [[ "${SKIP_STAMPEDE:-0}" != 1 ]]; then
  echo "== StampedeBenchmark ($STAMPEDE_ARGS)"
  # shellcheck disable=SC2086
  java -cp "$JAR" io.layercache.benchmarks.StampedeBenchmark \
    $STAMPEDE_ARGS --out "$RESULTS/stampede.md" 2>&1 | tee "$RESULTS/stampede.txt"
fi

echo "== results in $RESULTS/"
