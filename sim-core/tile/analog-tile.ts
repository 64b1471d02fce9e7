/**
 * An analog tile: a device array (the weights and how they change) with pluggable parts — a forward IO
 * pipeline, a backward IO pipeline (null: exact), and the update parameters handed to the device. The
 * RPU config decides the parts (`AnalogTile.fromRPUConfig`); an inference tile can be assembled from
 * the same parts (IO-managed forward, exact backward, FloatingPoint/Ideal device with plain SGD), and
 * can replace the weights (programmed/drifted copies) and scale the outputs (`outputScale`).
 *
 * Shapes follow AIHWKit: W is [outSize, inSize]; forward [B, in] → [B, out], backward [B, out] → [B, in].
 */
import * as tf from '@tensorflow/tfjs-core';
import { readSync } from '../backend/read';
import {
  INFERENCE_FIXED_BACKWARD,
  INFERENCE_FIXED_DEVICE,
  INFERENCE_FIXED_UPDATE,
  type RPUConfig,
} from '../configs/rpu-config';
import type { IOParameters } from '../configs/io';
import type { UpdateParameters } from '../configs/update';
import { UpdateParameters as UpdateParametersSchema } from '../configs/update';
import { kernelMode } from '../backend/backend';
import type { Rng } from '../random/rng';
import { prefixState, unprefixState, type DeviceArray, type StateRecord } from '../devices/device-array';
import { createDeviceArray } from '../devices/factory';
import { IOPipeline } from './io-pipeline';
import { runIOPipelineTf } from './io-pipeline-tf';

export interface AnalogTileParts {
  outSize: number;
  inSize: number;
  device: DeviceArray;
  /** Forward IO parameters; null: exact product. */
  forward: IOParameters | null;
  /** Backward IO parameters; null: exact transposed product. */
  backward: IOParameters | null;
  update: UpdateParameters;
  /**
   * Zero the back-propagated gradient where the forward output reached 0.999·out_scale·out_bound
   * (AIHWKit's RPUCuda tiles do this; reference §1.10 and §10 item 17b). The tile's own update still
   * uses the unmasked gradient.
   */
  maskSaturatedOutputs: boolean;
}

export interface TileOptions {
  /** The tile has an extra last input column holding an analog bias. */
  analogBiasColumn?: boolean;
}

export class AnalogTile {
  readonly outSize: number;
  readonly inSize: number;
  readonly device: DeviceArray;
  readonly updateParameters: UpdateParameters;
  readonly forwardPipeline: IOPipeline | null;
  readonly backwardPipeline: IOPipeline | null;
  private readonly maskBound: number | null;
  /** Outputs of the last forward that saturated (1), for the gradient mask. */
  private lastMask: Uint8Array | null = null;
  /**
   * Digital multiplier of the forward output (per output or one value), e.g. a drift-compensation α;
   * null: none. Not applied to the backward pass.
   */
  outputScale: Float32Array | number | null = null;

  constructor(
    parts: AnalogTileParts,
    readonly rng: Rng,
  ) {
    this.outSize = parts.outSize;
    this.inSize = parts.inSize;
    this.device = parts.device;
    if (this.device.rows !== parts.outSize || this.device.cols !== parts.inSize) {
      throw new Error(
        `AnalogTile: device is ${this.device.rows}×${this.device.cols}, tile is ${parts.outSize}×${parts.inSize}`,
      );
    }
    this.updateParameters = parts.update;
    this.forwardPipeline = parts.forward
      ? new IOPipeline(parts.forward, parts.inSize, parts.outSize, rng, { allowBoundManagement: true })
      : null;
    this.backwardPipeline = parts.backward
      ? new IOPipeline(parts.backward, parts.outSize, parts.inSize, rng, { allowBoundManagement: false })
      : null;
    const f = parts.forward;
    this.maskBound =
      parts.maskSaturatedOutputs && f && f.out_bound > 0 ? 0.999 * f.out_scale * f.out_bound : null;
  }

  /** The tile an RPU config describes (reference §1.9). */
  static fromRPUConfig(
    config: RPUConfig,
    outSize: number,
    inSize: number,
    rng: Rng,
    options: TileOptions = {},
  ) {
    const pulsedOptions = { analogBiasColumn: options.analogBiasColumn ?? false };
    switch (config.type) {
      case 'FloatingPointRPUConfig':
        return new AnalogTile(
          {
            outSize,
            inSize,
            device: createDeviceArray(config.device, outSize, inSize, rng),
            forward: null,
            backward: null,
            update: UpdateParametersSchema.parse({ pulse_type: 'NONE' }),
            maskSaturatedOutputs: false,
          },
          rng,
        );
      case 'InferenceRPUConfig':
        return new AnalogTile(
          {
            outSize,
            inSize,
            device: createDeviceArray(INFERENCE_FIXED_DEVICE, outSize, inSize, rng),
            forward: config.forward,
            backward: INFERENCE_FIXED_BACKWARD,
            update: INFERENCE_FIXED_UPDATE,
            maskSaturatedOutputs: true,
          },
          rng,
        );
      case 'SingleRPUConfig':
      case 'UnitCellRPUConfig':
      case 'DigitalRankUpdateRPUConfig':
        return new AnalogTile(
          {
            outSize,
            inSize,
            device: createDeviceArray(config.device, outSize, inSize, rng, pulsedOptions),
            forward: config.forward,
            backward: config.backward,
            update: config.update,
            maskSaturatedOutputs: true,
          },
          rng,
        );
    }
  }

  private checkShape(t: tf.Tensor, cols: number, what: string): number {
    if (t.rank !== 2 || t.shape[1] !== cols) {
      throw new Error(`AnalogTile ${what}: expected [batch, ${cols}], got [${t.shape.join(', ')}]`);
    }
    return t.shape[0];
  }

  /** y = W x for a batch [B, in] → [B, out], through the forward IO pipeline. */
  forward(x: tf.Tensor2D): tf.Tensor2D {
    const batch = this.checkShape(x, this.inSize, 'forward input');
    const w = this.device.weights;
    let y: tf.Tensor2D;
    if (kernelMode() === 'tf') {
      const M = { m: w.asTensor(true), abs: () => w.asAbsTensor(true) };
      y = this.forwardPipeline ? runIOPipelineTf(this.forwardPipeline, x, M, this.rng) : tf.matMul(x, M.m);
      if (this.maskBound !== null) {
        const bound = this.maskBound;
        this.lastMask = readSync<Uint8Array>(() => tf.greaterEqual(tf.abs(y), bound));
      }
    } else {
      const input = x.dataSync() as Float32Array;
      const out = this.forwardPipeline
        ? this.forwardPipeline.run(input, batch, w.forward(), this.rng)
        : w.forward().product(input, batch);
      if (this.maskBound !== null) {
        // The last mask's buffer is reused: only the latest forward's mask is ever read.
        const mask = this.lastMask?.length === out.length ? this.lastMask : new Uint8Array(out.length);
        for (let k = 0; k < out.length; k++) mask[k] = Math.abs(out[k]) >= this.maskBound ? 1 : 0;
        this.lastMask = mask;
      }
      y = tf.tensor2d(out, [batch, this.outSize]);
    }
    if (this.outputScale !== null) {
      const s = this.outputScale;
      const scaled = tf.tidy(() =>
        typeof s === 'number' ? tf.mul(y, s) : tf.mul(y, tf.tensor2d(s, [1, this.outSize])),
      ) as tf.Tensor2D;
      y.dispose();
      y = scaled;
    }
    return y;
  }

  /** dx = d W for a batch [B, out] → [B, in], through the backward IO pipeline (saturated outputs masked). */
  backward(d: tf.Tensor2D): tf.Tensor2D {
    const batch = this.checkShape(d, this.outSize, 'backward input');
    let grad = d.dataSync() as Float32Array;
    const mask = this.lastMask;
    if (mask && mask.length === grad.length) {
      grad = grad.slice();
      for (let k = 0; k < grad.length; k++) if (mask[k]) grad[k] = 0;
    }
    const w = this.device.weights;
    if (kernelMode() === 'tf') {
      return tf.tidy(() => {
        const gt = tf.tensor2d(grad, [batch, this.outSize]);
        const M = { m: w.asTensor(false), abs: () => w.asAbsTensor(false) };
        return this.backwardPipeline
          ? runIOPipelineTf(this.backwardPipeline, gt, M, this.rng)
          : tf.matMul(gt, M.m);
      });
    }
    const out = this.backwardPipeline
      ? this.backwardPipeline.run(grad, batch, w.backward(), this.rng)
      : w.backward().product(grad, batch);
    return tf.tensor2d(out, [batch, this.inSize]);
  }

  /** The tile's update from the layer input x [B, in] and the output gradient d [B, out] (unmasked). */
  update(x: tf.Tensor2D, d: tf.Tensor2D, lr: number): void {
    const batch = this.checkShape(x, this.inSize, 'update input');
    if (this.checkShape(d, this.outSize, 'update gradient') !== batch) {
      throw new Error('AnalogTile update: x and d have different batch sizes');
    }
    if (lr === 0) return;
    if (kernelMode() === 'tf') {
      this.device.updateTf(x, d, lr, this.updateParameters, this.rng);
    } else {
      this.device.update(
        x.dataSync() as Float32Array,
        d.dataSync() as Float32Array,
        batch,
        lr,
        this.updateParameters,
        this.rng,
      );
    }
  }

  /** Once per mini-batch after the update (diffusion, decay). */
  postUpdateStep(): void {
    this.device.postUpdateStep(this.rng);
  }

  getWeights(): Float32Array {
    return this.device.weights.data.slice();
  }

  setWeights(values: ArrayLike<number>): void {
    this.device.setWeights(values, this.rng);
  }

  getState(): StateRecord {
    return {
      ...prefixState('device.', this.device.getState()),
      ...(this.forwardPipeline ? this.forwardPipeline.toRecord('fwd.') : {}),
      ...(this.backwardPipeline ? this.backwardPipeline.toRecord('bwd.') : {}),
    };
  }

  setState(state: StateRecord): void {
    this.device.setState(unprefixState('device.', state));
    this.forwardPipeline?.fromRecord('fwd.', state);
    this.backwardPipeline?.fromRecord('bwd.', state);
    this.lastMask = null;
  }

  dispose(): void {
    this.device.dispose();
  }
}
