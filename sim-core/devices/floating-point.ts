/**
 * Floating-point device array (FloatingPointDevice, and the IdealDevice of InferenceRPUConfig): exact
 * SGD updates W ← W − λ Σ d xᵀ, optional decay (lifetime) and diffusion, no bounds.
 */
import type * as tf from '@tensorflow/tfjs-core';
import type { FloatingPointDevice, IdealDevice } from '../configs/devices';
import type { UpdateParameters } from '../configs/update';
import type { Rng } from '../random/rng';
import { WeightMatrix } from '../tile/weight-matrix';
import { restoreArray, type DeviceArray, type StateRecord } from './device-array';

export class FloatingPointArray implements DeviceArray {
  readonly weights: WeightMatrix;

  constructor(
    readonly config: FloatingPointDevice | IdealDevice,
    readonly rows: number,
    readonly cols: number,
  ) {
    this.weights = new WeightMatrix(rows, cols);
  }

  /** Not pulsed: ε only matters to pulse trains; report 0. */
  granularity(): number {
    return 0;
  }

  update(
    x: Float32Array,
    d: Float32Array,
    batch: number,
    lr: number,
    _up: UpdateParameters,
    _rng: Rng,
  ): void {
    const { rows, cols } = this;
    const w = this.weights.data;
    for (let b = 0; b < batch; b++) {
      for (let i = 0; i < rows; i++) {
        const g = lr * d[b * rows + i];
        if (g === 0) continue;
        const base = i * cols;
        const xo = b * cols;
        for (let j = 0; j < cols; j++) w[base + j] -= g * x[xo + j];
      }
    }
    this.weights.touch();
  }

  updateTf(x: tf.Tensor2D, d: tf.Tensor2D, lr: number, up: UpdateParameters, rng: Rng): void {
    this.update(x.dataSync() as Float32Array, d.dataSync() as Float32Array, x.shape[0], lr, up, rng);
  }

  setWeights(values: ArrayLike<number>, _rng: Rng): void {
    this.weights.set(values);
  }

  postUpdateStep(rng: Rng): void {
    if (this.config.diffusion > 0) this.diffuseWeights(rng);
    if (this.config.lifetime > 0) this.decayWeights(rng);
  }

  decayWeights(_rng: Rng, alpha = 1): void {
    const L = this.config.lifetime;
    if (!(L > 0)) return;
    const delta = L > 1 ? 1 - 1 / L : 0;
    const f = 1 + alpha * (delta - 1);
    const w = this.weights.data;
    for (let k = 0; k < w.length; k++) w[k] *= f;
    this.weights.touch();
  }

  diffuseWeights(rng: Rng): void {
    const s = this.config.diffusion;
    if (!(s > 0)) return;
    const w = this.weights.data;
    for (let k = 0; k < w.length; k++) w[k] += s * rng.normal();
    this.weights.touch();
  }

  resetColumns(columns: number[], rng: Rng): void {
    const w = this.weights.data;
    const std = 'reset_std' in this.config ? this.config.reset_std : 0;
    for (const j of columns) for (let i = 0; i < this.rows; i++) w[i * this.cols + j] = std * rng.normal();
    this.weights.touch();
  }

  getState(): StateRecord {
    return { weights: this.weights.data.slice() };
  }

  setState(state: StateRecord): void {
    restoreArray(this.weights.data, state, 'weights');
    this.weights.touch();
  }

  dispose(): void {
    this.weights.dispose();
  }
}
