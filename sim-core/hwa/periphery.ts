/**
 * The learned digital periphery of one analog tile (AIHWKit `TileWithPeriphery`, reference §1.10,
 * §5.8, §5.9), around the tile's MVM and its mapping scales m:
 *
 * - input range r (`pre_post.input_range.enable`): x̃ = clip(x, −r, r)/r goes to the tile, its output
 *   is multiplied by r; r is a digital parameter with AIHWKit's hand-made gradient and a data-driven
 *   initialisation over the first training batches;
 * - learned out-scales a (`mapping.learn_out_scaling`): y ← y·a, one per output row
 *   (out_scaling_columnwise) or one for the tile, learned by the optimizer.
 *
 * Gradients follow AIHWKit's RPUCuda tiles: the input gradient passes the clip straight through and
 * carries no r (dx = Wᵀ·(d·a·m)); the tile update sees x̃ and d·a/m.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { InputRangeParameter, MappingParameter } from '../configs/mapping';
import type { DigitalParameter } from '../layers/layer';
import { inputRangeGradient, std, updateInputRangeFromData, type InputRangeState } from './input-range';
import { outScaleCount } from './mapping';

/** Whether a tile with this mapping / pre_post needs a periphery object at all. */
export function needsPeriphery(mapping: MappingParameter, inputRange: InputRangeParameter): boolean {
  return mapping.learn_out_scaling || inputRange.enable;
}

export class TilePeriphery {
  readonly inputRange: DigitalParameter | null;
  readonly outScale: DigitalParameter | null;
  private readonly irState: InputRangeState | null;
  /** The raw tile input of the last training forward (for the input-range gradient). */
  private rawInput: Float32Array | null = null;
  /** The tile output before the out-scales, of the last training forward. */
  private y0: tf.Tensor2D | null = null;
  /** Fraction of tile outputs below the output bound in the last training forward. */
  private unclipped: number | undefined = undefined;

  constructor(
    readonly mapping: MappingParameter,
    readonly inputRangeParams: InputRangeParameter,
    readonly outSize: number,
    prefix: string,
  ) {
    const ir = inputRangeParams;
    this.inputRange = ir.enable
      ? {
          name: `${prefix}input_range`,
          values: Float32Array.of(ir.init_value),
          grad: new Float32Array(1),
          momentum: null,
        }
      : null;
    this.irState = ir.enable ? { value: ir.init_value, updateIndex: 0 } : null;
    const n = outScaleCount(mapping, outSize);
    this.outScale =
      n > 0
        ? {
            name: `${prefix}out_scaling_alpha`,
            values: new Float32Array(n).fill(1),
            grad: new Float32Array(n),
            momentum: null,
          }
        : null;
  }

  /** The digital parameters the optimizer updates. */
  parameters(): DigitalParameter[] {
    return [this.inputRange, this.outScale].filter((p): p is DigitalParameter => p !== null);
  }

  private get r(): number {
    return Math.abs((this.inputRange as DigitalParameter).values[0]);
  }

  /**
   * The tile's input: clip(x, −r, r)/r with an input range (after the data initialisation in
   * training), else x itself. Returns a new tensor when it changed x.
   */
  preForward(x: tf.Tensor2D, training: boolean): tf.Tensor2D {
    if (!this.inputRange || !this.irState) return x;
    if (training) {
      const raw = x.dataSync() as Float32Array;
      // The optimizer may have moved r since the last batch: keep the state in step.
      this.irState.value = this.inputRange.values[0];
      updateInputRangeFromData(this.irState, std(raw), this.inputRangeParams);
      this.inputRange.values[0] = this.irState.value;
      this.rawInput = raw.slice();
    }
    const r = this.r;
    return tf.tidy(() => tf.div(tf.clipByValue(x, -r, r), r) as tf.Tensor2D);
  }

  /**
   * With manage_output_clipping: records the fraction of raw tile outputs (training forward) that
   * stayed below 0.999·out_bound, as AIHWKit's saturation mask counts them.
   */
  recordTileOutput(y: tf.Tensor2D, outBound: number): void {
    if (!this.inputRangeParams.manage_output_clipping || !(outBound > 0)) return;
    this.unclipped = tf.tidy(
      () => tf.mean(tf.cast(tf.less(tf.abs(y), 0.999 * outBound), 'float32')).dataSync()[0],
    );
  }

  /** After the tile and the mapping scales: ×r, then ×a (keeping y·r for the out-scale gradient). */
  postForward(y: tf.Tensor2D, training: boolean): tf.Tensor2D {
    let out = y;
    if (this.inputRange) out = tf.mul(out, this.r) as tf.Tensor2D;
    if (this.outScale) {
      if (training) {
        this.y0?.dispose();
        this.y0 = tf.keep(tf.clone(out));
      }
      const a = this.outScale.values;
      const scaled = tf.tidy(() =>
        tf.mul(out, a.length === 1 ? a[0] : tf.tensor2d(a, [1, a.length])),
      ) as tf.Tensor2D;
      if (out !== y) out.dispose();
      out = scaled;
    }
    if (out !== y) y.dispose();
    return out;
  }

  /** The gradient w.r.t. the tile (and mapping) output: d·a. Records ∂L/∂a = Σ d·y₀. */
  preBackward(d: tf.Tensor2D): tf.Tensor2D {
    if (!this.outScale) return d;
    if (!this.y0) throw new Error('TilePeriphery.preBackward called without a training forward');
    const y0 = this.y0;
    const n = this.outScale.values.length;
    const g = tf.tidy(() => (n === 1 ? tf.reshape(tf.sum(tf.mul(d, y0)), [1]) : tf.sum(tf.mul(d, y0), 0)));
    this.outScale.grad.set(g.dataSync());
    g.dispose();
    return this.scaleByOut(d);
  }

  /** d·a for the tile update (AIHWKit's update sees the gradient w.r.t. the out-scaled output). */
  updateGradient(d: tf.Tensor2D): tf.Tensor2D {
    return this.outScale ? this.scaleByOut(d) : d;
  }

  private scaleByOut(d: tf.Tensor2D): tf.Tensor2D {
    const a = (this.outScale as DigitalParameter).values;
    return tf.tidy(() => tf.mul(d, a.length === 1 ? a[0] : tf.tensor2d(a, [1, a.length]))) as tf.Tensor2D;
  }

  /** After the tile backward: records ∂L/∂r from the raw input and the input gradient dx. */
  postBackward(dx: tf.Tensor2D): void {
    if (!this.inputRange) return;
    if (!this.rawInput) throw new Error('TilePeriphery.postBackward called without a training forward');
    this.inputRange.grad[0] = inputRangeGradient(
      {
        x: this.rawInput,
        dx: dx.dataSync() as Float32Array,
        r: this.r,
        outputUnclippedFraction: this.unclipped,
      },
      this.inputRangeParams,
    );
  }

  /** The data-initialisation counter (checkpointed with the layer). */
  get inputRangeUpdateIndex(): number {
    return this.irState?.updateIndex ?? 0;
  }

  set inputRangeUpdateIndex(k: number) {
    if (this.irState) this.irState.updateIndex = k;
  }

  clearCache(): void {
    this.rawInput = null;
    this.y0?.dispose();
    this.y0 = null;
  }
}
