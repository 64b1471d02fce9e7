/**
 * Reusable double-precision work buffers for programming and drift. A 784×256 layer needs about ten
 * 1.6 MB intermediates (target and programmed conductances, noise draws) per call; allocating them
 * afresh cost page faults on first touch and full garbage collections driven by the external memory
 * (≈ a third of the programming time, measured with --cpu-prof). Buffers are handed out by slot, so
 * intermediates that live at the same time take different slots; a caller must not keep a scratch
 * buffer past its own call (results that are kept — drift exponents, weights — are fresh arrays).
 */

/** Slots of the buffers that program/drift use at the same time. */
export const ScratchSlot = {
  /** g⁺ / g⁻ of the conversion W → g (targets at programming, programmed weights at drift). */
  ConductancePlus: 0,
  ConductanceMinus: 1,
  /** Programmed or drifted g⁺ / g⁻ (until converted back to weights). */
  ResultPlus: 2,
  ResultMinus: 3,
  /** The N(0, 1) draws of one noise-model step. */
  Normals: 4,
} as const;
export type ScratchSlot = (typeof ScratchSlot)[keyof typeof ScratchSlot];

/**
 * Buffers up to this many elements (32 MiB) are kept between calls; a larger matrix gets fresh ones,
 * so that one huge layer does not pin its memory for the rest of the process.
 */
const RETAIN_LIMIT = 1 << 22;

const pool: Float64Array[] = [];

/** A buffer of `n` doubles for `slot`, with arbitrary contents (the caller writes every element). */
export function scratchF64(slot: ScratchSlot, n: number): Float64Array {
  let buffer = pool[slot];
  if (buffer === undefined || buffer.length < n) {
    buffer = new Float64Array(n);
    if (n <= RETAIN_LIMIT) pool[slot] = buffer;
  }
  return buffer.length === n ? buffer : buffer.subarray(0, n);
}

let indexPool: Int32Array | null = null;

/** A buffer of `n` int32 (element indices), arbitrary contents; one slot (used by one loop at a time). */
export function scratchIndices(n: number): Int32Array {
  let buffer = indexPool;
  if (buffer === null || buffer.length < n) {
    buffer = new Int32Array(n);
    if (n <= RETAIN_LIMIT) indexPool = buffer;
  }
  return buffer.length === n ? buffer : buffer.subarray(0, n);
}
