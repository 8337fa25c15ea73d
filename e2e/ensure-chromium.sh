#!/usr/bin/env bash
# Browser tests run in a system Chromium (this project never downloads a browser build).
# Installs Debian's chromium when neither it nor $CHROMIUM_PATH is there.
set -euo pipefail
if [ -n "${CHROMIUM_PATH:-}" ] && [ -x "$CHROMIUM_PATH" ]; then exit 0; fi
if [ -x /usr/bin/chromium ]; then exit 0; fi
if command -v apt-get >/dev/null 2>&1; then
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  echo "installing Debian's chromium for the browser tests ..." >&2
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq chromium >/dev/null
  exit 0
fi
echo "No Chromium found: install one and set CHROMIUM_PATH to its binary." >&2
exit 1
