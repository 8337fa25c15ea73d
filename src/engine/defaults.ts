/**
 * Scheduling defaults.
 *
 * DEFAULT_BATCH_SIZE: pairs per model run. Measured on the tiny ranker in Node
 * (onnxruntime-node, 1 intra-op thread, 336 passes of rows 20-100 tokens, CPU time so the
 * shared 2-core machine's load does not skew it): passes per CPU-second were
 * b1 295, b2 540, b4 656, b8 646, b16 652, b32 678, b64 653. Per-run overhead is paid off
 * from 4 on; past that larger runs only pad more. 8 sits on the plateau and equals the
 * reference's rank batch size.
 *
 * DEFAULT_TOKEN_BUDGET: most tokens (pairs x padded length) in one run. 16 384 = the
 * reference's rank batch (8) x the full PairRM row (2048), so real-size inputs never get a
 * bigger run than the reference would make.
 */
export const DEFAULT_BATCH_SIZE = 8;
export const DEFAULT_TOKEN_BUDGET = 16_384;
