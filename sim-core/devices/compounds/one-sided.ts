/**
 * OneSidedUnitCell (reference §3.10): a pair g⁺, g⁻ of devices that are only ever stepped UP; an up
 * coincidence steps g⁺, a down coincidence steps g⁻, W = g⁺ − g⁻. Every `refresh_every` updates the
 * pair is read with the refresh IO (one-hot inputs); where both devices are saturated (the larger
 * relative conductance above the upper threshold and the smaller above the lower one) both are reset
 * and the difference is written back onto one device with a pulsed update (refresh_update).
 *
 * `copy_inverted` is not simulated (it only matters for AIHWKit's inverted-copy variant).
 */
import type * as tf from '@tensorflow/tfjs-core';
import type { OneSidedUnitCell } from '../../configs/compounds';
import type { UpdateParameters } from '../../configs/update';
import type { Rng } from '../../random/rng';
import { IOPipeline } from '../../tile/io-pipeline';
import { WeightMatrix } from '../../tile/weight-matrix';
import { pulsedUpdate, type CoincidenceSink } from '../../update/pulse-trains';
import { prefixState, unprefixState, type DeviceArray, type StateRecord } from '../device-array';
import type { PulsedArrayOptions, PulsedDeviceArray } from '../pulsed-device-array';
import { createPulsedArray } from '../pulsed-factory';

/** Local alias: looking up the global `Math` inside a vm context (jest) is ~100× slower than this. */
const M = Math;

export class OneSidedArray implements DeviceArray, CoincidenceSink {
  readonly weights: WeightMatrix;
  readonly plus: PulsedDeviceArray;
  readonly minus: PulsedDeviceArray;
  private readonly refreshIO: IOPipeline;
  private updatesSinceRefresh = 0;
  /** Number of refresh events that reset devices (for diagnostics and tests). */
  refreshCount = 0;

  constructor(
    readonly config: OneSidedUnitCell,
    readonly rows: number,
    readonly cols: number,
    rng: Rng,
    options: PulsedArrayOptions = {},
  ) {
    if (config.unit_cell_devices.length !== 2) throw new Error('OneSidedUnitCell needs exactly two devices');
    this.plus = createPulsedArray(config.unit_cell_devices[0], rows, cols, rng, options);
    this.minus = createPulsedArray(config.unit_cell_devices[1], rows, cols, rng, options);
    this.weights = new WeightMatrix(rows, cols);
    this.refreshIO = new IOPipeline(config.refresh_forward, cols, rows, rng, { allowBoundManagement: false });
    this.refresh();
  }

  granularity(): number {
    return this.plus.granularity();
  }

  private refresh(): void {
    const w = this.weights.data;
    const p = this.plus.weights.data;
    const m = this.minus.weights.data;
    for (let k = 0; k < w.length; k++) w[k] = p[k] - m[k];
    this.weights.touch();
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
    for (let a = 0; a < nd; a++) {
      const base = dIdx[a] * cols;
      for (let b = 0; b < nx; b++) {
        const idx = base + xIdx[b];
        // Both devices only step up: a DOWN coincidence raises g⁻.
        if (dSign[a] * xSign[b] > 0) this.minus.pulseAt(idx, false, rng);
        else this.plus.pulseAt(idx, false, rng);
      }
    }
  }

  applyCount(row: number, col: number, count: number, down: boolean, rng: Rng): void {
    const idx = row * this.cols + col;
    for (let c = 0; c < count; c++) (down ? this.minus : this.plus).pulseAt(idx, false, rng);
  }

  update(x: Float32Array, d: Float32Array, batch: number, lr: number, up: UpdateParameters, rng: Rng): void {
    pulsedUpdate(this, x, d, batch, this.rows, this.cols, lr, up, this.granularity(), rng);
    this.plus.weights.touch();
    this.minus.weights.touch();
    this.refresh();
    const every = this.config.refresh_every;
    if (every > 0) {
      this.updatesSinceRefresh += this.config.units_in_mbatch ? 1 : batch;
      if (this.updatesSinceRefresh >= every) {
        this.updatesSinceRefresh = 0;
        this.refreshDevices(rng);
      }
    }
  }

  updateTf(x: tf.Tensor2D, d: tf.Tensor2D, lr: number, up: UpdateParameters, rng: Rng): void {
    this.update(x.dataSync() as Float32Array, d.dataSync() as Float32Array, x.shape[0], lr, up, rng);
  }

  /** Read both devices (noisy, with the refresh IO), reset saturated pairs and re-write their difference. */
  private refreshDevices(rng: Rng): void {
    const { rows, cols } = this;
    const eye = new Float32Array(cols * cols);
    for (let j = 0; j < cols; j++) eye[j * cols + j] = 1;
    // Row j of a read is column j of the device: [cols, rows].
    const readPlus = this.refreshIO.run(eye, cols, this.plus.weights.forward(), rng);
    const readMinus = this.refreshIO.run(eye, cols, this.minus.weights.forward(), rng);
    const { refresh_upper_thres: upper, refresh_lower_thres: lower } = this.config;
    const reset: number[] = [];
    const target = new Float32Array(rows * cols);
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < cols; j++) {
        const k = i * cols + j;
        const gp = readPlus[j * rows + i];
        const gm = readMinus[j * rows + i];
        const rp = this.plus.bMax[k] > 0 ? gp / this.plus.bMax[k] : 0;
        const rm = this.minus.bMax[k] > 0 ? gm / this.minus.bMax[k] : 0;
        if (M.max(rp, rm) > upper && M.min(rp, rm) > lower) {
          reset.push(k);
          target[k] = gp - gm;
        }
      }
    }
    if (reset.length === 0) return;
    this.refreshCount++;
    this.plus.resetAt(reset, rng);
    this.minus.resetAt(reset, rng);
    // Write the difference back column by column: x = e_j, d = −target (ΔW = −lr·d·xᵀ = target, lr 1).
    const byColumn = new Map<number, number[]>();
    for (const k of reset) {
      const j = k % cols;
      const list = byColumn.get(j) ?? [];
      list.push(k);
      byColumn.set(j, list);
    }
    const x = new Float32Array(cols);
    const d = new Float32Array(rows);
    for (const [j, ks] of byColumn) {
      x.fill(0);
      x[j] = 1;
      d.fill(0);
      for (const k of ks) d[M.floor(k / cols)] = -target[k];
      pulsedUpdate(this, x, d, 1, rows, cols, 1, this.config.refresh_update, this.granularity(), rng);
    }
    this.plus.weights.touch();
    this.minus.weights.touch();
    this.refresh();
  }

  setWeights(values: ArrayLike<number>, rng: Rng): void {
    const pos = new Float32Array(values.length);
    const neg = new Float32Array(values.length);
    for (let k = 0; k < values.length; k++) {
      if (values[k] > 0) pos[k] = values[k];
      else neg[k] = -values[k];
    }
    this.plus.setWeights(pos, rng);
    this.minus.setWeights(neg, rng);
    this.refresh();
  }

  postUpdateStep(rng: Rng): void {
    this.plus.postUpdateStep(rng);
    this.minus.postUpdateStep(rng);
    this.refresh();
  }

  decayWeights(rng: Rng, alpha = 1): void {
    this.plus.decayWeights(rng, alpha);
    this.minus.decayWeights(rng, alpha);
    this.refresh();
  }

  diffuseWeights(rng: Rng): void {
    this.plus.diffuseWeights(rng);
    this.minus.diffuseWeights(rng);
    this.refresh();
  }

  resetColumns(columns: number[], rng: Rng): void {
    this.plus.resetColumns(columns, rng);
    this.minus.resetColumns(columns, rng);
    this.refresh();
  }

  getState(): StateRecord {
    return {
      updatesSinceRefresh: this.updatesSinceRefresh,
      refreshCount: this.refreshCount,
      ...this.refreshIO.toRecord('io.'),
      ...prefixState('plus.', this.plus.getState()),
      ...prefixState('minus.', this.minus.getState()),
    };
  }

  setState(state: StateRecord): void {
    const n = state.updatesSinceRefresh;
    const r = state.refreshCount;
    if (typeof n !== 'number' || typeof r !== 'number') throw new Error('one-sided cell state is incomplete');
    this.updatesSinceRefresh = n;
    this.refreshCount = r;
    this.refreshIO.fromRecord('io.', state);
    this.plus.setState(unprefixState('plus.', state));
    this.minus.setState(unprefixState('minus.', state));
    this.refresh();
  }

  dispose(): void {
    this.plus.dispose();
    this.minus.dispose();
    this.weights.dispose();
  }
}
