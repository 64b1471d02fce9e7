/**
 * Input-range learning (AIHWKit `InputRangeParameter`, reference §5.9; logic of
 * `TileWithPeriphery.apply_input_range` / `post_backward`): each tile clips its input to ±r and
 * divides by r before the DAC, and multiplies its output by r. r is a digital parameter learned by the
 * optimizer with a hand-made gradient, after a data-driven initialisation over the first batches.
 *
 * Typed-array functions for the CPU kernels, and tfjs-op versions of the per-forward/backward parts
 * for the tfjs kernels; both compute the same numbers.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { InputRangeParameter } from '../configs/mapping';

/** Local alias: looking up the global `Math` inside a vm context (jest) is far slower. */
const M = Math;

export interface InputRangeState {
  /** The input range r (> 0). */
  value: number;
  /** Training batches used so far for the data initialisation (AIHWKit's input_range_update_idx). */
  updateIndex: number;
}

export function initialInputRange(p: InputRangeParameter): InputRangeState {
  return { value: p.init_value, updateIndex: 0 };
}

/** Unbiased standard deviation of all values (torch `Tensor.std()`). */
export function std(values: Float32Array): number {
  const n = values.length;
  if (n < 2) return 0;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += values[i];
  mean /= n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (values[i] - mean) ** 2;
  return M.sqrt(ss / (n - 1));
}

/**
 * Training-forward data initialisation: for the first `init_from_data` batches with std(x) > 0,
 * r ← (r·k + init_std_alpha·std(x))/(k + 1), then r ← |r|. (The first such batch replaces init_value.)
 */
export function updateInputRangeFromData(state: InputRangeState, xStd: number, p: InputRangeParameter): void {
  if (state.updateIndex >= p.init_from_data) return;
  if (xStd > 0) {
    const k = state.updateIndex;
    state.value = (state.value * k + p.init_std_alpha * xStd) / (k + 1);
    state.updateIndex++;
  }
  state.value = M.abs(state.value);
}

/** x̃ = clamp(x, −r, r)/r (what the DAC sees). */
export function applyInputRange(x: Float32Array, r: number): Float32Array {
  const out = new Float32Array(x.length);
  const bound = M.abs(r);
  for (let i = 0; i < x.length; i++) out[i] = M.min(M.max(x[i], -bound), bound) / bound;
  return out;
}

export function applyInputRangeTf(x: tf.Tensor, r: number): tf.Tensor {
  const bound = M.abs(r);
  return tf.tidy(() => tf.div(tf.clipByValue(x, -bound, bound), bound));
}

export interface InputRangeGradientInputs {
  /** The raw tile input of the forward pass (before clipping). */
  x: Float32Array;
  /** The gradient the tile propagates to its input (∂L/∂x, straight through the clip). */
  dx: Float32Array;
  r: number;
  /**
   * Fraction of tile outputs that were not at the output bound in the forward pass
   * (only used with manage_output_clipping).
   */
  outputUnclippedFraction?: number;
}

/**
 * ∂L/∂r as AIHWKit's RPUCuda tiles compute it (not the exact derivative):
 * g = Σ_{x ≥ r} min(dx, 0) − Σ_{x ≤ −r} max(dx, 0); ×r·gradient_scale if gradient_relative;
 * − (1 − p_out)·r if manage_output_clipping and p_out < output_min_percentage;
 * + decay·r if the fraction of |x| < r exceeds input_min_percentage.
 */
export function inputRangeGradient(inputs: InputRangeGradientInputs, p: InputRangeParameter): number {
  const { x, dx, r } = inputs;
  let g = 0;
  let inside = 0;
  for (let i = 0; i < x.length; i++) {
    if (x[i] >= r) g += M.min(dx[i], 0);
    if (x[i] <= -r) g -= M.max(dx[i], 0);
    if (M.abs(x[i]) < r) inside++;
  }
  return finishGradient(g, inside / x.length, r, p, inputs.outputUnclippedFraction);
}

export function inputRangeGradientTf(
  x: tf.Tensor,
  dx: tf.Tensor,
  r: number,
  p: InputRangeParameter,
  outputUnclippedFraction?: number,
): number {
  const [g, insideFraction] = tf.tidy(() => {
    const upper = tf.sum(tf.where(tf.greaterEqual(x, r), tf.minimum(dx, 0), tf.zerosLike(dx)));
    const lower = tf.sum(tf.where(tf.lessEqual(x, -r), tf.maximum(dx, 0), tf.zerosLike(dx)));
    const inside = tf.mean(tf.cast(tf.less(tf.abs(x), r), 'float32'));
    return [tf.sub(upper, lower).dataSync()[0], inside.dataSync()[0]];
  });
  return finishGradient(g, insideFraction, r, p, outputUnclippedFraction);
}

function finishGradient(
  clipGradient: number,
  insideFraction: number,
  r: number,
  p: InputRangeParameter,
  outputUnclippedFraction: number | undefined,
): number {
  let g = clipGradient;
  if (p.gradient_relative) g *= r * p.gradient_scale;
  if (p.manage_output_clipping && outputUnclippedFraction !== undefined) {
    if (outputUnclippedFraction < p.output_min_percentage) g -= (1 - outputUnclippedFraction) * r;
  }
  if (p.decay > 0 && insideFraction > p.input_min_percentage) g += p.decay * r;
  return g;
}

/**
 * AIHWKit accepts manage_output_clipping only when the forward has neither noise nor bound
 * management (so output clipping is a property of the weights and inputs alone).
 */
export function checkInputRangeConfig(
  p: InputRangeParameter,
  forward: { noise_management: string; bound_management: string },
): string | null {
  if (
    p.enable &&
    p.manage_output_clipping &&
    (forward.noise_management !== 'NONE' || forward.bound_management !== 'NONE')
  ) {
    return 'pre_post.input_range.manage_output_clipping needs forward.noise_management and forward.bound_management NONE';
  }
  return null;
}
