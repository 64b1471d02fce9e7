/**
 * Programming noise, drift and read noise of a noise model at several conductances and times: a row of
 * `repeats` weights per target level plus one weight of 1.0 that pins the scale (abs-max ↦ g_max), is
 * programmed once; the drift exponent ν of each weight's nonzero slice is kept; the programmed weights
 * are then read at every t_inference (each from the same programmed state, fresh read noise).
 * Weights are in units of the largest weight (1.0 ↦ g_max).
 */
import { NoiseModel } from '../../../sim-core/configs';
import { createNoiseModel } from '../../../sim-core/inference/noise/create-noise-model';
import { driftWeights, programWeights } from '../../../sim-core/inference/noise/noise-model';
import { Rng } from '../../../sim-core/random/rng';
import type { CaseOf } from '../case-schema';
import type { SideGroup } from '../side';
import type { KindModule } from './kind';

type Case = CaseOf<'noise-model'>;

/** The weight row: level k occupies [k·repeats, (k+1)·repeats); the last entry is the pinned 1.0. */
export function noiseModelWeights(c: Case): Float32Array {
  const w = new Float32Array(c.levels.length * c.repeats + 1);
  c.levels.forEach((level, k) => w.fill(level, k * c.repeats, (k + 1) * c.repeats));
  w[w.length - 1] = 1;
  return w;
}

export const levelLabel = (level: number) => `w=${level >= 0 ? '+' : ''}${level}`;

function perLevel(c: Case, values: ArrayLike<number>, suffix: string): SideGroup {
  return {
    labels: c.levels.map((l) => `${levelLabel(l)} ${suffix}`),
    samples: c.levels.map((_, k) => Array.from(values).slice(k * c.repeats, (k + 1) * c.repeats)),
  };
}

export const noiseModel: KindModule<'noise-model'> = {
  script: 'noise_model.py',
  prepare: () => ({}),
  async run(c, { stopwatch }) {
    const model = createNoiseModel(NoiseModel.parse(c.noise_model));
    const weights = noiseModelWeights(c);
    const rng = new Rng(c.seed);
    const programmed = stopwatch.time(() => programWeights(model, weights, rng));
    // ν of the slice that holds the weight (g⁺ for w > 0, g⁻ for w < 0).
    const nu = Float64Array.from(weights, (w, i) => programmed.driftParameters[w >= 0 ? 0 : 1][i]);
    const groups: Record<string, SideGroup> = {
      programmed: perLevel(c, programmed.programmed, 'programmed'),
      nu: perLevel(c, nu, 'ν'),
    };
    for (const t of c.t_inference) {
      const drifted = stopwatch.time(() => driftWeights(model, programmed, t, rng));
      groups[`t=${t}`] = perLevel(c, drifted, `at t=${t} s`);
    }
    return { groups };
  },
};
