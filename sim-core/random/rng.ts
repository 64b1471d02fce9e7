/**
 * The experiment's random stream: xoshiro128** (Blackman & Vigna) for uniform 32-bit integers, a
 * 128-layer ziggurat (Marsaglia & Tsang, in Doornik's ZIGNOR form) for standard normals. Fast in V8
 * (32-bit integer arithmetic only), and its whole state is 4 words, so it goes into a checkpoint.
 */
/** Local alias: looking up the global `Math` inside a vm context (jest) is ~100× slower than this. */
const M = Math;

const TWO_POW_32 = 4294967296;
const INV_TWO_POW_32 = 1 / TWO_POW_32;
const INV_TWO_POW_24 = 1 / 16777216;

// Ziggurat tables (128 layers), computed once.
const ZIG_C = 128;
const ZIG_R = 3.442619855899;
const ZIG_V = 9.91256303526217e-3;
const zigX = new Float64Array(ZIG_C + 1);
const zigRatio = new Float64Array(ZIG_C);
{
  let f = M.exp(-0.5 * ZIG_R * ZIG_R);
  zigX[0] = ZIG_V / f;
  zigX[1] = ZIG_R;
  zigX[ZIG_C] = 0;
  for (let i = 2; i < ZIG_C; i++) {
    zigX[i] = M.sqrt(-2 * M.log(ZIG_V / zigX[i - 1] + f));
    f = M.exp(-0.5 * zigX[i] * zigX[i]);
  }
  for (let i = 0; i < ZIG_C; i++) zigRatio[i] = zigX[i + 1] / zigX[i];
}

/** splitmix32: spreads a seed over the four state words (never all zero). */
function splitmix32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = M.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = M.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

export class Rng {
  // The state words are kept as int32 values (`| 0`), never as uint32 values ≥ 2^31: V8 then keeps
  // the fields untagged, whereas uint32 values make it box every write in a heap number — 8× slower
  // per draw (12 ns vs 1.5 ns, measured on node 20). The arithmetic is the same on either form.
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private s3 = 0;

  /** A stream from an integer seed (any safe integer; the high bits are folded in). */
  constructor(seed: number) {
    if (!Number.isSafeInteger(seed)) throw new Error(`Rng seed must be a safe integer, got ${seed}`);
    const high = M.floor(seed / TWO_POW_32) >>> 0;
    const next = splitmix32((seed >>> 0) ^ M.imul(high, 0x27d4eb2d));
    this.s0 = next() | 0;
    this.s1 = next() | 0;
    this.s2 = next() | 0;
    this.s3 = next() | 0;
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /** A stream restored from `state()`. */
  static fromState(state: Uint32Array): Rng {
    if (state.length !== 4) throw new Error(`Rng state must have 4 words, got ${state.length}`);
    if ((state[0] | state[1] | state[2] | state[3]) === 0) throw new Error('Rng state is all zero');
    const rng = new Rng(0);
    rng.s0 = state[0] | 0;
    rng.s1 = state[1] | 0;
    rng.s2 = state[2] | 0;
    rng.s3 = state[3] | 0;
    return rng;
  }

  /** Continue from a saved state (the object stays the same: everything holding it follows). */
  setState(state: Uint32Array): void {
    const other = Rng.fromState(state);
    this.s0 = other.s0;
    this.s1 = other.s1;
    this.s2 = other.s2;
    this.s3 = other.s3;
  }

  state(): Uint32Array {
    return Uint32Array.of(this.s0, this.s1, this.s2, this.s3);
  }

  /** A uniform 32-bit unsigned integer. */
  nextUint32(): number {
    const s1 = this.s1;
    const result = M.imul(rotl(M.imul(s1, 5), 7), 9) >>> 0;
    const t = s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform in [0, 1) with 32-bit resolution. */
  uniform(): number {
    return this.nextUint32() * INV_TWO_POW_32;
  }

  /** Bernoulli(p) for p in [0, 1] (p ≥ 1 always fires). */
  bernoulli(p: number): boolean {
    return this.nextUint32() < p * TWO_POW_32;
  }

  /** Uniform integer in [0, n) (n ≤ 2^32), without modulo bias worth mentioning for n ≪ 2^32. */
  int(n: number): number {
    return M.floor(this.uniform() * n);
  }

  /** A standard normal deviate. */
  normal(): number {
    const r = this.nextUint32();
    const i = r & 0x7f;
    // 25 bits for a uniform in [-1, 1); the 7 low bits choose the layer.
    const u = (r >>> 7) * INV_TWO_POW_24 - 1;
    if (M.abs(u) < zigRatio[i]) return u * zigX[i];
    return this.normalSlow(u, i);
  }

  /**
   * The ziggurat's rare branches (≈1.2 % of draws), after a first draw (u, layer i) missed the fast
   * test: the tail, or the wedge test, or a fresh start. Kept out of line so the fast path inlines.
   */
  private normalSlow(u: number, i: number): number {
    if (i === 0) return this.normalTail(u < 0);
    const x = u * zigX[i];
    const f0 = M.exp(-0.5 * (zigX[i] * zigX[i] - x * x));
    const f1 = M.exp(-0.5 * (zigX[i + 1] * zigX[i + 1] - x * x));
    if (f1 + this.uniform() * (f0 - f1) < 1.0) return x;
    return this.normal();
  }

  private normalTail(negative: boolean): number {
    let x: number;
    let y: number;
    do {
      x = M.log(1 - this.uniform()) / ZIG_R;
      y = M.log(1 - this.uniform());
    } while (-2 * y < x * x);
    return negative ? x - ZIG_R : ZIG_R - x;
  }

  /**
   * out[offset + k] = mean + std·z_k for k < count, where z_k are the next `count` normal() values:
   * the same stream and results as calling normal() in a loop, but the state stays in local
   * variables (≈2× faster per draw). The hot kernels draw their noise with it ahead of their loops.
   */
  fillNormal(
    out: Float32Array | Float64Array,
    std = 1,
    mean = 0,
    offset = 0,
    count = out.length - offset,
  ): void {
    let s0 = this.s0;
    let s1 = this.s1;
    let s2 = this.s2;
    let s3 = this.s3;
    const end = offset + count;
    for (let k = offset; k < end; k++) {
      // One xoshiro128** step (as nextUint32), then the ziggurat's fast path (as normal).
      const r = M.imul(rotl(M.imul(s1, 5), 7), 9) >>> 0;
      const t = s1 << 9;
      s2 ^= s0;
      s3 ^= s1;
      s1 ^= s2;
      s0 ^= s3;
      s2 ^= t;
      s3 = rotl(s3, 11);
      const i = r & 0x7f;
      const u = (r >>> 7) * INV_TWO_POW_24 - 1;
      let z: number;
      if (M.abs(u) < zigRatio[i]) {
        z = u * zigX[i];
      } else {
        this.s0 = s0;
        this.s1 = s1;
        this.s2 = s2;
        this.s3 = s3;
        z = this.normalSlow(u, i);
        s0 = this.s0;
        s1 = this.s1;
        s2 = this.s2;
        s3 = this.s3;
      }
      out[k] = mean + std * z;
    }
    this.s0 = s0;
    this.s1 = s1;
    this.s2 = s2;
    this.s3 = s3;
  }

  /** out[offset + k] = the next `count` nextUint32() values (the state stays in local variables). */
  fillUint32(out: Uint32Array, offset = 0, count = out.length - offset): void {
    let s0 = this.s0;
    let s1 = this.s1;
    let s2 = this.s2;
    let s3 = this.s3;
    const end = offset + count;
    for (let k = offset; k < end; k++) {
      out[k] = M.imul(rotl(M.imul(s1, 5), 7), 9);
      const t = s1 << 9;
      s2 ^= s0;
      s3 ^= s1;
      s1 ^= s2;
      s0 ^= s3;
      s2 ^= t;
      s3 = rotl(s3, 11);
    }
    this.s0 = s0;
    this.s1 = s1;
    this.s2 = s2;
    this.s3 = s3;
  }

  /** Fill with uniforms in [lo, hi). */
  fillUniform(out: Float32Array | Float64Array, lo = 0, hi = 1): void {
    const w = hi - lo;
    for (let k = 0; k < out.length; k++) out[k] = lo + w * this.uniform();
  }

  /** A seed for a derived stream or for a seeded tfjs random op. */
  nextSeed(): number {
    return this.nextUint32();
  }

  /** Fisher–Yates permutation of 0..n-1. */
  permutation(n: number): Uint32Array {
    const p = new Uint32Array(n);
    for (let k = 0; k < n; k++) p[k] = k;
    for (let k = n - 1; k > 0; k--) {
      const j = M.floor(this.uniform() * (k + 1));
      const t = p[k];
      p[k] = p[j];
      p[j] = t;
    }
    return p;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
