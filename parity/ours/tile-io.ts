/**
 * Forward or backward of one tile, many draws: the same input batch repeated `draws` times in one call
 * (the C++ engine and sim-core treat every row as its own vector: own noise, own NM/BM scale), each
 * output of each input vector one quantity.
 */
import * as tf from '@tensorflow/tfjs-core';
import { AnalogTile, Rng } from '../../sim-core';
import { resolveRPUConfig, type CaseOf } from '../case-schema';
import { caseMatrix, flat } from '../inputs';
import { columnsAsQuantities } from '../side';
import type { KindModule } from './kind';

type Case = CaseOf<'tile-io'>;

function vectorSize(c: Case): { input: number; output: number } {
  return c.direction === 'forward'
    ? { input: c.in_size, output: c.out_size }
    : { input: c.out_size, output: c.in_size };
}

export function tileIOLabels(c: Case): string[] {
  const { output } = vectorSize(c);
  const labels: string[] = [];
  for (let b = 0; b < c.input_count; b++) for (let i = 0; i < output; i++) labels.push(`x${b}→y${i}`);
  return labels;
}

export const tileIO: KindModule<'tile-io'> = {
  script: 'tile_io.py',
  prepare(c) {
    const inputs =
      'values' in c.inputs
        ? c.inputs.values
        : caseMatrix(c.seed, 'inputs', c.inputs, c.input_count, vectorSize(c).input);
    if (inputs.length !== c.input_count)
      throw new Error(`inputs: ${inputs.length} rows but input_count ${c.input_count}`);
    return {
      weights: caseMatrix(c.seed, 'weights', c.weights, c.out_size, c.in_size),
      inputs,
    };
  },
  async run(c, { inputs, stopwatch }) {
    const weights = flat(inputs.weights as number[][]);
    const x = inputs.inputs as number[][];
    const { input, output } = vectorSize(c);
    const batch = x.length;
    const one = flat(x);
    const repeated = new Float32Array(c.fresh_tiles ? 0 : c.draws * one.length);
    if (!c.fresh_tiles) for (let d = 0; d < c.draws; d++) repeated.set(one, d * one.length);

    const rng = new Rng(c.seed);
    const config = resolveRPUConfig(c.rpu_config);
    const pass = (tile: AnalogTile, rows: Float32Array, n: number): Float32Array => {
      const xt = tf.tensor2d(rows, [n, input]);
      const out = c.direction === 'forward' ? tile.forward(xt) : tile.backward(xt);
      const data = out.dataSync().slice() as Float32Array;
      tf.dispose([xt, out]);
      return data;
    };
    let y: Float32Array;
    if (c.fresh_tiles) {
      y = new Float32Array(c.draws * batch * output);
      for (let d = 0; d < c.draws; d++) {
        const tile = AnalogTile.fromRPUConfig(config, c.out_size, c.in_size, rng);
        tile.setWeights(weights);
        y.set(
          stopwatch.time(() => pass(tile, one, batch)),
          d * batch * output,
        );
        tile.dispose();
      }
    } else {
      const tile = AnalogTile.fromRPUConfig(config, c.out_size, c.in_size, rng);
      tile.setWeights(weights);
      y = stopwatch.time(() => pass(tile, repeated, c.draws * batch));
      tile.dispose();
    }
    if (y.length !== c.draws * batch * output) throw new Error('tile-io: unexpected output size');
    return { groups: { outputs: columnsAsQuantities(y, c.draws, tileIOLabels(c)) } };
  },
};
