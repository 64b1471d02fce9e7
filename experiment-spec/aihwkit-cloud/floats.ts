/**
 * The cloud format stores most numbers as 32-bit floats. Exporting checks that a value survives that
 * exactly (otherwise it is rejected, not silently rounded); importing reads a float32 back as the
 * shortest decimal that rounds to it, so 0.05 comes back as 0.05, not 0.05000000074505806.
 */

/** The shortest decimal number whose float32 rounding is `f` (itself a float32 value). */
export function fromFloat32(f: number): number {
  if (!Number.isFinite(f) || f === 0) return f;
  for (let precision = 1; precision <= 9; precision++) {
    const candidate = Number(f.toPrecision(precision));
    if (Math.fround(candidate) === f) return candidate;
  }
  return f;
}

/** Whether `value` comes back unchanged after a float32 round trip through the format. */
export function float32Exact(value: number): boolean {
  return Number.isNaN(value) || fromFloat32(Math.fround(value)) === value;
}
