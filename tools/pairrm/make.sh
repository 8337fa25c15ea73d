#!/usr/bin/env bash
# `npm run models` (PairRM part): the oracle fixture, the bundled tiny model and the goldens.
# Deterministic: running it twice gives the same bytes.
set -euo pipefail
cd "$(dirname "$0")/../.."
bash tools/common/ensure-python.sh
PY=/usr/bin/python3
export OMP_WAIT_POLICY=PASSIVE OMP_NUM_THREADS=${OMP_NUM_THREADS:-2}
# The oracle: a tiny random-weight PairRM checkpoint run through Hugging Face's own
# DeBERTa-v2 code (test/fixtures/oracle-checkpoints/README.md). Its expected outputs are the
# committed test/fixtures/oracle-pairrm/oracle-cases.json; an ORACLE folder given from
# outside may bring its own cases.json, which then replaces them.
ORACLE=${ORACLE:-test/fixtures/oracle-checkpoints/deberta}
FIXTURE=test/fixtures/oracle-pairrm

echo "-- PyTorch PairRM vs the oracle"
"$PY" tools/pairrm/check_oracle.py "$ORACLE"

echo "-- oracle fixture (real-export command on the oracle's random weights, fp32)"
mkdir -p "$FIXTURE"
rm -rf "$FIXTURE/onnx" "$FIXTURE/config.json" "$FIXTURE/manifest.json"
if [ -f "$ORACLE/cases.json" ]; then
  cp "$ORACLE/cases.json" "$FIXTURE/oracle-cases.json"  # expected outputs for the vitest test
fi
"$PY" tools/pairrm/export.py "$ORACLE" "$FIXTURE" --variants fp32

echo "-- tiny model (public/models/tiny-pairrm) and goldens (test/golden/pairrm.json)"
"$PY" tools/pairrm/make_tiny.py
