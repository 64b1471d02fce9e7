/** Digital fully connected layer (torch.nn.Linear): y = x·Wᵀ + b, Kaiming-uniform initialisation. */
import * as tf from '@tensorflow/tfjs-core';
import type { StateRecord } from '../devices/device-array';
import type { Rng } from '../random/rng';
import {
  parameterState,
  restoreParameters,
  type DigitalParameter,
  type ExportedLayerWeights,
  type ForwardContext,
  type Layer,
} from './layer';

/** torch's Linear.reset_parameters: weights and bias uniform in ±1/sqrt(in_features). */
export function kaimingUniform(rng: Rng, count: number, inFeatures: number): Float32Array {
  const bound = 1 / Math.sqrt(inFeatures);
  const out = new Float32Array(count);
  for (let k = 0; k < count; k++) out[k] = (2 * rng.uniform() - 1) * bound;
  return out;
}

export function check2d(x: tf.Tensor, features: number, type: string): void {
  if (x.rank !== 2 || x.shape[1] !== features) {
    throw new Error(
      `${type} expects input [batch, ${features}], got [${x.shape.join(', ')}]` +
        (x.rank > 2 ? ' (add a Flatten layer before it)' : ''),
    );
  }
}

export class Linear implements Layer {
  readonly type = 'Linear';
  readonly weight: DigitalParameter;
  readonly bias: DigitalParameter | null;
  private input: tf.Tensor2D | null = null;

  constructor(
    readonly inFeatures: number,
    readonly outFeatures: number,
    hasBias: boolean,
    rng: Rng,
  ) {
    const w = kaimingUniform(rng, outFeatures * inFeatures, inFeatures);
    this.weight = { name: 'weight', values: w, grad: new Float32Array(w.length), momentum: null };
    this.bias = hasBias
      ? {
          name: 'bias',
          values: kaimingUniform(rng, outFeatures, inFeatures),
          grad: new Float32Array(outFeatures),
          momentum: null,
        }
      : null;
  }

  forward(x: tf.Tensor, ctx: ForwardContext): tf.Tensor {
    check2d(x, this.inFeatures, this.type);
    this.clearCache();
    if (ctx.training) this.input = tf.keep(tf.clone(x as tf.Tensor2D));
    return tf.tidy(() => {
      const w = tf.tensor2d(this.weight.values, [this.outFeatures, this.inFeatures]);
      const y = tf.matMul(x as tf.Tensor2D, w, false, true);
      return this.bias ? tf.add(y, tf.tensor1d(this.bias.values)) : y;
    });
  }

  backward(grad: tf.Tensor): tf.Tensor {
    this.backwardParameters(grad);
    return tf.tidy(() =>
      tf.matMul(grad as tf.Tensor2D, tf.tensor2d(this.weight.values, [this.outFeatures, this.inFeatures])),
    );
  }

  /** ∂L/∂W and ∂L/∂b (see Layer). */
  backwardParameters(grad: tf.Tensor): void {
    const x = this.input;
    if (!x) throw new Error('Linear.backward called without a training forward');
    tf.tidy(() => {
      const g = grad as tf.Tensor2D;
      this.weight.grad.set(tf.matMul(g, x, true, false).dataSync());
      if (this.bias) this.bias.grad.set(tf.sum(g, 0).dataSync());
    });
  }

  exportWeights(): ExportedLayerWeights {
    return {
      weights: this.weight.values.slice(),
      shape: [this.outFeatures, this.inFeatures],
      bias: this.bias ? this.bias.values.slice() : null,
    };
  }

  parameters(): DigitalParameter[] {
    return this.bias ? [this.weight, this.bias] : [this.weight];
  }

  getState(): StateRecord {
    return parameterState(this.parameters());
  }

  setState(state: StateRecord): void {
    restoreParameters(this.parameters(), state);
  }

  clearCache(): void {
    this.input?.dispose();
    this.input = null;
  }

  dispose(): void {
    this.clearCache();
  }
}
