#!/usr/bin/env bash
# Runs every test: unit and integration tests of every module against real servers, and the
# official JCache TCK. Needs a JDK 17+ and Maven. Missing test servers are installed through
# apt-get when running as root (Debian); otherwise the script says what to install and stops:
# a missing server fails the run, it never skips tests.
set -euo pipefail
cd "$(dirname "$0")/.."

require() {
  command -v "$1" >/dev/null 2>&1 || { echo "test-all: '$1' is required but not installed" >&2; exit 1; }
}

# ensure_package BINARY DEBIAN_PACKAGE
ensure_package() {
  local binary=$1 package=$2
  if command -v "$binary" >/dev/null 2>&1; then
    return
  fi
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "test-all: installing $package (for $binary)"
    if [ -z "${APT_UPDATED:-}" ]; then
      DEBIAN_FRONTEND=noninteractive apt-get update -qq
      APT_UPDATED=1
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$package" >/dev/null
  fi
  command -v "$binary" >/dev/null 2>&1 || {
    echo "test-all: '$binary' is needed by the integration tests; install the Debian package '$package'" >&2
    exit 1
  }
}

require java
require mvn
ensure_package redis-server redis-server
# The Sentinel tests (a real failover) run Debian's redis-sentinel next to redis-server; the TLS
# tests need a redis-server built with TLS, which Debian's is.
ensure_package redis-sentinel redis-sentinel
# The RabbitMQ bus tests start Debian's rabbitmq-server themselves (own node name, ports, epmd port
# and data directory), or use AMQP_URL when it is set.
ensure_package rabbitmq-server rabbitmq-server
# The NATS bus tests start Debian's nats-server (with JetStream) on free ports of their own.
ensure_package nats-server nats-server
# The tests start their own servers on free ports; the packaged services are not needed.
for service in redis-server redis-sentinel; do
  if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet "$service" 2>/dev/null; then
    systemctl stop "$service" || true
  fi
done
# A broker the package's install started (where services start) would only take memory and CPU.
if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet rabbitmq-server 2>/dev/null; then
  systemctl stop rabbitmq-server || true
elif pgrep -u rabbitmq -x beam.smp >/dev/null 2>&1; then
  service rabbitmq-server stop >/dev/null 2>&1 || true
fi

exec mvn -B verify "$@"
