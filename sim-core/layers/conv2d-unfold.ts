/**
 * im2col for 2-D convolutions in PyTorch's NCHW layout: every output position becomes one row
 * ("patch") of C·kh·kw inputs, channel-major (c, ki, kj) — the order of torch's `unfold` and of
 * `weight.view(out_channels, -1)`, so an AnalogConv2d's tile holds exactly AIHWKit's matrix and each
 * patch is one input vector of the tile (own noise-management scale, own ADC pass), as in AIHWKit.
 *
 * Built from plain ops that every tfjs backend has (pad, slice, reshape, stack, transpose), with an
 * explicit adjoint (`fold`, col2im) for the backward pass: the wasm backend has no
 * Conv2DBackpropFilter, so digital convolutions use the same unfold + matmul, and the backward needs
 * no autograd registry (tfjs-core's node bundle ships without gradients).
 */
import * as tf from '@tensorflow/tfjs-core';

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

/**
 * Every `stride`-th element along axes 2 and 3 of a [B, C, H, W] tensor, starting at 0, `count` of
 * them per axis (slice/pad/reshape only).
 */
export function subsample(x: tf.Tensor4D, stride: Pair, count: Pair): tf.Tensor4D {
  const [b, c] = x.shape;
  const [sh, sw] = stride;
  const [ho, wo] = count;
  let t: tf.Tensor4D = tf.slice(x, [0, 0, 0, 0], [b, c, (ho - 1) * sh + 1, (wo - 1) * sw + 1]);
  if (sh === 1 && sw === 1) return t;
  t = tf.pad(t, [
    [0, 0],
    [0, 0],
    [0, sh - 1],
    [0, sw - 1],
  ]);
  const grid = tf.reshape(t, [b, c, ho, sh, wo, sw]);
  return tf.reshape(tf.slice(grid, [0, 0, 0, 0, 0, 0], [b, c, ho, 1, wo, 1]), [b, c, ho, wo]);
}

/**
 * The kh·kw kernel taps of every output window of an already padded [B, C, Hp, Wp] tensor: tap
 * (ki, kj) is the [B, C, Ho, Wo] tensor of the values at that kernel position, in row-major tap order.
 */
export function extractTaps(padded: tf.Tensor4D, g: Conv2dGeometry, out: Pair): tf.Tensor4D[] {
  const [b, c, hp, wp] = padded.shape;
  const taps: tf.Tensor4D[] = [];
  for (let ki = 0; ki < g.kernel[0]; ki++) {
    for (let kj = 0; kj < g.kernel[1]; kj++) {
      const top = ki * g.dilation[0];
      const left = kj * g.dilation[1];
      const window = tf.slice(padded, [0, 0, top, left], [b, c, hp - top, wp - left]);
      taps.push(subsample(window, g.stride, out));
    }
  }
  return taps;
}

function padInput(x: tf.Tensor4D, padding: Pair): tf.Tensor4D {
  const [ph, pw] = padding;
  if (ph === 0 && pw === 0) return x;
  return tf.pad(x, [
    [0, 0],
    [0, 0],
    [ph, ph],
    [pw, pw],
  ]);
}

/** [B, C, H, W] → patches [B·Ho·Wo, C·kh·kw] (rows ordered b, oy, ox). */
export function unfold(x: tf.Tensor4D, g: Conv2dGeometry): tf.Tensor2D {
  return tf.tidy(() => {
    const [b, c, h, w] = x.shape;
    const [ho, wo] = conv2dOutputShape(h, w, g);
    const taps = extractTaps(padInput(x, g.padding), g, [ho, wo]);
    // [B, C, K, Ho, Wo] → [B, Ho, Wo, C, K] → [B·Ho·Wo, C·K]
    const stacked = tf.stack(taps, 2);
    return tf.reshape(tf.transpose(stacked, [0, 3, 4, 1, 2]), [b * ho * wo, c * g.kernel[0] * g.kernel[1]]);
  });
}

/**
 * The adjoint of `subsample`: places [B, C, Ho, Wo] values every `stride` cells of a
 * [B, C, (Ho−1)·sh+1, (Wo−1)·sw+1] grid, zeros elsewhere.
 */
function spread(v: tf.Tensor4D, stride: Pair): tf.Tensor4D {
  const [b, c, ho, wo] = v.shape;
  const [sh, sw] = stride;
  if (sh === 1 && sw === 1) return v;
  const grid = tf.pad(tf.reshape(v, [b, c, ho, 1, wo, 1]), [
    [0, 0],
    [0, 0],
    [0, 0],
    [0, sh - 1],
    [0, 0],
    [0, sw - 1],
  ]);
  const full = tf.reshape(grid, [b, c, ho * sh, wo * sw]) as tf.Tensor4D;
  return tf.slice(full, [0, 0, 0, 0], [b, c, (ho - 1) * sh + 1, (wo - 1) * sw + 1]);
}

/**
 * The adjoint of `extractTaps`: sums each tap's [B, C, Ho, Wo] values back onto the positions of a
 * padded [B, C, Hp, Wp] tensor they were read from (overlapping windows add up).
 */
export function accumulateTaps(
  taps: tf.Tensor4D[],
  paddedShape: [number, number, number, number],
  g: Conv2dGeometry,
): tf.Tensor4D {
  const [b, c, hp, wp] = paddedShape;
  let sum: tf.Tensor4D = tf.zeros([b, c, hp, wp]);
  for (let ki = 0; ki < g.kernel[0]; ki++) {
    for (let kj = 0; kj < g.kernel[1]; kj++) {
      const top = ki * g.dilation[0];
      const left = kj * g.dilation[1];
      const placed = spread(taps[ki * g.kernel[1] + kj], g.stride);
      const [, , sh, sw] = placed.shape;
      sum = tf.add(
        sum,
        tf.pad(placed, [
          [0, 0],
          [0, 0],
          [top, hp - top - sh],
          [left, wp - left - sw],
        ]),
      );
    }
  }
  return sum;
}

/**
 * col2im, the adjoint of `unfold`: patch gradients [B·Ho·Wo, C·kh·kw] → input gradient [B, C, H, W],
 * summing the contributions of overlapping windows.
 */
export function fold(
  patches: tf.Tensor2D,
  inputShape: [number, number, number, number],
  g: Conv2dGeometry,
): tf.Tensor4D {
  return tf.tidy(() => {
    const [b, c, h, w] = inputShape;
    const [ho, wo] = conv2dOutputShape(h, w, g);
    const [kh, kw] = g.kernel;
    const [ph, pw] = g.padding;
    // [B·Ho·Wo, C·K] → [B, C, K, Ho, Wo], one [B, C, Ho, Wo] slab per kernel tap.
    const taps = tf.unstack(tf.transpose(tf.reshape(patches, [b, ho, wo, c, kh * kw]), [0, 3, 4, 1, 2]), 2);
    const padded = accumulateTaps(taps as tf.Tensor4D[], [b, c, h + 2 * ph, w + 2 * pw], g);
    return ph > 0 || pw > 0 ? tf.slice(padded, [0, 0, ph, pw], [b, c, h, w]) : padded;
  });
}

/** Patch outputs [B·Ho·Wo, O] → feature maps [B, O, Ho, Wo]. */
export function foldOutput(y: tf.Tensor2D, batch: number, outShape: Pair): tf.Tensor4D {
  const [ho, wo] = outShape;
  const o = y.shape[1];
  return tf.transpose(tf.reshape(y, [batch, ho, wo, o]), [0, 3, 1, 2]);
}

/** Feature-map gradients [B, O, Ho, Wo] → per-patch rows [B·Ho·Wo, O] (inverse of foldOutput). */
export function unfoldOutput(dy: tf.Tensor4D): tf.Tensor2D {
  const [b, o, ho, wo] = dy.shape;
  return tf.reshape(tf.transpose(dy, [0, 2, 3, 1]), [b * ho * wo, o]);
}

export interface Conv2dForward {
  y: tf.Tensor4D;
  /** The unfolded input, kept for the weight gradient. */
  patches: tf.Tensor2D;
}

/**
 * A digital 2-D convolution through unfold + matmul: weight [O, C·kh·kw] (torch's
 * `weight.view(O, -1)`), optional bias [O].
 */
export function conv2dForward(
  x: tf.Tensor4D,
  weight: tf.Tensor2D,
  bias: tf.Tensor1D | null,
  g: Conv2dGeometry,
): Conv2dForward {
  const patches = unfold(x, g);
  const y = tf.tidy(() => {
    const [b, , h, w] = x.shape;
    let rows: tf.Tensor2D = tf.matMul(patches, weight, false, true);
    if (bias) rows = tf.add(rows, bias);
    return foldOutput(rows, b, conv2dOutputShape(h, w, g));
  });
  return { y, patches };
}

export interface Conv2dGradients {
  dx: tf.Tensor4D;
  dWeight: tf.Tensor2D;
  dBias: tf.Tensor1D;
}

export function conv2dBackward(
  dy: tf.Tensor4D,
  patches: tf.Tensor2D,
  weight: tf.Tensor2D,
  inputShape: [number, number, number, number],
  g: Conv2dGeometry,
): Conv2dGradients {
  return tf.tidy(() => {
    const rows = unfoldOutput(dy);
    return {
      dx: fold(tf.matMul(rows, weight), inputShape, g),
      dWeight: tf.matMul(rows, patches, true, false) as tf.Tensor2D,
      dBias: tf.sum(rows, 0) as tf.Tensor1D,
    };
  });
}
