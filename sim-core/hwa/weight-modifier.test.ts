import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { Rng } from '../random/rng';
import { sampleMean, sampleStd } from '../inference/test-support/moments';
import { DEFAULT_WEIGHT_MODIFIER, modifyWeights, type WeightModifierParams } from './weight-modifier';

// Seconds on an idle machine; the shared 2-core machine can be several times slower.
jest.setTimeout(120000);

let w: tf.Tensor2D;
let amax: number;

beforeAll(async () => {
  await tf.setBackend('cpu');
  w = randomMatrix(ROWS, COLS, 1);
  amax = tf.max(tf.abs(w)).dataSync()[0];
});

// 200×500 = 100 000 weights: the sample std of the added noise has a standard error of ≈ 0.22 %;
// 2 % relative tolerance is ≈ 9 standard errors.
const ROWS = 200;
const COLS = 500;

const modifier = (p: Partial<WeightModifierParams>): WeightModifierParams => ({
  ...DEFAULT_WEIGHT_MODIFIER,
  ...p,
});

function randomMatrix(rows: number, cols: number, seed: number): tf.Tensor2D {
  const v = new Float32Array(rows * cols);
  new Rng(seed).fillNormal(v);
  return tf.tensor2d(v, [rows, cols]);
}

describe('weight modifiers (C++ engine semantics)', () => {
  it('NONE returns an unchanged copy', () => {
    const out = modifyWeights(w, modifier({ type: 'NONE' }), new Rng(2));
    expect(out).not.toBe(w);
    expect(Array.from(out.dataSync())).toEqual(Array.from(w.dataSync()));
  });

  it('ADD_NORMAL adds N(0, (std_dev·max|W|)²)', () => {
    const out = modifyWeights(w, modifier({ type: 'ADD_NORMAL', std_dev: 0.1 }), new Rng(3));
    const diff = tf.sub(out, w).dataSync();
    expect(Math.abs(sampleStd(diff) / (0.1 * amax) - 1)).toBeLessThan(0.02);
    expect(Math.abs(sampleMean(diff))).toBeLessThan(0.02 * 0.1 * amax);
  });

  it('ADD_NORMAL relative to assumed_wmax when rel_to_actual_wmax is off', () => {
    const out = modifyWeights(
      w,
      modifier({ type: 'ADD_NORMAL', std_dev: 0.05, rel_to_actual_wmax: false, assumed_wmax: 2 }),
      new Rng(4),
    );
    expect(Math.abs(sampleStd(tf.sub(out, w).dataSync()) / 0.1 - 1)).toBeLessThan(0.02);
  });

  it('MULT_NORMAL multiplies by 1 + std_dev·max|W|·ξ (the C++ engine scales by amax)', () => {
    const ones = tf.ones([ROWS, COLS]) as tf.Tensor2D;
    const out = modifyWeights(ones, modifier({ type: 'MULT_NORMAL', std_dev: 0.2 }), new Rng(5));
    expect(Math.abs(sampleStd(out.dataSync()) / 0.2 - 1)).toBeLessThan(0.02);
  });

  it('DISCRETIZE rounds to steps of res·max|W|, half away from zero', () => {
    const x = tf.tensor2d([[1, 0.25, -0.25, 0.125, -0.6, 0.74]]);
    const out = modifyWeights(x, modifier({ type: 'DISCRETIZE', res: 0.5 }), new Rng(6));
    // amax 1, step 0.5: 0.25 → 0.5 and −0.25 → −0.5 (half away), 0.125 → 0, −0.6 → −0.5, 0.74 → 0.5.
    expect(Array.from(out.dataSync())).toEqual([1, 0.5, -0.5, 0, -0.5, 0.5]);
  });

  it('DISCRETIZE reads res > 1 as a number of steps', () => {
    const x = tf.tensor2d([[1, 0.3]]);
    const out = modifyWeights(x, modifier({ type: 'DISCRETIZE', res: 4 }), new Rng(6));
    expect(Array.from(out.dataSync())).toEqual([1, 0.25]);
  });

  it('DISCRETIZE with stochastic rounding is unbiased', () => {
    const x = tf.fill([ROWS, COLS], 0.3) as tf.Tensor2D;
    const withMax = tf.concat([x, tf.ones([ROWS, 1])], 1) as tf.Tensor2D;
    const out = modifyWeights(
      withMax,
      modifier({ type: 'DISCRETIZE', res: 0.5, sto_round: true }),
      new Rng(7),
    );
    const body = tf.slice(out, [0, 0], [ROWS, COLS]).dataSync();
    expect(new Set(body)).toEqual(new Set([0.5, 0]));
    // Each value is 0.5 with probability 0.6: mean 0.3, std of the mean 0.5·√(0.24/N) ≈ 0.0008.
    expect(sampleMean(body)).toBeCloseTo(0.3, 2);
  });

  it('DISCRETIZE_ADD_NORMAL discretizes, then adds noise', () => {
    const x = tf.tensor2d([[1, 0.3, -0.3]]);
    const quiet = modifyWeights(x, modifier({ type: 'DISCRETIZE_ADD_NORMAL', res: 0.5 }), new Rng(8));
    expect(Array.from(quiet.dataSync())).toEqual([1, 0.5, -0.5]);
    const noisy = modifyWeights(
      w,
      modifier({ type: 'DISCRETIZE_ADD_NORMAL', res: 0, std_dev: 0.1 }),
      new Rng(8),
    );
    expect(Math.abs(sampleStd(tf.sub(noisy, w).dataSync()) / (0.1 * amax) - 1)).toBeLessThan(0.02);
  });

  it('DOREFA quantizes tanh(w)·|dorefa_clip / tanh(amax)|', () => {
    const x = tf.tensor2d([[1, 0.5, -0.2]]);
    const out = modifyWeights(
      x,
      modifier({ type: 'DOREFA', res: 0.1, dorefa_clip: 0.6 }),
      new Rng(9),
    ).dataSync();
    const scale = 0.6 / Math.tanh(1);
    [1, 0.5, -0.2].forEach((v, i) => {
      const expected = Math.sign(v) * Math.floor(Math.abs(Math.tanh(v) * scale) / 0.1 + 0.5) * 0.1;
      expect(out[i]).toBeCloseTo(expected, 6);
    });
  });

  it('POLY noise has σ = std_dev·amax·Σ c_k (|w|/amax)^k', () => {
    const x = tf.fill([ROWS, COLS], 0.5) as tf.Tensor2D;
    const p = modifier({
      type: 'POLY',
      std_dev: 1,
      coeffs: [0.1, 0.2],
      rel_to_actual_wmax: false,
      assumed_wmax: 1,
    });
    const out = modifyWeights(x, p, new Rng(10));
    expect(Math.abs(sampleStd(out.dataSync()) / (0.1 + 0.2 * 0.5) - 1)).toBeLessThan(0.02);
  });

  it('PROG_NOISE keeps every weight sign', () => {
    const out = modifyWeights(w, modifier({ type: 'PROG_NOISE', std_dev: 25 }), new Rng(11)).dataSync();
    const src = w.dataSync();
    let flipped = 0;
    for (let i = 0; i < src.length; i++)
      if ((src[i] < 0 && out[i] > 0) || (src[i] >= 0 && out[i] < 0)) flipped++;
    expect(flipped).toBe(0);
  });

  it('DROP_CONNECT zeroes a fraction pdrop of the weights', () => {
    const out = modifyWeights(w, modifier({ type: 'DROP_CONNECT', pdrop: 0.3 }), new Rng(12)).dataSync();
    const src = w.dataSync();
    let dropped = 0;
    let changed = 0;
    for (let i = 0; i < out.length; i++) {
      if (out[i] === 0) dropped++;
      else if (out[i] !== src[i]) changed++;
    }
    expect(changed).toBe(0);
    // Binomial(100 000, 0.3): std of the fraction ≈ 0.0015; 0.01 is ≈ 7 standard deviations.
    expect(Math.abs(dropped / out.length - 0.3)).toBeLessThan(0.01);
  });

  it('copy_last_column restores the last column unmodified', () => {
    const out = modifyWeights(
      w,
      modifier({ type: 'ADD_NORMAL', std_dev: 0.5, pdrop: 0.5, copy_last_column: true }),
      new Rng(13),
    );
    const last = (t: tf.Tensor2D) => Array.from(tf.slice(t, [0, COLS - 1], [ROWS, 1]).dataSync());
    expect(last(out)).toEqual(last(w));
  });

  it('PCM_NOISE keeps signs, leaves zero weights at zero and has the programming spread at t = t_0', () => {
    const x = tf.concat(
      [tf.fill([ROWS, COLS], 0.5), tf.fill([ROWS, 1], -1), tf.zeros([ROWS, 1])],
      1,
    ) as tf.Tensor2D;
    const out = modifyWeights(x, modifier({ type: 'PCM_NOISE', std_dev: 1 }), new Rng(14));
    const body = tf.slice(out, [0, 0], [ROWS, COLS]).dataSync();
    expect(Array.from(tf.slice(out, [0, COLS + 1], [ROWS, 1]).dataSync()).every((v) => v === 0)).toBe(true);
    expect(Array.from(tf.slice(out, [0, COLS], [ROWS, 1]).dataSync()).every((v) => v <= 0)).toBe(true);
    // g = 12.5 µS: σ_prog = 0.26348 + 1.965·0.5 − 1.1731·0.25 = 0.9527 µS, and the 1/f noise at t_0
    // adds about |g|·Q_s(0.5)·4.1838 ≈ 0.72 µS: total ≈ 1.19 µS = 0.0478 in weight units.
    const sigma = Math.hypot(0.95271, 12.5 * 0.01381 * 4.1838) / 25;
    expect(Math.abs(sampleStd(body) / sigma - 1)).toBeLessThan(0.05);
    expect(Math.min(...body)).toBeGreaterThanOrEqual(0);
  });

  it('gives the same modified weights on the cpu and wasm backends for a seed', async () => {
    const p = modifier({ type: 'ADD_NORMAL', std_dev: 0.1, pdrop: 0.1 });
    const onCpu = Array.from(modifyWeights(w, p, new Rng(15)).dataSync());
    await tf.setBackend('wasm');
    const wOnWasm = tf.tensor2d(w.dataSync(), w.shape);
    const onWasm = Array.from(modifyWeights(wOnWasm, p, new Rng(15)).dataSync());
    await tf.setBackend('cpu');
    expect(Math.max(...onCpu.map((v, i) => Math.abs(v - onWasm[i])))).toBeLessThan(1e-6);
  });

  it('rejects an unknown type', () => {
    expect(() => modifyWeights(w, modifier({ type: 'GAUSS' as never }), new Rng(1))).toThrow(
      /unknown modifier "GAUSS"/,
    );
  });
});
