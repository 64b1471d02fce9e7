/**
 * The device state behind one analog tile: its visible weights and the hidden per-cross-point
 * parameters, with the update rule. Single pulsed devices, floating-point devices and compounds all
 * implement this, so a tile (and a compound) can hold any of them.
 */
import type * as tf from '@tensorflow/tfjs-core';
import type { UpdateParameters } from '../configs/update';
import type { Rng } from '../random/rng';
import type { WeightMatrix } from '../tile/weight-matrix';

/** Named state for a checkpoint: typed arrays and numbers, nothing else. */
export type StateValue = Float32Array | Float64Array | Int32Array | Uint32Array | number;
export type StateRecord = Record<string, StateValue>;

export interface DeviceArray {
  /** d_size (tile outputs). */
  readonly rows: number;
  /** x_size (tile inputs). */
  readonly cols: number;
  /** The visible weights, [rows, cols]. */
  readonly weights: WeightMatrix;
  /** ε: the weight change of one pulse, used to size the pulse trains (reference §3.9). */
  granularity(): number;
  /**
   * Apply the update for a batch of update vectors x [batch, cols] and d [batch, rows] with learning rate
   * lr: ideally W ← W − lr·Σ_b d_b x_bᵀ, as the device and `up` realise it (typed-array kernel).
   */
  update(x: Float32Array, d: Float32Array, batch: number, lr: number, up: UpdateParameters, rng: Rng): void;
  /** The same with tfjs ops (for the webgpu backend); same statistics, different random stream. */
  updateTf(x: tf.Tensor2D, d: tf.Tensor2D, lr: number, up: UpdateParameters, rng: Rng): void;
  /** Program the weights (clipped to the device bounds; write noise where configured). */
  setWeights(values: ArrayLike<number>, rng: Rng): void;
  /** Once per mini-batch after the update: diffusion, then decay (reference §3.5, §6.3). */
  postUpdateStep(rng: Rng): void;
  /** Explicit decay with a lifetime scale factor (AIHWKit `decay_weights(alpha)`). */
  decayWeights(rng: Rng, alpha?: number): void;
  /** Explicit diffusion (AIHWKit `diffuse_weights()`). */
  diffuseWeights(rng: Rng): void;
  /** Reset the given columns to the reset bias (+ reset noise). */
  resetColumns(columns: number[], rng: Rng): void;
  getState(): StateRecord;
  setState(state: StateRecord): void;
  dispose(): void;
}

/** Copy a state value in, checking its kind and length against the current one. */
export function restoreArray<T extends Float32Array | Float64Array | Int32Array | Uint32Array>(
  target: T,
  state: StateRecord,
  key: string,
): void {
  const v = state[key];
  if (v === undefined) throw new Error(`device state is missing "${key}"`);
  if (typeof v === 'number' || v.constructor !== target.constructor || v.length !== target.length) {
    throw new Error(`device state "${key}" does not match this device (kind or size)`);
  }
  target.set(v as ArrayLike<number>);
}

export function restoreNumber(state: StateRecord, key: string): number {
  const v = state[key];
  if (typeof v !== 'number') throw new Error(`device state "${key}" must be a number`);
  return v;
}

/** Prefix every key of a member's state (compounds). */
export function prefixState(prefix: string, state: StateRecord): StateRecord {
  return Object.fromEntries(Object.entries(state).map(([k, v]) => [`${prefix}${k}`, v]));
}

export function unprefixState(prefix: string, state: StateRecord): StateRecord {
  const out: StateRecord = {};
  for (const [k, v] of Object.entries(state)) if (k.startsWith(prefix)) out[k.slice(prefix.length)] = v;
  return out;
}
