/**
 * Hardware-aware training through the layers and TrainingSession: the periphery's exact behaviour on
 * an exact (FloatingPoint) config — learned out-scales and input range in forward, backward and
 * gradients — and InferenceRPUConfig training (modifier, clip, remap, StandardHWATrainingPreset) with
 * bit-for-bit resume.
 */
import * as tf from '@tensorflow/tfjs-core';
import { RPUConfig } from '../configs/rpu-config';
import { rpuConfigPreset } from '../configs/presets/configs';
import { TrainingSession } from '../experiment/training-session';
import { AnalogLinear } from '../layers/analog-linear';
import { fcMnistSpecs } from '../layers/reference-models';
import { Rng } from '../random/rng';
import { useBackend } from '../test-utils/tensors';

// Seconds on an idle machine; the shared 2-core machine can be several times slower.
jest.setTimeout(120000);

beforeAll(() => useBackend('js'));

function matrix(rng: Rng, rows: number, cols: number, lo = -1, hi = 1): Float32Array {
  const v = new Float32Array(rows * cols);
  rng.fillUniform(v, lo, hi);
  return v;
}

describe('tile periphery on an exact config', () => {
  it('learned out-scales: y = (x·Wᵀ)·a + b; ∂L/∂a = Σ dy·x·Wᵀ; dx = (dy·a)·W', () => {
    const config = RPUConfig.parse({
      type: 'FloatingPointRPUConfig',
      mapping: { learn_out_scaling: true, out_scaling_columnwise: true },
    });
    const layer = new AnalogLinear(4, 3, true, config, new Rng(1));
    const rng = new Rng(2);
    const w = matrix(rng, 3, 4);
    layer.setWeights(w);
    const a = Float32Array.of(0.5, 2, -1);
    const outScale = layer.parameters().find((p) => p.name.endsWith('out_scaling_alpha'));
    expect(outScale?.values.length).toBe(3);
    outScale?.values.set(a);
    const x = tf.tensor2d(matrix(rng, 5, 4), [5, 4]);
    const y = layer.forward(x, { training: true, rng });
    const wt = tf.tensor2d(w, [3, 4]);
    const y0 = tf.matMul(x, wt, false, true);
    const bias = (layer.bias as { values: Float32Array }).values;
    const expected = tf.add(tf.mul(y0, tf.tensor2d(a, [1, 3])), tf.tensor1d(bias));
    expect(tf.max(tf.abs(tf.sub(y, expected))).dataSync()[0]).toBeLessThan(1e-5);
    const dy = tf.tensor2d(matrix(rng, 5, 3), [5, 3]);
    const dx = layer.backward(dy);
    const expectedDx = tf.matMul(tf.mul(dy, tf.tensor2d(a, [1, 3])), wt);
    expect(tf.max(tf.abs(tf.sub(dx, expectedDx))).dataSync()[0]).toBeLessThan(1e-5);
    const expectedGrad = tf.sum(tf.mul(dy, y0), 0).dataSync();
    outScale?.grad.forEach((g, k) => expect(g).toBeCloseTo(expectedGrad[k], 5));
  });

  it('input range: the tile sees clip(x)/r, the output is ×r, r learns from the clipped inputs', () => {
    const config = RPUConfig.parse({
      type: 'FloatingPointRPUConfig',
      pre_post: { input_range: { enable: true, init_from_data: 0, init_value: 0.5, decay: 0 } },
    });
    const layer = new AnalogLinear(4, 2, false, config, new Rng(1));
    const rng = new Rng(3);
    const w = matrix(rng, 2, 4);
    layer.setWeights(w);
    const xs = Float32Array.of(0.2, -0.9, 0.7, 0.1, -0.3, 0.45, 0.6, -0.55);
    const x = tf.tensor2d(xs, [2, 4]);
    const y = layer.forward(x, { training: true, rng });
    const clipped = tf.clipByValue(x, -0.5, 0.5);
    const expected = tf.matMul(clipped, tf.tensor2d(w, [2, 4]), false, true);
    expect(tf.max(tf.abs(tf.sub(y, expected))).dataSync()[0]).toBeLessThan(1e-6);
    const dy = tf.tensor2d([1, -1, 0.5, 2], [2, 2]);
    const dx = layer.backward(dy).dataSync();
    // ∂L/∂r = r·(Σ_{x ≥ r} min(dx, 0) − Σ_{x ≤ −r} max(dx, 0)) (gradient_relative, decay 0).
    let g = 0;
    xs.forEach((v, k) => {
      if (v >= 0.5) g += Math.min(dx[k], 0);
      if (v <= -0.5) g -= Math.max(dx[k], 0);
    });
    const r = layer.parameters().find((p) => p.name.endsWith('input_range'));
    expect(r?.grad[0]).toBeCloseTo(0.5 * g, 5);
  });
});

describe('hardware-aware training with InferenceRPUConfig', () => {
  const dataset = { name: 'mnist' as const, train_size: 256, test_size: 100 };

  it.each([
    [
      'ADD_NORMAL + clip + remap',
      {
        type: 'InferenceRPUConfig',
        modifier: { type: 'ADD_NORMAL', std_dev: 0.1 },
        clip: { type: 'FIXED_VALUE', fixed_value: 0.2 },
        remap: { type: 'CHANNELWISE_SYMMETRIC' },
      },
    ],
    ['StandardHWATrainingPreset', rpuConfigPreset('StandardHWATrainingPreset')],
  ])('%s: trains, and resumes bit for bit from a checkpoint', async (_name, rpu) => {
    const options = {
      model: fcMnistSpecs(true),
      rpu_config: rpu as RPUConfig,
      dataset,
      training: { batch_size: 32, epochs: 1, optimizer: { type: 'AnalogSGD' as const, lr: 0.1 } },
      seed: 5,
    };
    const session = await TrainingSession.create(options);
    const losses: number[] = [];
    await session.trainBatches(3, { onProgress: (p) => losses.push(p.loss as number) });
    const blob = session.checkpoint();
    await session.trainBatches(3);
    const resumed = await TrainingSession.restore(options, blob);
    await resumed.trainBatches(3);
    const a = session.exportWeights();
    const b = resumed.exportWeights();
    expect(b.layers.map((l) => Array.from(l.weights))).toEqual(a.layers.map((l) => Array.from(l.weights)));
    for (const l of a.layers) expect(l.weights.every(Number.isFinite)).toBe(true);
    // Remapping keeps every tile row at max |w| = 1; the logical weights carry the scales.
    const tiles = a.layers[0].tiles ?? [];
    expect(tiles.every((t) => t.mappingScales !== null)).toBe(true);
    expect(losses.every(Number.isFinite)).toBe(true);
    session.dispose();
    resumed.dispose();
  });
});
