/**
 * Typed-array twins of `weight-clip.ts` and `weight-remap.ts` for the CPU kernels: in place on a
 * row-major [rows, cols] Float32Array (rows = outputs), same semantics (C++ `weight_clipper.cpp`,
 * `weight_remapper.cpp`).
 */
import type { WeightClipParams } from './weight-clip';
import type { WeightRemapParams } from './weight-remap';

/** Local alias: looking up the global `Math` inside a vm context (jest) is far slower. */
const M = Math;

function rowAbsMax(w: Float32Array, rows: number, cols: number): Float64Array {
  const m = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    let v = 0;
    for (let c = 0; c < cols; c++) v = M.max(v, M.abs(w[r * cols + c]));
    m[r] = v;
  }
  return m;
}

/** The clipping bound of `clipWeights`; ≤ 0 means "do not clip". */
export function clipBoundArray(w: Float32Array, rows: number, cols: number, p: WeightClipParams): number {
  switch (p.type) {
    case 'NONE':
      return -1;
    case 'FIXED_VALUE':
      return p.fixed_value;
    case 'LAYER_GAUSSIAN': {
      let mean = 0;
      for (let i = 0; i < w.length; i++) mean += w[i];
      mean /= w.length;
      let ss = 0;
      for (let i = 0; i < w.length; i++) ss += (w[i] - mean) ** 2;
      const bound = M.sqrt(ss / M.max(w.length - 1, 1)) * p.sigma;
      return p.fixed_value > 0 ? M.min(bound, p.fixed_value) : bound;
    }
    case 'AVERAGE_CHANNEL_MAX': {
      const m = rowAbsMax(w, rows, cols);
      const bound = m.reduce((a, b) => a + b, 0) / rows;
      return p.fixed_value > 0 ? M.min(bound, p.fixed_value) : bound;
    }
    default:
      throw new Error(`WeightClipParameter.type: unknown clip type "${String(p.type)}"`);
  }
}

export function clipWeightsInPlace(w: Float32Array, rows: number, cols: number, p: WeightClipParams): void {
  const bound = clipBoundArray(w, rows, cols, p);
  if (!(bound > 0)) return;
  for (let i = 0; i < w.length; i++) w[i] = M.min(M.max(w[i], -bound), bound);
}

/** Remaps weights and per-output scales in place (see `remapWeights`). */
export function remapWeightsInPlace(
  w: Float32Array,
  scales: Float32Array,
  rows: number,
  cols: number,
  p: WeightRemapParams,
): void {
  if (scales.length !== rows)
    throw new Error(`remapWeights: ${scales.length} scales for ${rows} output rows`);
  switch (p.type) {
    case 'NONE':
      return;
    case 'LAYERWISE_SYMMETRIC': {
      let amax = 0;
      for (let i = 0; i < w.length; i++) amax = M.max(amax, M.abs(w[i]));
      amax /= p.remapped_wmax;
      if (!(amax > 0)) return;
      for (let r = 0; r < rows; r++) scales[r] *= amax;
      for (let i = 0; i < w.length; i++) w[i] /= amax;
      return;
    }
    case 'CHANNELWISE_SYMMETRIC': {
      const m = rowAbsMax(w, rows, cols);
      if (p.max_scale_range <= 0) {
        for (let r = 0; r < rows; r++) {
          const f = m[r] / p.remapped_wmax > 0 ? m[r] / p.remapped_wmax : 1;
          scales[r] *= f;
          for (let c = 0; c < cols; c++) w[r * cols + c] /= f;
        }
        return;
      }
      if (p.remapped_wmax !== 1) {
        throw new Error(
          'WeightRemapParameter: max_scale_range > 0 requires remapped_wmax = 1 (as in AIHWKit)',
        );
      }
      let minScale = Infinity;
      for (let r = 0; r < rows; r++) minScale = M.min(minScale, scales[r]);
      minScale = M.max(minScale, 0);
      if (minScale > 0 && p.max_scale_ref > 0) minScale = M.max(minScale, p.max_scale_ref);
      for (let r = 0; r < rows; r++) {
        const old = scales[r];
        let next = m[r] > 0 ? m[r] * old : old;
        if (minScale > 0 && next > minScale * p.max_scale_range) next = minScale * p.max_scale_range;
        scales[r] = next;
        for (let c = 0; c < cols; c++) w[r * cols + c] *= old / next;
      }
      return;
    }
    default:
      throw new Error(`WeightRemapParameter.type: unknown remap type "${String(p.type)}"`);
  }
}
