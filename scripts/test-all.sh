#!/usr/bin/env bash
# Runs every test: unit and integration tests of every module, and the official JCache TCK.
# Needs a JDK 17+ and Maven. Test servers (redis-server, nats-server, rabbitmq-server) are
# installed here when a module needs them and they are missing; none is needed yet.
set -euo pipefail
cd "$(dirname "$0")/.."

require() {
  command -v "$1" >/dev/null 2>&1 || { echo "test-all: '$1' is required but not installed" >&2; exit 1; }
}
require java
require mvn

exec mvn -B verify "$@"
