/** Sample moments and the closed-form moments of rectified and folded normals, for statistical tests. */

/** Local alias: looking up the global `Math` inside a vm context (jest) is far slower. */
const M = Math;

export function sampleMean(values: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i];
  return s / values.length;
}

export function sampleStd(values: ArrayLike<number>): number {
  const m = sampleMean(values);
  let s = 0;
  for (let i = 0; i < values.length; i++) s += (values[i] - m) ** 2;
  return M.sqrt(s / (values.length - 1));
}

/** Standard normal density and distribution function (Abramowitz–Stegun 7.1.26 erf, |ε| < 1.5e-7). */
export function phi(x: number): number {
  return M.exp(-0.5 * x * x) / M.sqrt(2 * M.PI);
}

export function Phi(x: number): number {
  const z = M.abs(x) / M.SQRT2;
  const t = 1 / (1 + 0.3275911 * z);
  const erf =
    1 -
    ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) *
      t *
      M.exp(-z * z);
  return x >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}

/** Mean and std of max(μ + σZ, 0). */
export function rectifiedNormalMoments(mu: number, sigma: number): { mean: number; std: number } {
  const a = mu / sigma;
  const mean = mu * Phi(a) + sigma * phi(a);
  const second = (mu * mu + sigma * sigma) * Phi(a) + mu * sigma * phi(a);
  return { mean, std: M.sqrt(second - mean * mean) };
}

/** Mean and std of |μ + σZ|. */
export function foldedNormalMoments(mu: number, sigma: number): { mean: number; std: number } {
  const a = mu / sigma;
  const mean = sigma * M.sqrt(2 / M.PI) * M.exp(-0.5 * a * a) + mu * (1 - 2 * Phi(-a));
  return { mean, std: M.sqrt(mu * mu + sigma * sigma - mean * mean) };
}
