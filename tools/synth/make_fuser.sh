#!/usr/bin/env bash
# `npm run models:train:fuser`: regenerates the fuser's generated rows, retrains the synth
# fuser and re-exports public/models/synth-fuser/ with its goldens, held-out fixture and
# FUSER_RESULTS.md. Not part of `npm run models` (training is ~105 min of one core here).
#   --export-only   skip data and training: re-export from .cache/synth/fuser-hf (the trained
#                   weights, gitignored) and re-measure (~5-10 min).
set -euo pipefail
cd "$(dirname "$0")/../.."
bash tools/common/ensure-python.sh
PY=/usr/bin/python3
export OMP_WAIT_POLICY=PASSIVE
if [ "${1:-}" != "--export-only" ]; then
  echo "-- data (.cache/synth/fuser-data)"
  "$PY" tools/synth/fuser_data.py
  echo "-- training (.cache/synth/fuser-phase1, fuser-phase2, then .cache/synth/fuser-hf)"
  # Three phases, as the committed model was trained (see README.md): each stops at its step
  # count or its minutes, whichever comes first, and its learning rate's decay follows the
  # clock (train_fuser.py --minutes); each continues from the previous one's weights and tokenizer.
  "$PY" tools/synth/train_fuser.py --threads "${SYNTH_THREADS:-1}" --work .cache/synth/fuser-phase1 --steps 6000 --minutes 34
  "$PY" tools/synth/train_fuser.py --threads "${SYNTH_THREADS:-1}" --init-from .cache/synth/fuser-phase1 \
    --work .cache/synth/fuser-phase2 --steps 6000 --minutes 16 --learning-rate 1e-3
  "$PY" tools/synth/train_fuser.py --threads "${SYNTH_THREADS:-1}" --init-from .cache/synth/fuser-phase2 \
    --work .cache/synth/fuser-hf --steps 20000 --minutes 55 --learning-rate 1e-3
fi
echo "-- export (public/models/synth-fuser, test/golden/synth-fuser.json, tools/synth/FUSER_RESULTS.md)"
"$PY" tools/synth/export_fuser.py
