/**
 * Inference-tile kinds, through sim-core's InferenceRPUConfig tile (AnalogTile + InferenceTileExtras):
 * drift compensation (program, drift, alpha), the weight modifier (the modified copy the forward pass
 * uses), and clipping/remapping in the post-update step.
 */
import * as tf from '@tensorflow/tfjs-core';
import { AnalogTile, InferenceRPUConfig, InferenceTileExtras, Rng } from '../../sim-core';
import { resolveRPUConfig } from '../case-schema';
import { caseMatrix, flat } from '../inputs';
import { columnsAsQuantities, type SideGroup } from '../side';
import type { KindModule } from './kind';
import { weightLabels } from './pulsed-update';

function inferenceTile(config: InferenceRPUConfig, outSize: number, inSize: number, rng: Rng) {
  const tile = AnalogTile.fromRPUConfig(config, outSize, inSize, rng);
  return { tile, extras: new InferenceTileExtras(tile, config, rng) };
}

/** x·Wᵀ of the tile for a batch (rows of x), as plain numbers. */
function forward(tile: AnalogTile, x: Float32Array, batch: number): Float32Array {
  const input = tf.tensor2d(x, [batch, tile.inSize]);
  const y = tile.forward(input);
  const values = y.dataSync().slice() as Float32Array;
  tf.dispose([input, y]);
  return values;
}

function identity(n: number): Float32Array {
  const eye = new Float32Array(n * n);
  for (let i = 0; i < n; i++) eye[i * n + i] = 1;
  return eye;
}

export const driftCompensation: KindModule<'drift-compensation'> = {
  script: 'drift_compensation.py',
  prepare(c) {
    return {
      weights: caseMatrix(c.seed, 'weights', c.weights, c.out_size, c.in_size),
      probe: caseMatrix(c.seed, 'probe', { uniform: [-1, 1] }, 1, c.in_size),
    };
  },
  async run(c, { inputs, stopwatch }) {
    const config = InferenceRPUConfig.parse(resolveRPUConfig(c.rpu_config));
    const weights = flat(inputs.weights as number[][]);
    const probe = flat(inputs.probe as number[][]);
    const rng = new Rng(c.seed);
    const perColumn = config.drift_compensation?.type === 'PerColumnDriftCompensation';
    const alphaCount = perColumn ? c.out_size : 1;
    const alphas = c.t_inference.map(() => new Float64Array(c.draws * alphaCount));
    const outputs = c.t_inference.map(() => new Float64Array(c.draws * c.out_size));
    for (let k = 0; k < c.draws; k++) {
      const { tile, extras } = inferenceTile(config, c.out_size, c.in_size, rng);
      extras.setReferenceWeights(weights);
      stopwatch.time(() => {
        extras.program(rng);
        c.t_inference.forEach((t, ti) => {
          extras.drift(t, rng);
          const alpha = extras.lifecycle.alpha;
          for (let a = 0; a < alphaCount; a++) alphas[ti][k * alphaCount + a] = alpha ? alpha[a] : 1;
          extras.prepareForward(false);
          outputs[ti].set(forward(tile, probe, 1), k * c.out_size);
        });
      });
      tile.dispose();
    }
    const groups: Record<string, SideGroup> = {};
    c.t_inference.forEach((t, ti) => {
      const alphaLabels = perColumn
        ? Array.from({ length: alphaCount }, (_, a) => `alpha[${a}] at t=${t} s`)
        : [`alpha at t=${t} s`];
      groups[`alpha t=${t}`] = columnsAsQuantities(alphas[ti], c.draws, alphaLabels);
      groups[`output t=${t}`] = columnsAsQuantities(
        outputs[ti],
        c.draws,
        Array.from({ length: c.out_size }, (_, i) => `probe→y${i} at t=${t} s`),
      );
    });
    return { groups };
  },
};

export const weightModifier: KindModule<'weight-modifier'> = {
  script: 'weight_modifier.py',
  prepare(c) {
    return { weights: caseMatrix(c.seed, 'weights', c.weights, c.out_size, c.in_size) };
  },
  async run(c, { inputs, stopwatch }) {
    // A perfect forward reads the modified weights exactly: y = eye · W_modᵀ.
    const config = InferenceRPUConfig.parse({
      type: 'InferenceRPUConfig',
      forward: { is_perfect: true },
      modifier: c.modifier,
    });
    const rng = new Rng(c.seed);
    const { tile, extras } = inferenceTile(config, c.out_size, c.in_size, rng);
    extras.setReferenceWeights(flat(inputs.weights as number[][]));
    const eye = identity(c.in_size);
    const n = c.out_size * c.in_size;
    const values = new Float64Array(c.draws * n);
    for (let k = 0; k < c.draws; k++) {
      const y = stopwatch.time(() => {
        extras.postUpdateStep(null);
        extras.prepareForward(true);
        return forward(tile, eye, c.in_size); // [in, out]: y[j, i] = W_mod[i, j]
      });
      for (let i = 0; i < c.out_size; i++)
        for (let j = 0; j < c.in_size; j++) values[k * n + i * c.in_size + j] = y[j * c.out_size + i];
    }
    tile.dispose();
    return {
      groups: { modified: columnsAsQuantities(values, c.draws, weightLabels(c.out_size, c.in_size, 'W')) },
    };
  },
};

export const clipRemap: KindModule<'clip-remap'> = {
  script: 'clip_remap.py',
  methods: { weights: 'exact', scales: 'exact' },
  prepare(c) {
    return { weights: caseMatrix(c.seed, 'weights', c.weights, c.out_size, c.in_size) };
  },
  async run(c, { inputs, stopwatch }) {
    const config = InferenceRPUConfig.parse({
      type: 'InferenceRPUConfig',
      ...(c.clip ? { clip: c.clip } : {}),
      ...(c.remap ? { remap: c.remap } : {}),
    });
    const rng = new Rng(c.seed);
    const { tile, extras } = inferenceTile(config, c.out_size, c.in_size, rng);
    extras.setReferenceWeights(flat(inputs.weights as number[][]));
    const scales = stopwatch.time(() => extras.postUpdateStep(null));
    const w = tile.getWeights();
    tile.dispose();
    const groups: Record<string, SideGroup> = {
      weights: { labels: weightLabels(c.out_size, c.in_size, 'W'), samples: Array.from(w, (v) => [v]) },
    };
    if (c.remap) {
      groups.scales = {
        labels: Array.from({ length: c.out_size }, (_, i) => `scale[${i}]`),
        samples: Array.from(scales ?? new Float32Array(c.out_size).fill(1), (v) => [v]),
      };
    }
    return { groups };
  },
};
