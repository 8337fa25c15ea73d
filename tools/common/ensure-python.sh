#!/usr/bin/env bash
# The model tooling runs on Debian's python3 (torch, onnx, numpy, sentencepiece from apt),
# not on whatever python3 is first on PATH. Installs the packages when they are missing.
set -euo pipefail
PY=/usr/bin/python3
if ! "$PY" -c 'import torch, onnx, numpy, sentencepiece, sympy' 2>/dev/null; then
  echo "installing Debian's python3-torch python3-onnx python3-numpy python3-sentencepiece python3-sympy ..." >&2
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  # libopenblas0-pthread: Debian's torch otherwise runs on the reference BLAS (~40x slower).
  $SUDO apt-get install -y -qq python3-torch python3-onnx python3-numpy python3-sentencepiece python3-sympy libopenblas0-pthread >/dev/null
fi
