/** MaxPool2d and AvgPool2d layers (PyTorch semantics; see pooling.ts). */
import type * as tf from '@tensorflow/tfjs-core';
import type { AvgPool2dSpec, MaxPool2dSpec } from '../configs/layers';
import type { StateRecord } from '../devices/device-array';
import { toPair } from './conv2d-unfold';
import { check4dRank } from './image-shapes';
import type { DigitalParameter, ForwardContext, Layer } from './layer';
import { avgPool2d, maxPool2d, type PoolForward, type PoolGeometry } from './pooling';

function poolGeometry(spec: MaxPool2dSpec | AvgPool2dSpec): PoolGeometry {
  return {
    kernel: toPair(spec.kernel_size),
    stride: toPair(spec.stride ?? spec.kernel_size),
    padding: toPair(spec.padding),
    ceilMode: spec.ceil_mode,
  };
}

abstract class PoolLayer implements Layer {
  abstract readonly type: string;
  private pass: PoolForward | null = null;

  constructor(readonly geometry: PoolGeometry) {}

  protected abstract pool(x: tf.Tensor4D): PoolForward;

  forward(x: tf.Tensor, ctx: ForwardContext): tf.Tensor {
    check4dRank(x, this.type);
    this.clearCache();
    const pass = this.pool(x as tf.Tensor4D);
    if (ctx.training) this.pass = pass;
    else pass.dispose();
    return pass.y;
  }

  backward(grad: tf.Tensor): tf.Tensor {
    if (!this.pass) throw new Error(`${this.type}.backward called without a training forward`);
    return this.pass.backward(grad as tf.Tensor4D);
  }

  parameters(): DigitalParameter[] {
    return [];
  }

  getState(): StateRecord {
    return {};
  }

  setState(): void {}

  clearCache(): void {
    this.pass?.dispose();
    this.pass = null;
  }

  dispose(): void {
    this.clearCache();
  }
}

export class MaxPool2d extends PoolLayer {
  readonly type = 'MaxPool2d';

  constructor(spec: MaxPool2dSpec) {
    const dilation = toPair(spec.dilation);
    if (dilation[0] !== 1 || dilation[1] !== 1) {
      throw new Error(`MaxPool2d: dilation ${dilation.join(',')} is not simulated (only 1)`);
    }
    super(poolGeometry(spec));
  }

  protected pool(x: tf.Tensor4D): PoolForward {
    return maxPool2d(x, this.geometry);
  }
}

export class AvgPool2d extends PoolLayer {
  readonly type = 'AvgPool2d';

  constructor(
    spec: AvgPool2dSpec,
    private readonly countIncludePad = spec.count_include_pad,
  ) {
    super(poolGeometry(spec));
  }

  protected pool(x: tf.Tensor4D): PoolForward {
    return avgPool2d(x, this.geometry, this.countIncludePad);
  }
}
