/**
 * Typed-array twin of `weight-modifier.ts` for the CPU kernels ("js" kernel mode), where a tile's
 * weights live in a Float32Array. It draws the same deviates in the same order as the tfjs version,
 * so for one seed both give the same modified weights (tested); see that file for the semantics.
 */
import type { RandomSource } from '../inference/random-source';
import { modifierResolution, WEIGHT_MODIFIER_TYPES, type WeightModifierParams } from './weight-modifier';

/** Local alias: looking up the global `Math` inside a vm context (jest) is far slower. */
const M = Math;

const PCM_P0 = 0.26348;
const PCM_P1 = 1.965;
const PCM_P2 = -1.1731;
const PCM_T_READ = 250e-9;

function draws(random: RandomSource, n: number, kind: 'normal' | 'uniform'): Float32Array {
  const out = new Float32Array(n);
  if (kind === 'normal') random.fillNormal(out);
  else random.fillUniform(out);
  return out;
}

const roundHalfAway = (x: number): number => M.sign(x) * M.floor(M.abs(x) + 0.5);

function referenceMax(w: Float32Array, cols: number, p: WeightModifierParams): number {
  if (!p.rel_to_actual_wmax || p.type === 'COPY') return p.assumed_wmax;
  let m = 0;
  const skipLast = p.copy_last_column && cols > 1;
  for (let i = 0; i < w.length; i++) {
    if (skipLast && i % cols === cols - 1) continue;
    const a = M.abs(w[i]);
    if (a > m) m = a;
  }
  return m > 0 ? m : 1;
}

function discretizeInPlace(v: Float32Array, res: number, stoRound: boolean, random: RandomSource): void {
  const u = stoRound ? draws(random, v.length, 'uniform') : null;
  for (let i = 0; i < v.length; i++) {
    let q = v[i] / res;
    if (u) q += u[i] - 0.5;
    v[i] = roundHalfAway(q) * res;
  }
}

function pcmNoise(
  w: Float32Array,
  amax: number,
  p: WeightModifierParams,
  random: RandomSource,
): Float32Array {
  const n = w.length;
  const gmax = p.g_max;
  const noiseScale = p.std_dev;
  const g = new Float64Array(n);
  const negative = new Uint8Array(n);
  const zeroThreshold = p.pcm_zero_thres * noiseScale * PCM_P0;
  for (let i = 0; i < n; i++) {
    const v = M.min(M.max(w[i] / amax, -1), 1) * gmax;
    g[i] = M.abs(v) > zeroThreshold ? v : 0;
    negative[i] = g[i] < 0 ? 1 : 0;
  }
  if (p.pcm_prob_at_reset > 0) {
    const u = draws(random, n, 'uniform');
    for (let i = 0; i < n; i++) if (u[i] < p.pcm_prob_at_reset) g[i] = 0;
  }
  if (p.pcm_prob_at_gmax > 0) {
    const hit = draws(random, n, 'uniform');
    const down = draws(random, n, 'uniform');
    for (let i = 0; i < n; i++)
      if (hit[i] < p.pcm_prob_at_gmax) g[i] = down[i] > 0.5 ? g[i] - gmax : g[i] + gmax;
  }
  if (p.pcm_prob_at_random > 0) {
    const hit = draws(random, n, 'uniform');
    const level = draws(random, n, 'uniform');
    for (let i = 0; i < n; i++) {
      if (hit[i] < p.pcm_prob_at_random) g[i] = g[i] > 0 ? level[i] * gmax : -level[i] * gmax;
    }
  }
  const progNoise = draws(random, n, 'normal');
  const t0 = p.pcm_t0;
  const t = p.pcm_t_inference + t0;
  const driftNoise = t > t0 ? draws(random, n, 'normal') : null;
  const readNoise = draws(random, n, 'normal');
  const logSqrt = M.sqrt(M.log((t + PCM_T_READ) / (2 * PCM_T_READ)));
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const target = M.min(M.max(g[i], -gmax), gmax);
    if (target === 0) continue; // left at RESET: weight exactly 0
    const agRel = M.abs(target / gmax);
    const sigProg = PCM_P0 + agRel * PCM_P1 + agRel * agRel * PCM_P2;
    const gProg = target + noiseScale * sigProg * progNoise[i];
    const agProgRel = M.abs(gProg / gmax);
    let gDrift = gProg;
    if (driftNoise) {
      const sigNu = M.min(M.max(-0.0125 * M.log(M.max(agProgRel, 1e-6)) - 0.0059, 0.008), 0.045);
      gDrift = gProg * M.pow(t / t0, -M.abs(driftNoise[i] * sigNu));
    }
    const qs = M.min(0.0088 / M.max(M.pow(agProgRel, 0.65), 1e-3), 0.2);
    const gFinal = gDrift + M.abs(gDrift) * qs * noiseScale * logSqrt * readNoise[i];
    const magnitude = M.abs((gFinal / gmax) * amax);
    out[i] = negative[i] ? -magnitude : magnitude;
  }
  return out;
}

function applyType(
  w: Float32Array,
  amax: number,
  p: WeightModifierParams,
  random: RandomSource,
): Float32Array {
  const res = modifierResolution(p.res);
  const n = w.length;
  const out = Float32Array.from(w);
  const addNormal = (std: number) => {
    const xi = draws(random, n, 'normal');
    for (let i = 0; i < n; i++) out[i] += std * xi[i];
  };
  switch (p.type) {
    case 'NONE':
    case 'COPY':
    case 'DROP_CONNECT':
      return out;
    case 'DISCRETIZE':
    case 'DISCRETIZE_ADD_NORMAL': {
      if (res > 0) {
        for (let i = 0; i < n; i++) out[i] /= amax;
        discretizeInPlace(out, res, p.sto_round, random);
        for (let i = 0; i < n; i++) out[i] *= amax;
      }
      if (p.type === 'DISCRETIZE_ADD_NORMAL' && p.std_dev > 0) addNormal(p.std_dev * amax);
      return out;
    }
    case 'MULT_NORMAL': {
      if (!(p.std_dev > 0)) return out;
      const xi = draws(random, n, 'normal');
      for (let i = 0; i < n; i++) out[i] = w[i] * (1 + amax * p.std_dev * xi[i]);
      return out;
    }
    case 'ADD_NORMAL':
      if (p.std_dev > 0) addNormal(p.std_dev * amax);
      return out;
    case 'DOREFA': {
      if (!(res > 0)) return out;
      const scale = M.abs(p.dorefa_clip / M.tanh(amax));
      for (let i = 0; i < n; i++) out[i] = M.tanh(w[i]) * scale;
      discretizeInPlace(out, res, p.sto_round, random);
      return out;
    }
    case 'POLY':
    case 'PROG_NOISE': {
      if (!(p.std_dev > 0) || p.coeffs.length === 0) return out;
      const std = p.type === 'POLY' ? p.std_dev : p.std_dev / p.g_max;
      const xi = draws(random, n, 'normal');
      for (let i = 0; i < n; i++) {
        const aw = M.abs(w[i]) / amax;
        let sig = 0;
        let power = 1;
        for (const c of p.coeffs) {
          sig += c * power;
          power *= aw;
        }
        const v = w[i] + amax * sig * std * xi[i];
        out[i] = p.type === 'POLY' ? v : w[i] < 0 ? -M.abs(v) : M.abs(v);
      }
      return out;
    }
    case 'PCM_NOISE':
      return pcmNoise(w, amax, p, random);
  }
}

/** The modified copy of `weights` ([rows, cols], row-major); see `modifyWeights`. */
export function modifyWeightsArray(
  weights: Float32Array,
  rows: number,
  cols: number,
  p: WeightModifierParams,
  random: RandomSource,
): Float32Array {
  if (!WEIGHT_MODIFIER_TYPES.includes(p.type)) {
    throw new Error(`WeightModifierParameter.type: unknown modifier "${p.type}"`);
  }
  if (weights.length !== rows * cols)
    throw new Error(`modifyWeights: ${weights.length} values for ${rows}×${cols}`);
  const out = applyType(weights, referenceMax(weights, cols, p), p, random);
  if (p.pdrop > 0) {
    const u = draws(random, out.length, 'uniform');
    for (let i = 0; i < out.length; i++) if (u[i] < p.pdrop) out[i] = 0;
  }
  if (p.copy_last_column) {
    for (let r = 0; r < rows; r++) out[r * cols + cols - 1] = weights[r * cols + cols - 1];
  }
  return out;
}
