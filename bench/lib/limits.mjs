// "What limits it" for each target in RESULTS.md: what the measurements and the
// experiments in bench/NOTES.md point to on this machine.
export const LIMITS = {
  wasmVsNode:
    'WASM SIMD is 128-bit with no FMA; native MLAS uses AVX2/AVX-512 GEMMs. DeBERTa attention adds big Gathers (relative positions) that WASM runs slower still. Two WASM threads on 2 cores shared with other jobs lose most to spin-waits.',
  rankVsReference:
    'Length bucketing gives ~5x (about 280 tokens per row instead of 2048). The rest depends on WASM q8 against native PyTorch fp32, and WASM is several times slower than native here.',
  padding:
    '384 of 2048 tokens is 5.3x fewer tokens. Attention grows with the square of the length, so the gain is 5.3x-28x depending on how much of the time attention takes.',
  q8:
    'Per-row activation quantization (so results never depend on batching) runs as plain ops around each MatMulInteger. DeBERTa attention (relative-position Gathers, softmax) stays fp32.',
  q4: 'MatMulNBits unpacks 4-bit weights on the fly. In WASM that kernel is no faster than the fp32 GEMM, so q4 saves bytes, not time.',
  q8VsTorch: 'PyTorch runs OpenBLAS AVX2 fp32 natively. WASM q8 has int8 but only 128-bit SIMD and no VNNI.',
  bytesQ8: 'int8 weights with per-column scales, and an int8 embedding.',
  bytesQ4: '4-bit blocks of 32 with scales, and a 4-bit embedding. LayerNorms and biases stay fp32.',
  warmLoad:
    'Session creation in WASM (graph optimization, weight prepacking) and the sha256 check dominate. Reading the chunks back is a small part.',
};
