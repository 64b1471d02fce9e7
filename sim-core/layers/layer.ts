/**
 * The layer interface of sim-core's sequential models. Backward passes are written by hand (no
 * autograd): each layer keeps what it needs from its last training forward. Digital parameters carry
 * their gradient for the optimizer; analog layers expose their tiles' pending updates.
 */
import type * as tf from '@tensorflow/tfjs-core';
import type { StateRecord } from '../devices/device-array';
import type { Rng } from '../random/rng';

export interface ForwardContext {
  /** Training mode: keep what backward and the update need; dropout active. */
  training: boolean;
  rng: Rng;
}

/** A digital parameter: values, the gradient of the last backward, and the optimizer's buffer. */
export interface DigitalParameter {
  name: string;
  values: Float32Array;
  grad: Float32Array;
  /** Momentum buffer (null until the optimizer creates it). */
  momentum: Float32Array | null;
}

/** What an analog layer does in the optimizer step: its pending tile updates and the post-update step. */
export interface AnalogUpdatable {
  /** Apply the stored (x, d) of the last training forward/backward with learning rate lr. */
  applyAnalogUpdate(lr: number): void;
  /** Once per mini-batch after all updates: diffusion/decay (pulsed), clip/remap/modifier (inference). */
  postUpdateStep(): void;
}

/** A layer's trained weights, as handed to inference (exportWeights). */
export interface ExportedLayerWeights {
  /** Logical weights, row-major, of shape `shape` (e.g. [out, in] or [out, in·kh·kw]). */
  weights: Float32Array;
  shape: number[];
  bias: Float32Array | null;
  /** Non-trained state a layer needs in inference, e.g. BatchNorm2d's running statistics. */
  buffers?: Record<string, Float32Array>;
  /** Analog layers: one entry per tile (its place in the logical matrix and its hidden state). */
  tiles?: {
    rowOffset: number;
    colOffset: number;
    rows: number;
    cols: number;
    mappingScales: Float32Array | null;
    state: StateRecord;
  }[];
}

export interface Layer {
  readonly type: string;
  /** [batch, ...] → [batch, ...]. The caller owns (and disposes) the returned tensor. */
  forward(x: tf.Tensor, ctx: ForwardContext): tf.Tensor;
  /** Gradient w.r.t. the layer input from the gradient w.r.t. its output (training forward first). */
  backward(grad: tf.Tensor): tf.Tensor;
  /**
   * As `backward`, but without the input gradient: only the parameter gradients and what the update
   * needs. Sequential calls it on the first layer with parameters, whose input gradient nobody uses
   * (torch's `needs_input_grad` is false there, so AIHWKit skips the analog backward pass too).
   * Optional: a layer without it gets `backward`, and its result is dropped.
   */
  backwardParameters?(grad: tf.Tensor): void;
  parameters(): DigitalParameter[];
  /** Set when the layer holds analog tiles. */
  readonly analog?: AnalogUpdatable;
  /** Everything needed to continue bit for bit (weights, hidden device state, buffers). */
  getState(): StateRecord;
  setState(state: StateRecord): void;
  /** Layers with weights export them for inference. */
  exportWeights?(): ExportedLayerWeights;
  /** Drop what the last forward kept. */
  clearCache(): void;
  dispose(): void;
}

export function isAnalog(layer: Layer): layer is Layer & { analog: AnalogUpdatable } {
  return layer.analog !== undefined;
}

export function parameterState(params: DigitalParameter[]): StateRecord {
  const s: StateRecord = {};
  for (const p of params) {
    s[`${p.name}`] = p.values.slice();
    if (p.momentum) s[`${p.name}.momentum`] = p.momentum.slice();
  }
  return s;
}

export function restoreParameters(params: DigitalParameter[], state: StateRecord): void {
  for (const p of params) {
    const v = state[p.name];
    if (!(v instanceof Float32Array) || v.length !== p.values.length) {
      throw new Error(`layer state: parameter "${p.name}" is missing or has the wrong size`);
    }
    p.values.set(v);
    const m = state[`${p.name}.momentum`];
    p.momentum = m instanceof Float32Array ? m.slice() : null;
  }
}
