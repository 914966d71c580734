#!/usr/bin/env bash
# Runs the quickstart example (examples/src/main/java/io/layercache/examples/Quickstart.java).
# Needs only a JDK 17+ and Maven; builds the modules it uses first. Maven prints nothing but
# errors (-q), so the first run is silent while it downloads the dependencies. Tests are neither
# compiled nor run (maven.test.skip): the demo needs the main classes only.
set -euo pipefail
cd "$(dirname "$0")/.."
# No colours (-B, style.color), no download progress (-ntp), and no terminal reset code: Maven
# 3.8's console library prints ESC[0m before and after the output unless jansi.noreset is set.
export MAVEN_OPTS="${MAVEN_OPTS:-} -Djansi.noreset=true"
echo "Building and running the quickstart (the first run downloads dependencies)..." >&2
exec mvn -q -B -ntp -Dstyle.color=never -Pquickstart -pl examples -am package -Dmaven.test.skip=true "$@"
