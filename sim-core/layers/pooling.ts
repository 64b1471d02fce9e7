/**
 * MaxPool2d and AvgPool2d with PyTorch's semantics (padding, ceil_mode, count_include_pad) on NCHW
 * tensors. tfjs pools NHWC with 'valid' windows, so we transpose, pad explicitly (−∞ for max, 0 for
 * average) and, for averages, divide by a pooled mask that counts the elements PyTorch counts.
 * The max-pool backward routes each window's gradient to its first maximal element (PyTorch's
 * tie rule) with plain ops: the wasm backend's MaxPoolGrad kernel misroutes gradients for inputs
 * with several channels (tfjs 4.22). The average-pool backward uses the AvgPoolGrad kernel, which the
 * cpu, wasm and webgpu backends all have.
 */
import * as tf from '@tensorflow/tfjs-core';
import { kernelMode } from '../backend/backend';
import { accumulateTaps, extractTaps, type Pair } from './conv2d-unfold';
import { maxPoolBackwardArray } from './conv2d-unfold-js';

export interface PoolGeometry {
  kernel: Pair;
  stride: Pair;
  padding: Pair;
  ceilMode: boolean;
}

/** PyTorch's pooling output length (dilation 1), including its ceil_mode rule. */
export function poolOutputLength(n: number, k: number, s: number, p: number, ceilMode: boolean): number {
  const span = n + 2 * p - k;
  let out = (ceilMode ? Math.ceil(span / s) : Math.floor(span / s)) + 1;
  // The last window must start inside the input or the left padding.
  if (ceilMode && (out - 1) * s >= n + p) out--;
  return out;
}

export function validatePool(name: string, inputHW: Pair, g: PoolGeometry): Pair {
  for (let a = 0; a < 2; a++) {
    if (g.padding[a] * 2 > g.kernel[a]) {
      throw new Error(
        `${name}: padding (${g.padding.join(',')}) must be at most half the kernel size (${g.kernel.join(',')}), as in PyTorch`,
      );
    }
  }
  const out: Pair = [
    poolOutputLength(inputHW[0], g.kernel[0], g.stride[0], g.padding[0], g.ceilMode),
    poolOutputLength(inputHW[1], g.kernel[1], g.stride[1], g.padding[1], g.ceilMode),
  ];
  if (out[0] < 1 || out[1] < 1) {
    throw new Error(`${name}: input ${inputHW.join('×')} is smaller than the kernel ${g.kernel.join('×')}`);
  }
  return out;
}

/** Padding [before, after] per spatial axis so that 'valid' windows produce PyTorch's output size. */
function spatialPads(inputHW: Pair, out: Pair, g: PoolGeometry): [Pair, Pair] {
  const pads = [0, 1].map((a) => {
    const needed = (out[a] - 1) * g.stride[a] + g.kernel[a];
    const after = Math.max(needed - inputHW[a] - g.padding[a], 0);
    return [g.padding[a], after] as Pair;
  });
  return [pads[0], pads[1]];
}

const toNHWC = (x: tf.Tensor4D): tf.Tensor4D => tf.transpose(x, [0, 2, 3, 1]);
const toNCHW = (x: tf.Tensor4D): tf.Tensor4D => tf.transpose(x, [0, 3, 1, 2]);
const F32_LOWEST = -3.4028234663852886e38;

function padSpatial(t: tf.Tensor4D, padH: Pair, padW: Pair, value = 0): tf.Tensor4D {
  if (padH[0] + padH[1] + padW[0] + padW[1] === 0) return t;
  return tf.pad(t, [[0, 0], padH, padW, [0, 0]], value);
}

function unpadSpatial(t: tf.Tensor4D, padH: Pair, padW: Pair, h: number, w: number): tf.Tensor4D {
  if (padH[0] + padH[1] + padW[0] + padW[1] === 0) return t;
  const [b, , , c] = t.shape;
  return tf.slice(t, [0, padH[0], padW[0], 0], [b, h, w, c]);
}

/** A pooling forward pass and what its backward needs. */
export interface PoolForward {
  y: tf.Tensor4D;
  backward(dy: tf.Tensor4D): tf.Tensor4D;
  /** Frees what the backward pass kept (not y). */
  dispose(): void;
}

export function maxPool2d(x: tf.Tensor4D, g: PoolGeometry): PoolForward {
  const [b, c, h, w] = x.shape;
  const out = validatePool('MaxPool2d', [h, w], g);
  const [padH, padW] = spatialPads([h, w], out, g);
  // The backward needs the input and output after the caller disposed x and y.
  const input = tf.keep(tf.tidy(() => padSpatial(toNHWC(x), padH, padW, F32_LOWEST)));
  const pooled = tf.keep(tf.maxPool(input, g.kernel, g.stride, 'valid'));
  const y = toNCHW(pooled);
  const raw = kernelMode() === 'js' ? (x.dataSync() as Float32Array).slice() : null;
  const geometry = { kernel: g.kernel, stride: g.stride, padding: [0, 0] as Pair, dilation: [1, 1] as Pair };
  return {
    y,
    backward(dy: tf.Tensor4D): tf.Tensor4D {
      if (raw) {
        const dx = maxPoolBackwardArray(raw, [b, c, h, w], dy.dataSync() as Float32Array, out, g);
        return tf.tensor4d(dx, [b, c, h, w]);
      }
      return tf.tidy(() => {
        const dyNHWC = toNHWC(dy);
        const taps = extractTaps(input, geometry, out);
        let taken: tf.Tensor = tf.cast(tf.zerosLike(pooled), 'bool');
        const routed = taps.map((tap) => {
          const first = tf.logicalAnd(tf.equal(tap, pooled), tf.logicalNot(taken));
          taken = tf.logicalOr(taken, first);
          return tf.where(first, dyNHWC, tf.zerosLike(dyNHWC)) as tf.Tensor4D;
        });
        const grad = accumulateTaps(routed, input.shape, geometry);
        return toNCHW(tf.slice(grad, [0, padH[0], padW[0], 0], [b, h, w, c]));
      });
    },
    dispose: () => tf.dispose([input, pooled]),
  };
}

/** Elements PyTorch counts in each window's divisor, as a [1, Hp, Wp, 1] mask of the padded input. */
function divisorMask(
  h: number,
  w: number,
  padH: Pair,
  padW: Pair,
  g: PoolGeometry,
  countIncludePad: boolean,
): tf.Tensor4D {
  // The input, plus the symmetric padding when count_include_pad — never the extra right/bottom
  // cells that ceil_mode windows reach into.
  const [ph, pw] = g.padding;
  const counted = countIncludePad
    ? tf.ones([1, h + 2 * ph, w + 2 * pw, 1])
    : padSpatial(tf.ones([1, h, w, 1]), [ph, ph], [pw, pw]);
  return padSpatial(counted as tf.Tensor4D, [0, padH[1] - ph], [0, padW[1] - pw]);
}

export function avgPool2d(x: tf.Tensor4D, g: PoolGeometry, countIncludePad: boolean): PoolForward {
  const [, , h, w] = x.shape;
  const out = validatePool('AvgPool2d', [h, w], g);
  const [padH, padW] = spatialPads([h, w], out, g);
  const input = tf.keep(tf.tidy(() => padSpatial(toNHWC(x), padH, padW)));
  // y = avg(x_padded) / avg(mask): the window mean over PyTorch's divisor.
  const counts = tf.keep(
    tf.tidy(() => tf.avgPool(divisorMask(h, w, padH, padW, g, countIncludePad), g.kernel, g.stride, 'valid')),
  );
  const y = tf.tidy(() => toNCHW(tf.div(tf.avgPool(input, g.kernel, g.stride, 'valid'), counts)));
  return {
    y,
    backward(dy: tf.Tensor4D): tf.Tensor4D {
      return tf.tidy(() => {
        const grad = tf.engine().runKernel(
          'AvgPoolGrad',
          { dy: tf.div(toNHWC(dy), counts), input },
          {
            filterSize: g.kernel,
            strides: g.stride,
            pad: 'valid',
          },
        ) as tf.Tensor4D;
        return toNCHW(unpadSpatial(grad, padH, padW, h, w));
      });
    },
    dispose: () => tf.dispose([input, counts]),
  };
}
