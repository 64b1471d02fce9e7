/**
 * What the inference and hardware-aware-training code needs from a random stream: standard-normal
 * and uniform deviates written into a caller's buffer. Kept as a small structural interface so that
 * the noise models, modifiers and compensation are pure functions of (weights, random source) and
 * can be unit-tested with any seeded stream; the simulator's checkpointable random streams satisfy it.
 */
export interface RandomSource {
  /** Fills `out` with independent N(0, 1) deviates. */
  fillNormal(out: Float32Array | Float64Array): void;
  /** Fills `out` with independent U[0, 1) deviates. */
  fillUniform(out: Float32Array | Float64Array): void;
}

/** `n` standard-normal deviates in double precision (the conductance domain computes in f64). */
export function normals(random: RandomSource, n: number): Float64Array {
  const out = new Float64Array(n);
  random.fillNormal(out);
  return out;
}

/** `n` uniform [0, 1) deviates in double precision. */
export function uniforms(random: RandomSource, n: number): Float64Array {
  const out = new Float64Array(n);
  random.fillUniform(out);
  return out;
}
