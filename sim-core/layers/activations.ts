/** Activation and shape layers (PyTorch semantics), with hand-written backward passes. */
import * as tf from '@tensorflow/tfjs-core';
import type { StateRecord } from '../devices/device-array';
import type { ForwardContext, Layer } from './layer';

abstract class StatelessLayer implements Layer {
  abstract readonly type: string;
  protected cache: tf.Tensor[] = [];
  abstract forward(x: tf.Tensor, ctx: ForwardContext): tf.Tensor;
  abstract backward(grad: tf.Tensor): tf.Tensor;
  parameters() {
    return [];
  }
  getState(): StateRecord {
    return {};
  }
  setState(): void {}
  protected keep(ctx: ForwardContext, ...tensors: tf.Tensor[]): void {
    this.clearCache();
    if (ctx.training) this.cache = tensors.map((t) => tf.keep(t.clone()));
  }
  protected cached(i: number): tf.Tensor {
    const t = this.cache[i];
    if (!t) throw new Error(`${this.type}.backward called without a training forward`);
    return t;
  }
  clearCache(): void {
    tf.dispose(this.cache);
    this.cache = [];
  }
  dispose(): void {
    this.clearCache();
  }
}

/** Resolve a possibly negative dimension. */
function dimOf(dim: number, rank: number, type: string): number {
  const d = dim < 0 ? rank + dim : dim;
  if (d < 0 || d >= rank) throw new Error(`${type}: dim ${dim} is out of range for a rank-${rank} input`);
  return d;
}

export class ReLU extends StatelessLayer {
  readonly type = 'ReLU';
  forward(x: tf.Tensor, ctx: ForwardContext) {
    this.keep(ctx, x);
    return tf.relu(x);
  }
  backward(grad: tf.Tensor) {
    return tf.tidy(() => tf.mul(grad, tf.step(this.cached(0))));
  }
}

export class LeakyReLU extends StatelessLayer {
  readonly type = 'LeakyReLU';
  constructor(readonly negativeSlope: number) {
    super();
  }
  forward(x: tf.Tensor, ctx: ForwardContext) {
    this.keep(ctx, x);
    return tf.leakyRelu(x, this.negativeSlope);
  }
  backward(grad: tf.Tensor) {
    return tf.tidy(() => {
      const x = this.cached(0);
      return tf.mul(grad, tf.where(tf.greater(x, 0), tf.onesLike(x), tf.fill(x.shape, this.negativeSlope)));
    });
  }
}

export class Sigmoid extends StatelessLayer {
  readonly type = 'Sigmoid';
  forward(x: tf.Tensor, ctx: ForwardContext) {
    const y = tf.sigmoid(x);
    this.keep(ctx, y);
    return y;
  }
  backward(grad: tf.Tensor) {
    return tf.tidy(() => {
      const y = this.cached(0);
      return tf.mul(grad, tf.mul(y, tf.sub(1, y)));
    });
  }
}

export class Tanh extends StatelessLayer {
  readonly type = 'Tanh';
  forward(x: tf.Tensor, ctx: ForwardContext) {
    const y = tf.tanh(x);
    this.keep(ctx, y);
    return y;
  }
  backward(grad: tf.Tensor) {
    return tf.tidy(() => tf.mul(grad, tf.sub(1, tf.square(this.cached(0)))));
  }
}

export class Softmax extends StatelessLayer {
  readonly type = 'Softmax';
  constructor(readonly dim: number) {
    super();
  }
  forward(x: tf.Tensor, ctx: ForwardContext) {
    const d = dimOf(this.dim, x.rank, this.type);
    const y = tf.tidy(() => tf.exp(tf.sub(x, tf.logSumExp(x, d, true))));
    this.keep(ctx, y);
    return y;
  }
  backward(grad: tf.Tensor) {
    return tf.tidy(() => {
      const y = this.cached(0);
      const d = dimOf(this.dim, y.rank, this.type);
      return tf.mul(y, tf.sub(grad, tf.sum(tf.mul(grad, y), d, true)));
    });
  }
}

export class LogSoftmax extends StatelessLayer {
  readonly type = 'LogSoftmax';
  constructor(readonly dim: number) {
    super();
  }
  forward(x: tf.Tensor, ctx: ForwardContext) {
    const d = dimOf(this.dim, x.rank, this.type);
    const y = tf.tidy(() => tf.sub(x, tf.logSumExp(x, d, true)));
    this.keep(ctx, y);
    return y;
  }
  backward(grad: tf.Tensor) {
    return tf.tidy(() => {
      const y = this.cached(0);
      const d = dimOf(this.dim, y.rank, this.type);
      return tf.sub(grad, tf.mul(tf.exp(y), tf.sum(grad, d, true)));
    });
  }
}

export class LogSigmoid extends StatelessLayer {
  readonly type = 'LogSigmoid';
  forward(x: tf.Tensor, ctx: ForwardContext) {
    this.keep(ctx, x);
    return tf.logSigmoid(x);
  }
  backward(grad: tf.Tensor) {
    // d/dx log σ(x) = 1 − σ(x) = σ(−x)
    return tf.tidy(() => tf.mul(grad, tf.sigmoid(tf.neg(this.cached(0)))));
  }
}

export class Flatten extends StatelessLayer {
  readonly type = 'Flatten';
  private inputShape: number[] | null = null;
  constructor(
    readonly startDim: number,
    readonly endDim: number,
  ) {
    super();
  }
  forward(x: tf.Tensor, _ctx: ForwardContext) {
    const r = x.rank;
    const s = dimOf(this.startDim, r, this.type);
    const e = dimOf(this.endDim, r, this.type);
    if (e < s) throw new Error(`Flatten: end_dim ${this.endDim} comes before start_dim ${this.startDim}`);
    this.inputShape = x.shape.slice();
    const shape = [
      ...x.shape.slice(0, s),
      x.shape.slice(s, e + 1).reduce((a, b) => a * b, 1),
      ...x.shape.slice(e + 1),
    ];
    return tf.reshape(x, shape);
  }
  backward(grad: tf.Tensor) {
    if (!this.inputShape) throw new Error('Flatten.backward called without a forward');
    return tf.reshape(grad, this.inputShape);
  }
  override clearCache(): void {
    super.clearCache();
  }
}

export class Dropout extends StatelessLayer {
  readonly type = 'Dropout';
  constructor(readonly p: number) {
    super();
  }
  forward(x: tf.Tensor, ctx: ForwardContext) {
    if (!ctx.training || this.p === 0) {
      this.clearCache();
      return tf.clone(x);
    }
    if (this.p === 1) {
      this.keep(ctx, tf.zerosLike(x));
      return tf.zerosLike(x);
    }
    const mask = tf.tidy(() =>
      tf.div(
        tf.cast(
          tf.greaterEqual(tf.randomUniform(x.shape, 0, 1, 'float32', ctx.rng.nextSeed()), this.p),
          'float32',
        ),
        1 - this.p,
      ),
    );
    this.keep(ctx, mask);
    const y = tf.mul(x, mask);
    mask.dispose();
    return y;
  }
  backward(grad: tf.Tensor) {
    if (this.cache.length === 0) return tf.clone(grad);
    return tf.mul(grad, this.cached(0));
  }
}
