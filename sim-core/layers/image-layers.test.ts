/**
 * The image layers inside sequential models: digital Conv2d against the unfold functions, AnalogConv2d
 * with an exact (FloatingPoint) config against Conv2d — forward, input gradient and one SGD step —
 * also when split over several tiles, LeNet5 built from specs (analog or digital per layer), and state
 * round trips.
 */
import * as tf from '@tensorflow/tfjs-core';
import { LayerSpec, RPUConfig, type LayerSpecInput } from '../configs';
import { Rng } from '../random/rng';
import { useBackend } from '../test-utils/tensors';
import { AnalogSGD } from '../training/optimizer';
import { AnalogSGDSpec } from '../configs/training';
import { classificationLoss } from '../training/losses';
import { Sequential } from './all-layers';
import { AnalogConv2d, Conv2d } from './conv2d';
import { BatchNorm2d } from './batchnorm2d';
import { lenet5Specs } from './reference-models';
import type { Conv2dGeometry } from './conv2d-unfold';

// Seconds on an idle machine; the shared 2-core machine can be several times slower.
jest.setTimeout(120000);

const fp = RPUConfig.parse({ type: 'FloatingPointRPUConfig' });
const parse = (specs: LayerSpecInput[]) => specs.map((s) => LayerSpec.parse(s));

function input(rng: Rng, shape: [number, number, number, number]): tf.Tensor4D {
  const v = new Float32Array(shape.reduce((a, b) => a * b));
  rng.fillNormal(v);
  return tf.tensor4d(v, shape);
}

function maxDiff(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);
}

describe.each(['js', 'tf'] as const)('image layers (%s kernels)', (kernels) => {
  beforeAll(() => useBackend(kernels));

  it.each([
    ['one tile', 512],
    ['split over tiles (max_input_size 20)', 20],
  ])('AnalogConv2d with an exact config equals Conv2d: forward, backward, SGD step (%s)', (_name, maxIn) => {
    const config = RPUConfig.parse({
      type: 'FloatingPointRPUConfig',
      mapping: { max_input_size: maxIn, max_output_size: 3 },
    });
    const g: Conv2dGeometry = { kernel: [3, 3], stride: [2, 1], padding: [1, 1], dilation: [1, 1] };
    const digital = new Conv2d(4, 5, g, true, new Rng(1));
    const analog = new AnalogConv2d(4, 5, g, true, config, new Rng(2));
    expect(analog.core.tiles.length * analog.core.tiles[0].length).toBe(maxIn === 20 ? 2 * 2 : 2);
    analog.setWeights(digital.weight.values, digital.bias?.values ?? null);
    const rng = new Rng(3);
    const x = input(rng, [2, 4, 7, 6]);
    const ctx = { training: true, rng };
    const yd = digital.forward(x, ctx);
    const ya = analog.forward(x, ctx);
    expect(maxDiff(yd, ya)).toBeLessThan(1e-5);
    const grad = input(rng, yd.shape as [number, number, number, number]);
    expect(maxDiff(digital.backward(grad), analog.backward(grad))).toBeLessThan(1e-5);
    // One SGD step, lr 0.1, on both.
    const optD = new AnalogSGD(
      AnalogSGDSpec.parse({ type: 'AnalogSGD', lr: 0.1 }),
      new Sequential([digital]),
    );
    const optA = new AnalogSGD(AnalogSGDSpec.parse({ type: 'AnalogSGD', lr: 0.1 }), new Sequential([analog]));
    optD.step();
    optA.step();
    const after = analog.getWeights();
    let worst = 0;
    digital.weight.values.forEach((v, k) => (worst = Math.max(worst, Math.abs(v - after.weights[k]))));
    expect(worst).toBeLessThan(1e-5);
    expect(
      Math.abs((after.bias as Float32Array)[0] - (digital.bias as { values: Float32Array }).values[0]),
    ).toBeLessThan(1e-6);
  });

  it('LeNet5 builds from specs (analog or digital), trains a step and restores its state', () => {
    for (const analog of [true, false]) {
      const model = Sequential.fromSpecs(parse(lenet5Specs(analog)), fp, new Rng(4));
      const rng = new Rng(5);
      const x = input(rng, [8, 1, 28, 28]);
      const labels = Int32Array.from({ length: 8 }, (_, k) => k % 10);
      const ctx = { training: true, rng };
      const out = model.forward(x, ctx);
      expect(out.shape).toEqual([8, 10]);
      const first = classificationLoss('NLLLoss', out, labels);
      model.backward(first.grad);
      const opt = new AnalogSGD(AnalogSGDSpec.parse({ type: 'AnalogSGD', lr: 0.1 }), model);
      opt.step();
      const state = model.getState();
      const second = classificationLoss('NLLLoss', model.forward(x, ctx), labels);
      expect(second.loss).toBeLessThan(first.loss);
      const copy = Sequential.fromSpecs(parse(lenet5Specs(analog)), fp, new Rng(99));
      copy.setState(state);
      const eval1 = model.forward(x, { training: false, rng });
      const eval2 = copy.forward(x, { training: false, rng });
      expect(maxDiff(eval1, eval2)).toBe(0);
    }
  });

  it('pooling and batch norm layers run in a model and round-trip their state', () => {
    const specs = parse([
      { type: 'Conv2d', in_channels: 1, out_channels: 3, kernel_size: 3, padding: 1 },
      { type: 'BatchNorm2d', num_features: 3 },
      { type: 'ReLU' },
      { type: 'AvgPool2d', kernel_size: 3, stride: 2, padding: 1, ceil_mode: true, count_include_pad: false },
      { type: 'MaxPool2d', kernel_size: 2, ceil_mode: true },
      { type: 'Flatten' },
      { type: 'Linear', in_features: 3 * 2 * 2, out_features: 4 },
      { type: 'LogSoftmax' },
    ]);
    const model = Sequential.fromSpecs(specs, fp, new Rng(6));
    const rng = new Rng(7);
    const x = input(rng, [4, 1, 7, 7]);
    const out = model.forward(x, { training: true, rng });
    expect(out.shape).toEqual([4, 4]);
    model.backward(classificationLoss('NLLLoss', out, Int32Array.of(0, 1, 2, 3)).grad);
    const bn = model.layers[1] as BatchNorm2d;
    expect(bn.running.batchesTracked).toBe(1);
    const copy = Sequential.fromSpecs(specs, fp, new Rng(8));
    copy.setState(model.getState());
    expect(
      maxDiff(model.forward(x, { training: false, rng }), copy.forward(x, { training: false, rng })),
    ).toBe(0);
  });

  it('rejects an input of the wrong shape, naming the layer', () => {
    const model = Sequential.fromSpecs(parse(lenet5Specs(false)), fp, new Rng(9));
    expect(() => model.forward(tf.zeros([2, 784]), { training: false, rng: new Rng(1) })).toThrow(
      /Conv2d expects input \[batch, 1, height, width\], got \[2, 784\]/,
    );
  });
});
