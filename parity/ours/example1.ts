/**
 * AIHWKit's Example 1 (examples/01_simple_layer.py): AnalogLinear(4, 2) with bias, full-batch training on
 * two fixed samples with MSE and AnalogSGD(lr 0.1) for 100 steps; the loss of each step (computed before
 * its update) over several seeds per side.
 */
import * as tf from '@tensorflow/tfjs-core';
import { AnalogSGD, AnalogSGDSpec, Rng, Sequential, regressionLoss } from '../../sim-core';
import { resolveRPUConfig, type CaseOf } from '../case-schema';
import type { KindModule } from './kind';

export const EXAMPLE1_X = [
  [0.1, 0.2, 0.4, 0.3],
  [0.2, 0.1, 0.1, 0.3],
];
export const EXAMPLE1_Y = [
  [1.0, 0.5],
  [0.7, 0.3],
];

export function example1Labels(c: CaseOf<'example1'>): string[] {
  return c.report_steps.map((s) => `loss at step ${s}`);
}

export const example1: KindModule<'example1'> = {
  script: 'example1.py',
  methods: { loss: 'seeds' },
  prepare(c) {
    if (c.report_steps.some((s) => s > c.steps)) throw new Error('report_steps must be ≤ steps');
    return { x: EXAMPLE1_X, y: EXAMPLE1_Y };
  },
  async run(c, { stopwatch }) {
    const config = resolveRPUConfig(c.rpu_config);
    const samples = c.report_steps.map(() => [] as number[]);
    const x = tf.tensor2d(EXAMPLE1_X);
    const y = tf.tensor2d(EXAMPLE1_Y);
    for (let seed = 1; seed <= c.seeds; seed++) {
      const rng = new Rng(seed);
      const model = Sequential.fromSpecs(
        [{ type: 'AnalogLinear', in_features: 4, out_features: 2, bias: true }],
        config,
        rng,
      );
      const optimizer = new AnalogSGD(AnalogSGDSpec.parse({ type: 'AnalogSGD', lr: c.lr }), model);
      const losses = stopwatch.time(() => {
        const out: number[] = [];
        for (let step = 1; step <= c.steps; step++) {
          const pred = model.forward(x, { training: true, rng });
          const { loss, grad } = regressionLoss('MSELoss', pred, y);
          model.backward(grad);
          optimizer.step();
          model.clearCache();
          tf.dispose([pred, grad]);
          out.push(loss);
        }
        return out;
      });
      c.report_steps.forEach((s, q) => samples[q].push(losses[s - 1]));
      model.dispose();
    }
    tf.dispose([x, y]);
    return { groups: { loss: { labels: example1Labels(c), samples } } };
  },
};
