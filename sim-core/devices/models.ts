/**
 * The update-once rules of the single pulsed device models (reference §3.3), each as a typed-array step
 * and as a tfjs-op step. All end with the clip to the per-device bounds.
 */
import * as tf from '@tensorflow/tfjs-core';
import type {
  ConstantStepDevice,
  ExpStepDevice,
  LinearStepDevice,
  PiecewiseStepDevice,
  PowStepDevice,
  SoftBoundsDevice,
  SoftBoundsReferenceDevice,
} from '../configs/devices';
import type { Rng } from '../random/rng';
import type { TfStepContext } from '../update/pulse-trains-tf';
import { restoreArray, type StateRecord } from './device-array';
import { PulsedDeviceArray, type PulsedArrayOptions } from './pulsed-device-array';

/** Local alias: looking up the global `Math` inside a vm context (jest) is ~100× slower than this. */
const M = Math;

/** Keep untouched cross points exactly as they were; clip the touched ones. */
function finishTf(ctx: TfStepContext, wNew: tf.Tensor2D): tf.Tensor2D {
  const touched = tf.greater(tf.add(ctx.down, ctx.up), 0);
  const clipped = tf.minimum(tf.maximum(wNew, ctx.p.bMin), ctx.p.bMax);
  return tf.where(touched, clipped, ctx.w) as tf.Tensor2D;
}

/** (1 + σξ), the multiplicative cycle-to-cycle factor. */
function cycleFactor(ctx: TfStepContext, sigma: number): tf.Tensor2D {
  return sigma > 0
    ? (tf.add(1, tf.mul(ctx.noise, sigma)) as tf.Tensor2D)
    : (tf.onesLike(ctx.w) as tf.Tensor2D);
}

export class ConstantStepArray extends PulsedDeviceArray {
  declare readonly config: ConstantStepDevice;

  granularity(): number {
    return this.config.dw_min;
  }

  protected stepOnce(idx: number, down: boolean, rng: Rng): void {
    const n = this.sigma > 0 ? 1 + this.sigma * rng.normal() : 1;
    let v = down ? this.w[idx] - this.scaleDown[idx] * n : this.w[idx] + this.scaleUp[idx] * n;
    if (v > this.bMax[idx]) v = this.bMax[idx];
    else if (v < this.bMin[idx]) v = this.bMin[idx];
    this.w[idx] = v;
  }

  /** The slot loop with the step inlined (the hot path of the default device; no write noise here). */
  override applySlot(
    dIdx: Int32Array,
    dSign: Int8Array,
    nd: number,
    xIdx: Int32Array,
    xSign: Int8Array,
    nx: number,
    rng: Rng,
  ): void {
    if (this.persistent) {
      super.applySlot(dIdx, dSign, nd, xIdx, xSign, nx, rng);
      return;
    }
    const { w, scaleUp, scaleDown, bMax, bMin, cols } = this;
    // The cycle-to-cycle factors (1 + σξ) of all nd·nx coincidences, drawn in their order at once.
    const factor = this.cycleFactors(nd * nx, rng);
    let k = 0;
    for (let a = 0; a < nd; a++) {
      const base = dIdx[a] * cols;
      const sd = dSign[a];
      for (let b = 0; b < nx; b++, k++) {
        const idx = base + xIdx[b];
        let v = sd * xSign[b] > 0 ? w[idx] - scaleDown[idx] * factor[k] : w[idx] + scaleUp[idx] * factor[k];
        if (v > bMax[idx]) v = bMax[idx];
        else if (v < bMin[idx]) v = bMin[idx];
        w[idx] = v;
      }
    }
  }

  stepTf(ctx: TfStepContext): tf.Tensor2D {
    const n = cycleFactor(ctx, this.sigma);
    const delta = tf.mul(tf.sub(tf.mul(ctx.up, ctx.p.scaleUp), tf.mul(ctx.down, ctx.p.scaleDown)), n);
    return finishTf(ctx, tf.add(ctx.w, delta) as tf.Tensor2D);
  }
}

/**
 * LinearStep (and SoftBounds as its special case): up step Δw⁺ + k⁺w, down step Δw⁻ + k⁻w with per-device
 * slopes k = −γ·Δw/r toward the reference points r (reference §3.3).
 */
export class LinearStepArray extends PulsedDeviceArray {
  declare readonly config: LinearStepDevice | SoftBoundsDevice;
  readonly slopeUp: Float32Array;
  readonly slopeDown: Float32Array;
  private readonly multNoise: boolean;

  constructor(
    config: LinearStepDevice | SoftBoundsDevice,
    rows: number,
    cols: number,
    rng: Rng,
    options?: PulsedArrayOptions,
  ) {
    super(config, rows, cols, rng, options);
    this.multNoise = config.mult_noise;
    this.slopeUp = new Float32Array(this.size);
    this.slopeDown = new Float32Array(this.size);
    const soft = config.type === 'SoftBoundsDevice';
    const c = config as LinearStepDevice;
    for (let k = 0; k < this.size; k++) {
      let gUp = 1;
      let gDown = 1;
      if (!soft) {
        gUp = c.gamma_up + c.gamma_up_dtod * rng.normal();
        gDown = c.gamma_down + c.gamma_down_dtod * rng.normal();
        if (!c.allow_increasing) {
          gUp = M.abs(gUp);
          gDown = M.abs(gDown);
        }
      }
      // SoftBounds refers to the device's own bounds (mean_bound_reference false).
      const meanRef = !soft && c.mean_bound_reference;
      let rUp = meanRef ? config.w_max : this.bMax[k];
      let rDown = meanRef ? config.w_min : this.bMin[k];
      if (config.reverse_up) rUp = (meanRef ? config.w_min : this.bMin[k]) - config.reverse_offset;
      if (config.reverse_down) rDown = (meanRef ? config.w_max : this.bMax[k]) + config.reverse_offset;
      this.slopeUp[k] = rUp === 0 ? 0 : (-gUp * this.scaleUp[k]) / rUp;
      this.slopeDown[k] = rDown === 0 ? 0 : (-gDown * this.scaleDown[k]) / rDown;
    }
  }

  granularity(): number {
    return this.config.dw_min;
  }

  protected stepOnce(idx: number, down: boolean, rng: Rng): void {
    const w = this.w[idx];
    let v: number;
    if (this.multNoise) {
      const n = this.sigma > 0 ? 1 + this.sigma * rng.normal() : 1;
      v = down
        ? w - (this.slopeDown[idx] * w + this.scaleDown[idx]) * n
        : w + (this.slopeUp[idx] * w + this.scaleUp[idx]) * n;
    } else {
      const e = this.sigma > 0 ? this.sigma * rng.normal() : 0;
      v = down
        ? w - (this.slopeDown[idx] * w + this.scaleDown[idx] * (1 + e))
        : w + (this.slopeUp[idx] * w + this.scaleUp[idx] * (1 + e));
    }
    if (v > this.bMax[idx]) v = this.bMax[idx];
    else if (v < this.bMin[idx]) v = this.bMin[idx];
    this.w[idx] = v;
  }

  /** The slot loop with the step inlined (SoftBounds and LinearStep; no write noise here). */
  override applySlot(
    dIdx: Int32Array,
    dSign: Int8Array,
    nd: number,
    xIdx: Int32Array,
    xSign: Int8Array,
    nx: number,
    rng: Rng,
  ): void {
    if (this.persistent) {
      super.applySlot(dIdx, dSign, nd, xIdx, xSign, nx, rng);
      return;
    }
    const { w, scaleUp, scaleDown, slopeUp, slopeDown, bMax, bMin, cols, multNoise } = this;
    // (1 + e) with e = σξ of every coincidence, drawn in their order at once.
    const factor = this.cycleFactors(nd * nx, rng);
    let k = 0;
    for (let a = 0; a < nd; a++) {
      const base = dIdx[a] * cols;
      const sd = dSign[a];
      for (let b = 0; b < nx; b++, k++) {
        const idx = base + xIdx[b];
        const wi = w[idx];
        const f = factor[k];
        let v: number;
        if (sd * xSign[b] > 0) {
          v = multNoise
            ? wi - (slopeDown[idx] * wi + scaleDown[idx]) * f
            : wi - (slopeDown[idx] * wi + scaleDown[idx] * f);
        } else {
          v = multNoise
            ? wi + (slopeUp[idx] * wi + scaleUp[idx]) * f
            : wi + (slopeUp[idx] * wi + scaleUp[idx] * f);
        }
        if (v > bMax[idx]) v = bMax[idx];
        else if (v < bMin[idx]) v = bMin[idx];
        w[idx] = v;
      }
    }
  }

  override tfParameters(): Record<string, Float32Array> {
    return { ...super.tfParameters(), slopeUp: this.slopeUp, slopeDown: this.slopeDown };
  }

  stepTf(ctx: TfStepContext): tf.Tensor2D {
    const { w, p } = ctx;
    const upStep = tf.add(tf.mul(p.slopeUp, w), p.scaleUp);
    const downStep = tf.add(tf.mul(p.slopeDown, w), p.scaleDown);
    let delta: tf.Tensor;
    if (this.multNoise) {
      delta = tf.mul(
        tf.sub(tf.mul(ctx.up, upStep), tf.mul(ctx.down, downStep)),
        cycleFactor(ctx, this.sigma),
      );
    } else {
      const e = tf.mul(ctx.noise, this.sigma);
      const upS = tf.add(upStep, tf.mul(p.scaleUp, e));
      const downS = tf.add(downStep, tf.mul(p.scaleDown, e));
      delta = tf.sub(tf.mul(ctx.up, upS), tf.mul(ctx.down, downS));
    }
    return finishTf(ctx, tf.add(w, delta) as tf.Tensor2D);
  }

  protected override modelState(): StateRecord {
    return { slopeUp: this.slopeUp.slice(), slopeDown: this.slopeDown.slice() };
  }

  protected override setModelState(state: StateRecord): void {
    restoreArray(this.slopeUp, state, 'slopeUp');
    restoreArray(this.slopeDown, state, 'slopeDown');
  }
}

/**
 * SoftBounds with a per-device reference (reference §3.3): the visible weight is physical − ref; the
 * soft-bounds step acts on the physical weight u = w + ref.
 */
export class SoftBoundsReferenceArray extends PulsedDeviceArray {
  declare readonly config: SoftBoundsReferenceDevice;
  private readonly reference: Float32Array;
  private readonly multNoise: boolean;

  constructor(
    config: SoftBoundsReferenceDevice,
    rows: number,
    cols: number,
    rng: Rng,
    options?: PulsedArrayOptions,
  ) {
    super(config, rows, cols, rng, options);
    this.multNoise = config.mult_noise;
    this.reference = new Float32Array(this.size);
    for (let k = 0; k < this.size; k++) {
      const up = this.scaleUp[k];
      const down = this.scaleDown[k];
      if (this.bMax[k] > 0 && this.bMin[k] < 0) {
        const sUp = (up / this.bMax[k]) * M.abs(1 + config.slope_up_dtod * rng.normal());
        const sDown = (-down / this.bMin[k]) * M.abs(1 + config.slope_down_dtod * rng.normal());
        if (sUp > 0) this.bMax[k] = up / sUp;
        if (sDown > 0) this.bMin[k] = -down / sDown;
      }
      let ref = config.reference_mean + config.reference_std * rng.normal();
      if (config.subtract_symmetry_point) {
        const denom = up / this.bMax[k] - down / this.bMin[k];
        const wStar = denom !== 0 && Number.isFinite(denom) ? (up - down) / denom : 0;
        ref += wStar;
        this.resetBias[k] += wStar;
      }
      this.reference[k] = ref;
    }
    this.offset = this.reference;
  }

  granularity(): number {
    return this.config.dw_min;
  }

  protected stepOnce(idx: number, down: boolean, rng: Rng): void {
    const ref = this.reference[idx];
    const u = this.w[idx] + ref;
    const bMax = this.bMax[idx];
    const bMin = this.bMin[idx];
    const e = this.sigma > 0 ? this.sigma * rng.normal() : 0;
    let v: number;
    if (down) {
      const rel = bMin !== 0 ? 1 - u / bMin : 0;
      v = u - this.scaleDown[idx] * (this.multNoise ? rel * (1 + e) : rel + e);
    } else {
      const rel = bMax !== 0 ? 1 - u / bMax : 0;
      v = u + this.scaleUp[idx] * (this.multNoise ? rel * (1 + e) : rel + e);
    }
    if (v > bMax) v = bMax;
    else if (v < bMin) v = bMin;
    this.w[idx] = v - ref;
  }

  override tfParameters(): Record<string, Float32Array> {
    return { ...super.tfParameters(), reference: this.reference };
  }

  stepTf(ctx: TfStepContext): tf.Tensor2D {
    const { p } = ctx;
    const u = tf.add(ctx.w, p.reference);
    const e = tf.mul(ctx.noise, this.sigma);
    const safeDiv = (a: tf.Tensor, b: tf.Tensor) => tf.where(tf.equal(b, 0), tf.zerosLike(a), tf.div(a, b));
    const relUp = tf.sub(1, safeDiv(u, p.bMax));
    const relDown = tf.sub(1, safeDiv(u, p.bMin));
    const f = (rel: tf.Tensor) => (this.multNoise ? tf.mul(rel, tf.add(1, e)) : tf.add(rel, e));
    const delta = tf.sub(
      tf.mul(ctx.up, tf.mul(p.scaleUp, f(relUp))),
      tf.mul(ctx.down, tf.mul(p.scaleDown, f(relDown))),
    );
    const touched = tf.greater(tf.add(ctx.down, ctx.up), 0);
    const uNew = tf.minimum(tf.maximum(tf.add(u, delta), p.bMin), p.bMax);
    return tf.where(touched, tf.sub(uNew, p.reference), ctx.w) as tf.Tensor2D;
  }

  protected override modelState(): StateRecord {
    return { reference: this.reference.slice() };
  }

  protected override setModelState(state: StateRecord): void {
    restoreArray(this.reference, state, 'reference');
  }
}

/** ExpStep (reference §3.3): steps shrink exponentially toward the bounds; optional "complex" noise. */
export class ExpStepArray extends PulsedDeviceArray {
  declare readonly config: ExpStepDevice;
  private readonly complexNoise: boolean;

  constructor(config: ExpStepDevice, rows: number, cols: number, rng: Rng, options?: PulsedArrayOptions) {
    super(config, rows, cols, rng, options);
    this.complexNoise =
      config.dw_min_std > 0 && (config.dw_min_std_add !== 0 || config.dw_min_std_slope !== 0);
  }

  /**
   * The down step at w = 0 with the mean up_down bias. AIHWKit averages the down step with itself here
   * (reference §10 item 5); we keep that value, since it sets BL and so the training dynamics users know.
   */
  granularity(): number {
    const c = this.config;
    const downBias = -M.max(c.up_down, 0);
    const yDown = M.max(1 - c.A_down * M.exp(-c.gamma_down * c.b), 0);
    const eps = yDown * (1 + downBias) * c.dw_min;
    return eps > 0 ? eps : c.dw_min;
  }

  protected stepOnce(idx: number, down: boolean, rng: Rng): void {
    const c = this.config;
    const w = this.w[idx];
    const range = this.bMax[idx] - this.bMin[idx];
    if (!(range > 0)) return; // a stuck device
    const z = (2 * c.a * w) / range + c.b;
    let v: number;
    if (this.complexNoise) {
      const delta = down
        ? -M.max(1 - c.A_down * M.exp(-c.gamma_down * z), 0) * this.scaleDown[idx]
        : M.max(1 - c.A_up * M.exp(c.gamma_up * z), 0) * this.scaleUp[idx];
      v =
        w +
        delta +
        this.sigma * (M.abs(delta) + c.dw_min_std_add + c.dw_min_std_slope * M.abs(w)) * rng.normal();
    } else {
      const n = this.sigma > 0 ? 1 + this.sigma * rng.normal() : 1;
      v = down
        ? w - M.max(1 - c.A_down * M.exp(-c.gamma_down * z), 0) * n * this.scaleDown[idx]
        : w + M.max(1 - c.A_up * M.exp(c.gamma_up * z), 0) * n * this.scaleUp[idx];
    }
    if (v > this.bMax[idx]) v = this.bMax[idx];
    else if (v < this.bMin[idx]) v = this.bMin[idx];
    this.w[idx] = v;
  }

  stepTf(ctx: TfStepContext): tf.Tensor2D {
    const c = this.config;
    const { w, p } = ctx;
    const range = tf.sub(p.bMax, p.bMin);
    const live = tf.greater(range, 0);
    const z = tf.add(tf.div(tf.mul(w, 2 * c.a), tf.where(live, range, tf.onesLike(range))), c.b);
    const yDown = tf.relu(tf.sub(1, tf.mul(c.A_down, tf.exp(tf.mul(z, -c.gamma_down)))));
    const yUp = tf.relu(tf.sub(1, tf.mul(c.A_up, tf.exp(tf.mul(z, c.gamma_up)))));
    const delta = tf.sub(
      tf.mul(ctx.up, tf.mul(yUp, p.scaleUp)),
      tf.mul(ctx.down, tf.mul(yDown, p.scaleDown)),
    );
    let wNew: tf.Tensor;
    if (this.complexNoise) {
      const spread = tf.add(tf.add(tf.abs(delta), c.dw_min_std_add), tf.mul(tf.abs(w), c.dw_min_std_slope));
      wNew = tf.add(tf.add(w, delta), tf.mul(tf.mul(spread, this.sigma), ctx.noise));
    } else {
      wNew = tf.add(w, tf.mul(delta, cycleFactor(ctx, this.sigma)));
    }
    const masked = {
      ...ctx,
      down: tf.mul(ctx.down, tf.cast(live, 'float32')) as tf.Tensor2D,
      up: tf.mul(ctx.up, tf.cast(live, 'float32')) as tf.Tensor2D,
    };
    return finishTf(masked, wNew as tf.Tensor2D);
  }
}

/** PowStep (reference §3.3): steps ∝ (distance to the bound / range)^γ with per-device exponents. */
export class PowStepArray extends PulsedDeviceArray {
  declare readonly config: PowStepDevice;
  readonly gammaUp: Float32Array;
  readonly gammaDown: Float32Array;

  constructor(config: PowStepDevice, rows: number, cols: number, rng: Rng, options?: PulsedArrayOptions) {
    super(config, rows, cols, rng, options);
    this.gammaUp = new Float32Array(this.size);
    this.gammaDown = new Float32Array(this.size);
    const upBias = M.min(config.pow_up_down, 0);
    const downBias = -M.max(config.pow_up_down, 0);
    for (let k = 0; k < this.size; k++) {
      const g = 1 + config.pow_gamma_dtod * rng.normal();
      const r = config.pow_up_down_dtod * rng.normal();
      let gu = (upBias + g + r) * config.pow_gamma;
      let gd = (downBias + g - r) * config.pow_gamma;
      if (config.enforce_consistency) {
        gu = M.abs(gu);
        gd = M.abs(gd);
      }
      this.gammaUp[k] = gu;
      this.gammaDown[k] = gd;
    }
  }

  granularity(): number {
    return this.config.dw_min * M.pow(0.5, this.config.pow_gamma);
  }

  protected stepOnce(idx: number, down: boolean, rng: Rng): void {
    const w = this.w[idx];
    const bMax = this.bMax[idx];
    const bMin = this.bMin[idx];
    const range = bMax - bMin;
    if (!(range > 0)) return;
    const n = this.sigma > 0 ? 1 + this.sigma * rng.normal() : 1;
    let v = down
      ? w - this.scaleDown[idx] * M.pow(M.max((w - bMin) / range, 0), this.gammaDown[idx]) * n
      : w + this.scaleUp[idx] * M.pow(M.max((bMax - w) / range, 0), this.gammaUp[idx]) * n;
    if (v > bMax) v = bMax;
    else if (v < bMin) v = bMin;
    this.w[idx] = v;
  }

  override tfParameters(): Record<string, Float32Array> {
    return { ...super.tfParameters(), gammaUp: this.gammaUp, gammaDown: this.gammaDown };
  }

  stepTf(ctx: TfStepContext): tf.Tensor2D {
    const { w, p } = ctx;
    const range = tf.sub(p.bMax, p.bMin);
    const live = tf.greater(range, 0);
    const safeRange = tf.where(live, range, tf.onesLike(range));
    const fDown = tf.pow(tf.relu(tf.div(tf.sub(w, p.bMin), safeRange)), p.gammaDown);
    const fUp = tf.pow(tf.relu(tf.div(tf.sub(p.bMax, w), safeRange)), p.gammaUp);
    const delta = tf.mul(
      tf.sub(tf.mul(ctx.up, tf.mul(fUp, p.scaleUp)), tf.mul(ctx.down, tf.mul(fDown, p.scaleDown))),
      cycleFactor(ctx, this.sigma),
    );
    const liveF = tf.cast(live, 'float32') as tf.Tensor2D;
    return finishTf(
      { ...ctx, down: tf.mul(ctx.down, liveF), up: tf.mul(ctx.up, liveF) } as TfStepContext,
      tf.add(w, delta) as tf.Tensor2D,
    );
  }

  protected override modelState(): StateRecord {
    return { gammaUp: this.gammaUp.slice(), gammaDown: this.gammaDown.slice() };
  }

  protected override setModelState(state: StateRecord): void {
    restoreArray(this.gammaUp, state, 'gammaUp');
    restoreArray(this.gammaDown, state, 'gammaDown');
  }
}

/** PiecewiseStep (reference §3.3): step factors interpolated between nodes spread evenly over [b_min, b_max]. */
export class PiecewiseStepArray extends PulsedDeviceArray {
  declare readonly config: PiecewiseStepDevice;
  private readonly nodesUp: Float64Array;
  private readonly nodesDown: Float64Array;

  constructor(
    config: PiecewiseStepDevice,
    rows: number,
    cols: number,
    rng: Rng,
    options?: PulsedArrayOptions,
  ) {
    super(config, rows, cols, rng, options);
    if (config.piecewise_up.length !== config.piecewise_down.length) {
      throw new Error('PiecewiseStepDevice: piecewise_up and piecewise_down need the same length');
    }
    this.nodesUp = Float64Array.from(config.piecewise_up);
    this.nodesDown = Float64Array.from(config.piecewise_down);
  }

  granularity(): number {
    const nodes = this.config.piecewise_up;
    return this.config.dw_min * nodes[M.floor(nodes.length / 2)];
  }

  private factor(nodes: Float64Array, w: number, bMin: number, bMax: number): number {
    const n = nodes.length - 1;
    if (n === 0) return nodes[0];
    const range = bMax - bMin;
    const tw = range > 0 ? M.max(((w - bMin) / range) * n, 0) : 0;
    const k = M.min(M.floor(tw), n - 1);
    const q = M.min(tw - k, 1);
    return (1 - q) * nodes[k] + q * nodes[k + 1];
  }

  protected stepOnce(idx: number, down: boolean, rng: Rng): void {
    const w = this.w[idx];
    const bMax = this.bMax[idx];
    const bMin = this.bMin[idx];
    const n = this.sigma > 0 ? 1 + this.sigma * rng.normal() : 1;
    let v = down
      ? w - this.scaleDown[idx] * this.factor(this.nodesDown, w, bMin, bMax) * n
      : w + this.scaleUp[idx] * this.factor(this.nodesUp, w, bMin, bMax) * n;
    if (v > bMax) v = bMax;
    else if (v < bMin) v = bMin;
    this.w[idx] = v;
  }

  stepTf(ctx: TfStepContext): tf.Tensor2D {
    const { w, p } = ctx;
    const factor = (nodes: Float64Array) => {
      const n = nodes.length - 1;
      const values = tf.tensor1d(Float32Array.from(nodes));
      if (n === 0) return tf.mul(tf.onesLike(w), nodes[0]);
      const range = tf.sub(p.bMax, p.bMin);
      const live = tf.greater(range, 0);
      const tw = tf.where(
        live,
        tf.relu(tf.mul(tf.div(tf.sub(w, p.bMin), tf.where(live, range, tf.onesLike(range))), n)),
        tf.zerosLike(w),
      );
      const k = tf.minimum(tf.floor(tw), n - 1);
      const q = tf.minimum(tf.sub(tw, k), 1);
      const ki = tf.cast(k, 'int32');
      const lo = tf.gather(values, ki);
      const hi = tf.gather(values, tf.add(ki, tf.scalar(1, 'int32')));
      return tf.add(tf.mul(tf.sub(1, q), lo), tf.mul(q, hi));
    };
    const delta = tf.mul(
      tf.sub(
        tf.mul(ctx.up, tf.mul(factor(this.nodesUp), p.scaleUp)),
        tf.mul(ctx.down, tf.mul(factor(this.nodesDown), p.scaleDown)),
      ),
      cycleFactor(ctx, this.sigma),
    );
    return finishTf(ctx, tf.add(w, delta) as tf.Tensor2D);
  }
}
