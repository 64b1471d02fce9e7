/**
 * BatchNorm2d with PyTorch's semantics on NCHW tensors: in training, normalize with the batch mean
 * and biased variance over (N, H, W) and move the running statistics by `momentum` (the running
 * variance takes the unbiased batch variance); in evaluation, normalize with the running statistics.
 */
import * as tf from '@tensorflow/tfjs-core';

/** Running statistics, kept on the backend (tensors) so a GPU step needs no host sync. */
export interface BatchNormState {
  runningMean: tf.Variable<tf.Rank.R1>;
  runningVar: tf.Variable<tf.Rank.R1>;
  /** Mini-batches seen in training (PyTorch's num_batches_tracked). */
  batchesTracked: number;
}

export function initialBatchNormState(numFeatures: number): BatchNormState {
  return {
    runningMean: tf.variable(tf.zeros([numFeatures]), false) as tf.Variable<tf.Rank.R1>,
    runningVar: tf.variable(tf.ones([numFeatures]), false) as tf.Variable<tf.Rank.R1>,
    batchesTracked: 0,
  };
}

const perChannel = (v: tf.Tensor): tf.Tensor => tf.reshape(v, [1, -1, 1, 1]);

export interface BatchNormParams {
  eps: number;
  momentum: number;
  /** [C] scale γ and shift β, or null when affine = false. */
  gamma: tf.Tensor1D | null;
  beta: tf.Tensor1D | null;
}

export interface BatchNormTrainForward {
  y: tf.Tensor4D;
  /** Batch mean and biased variance per channel. */
  mean: tf.Tensor1D;
  variance: tf.Tensor1D;
  /** What the backward pass needs: the normalized input and 1/√(var + eps). */
  normalized: tf.Tensor4D;
  invStd: tf.Tensor1D;
}

/** Training-mode forward; the caller moves the running statistics with `updateRunningStats`. */
export function batchNormTrain(x: tf.Tensor4D, p: BatchNormParams): BatchNormTrainForward {
  const [n, , h, w] = x.shape;
  if (n * h * w < 2) {
    throw new Error(
      `BatchNorm2d: expected more than 1 value per channel when training (got input ${x.shape.join('×')})`,
    );
  }
  return tf.tidy(() => {
    const { mean, variance } = tf.moments(x, [0, 2, 3]);
    const invStd = tf.rsqrt(tf.add(variance, p.eps)) as tf.Tensor1D;
    const normalized = tf.mul(tf.sub(x, perChannel(mean)), perChannel(invStd)) as tf.Tensor4D;
    return {
      y: affine(normalized, p) as tf.Tensor4D,
      mean: mean as tf.Tensor1D,
      variance: variance as tf.Tensor1D,
      normalized,
      invStd,
    };
  });
}

export interface BatchNormGradients {
  dx: tf.Tensor4D;
  /** null when affine = false. */
  dGamma: tf.Tensor1D | null;
  dBeta: tf.Tensor1D | null;
}

/**
 * Backward of the training-mode forward (batch statistics depend on x):
 * dx = invStd/N · (N·dx̂ − Σdx̂ − x̂·Σ(dx̂·x̂)) with dx̂ = γ·dy, sums over (N, H, W).
 */
export function batchNormTrainBackward(
  dy: tf.Tensor4D,
  forward: BatchNormTrainForward,
  p: BatchNormParams,
): BatchNormGradients {
  const xhat = forward.normalized;
  const dx = tf.tidy(() => {
    const [n, , h, w] = dy.shape;
    const count = n * h * w;
    const dxhat = p.gamma ? tf.mul(dy, perChannel(p.gamma)) : dy;
    const sumDxhat = perChannel(tf.sum(dxhat, [0, 2, 3]));
    const sumDxhatXhat = perChannel(tf.sum(tf.mul(dxhat, xhat), [0, 2, 3]));
    return tf.mul(
      tf.sub(tf.sub(tf.mul(dxhat, count), sumDxhat), tf.mul(xhat, sumDxhatXhat)),
      tf.div(perChannel(forward.invStd), count),
    ) as tf.Tensor4D;
  });
  return { dx, ...affineGradients(dy, xhat, p) };
}

function affineGradients(
  dy: tf.Tensor4D,
  xhat: tf.Tensor4D,
  p: BatchNormParams,
): Pick<BatchNormGradients, 'dGamma' | 'dBeta'> {
  const axes = [0, 2, 3];
  return {
    dGamma: p.gamma ? tf.tidy(() => tf.sum(tf.mul(dy, xhat), axes) as tf.Tensor1D) : null,
    dBeta: p.beta ? (tf.sum(dy, axes) as tf.Tensor1D) : null,
  };
}

/** Backward of the evaluation-mode forward (running statistics are constants). */
export function batchNormEvalBackward(
  dy: tf.Tensor4D,
  x: tf.Tensor4D,
  p: BatchNormParams,
  state: BatchNormState,
): BatchNormGradients {
  const invStd = tf.tidy(() => perChannel(tf.rsqrt(tf.add(state.runningVar, p.eps))));
  const xhat = tf.tidy(() => tf.mul(tf.sub(x, perChannel(state.runningMean)), invStd) as tf.Tensor4D);
  const dx = tf.tidy(() => tf.mul(p.gamma ? tf.mul(dy, perChannel(p.gamma)) : dy, invStd) as tf.Tensor4D);
  const grads = affineGradients(dy, xhat, p);
  tf.dispose([invStd, xhat]);
  return { dx, ...grads };
}

export function batchNormEval(x: tf.Tensor4D, p: BatchNormParams, state: BatchNormState): tf.Tensor4D {
  return tf.tidy(() => {
    const mean = perChannel(state.runningMean);
    const std = tf.sqrt(tf.add(perChannel(state.runningVar), p.eps));
    return affine(tf.div(tf.sub(x, mean), std), p) as tf.Tensor4D;
  });
}

function affine(normalized: tf.Tensor, p: BatchNormParams): tf.Tensor {
  let y = normalized;
  if (p.gamma) y = tf.mul(y, perChannel(p.gamma));
  if (p.beta) y = tf.add(y, perChannel(p.beta));
  return y;
}

/** running ← (1 − m)·running + m·batch, with the unbiased variance n/(n − 1)·var. */
export function updateRunningStats(
  state: BatchNormState,
  batchMean: tf.Tensor1D,
  batchVariance: tf.Tensor1D,
  valuesPerChannel: number,
  momentum: number,
): void {
  const unbias = valuesPerChannel / (valuesPerChannel - 1);
  tf.tidy(() => {
    state.runningMean.assign(tf.add(tf.mul(state.runningMean, 1 - momentum), tf.mul(batchMean, momentum)));
    state.runningVar.assign(
      tf.add(tf.mul(state.runningVar, 1 - momentum), tf.mul(batchVariance, momentum * unbias)),
    );
  });
  state.batchesTracked++;
}
