#!/usr/bin/env bash
# Large benchmark preset (real PairRM dimensions, random weights) in every variant, outside
# git. usage: tools/pairrm/make_large.sh [OUT_DIR] [--layers N]   (default .cache/models/pairrm-large)
set -euo pipefail
cd "$(dirname "$0")/../.."
bash tools/common/ensure-python.sh
export OMP_WAIT_POLICY=PASSIVE OMP_NUM_THREADS=${OMP_NUM_THREADS:-2}
exec /usr/bin/python3 tools/pairrm/make_large.py "$@"
