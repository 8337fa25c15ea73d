/**
 * σ(x) = 1 / (1 + e^-x): PairRM's logit read as the probability that the first candidate
 * is better (the model is trained with a logistic loss on such logits). Written in the form
 * whose exponent is never positive, so it cannot overflow for either sign of x.
 */
export function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}
