/**
 * Weight remapping after each optimizer step (AIHWKit `WeightRemapParameter`, C++
 * `weight_remapper.cpp`): the tile weights are renormalized to ±remapped_wmax and the factor moves
 * into the digital per-output mapping scales, so that the logical weights W·scale are unchanged.
 */
import * as tf from '@tensorflow/tfjs-core';

export const WEIGHT_REMAP_TYPES = ['NONE', 'LAYERWISE_SYMMETRIC', 'CHANNELWISE_SYMMETRIC'] as const;
export type WeightRemapType = (typeof WEIGHT_REMAP_TYPES)[number];

export interface WeightRemapParams {
  type: WeightRemapType;
  remapped_wmax: number;
  /** CHANNELWISE: if > 0, new scales are capped at min_scale·max_scale_range. */
  max_scale_range: number;
  /** CHANNELWISE with a scale range: lower limit on the min scale used for the cap (if > 0). */
  max_scale_ref: number;
}

export const DEFAULT_WEIGHT_REMAP: WeightRemapParams = {
  type: 'NONE',
  remapped_wmax: 1,
  max_scale_range: 0,
  max_scale_ref: 0,
};

export interface Remapped {
  /** Tile weights [out, in] after remapping. */
  weights: tf.Tensor2D;
  /** Per-output mapping scales [out] after remapping. */
  scales: tf.Tensor1D;
}

/** Remaps `weights` ([out, in]) and the per-output `scales` ([out]); inputs are not disposed. */
export function remapWeights(weights: tf.Tensor2D, scales: tf.Tensor1D, p: WeightRemapParams): Remapped {
  if (weights.shape[0] !== scales.shape[0]) {
    throw new Error(`remapWeights: ${scales.shape[0]} scales for ${weights.shape[0]} output rows`);
  }
  switch (p.type) {
    case 'NONE':
      return { weights: tf.clone(weights), scales: tf.clone(scales) };
    case 'LAYERWISE_SYMMETRIC':
      return tf.tidy(() => {
        const amax = tf.div(tf.max(tf.abs(weights)), p.remapped_wmax);
        const positive = tf.greater(amax, 0);
        const factor = tf.where(positive, amax, tf.onesLike(amax));
        return {
          weights: tf.div(weights, factor) as tf.Tensor2D,
          scales: tf.mul(scales, factor) as tf.Tensor1D,
        };
      });
    case 'CHANNELWISE_SYMMETRIC':
      return tf.tidy(() => {
        const rowMax = tf.max(tf.abs(weights), 1);
        if (p.max_scale_range <= 0) {
          const m = tf.div(rowMax, p.remapped_wmax);
          const factor = tf.where(tf.greater(m, 0), m, tf.onesLike(m));
          return {
            weights: tf.div(weights, tf.reshape(factor, [-1, 1])) as tf.Tensor2D,
            scales: tf.mul(scales, factor) as tf.Tensor1D,
          };
        }
        if (p.remapped_wmax !== 1) {
          throw new Error(
            'WeightRemapParameter: max_scale_range > 0 requires remapped_wmax = 1 (as in AIHWKit)',
          );
        }
        let minScale = tf.maximum(tf.min(scales), 0);
        if (p.max_scale_ref > 0) {
          minScale = tf.where(tf.greater(minScale, 0), tf.maximum(minScale, p.max_scale_ref), minScale);
        }
        const grown = tf.where(tf.greater(rowMax, 0), tf.mul(rowMax, scales), scales);
        const cap = tf.mul(minScale, p.max_scale_range);
        const capped = tf.where(tf.logicalAnd(tf.greater(minScale, 0), tf.greater(grown, cap)), cap, grown);
        const ratio = tf.reshape(tf.div(scales, capped), [-1, 1]);
        return { weights: tf.mul(weights, ratio) as tf.Tensor2D, scales: capped as tf.Tensor1D };
      });
    default:
      throw new Error(`WeightRemapParameter.type: unknown remap type "${String(p.type)}"`);
  }
}
