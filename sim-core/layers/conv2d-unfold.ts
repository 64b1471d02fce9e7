/**
 * im2col for 2-D convolutions in PyTorch's NCHW layout: every output position becomes one row
 * ("patch") of C·kh·kw inputs, channel-major (c, ki, kj) — the order of torch's `unfold` and of
 * `weight.view(out_channels, -1)`, so an AnalogConv2d's tile holds exactly AIHWKit's matrix and each
 * patch is one input vector of the tile (own noise-management scale, own ADC pass), as in AIHWKit.
 *
 * Built from plain ops that every tfjs backend has (pad, strided slice, reshape, concat, transpose),
 * with an explicit adjoint (`fold`, col2im) for the backward pass: the wasm backend has no
 * Conv2DBackpropFilter, so digital convolutions use the same unfold + matmul, and the backward needs
 * no autograd registry (tfjs-core's node bundle ships without gradients). Internally the taps are
 * handled channels-last with tensors of rank ≤ 4: the wasm backend slices rank-5 tensors and runs
 * tf.unstack orders of magnitude slower.
 */
import * as tf from '@tensorflow/tfjs-core';

import { kernelMode } from '../backend/backend';
import { conv2dOutputShape, type Conv2dGeometry, type Pair } from './conv2d-geometry';
import { foldArray, unfoldArray } from './conv2d-unfold-js';

export {
  conv2dOutputShape,
  convOutputLength,
  toPair,
  type Conv2dGeometry,
  type Pair,
} from './conv2d-geometry';

type Shape4 = [number, number, number, number];

const toNHWC = (x: tf.Tensor4D): tf.Tensor4D => tf.transpose(x, [0, 2, 3, 1]);
const toNCHW = (x: tf.Tensor4D): tf.Tensor4D => tf.transpose(x, [0, 3, 1, 2]);

/**
 * The kh·kw kernel taps of every output window of an already padded channels-last [B, Hp, Wp, C]
 * tensor: tap (ki, kj) is the [B, Ho, Wo, C] tensor of the values at that kernel position, in
 * row-major tap order.
 */
export function extractTaps(padded: tf.Tensor4D, g: Conv2dGeometry, out: Pair): tf.Tensor4D[] {
  const [b, , , c] = padded.shape;
  const [ho, wo] = out;
  const [sh, sw] = g.stride;
  const taps: tf.Tensor4D[] = [];
  for (let ki = 0; ki < g.kernel[0]; ki++) {
    for (let kj = 0; kj < g.kernel[1]; kj++) {
      const top = ki * g.dilation[0];
      const left = kj * g.dilation[1];
      taps.push(
        sh === 1 && sw === 1
          ? tf.slice(padded, [0, top, left, 0], [b, ho, wo, c])
          : (tf.stridedSlice(
              padded,
              [0, top, left, 0],
              [b, top + (ho - 1) * sh + 1, left + (wo - 1) * sw + 1, c],
              [1, sh, sw, 1],
            ) as tf.Tensor4D),
      );
    }
  }
  return taps;
}

/**
 * The adjoint of taking every `stride`-th row and column: places [B, Ho, Wo, C] values on a
 * [B, (Ho−1)·sh+1, (Wo−1)·sw+1, C] grid, zeros in between.
 */
function spread(v: tf.Tensor4D, stride: Pair): tf.Tensor4D {
  const [b, ho, wo, c] = v.shape;
  const [sh, sw] = stride;
  let t = v;
  if (sh > 1) {
    const rows = tf.pad(tf.reshape(t, [b * ho, 1, wo, c]), [
      [0, 0],
      [0, sh - 1],
      [0, 0],
      [0, 0],
    ]);
    t = tf.slice(
      tf.reshape(rows, [b, ho * sh, wo, c]) as tf.Tensor4D,
      [0, 0, 0, 0],
      [b, (ho - 1) * sh + 1, wo, c],
    );
  }
  if (sw > 1) {
    const h = t.shape[1];
    const cols = tf.pad(tf.reshape(t, [b * h, wo, 1, c]), [
      [0, 0],
      [0, 0],
      [0, sw - 1],
      [0, 0],
    ]);
    t = tf.slice(
      tf.reshape(cols, [b, h, wo * sw, c]) as tf.Tensor4D,
      [0, 0, 0, 0],
      [b, h, (wo - 1) * sw + 1, c],
    );
  }
  return t;
}

/**
 * The adjoint of `extractTaps`: sums each tap's [B, Ho, Wo, C] values back onto the positions of a
 * padded channels-last [B, Hp, Wp, C] tensor they were read from (overlapping windows add up).
 */
export function accumulateTaps(taps: tf.Tensor4D[], paddedShape: Shape4, g: Conv2dGeometry): tf.Tensor4D {
  const [b, hp, wp, c] = paddedShape;
  let sum: tf.Tensor4D = tf.zeros([b, hp, wp, c]);
  for (let ki = 0; ki < g.kernel[0]; ki++) {
    for (let kj = 0; kj < g.kernel[1]; kj++) {
      const top = ki * g.dilation[0];
      const left = kj * g.dilation[1];
      const placed = spread(taps[ki * g.kernel[1] + kj], g.stride);
      const [, sh, sw] = placed.shape;
      const next: tf.Tensor4D = tf.add(
        sum,
        tf.pad(placed, [
          [0, 0],
          [top, hp - top - sh],
          [left, wp - left - sw],
          [0, 0],
        ]),
      );
      sum.dispose();
      sum = next;
    }
  }
  return sum;
}

function padSpatialNHWC(x: tf.Tensor4D, padding: Pair): tf.Tensor4D {
  const [ph, pw] = padding;
  if (ph === 0 && pw === 0) return x;
  return tf.pad(x, [
    [0, 0],
    [ph, ph],
    [pw, pw],
    [0, 0],
  ]);
}

/** [B, C, H, W] → patches [B·Ho·Wo, C·kh·kw] (rows ordered b, oy, ox; columns c, ki, kj). */
export function unfold(x: tf.Tensor4D, g: Conv2dGeometry): tf.Tensor2D {
  if (kernelMode() === 'js') {
    const [b, c, h, w] = x.shape;
    const [ho, wo] = conv2dOutputShape(h, w, g);
    const patches = unfoldArray(x.dataSync() as Float32Array, x.shape, g);
    return tf.tensor2d(patches, [b * ho * wo, c * g.kernel[0] * g.kernel[1]]);
  }
  return unfoldTf(x, g);
}

/** `unfold` with tfjs ops (the "tf" kernels, e.g. on webgpu). */
export function unfoldTf(x: tf.Tensor4D, g: Conv2dGeometry): tf.Tensor2D {
  return tf.tidy(() => {
    const [b, c, h, w] = x.shape;
    const [ho, wo] = conv2dOutputShape(h, w, g);
    const k = g.kernel[0] * g.kernel[1];
    const n = b * ho * wo;
    const taps = extractTaps(padSpatialNHWC(toNHWC(x), g.padding), g, [ho, wo]);
    // Taps stacked as rows [K, N·C] (a fast 2-D concat), then [N, C, K], flattened channel-major.
    const rows = tf.concat(
      taps.map((t) => tf.reshape(t, [1, n * c])),
      0,
    );
    return tf.reshape(tf.transpose(tf.reshape(rows, [k, n, c]), [1, 2, 0]), [n, c * k]);
  });
}

/**
 * col2im, the adjoint of `unfold`: patch gradients [B·Ho·Wo, C·kh·kw] → input gradient [B, C, H, W],
 * summing the contributions of overlapping windows.
 */
export function fold(patches: tf.Tensor2D, inputShape: Shape4, g: Conv2dGeometry): tf.Tensor4D {
  if (kernelMode() === 'js') {
    return tf.tensor4d(foldArray(patches.dataSync() as Float32Array, inputShape, g), inputShape);
  }
  return foldTf(patches, inputShape, g);
}

/** `fold` with tfjs ops (the "tf" kernels, e.g. on webgpu). */
export function foldTf(patches: tf.Tensor2D, inputShape: Shape4, g: Conv2dGeometry): tf.Tensor4D {
  return tf.tidy(() => {
    const [b, c, h, w] = inputShape;
    const [ho, wo] = conv2dOutputShape(h, w, g);
    const k = g.kernel[0] * g.kernel[1];
    const n = b * ho * wo;
    const [ph, pw] = g.padding;
    // [N, C·K] → [K, N·C]: one contiguous row per tap.
    const byTap = tf.reshape(tf.transpose(tf.reshape(patches, [n, c, k]), [2, 0, 1]), [k, n * c]);
    const taps = tf.split(byTap, k, 0).map((t) => tf.reshape(t, [b, ho, wo, c]) as tf.Tensor4D);
    const padded = accumulateTaps(taps, [b, h + 2 * ph, w + 2 * pw, c], g);
    const inner = ph > 0 || pw > 0 ? tf.slice(padded, [0, ph, pw, 0], [b, h, w, c]) : padded;
    return toNCHW(inner);
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
      // An explicit transpose: matMul(…, transposeA) is ~30× slower on the wasm backend.
      dWeight: tf.matMul(tf.transpose(rows), patches) as tf.Tensor2D,
      dBias: tf.sum(rows, 0) as tf.Tensor1D,
    };
  });
}
