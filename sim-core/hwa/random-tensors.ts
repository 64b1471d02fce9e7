/**
 * Random tensors drawn from a RandomSource. The deviates are generated on the CPU from the seeded
 * stream and uploaded, so a seed gives the same modified weights on every tfjs backend.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { RandomSource } from '../inference/random-source';

export function normalTensor(shape: number[], random: RandomSource): tf.Tensor {
  const values = new Float32Array(shape.reduce((a, b) => a * b, 1));
  random.fillNormal(values);
  return tf.tensor(values, shape, 'float32');
}

export function uniformTensor(shape: number[], random: RandomSource): tf.Tensor {
  const values = new Float32Array(shape.reduce((a, b) => a * b, 1));
  random.fillUniform(values);
  return tf.tensor(values, shape, 'float32');
}
