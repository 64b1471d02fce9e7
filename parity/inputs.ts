/**
 * The inputs both sides share: matrices drawn on our side from the case seed (one derived stream per
 * named matrix, so adding a matrix to a case does not change the others), then written to the Python
 * side's input file.
 */
import { Rng } from '../sim-core';
import type { MatrixSpec } from './case-schema';

/** A 32-bit FNV-1a hash, to derive a stream per (seed, name). */
function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

export function derivedRng(seed: number, name: string): Rng {
  return new Rng(fnv1a(`${seed}:${name}`));
}

/** The rows × cols matrix a spec describes (explicit values must have exactly that shape). */
export function materialize(
  spec: MatrixSpec,
  rows: number,
  cols: number,
  rng: Rng,
  what: string,
): number[][] {
  if ('values' in spec) {
    if (spec.values.length !== rows || spec.values.some((r) => r.length !== cols)) {
      throw new Error(`${what}: expected ${rows}×${cols} values`);
    }
    return spec.values.map((r) => r.slice());
  }
  const cell =
    'constant' in spec
      ? () => spec.constant
      : 'uniform' in spec
        ? () => spec.uniform[0] + (spec.uniform[1] - spec.uniform[0]) * rng.uniform()
        : () => spec.normal[0] + spec.normal[1] * rng.normal();
  // Rounded to float32, the precision both simulators store.
  return Array.from({ length: rows }, () => Array.from({ length: cols }, () => Math.fround(cell())));
}

/** A case's named matrix from its seed. */
export function caseMatrix(
  seed: number,
  name: string,
  spec: MatrixSpec,
  rows: number,
  cols: number,
): number[][] {
  return materialize(spec, rows, cols, derivedRng(seed, name), name);
}

export const flat = (m: number[][]): Float32Array => Float32Array.from(m.flat());
