/**
 * Forward then backward through an AnalogLinear layer (no bias), many draws: the gradient w.r.t. the
 * layer input. Besides the backward IO pipeline this includes the periphery's mask (AIHWKit's RPUCuda
 * tiles zero the back-propagated gradient where the forward output reached 0.999·out_bound, after the
 * noise-management rescale; reference §1.10, §10 item 17b).
 */
import * as tf from '@tensorflow/tfjs-core';
import { AnalogLinear, Rng, Sequential } from '../../sim-core';
import { resolveRPUConfig } from '../case-schema';
import { caseMatrix, flat } from '../inputs';
import { columnsAsQuantities } from '../side';
import type { KindModule } from './kind';

export const layerBackward: KindModule<'layer-backward'> = {
  script: 'layer_backward.py',
  prepare(c) {
    return {
      weights: caseMatrix(c.seed, 'weights', c.weights, c.out_size, c.in_size),
      inputs: caseMatrix(c.seed, 'inputs', c.inputs, c.input_count, c.in_size),
      grads: caseMatrix(c.seed, 'grads', c.grads, c.input_count, c.out_size),
    };
  },
  async run(c, { inputs, stopwatch }) {
    const rng = new Rng(c.seed);
    const model = Sequential.fromSpecs(
      [{ type: 'AnalogLinear', in_features: c.in_size, out_features: c.out_size, bias: false }],
      resolveRPUConfig(c.rpu_config),
      rng,
    );
    const layer = model.layers[0] as AnalogLinear;
    layer.setWeights(flat(inputs.weights as number[][]));
    const repeat = (m: number[][]) => {
      const one = flat(m);
      const out = new Float32Array(c.draws * one.length);
      for (let k = 0; k < c.draws; k++) out.set(one, k * one.length);
      return out;
    };
    const n = c.draws * c.input_count;
    const x = tf.tensor2d(repeat(inputs.inputs as number[][]), [n, c.in_size]);
    const d = tf.tensor2d(repeat(inputs.grads as number[][]), [n, c.out_size]);
    const dx = stopwatch.time(() => {
      const y = layer.forward(x, { training: true, rng });
      const g = layer.backward(d);
      const values = g.dataSync().slice() as Float32Array;
      tf.dispose([y, g]);
      return values;
    });
    tf.dispose([x, d]);
    model.dispose();
    const labels: string[] = [];
    for (let b = 0; b < c.input_count; b++)
      for (let j = 0; j < c.in_size; j++) labels.push(`x${b}: dL/dx${j}`);
    return { groups: { input_grad: columnsAsQuantities(dx, c.draws, labels) } };
  },
};
