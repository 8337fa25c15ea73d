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
# The oracle: a tiny random-weight Flan-T5 checkpoint run through Hugging Face's own T5
# code (test/fixtures/oracle-checkpoints/README.md). Its expected outputs are the committed
# test/fixtures/oracle-t5/oracle-cases.json; an ORACLE folder given from outside may bring
# its own cases.json, which then replaces them.
ORACLE=${ORACLE:-test/fixtures/oracle-checkpoints/t5}
FIXTURE=test/fixtures/oracle-t5
CASES=$(mktemp)
trap 'rm -f "$CASES"' EXIT
if [ -f "$ORACLE/cases.json" ]; then
  cp "$ORACLE/cases.json" "$CASES"
else
  cp "$FIXTURE/oracle-cases.json" "$CASES"  # export.py empties the fixture folder
fi

$PY tools/fuser/check_oracle.py --oracle "$ORACLE" --cases "$CASES"
$PY tools/fuser/export.py "$ORACLE" "$FIXTURE" --variants 2>&1 | grep -v TracerWarning | grep -v 'torch.where' || true
install -m 644 "$CASES" "$FIXTURE/oracle-cases.json"
$PY tools/common/manifest.py "$FIXTURE" >/dev/null
$PY tools/fuser/check_oracle.py --oracle "$ORACLE" --cases "$CASES" --onnx "$FIXTURE"
if [ -f tools/fuser/make_tiny.py ]; then
  $PY tools/fuser/make_tiny.py
fi
$PY tools/fuser/search_cases.py
