/**
 * Losses with mean reduction (PyTorch defaults) and their gradients w.r.t. the model output.
 * NLLLoss takes log-probabilities, CrossEntropyLoss logits, both with class-index targets. MSELoss and
 * BCELoss compare with a target of the output's shape; given class indices they use one-hot targets.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { LossType } from '../configs/training';

export interface LossResult {
  /** Mean loss over the batch (NaN/Infinity possible when training diverges). */
  loss: number;
  /** ∂loss/∂output, same shape as the output. The caller disposes it. */
  grad: tf.Tensor2D;
}

function finish(pair: [tf.Tensor, tf.Tensor2D]): LossResult {
  const loss = pair[0].dataSync()[0];
  pair[0].dispose();
  return { loss, grad: pair[1] };
}

/** Loss and gradient for class-index targets. */
export function classificationLoss(type: LossType, output: tf.Tensor, labels: Int32Array): LossResult {
  if (output.rank !== 2 || output.shape[0] !== labels.length) {
    throw new Error(`${type}: output [${output.shape.join(', ')}] does not match ${labels.length} targets`);
  }
  const [B, C] = output.shape as [number, number];
  for (const l of labels) {
    if (l < 0 || l >= C) throw new Error(`${type}: target class ${l} is outside 0..${C - 1}`);
  }
  return finish(
    tf.tidy(() => {
      const y = output as tf.Tensor2D;
      const target = tf.cast(tf.oneHot(tf.tensor1d(labels, 'int32'), C), 'float32') as tf.Tensor2D;
      switch (type) {
        case 'NLLLoss':
          return [tf.div(tf.neg(tf.sum(tf.mul(y, target))), B), tf.div(tf.neg(target), B) as tf.Tensor2D];
        case 'CrossEntropyLoss': {
          const logp = tf.sub(y, tf.logSumExp(y, 1, true));
          return [
            tf.div(tf.neg(tf.sum(tf.mul(logp, target))), B),
            tf.div(tf.sub(tf.exp(logp), target), B) as tf.Tensor2D,
          ];
        }
        case 'MSELoss':
          return mse(y, target);
        case 'BCELoss':
          return bce(y, target);
      }
    }) as [tf.Tensor, tf.Tensor2D],
  );
}

/** Loss and gradient for a target tensor of the output's shape (MSE, BCE). */
export function regressionLoss(type: LossType, output: tf.Tensor, target: tf.Tensor): LossResult {
  if (type !== 'MSELoss' && type !== 'BCELoss') throw new Error(`${type} needs class-index targets`);
  if (output.shape.join() !== target.shape.join()) {
    throw new Error(
      `${type}: output [${output.shape.join(', ')}] and target [${target.shape.join(', ')}] differ`,
    );
  }
  return finish(
    tf.tidy(() =>
      type === 'BCELoss'
        ? bce(output as tf.Tensor2D, target as tf.Tensor2D)
        : mse(output as tf.Tensor2D, target as tf.Tensor2D),
    ) as [tf.Tensor, tf.Tensor2D],
  );
}

function mse(y: tf.Tensor2D, t: tf.Tensor2D): [tf.Tensor, tf.Tensor2D] {
  const diff = tf.sub(y, t);
  const n = y.size;
  return [tf.div(tf.sum(tf.square(diff)), n), tf.mul(diff, 2 / n) as tf.Tensor2D];
}

/** BCE with PyTorch's clamp of the logs at −100; the gradient (p − t)/(p(1 − p)) with a floor on the denominator. */
function bce(p: tf.Tensor2D, t: tf.Tensor2D): [tf.Tensor, tf.Tensor2D] {
  const n = p.size;
  const logP = tf.maximum(tf.log(p), -100);
  const log1mP = tf.maximum(tf.log(tf.sub(1, p)), -100);
  const loss = tf.div(tf.neg(tf.sum(tf.add(tf.mul(t, logP), tf.mul(tf.sub(1, t), log1mP)))), n);
  const grad = tf.div(tf.sub(p, t), tf.maximum(tf.mul(p, tf.sub(1, p)), 1e-12));
  return [loss, tf.div(grad, n) as tf.Tensor2D];
}
