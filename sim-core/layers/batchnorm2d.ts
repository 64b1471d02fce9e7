/** BatchNorm2d layer (PyTorch semantics; the math is in batchnorm.ts). */
import * as tf from '@tensorflow/tfjs-core';
import type { BatchNorm2dSpec } from '../configs/layers';
import type { StateRecord } from '../devices/device-array';
import {
  batchNormEval,
  batchNormTrain,
  batchNormTrainBackward,
  initialBatchNormState,
  updateRunningStats,
  type BatchNormParams,
  type BatchNormState,
  type BatchNormTrainForward,
} from './batchnorm';
import { check4d } from './conv2d';
import {
  parameterState,
  restoreParameters,
  type DigitalParameter,
  type ExportedLayerWeights,
  type ForwardContext,
  type Layer,
} from './layer';

export class BatchNorm2d implements Layer {
  readonly type = 'BatchNorm2d';
  readonly gamma: DigitalParameter | null;
  readonly beta: DigitalParameter | null;
  readonly running: BatchNormState;
  private train: BatchNormTrainForward | null = null;

  constructor(readonly spec: BatchNorm2dSpec) {
    const c = spec.num_features;
    this.gamma = spec.affine
      ? { name: 'weight', values: new Float32Array(c).fill(1), grad: new Float32Array(c), momentum: null }
      : null;
    this.beta = spec.affine
      ? { name: 'bias', values: new Float32Array(c), grad: new Float32Array(c), momentum: null }
      : null;
    this.running = initialBatchNormState(c);
  }

  /** γ and β as tensors (the caller disposes). */
  private params(): BatchNormParams {
    return {
      eps: this.spec.eps,
      momentum: this.spec.momentum,
      gamma: this.gamma ? tf.tensor1d(this.gamma.values) : null,
      beta: this.beta ? tf.tensor1d(this.beta.values) : null,
    };
  }

  private static release(p: BatchNormParams): void {
    tf.dispose([p.gamma, p.beta].filter((t): t is tf.Tensor1D => t !== null));
  }

  forward(x: tf.Tensor, ctx: ForwardContext): tf.Tensor {
    const [n, , h, w] = check4d(x, this.spec.num_features, this.type);
    this.clearCache();
    const p = this.params();
    try {
      if (!ctx.training) return batchNormEval(x as tf.Tensor4D, p, this.running);
      const pass = batchNormTrain(x as tf.Tensor4D, p);
      updateRunningStats(this.running, pass.mean, pass.variance, n * h * w, this.spec.momentum);
      tf.dispose([pass.mean, pass.variance]);
      this.train = pass;
      return tf.clone(pass.y);
    } finally {
      BatchNorm2d.release(p);
    }
  }

  backward(grad: tf.Tensor): tf.Tensor {
    if (!this.train) throw new Error('BatchNorm2d.backward called without a training forward');
    const p = this.params();
    const g = batchNormTrainBackward(grad as tf.Tensor4D, this.train, p);
    BatchNorm2d.release(p);
    if (this.gamma && g.dGamma) this.gamma.grad.set(g.dGamma.dataSync());
    if (this.beta && g.dBeta) this.beta.grad.set(g.dBeta.dataSync());
    tf.dispose([g.dGamma, g.dBeta].filter((t): t is tf.Tensor1D => t !== null));
    return g.dx;
  }

  parameters(): DigitalParameter[] {
    return [this.gamma, this.beta].filter((p): p is DigitalParameter => p !== null);
  }

  /** γ as weights, β as bias, the running statistics as buffers. */
  exportWeights(): ExportedLayerWeights {
    const c = this.spec.num_features;
    return {
      weights: this.gamma ? this.gamma.values.slice() : new Float32Array(c).fill(1),
      shape: [c],
      bias: this.beta ? this.beta.values.slice() : null,
      buffers: {
        running_mean: this.running.runningMean.dataSync().slice() as Float32Array,
        running_var: this.running.runningVar.dataSync().slice() as Float32Array,
      },
    };
  }

  /** Loads exported γ, β and running statistics. */
  loadWeights(w: ExportedLayerWeights): void {
    const c = this.spec.num_features;
    if (w.weights.length !== c) throw new Error(`BatchNorm2d: ${w.weights.length} weights for ${c} features`);
    this.gamma?.values.set(w.weights);
    if (w.bias && this.beta) this.beta.values.set(w.bias);
    const mean = w.buffers?.running_mean;
    const variance = w.buffers?.running_var;
    if (!mean || !variance || mean.length !== c || variance.length !== c) {
      throw new Error(`BatchNorm2d: the exported weights lack running_mean/running_var of ${c} values`);
    }
    tf.tidy(() => {
      this.running.runningMean.assign(tf.tensor1d(mean));
      this.running.runningVar.assign(tf.tensor1d(variance));
    });
  }

  getState(): StateRecord {
    return {
      ...parameterState(this.parameters()),
      running_mean: this.running.runningMean.dataSync().slice() as Float32Array,
      running_var: this.running.runningVar.dataSync().slice() as Float32Array,
      num_batches_tracked: this.running.batchesTracked,
    };
  }

  setState(state: StateRecord): void {
    restoreParameters(this.parameters(), state);
    const c = this.spec.num_features;
    const mean = state.running_mean;
    const variance = state.running_var;
    const tracked = state.num_batches_tracked;
    if (
      !(mean instanceof Float32Array) ||
      mean.length !== c ||
      !(variance instanceof Float32Array) ||
      variance.length !== c
    ) {
      throw new Error(`BatchNorm2d state: running_mean/running_var must hold ${c} values`);
    }
    if (typeof tracked !== 'number') throw new Error('BatchNorm2d state: num_batches_tracked is missing');
    tf.tidy(() => {
      this.running.runningMean.assign(tf.tensor1d(mean));
      this.running.runningVar.assign(tf.tensor1d(variance));
    });
    this.running.batchesTracked = tracked;
  }

  clearCache(): void {
    if (this.train) tf.dispose([this.train.y, this.train.normalized, this.train.invStd]);
    this.train = null;
  }

  dispose(): void {
    this.clearCache();
    tf.dispose([this.running.runningMean, this.running.runningVar]);
  }
}
