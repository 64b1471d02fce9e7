/**
 * TransferCompound — Tiki-Taka v1 (reference §3.10). Devices A (fast, member 0), …, C (slow, last);
 * visible W = Σ γ_k w_k with γ_k = gamma^(n−1−k) (gamma 0: W = C) unless gamma_vec is given. The SGD
 * pulses go only to A, with the constant learning rate fast_lr (λ if fast_lr ≤ 0), as AIHWKit 1.1.
 * Every transfer period, n_reads_per_transfer columns of device k are read (one-hot forward with the
 * transfer IO, noise and bound management off) and pulse-written onto device k+1 with learning rate
 * transfer_lr (× λ if scale_transfer_lr): C ← C + α·A. Rows instead of columns when transfer_columns is
 * false (read with a backward pass).
 */
import type * as tf from '@tensorflow/tfjs-core';
import type { TransferCompound } from '../../configs/compounds';
import type { UpdateParameters } from '../../configs/update';
import type { Rng } from '../../random/rng';
import { IOPipeline } from '../../tile/io-pipeline';
import { WeightMatrix } from '../../tile/weight-matrix';
import { prefixState, unprefixState, type DeviceArray, type StateRecord } from '../device-array';
import { createMemberArray } from '../member-factory';
import type { PulsedArrayOptions } from '../pulsed-device-array';
import { WeightedMembersArray } from './weighted-members';

/** Local alias: looking up the global `Math` inside a vm context (jest) is ~100× slower than this. */
const M = Math;

export class TransferArray extends WeightedMembersArray<DeviceArray> implements DeviceArray {
  readonly weights: WeightMatrix;
  readonly members: DeviceArray[];
  readonly gamma: number[];
  /** Transfer period of device k → k+1, in update vectors (0: never). */
  private readonly periods: number[];
  private readonly transferLrs: number[];
  private readonly readIO: IOPipeline;
  /** Update vectors seen so far. */
  private vectorCount = 0;
  /** Next column (or row) to read, per device. */
  private readonly pointers: number[];
  /** Transfers done (for tests and diagnostics). */
  transferCount = 0;

  constructor(
    readonly config: TransferCompound,
    readonly rows: number,
    readonly cols: number,
    rng: Rng,
    options: PulsedArrayOptions = {},
  ) {
    super();
    const n = config.unit_cell_devices.length;
    if (n < 2) throw new Error('TransferCompound needs at least two devices (fast A and slow C)');
    this.members = config.unit_cell_devices.map((d) => createMemberArray(d, rows, cols, rng, options));
    if (config.gamma_vec.length > 0 && config.gamma_vec.length !== n) {
      throw new Error(`TransferCompound: gamma_vec needs ${n} entries`);
    }
    this.gamma =
      config.gamma_vec.length > 0
        ? [...config.gamma_vec]
        : this.members.map((_, k) => M.pow(config.gamma, n - 1 - k));
    const readSize = config.transfer_columns ? cols : rows;
    this.periods = this.members.map((_, k) => {
      if (k === n - 1) return 0; // the last device would transfer onto itself
      if (config.transfer_every_vec.length > 0) return config.transfer_every_vec[k] ?? 0;
      return config.transfer_every * M.pow(readSize / config.n_reads_per_transfer, k);
    });
    this.transferLrs = this.members.map((_, k) => config.transfer_lr_vec[k] ?? config.transfer_lr);
    this.pointers = this.members.map(() => 0);
    // The read uses the transfer IO with noise and bound management forced off (as AIHWKit).
    const readConfig = {
      ...config.transfer_forward,
      noise_management: 'NONE' as const,
      bound_management: 'NONE' as const,
    };
    this.readIO = config.transfer_columns
      ? new IOPipeline(readConfig, cols, rows, rng, { allowBoundManagement: false })
      : new IOPipeline(readConfig, rows, cols, rng, { allowBoundManagement: false });
    this.weights = new WeightMatrix(rows, cols);
    this.refresh();
  }

  granularity(): number {
    return this.members[0].granularity();
  }

  update(x: Float32Array, d: Float32Array, batch: number, lr: number, up: UpdateParameters, rng: Rng): void {
    const fastLr = this.config.fast_lr > 0 ? M.sign(lr || 1) * this.config.fast_lr : lr;
    const unit = this.config.units_in_mbatch ? batch : 1;
    // Split the batch at the vectors after which a transfer is due.
    let start = 0;
    while (start < batch) {
      let end = batch;
      for (let b = start; b < batch; b++) {
        if (this.transfersDueAt(this.vectorCount + b - start + 1, unit).length > 0) {
          end = b + 1;
          break;
        }
      }
      const n = end - start;
      this.members[0].update(
        x.subarray(start * this.cols, end * this.cols),
        d.subarray(start * this.rows, end * this.rows),
        n,
        fastLr,
        up,
        rng,
      );
      this.vectorCount += n;
      for (const k of this.transfersDueAt(this.vectorCount, unit)) this.transfer(k, lr, rng);
      start = end;
    }
    this.refresh();
  }

  /** Devices k whose transfer period (in vectors) ends at vector number `count`. */
  private transfersDueAt(count: number, unit: number): number[] {
    const due: number[] = [];
    this.periods.forEach((p, k) => {
      if (!(p > 0)) return;
      const period = M.max(1, M.round(p * unit));
      if (count % period === 0) due.push(k);
    });
    return due;
  }

  private transfer(k: number, lr: number, rng: Rng): void {
    const c = this.config;
    const source = this.members[k];
    const target = this.members[k + 1];
    const readSize = c.transfer_columns ? this.cols : this.rows;
    const nReads = M.min(c.n_reads_per_transfer, readSize);
    if (c.random_selection) this.pointers[k] = rng.int(readSize);
    const lines: number[] = [];
    for (let r = 0; r < nReads; r++) lines.push((this.pointers[k] + r) % readSize);
    this.pointers[k] = (this.pointers[k] + nReads) % readSize;
    const oneHot = new Float32Array(nReads * readSize);
    lines.forEach((line, r) => (oneHot[r * readSize + line] = 1));
    const transferLr = this.transferLrs[k] * (c.scale_transfer_lr ? M.abs(lr) : 1);
    if (c.transfer_columns) {
      // Read columns: [nReads, rows]; write them with x = e_j, d = −read (ΔC = lr·read).
      const read = this.readIO.run(oneHot, nReads, source.weights.forward(), rng);
      for (let i = 0; i < read.length; i++) read[i] = -read[i];
      target.update(oneHot, read, nReads, transferLr, c.transfer_update, rng);
    } else {
      // Read rows: [nReads, cols]; write them with x = read, d = −e_i.
      const read = this.readIO.run(oneHot, nReads, source.weights.backward(), rng);
      for (let i = 0; i < oneHot.length; i++) oneHot[i] = -oneHot[i];
      target.update(read, oneHot, nReads, transferLr, c.transfer_update, rng);
    }
    if (c.with_reset_prob > 0 && c.transfer_columns) {
      const reset = lines.filter(() => rng.uniform() < c.with_reset_prob);
      if (reset.length > 0) source.resetColumns(reset, rng);
    }
    this.transferCount++;
  }

  updateTf(x: tf.Tensor2D, d: tf.Tensor2D, lr: number, up: UpdateParameters, rng: Rng): void {
    this.update(x.dataSync() as Float32Array, d.dataSync() as Float32Array, x.shape[0], lr, up, rng);
  }

  /** All weight into the last device (scaled by 1/γ_last), the others to zero (AIHWKit). */
  setWeights(values: ArrayLike<number>, rng: Rng): void {
    const last = this.members.length - 1;
    const g = this.gamma[last];
    if (g === 0) throw new Error('TransferCompound: cannot set weights when the last device has γ = 0');
    const zeros = new Float32Array(values.length);
    this.members.forEach((m, k) => {
      if (k === last)
        m.setWeights(
          Float32Array.from(values, (v) => v / g),
          rng,
        );
      else m.setWeights(zeros, rng);
    });
    this.refresh();
  }

  getState(): StateRecord {
    let s: StateRecord = {
      vectorCount: this.vectorCount,
      transferCount: this.transferCount,
      pointers: Int32Array.from(this.pointers),
      ...this.readIO.toRecord('io.'),
    };
    this.members.forEach((m, k) => (s = { ...s, ...prefixState(`m${k}.`, m.getState()) }));
    return s;
  }

  setState(state: StateRecord): void {
    const { vectorCount, transferCount, pointers } = state;
    if (
      typeof vectorCount !== 'number' ||
      typeof transferCount !== 'number' ||
      !(pointers instanceof Int32Array)
    ) {
      throw new Error('TransferCompound state is incomplete');
    }
    if (pointers.length !== this.pointers.length)
      throw new Error('TransferCompound state has the wrong device count');
    this.vectorCount = vectorCount;
    this.transferCount = transferCount;
    pointers.forEach((p, k) => (this.pointers[k] = p));
    this.readIO.fromRecord('io.', state);
    this.members.forEach((m, k) => m.setState(unprefixState(`m${k}.`, state)));
    this.refresh();
  }

  dispose(): void {
    for (const m of this.members) m.dispose();
    this.weights.dispose();
  }
}
