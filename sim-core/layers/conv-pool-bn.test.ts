/**
 * conv2d (unfold + matmul), max/avg pooling and batch norm against PyTorch's outputs and
 * gradients (explicit backward functions) (fixture made by __fixtures__/make_torch_fixture.py with
 * torch 2.10), on the cpu and wasm backends with the typed-array ("js") and tfjs-op ("tf") kernels. Tolerance 1e-5 relative to the largest magnitude: float32 sums of ≤ 126 products, and the
 * fixture rounded to 7 significant digits.
 */
import * as tf from '@tensorflow/tfjs-core';
import { initBackend, setKernelMode } from '../backend/backend';
import fixture from './__fixtures__/torch-layers.json';
import { conv2dBackward, conv2dForward, toPair, unfold, type Conv2dGeometry } from './conv2d-unfold';
import { avgPool2d, maxPool2d, poolOutputLength, type PoolGeometry } from './pooling';
import {
  batchNormEval,
  batchNormEvalBackward,
  batchNormTrain,
  batchNormTrainBackward,
  initialBatchNormState,
  updateRunningStats,
} from './batchnorm';

// Seconds on an idle machine; the shared 2-core machine can be several times slower.
jest.setTimeout(120000);

interface Case {
  name: string;
  x: number[];
  x_shape: number[];
  params: { value: number[]; shape: number[] }[];
  y: number[];
  y_shape: number[];
  dx: number[];
  dparams: number[][];
}

const cases = fixture.cases as unknown as Case[];
const find = (name: string): Case => {
  const c = cases.find((k) => k.name === name);
  if (!c) throw new Error(`fixture case ${name} missing`);
  return c;
};

/** Max deviation relative to the largest expected magnitude (gradients reach O(10)). */
function expectClose(actual: ArrayLike<number>, expected: number[], tol = 1e-5): void {
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  let scale = 1;
  for (let i = 0; i < expected.length; i++) {
    worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
    scale = Math.max(scale, Math.abs(expected[i]));
  }
  expect(worst / scale).toBeLessThan(tol);
}

interface Pass {
  y: tf.Tensor;
  /** Gradients of Σ y·g in the input and the parameters, in the fixture's order. */
  backward(dy: tf.Tensor): tf.Tensor[];
}

/** Output and gradients of Σ y·g with g = linspace(−1, 1), as the fixture computed them. */
function run(
  c: Case,
  forward: (x: tf.Tensor4D, params: tf.Tensor[]) => Pass,
): { y: Float32Array; grads: Float32Array[] } {
  const x = tf.tensor4d(c.x, c.x_shape as [number, number, number, number]);
  const params = c.params.map((p) => tf.tensor(p.value, p.shape));
  const pass = forward(x, params);
  const g = tf.reshape(tf.linspace(-1, 1, c.y.length), c.y_shape);
  return {
    y: pass.y.dataSync() as Float32Array,
    grads: pass.backward(g).map((t) => t.dataSync() as Float32Array),
  };
}

const parse = (name: string, key: string): number | [number, number] => {
  const m = new RegExp(`${key}(\\(\\d+, \\d+\\)|\\d+)`).exec(name);
  if (!m) throw new Error(`no ${key} in ${name}`);
  const v = m[1];
  return v.startsWith('(')
    ? (JSON.parse(v.replace('(', '[').replace(')', ']')) as [number, number])
    : Number(v);
};

describe.each([
  ['cpu', 'js'],
  ['wasm', 'js'],
  ['wasm', 'tf'],
] as const)('layers on the %s backend, %s kernels', (backend, kernels) => {
  beforeAll(async () => {
    await initBackend({ backends: [backend] });
    setKernelMode(kernels);
  });
  afterAll(() => setKernelMode(null));

  const convCases = cases.filter((c) => c.name.startsWith('conv2d'));
  it.each(convCases.map((c) => [c.name]))('%s: output and gradients in x, weight, bias', (name) => {
    const c = find(name);
    const [o, , kh, kw] = c.params[0].shape;
    const geometry: Conv2dGeometry = {
      kernel: [kh, kw],
      stride: toPair(parse(name, ' s')),
      padding: toPair(parse(name, ' p')),
      dilation: toPair(parse(name, ' d')),
    };
    const { y, grads } = run(c, (x, [w, b]) => {
      const weight = tf.reshape(w, [o, -1]) as tf.Tensor2D;
      const f = conv2dForward(x, weight, b as tf.Tensor1D, geometry);
      return {
        y: f.y,
        backward: (dy) => {
          const d = conv2dBackward(dy as tf.Tensor4D, f.patches, weight, x.shape, geometry);
          return [d.dx, d.dWeight, d.dBias];
        },
      };
    });
    expectClose(y, c.y);
    expectClose(grads[0], c.dx);
    expectClose(grads[1], c.dparams[0]);
    expectClose(grads[2], c.dparams[1]);
  });

  it('unfold orders each patch channel-major (c, ki, kj), as torch unfold', () => {
    // 1×2×2×2 input, 2×2 kernel: one patch = all 8 values in NCHW order.
    const x = tf.tensor4d([1, 2, 3, 4, 5, 6, 7, 8], [1, 2, 2, 2]);
    const p = unfold(x, { kernel: [2, 2], stride: [1, 1], padding: [0, 0], dilation: [1, 1] });
    expect(p.shape).toEqual([1, 8]);
    expect(Array.from(p.dataSync())).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  const poolCases = cases.filter((c) => c.name.includes('pool2d'));
  it.each(poolCases.map((c) => [c.name]))('%s: output and input gradient', (name) => {
    const c = find(name);
    const geometry: PoolGeometry = {
      kernel: toPair(parse(name, ' k')),
      stride: toPair(parse(name, ' s')),
      padding: toPair(parse(name, ' p')),
      ceilMode: name.includes('ceilTrue'),
    };
    const { y, grads } = run(c, (x) => {
      const f = name.startsWith('max')
        ? maxPool2d(x, geometry)
        : avgPool2d(x, geometry, name.includes('cipTrue'));
      return { y: f.y, backward: (dy) => [f.backward(dy as tf.Tensor4D)] };
    });
    expect(y.length).toBe(c.y.length);
    expectClose(y, c.y);
    expectClose(grads[0], c.dx);
  });

  it('batch norm (training) matches torch in output and gradients, running statistics included', () => {
    const c = find('batch_norm train');
    const { y, grads } = run(c, (x, [g, b]) => {
      const p = { eps: 1e-5, momentum: 0.1, gamma: g as tf.Tensor1D, beta: b as tf.Tensor1D };
      const f = batchNormTrain(x, p);
      return {
        y: f.y,
        backward: (dy) => {
          const d = batchNormTrainBackward(dy as tf.Tensor4D, f, p);
          return [d.dx, d.dGamma as tf.Tensor, d.dBeta as tf.Tensor];
        },
      };
    });
    expectClose(y, c.y);
    expectClose(grads[0], c.dx);
    expectClose(grads[1], c.dparams[0]);
    expectClose(grads[2], c.dparams[1]);

    const state = initialBatchNormState(3);
    const x = tf.tensor4d(c.x, c.x_shape as [number, number, number, number]);
    const { mean, variance } = batchNormTrain(x, { eps: 1e-5, momentum: 0.1, gamma: null, beta: null });
    updateRunningStats(state, mean, variance, 2 * 7 * 6, 0.1);
    const running = cases.find((k) => k.name === 'batch_norm running stats') as unknown as {
      running_mean: number[];
      running_var: number[];
    };
    expectClose(state.runningMean.dataSync(), running.running_mean, 1e-5);
    expectClose(state.runningVar.dataSync(), running.running_var, 1e-5);
    expect(state.batchesTracked).toBe(1);
    // Evaluation uses the running statistics: (x − rm)/√(rv + eps).
    const e = batchNormEval(x, { eps: 1e-5, momentum: 0.1, gamma: null, beta: null }, state).dataSync();
    const hw = 7 * 6;
    const first = (c.x[0] - running.running_mean[0]) / Math.sqrt(running.running_var[0] + 1e-5);
    expect(e[0]).toBeCloseTo(first, 5);
    expect(e.length).toBe(2 * 3 * hw);
    // Its backward is the plain affine map: dx = γ·dy/√(rv + eps).
    const gamma = tf.tensor1d([2, 1, 1]);
    const d = batchNormEvalBackward(
      tf.onesLike(x),
      x,
      { eps: 1e-5, momentum: 0.1, gamma, beta: null },
      state,
    );
    expect(d.dx.dataSync()[0]).toBeCloseTo(2 / Math.sqrt(running.running_var[0] + 1e-5), 5);
    expect(d.dBeta).toBeNull();
  });
});

describe('pooling geometry', () => {
  it('follows PyTorch ceil_mode: the last window must start inside the input or left padding', () => {
    expect(poolOutputLength(7, 2, 2, 0, false)).toBe(3);
    expect(poolOutputLength(7, 2, 2, 0, true)).toBe(4);
    expect(poolOutputLength(6, 2, 2, 0, true)).toBe(3);
    expect(poolOutputLength(5, 3, 2, 1, true)).toBe(3);
  });

  it('rejects padding larger than half the kernel, naming the layer', () => {
    const x = tf.zeros([1, 1, 4, 4]) as tf.Tensor4D;
    expect(() => maxPool2d(x, { kernel: [2, 2], stride: [2, 2], padding: [2, 2], ceilMode: false })).toThrow(
      /MaxPool2d: padding/,
    );
  });
});
