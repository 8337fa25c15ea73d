#!/usr/bin/env bash
# `npm run models:train`: regenerates the synthetic preference data, retrains the synth
# ranker and re-exports public/models/synth-pairrm/ with its goldens and RESULTS.md.
# Not part of `npm run models` (training takes ~25-40 min of shared CPU here).
#   --export-only   skip data and training: re-export from .cache/synth/pairrm-hf (same
#                   weights -> same bytes; ~3 min).
set -euo pipefail
cd "$(dirname "$0")/../.."
bash tools/common/ensure-python.sh
PY=/usr/bin/python3
export OMP_WAIT_POLICY=PASSIVE
if [ "${1:-}" != "--export-only" ]; then
  echo "-- data (.cache/synth/data, test/fixtures/synth/heldout.jsonl)"
  "$PY" tools/synth/data.py
  echo "-- training (.cache/synth/pairrm-hf)"
  # Two phases (how the committed model was trained; see README.md): the relevance and
  # arithmetic rows twice, then a second run from the first one's weights.
  "$PY" tools/synth/train_pairrm.py --threads "${SYNTH_THREADS:-1}" --work .cache/synth/pairrm-phase1 \
    --steps 2000 --learning-rate 1.5e-3 --repeat relevance=2,arithmetic=2
  "$PY" tools/synth/train_pairrm.py --threads "${SYNTH_THREADS:-1}" --init-from .cache/synth/pairrm-phase1 \
    --steps 2400 --learning-rate 1e-3 --repeat relevance=2,arithmetic=2
fi
echo "-- export (public/models/synth-pairrm, test/golden/synth-pairrm.json, tools/synth/RESULTS.md)"
"$PY" tools/synth/export_pairrm.py
