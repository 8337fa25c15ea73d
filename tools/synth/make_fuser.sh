#!/usr/bin/env bash
# `npm run models:train:fuser`: regenerates the fuser's generated rows, retrains the synth
# fuser and re-exports public/models/synth-fuser/ with its goldens, held-out fixture and
# FUSER_RESULTS.md. Not part of `npm run models` (training is ~35 min of one shared core here).
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
  echo "-- training (.cache/synth/fuser-hf)"
  # 6000 steps at most, and at most 34 minutes: on a busy machine the time limit ends the run
  # and the learning rate's decay follows the clock (train_fuser.py --minutes).
  "$PY" tools/synth/train_fuser.py --threads "${SYNTH_THREADS:-1}" --steps 6000 --minutes 34
fi
echo "-- export (public/models/synth-fuser, test/golden/synth-fuser.json, tools/synth/FUSER_RESULTS.md)"
"$PY" tools/synth/export_fuser.py
