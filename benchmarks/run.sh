#!/usr/bin/env bash
# Builds benchmarks/target/benchmarks.jar and runs, one after the other (never in parallel: 2 cores):
#   1. GetHitBenchmark through RunHitBenchmark: every impl x storeByValue x valueType x keySpace
#      (1024 and 1,048,576 keys), 1 and 2 threads, with the gc profiler, in ONE JMH run, so the
#      numbers are ratios (96 runs, ~17 minutes with the default settings on 2 cores);
#   2. StampedeBenchmark: 75 and 500 concurrent callers of one invalidated key (~30 s).
# Results go to benchmarks/results/ (overwritten each run):
#   jvm.txt  get-hit.txt  get-hit.json  get-hit-ratios.md  stampede.txt  stampede.md
# Run it on an otherwise idle machine: any other build or test steals one of the 2 cores.
#
# Usage: benchmarks/run.sh [extra JMH options, e.g. -p impl=layercache,caffeine-jcache]
# Environment:
#   SKIP_BUILD=1        use the existing jar
#   JMH_OPTS="..."      replaces the default "-f 1 -wi 2 -w 1s -i 5 -r 1s -prof gc"
#   OFFLINE=1           build with mvn -o
#   STAMPEDE_ARGS="..." e.g. "--callers 75,500 --rounds 50 --load-ms 5"
#   SKIP_HIT=1 / SKIP_STAMPEDE=1  run only the other part
set -euo pipefail

cd "$(dirname "$0")/.."
RESULTS=benchmarks/results
JAR=benchmarks/target/benchmarks.jar
JMH_OPTS=${JMH_OPTS:-"-f 1 -wi 2 -w 1s -i 5 -r 1s -prof gc"}
STAMPEDE_ARGS=${STAMPEDE_ARGS:-"--callers 75,500 --rounds 50 --warmup-rounds 5 --load-ms 5"}
mkdir -p "$RESULTS"

if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  echo "== building $JAR"
  # shellcheck disable=SC2046
  mvn -B -q $([[ "${OFFLINE:-0}" == 1 ]] && echo -o) -pl benchmarks -am package -DskipTests
fi

{
  java -version 2>&1
  echo
  echo "core: git $(git rev-parse HEAD 2>/dev/null || echo '?')$(git status --porcelain core 2>/dev/null | grep -q . && echo ' + uncommitted changes in core/')"
  lscpu 2>/dev/null | grep -E "Model name|^CPU\(s\)|L3" || true
} > "$RESULTS/jvm.txt"

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
