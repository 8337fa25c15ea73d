// "What limits it" for each target in RESULTS.md: what the measurements and the
// experiments in bench/NOTES.md point to on this machine.
export const LIMITS = {
  wasmVsNode:
    "WASM SIMD is 128-bit with no FMA, while native MLAS uses AVX2/AVX-512 kernels. DeBERTa's relative-position Gathers (a quarter of the native time, NOTES.md) are slower still in WASM. The page's ORT build (asyncify, WebGPU-capable) is 6-13% slower per run than onnxruntime-web's plain WASM build at 24 layers (NOTES.md). Two WASM threads on 2 busy cores spend time spin-waiting. The load on the machine also swung: a later A/B run at a load average of ~4 timed the page build's 24-layer q8 at 9.9 s per pair, against 25 s in this run.",
  rankVsReference:
    'Length bucketing does most of it: rows of ~280 tokens instead of 2048, and attention cost grows with length. It holds even though WASM q8 is several times slower than native PyTorch fp32 per token.',
  padding:
    '384 of 2048 tokens is 5.3x fewer tokens, and DeBERTa attention (content and both relative-position terms) grows with the square of the length. Both runtimes clear 8x.',
  q8:
    'In WASM, q8 came out slower than fp32. int8 GEMMs only replace the projections and FFN. Per-row activation quantization (so results never depend on batching) adds elementwise ops around each MatMulInteger, and WASM runs those slowly. Attention stays fp32. Natively, q8 gains little at (128, 128) and nothing at (256, 412). On WASM its win is bytes (25% of fp32) and memory.',
  q4: 'MatMulNBits unpacks 4-bit weights on the fly. In WASM that kernel is no faster than the fp32 GEMM, so q4 saves bytes, not time.',
  q8VsTorch:
    'PyTorch runs OpenBLAS AVX2 fp32 natively. WASM q8 has int8 but only 128-bit SIMD, no VNNI, and adds per-row quantization ops. The plain-build figure comes from a quieter moment of the run (NOTES.md).',
  bytesQ8: 'int8 weights with per-column scales, and an int8 embedding.',
  bytesQ4: '4-bit blocks of 32 with scales, and a 4-bit embedding. LayerNorms and biases stay fp32.',
  warmLoad:
    'Session creation alone takes several times the raw read: ORT WASM parses the protobuf, copies the weights into wasm memory and optimizes the graph. The store then reads chunks one get at a time (about twice the one-transaction read) and hashes them afterwards. The first run also pays for lazy initialization. See the loads table.',
};
