/**
 * Weight clipping after each optimizer step (AIHWKit `WeightClipParameter`, C++ `weight_clipper.cpp`).
 * tfjs ops on the [out, in] weight matrix; returns a new tensor.
 */
import * as tf from '@tensorflow/tfjs-core';

export const WEIGHT_CLIP_TYPES = ['NONE', 'FIXED_VALUE', 'LAYER_GAUSSIAN', 'AVERAGE_CHANNEL_MAX'] as const;
export type WeightClipType = (typeof WEIGHT_CLIP_TYPES)[number];

export interface WeightClipParams {
  type: WeightClipType;
  /** FIXED_VALUE: the bound; for the other types an upper limit on the bound if > 0. */
  fixed_value: number;
  /** LAYER_GAUSSIAN: the bound is sigma × (unbiased) std of the weights. */
  sigma: number;
}

export const DEFAULT_WEIGHT_CLIP: WeightClipParams = { type: 'NONE', fixed_value: -1, sigma: 2.5 };

/** The clipping bound as a scalar tensor; ≤ 0 means "do not clip". */
function clipBound(w: tf.Tensor2D, p: WeightClipParams): tf.Scalar {
  switch (p.type) {
    case 'NONE':
      return tf.scalar(-1);
    case 'FIXED_VALUE':
      return tf.scalar(p.fixed_value);
    case 'LAYER_GAUSSIAN': {
      const n = w.size;
      const mean = tf.mean(w);
      const variance = tf.div(tf.sum(tf.square(tf.sub(w, mean))), Math.max(n - 1, 1));
      const bound = tf.mul(tf.sqrt(variance), p.sigma) as tf.Scalar;
      return p.fixed_value > 0 ? (tf.minimum(bound, p.fixed_value) as tf.Scalar) : bound;
    }
    case 'AVERAGE_CHANNEL_MAX': {
      const bound = tf.mean(tf.max(tf.abs(w), 1)) as tf.Scalar;
      return p.fixed_value > 0 ? (tf.minimum(bound, p.fixed_value) as tf.Scalar) : bound;
    }
    default:
      throw new Error(`WeightClipParameter.type: unknown clip type "${String(p.type)}"`);
  }
}

export function clipWeights(weights: tf.Tensor2D, p: WeightClipParams): tf.Tensor2D {
  if (p.type === 'NONE') return tf.clone(weights);
  return tf.tidy(() => {
    const bound = clipBound(weights, p);
    const clipped = tf.minimum(tf.maximum(weights, tf.neg(bound)), bound);
    return tf.where(tf.greater(bound, 0), clipped, weights) as tf.Tensor2D;
  });
}
