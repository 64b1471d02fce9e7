/**
 * A small seeded RandomSource for unit tests of the pure inference functions (sfc32 + Box–Muller).
 * Tests only: the simulator's sessions use sim-core's checkpointable random streams.
 */
import type { RandomSource } from '../random-source';

/** Local alias: looking up the global `Math` inside a vm context (jest) is far slower. */
const M = Math;

export function seededRandom(seed: number): RandomSource {
  let a = 0x9e3779b9 ^ seed;
  let b = 0x243f6a88;
  let c = 0xb7e15162;
  let d = seed | 0;
  const next = (): number => {
    a |= 0;
    b |= 0;
    c |= 0;
    d |= 0;
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  for (let i = 0; i < 16; i++) next();
  return {
    fillUniform(out) {
      for (let i = 0; i < out.length; i++) out[i] = next();
    },
    fillNormal(out) {
      for (let i = 0; i < out.length; i += 2) {
        const u1 = 1 - next();
        const u2 = next();
        const r = M.sqrt(-2 * M.log(u1));
        out[i] = r * M.cos(2 * M.PI * u2);
        if (i + 1 < out.length) out[i + 1] = r * M.sin(2 * M.PI * u2);
      }
    },
  };
}
