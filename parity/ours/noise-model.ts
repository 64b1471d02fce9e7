/**
 * Programming noise, drift and read noise of a noise model at several conductances and times. Each of
 * `repeats` independent draws programs its own small weight matrix — one weight per target level plus
 * a weight of 1.0 that pins the scale (abs-max ↦ g_max) — keeps the drift exponent ν of each weight's
 * nonzero slice, and reads the programmed weights at every t_inference (each from the same programmed
 * state, fresh read noise). Independent matrices matter: the converter maps each matrix's abs-max to
 * g_max, a random factor that would otherwise be shared by all samples of a draw. Weights are in
 * units of the largest weight (1.0 ↦ g_max).
 */
import { NoiseModel, Rng, createNoiseModel, driftWeights, programWeights } from '../../sim-core';
import type { CaseOf } from '../case-schema';
import { columnsAsQuantities, type SideGroup } from '../side';
import type { KindModule } from './kind';

type Case = CaseOf<'noise-model'>;

/** One draw's weight row: the levels, then the pinned 1.0. */
export function noiseModelWeights(c: Case): Float32Array {
  return Float32Array.from([...c.levels, 1]);
}

export const levelLabel = (level: number) => `w=${level >= 0 ? '+' : ''}${level}`;

function perLevel(c: Case, values: Float64Array, suffix: string): SideGroup {
  return columnsAsQuantities(
    values,
    c.repeats,
    c.levels.map((l) => `${levelLabel(l)} ${suffix}`),
  );
}

export const noiseModel: KindModule<'noise-model'> = {
  script: 'noise_model.py',
  prepare: () => ({}),
  async run(c, { stopwatch }) {
    const model = createNoiseModel(NoiseModel.parse(c.noise_model));
    const weights = noiseModelWeights(c);
    const L = c.levels.length;
    const rng = new Rng(c.seed);
    const programmedValues = new Float64Array(c.repeats * L);
    const nu = new Float64Array(c.repeats * L);
    const drifted = c.t_inference.map(() => new Float64Array(c.repeats * L));
    for (let r = 0; r < c.repeats; r++) {
      stopwatch.time(() => {
        const programmed = programWeights(model, weights, rng);
        for (let k = 0; k < L; k++) {
          programmedValues[r * L + k] = programmed.programmed[k];
          // ν of the slice that holds the weight (g⁺ for w ≥ 0, g⁻ for w < 0).
          nu[r * L + k] = programmed.driftParameters[c.levels[k] >= 0 ? 0 : 1][k];
        }
        c.t_inference.forEach((t, ti) => {
          const w = driftWeights(model, programmed, t, rng);
          for (let k = 0; k < L; k++) drifted[ti][r * L + k] = w[k];
        });
      });
    }
    const groups: Record<string, SideGroup> = {
      programmed: perLevel(c, programmedValues, 'programmed'),
      nu: perLevel(c, nu, 'ν'),
    };
    c.t_inference.forEach((t, ti) => (groups[`t=${t}`] = perLevel(c, drifted[ti], `at t=${t} s`)));
    return { groups };
  },
};
