/**
 * MixedPrecisionCompound (reference §3.10): the rank-1 updates accumulate in a digital floating-point
 * matrix χ ← χ + λ·q(d)·q(x)ᵀ (q: optional dynamic abs-max quantization into n bins with stochastic
 * rounding); every `transfer_every` mini-batches, for the selected rows, n = trunc(χ/ε) is written to
 * the analog device by a pulsed update (learning rate ε·transfer_lr, update management on) and
 * χ ← χ − n·ε. Forward and backward use the analog device.
 */
import type * as tf from '@tensorflow/tfjs-core';
import type { MixedPrecisionCompound } from '../../configs/compounds';
import type { UpdateParameters } from '../../configs/update';
import type { Rng } from '../../random/rng';
import type { WeightMatrix } from '../../tile/weight-matrix';
import {
  prefixState,
  restoreArray,
  unprefixState,
  type DeviceArray,
  type StateRecord,
} from '../device-array';
import { createMemberArray } from '../member-factory';
import { roundHalfEven } from '../../tile/quantize';
import type { PulsedArrayOptions } from '../pulsed-device-array';

/** Local alias: looking up the global `Math` inside a vm context (jest) is ~100× slower than this. */
const M = Math;

export class MixedPrecisionArray implements DeviceArray {
  readonly device: DeviceArray;
  /** The digital accumulator χ, [rows, cols]. */
  readonly chi: Float32Array;
  /**
   * Update vectors seen since the weights were set (AIHWKit's `current_update_index_`): the transfer is
   * triggered by this count, per vector, not at the end of a mini-batch (see update()).
   */
  private updateIndex = 0;
  private rowPointer = 0;

  constructor(
    readonly config: MixedPrecisionCompound,
    readonly rows: number,
    readonly cols: number,
    rng: Rng,
    options: PulsedArrayOptions = {},
  ) {
    this.device = createMemberArray(config.device, rows, cols, rng, options);
    this.chi = new Float32Array(rows * cols);
  }

  get weights(): WeightMatrix {
    return this.device.weights;
  }

  granularity(): number {
    return this.config.granularity > 0 ? this.config.granularity : this.device.granularity();
  }

  /**
   * Dynamic abs-max quantization of one vector into `bins` levels with (stochastic) rounding, as
   * AIHWKit: the width is abs-max / floor(bins/2) (levels −bins/2 … bins/2), rounding half to even after
   * adding uniform jitter in [−0.5, 0.5).
   */
  private quantize(v: Float32Array, bins: number, stochastic: boolean, rng: Rng): Float32Array {
    if (bins <= 0) return v;
    let m = 0;
    for (let k = 0; k < v.length; k++) m = M.max(m, M.abs(v[k]));
    const half = M.floor(bins / 2);
    const width = m === 0 || half === 0 ? 1 : m / half;
    return v.map((u) => {
      const q = roundHalfEven(u / width + (stochastic ? rng.uniform() - 0.5 : 0));
      return M.min(M.max(q, -half), half) * width;
    });
  }

  update(x: Float32Array, d: Float32Array, batch: number, lr: number, up: UpdateParameters, rng: Rng): void {
    const { rows, cols, chi, config } = this;
    // As AIHWKit: every update vector is accumulated into χ; after the vector with index k (counted from
    // the last set_weights, starting at 0) a transfer runs if k > 0 and k is a multiple of
    // transfer_every × batch. So the first mini-batch never transfers and each transfer includes the
    // first vector of the next mini-batch (found by the parity harness, case update-preset-mixedprecision*).
    const every = M.trunc(config.transfer_every * batch);
    for (let b = 0; b < batch; b++) {
      const xb = this.quantize(
        x.subarray(b * cols, (b + 1) * cols),
        config.n_x_bins,
        config.stoc_round_x,
        rng,
      );
      const db = this.quantize(
        d.subarray(b * rows, (b + 1) * rows),
        config.n_d_bins,
        config.stoc_round_d,
        rng,
      );
      for (let i = 0; i < rows; i++) {
        const g = lr * db[i];
        if (g === 0) continue;
        const base = i * cols;
        for (let j = 0; j < cols; j++) chi[base + j] += g * xb[j];
      }
      if (every > 0 && this.updateIndex > 0 && this.updateIndex % every === 0) this.transfer(up, rng);
      this.updateIndex++;
    }
  }

  private transfer(up: UpdateParameters, rng: Rng): void {
    const { rows, cols, chi, config } = this;
    const eps = this.granularity();
    const nRows = config.n_rows_per_transfer < 0 ? rows : M.min(config.n_rows_per_transfer, rows);
    if (config.random_row) this.rowPointer = rng.int(rows);
    const selected: number[] = [];
    for (let r = 0; r < nRows; r++) selected.push((this.rowPointer + r) % rows);
    this.rowPointer = (this.rowPointer + nRows) % rows;
    const x = new Float32Array(selected.length * cols);
    const d = new Float32Array(selected.length * rows);
    selected.forEach((i, r) => {
      for (let j = 0; j < cols; j++) {
        const k = i * cols + j;
        const n = M.trunc(chi[k] / eps);
        if (n !== 0) {
          chi[k] -= n * eps;
          x[r * cols + j] = n;
        }
      }
      d[r * rows + i] = 1;
    });
    // ΔW_i = −(ε·transfer_lr)·1·n_i: the accumulated gradient leaves χ and lands on the device.
    const transferUp: UpdateParameters = { ...up, update_management: true, update_bl_management: true };
    this.device.update(x, d, selected.length, eps * config.transfer_lr, transferUp, rng);
  }

  updateTf(x: tf.Tensor2D, d: tf.Tensor2D, lr: number, up: UpdateParameters, rng: Rng): void {
    this.update(x.dataSync() as Float32Array, d.dataSync() as Float32Array, x.shape[0], lr, up, rng);
  }

  setWeights(values: ArrayLike<number>, rng: Rng): void {
    this.device.setWeights(values, rng);
    this.chi.fill(0);
    this.updateIndex = 0;
    this.rowPointer = 0;
  }

  postUpdateStep(rng: Rng): void {
    this.device.postUpdateStep(rng);
  }

  decayWeights(rng: Rng, alpha = 1): void {
    this.device.decayWeights(rng, alpha);
  }

  diffuseWeights(rng: Rng): void {
    this.device.diffuseWeights(rng);
  }

  resetColumns(columns: number[], rng: Rng): void {
    this.device.resetColumns(columns, rng);
  }

  getState(): StateRecord {
    return {
      chi: this.chi.slice(),
      updateIndex: this.updateIndex,
      rowPointer: this.rowPointer,
      ...prefixState('device.', this.device.getState()),
    };
  }

  setState(state: StateRecord): void {
    restoreArray(this.chi, state, 'chi');
    const { updateIndex, rowPointer } = state;
    if (typeof updateIndex !== 'number' || typeof rowPointer !== 'number') {
      throw new Error('MixedPrecisionCompound state is incomplete');
    }
    this.updateIndex = updateIndex;
    this.rowPointer = rowPointer;
    this.device.setState(unprefixState('device.', state));
  }

  dispose(): void {
    this.device.dispose();
  }
}
