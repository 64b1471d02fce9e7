/**
 * The typed-array ("js") and tfjs-op ("tf") versions of the modifier, clip and remap agree: the
 * modifiers draw the same deviates in the same order, so for one seed the results are equal up to
 * float32 rounding (1e-5 relative to max|W|).
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { Rng } from '../random/rng';
import { clipWeightsInPlace, remapWeightsInPlace } from './clip-remap-js';
import { clipWeights, DEFAULT_WEIGHT_CLIP, type WeightClipParams } from './weight-clip';
import { DEFAULT_WEIGHT_MODIFIER, modifyWeights, type WeightModifierParams } from './weight-modifier';
import { modifyWeightsArray } from './weight-modifier-js';
import { DEFAULT_WEIGHT_REMAP, remapWeights, type WeightRemapParams } from './weight-remap';

// Seconds on an idle machine; the shared 2-core machine can be several times slower.
jest.setTimeout(120000);

const ROWS = 30;
const COLS = 41;

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function weights(seed: number): Float32Array {
  const w = new Float32Array(ROWS * COLS);
  new Rng(seed).fillNormal(w);
  w[5] = 0; // an exact zero exercises the PCM_NOISE reset path
  return w;
}

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

const modifiers: Partial<WeightModifierParams>[] = [
  { type: 'ADD_NORMAL', std_dev: 0.1 },
  { type: 'MULT_NORMAL', std_dev: 0.05 },
  { type: 'DISCRETIZE', res: 1 / 14 },
  { type: 'DISCRETIZE', res: 0.1, sto_round: true },
  { type: 'DISCRETIZE_ADD_NORMAL', res: 0.1, std_dev: 0.02 },
  { type: 'DOREFA', res: 0.05, dorefa_clip: 0.6 },
  { type: 'POLY', std_dev: 0.5 },
  { type: 'PROG_NOISE', std_dev: 1 },
  { type: 'PCM_NOISE', std_dev: 1, pcm_t_inference: 3600 },
  {
    type: 'PCM_NOISE',
    std_dev: 1,
    pcm_zero_thres: 0.5,
    pcm_prob_at_reset: 0.05,
    pcm_prob_at_gmax: 0.05,
    pcm_prob_at_random: 0.05,
  },
  { type: 'DROP_CONNECT', pdrop: 0.2 },
  { type: 'ADD_NORMAL', std_dev: 0.1, pdrop: 0.1, copy_last_column: true },
  { type: 'ADD_NORMAL', std_dev: 0.1, rel_to_actual_wmax: false, assumed_wmax: 0.5 },
];

describe('js and tf weight modifiers agree for a seed', () => {
  it.each(modifiers.map((m) => [JSON.stringify(m), m]))('%s', (_name, m) => {
    const p = { ...DEFAULT_WEIGHT_MODIFIER, ...m } as WeightModifierParams;
    const w = weights(1);
    const viaJs = modifyWeightsArray(w, ROWS, COLS, p, new Rng(2));
    const viaTf = modifyWeights(tf.tensor2d(w, [ROWS, COLS]), p, new Rng(2)).dataSync();
    const scale = Math.max(...w.map(Math.abs));
    expect(maxDiff(viaJs, viaTf) / scale).toBeLessThan(1e-5);
  });
});

describe('js and tf clipping and remapping agree', () => {
  const clips: WeightClipParams[] = [
    { ...DEFAULT_WEIGHT_CLIP, type: 'FIXED_VALUE', fixed_value: 0.7 },
    { ...DEFAULT_WEIGHT_CLIP, type: 'LAYER_GAUSSIAN', sigma: 1.5 },
    { ...DEFAULT_WEIGHT_CLIP, type: 'LAYER_GAUSSIAN', sigma: 1.5, fixed_value: 0.5 },
    { ...DEFAULT_WEIGHT_CLIP, type: 'AVERAGE_CHANNEL_MAX' },
  ];
  it.each(clips.map((c) => [JSON.stringify(c), c]))('clip %s', (_n, c) => {
    const w = weights(3);
    const viaTf = clipWeights(tf.tensor2d(w, [ROWS, COLS]), c).dataSync();
    clipWeightsInPlace(w, ROWS, COLS, c);
    expect(maxDiff(w, viaTf)).toBeLessThan(1e-6);
  });

  const remaps: WeightRemapParams[] = [
    { ...DEFAULT_WEIGHT_REMAP, type: 'LAYERWISE_SYMMETRIC' },
    { ...DEFAULT_WEIGHT_REMAP, type: 'LAYERWISE_SYMMETRIC', remapped_wmax: 0.8 },
    { ...DEFAULT_WEIGHT_REMAP, type: 'CHANNELWISE_SYMMETRIC' },
    { ...DEFAULT_WEIGHT_REMAP, type: 'CHANNELWISE_SYMMETRIC', max_scale_range: 1.5, max_scale_ref: 0.2 },
  ];
  it.each(remaps.map((r) => [JSON.stringify(r), r]))('remap %s', (_n, r) => {
    const w = weights(4);
    const scales = Float32Array.from({ length: ROWS }, (_, i) => 0.5 + i / ROWS);
    const viaTf = remapWeights(tf.tensor2d(w, [ROWS, COLS]), tf.tensor1d(scales), r);
    remapWeightsInPlace(w, scales, ROWS, COLS, r);
    expect(maxDiff(w, viaTf.weights.dataSync())).toBeLessThan(1e-5);
    expect(maxDiff(scales, viaTf.scales.dataSync())).toBeLessThan(1e-5);
  });
});
