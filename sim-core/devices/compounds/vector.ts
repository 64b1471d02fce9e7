/**
 * VectorUnitCell and ReferenceUnitCell (reference §3.10): several devices per cross point, visible
 * weight Σ γ_k w_k (default γ_k = 1/n: an average, as AIHWKit, not the README's "sum"). The pulses of
 * one update vector go to the devices chosen by the update policy; all chosen devices see the same
 * coincidences.
 */
import type * as tf from '@tensorflow/tfjs-core';
import type { ReferenceUnitCell, VectorUnitCell } from '../../configs/compounds';
import type { UpdateParameters } from '../../configs/update';
import type { Rng } from '../../random/rng';
import { WeightMatrix } from '../../tile/weight-matrix';
import { pulsedUpdate, type CoincidenceSink } from '../../update/pulse-trains';
import { prefixState, unprefixState, type DeviceArray, type StateRecord } from '../device-array';
import { createPulsedArray } from '../pulsed-factory';
import type { PulsedArrayOptions, PulsedDeviceArray } from '../pulsed-device-array';
import { WeightedMembersArray } from './weighted-members';

export class VectorArray
  extends WeightedMembersArray<PulsedDeviceArray>
  implements DeviceArray, CoincidenceSink
{
  readonly weights: WeightMatrix;
  readonly members: PulsedDeviceArray[];
  readonly gamma: number[];
  /** Devices receiving the current update vector. */
  private selected: PulsedDeviceArray[];
  private sequentialIndex: number;

  constructor(
    readonly config: VectorUnitCell | ReferenceUnitCell,
    readonly rows: number,
    readonly cols: number,
    rng: Rng,
    options: PulsedArrayOptions = {},
  ) {
    super();
    const n = config.unit_cell_devices.length;
    if (n < 1) throw new Error(`${config.type} needs at least one device in unit_cell_devices`);
    if (config.type === 'ReferenceUnitCell' && n !== 2)
      throw new Error('ReferenceUnitCell needs exactly two devices');
    if (config.gamma_vec.length > 0 && config.gamma_vec.length !== n) {
      throw new Error(`${config.type}: gamma_vec needs ${n} entries, got ${config.gamma_vec.length}`);
    }
    this.members = config.unit_cell_devices.map((d) => createPulsedArray(d, rows, cols, rng, options));
    this.gamma = config.gamma_vec.length > 0 ? [...config.gamma_vec] : this.members.map(() => 1 / n);
    this.weights = new WeightMatrix(rows, cols);
    this.sequentialIndex = config.first_update_idx % n;
    this.selected = this.members;
    this.refresh();
  }

  granularity(): number {
    return this.members.reduce((s, m) => s + m.granularity(), 0) / this.members.length;
  }

  beginVector(rng: Rng): void {
    const n = this.members.length;
    switch (this.config.update_policy) {
      case 'ALL':
        this.selected = this.members;
        break;
      case 'SINGLE_FIXED':
        this.selected = [this.members[this.config.first_update_idx % n]];
        break;
      case 'SINGLE_SEQUENTIAL':
        this.selected = [this.members[this.sequentialIndex]];
        this.sequentialIndex = (this.sequentialIndex + 1) % n;
        break;
      case 'SINGLE_RANDOM':
        this.selected = [this.members[rng.int(n)]];
        break;
    }
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
    for (const m of this.selected) m.applySlot(dIdx, dSign, nd, xIdx, xSign, nx, rng);
  }

  applyCount(row: number, col: number, count: number, down: boolean, rng: Rng): void {
    for (const m of this.selected) m.applyCount(row, col, count, down, rng);
  }

  update(x: Float32Array, d: Float32Array, batch: number, lr: number, up: UpdateParameters, rng: Rng): void {
    if (up.pulse_type === 'NONE' || up.pulse_type === 'NONE_WITH_DEVICE') {
      for (let b = 0; b < batch; b++) {
        this.beginVector(rng);
        const xb = x.subarray(b * this.cols, (b + 1) * this.cols);
        const db = d.subarray(b * this.rows, (b + 1) * this.rows);
        for (const m of this.selected) m.update(xb, db, 1, lr, up, rng);
      }
    } else {
      pulsedUpdate(this, x, d, batch, this.rows, this.cols, lr, up, this.granularity(), rng);
      for (const m of this.members) m.weights.touch();
    }
    this.refresh();
  }

  /** Unit cells run the typed-array kernel on every backend. */
  updateTf(x: tf.Tensor2D, d: tf.Tensor2D, lr: number, up: UpdateParameters, rng: Rng): void {
    this.update(x.dataSync() as Float32Array, d.dataSync() as Float32Array, x.shape[0], lr, up, rng);
  }

  /**
   * VectorUnitCell: the same value into every device (AIHWKit). ReferenceUnitCell: the value into the
   * updated device 0 and zero into the reference device 1, so that the visible weight is the value.
   */
  setWeights(values: ArrayLike<number>, rng: Rng): void {
    if (this.config.type === 'ReferenceUnitCell') {
      this.members[0].setWeights(values, rng);
      this.members[1].setWeights(new Float32Array(values.length), rng);
    } else {
      for (const m of this.members) m.setWeights(values, rng);
    }
    this.refresh();
  }

  getState(): StateRecord {
    let s: StateRecord = { sequentialIndex: this.sequentialIndex };
    this.members.forEach((m, k) => (s = { ...s, ...prefixState(`m${k}.`, m.getState()) }));
    return s;
  }

  setState(state: StateRecord): void {
    const idx = state.sequentialIndex;
    if (typeof idx !== 'number') throw new Error('unit cell state is missing "sequentialIndex"');
    this.sequentialIndex = idx;
    this.members.forEach((m, k) => m.setState(unprefixState(`m${k}.`, state)));
    this.refresh();
  }

  dispose(): void {
    for (const m of this.members) m.dispose();
    this.weights.dispose();
  }
}
