/**
 * 2-D convolutions on NCHW tensors (PyTorch / AIHWKit semantics, groups = 1, zero padding):
 *
 * - `Conv2d`: digital, weight [O, C·kh·kw] (torch's `weight.view(O, −1)`), unfold + matmul.
 * - `AnalogConv2d` (reference §6.1): the input is unfolded into patches of C·kh·kw values and every
 *   patch is one input vector of an analog tile grid — an AnalogLinear of in = C·kh·kw,
 *   out = O — so each patch gets its own noise-management scale and ADC pass, the tile grid splits
 *   like any AnalogLinear (balanced splits over mapping.max_input_size / max_output_size), and the
 *   layer gets the RPU config's whole behaviour (pulsed or exact update, inference noise, modifiers,
 *   programming and drift) from it.
 *
 * Both initialise like torch's Conv2d.reset_parameters: weights and bias uniform in ±1/√(C·kh·kw).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { AnalogConv2dSpec, Conv2dSpec } from '../configs/layers';
import type { RPUConfig } from '../configs/rpu-config';
import type { StateRecord } from '../devices/device-array';
import type { Rng } from '../random/rng';
import { AnalogLinear } from './analog-linear';
import {
  conv2dBackward,
  conv2dForward,
  conv2dOutputShape,
  fold,
  foldOutput,
  toPair,
  unfold,
  unfoldOutput,
  type Conv2dGeometry,
} from './conv2d-unfold';
import {
  parameterState,
  restoreParameters,
  type AnalogUpdatable,
  type DigitalParameter,
  type ExportedLayerWeights,
  type ForwardContext,
  type Layer,
} from './layer';
import { kaimingUniform } from './linear';

type Shape4 = [number, number, number, number];

export function convGeometry(spec: Conv2dSpec | AnalogConv2dSpec): Conv2dGeometry {
  return {
    kernel: toPair(spec.kernel_size),
    stride: toPair(spec.stride),
    padding: toPair(spec.padding),
    dilation: toPair(spec.dilation),
  };
}

/** Checks a [B, C, H, W] input and returns its shape. */
export function check4d(x: tf.Tensor, channels: number, type: string): Shape4 {
  if (x.rank !== 4 || x.shape[1] !== channels) {
    throw new Error(
      `${type} expects input [batch, ${channels}, height, width], got [${x.shape.join(', ')}]` +
        (x.rank === 2 ? ' (image layers need [batch, channels, height, width] inputs)' : ''),
    );
  }
  return x.shape as Shape4;
}

export class Conv2d implements Layer {
  readonly type = 'Conv2d';
  readonly weight: DigitalParameter;
  readonly bias: DigitalParameter | null;
  readonly geometry: Conv2dGeometry;
  private patches: tf.Tensor2D | null = null;
  private inputShape: Shape4 | null = null;

  constructor(
    readonly inChannels: number,
    readonly outChannels: number,
    geometry: Conv2dGeometry,
    hasBias: boolean,
    rng: Rng,
  ) {
    this.geometry = geometry;
    const fanIn = inChannels * geometry.kernel[0] * geometry.kernel[1];
    const w = kaimingUniform(rng, outChannels * fanIn, fanIn);
    this.weight = { name: 'weight', values: w, grad: new Float32Array(w.length), momentum: null };
    this.bias = hasBias
      ? {
          name: 'bias',
          values: kaimingUniform(rng, outChannels, fanIn),
          grad: new Float32Array(outChannels),
          momentum: null,
        }
      : null;
  }

  private get fanIn(): number {
    return this.inChannels * this.geometry.kernel[0] * this.geometry.kernel[1];
  }

  forward(x: tf.Tensor, ctx: ForwardContext): tf.Tensor {
    const shape = check4d(x, this.inChannels, this.type);
    this.clearCache();
    const weight = tf.tensor2d(this.weight.values, [this.outChannels, this.fanIn]);
    const bias = this.bias ? tf.tensor1d(this.bias.values) : null;
    const { y, patches } = conv2dForward(x as tf.Tensor4D, weight, bias, this.geometry);
    tf.dispose([weight, ...(bias ? [bias] : [])]);
    if (ctx.training) {
      this.patches = patches;
      this.inputShape = shape;
    } else {
      patches.dispose();
    }
    return y;
  }

  backward(grad: tf.Tensor): tf.Tensor {
    if (!this.patches || !this.inputShape)
      throw new Error('Conv2d.backward called without a training forward');
    const weight = tf.tensor2d(this.weight.values, [this.outChannels, this.fanIn]);
    const { dx, dWeight, dBias } = conv2dBackward(
      grad as tf.Tensor4D,
      this.patches,
      weight,
      this.inputShape,
      this.geometry,
    );
    weight.dispose();
    this.weight.grad.set(dWeight.dataSync());
    if (this.bias) this.bias.grad.set(dBias.dataSync());
    tf.dispose([dWeight, dBias]);
    return dx;
  }

  exportWeights(): ExportedLayerWeights {
    return {
      weights: this.weight.values.slice(),
      shape: [this.outChannels, this.inChannels, ...this.geometry.kernel],
      bias: this.bias ? this.bias.values.slice() : null,
    };
  }

  /** Weights [O, C·kh·kw] (torch's weight.view(O, −1)) and the bias. */
  setWeights(weights: ArrayLike<number>, bias: ArrayLike<number> | null = null): void {
    if (weights.length !== this.weight.values.length) {
      throw new Error(`Conv2d.setWeights: ${weights.length} values, expected ${this.weight.values.length}`);
    }
    this.weight.values.set(weights);
    if (bias && this.bias) this.bias.values.set(bias);
  }

  parameters(): DigitalParameter[] {
    return this.bias ? [this.weight, this.bias] : [this.weight];
  }

  getState(): StateRecord {
    return parameterState(this.parameters());
  }

  setState(state: StateRecord): void {
    restoreParameters(this.parameters(), state);
  }

  clearCache(): void {
    this.patches?.dispose();
    this.patches = null;
    this.inputShape = null;
  }

  dispose(): void {
    this.clearCache();
  }
}

export class AnalogConv2d implements Layer {
  readonly type = 'AnalogConv2d';
  readonly geometry: Conv2dGeometry;
  /** The tile grid: patches [B·Ho·Wo, C·kh·kw] → [B·Ho·Wo, O], bias included. */
  readonly core: AnalogLinear;
  readonly analog: AnalogUpdatable;
  private inputShape: Shape4 | null = null;

  constructor(
    readonly inChannels: number,
    readonly outChannels: number,
    geometry: Conv2dGeometry,
    hasBias: boolean,
    rpuConfig: RPUConfig,
    rng: Rng,
  ) {
    this.geometry = geometry;
    const fanIn = inChannels * geometry.kernel[0] * geometry.kernel[1];
    this.core = new AnalogLinear(fanIn, outChannels, hasBias, rpuConfig, rng);
    this.analog = this.core;
  }

  forward(x: tf.Tensor, ctx: ForwardContext): tf.Tensor {
    const shape = check4d(x, this.inChannels, this.type);
    const out = conv2dOutputShape(shape[2], shape[3], this.geometry);
    const patches = unfold(x as tf.Tensor4D, this.geometry);
    const rows = this.core.forward(patches, ctx) as tf.Tensor2D;
    patches.dispose();
    const y = foldOutput(rows, shape[0], out);
    rows.dispose();
    this.inputShape = ctx.training ? shape : null;
    return y;
  }

  backward(grad: tf.Tensor): tf.Tensor {
    if (!this.inputShape) throw new Error('AnalogConv2d.backward called without a training forward');
    const rows = unfoldOutput(grad as tf.Tensor4D);
    const dPatches = this.core.backward(rows) as tf.Tensor2D;
    rows.dispose();
    const dx = fold(dPatches, this.inputShape, this.geometry);
    dPatches.dispose();
    return dx;
  }

  /** The parameter gradients without the input gradient (see Layer): no col2im, no tile backward. */
  backwardParameters(grad: tf.Tensor): void {
    if (!this.inputShape) throw new Error('AnalogConv2d.backward called without a training forward');
    const rows = unfoldOutput(grad as tf.Tensor4D);
    this.core.backwardParameters(rows);
    rows.dispose();
  }

  exportWeights(): ExportedLayerWeights {
    const exported = this.core.exportWeights();
    return { ...exported, shape: [this.outChannels, this.inChannels, ...this.geometry.kernel] };
  }

  /** Logical weights [O, C·kh·kw] and the bias, as AnalogLinear.getWeights. */
  getWeights(): { weights: Float32Array; bias: Float32Array | null } {
    return this.core.getWeights();
  }

  /** Logical weights [O, C·kh·kw]; the bias goes to the analog column or the digital parameter. */
  setWeights(weights: ArrayLike<number>, bias: ArrayLike<number> | null = null): void {
    this.core.setWeights(weights, this.core.analogBias ? bias : null);
    if (bias && this.core.bias) this.core.bias.values.set(bias);
  }

  parameters(): DigitalParameter[] {
    return this.core.parameters();
  }

  getState(): StateRecord {
    return this.core.getState();
  }

  setState(state: StateRecord): void {
    this.core.setState(state);
  }

  clearCache(): void {
    this.core.clearCache();
    this.inputShape = null;
  }

  dispose(): void {
    this.core.dispose();
  }
}
