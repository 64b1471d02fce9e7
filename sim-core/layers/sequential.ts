/**
 * A sequential model built from layer specs. Layer types are looked up in a registry, so other modules
 * (convolution, pooling, batch norm) add their builders with `registerLayerBuilder` without editing
 * this file.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { LayerSpec, LayerType } from '../configs/layers';
import type { RPUConfig } from '../configs/rpu-config';
import { rpuConfigProblems } from '../configs/validate';
import { prefixState, unprefixState, type StateRecord } from '../devices/device-array';
import type { Rng } from '../random/rng';
import {
  Dropout,
  Flatten,
  LeakyReLU,
  LogSigmoid,
  LogSoftmax,
  ReLU,
  Sigmoid,
  Softmax,
  Tanh,
} from './activations';
import { AnalogLinear } from './analog-linear';
import { isAnalog, type ForwardContext, type Layer } from './layer';
import { Linear } from './linear';

export interface LayerBuildContext {
  /** The RPU config for analog layers without their own. */
  defaultRpuConfig: RPUConfig;
  rng: Rng;
  /** Position of the layer in the model (for messages). */
  index: number;
}

export type LayerBuilder<T extends LayerType = LayerType> = (
  spec: Extract<LayerSpec, { type: T }>,
  ctx: LayerBuildContext,
) => Layer;

const builders = new Map<LayerType, LayerBuilder>();

export function registerLayerBuilder<T extends LayerType>(type: T, builder: LayerBuilder<T>): void {
  builders.set(type, builder as unknown as LayerBuilder);
}

/** The RPU config an analog layer uses, checked for what sim-core cannot simulate. */
export function analogLayerConfig(spec: { rpu_config?: RPUConfig }, ctx: LayerBuildContext): RPUConfig {
  const config = spec.rpu_config ?? ctx.defaultRpuConfig;
  const problems = rpuConfigProblems(config);
  if (problems.length > 0) {
    const where = spec.rpu_config ? `layer ${ctx.index} rpu_config` : 'rpu_config';
    throw new Error(problems.map((p) => `${where}.${p.path.join('.')}: ${p.message}`).join('; '));
  }
  return config;
}

registerLayerBuilder(
  'AnalogLinear',
  (s, ctx) => new AnalogLinear(s.in_features, s.out_features, s.bias, analogLayerConfig(s, ctx), ctx.rng),
);
registerLayerBuilder('Linear', (s, ctx) => new Linear(s.in_features, s.out_features, s.bias, ctx.rng));
registerLayerBuilder('ReLU', () => new ReLU());
registerLayerBuilder('LeakyReLU', (s) => new LeakyReLU(s.negative_slope));
registerLayerBuilder('Sigmoid', () => new Sigmoid());
registerLayerBuilder('Tanh', () => new Tanh());
registerLayerBuilder('Softmax', (s) => new Softmax(s.dim));
registerLayerBuilder('LogSoftmax', (s) => new LogSoftmax(s.dim));
registerLayerBuilder('LogSigmoid', () => new LogSigmoid());
registerLayerBuilder('Flatten', (s) => new Flatten(s.start_dim, s.end_dim));
registerLayerBuilder('Dropout', (s) => new Dropout(s.p));

export class Sequential {
  constructor(readonly layers: Layer[]) {}

  static fromSpecs(specs: LayerSpec[], defaultRpuConfig: RPUConfig, rng: Rng): Sequential {
    if (specs.length === 0) throw new Error('model: at least one layer is needed');
    const layers = specs.map((spec, index) => {
      const build = builders.get(spec.type);
      if (!build)
        throw new Error(`model layer ${index}: ${spec.type} is not available in this build of sim-core`);
      return build(spec, { defaultRpuConfig, rng, index });
    });
    return new Sequential(layers);
  }

  forward(x: tf.Tensor, ctx: ForwardContext): tf.Tensor {
    let h = x;
    for (const layer of this.layers) {
      const next = layer.forward(h, ctx);
      if (h !== x) h.dispose();
      h = next;
    }
    return h;
  }

  /**
   * Back-propagate the loss gradient (after a training forward) down to the first layer with
   * parameters: below it no gradient is used, so it computes only its parameter gradients, and the
   * layers before it (Flatten, …) are not visited.
   */
  backward(grad: tf.Tensor): void {
    const first = this.firstLayerWithParameters();
    let g = grad;
    for (let k = this.layers.length - 1; k > first; k--) {
      const next = this.layers[k].backward(g);
      if (g !== grad) g.dispose();
      g = next;
    }
    if (first >= 0) {
      const layer = this.layers[first];
      if (layer.backwardParameters) layer.backwardParameters(g);
      else layer.backward(g).dispose();
    }
    if (g !== grad) g.dispose();
  }

  /** Index of the first layer with digital parameters or analog tiles (−1: none). */
  private firstLayerWithParameters(): number {
    return this.layers.findIndex((l) => isAnalog(l) || l.parameters().length > 0);
  }

  analogLayers() {
    return this.layers.filter(isAnalog);
  }

  clearCache(): void {
    for (const l of this.layers) l.clearCache();
  }

  getState(): StateRecord {
    let s: StateRecord = {};
    this.layers.forEach((l, k) => (s = { ...s, ...prefixState(`${k}.`, l.getState()) }));
    return s;
  }

  setState(state: StateRecord): void {
    this.layers.forEach((l, k) => l.setState(unprefixState(`${k}.`, state)));
  }

  dispose(): void {
    for (const l of this.layers) l.dispose();
  }
}
