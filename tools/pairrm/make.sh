#!/usr/bin/env bash
# `npm run models` (PairRM part): the oracle fixture, the bundled tiny model and the goldens.
# Deterministic: running it twice gives the same bytes.
set -euo pipefail
cd "$(dirname "$0")/../.."
bash tools/common/ensure-python.sh
PY=/usr/bin/python3
export OMP_WAIT_POLICY=PASSIVE OMP_NUM_THREADS=${OMP_NUM_THREADS:-2}
ORACLE=${ORACLE:-../shared/oracle/deberta}

echo "-- PyTorch PairRM vs the oracle"
"$PY" tools/pairrm/check_oracle.py "$ORACLE"

echo "-- oracle fixture (real-export command on the oracle's random weights, fp32)"
FIXTURE=test/fixtures/oracle-pairrm
rm -rf "$FIXTURE" && mkdir -p "$FIXTURE"
cp "$ORACLE/cases.json" "$FIXTURE/oracle-cases.json"  # expected outputs for the vitest test
"$PY" tools/pairrm/export.py "$ORACLE" "$FIXTURE" --variants fp32

echo "-- tiny model (public/models/tiny-pairrm) and goldens (test/golden/pairrm.json)"
"$PY" tools/pairrm/make_tiny.py
