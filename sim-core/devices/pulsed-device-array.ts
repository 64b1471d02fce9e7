/**
 * Common part of the single pulsed devices (reference §3.1–§3.5): per-cross-point hidden parameters
 * sampled at construction (device-to-device variation), the pulsed update through coincidences, write
 * noise, diffusion, decay and reset. Subclasses give the update-once rule of their device model.
 *
 * Arrays are [rows, cols] row-major (rows = d_size = tile outputs). Values are float32, as AIHWKit's.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { PulsedDevice } from '../configs/devices';
import type { UpdateParameters } from '../configs/update';
import type { Rng } from '../random/rng';
import { WeightMatrix } from '../tile/weight-matrix';
import { pulsedUpdate, type CoincidenceSink } from '../update/pulse-trains';
import { pulsedUpdateTf, type TfStepContext } from '../update/pulse-trains-tf';
import { restoreArray, type DeviceArray, type StateRecord } from './device-array';

/** Local alias: looking up the global `Math` inside a vm context (jest) is ~100× slower than this. */
const M = Math;

/** A pulsed device config with the SoftBoundsPmax re-parameterization already resolved. */
export type ResolvedPulsedDevice = Exclude<PulsedDevice, { type: 'SoftBoundsPmaxDevice' }>;

/** Options a compound passes to its member devices. */
export interface PulsedArrayOptions {
  /** The last column is an analog bias (AIHWKit `perfect_bias` applies to it). */
  analogBiasColumn?: boolean;
}

export abstract class PulsedDeviceArray implements DeviceArray, CoincidenceSink {
  readonly weights: WeightMatrix;
  /** The weights the pulses act on: the persistent (hidden) weights with write noise, else the visible ones. */
  protected readonly w: Float32Array;
  /** Hidden persistent weights (write noise only). */
  protected readonly persistent: Float32Array | null;
  readonly scaleUp: Float32Array;
  readonly scaleDown: Float32Array;
  readonly bMax: Float32Array;
  readonly bMin: Float32Array;
  /** Per device reset target β (also the decay target). */
  readonly resetBias: Float32Array;
  /** Per device decay factor δ (null: no decay configured). */
  readonly decayScale: Float32Array | null;
  /** Per device diffusion std (null: none configured). */
  readonly diffusionRate: Float32Array | null;
  /** Reference device: physical weight = visible + offset (null for the others). */
  protected offset: Float32Array | null = null;
  protected readonly sigma: number;
  /** Write noise std in weight units (write_noise_std · dw_min). */
  protected readonly writeNoise: number;
  protected readonly size: number;

  constructor(
    readonly config: ResolvedPulsedDevice,
    readonly rows: number,
    readonly cols: number,
    rng: Rng,
    options: PulsedArrayOptions = {},
  ) {
    const n = rows * cols;
    this.size = n;
    this.weights = new WeightMatrix(rows, cols);
    const wn = 'write_noise_std' in config ? config.write_noise_std : 0;
    this.writeNoise = wn * config.dw_min;
    this.persistent = this.writeNoise > 0 ? new Float32Array(n) : null;
    this.w = this.persistent ?? this.weights.data;
    this.sigma = config.dw_min_std;
    this.scaleUp = new Float32Array(n);
    this.scaleDown = new Float32Array(n);
    this.bMax = new Float32Array(n);
    this.bMin = new Float32Array(n);
    this.resetBias = new Float32Array(n);
    this.decayScale = config.lifetime > 0 ? new Float32Array(n) : null;
    this.diffusionRate = config.diffusion > 0 ? new Float32Array(n) : null;
    this.populate(rng, options);
  }

  /** Sample the per-device parameters (reference §3.2). */
  private populate(rng: Rng, options: PulsedArrayOptions): void {
    const c = this.config;
    const upBias = M.min(c.up_down, 0);
    const downBias = -M.max(c.up_down, 0);
    for (let i = 0; i < this.rows; i++) {
      for (let j = 0; j < this.cols; j++) {
        const k = i * this.cols + j;
        let bMax = c.w_max * (1 + c.w_max_dtod * rng.normal());
        let bMin = c.w_min * (1 + c.w_min_dtod * rng.normal());
        const g0 = rng.normal();
        const gain = c.dw_min_dtod_log_normal ? M.exp(c.dw_min_dtod * g0) : 1 + c.dw_min_dtod * g0;
        const r = c.up_down_dtod * rng.normal();
        let up = (upBias + gain + r) * c.dw_min;
        let down = (downBias + gain - r) * c.dw_min;
        if (c.enforce_consistency) {
          up = M.abs(up);
          down = M.abs(down);
          if (bMin > bMax) [bMin, bMax] = [bMax, bMin];
          bMax = M.abs(bMax);
          bMin = -M.abs(bMin);
        } else if (bMin > bMax) {
          bMin = bMax = (bMin + bMax) / 2;
        }
        if (c.corrupt_devices_prob > 0 && rng.uniform() < c.corrupt_devices_prob) {
          // A stuck device: zero steps, both bounds at one value within ±corrupt_devices_range.
          const v = M.min(M.max((2 * rng.uniform() - 1) * c.corrupt_devices_range, bMin), bMax);
          bMin = bMax = v;
          up = down = 0;
        }
        if (options.analogBiasColumn && c.perfect_bias && j === this.cols - 1) {
          up = down = c.dw_min;
          bMax = 100 * M.abs(c.w_max);
          bMin = -100 * M.abs(c.w_min);
        }
        this.bMax[k] = bMax;
        this.bMin[k] = bMin;
        this.scaleUp[k] = up;
        this.scaleDown[k] = down;
        if (this.diffusionRate)
          this.diffusionRate[k] = M.abs(c.diffusion * (1 + c.diffusion_dtod * rng.normal()));
        this.resetBias[k] = c.reset + c.reset_dtod * rng.normal();
        if (this.decayScale) {
          const L = c.lifetime * (1 + c.lifetime_dtod * rng.normal());
          this.decayScale[k] = L > 1 ? 1 - 1 / L : 0;
        }
      }
    }
  }

  abstract granularity(): number;

  /** One update-once step at `idx` (on `this.w`), including the clip to the device bounds. */
  protected abstract stepOnce(idx: number, down: boolean, rng: Rng): void;

  /** The same rule on whole tensors (tfjs kernel); see pulse-trains-tf.ts. */
  abstract stepTf(ctx: TfStepContext): tf.Tensor2D;

  /** Tensors of per-device parameters for the tfjs kernel, by name. */
  tfParameters(): Record<string, Float32Array> {
    return { scaleUp: this.scaleUp, scaleDown: this.scaleDown, bMax: this.bMax, bMin: this.bMin };
  }

  get dwMinStd(): number {
    return this.sigma;
  }

  applySlot(
    dIdx: Int32Array,
    dSign: Int8Array,
    nd: number,
    xIdx: Int32Array,
    xSign: Int8Array,
    nx: number,
    rng: Rng,
  ) {
    const cols = this.cols;
    const vis = this.persistent ? this.weights.data : null;
    const wn = this.writeNoise;
    const w = this.w;
    for (let a = 0; a < nd; a++) {
      const base = dIdx[a] * cols;
      const sd = dSign[a];
      for (let b = 0; b < nx; b++) {
        const idx = base + xIdx[b];
        this.stepOnce(idx, sd * xSign[b] > 0, rng);
        if (vis) vis[idx] = w[idx] + wn * rng.normal();
      }
    }
  }

  private factorBuffer = new Float64Array(0);

  /**
   * The multiplicative cycle-to-cycle factors 1 + σξ of `count` steps, in the order of the steps
   * (all 1 without dw_min_std). A scratch buffer: valid until the next call.
   */
  protected cycleFactors(count: number, rng: Rng): Float64Array {
    if (this.factorBuffer.length < count) this.factorBuffer = new Float64Array(M.max(count, 1024));
    const f = this.factorBuffer;
    if (this.sigma > 0) rng.fillNormal(f, this.sigma, 1, 0, count);
    else f.fill(1, 0, count);
    return f;
  }

  /** One update-once at a flat index (with the write-noise refresh); for compounds routing pulses. */
  pulseAt(idx: number, down: boolean, rng: Rng): void {
    this.stepOnce(idx, down, rng);
    if (this.persistent) this.weights.data[idx] = this.w[idx] + this.writeNoise * rng.normal();
  }

  applyCount(row: number, col: number, count: number, down: boolean, rng: Rng): void {
    const idx = row * this.cols + col;
    for (let c = 0; c < count; c++) {
      this.stepOnce(idx, down, rng);
      if (this.persistent) this.weights.data[idx] = this.w[idx] + this.writeNoise * rng.normal();
    }
  }

  update(x: Float32Array, d: Float32Array, batch: number, lr: number, up: UpdateParameters, rng: Rng): void {
    if (up.pulse_type === 'NONE' || up.pulse_type === 'NONE_WITH_DEVICE') {
      this.exactUpdate(x, d, batch, lr, up.pulse_type === 'NONE_WITH_DEVICE', rng);
    } else {
      pulsedUpdate(this, x, d, batch, this.rows, this.cols, lr, up, this.granularity(), rng);
    }
    this.weights.touch();
  }

  updateTf(x: tf.Tensor2D, d: tf.Tensor2D, lr: number, up: UpdateParameters, rng: Rng): void {
    if (up.pulse_type === 'NONE' || up.pulse_type === 'NONE_WITH_DEVICE') {
      const batch = x.shape[0];
      this.exactUpdate(
        x.dataSync() as Float32Array,
        d.dataSync() as Float32Array,
        batch,
        lr,
        up.pulse_type === 'NONE_WITH_DEVICE',
        rng,
      );
      this.weights.touch();
      return;
    }
    pulsedUpdateTf(this, x, d, lr, up, rng);
  }

  /** Called by the tfjs kernel with its results. */
  writeBack(w: Float32Array, visible: Float32Array | null): void {
    this.w.set(w);
    if (this.persistent && visible) this.weights.data.set(visible);
    this.weights.touch();
  }

  /** The arrays the tfjs kernel starts from. */
  currentArrays(): { w: Float32Array; visible: Float32Array | null; offset: Float32Array | null } {
    return { w: this.w, visible: this.persistent ? this.weights.data : null, offset: this.offset };
  }

  get writeNoiseStd(): number {
    return this.writeNoise;
  }

  /** W ← W − λ Σ d xᵀ exactly (pulse_type NONE), optionally clipped to the device bounds. */
  private exactUpdate(x: Float32Array, d: Float32Array, batch: number, lr: number, clip: boolean, rng: Rng) {
    const { rows, cols, w } = this;
    for (let b = 0; b < batch; b++) {
      for (let i = 0; i < rows; i++) {
        const g = lr * d[b * rows + i];
        if (g === 0) continue;
        const base = i * cols;
        const xo = b * cols;
        for (let j = 0; j < cols; j++) w[base + j] -= g * x[xo + j];
      }
    }
    if (clip) this.clipAll();
    this.refreshVisible(rng);
  }

  /** Clip the physical weights to the per-device bounds. */
  protected clipAll(): void {
    const { w, bMax, bMin, offset } = this;
    for (let k = 0; k < this.size; k++) {
      const o = offset ? offset[k] : 0;
      const p = w[k] + o;
      if (p > bMax[k]) w[k] = bMax[k] - o;
      else if (p < bMin[k]) w[k] = bMin[k] - o;
    }
  }

  /** Re-draw the write noise of all visible weights (after decay/diffusion/reset/set). */
  protected refreshVisible(rng: Rng, withNoise = true): void {
    if (this.persistent) {
      const vis = this.weights.data;
      const wn = withNoise ? this.writeNoise : 0;
      for (let k = 0; k < this.size; k++) vis[k] = this.w[k] + (wn > 0 ? wn * rng.normal() : 0);
    }
    this.weights.touch();
  }

  setWeights(values: ArrayLike<number>, rng: Rng): void {
    if (values.length !== this.size) {
      throw new Error(`setWeights: ${values.length} values for a ${this.rows}×${this.cols} device array`);
    }
    for (let k = 0; k < this.size; k++) this.w[k] = values[k];
    this.clipAll();
    const withNoise = 'apply_write_noise_on_set' in this.config ? this.config.apply_write_noise_on_set : true;
    this.refreshVisible(rng, withNoise);
  }

  postUpdateStep(rng: Rng): void {
    if (this.diffusionRate) this.diffuseWeights(rng);
    if (this.decayScale) this.decayWeights(rng);
  }

  decayWeights(rng: Rng, alpha = 1): void {
    const delta = this.decayScale;
    if (!delta) return;
    const { w, resetBias, offset } = this;
    for (let k = 0; k < this.size; k++) {
      const o = offset ? offset[k] : 0;
      const dk = alpha === 1 ? delta[k] : 1 + alpha * (delta[k] - 1);
      const p = (w[k] + o - resetBias[k]) * dk + resetBias[k];
      w[k] = p - o;
    }
    this.clipAll();
    this.refreshVisible(rng);
  }

  diffuseWeights(rng: Rng): void {
    const rate = this.diffusionRate;
    if (!rate) return;
    for (let k = 0; k < this.size; k++) this.w[k] += rate[k] * rng.normal();
    this.clipAll();
    this.refreshVisible(rng);
  }

  /** Reset single cross points (flat indices) to their reset bias plus reset noise. */
  resetAt(indices: ArrayLike<number>, rng: Rng): void {
    const { w, resetBias, offset } = this;
    const std = this.config.reset_std;
    for (let n = 0; n < indices.length; n++) {
      const k = indices[n];
      w[k] = resetBias[k] + std * rng.normal() - (offset ? offset[k] : 0);
    }
    this.clipAll();
    this.refreshVisible(rng);
  }

  /** The weights the pulses act on (persistent weights with write noise), read-only use. */
  get hiddenWeights(): Float32Array {
    return this.w;
  }

  resetColumns(columns: number[], rng: Rng): void {
    const { w, resetBias, offset } = this;
    const std = this.config.reset_std;
    for (const j of columns) {
      if (j < 0 || j >= this.cols) throw new Error(`resetColumns: column ${j} out of range`);
      for (let i = 0; i < this.rows; i++) {
        const k = i * this.cols + j;
        w[k] = resetBias[k] + std * rng.normal() - (offset ? offset[k] : 0);
      }
    }
    this.clipAll();
    this.refreshVisible(rng);
  }

  getState(): StateRecord {
    const s: StateRecord = {
      weights: this.weights.data.slice(),
      scaleUp: this.scaleUp.slice(),
      scaleDown: this.scaleDown.slice(),
      bMax: this.bMax.slice(),
      bMin: this.bMin.slice(),
      resetBias: this.resetBias.slice(),
    };
    if (this.persistent) s.persistent = this.persistent.slice();
    if (this.decayScale) s.decayScale = this.decayScale.slice();
    if (this.diffusionRate) s.diffusionRate = this.diffusionRate.slice();
    if (this.offset) s.offset = this.offset.slice();
    return { ...s, ...this.modelState() };
  }

  setState(state: StateRecord): void {
    restoreArray(this.weights.data, state, 'weights');
    restoreArray(this.scaleUp, state, 'scaleUp');
    restoreArray(this.scaleDown, state, 'scaleDown');
    restoreArray(this.bMax, state, 'bMax');
    restoreArray(this.bMin, state, 'bMin');
    restoreArray(this.resetBias, state, 'resetBias');
    if (this.persistent) restoreArray(this.persistent, state, 'persistent');
    if (this.decayScale) restoreArray(this.decayScale, state, 'decayScale');
    if (this.diffusionRate) restoreArray(this.diffusionRate, state, 'diffusionRate');
    if (this.offset) restoreArray(this.offset, state, 'offset');
    this.setModelState(state);
    this.weights.touch();
  }

  /** Model-specific hidden parameters for a checkpoint. */
  protected modelState(): StateRecord {
    return {};
  }

  protected setModelState(_state: StateRecord): void {}

  dispose(): void {
    this.weights.dispose();
  }
}
