#!/usr/bin/env bash
# The quick benchmark on a GPU machine: Chromium on Vulkan with a real WebGPU adapter, so the
# WebGPU rows (fp32, q4, fp16 when the adapter has shader-f16) get absolute figures next to
# onnxruntime-node and WASM measured in the same run.
#   bash bench/gpu.sh            results in $OUT (when set) or bench/gpu/
# Env: BENCH_MODEL (default .cache/models/pairrm-large-l2, built here when missing: needs
#      Debian's python3-torch + python3-onnx), BENCH_ONLY (default webgpu,node,wasm).
set -euo pipefail
cd "$(dirname "$0")/.."
OUT_DIR=${OUT:-bench/gpu}
MODEL=${BENCH_MODEL:-.cache/models/pairrm-large-l2}

[ -d node_modules ] || ONNXRUNTIME_NODE_INSTALL=skip npm ci
bash e2e/ensure-chromium.sh
if [ ! -f "$MODEL/manifest.json" ]; then
  bash tools/pairrm/make_large.sh "$MODEL" --layers 2
fi

# Headless Chromium on Linux gets a real adapter through Vulkan (ANGLE on Vulkan, no surface);
# without these flags requestAdapter() returns null or SwiftShader's fallback adapter, and
# the benchmark then reports "skipped: SwiftShader" instead of WebGPU figures.
export BENCH_CHROMIUM_FLAGS="--enable-unsafe-webgpu --enable-features=Vulkan --use-angle=vulkan --use-vulkan=native --disable-vulkan-surface --ignore-gpu-blocklist --enable-gpu"
command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv || true
command -v vulkaninfo >/dev/null && vulkaninfo --summary 2>/dev/null | grep -E "deviceName|driverName" || echo "vulkaninfo not installed (apt-get install vulkan-tools to check the Vulkan driver)"

npx vite build --mode node --logLevel warn
mkdir -p "$OUT_DIR"
node bench/run.mjs --quick --model "$MODEL" --only "${BENCH_ONLY:-webgpu,node,wasm}" --out "$OUT_DIR" --gpu-script
