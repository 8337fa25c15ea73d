// "What limits it" for each target in RESULTS.md: what the measurements and the
// experiments in bench/NOTES.md point to on this machine.
export const LIMITS = {
  wasmVsNode:
    "The GEMMs. One [384 x 1024] x [1024 x 4096] fp32 MatMul takes 18 ms in onnxruntime-node and 114 ms in WASM on one thread (79 ms on two; NOTES.md): WASM SIMD is 128-bit with no FMA, where native MLAS uses AVX2/AVX-512. onnxruntime-web's int8 kernel (qgemm_kernel_wasmsimd.cpp) widens to int16 and works one row at a time, so q8 narrows the gap (0.44x) without closing it. q4's MatMulNBits has no fast WASM path in this build (below). The page already runs the plain WASM build (not the asyncify one) and has no element-wise Gathers left (the relative shift, NOTES.md).",
  rankVsReference:
    'Length bucketing does most of it: rows of ~280 tokens instead of 2048, and attention cost grows with length. It holds even though WASM q8 is about half as fast as native per token.',
  padding:
    '384 of 2048 tokens is 5.3x fewer tokens, and DeBERTa attention (content and both relative-position terms) grows with the square of the length. Both runtimes clear 8x.',
  q8: "int8 replaces only the projection and FFN GEMMs; attention's batched MatMuls (content, both relative-position terms, context) stay fp32. onnxruntime-web's int8 kernel widens to int16 and computes one row at a time (qgemm_kernel_wasmsimd.cpp), so it is at best about twice the fp32 kernel. Per-row activation quantization (so no result depends on its batch) adds about 25 small ops per quantized activation (10,551 nodes in the q8 graph against 6,301 in q4's).",
  q4: 'MatMulNBits (4-bit blocks) has no WASM SIMD int kernel in this onnxruntime-web build: it came out 2.4x slower than fp32 in WASM, while natively it is on par. q4 saves bytes (17% of fp32) and memory, not time.',
  q8VsTorch:
    'Length-independent: WASM q8 in Chromium against PyTorch fp32 tuned (OpenBLAS, OMP_WAIT_POLICY=PASSIVE) on the same rows. PyTorch runs the same model code (tools/pairrm/model.py) eagerly with fp32 GEMMs and no fusions; ORT runs the exported graph, fused, with int8 GEMMs.',
  bytesQ8: 'int8 weights with per-column scales, and an int8 embedding.',
  bytesQ4: '4-bit blocks of 32 with scales, and a 4-bit embedding. LayerNorms and biases stay fp32.',
  warmLoad:
    "Session creation and the read. The q8 session (16.7 s) is 5x q4's (3.1 s) for 1.5x the bytes: the cost follows the q8 graph, not the browser: onnxruntime-node also takes 12.8 s to create the q8 session against 2.1 s for q4, and 8.1 s against 1.5 s with graph optimization disabled. Which part of the q8 form (10,551 nodes against 6,301; 300 MB of uint8 MatMulInteger weights) costs it is not pinned down yet (NOTES.md). IndexedDB returns ~80 MB/s here (Chromium keeps large values as blob files); the store's read + verify (12.6 s) is 2.3x the raw read because ORT's runtime starts in the same worker during the read, on 2 cores. q4 is at 3.08x. See NOTES.md (warm load) for the phases.",
};
