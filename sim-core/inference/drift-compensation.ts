/**
 * Drift compensation (AIHWKit `inference/compensation/drift.py`, reference §5.7). After programming,
 * each tile reads a set of one-hot inputs (the identity matrix — not the all-ones vector the docs
 * mention) through its full non-ideal forward and keeps a readout of the outputs as baseline; after
 * drift it reads again and scales its eval-mode outputs by alpha = baseline / readout. The readout is
 * itself noisy, as in AIHWKit.
 */
import type { DriftCompensation } from '../configs/inference';

/** Local alias: looking up the global `Math` inside a vm context (jest) is far slower. */
const M = Math;

/** AIHWKit clamps every readout to at least this (all-zero tiles). */
const READOUT_FLOOR = 1e-4;

export type DriftCompensationType = NonNullable<DriftCompensation>['type'];

/** The read-out inputs: eye(inSize), row-major [inSize, inSize] (one one-hot vector per row). */
export function readoutInputs(inSize: number): Float32Array {
  const x = new Float32Array(inSize * inSize);
  for (let i = 0; i < inSize; i++) x[i * inSize + i] = 1;
  return x;
}

/**
 * The readout of the forward outputs y ([reads, outSize], row-major): global types give one value,
 * max(mean|y|, 1e-4); per-column gives one per output, max(mean over reads of |y|, 1e-4).
 */
export function driftReadout(
  type: DriftCompensationType,
  y: Float32Array,
  reads: number,
  outSize: number,
): Float64Array {
  if (y.length !== reads * outSize)
    throw new Error(`driftReadout: ${y.length} values for ${reads}×${outSize}`);
  if (type === 'PerColumnDriftCompensation') {
    const out = new Float64Array(outSize);
    for (let r = 0; r < reads; r++) for (let o = 0; o < outSize; o++) out[o] += M.abs(y[r * outSize + o]);
    for (let o = 0; o < outSize; o++) out[o] = M.max(out[o] / reads, READOUT_FLOOR);
    return out;
  }
  let sum = 0;
  for (let i = 0; i < y.length; i++) sum += M.abs(y[i]);
  return Float64Array.of(M.max(sum / y.length, READOUT_FLOOR));
}

/** The exact (noise-free) readout outputs of weights W ([outSize, inSize]) for eye(inSize): y = Wᵀ. */
export function exactReadoutOutputs(weights: Float32Array, outSize: number, inSize: number): Float32Array {
  const y = new Float32Array(inSize * outSize);
  for (let o = 0; o < outSize; o++)
    for (let i = 0; i < inSize; i++) y[i * outSize + o] = weights[o * inSize + i];
  return y;
}

/** alpha = baseline / current, element-wise (scalar for the global types). */
export function compensationAlpha(baseline: Float64Array, current: Float64Array): Float32Array {
  if (baseline.length !== current.length)
    throw new Error('compensationAlpha: baseline and readout differ in length');
  return Float32Array.from(baseline, (b, i) => b / current[i]);
}
