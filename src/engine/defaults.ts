/**
 * Scheduling defaults.
 *
 * DEFAULT_BATCH_SIZE: pairs per model run. Measured in Node (onnxruntime-node, 2 cores) on the
 * tiny ranker with `bench/` style timing of 336 pairs: see the report in the commit that set
 * it. Larger batches pad more and gain nothing once the run is compute bound.
 *
 * DEFAULT_TOKEN_BUDGET: most tokens (pairs x padded length) in one run. 16 384 = the
 * reference's rank batch (8) x the full PairRM row (2048), so real-size inputs never get a
 * bigger run than the reference would make.
 */
export const DEFAULT_BATCH_SIZE = 8;
export const DEFAULT_TOKEN_BUDGET = 16_384;
