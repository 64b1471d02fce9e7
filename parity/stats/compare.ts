/**
 * Statistical comparison of our samples with AIHWKit's, with tolerances derived from the sample sizes.
 *
 * Every case compares a set of quantities (e.g. output i of input vector b; ΔW_ij; the accuracy after
 * epoch 1), each with n samples from us and m from AIHWKit. The case's family-wise false-alarm rate α
 * is split evenly over all its tests (Bonferroni), so a case that agrees fails with probability ≤ α
 * however many quantities it has; each test runs at α' = α / (number of tests).
 *
 * - Distributions (many draws): per quantity
 *   - mean: Welch z-test, tolerance z(1−α'/2)·se with se = sqrt(s₁²/n + s₂²/m);
 *   - std: z-test on the variance difference, se(s₁² − s₂²) = sqrt((m₄ − m₂²)·(1/n + 1/m)) from the
 *     pooled central moments (delta method: valid for non-normal, e.g. ADC-quantized, outputs, and for
 *     a sample that happens to be constant);
 *   - shape: two-sample Kolmogorov–Smirnov, D ≤ D_crit = λ(α')·sqrt((n+m)/(nm));
 *   - quantiles (5 %, 50 %, 95 %): reported with the band the KS bound implies (our p-quantile must
 *     lie between AIHWKit's (p−D_crit)- and (p+D_crit)-quantiles); implied by the KS test, not counted
 *     as a separate test.
 *   The detectable difference at 80 % power, (z(1−α'/2) + z(0.8))·se, is reported with the mean.
 * - Seeds (end-to-end runs, a few seeds per side): Welch t-test on the per-seed values, tolerance
 *   t(1−α'/2, ν_Welch)·se; mean ± std of each side reported.
 * - Exact (deterministic outputs): |ours − theirs| ≤ atol + rtol·|theirs| element by element.
 *
 * Every tolerance has a floor atol + rtol·|value|: float32 arithmetic makes the two sides differ by
 * rounding even where the mathematics is identical (a test with se = 0 would otherwise demand bit
 * equality), and values that close count as ties in the KS test (quantized outputs sit on the same
 * levels on both sides, up to rounding).
 */
import { kolmogorovCritical, normalQuantile, studentTQuantile } from './distributions';

export type MetricName = 'mean' | 'std' | 'q05' | 'q50' | 'q95' | 'ks' | 'value';

export interface MetricCheck {
  metric: MetricName;
  ours: number;
  theirs: number;
  /** ours − theirs (for ks: the statistic D). */
  diff: number;
  /** The largest |diff| that passes (for ks: D_crit). */
  tolerance: number;
  /** The difference this test detects with 80 % power (where defined). */
  detectable?: number;
  /** Counted in the Bonferroni split and the verdict (false for quantiles: implied by KS, shown only). */
  counted: boolean;
  pass: boolean;
}

export interface Summary {
  n: number;
  mean: number;
  std: number;
  q05: number;
  q50: number;
  q95: number;
}

export interface QuantityComparison {
  label: string;
  ours: Summary;
  theirs: Summary;
  checks: MetricCheck[];
  pass: boolean;
  /** max |diff| / tolerance over the counted checks (≤ 1 passes). */
  worst: number;
}

export type ComparisonMethod = 'distribution' | 'seeds' | 'exact';

export interface CompareOptions {
  /** Significance level of each single test (already Bonferroni-divided). */
  alphaPerTest: number;
  atol: number;
  rtol?: number;
}

/** How many counted tests one quantity costs under each method (for the Bonferroni split). */
export const TESTS_PER_QUANTITY: Record<ComparisonMethod, number> = { distribution: 3, seeds: 1, exact: 0 };

const POWER_Z = normalQuantile(0.8);

export function mean(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i];
  return s / x.length;
}

/** Unbiased sample variance (0 for a single sample). */
export function variance(x: ArrayLike<number>, m = mean(x)): number {
  if (x.length < 2) return 0;
  let s = 0;
  for (let i = 0; i < x.length; i++) s += (x[i] - m) ** 2;
  return s / (x.length - 1);
}

function sorted(x: ArrayLike<number>): Float64Array {
  return Float64Array.from(x).sort();
}

/** The p-quantile of sorted data, the inverse of the empirical CDF: the smallest x with F(x) ≥ p. */
export function ecdfQuantile(s: Float64Array, p: number): number {
  if (p <= 0) return s[0];
  if (p >= 1) return s[s.length - 1];
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))];
}

export function summarize(x: ArrayLike<number>): Summary {
  const s = sorted(x);
  const m = mean(x);
  return {
    n: x.length,
    mean: m,
    std: Math.sqrt(variance(x, m)),
    q05: ecdfQuantile(s, 0.05),
    q50: ecdfQuantile(s, 0.5),
    q95: ecdfQuantile(s, 0.95),
  };
}

/**
 * The two-sample Kolmogorov–Smirnov statistic sup |F₁ − F₂| of sorted samples, exact with ties; values
 * within `tieTolerance(v)` of the smallest value of a run count as equal (rounding, not a difference).
 */
export function ksStatistic(
  a: Float64Array,
  b: Float64Array,
  tieTolerance: (v: number) => number = () => 0,
): number {
  let i = 0;
  let j = 0;
  let d = 0;
  while (i < a.length && j < b.length) {
    const v = Math.min(a[i], b[j]);
    const top = v + tieTolerance(v);
    while (i < a.length && a[i] <= top) i++;
    while (j < b.length && b[j] <= top) j++;
    d = Math.max(d, Math.abs(i / a.length - j / b.length));
  }
  return d;
}

/** D_crit of the two-sample KS test at level alpha (asymptotic; conservative for discrete data). */
export function ksCritical(n: number, m: number, alpha: number): number {
  return kolmogorovCritical(alpha) * Math.sqrt((n + m) / (n * m));
}

function check(
  metric: MetricName,
  ours: number,
  theirs: number,
  tolerance: number,
  counted: boolean,
  detectable?: number,
): MetricCheck {
  const diff = ours - theirs;
  return {
    metric,
    ours,
    theirs,
    diff,
    tolerance,
    ...(detectable !== undefined ? { detectable } : {}),
    counted,
    pass: Math.abs(diff) <= tolerance,
  };
}

function finish(label: string, ours: Summary, theirs: Summary, checks: MetricCheck[]): QuantityComparison {
  let worst = 0;
  for (const c of checks) {
    if (!c.counted) continue;
    const r = Math.abs(c.diff) / c.tolerance;
    worst = Math.max(worst, Number.isFinite(r) ? r : c.diff === 0 ? 0 : Infinity);
  }
  return { label, ours, theirs, checks, pass: checks.every((c) => c.pass || !c.counted), worst };
}

/** One quantity sampled many times on each side (see the module comment). */
export function compareDistribution(
  label: string,
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  { alphaPerTest, atol, rtol = 0 }: CompareOptions,
): QuantityComparison {
  if (a.length < 2 || b.length < 2) throw new Error(`${label}: need at least 2 samples per side`);
  const sa = sorted(a);
  const sb = sorted(b);
  const A = summarize(a);
  const B = summarize(b);
  const z = normalQuantile(1 - alphaPerTest / 2);
  const n = a.length;
  const m = b.length;
  const floor = (v: number) => atol + rtol * Math.abs(v);

  const se = Math.sqrt(A.std ** 2 / n + B.std ** 2 / m);
  const meanCheck = check('mean', A.mean, B.mean, Math.max(z * se, floor(B.mean)), true, (z + POWER_Z) * se);

  // Variances by a z-test on s₁² − s₂² with se from the pooled central moments of the centered samples
  // (under H0 both sides share them): Var(s²) ≈ (m₄ − m₂²)/n (delta method; valid for non-normal and
  // ADC-quantized outputs, and for a side whose sample happens to be constant).
  let m2 = 0;
  let m4 = 0;
  for (const [x, mu] of [
    [a, A.mean],
    [b, B.mean],
  ] as const) {
    for (let i = 0; i < x.length; i++) {
      const d2 = (x[i] - mu) ** 2;
      m2 += d2;
      m4 += d2 * d2;
    }
  }
  m2 /= n + m;
  m4 /= n + m;
  const seVar = Math.sqrt(Math.max(m4 - m2 * m2, 0) * (1 / n + 1 / m));
  const va = A.std ** 2;
  const vb = B.std ** 2;
  // The pass band on the variance, shown in std units: ours may lie in [√(vb − z·se), √(vb + z·se)].
  const up = Math.sqrt(vb + z * seVar) - B.std;
  const down = B.std - Math.sqrt(Math.max(vb - z * seVar, 0));
  const stdFloor = atol + rtol * Math.max(Math.abs(A.mean), Math.abs(B.mean));
  const stdTol = Math.max(va >= vb ? up : down, stdFloor);
  const stdCheck = check('std', A.std, B.std, stdTol, true, Math.sqrt(vb + (z + POWER_Z) * seVar) - B.std);

  const dCrit = ksCritical(n, m, alphaPerTest);
  const d = ksStatistic(sa, sb, floor);
  const ks: MetricCheck = {
    metric: 'ks',
    ours: d,
    theirs: dCrit,
    diff: d,
    tolerance: dCrit,
    counted: true,
    pass: d <= dCrit,
  };

  const quantileChecks = (
    [
      ['q05', 0.05],
      ['q50', 0.5],
      ['q95', 0.95],
    ] as const
  ).map(([name, p]) => {
    const qa = A[name];
    const qb = B[name];
    const tol = qa >= qb ? ecdfQuantile(sb, p + dCrit) - qb : qb - ecdfQuantile(sb, p - dCrit);
    return check(name, qa, qb, tol + floor(qb), false);
  });
  return finish(label, A, B, [meanCheck, stdCheck, ks, ...quantileChecks]);
}

/** One end-to-end metric over a few seeds per side: Welch t-test on the per-seed values. */
export function compareSeeds(
  label: string,
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  { alphaPerTest, atol, rtol = 0 }: CompareOptions,
): QuantityComparison {
  if (a.length < 2 || b.length < 2) throw new Error(`${label}: need at least 2 seeds per side`);
  const A = summarize(a);
  const B = summarize(b);
  const va = A.std ** 2 / a.length;
  const vb = B.std ** 2 / b.length;
  const se = Math.sqrt(va + vb);
  const floor = atol + rtol * Math.abs(B.mean);
  let tol = floor;
  let detectable: number | undefined;
  if (se > 0) {
    const df =
      (va + vb) ** 2 / ((va > 0 ? va ** 2 / (a.length - 1) : 0) + (vb > 0 ? vb ** 2 / (b.length - 1) : 0));
    const t = studentTQuantile(1 - alphaPerTest / 2, df);
    tol = Math.max(t * se, floor);
    detectable = (t + studentTQuantile(0.8, df)) * se;
  }
  return finish(label, A, B, [check('mean', A.mean, B.mean, tol, true, detectable)]);
}

/** Deterministic values: element-wise |ours − theirs| ≤ atol + rtol·|theirs|. */
export function compareExact(
  label: string,
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  { atol, rtol = 0 }: CompareOptions,
): QuantityComparison {
  if (a.length !== b.length)
    throw new Error(`${label}: ${a.length} values on our side, ${b.length} on AIHWKit's`);
  let worstIndex = 0;
  let worstRatio = -1;
  for (let i = 0; i < a.length; i++) {
    const tol = atol + rtol * Math.abs(b[i]);
    const r = Math.abs(a[i] - b[i]) / tol;
    if (r > worstRatio || Number.isNaN(r)) {
      worstRatio = Number.isNaN(r) ? Infinity : r;
      worstIndex = i;
    }
  }
  const c = check('value', a[worstIndex], b[worstIndex], atol + rtol * Math.abs(b[worstIndex]), true);
  return { ...finish(label, summarize(a), summarize(b), [c]), worst: worstRatio };
}
