#!/usr/bin/env bash
# Runs the quickstart example (examples/src/main/java/io/layercache/examples/Quickstart.java).
# Needs only a JDK 17+ and Maven; builds the modules it uses first.
set -euo pipefail
cd "$(dirname "$0")/.."
exec mvn -q -B -Dstyle.color=never -Pquickstart -pl examples -am package -DskipTests "$@"
