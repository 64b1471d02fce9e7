/** Shape checks shared by the image layers (NCHW). */
import type * as tf from '@tensorflow/tfjs-core';

export function check4dRank(x: tf.Tensor, type: string): void {
  if (x.rank !== 4) {
    throw new Error(`${type} expects input [batch, channels, height, width], got [${x.shape.join(', ')}]`);
  }
}
