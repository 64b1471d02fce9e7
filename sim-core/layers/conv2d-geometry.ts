/** Geometry of 2-D convolutions and pooling windows (PyTorch conventions). */

export type Pair = [number, number];

export interface Conv2dGeometry {
  kernel: Pair;
  stride: Pair;
  padding: Pair;
  dilation: Pair;
}

/** PyTorch's `_pair`: an int or an (h, w) pair. */
export function toPair(value: number | readonly [number, number]): Pair {
  return typeof value === 'number' ? [value, value] : [value[0], value[1]];
}

/** Output size along one axis: floor((n + 2p − d(k − 1) − 1)/s) + 1. */
export function convOutputLength(n: number, k: number, s: number, p: number, d: number): number {
  return Math.floor((n + 2 * p - d * (k - 1) - 1) / s) + 1;
}

export function conv2dOutputShape(height: number, width: number, g: Conv2dGeometry): Pair {
  const ho = convOutputLength(height, g.kernel[0], g.stride[0], g.padding[0], g.dilation[0]);
  const wo = convOutputLength(width, g.kernel[1], g.stride[1], g.padding[1], g.dilation[1]);
  if (ho < 1 || wo < 1) {
    throw new Error(
      `Conv2d: input ${height}×${width} is too small for kernel ${g.kernel.join('×')} ` +
        `(padding ${g.padding.join(',')}, dilation ${g.dilation.join(',')})`,
    );
  }
  return [ho, wo];
}
