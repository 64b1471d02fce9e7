/**
 * Every preset that sim-core simulates builds its tiles and trains: a few SGD steps on a small layer
 * keep the weights finite, move them, and lower the loss of a fixed regression target on average.
 */
import * as tf from '@tensorflow/tfjs-core';
import {
  LayerSpec,
  RPU_CONFIG_PRESETS,
  RPU_CONFIG_PRESET_NAMES,
  UNSIMULATED_DEVICE_TYPES,
  AnalogSGDSpec,
} from './index';
import { Sequential } from '../layers/sequential';
import { AnalogLinear } from '../layers/analog-linear';
import { Rng } from '../random/rng';
import { useBackend } from '../test-utils/tensors';
import { regressionLoss } from '../training/losses';
import { AnalogSGD } from '../training/optimizer';

const simulated = RPU_CONFIG_PRESET_NAMES.filter((name) => {
  const c = RPU_CONFIG_PRESETS[name]();
  return !(
    c.type === 'UnitCellRPUConfig' && (UNSIMULATED_DEVICE_TYPES as readonly string[]).includes(c.device.type)
  );
});

beforeAll(() => useBackend('js'));

describe('presets build and train', () => {
  it('covers the simulated presets (all but the TTv2/chopped/AGAD families)', () => {
    expect(simulated.length).toBe(RPU_CONFIG_PRESET_NAMES.length - 18);
  });

  it.each(simulated)('%s', (name) => {
    const rng = new Rng(3);
    const model = Sequential.fromSpecs(
      [LayerSpec.parse({ type: 'AnalogLinear', in_features: 8, out_features: 4 })],
      RPU_CONFIG_PRESETS[name](),
      rng,
    );
    const layer = model.layers[0] as AnalogLinear;
    const before = layer.getWeights().weights;
    const optimizer = new AnalogSGD(AnalogSGDSpec.parse({ type: 'AnalogSGD', lr: 0.1 }), model);
    const x = tf.tensor2d(
      Array.from({ length: 16 }, (_, b) => Array.from({ length: 8 }, (_, j) => Math.sin(b + 0.7 * j))),
    );
    const y = tf.tensor2d(
      Array.from({ length: 16 }, (_, b) => Array.from({ length: 4 }, (_, i) => 0.3 * Math.cos(b - i))),
    );
    const losses: number[] = [];
    for (let step = 0; step < 30; step++) {
      const out = model.forward(x, { training: true, rng });
      const { loss, grad } = regressionLoss('MSELoss', out, y);
      losses.push(loss);
      model.backward(grad);
      optimizer.step();
      model.clearCache();
      tf.dispose([out, grad]);
    }
    const after = layer.getWeights().weights;
    expect(after.every(Number.isFinite)).toBe(true);
    expect(after.some((w, k) => w !== before[k])).toBe(true);
    // Noisy, coarse devices (PCM, ReRAM) learn slowly: compare the means of the first and last five steps.
    const head = losses.slice(0, 5).reduce((s, v) => s + v, 0) / 5;
    const tail = losses.slice(-5).reduce((s, v) => s + v, 0) / 5;
    expect(tail).toBeLessThan(head * 1.05);
    tf.dispose([x, y]);
    model.dispose();
  });
});
