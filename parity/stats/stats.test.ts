/**
 * The parity statistics: reference values of the distributions (from standard tables), the KS
 * statistic with ties, and the calibration that matters — equal distributions pass at about the stated
 * rate, a shift of the stated detectable size is caught.
 */
import { Rng } from '../../sim-core';
import {
  kolmogorovCritical,
  normalCdf,
  normalQuantile,
  studentTCdf,
  studentTQuantile,
} from './distributions';
import { compareDistribution, compareExact, compareSeeds, ecdfQuantile, ksStatistic } from './compare';

describe('distributions', () => {
  it('normal CDF and quantile match table values', () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 7);
    expect(normalCdf(1.959963985)).toBeCloseTo(0.975, 6);
    expect(normalCdf(-3)).toBeCloseTo(0.001349898, 8);
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963985, 8);
    expect(normalQuantile(0.8)).toBeCloseTo(0.8416212336, 8);
    expect(normalQuantile(1e-6)).toBeCloseTo(-4.753424309, 7);
  });

  it("Student's t CDF and quantile match table values", () => {
    expect(studentTCdf(2.228138852, 10)).toBeCloseTo(0.975, 7);
    expect(studentTQuantile(0.975, 10)).toBeCloseTo(2.228138852, 6);
    expect(studentTQuantile(0.995, 4)).toBeCloseTo(4.604094871, 6);
    expect(studentTQuantile(0.975, 1)).toBeCloseTo(12.70620474, 5);
    expect(studentTQuantile(0.025, 10)).toBeCloseTo(-2.228138852, 6);
  });

  it('Kolmogorov critical values match table values', () => {
    expect(kolmogorovCritical(0.05)).toBeCloseTo(1.3581, 3);
    expect(kolmogorovCritical(0.01)).toBeCloseTo(1.6276, 3);
  });
});

describe('sample statistics', () => {
  it('KS statistic handles ties exactly', () => {
    const a = Float64Array.of(0, 0, 1, 1);
    const b = Float64Array.of(0, 1, 1, 1);
    expect(ksStatistic(a, b)).toBeCloseTo(0.25, 12);
    expect(ksStatistic(a, a)).toBe(0);
    expect(ksStatistic(Float64Array.of(0, 1), Float64Array.of(2, 3))).toBe(1);
  });

  it('quantiles are the inverse of the empirical CDF', () => {
    const s = Float64Array.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
    expect(ecdfQuantile(s, 0.05)).toBe(1);
    expect(ecdfQuantile(s, 0.5)).toBe(5);
    expect(ecdfQuantile(s, 0.95)).toBe(10);
  });
});

function normalSample(rng: Rng, n: number, mu: number, sigma: number): Float64Array {
  const x = new Float64Array(n);
  rng.fillNormal(x, sigma, mu);
  return x;
}

describe('calibration (seeded)', () => {
  // 400 same-distribution comparisons at α' = 0.05: each counted test rejects with probability ≤ 0.05,
  // so a quantity fails with probability ≤ ~0.15 (3 tests, KS conservative). Binomial(400, 0.15) has
  // sd 7.1; the bound 0.2·400 = 80 is 2.8 sd above the worst case; the seed is fixed anyway.
  it('equal distributions pass at about the stated rate', () => {
    const rng = new Rng(11);
    let failures = 0;
    let meanFailures = 0;
    for (let k = 0; k < 400; k++) {
      const a = normalSample(rng, 300, 1, 2);
      const b = normalSample(rng, 300, 1, 2);
      const c = compareDistribution('q', a, b, { alphaPerTest: 0.05, atol: 0 });
      if (!c.pass) failures++;
      if (!c.checks[0].pass) meanFailures++;
    }
    expect(failures).toBeLessThan(80);
    // The mean test alone: Binomial(400, 0.05), mean 20, sd 4.4.
    expect(meanFailures).toBeGreaterThan(5);
    expect(meanFailures).toBeLessThan(38);
  });

  it('a shift of the reported detectable size is caught about 80 % of the time', () => {
    const rng = new Rng(12);
    const probe = compareDistribution('p', normalSample(rng, 500, 0, 1), normalSample(rng, 500, 0, 1), {
      alphaPerTest: 0.01,
      atol: 0,
    });
    const shift = probe.checks[0].detectable as number;
    expect(shift).toBeGreaterThan(0.15);
    expect(shift).toBeLessThan(0.3);
    let caught = 0;
    for (let k = 0; k < 200; k++) {
      const c = compareDistribution('s', normalSample(rng, 500, shift, 1), normalSample(rng, 500, 0, 1), {
        alphaPerTest: 0.01,
        atol: 0,
      });
      if (!c.checks[0].pass) caught++;
    }
    // Binomial(200, 0.8): mean 160, sd 5.7.
    expect(caught).toBeGreaterThan(140);
    expect(caught).toBeLessThan(180);
  });

  it('a doubled std and a changed shape are caught', () => {
    const rng = new Rng(13);
    const wide = compareDistribution('w', normalSample(rng, 1000, 0, 2), normalSample(rng, 1000, 0, 1), {
      alphaPerTest: 1e-4,
      atol: 0,
    });
    expect(wide.checks.find((c) => c.metric === 'std')?.pass).toBe(false);
    // Same mean and std, different shape: uniform vs normal.
    const u = new Float64Array(4000);
    rng.fillUniform(u, -Math.sqrt(3), Math.sqrt(3));
    const shape = compareDistribution('s', u, normalSample(rng, 4000, 0, 1), { alphaPerTest: 1e-4, atol: 0 });
    expect(shape.checks.find((c) => c.metric === 'mean')?.pass).toBe(true);
    expect(shape.checks.find((c) => c.metric === 'ks')?.pass).toBe(false);
  });

  it('a constant sample against one with a rare other value passes (variance test, not log-ratio)', () => {
    // A clipped output: 2000 draws at the bound on one side, one draw a level below on the other; the
    // rare level has probability ~1e-4 per draw, so 0 and 1 occurrences are both ordinary.
    const a = new Float64Array(2000).fill(11.744);
    const b = new Float64Array(2000).fill(11.744);
    b[17] = 11.698;
    expect(compareDistribution('c', a, b, { alphaPerTest: 1e-5, atol: 1e-6, rtol: 1e-5 }).pass).toBe(true);
  });

  it('deterministic equal values pass through the atol floor', () => {
    const a = Float64Array.of(0.5, 0.5, 0.5);
    const b = Float64Array.of(0.5000001, 0.5000001, 0.5000001);
    expect(compareDistribution('d', a, b, { alphaPerTest: 1e-3, atol: 1e-6 }).pass).toBe(true);
    expect(compareDistribution('d', a, b, { alphaPerTest: 1e-3, atol: 1e-9 }).pass).toBe(false);
  });
});

describe('seeds and exact', () => {
  it('Welch t-test on a few seeds', () => {
    const same = compareSeeds('acc', [0.81, 0.82, 0.8], [0.815, 0.805, 0.82], {
      alphaPerTest: 0.01,
      atol: 0,
    });
    expect(same.pass).toBe(true);
    const apart = compareSeeds('acc', [0.81, 0.82, 0.8, 0.81], [0.71, 0.7, 0.72, 0.71], {
      alphaPerTest: 0.01,
      atol: 0,
    });
    expect(apart.pass).toBe(false);
    expect(apart.ours.mean).toBeCloseTo(0.81, 10);
  });

  it('exact values within atol + rtol', () => {
    expect(compareExact('w', [1, 2, 3], [1, 2, 3.0000005], { alphaPerTest: 0, atol: 1e-6 }).pass).toBe(true);
    const off = compareExact('w', [1, 2, 3], [1, 2.1, 3], { alphaPerTest: 0, atol: 1e-6 });
    expect(off.pass).toBe(false);
    expect(off.checks[0].theirs).toBe(2.1);
  });
});
