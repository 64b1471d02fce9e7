import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { clipWeights, DEFAULT_WEIGHT_CLIP } from './weight-clip';
import { DEFAULT_WEIGHT_REMAP, remapWeights } from './weight-remap';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const close = (actual: ArrayLike<number>, expected: number[], digits = 6): void => {
  expect(actual.length).toBe(expected.length);
  expected.forEach((e, i) => expect(actual[i]).toBeCloseTo(e, digits));
};

describe('weight remapping (AIHWKit tests/test_inference_tiles.py parity cases)', () => {
  it('LAYERWISE_SYMMETRIC of [[0.1,0.2,0.3],[0.4,0.5,0.6]] gives scale 0.6 and tile weights W/0.6', () => {
    const w = tf.tensor2d([
      [0.1, 0.2, 0.3],
      [0.4, 0.5, 0.6],
    ]);
    const { weights, scales } = remapWeights(w, tf.ones([2]) as tf.Tensor1D, {
      ...DEFAULT_WEIGHT_REMAP,
      type: 'LAYERWISE_SYMMETRIC',
    });
    close(scales.dataSync(), [0.6, 0.6]);
    close(
      weights.dataSync(),
      [0.1, 0.2, 0.3, 0.4, 0.5, 0.6].map((v) => v / 0.6),
    );
    // The logical weights W·scale are unchanged.
    close(tf.mul(weights, tf.reshape(scales, [2, 1])).dataSync(), [0.1, 0.2, 0.3, 0.4, 0.5, 0.6]);
  });

  it('CHANNELWISE_SYMMETRIC of [[−0.7,0.2,0.3],[0.4,0.5,0.6]] gives scales [0.7, 0.6], every row max 1', () => {
    const w = tf.tensor2d([
      [-0.7, 0.2, 0.3],
      [0.4, 0.5, 0.6],
    ]);
    const { weights, scales } = remapWeights(w, tf.ones([2]) as tf.Tensor1D, {
      ...DEFAULT_WEIGHT_REMAP,
      type: 'CHANNELWISE_SYMMETRIC',
    });
    close(scales.dataSync(), [0.7, 0.6]);
    close(tf.max(tf.abs(weights), 1).dataSync(), [1, 1]);
  });

  it('CHANNELWISE with max_scale_range caps the scales at min_scale·range and keeps W·scale', () => {
    const w = tf.tensor2d([
      [0.1, 0.05],
      [4, 1],
    ]);
    const { weights, scales } = remapWeights(w, tf.tensor1d([1, 1]), {
      ...DEFAULT_WEIGHT_REMAP,
      type: 'CHANNELWISE_SYMMETRIC',
      max_scale_range: 2,
    });
    // Row 0: 0.1·1 = 0.1 < 2·1 kept; row 1: 4 > cap 2 → 2.
    close(scales.dataSync(), [0.1, 2]);
    close(tf.mul(weights, tf.reshape(scales, [2, 1])).dataSync(), [0.1, 0.05, 4, 1], 5);
  });

  it('leaves an all-zero row alone (factor 1)', () => {
    const { scales } = remapWeights(tf.zeros([1, 3]) as tf.Tensor2D, tf.tensor1d([2]), {
      ...DEFAULT_WEIGHT_REMAP,
      type: 'CHANNELWISE_SYMMETRIC',
    });
    close(scales.dataSync(), [2]);
  });
});

describe('weight clipping', () => {
  const w = tf.tensor2d([
    [-0.7, 0.2, 0.3],
    [0.4, 0.5, 0.6],
  ]);

  it('FIXED_VALUE 0.3 gives max|W| = 0.3', () => {
    const out = clipWeights(w, { ...DEFAULT_WEIGHT_CLIP, type: 'FIXED_VALUE', fixed_value: 0.3 });
    expect(tf.max(tf.abs(out)).dataSync()[0]).toBeCloseTo(0.3, 7);
    close(out.dataSync(), [-0.3, 0.2, 0.3, 0.3, 0.3, 0.3]);
  });

  it('FIXED_VALUE with the default −1 does not clip', () => {
    close(
      clipWeights(w, { ...DEFAULT_WEIGHT_CLIP, type: 'FIXED_VALUE' }).dataSync(),
      [-0.7, 0.2, 0.3, 0.4, 0.5, 0.6],
    );
  });

  it('LAYER_GAUSSIAN clips at σ·std(W) (unbiased), limited by fixed_value if > 0', () => {
    const values = [-0.7, 0.2, 0.3, 0.4, 0.5, 0.6];
    const mean = values.reduce((a, b) => a + b) / 6;
    const std = Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / 5);
    const out = clipWeights(w, { type: 'LAYER_GAUSSIAN', sigma: 1, fixed_value: -1 });
    expect(tf.max(tf.abs(out)).dataSync()[0]).toBeCloseTo(std, 6);
    const limited = clipWeights(w, { type: 'LAYER_GAUSSIAN', sigma: 1, fixed_value: 0.1 });
    expect(tf.max(tf.abs(limited)).dataSync()[0]).toBeCloseTo(0.1, 7);
  });

  it('AVERAGE_CHANNEL_MAX clips at the mean of the row abs-maxima', () => {
    const out = clipWeights(w, { type: 'AVERAGE_CHANNEL_MAX', sigma: 2.5, fixed_value: -1 });
    close(out.dataSync(), [-0.65, 0.2, 0.3, 0.4, 0.5, 0.6]);
  });
});
