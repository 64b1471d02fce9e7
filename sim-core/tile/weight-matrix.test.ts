import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '../random/rng';
import { useBackend } from '../test-utils/tensors';
import { WeightMatrix } from './weight-matrix';

/** tfjs's own v·Wᵀ with an explicit Wᵀ: the result the forward product has always had. */
function reference(v: Float32Array, batch: number, w: Float32Array, out: number, inp: number, abs: boolean) {
  const wT = new Float32Array(inp * out);
  for (let i = 0; i < out; i++)
    for (let j = 0; j < inp; j++) wT[j * out + i] = abs ? Math.abs(w[i * inp + j]) : w[i * inp + j];
  const t = tf.tidy(() => tf.matMul(tf.tensor2d(v, [batch, inp]), tf.tensor2d(wT, [inp, out])));
  const y = t.dataSync() as Float32Array;
  t.dispose();
  return y;
}

/** Indices where a and b differ as float32 bit patterns (−0 ≠ +0). */
function differing(a: Float32Array, b: Float32Array): number[] {
  const out: number[] = [];
  for (let k = 0; k < a.length; k++) if (!Object.is(a[k], b[k])) out.push(k);
  return out;
}

describe.each(['wasm', 'cpu'] as const)('WeightMatrix forward product (%s backend)', (backend) => {
  let previous = '';
  beforeAll(async () => {
    await useBackend('js');
    await import('@tensorflow/tfjs-backend-cpu');
    previous = tf.getBackend();
    await tf.setBackend(backend);
  });
  afterAll(async () => {
    await tf.setBackend(previous);
  });

  // The forward product runs as (W·vᵀ)ᵀ the first time after the weights change and with a cached Wᵀ
  // after that: both must equal tfjs's v·Wᵀ bit for bit, or results would depend on the call history.
  it.each([
    [64, 784, 256],
    [64, 256, 128],
    [64, 128, 10],
    [37, 785, 257],
    [1, 300, 200],
  ])('batch %i, %i inputs → %i outputs: identical to v·Wᵀ on both paths', (batch, inp, out) => {
    const rng = new Rng(batch * 1000 + inp);
    const w = new Float32Array(out * inp);
    rng.fillUniform(w, -0.2, 0.2);
    const v = new Float32Array(batch * inp);
    rng.fillUniform(v, -1, 1);
    for (let k = 0; k < v.length; k += 7) v[k] = 0;
    const matrix = new WeightMatrix(out, inp, w);
    const mvm = matrix.forward();
    for (const abs of [false, true]) {
      const want = reference(v, batch, w, out, inp, abs);
      const product = (x: Float32Array, b: number) => (abs ? mvm.absProduct(x, b) : mvm.product(x, b));
      expect(differing(product(v, batch), want)).toEqual([]); // first use: (W·vᵀ)ᵀ
      expect(differing(product(v, batch), want)).toEqual([]); // second use: builds and keeps Wᵀ
      expect(differing(product(v, batch), want)).toEqual([]); // cached Wᵀ
    }
    matrix.data[0] += 0.01;
    matrix.touch();
    const changed = reference(v, batch, matrix.data, out, inp, false);
    expect(differing(mvm.product(v, batch), changed)).toEqual([]); // new version: (W·vᵀ)ᵀ again
    matrix.dispose();
  });
});
