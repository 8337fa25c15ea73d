/**
 * Dense Cholesky factorisation and solves for the small symmetric positive definite systems
 * of the Bradley–Terry fit (one row and column per candidate of one input). Matrices are
 * n × n, row-major in one Float64Array: the fit refits every round, so this stays cheap.
 */

/** Lower-triangular L (row-major, upper part 0) with L Lᵀ = A; A symmetric positive definite. */
export function cholesky(a: Float64Array, n: number): Float64Array {
  const l = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = a[i * n + j]!;
      for (let k = 0; k < j; k++) sum -= l[i * n + k]! * l[j * n + k]!;
      // The prior adds 1/variance to the diagonal, so a pivot is never <= 0 in exact
      // arithmetic; guard against rounding anyway rather than return NaN.
      l[i * n + j] = i === j ? Math.sqrt(Math.max(sum, Number.MIN_VALUE)) : sum / l[j * n + j]!;
    }
  }
  return l;
}

/** x with L Lᵀ x = b. */
export function choleskySolve(l: Float64Array, n: number, b: ArrayLike<number>): Float64Array {
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let sum = b[i]!;
    for (let k = 0; k < i; k++) sum -= l[i * n + k]! * y[k]!;
    y[i] = sum / l[i * n + i]!;
  }
  const x = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let sum = y[i]!;
    for (let k = i + 1; k < n; k++) sum -= l[k * n + i]! * x[k]!;
    x[i] = sum / l[i * n + i]!;
  }
  return x;
}

/** The diagonal of A⁻¹ from A's factor L: (A⁻¹)_ii = ‖L⁻¹ e_i‖², one forward solve each. */
export function inverseDiagonal(l: Float64Array, n: number): number[] {
  const diagonal: number[] = [];
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    // L⁻¹ e_i is zero above row i.
    let norm = 0;
    for (let r = i; r < n; r++) {
      let sum = r === i ? 1 : 0;
      for (let k = i; k < r; k++) sum -= l[r * n + k]! * y[k]!;
      y[r] = sum / l[r * n + r]!;
      norm += y[r]! * y[r]!;
    }
    diagonal.push(norm);
  }
  return diagonal;
}
