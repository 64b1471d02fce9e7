/**
 * Typed-array im2col / col2im for the CPU kernels ("js" kernel mode): the tfjs-op versions in
 * conv2d-unfold.ts need many slices, which the wasm backend copies slowly; plain loops do the same
 * work in a few milliseconds. Same layouts: input NCHW [B, C, H, W], patches [B·Ho·Wo, C·kh·kw] with
 * rows (b, oy, ox) and columns (c, ki, kj).
 */
import { conv2dOutputShape, type Conv2dGeometry } from './conv2d-geometry';

type Shape4 = [number, number, number, number];

export function unfoldArray(x: Float32Array, shape: Shape4, g: Conv2dGeometry): Float32Array {
  const [b, c, h, w] = shape;
  const [ho, wo] = conv2dOutputShape(h, w, g);
  const [kh, kw] = g.kernel;
  const [sh, sw] = g.stride;
  const [ph, pw] = g.padding;
  const [dh, dw] = g.dilation;
  const cols = c * kh * kw;
  const out = new Float32Array(b * ho * wo * cols);
  let row = 0;
  for (let n = 0; n < b; n++) {
    for (let oy = 0; oy < ho; oy++) {
      for (let ox = 0; ox < wo; ox++, row++) {
        let o = row * cols;
        for (let ch = 0; ch < c; ch++) {
          const plane = (n * c + ch) * h * w;
          for (let ki = 0; ki < kh; ki++) {
            const iy = oy * sh - ph + ki * dh;
            const inside = iy >= 0 && iy < h;
            for (let kj = 0; kj < kw; kj++, o++) {
              const ix = ox * sw - pw + kj * dw;
              if (inside && ix >= 0 && ix < w) out[o] = x[plane + iy * w + ix];
            }
          }
        }
      }
    }
  }
  return out;
}

/** The adjoint of `unfoldArray`: overlapping windows add up. */
export function foldArray(patches: Float32Array, shape: Shape4, g: Conv2dGeometry): Float32Array {
  const [b, c, h, w] = shape;
  const [ho, wo] = conv2dOutputShape(h, w, g);
  const [kh, kw] = g.kernel;
  const [sh, sw] = g.stride;
  const [ph, pw] = g.padding;
  const [dh, dw] = g.dilation;
  const cols = c * kh * kw;
  if (patches.length !== b * ho * wo * cols) {
    throw new Error(`fold: ${patches.length} values, expected ${b * ho * wo}×${cols}`);
  }
  const out = new Float32Array(b * c * h * w);
  let row = 0;
  for (let n = 0; n < b; n++) {
    for (let oy = 0; oy < ho; oy++) {
      for (let ox = 0; ox < wo; ox++, row++) {
        let o = row * cols;
        for (let ch = 0; ch < c; ch++) {
          const plane = (n * c + ch) * h * w;
          for (let ki = 0; ki < kh; ki++) {
            const iy = oy * sh - ph + ki * dh;
            const inside = iy >= 0 && iy < h;
            for (let kj = 0; kj < kw; kj++, o++) {
              const ix = ox * sw - pw + kj * dw;
              if (inside && ix >= 0 && ix < w) out[plane + iy * w + ix] += patches[o];
            }
          }
        }
      }
    }
  }
  return out;
}

/**
 * Max-pool backward (dilation 1): each output's gradient goes to the first maximal element of its
 * window in row-major order (PyTorch's tie rule); padding never wins. `out` is the pooled size
 * (PyTorch's, including ceil_mode); windows reaching past the input are cut off.
 */
export function maxPoolBackwardArray(
  x: Float32Array,
  shape: Shape4,
  dy: Float32Array,
  out: [number, number],
  g: { kernel: [number, number]; stride: [number, number]; padding: [number, number] },
): Float32Array {
  const [b, c, h, w] = shape;
  const [ho, wo] = out;
  const [kh, kw] = g.kernel;
  const [sh, sw] = g.stride;
  const [ph, pw] = g.padding;
  const dx = new Float32Array(x.length);
  for (let plane = 0; plane < b * c; plane++) {
    const xo = plane * h * w;
    const yo = plane * ho * wo;
    for (let oy = 0; oy < ho; oy++) {
      for (let ox = 0; ox < wo; ox++) {
        let best = -Infinity;
        let arg = -1;
        for (let ki = 0; ki < kh; ki++) {
          const iy = oy * sh - ph + ki;
          if (iy < 0 || iy >= h) continue;
          for (let kj = 0; kj < kw; kj++) {
            const ix = ox * sw - pw + kj;
            if (ix < 0 || ix >= w) continue;
            const v = x[xo + iy * w + ix];
            if (v > best || arg < 0) {
              best = v;
              arg = iy * w + ix;
            }
          }
        }
        if (arg >= 0) dx[xo + arg] += dy[yo + oy * wo + ox];
      }
    }
  }
  return dx;
}
