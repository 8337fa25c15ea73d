#!/usr/bin/env bash
# `npm run models` (fuser part): regenerates every fuser artefact from scratch.
#   1. checks the PyTorch Flan-T5 against Hugging Face's oracle outputs,
#   2. exports the oracle checkpoint with the real-export command into the test fixture
#      test/fixtures/oracle-t5 (fp32 only) and checks the ONNX past path against the oracle,
#   3. builds the bundled tiny fuser public/models/tiny-fuser and test/golden/fuser.json,
#   4. writes the scripted beam-search cases test/models/fuser-search-cases.json.
set -euo pipefail
cd "$(dirname "$0")/../.."
PY=/usr/bin/python3
export OMP_WAIT_POLICY=PASSIVE OMP_NUM_THREADS=2
ORACLE=/work/shared/oracle/t5
FIXTURE=test/fixtures/oracle-t5

if [ -d "$ORACLE" ]; then
  $PY tools/fuser/check_oracle.py --oracle "$ORACLE"
  $PY tools/fuser/export.py "$ORACLE" "$FIXTURE" --variants 2>&1 | grep -v TracerWarning | grep -v 'torch.where' || true
  install -m 644 "$ORACLE/cases.json" "$FIXTURE/oracle-cases.json"
  $PY tools/common/manifest.py "$FIXTURE" >/dev/null
  $PY tools/fuser/check_oracle.py --oracle "$ORACLE" --onnx "$FIXTURE"
else
  echo "no oracle at $ORACLE: keeping the committed $FIXTURE" >&2
fi
if [ -f tools/fuser/make_tiny.py ]; then
  $PY tools/fuser/make_tiny.py
fi
$PY tools/fuser/search_cases.py
