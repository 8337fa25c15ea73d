#!/usr/bin/env bash
# `npm run models`: regenerates every bundled model, golden file and test fixture.
# Each model family has its own make.sh; this runs them in order.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/common/ensure-python.sh
for family in pairrm fuser; do
  if [ -f "tools/$family/make.sh" ]; then
    echo "== $family"
    bash "tools/$family/make.sh" "$@"
  fi
done
