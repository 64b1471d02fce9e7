/**
 * The noisy IO pipeline: moments of the output for input noise, output noise (global and per output),
 * weight noise (ADDITIVE_CONSTANT, PCM_READ) and stochastic rounding, for the typed-array and the tfjs
 * kernel — the two implementations agree in distribution with the closed-form moments.
 */
import * as tf from '@tensorflow/tfjs-core';
import { IOParameters, RPUConfig, type IOParametersInput } from '../configs';
import { Rng } from '../random/rng';
import { useBackend } from '../test-utils/tensors';
import { AnalogTile } from './analog-tile';

const W = [
  [0.2, -0.5, 0.3],
  [0.4, 0.1, -0.2],
];
const X = [0.5, -0.25, 0.7]; // exact outputs 0.435 and 0.035: away from rounding ties
const EXACT = W.map((row) => row.reduce((s, w, j) => s + w * X[j], 0));
const N = 4000;

/** Mean and std per output over N noisy forwards of the same input (one batch of N copies). */
function moments(io: IOParametersInput, seed = 1) {
  const config = RPUConfig.parse({ type: 'InferenceRPUConfig', forward: IOParameters.parse(io) });
  const tile = AnalogTile.fromRPUConfig(config, 2, 3, new Rng(seed));
  tile.setWeights(W.flat());
  const x = tf.tensor2d(Array.from({ length: N }, () => X));
  const y = tile.forward(x).arraySync() as number[][];
  tf.dispose([x]);
  return [0, 1].map((i) => {
    const v = y.map((row) => row[i]);
    const mean = v.reduce((s, a) => s + a, 0) / N;
    const std = Math.sqrt(v.reduce((s, a) => s + (a - mean) ** 2, 0) / N);
    return { mean, std };
  });
}

/** mean within 5 standard errors (std/√N) plus `bias`; std within 6 % (se of a std at N = 4000 is 1.1 %). */
function expectMoments(
  got: { mean: number; std: number }[],
  want: { mean: number; std: number }[],
  bias = 0,
) {
  got.forEach((g, i) => {
    const se = want[i].std / Math.sqrt(N);
    expect(Math.abs(g.mean - want[i].mean)).toBeLessThanOrEqual(5 * se + bias + 1e-6);
    expect(Math.abs(g.std - want[i].std)).toBeLessThanOrEqual(0.06 * want[i].std + 1e-6);
  });
}

const NOISE_OFF = {
  out_noise: 0,
  inp_res: -1,
  out_res: -1,
  noise_management: 'NONE',
  bound_management: 'NONE',
} as const;

describe.each(['js', 'tf'] as const)('IO noise moments (%s kernels)', (kernels) => {
  beforeAll(() => useBackend(kernels));

  it('output noise: y = Wx + σ_out·ξ', () => {
    expectMoments(
      moments({ ...NOISE_OFF, out_noise: 0.1 }),
      EXACT.map((m) => ({ mean: m, std: 0.1 })),
    );
  });

  it('output noise with noise management scales by α = max|x| (0.7)', () => {
    expectMoments(
      moments({ ...NOISE_OFF, out_noise: 0.1, noise_management: 'ABS_MAX' }),
      EXACT.map((m) => ({ mean: m, std: 0.07 })),
    );
  });

  it('input noise: std = σ_inp·‖w_i‖₂', () => {
    expectMoments(
      moments({ ...NOISE_OFF, inp_noise: 0.2 }),
      W.map((row, i) => ({ mean: EXACT[i], std: 0.2 * Math.hypot(...row) })),
    );
  });

  it('ADDITIVE_CONSTANT weight noise: std = w_noise·‖x‖₂', () => {
    expectMoments(
      moments({ ...NOISE_OFF, w_noise: 0.1, w_noise_type: 'ADDITIVE_CONSTANT' }),
      EXACT.map((m) => ({ mean: m, std: 0.1 * Math.hypot(...X) })),
    );
  });

  it('PCM_READ weight noise: std = w_noise·sqrt(Σ_j |w_ij|·x_j²)', () => {
    expectMoments(
      moments({ ...NOISE_OFF, w_noise: 0.1, w_noise_type: 'PCM_READ' }),
      W.map((row, i) => ({
        mean: EXACT[i],
        std: 0.1 * Math.sqrt(row.reduce((s, w, j) => s + Math.abs(w) * X[j] ** 2, 0)),
      })),
    );
  });

  it('per-output noise (out_noise_std) draws σ_i = |σ·(1 + out_noise_std·ξ_i)| once per output', () => {
    const io = IOParameters.parse({ ...NOISE_OFF, out_noise: 0.1, out_noise_std: 0.5 });
    const tile = AnalogTile.fromRPUConfig(
      RPUConfig.parse({ type: 'InferenceRPUConfig', forward: io }),
      2,
      3,
      new Rng(3),
    );
    const sigma = tile.forwardPipeline!.perOutput.outNoise!;
    expect(sigma.length).toBe(2);
    expectMoments(
      moments({ ...NOISE_OFF, out_noise: 0.1, out_noise_std: 0.5 }, 3),
      EXACT.map((m, i) => ({ mean: m, std: sigma[i] })),
    );
  });

  it('stochastic ADC rounding is unbiased; deterministic rounding is biased to the grid', () => {
    // out_res 0.05 over ±1 → step 0.1: 0.435 → 0.4 and 0.035 → 0 deterministically.
    const step = 0.1;
    const io = { ...NOISE_OFF, out_bound: 1, out_res: 0.05 };
    const det = moments(io);
    det.forEach((g, i) => {
      expect(g.std).toBe(0);
      expect(g.mean).toBeCloseTo(step * Math.round(EXACT[i] / step), 5);
    });
    const sto = moments({ ...io, out_sto_round: true });
    // Stochastic rounding: mean = exact value, std = step·sqrt(f(1−f)) with f the fractional position.
    sto.forEach((g, i) => {
      const f = EXACT[i] / step - Math.floor(EXACT[i] / step);
      const std = step * Math.sqrt(f * (1 - f));
      expect(Math.abs(g.mean - EXACT[i])).toBeLessThan((5 * std) / Math.sqrt(N) + 1e-6);
      expect(Math.abs(g.std - std)).toBeLessThan(0.06 * std);
    });
  });
});
