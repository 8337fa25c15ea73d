#!/usr/bin/env bash
# The fleet tests start their own Redis (never a system service): Debian's redis-server,
# installed here when missing, as e2e/ensure-chromium.sh does for Chromium.
set -euo pipefail
if command -v redis-server >/dev/null 2>&1; then exit 0; fi
if command -v apt-get >/dev/null 2>&1; then
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  echo "installing Debian's redis-server for the fleet tests ..." >&2
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq redis-server >/dev/null
  exit 0
fi
echo "No redis-server found: install Redis 6.2 or later for the fleet tests." >&2
exit 1
