/**
 * Pulsed update of one tile: each draw builds a fresh tile (a new device-to-device sample), programs
 * the initial weights, applies `updates` pulsed updates with the same x, d and lr, and reports
 * ΔW = W_after − W_programmed per weight (W_programmed read back: pulsed devices clip to their own
 * bounds and may add write noise).
 */
import * as tf from '@tensorflow/tfjs-core';
import { AnalogTile, Rng } from '../../sim-core';
import { resolveRPUConfig, type CaseOf } from '../case-schema';
import { caseMatrix, flat } from '../inputs';
import { columnsAsQuantities } from '../side';
import type { KindModule } from './kind';

type Case = CaseOf<'pulsed-update'>;

export function weightLabels(rows: number, cols: number, prefix = 'ΔW'): string[] {
  const labels: string[] = [];
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) labels.push(`${prefix}[${i},${j}]`);
  return labels;
}

export const pulsedUpdate: KindModule<'pulsed-update'> = {
  script: 'pulsed_update.py',
  prepare(c: Case) {
    return {
      weights: caseMatrix(c.seed, 'weights', c.weights, c.out_size, c.in_size),
      x: caseMatrix(c.seed, 'x', c.x, c.batch, c.in_size),
      d: caseMatrix(c.seed, 'd', c.d, c.batch, c.out_size),
    };
  },
  async run(c, { inputs, stopwatch }) {
    const config = resolveRPUConfig(c.rpu_config);
    const w0 = flat(inputs.weights as number[][]);
    const x = tf.tensor2d(inputs.x as number[][]);
    const d = tf.tensor2d(inputs.d as number[][]);
    const rng = new Rng(c.seed);
    const n = c.out_size * c.in_size;
    const dw = new Float64Array(c.draws * n);
    for (let k = 0; k < c.draws; k++) {
      const tile = AnalogTile.fromRPUConfig(config, c.out_size, c.in_size, rng);
      tile.setWeights(w0);
      const before = tile.getWeights();
      stopwatch.time(() => {
        for (let u = 0; u < c.updates; u++) tile.update(x, d, c.lr);
      });
      const after = tile.getWeights();
      for (let q = 0; q < n; q++) dw[k * n + q] = after[q] - before[q];
      tile.dispose();
    }
    tf.dispose([x, d]);
    return { groups: { dW: columnsAsQuantities(dw, c.draws, weightLabels(c.out_size, c.in_size)) } };
  },
};
