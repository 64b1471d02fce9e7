/**
 * Read a tensor computed in a tidy scope back into a typed array. (Never return a typed array from
 * tf.tidy itself: tidy walks its result like a container, element by element — very slow for large arrays.)
 */
import * as tf from '@tensorflow/tfjs-core';

export function readSync<T extends Float32Array | Int32Array | Uint8Array = Float32Array>(
  fn: () => tf.Tensor,
): T {
  const t = tf.tidy(fn);
  try {
    return t.dataSync() as T;
  } finally {
    t.dispose();
  }
}
