/**
 * The digital periphery of a mapped tile (AIHWKit `MappingParameter`, `TileWithPeriphery`; reference
 * §1.10, §5.8): the tile holds normalized weights W/m, and its output is multiplied back by the
 * mapping scales m (scalar or per output row), the learned out-scales a (if learn_out_scaling) and
 * the input range r, before the digital bias is added. Typed-array functions on row-major [out, in]
 * matrices (rows = outputs).
 */
import type { MappingParameter } from '../configs/mapping';

/** Local alias: looking up the global `Math` inside a vm context (jest) is far slower. */
const M = Math;

export interface MappedWeights {
  /** Tile weights W/m, [rows, cols]. */
  tileWeights: Float32Array;
  /** Mapping scales m, one per row (a layer-wise scale repeated on every row). */
  scales: Float32Array;
}

/**
 * `set_weights` with weight scaling: with ω > 0, m = max|W|/ω (per row if weight_scaling_columnwise,
 * else over the matrix; 0 → 1) and the tile gets W/m. With ω = 0 the weights go in unscaled (m = 1).
 */
export function mapWeights(
  weights: Float32Array,
  rows: number,
  cols: number,
  mapping: MappingParameter,
): MappedWeights {
  if (weights.length !== rows * cols)
    throw new Error(`mapWeights: ${weights.length} values for ${rows}×${cols}`);
  const scales = new Float32Array(rows).fill(1);
  const omega = mapping.weight_scaling_omega;
  if (omega > 0) {
    if (mapping.weight_scaling_columnwise) {
      for (let r = 0; r < rows; r++) {
        let m = 0;
        for (let c = 0; c < cols; c++) m = M.max(m, M.abs(weights[r * cols + c]));
        scales[r] = m / omega || 1;
      }
    } else {
      let m = 0;
      for (let i = 0; i < weights.length; i++) m = M.max(m, M.abs(weights[i]));
      scales.fill(m / omega || 1);
    }
  }
  const tileWeights = new Float32Array(weights.length);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) tileWeights[r * cols + c] = weights[r * cols + c] / scales[r];
  }
  return { tileWeights, scales };
}

/** `get_weights`: the logical weights W_tile · m · a per row. */
export function logicalWeights(
  tileWeights: Float32Array,
  rows: number,
  cols: number,
  scales: Float32Array,
  outScales: Float32Array | null,
): Float32Array {
  const out = new Float32Array(tileWeights.length);
  for (let r = 0; r < rows; r++) {
    const f = scales[r] * (outScales ? outScales[outScales.length === 1 ? 0 : r] : 1);
    for (let c = 0; c < cols; c++) out[r * cols + c] = tileWeights[r * cols + c] * f;
  }
  return out;
}

/** The number of learned out-scales: one per output row if out_scaling_columnwise, else one; 0 if off. */
export function outScaleCount(mapping: MappingParameter, rows: number): number {
  if (!mapping.learn_out_scaling) return 0;
  return mapping.out_scaling_columnwise ? rows : 1;
}

/**
 * ∂L/∂a of y = y₀·a for learned out-scales, from the pre-scaling outputs y₀ and dL/dy ([batch, rows]):
 * Σ_batch dy·y₀ per row, or summed over rows for a single scale.
 */
export function outScaleGradient(
  y0: Float32Array,
  dy: Float32Array,
  batch: number,
  rows: number,
  count: number,
): Float32Array {
  const g = new Float32Array(count);
  for (let b = 0; b < batch; b++) {
    for (let r = 0; r < rows; r++) {
      const i = b * rows + r;
      g[count === 1 ? 0 : r] += dy[i] * y0[i];
    }
  }
  return g;
}

/**
 * The learning-rate scale of a mapped tile's update (weight_scaling_lr_compensation): 1/mean(m), so
 * that the normalized tile weights move as the logical weights would; 1 otherwise.
 */
export function mappingLearningRateScale(scales: Float32Array, mapping: MappingParameter): number {
  if (!mapping.weight_scaling_lr_compensation) return 1;
  let mean = 0;
  for (let i = 0; i < scales.length; i++) mean += scales[i];
  return scales.length / mean;
}
