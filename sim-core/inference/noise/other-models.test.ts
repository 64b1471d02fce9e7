import { Rng } from '../../random/rng';
import { rectifiedNormalMoments, sampleMean, sampleStd } from '../test-support/moments';
import { driftWeights, powerLawDrift, programWeights } from './noise-model';
import { RERAM_WAN2022_COEFFICIENTS, ReRamWan2022NoiseModel } from './reram-wan2022';
import { StateIndependentNoiseModel, type StateIndependentParameters } from './state-independent';

// Seconds on an idle machine; the shared 2-core machine can be several times slower.
jest.setTimeout(120000);

const generic: StateIndependentParameters = {
  prog_coeff: [0.2, 0, 0],
  prog_noise_scale: 1,
  drift_nu_mean: 0.1,
  drift_nu_std: 0.05,
  drift_scale: 1,
  t_0: 20,
  read_noise_scale: 1,
  t_read: 250e-9,
  converter: { g_max: 25, g_min: 0 },
};

const N = 200_000;
// Same tolerance reasoning as pcm-like.test.ts: ≈ 6–9 standard errors at N = 200 000.
const STD_TOL = 0.015;

describe('power-law drift (exact)', () => {
  it('ν 0.1, t_0 1, Δt 2 multiplies by 2^(−0.1)', () => {
    expect(powerLawDrift(1, 0.1, 2, 1)).toBe(Math.pow(2, -0.1));
    expect(powerLawDrift(0.7, 0.1, 2, 1)).toBeCloseTo(0.7 * 0.933033, 6);
  });

  it('through a noise model: ν fixed at 0.1, no read noise, t_0 1, read 1 s later (t = 2 t_0)', () => {
    const model = new StateIndependentNoiseModel({
      ...generic,
      prog_coeff: [0, 0, 0],
      drift_nu_std: 0,
      read_noise_scale: 0,
      t_0: 1,
    });
    const w = Float32Array.from([0.5, -0.25, 1, 0]);
    const programmed = programWeights(model, w, new Rng(1));
    expect(Array.from(programmed.programmed)).toEqual(Array.from(w));
    const drifted = driftWeights(model, programmed, 1, new Rng(2));
    // Every conductance drifts by the same factor, so the weights do too.
    for (let i = 0; i < w.length; i++) expect(drifted[i]).toBeCloseTo(w[i] * Math.pow(2, -0.1), 6);
  });

  it('does not drift before t_0', () => {
    expect(powerLawDrift(3, 0.1, 20, 20)).toBe(3);
  });
});

describe('StateIndependentNoiseModel', () => {
  it('programming noise is state independent with σ = c_0 = 0.2 µS', () => {
    const model = new StateIndependentNoiseModel(generic);
    for (const g of [5, 20]) {
      const out = model.programConductances(new Float64Array(N).fill(g), new Rng(31));
      expect(Math.abs(sampleStd(out) / 0.2 - 1)).toBeLessThan(STD_TOL);
    }
  });

  it('read noise is |g/g_max| × time factor, added in µS (AIHWKit as coded)', () => {
    const model = new StateIndependentNoiseModel(generic);
    const g = model.driftConductances(new Float64Array(N).fill(25), new Float64Array(N), 0, new Rng(32));
    // |g/g_max| = 1, so σ = 4.1838 µS and clipping at 0 matters: compare with the rectified normal.
    const expected = rectifiedNormalMoments(25, 4.1838);
    expect(Math.abs(sampleStd(g) / expected.std - 1)).toBeLessThan(STD_TOL);
  });

  it('draws ν = |0.1 + 0.05ξ| independent of the conductance', () => {
    const model = new StateIndependentNoiseModel(generic);
    const nu = model.driftParameters(new Float64Array(N).fill(1), new Rng(33));
    expect(sampleMean(nu)).toBeCloseTo(0.1, 2);
    expect(Math.min(...nu.subarray(0, 10000))).toBeGreaterThanOrEqual(0);
  });
});

describe('ReRamWan2022NoiseModel', () => {
  const model = new ReRamWan2022NoiseModel({
    coeff_dic: RERAM_WAN2022_COEFFICIENTS,
    converter: { g_max: 25, g_min: 0 },
    noise_scale: 1,
    coeff_g_max_reference: 25,
  });

  it('programs with the 1 s polynomial', () => {
    const gRel = 0.5;
    const out = model.programConductances(new Float64Array(N).fill(25 * gRel), new Rng(41));
    const c = RERAM_WAN2022_COEFFICIENTS['1'];
    const sigma = c[0] + c[1] * gRel + c[2] * gRel ** 2 + c[3] * gRel ** 3 + c[4] * gRel ** 4;
    const expected = rectifiedNormalMoments(12.5, sigma);
    expect(Math.abs(sampleStd(out) / expected.std - 1)).toBeLessThan(STD_TOL);
  });

  it('reads at a measured time by re-applying that polynomial to the targets', () => {
    const w = new Float32Array(2000);
    new Rng(42).fillNormal(w);
    const programmed = programWeights(model, w, new Rng(43));
    const a = driftWeights(model, programmed, 86400, new Rng(44));
    expect(a.length).toBe(w.length);
  });

  it('rejects a t_inference that is not a measured time, listing the valid ones', () => {
    const programmed = programWeights(model, new Float32Array([0.1, -0.2]), new Rng(45));
    expect(() => driftWeights(model, programmed, 0, new Rng(46))).toThrow(
      /t_inference must be one of the measured times \[1, 86400, 172800\] s \(got 0\)/,
    );
  });
});
