import { Rng } from '../../random/rng';
import { foldedNormalMoments, rectifiedNormalMoments, sampleMean, sampleStd } from '../test-support/moments';
import { driftWeights, programWeights, readNoiseTimeFactor } from './noise-model';
import {
  CustomDriftPcmLikeNoiseModel,
  PcmLikeNoiseModel,
  pcmDriftMoments,
  pcmReadNoiseQs,
  type PcmLikeParameters,
} from './pcm-like';

// Seconds on an idle machine; the shared 2-core machine can be several times slower.
jest.setTimeout(120000);

const defaults: PcmLikeParameters = {
  prog_coeff: [0.26348, 1.965, -1.1731],
  prog_coeff_g_max_reference: 25,
  converter: { g_max: 25, g_min: 0 },
  t_read: 250e-9,
  t_0: 20,
  prog_noise_scale: 1,
  read_noise_scale: 1,
  drift_scale: 1,
};

const N = 200_000;
const filled = (value: number, n = N): Float64Array => new Float64Array(n).fill(value);

/*
 * Tolerances: with N = 200 000 samples the standard error of a sample std is about σ/√(2N) ≈ 0.16 % of
 * σ for a normal (somewhat more for the rectified/folded normals, whose kurtosis is higher), and of a
 * sample mean σ/√N ≈ 0.22 % of σ. We accept 1.5 % relative deviation on std and 0.02·σ absolute on
 * means: about 6–9 standard errors, so a correct implementation fails with negligible probability
 * and a wrong coefficient (the smallest reference differences are several %) is caught.
 */
const STD_TOL = 0.015;

describe('PCMLikeNoiseModel: closed forms against the reference values of §5.3', () => {
  it('time factor sqrt(ln((t + t_read)/(2 t_read))) at t = t_inference + t_0', () => {
    const cases: [number, number][] = [
      [0, 4.1838],
      [1, 4.1897],
      [20, 4.2659],
      [3600, 4.7648],
      [86400, 5.0868],
      [1e5, 5.1012],
      [1e7, 5.5341],
    ];
    for (const [tInference, expected] of cases) {
      expect(readNoiseTimeFactor(tInference + 20, 250e-9)).toBeCloseTo(expected, 4);
    }
  });

  it('drift-exponent mean and std, read-noise Q_s and programming σ per g_rel', () => {
    const model = new PcmLikeNoiseModel(defaults);
    const table: [number, number, number, number, number][] = [
      // g_rel, μ_ν, σ_ν, Q_s, σ_prog (µS)
      [1e-3, 0.1, 0.045, 0.2, 0.26544],
      [0.01, 0.09578, 0.045, 0.17558, 0.28301],
      [0.1, 0.06009, 0.02288, 0.03931, 0.44825],
      [0.25, 0.049, 0.01143, 0.02167, 0.68141],
      [0.5, 0.049, 0.008, 0.01381, 0.95271],
      [1, 0.049, 0.008, 0.0088, 1.05538],
    ];
    for (const [gRel, mu, sd, qs, sigmaProg] of table) {
      const m = pcmDriftMoments(gRel);
      expect(m.mean).toBeCloseTo(mu, 5);
      expect(m.std).toBeCloseTo(sd, 5);
      expect(pcmReadNoiseQs(gRel)).toBeCloseTo(qs, 5);
      expect(model.programmingSigma(gRel * 25)).toBeCloseTo(sigmaProg, 5);
    }
  });
});

describe('PCMLikeNoiseModel: sampled statistics', () => {
  it.each([
    [0.01, 0.28301],
    [0.25, 0.68141],
    [1, 1.05538],
  ])('programming noise at g_rel %p has σ_prog %p µS (rectified at 0)', (gRel, sigmaProg) => {
    const model = new PcmLikeNoiseModel(defaults);
    const gT = 25 * gRel;
    const gProg = model.programConductances(filled(gT), new Rng(11));
    // g_prog = max(g_T + σξ, 0): at g_rel 0.01 about 19 % of draws are clipped, so compare with the
    // moments of the rectified normal built from the reference σ.
    const expected = rectifiedNormalMoments(gT, sigmaProg);
    expect(Math.abs(sampleStd(gProg) / expected.std - 1)).toBeLessThan(STD_TOL);
    expect(Math.abs(sampleMean(gProg) - expected.mean)).toBeLessThan(0.02 * sigmaProg);
  });

  it.each([
    [0.01, 0.09578, 0.045],
    [0.1, 0.06009, 0.02288],
    [1, 0.049, 0.008],
  ])('drift exponent at g_rel %p: ν = |μ + σξ| with μ %p, σ %p', (gRel, mu, sd) => {
    const model = new PcmLikeNoiseModel(defaults);
    const nu = model.driftParameters(filled(25 * gRel), new Rng(12));
    const expected = foldedNormalMoments(mu, sd);
    expect(Math.abs(sampleMean(nu) - expected.mean)).toBeLessThan(0.02 * sd);
    expect(Math.abs(sampleStd(nu) / expected.std - 1)).toBeLessThan(STD_TOL);
  });

  it.each([
    [0, 4.1838],
    [3600, 4.7648],
    [86400, 5.0868],
  ])('read noise at t_inference %p s has relative σ Q_s·%p', (tInference, factor) => {
    const model = new PcmLikeNoiseModel(defaults);
    // Zero drift exponents isolate the read noise; g_rel 0.5 keeps clipping at 0 negligible (>15σ).
    const gProg = filled(12.5);
    const g = model.driftConductances(gProg, new Float64Array(N), tInference, new Rng(13));
    const sigma = 0.01381 * factor;
    expect(Math.abs(sampleStd(g) / 12.5 / sigma - 1)).toBeLessThan(STD_TOL);
    expect(Math.abs(sampleMean(g) / 12.5 - 1)).toBeLessThan(0.02 * sigma);
  });

  it('drift follows (t/t_0)^(−ν) on the mean', () => {
    const model = new PcmLikeNoiseModel({ ...defaults, read_noise_scale: 0 });
    const g = model.driftConductances(filled(10, 4), filled(0.05, 4), 86400, new Rng(14));
    for (const v of g) expect(v).toBeCloseTo(10 * Math.pow(4321, -0.05), 10);
  });
});

describe('PCMLikeNoiseModel: program once, drift many times', () => {
  const weights = new Float32Array(512);
  new Rng(3).fillNormal(weights);

  it('is reproducible for a seed and each drift call starts from the programmed weights', () => {
    const model = new PcmLikeNoiseModel(defaults);
    const a = programWeights(model, weights, new Rng(7));
    const b = programWeights(model, weights, new Rng(7));
    expect(Array.from(a.programmed)).toEqual(Array.from(b.programmed));
    const random = new Rng(8);
    const d1 = driftWeights(model, a, 3600, random);
    const d2 = driftWeights(model, a, 3600, random);
    // Same programmed state, fresh read noise: close but not identical.
    expect(Array.from(d1)).not.toEqual(Array.from(d2));
    expect(sampleMean(d1.map((v, i) => Math.abs(v - d2[i])))).toBeLessThan(
      0.1 * sampleMean(weights.map(Math.abs)),
    );
  });

  it('programming noise is relative to the abs-max weight (conductance units scale with g_max)', () => {
    const model = new PcmLikeNoiseModel(defaults);
    const { programmed } = programWeights(model, weights, new Rng(9));
    const scaled = programWeights(
      model,
      weights.map((w) => 2 * w),
      new Rng(9),
    ).programmed;
    for (let i = 0; i < weights.length; i++) expect(scaled[i]).toBeCloseTo(2 * programmed[i], 5);
  });

  it('drift without compensation shrinks the weights on average', () => {
    const model = new PcmLikeNoiseModel(defaults);
    const p = programWeights(model, weights, new Rng(10));
    const early = sampleMean(driftWeights(model, p, 1, new Rng(1)).map(Math.abs));
    const late = sampleMean(driftWeights(model, p, 3.15e7, new Rng(1)).map(Math.abs));
    // One year: t/t_0 ≈ 1.6e6, so ν ≥ 0.049 (large conductances) gives a factor ≤ 0.50 and ν ≈ 0.1
    // (small ones) about 0.24; weighted towards the large weights the mean |W| ratio lies in between.
    expect(late / early).toBeLessThan(0.55);
    expect(late / early).toBeGreaterThan(0.3);
  });

  it('rejects a negative or non-finite t_inference', () => {
    const model = new PcmLikeNoiseModel(defaults);
    const p = programWeights(model, weights, new Rng(10));
    expect(() => driftWeights(model, p, -1, new Rng(1))).toThrow(/t_inference must be a finite number ≥ 0/);
  });
});

describe('CustomDriftPCMLikeNoiseModel', () => {
  // The drift table of AIHWKit's tests/test_inference.py::test_apply_custom_drift.
  const drift = { g_lst: [0, 10, 25], nu_mean_lst: [0.08, 0.05, 0.03], nu_std_lst: [0.03, 0.02, 0.01] };

  it('interpolates ν mean and std linearly over g', () => {
    const model = new CustomDriftPcmLikeNoiseModel(defaults, drift);
    // g = 17.5 µS: mean 0.04, std 0.015.
    const nu = model.driftParameters(filled(17.5), new Rng(21));
    const expected = foldedNormalMoments(0.04, 0.015);
    expect(Math.abs(sampleMean(nu) - expected.mean)).toBeLessThan(0.02 * 0.015);
    expect(Math.abs(sampleStd(nu) / expected.std - 1)).toBeLessThan(STD_TOL);
  });

  it('rejects a table that does not cover the converter range, or is not ascending', () => {
    expect(() => new CustomDriftPcmLikeNoiseModel(defaults, { ...drift, g_lst: [0, 10, 20] })).toThrow(
      /outside the drift model's range/,
    );
    expect(() => new CustomDriftPcmLikeNoiseModel(defaults, { ...drift, g_lst: [0, 30, 25] })).toThrow(
      /ascending/,
    );
  });
});

/*
 * The kernels skip work (ν's logarithm where both clamps hold, devices at 0 in drift) and clip without
 * branches; these compare them bit for bit with the plain per-device formulas on values that straddle
 * the short-cut boundaries, including ±0 and NaN.
 */
describe('PCMLikeNoiseModel kernels equal the per-device formulas exactly', () => {
  const model = new PcmLikeNoiseModel(defaults);
  const edge = Math.exp(-5);
  const gRelatives = [
    0,
    -0,
    NaN,
    1e-9,
    1e-7,
    edge * 0.999999,
    edge,
    edge * 1.000001,
    0.00762,
    0.2045,
    0.5,
    1,
    Infinity,
    -0.3,
  ];
  const gTarget = Float64Array.from(gRelatives, (r) => 25 * r);
  const same = (a: Float64Array, b: Float64Array) => expect(Array.from(a)).toEqual(Array.from(b));

  it('drift exponents: ν = |μ + σξ| with μ, σ from pcmDriftMoments', () => {
    const xi = new Float64Array(gTarget.length);
    new Rng(5).fillNormal(xi);
    const expected = gTarget.map((g, i) => {
      const { mean, std } = pcmDriftMoments(g / 25);
      return Math.abs(mean + std * xi[i]);
    });
    same(model.driftParameters(gTarget, new Rng(5)), expected);
  });

  it('programming: g_T + σ_prog·ξ clipped at 0 (NaN → 0)', () => {
    const xi = new Float64Array(gTarget.length);
    new Rng(6).fillNormal(xi);
    const expected = gTarget.map((g, i) => {
      const v = g + model.programmingSigma(g) * xi[i];
      return v > 0 ? v : 0;
    });
    same(model.programConductances(gTarget, new Rng(6)), expected);
    // Into a caller's buffer (stale contents are overwritten).
    same(model.programConductances(gTarget, new Rng(6), new Float64Array(gTarget.length).fill(7)), expected);
  });

  it('drift: devices at 0 stay at 0, the others drift with read noise', () => {
    const nu = model.driftParameters(gTarget, new Rng(8));
    const xi = new Float64Array(gTarget.length);
    new Rng(9).fillNormal(xi);
    const lnRatio = Math.log((86400 + 20) / 20);
    const noise = readNoiseTimeFactor(86400 + 20, 250e-9);
    const expected = gTarget.map((g, i) => {
      if (g === 0) return 0;
      const drifted = g * Math.exp(-nu[i] * lnRatio);
      const v = drifted + Math.abs(drifted) * noise * pcmReadNoiseQs(g / 25) * xi[i];
      return v > 0 ? v : 0;
    });
    const out = new Float64Array(gTarget.length).fill(7);
    same(model.driftConductances(gTarget, nu, 86400, new Rng(9), out), expected);
  });
});
