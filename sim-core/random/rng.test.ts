import { Rng } from './rng';

describe('Rng', () => {
  it('matches the xoshiro128** reference sequence for a known state', () => {
    // Reference: state {1, 2, 3, 4} gives 11520, 0, 5927040, 70819200, 2031721883 (C reference code).
    const rng = Rng.fromState(Uint32Array.of(1, 2, 3, 4));
    expect([
      rng.nextUint32(),
      rng.nextUint32(),
      rng.nextUint32(),
      rng.nextUint32(),
      rng.nextUint32(),
    ]).toEqual([11520, 0, 5927040, 70819200, 2031721883]);
  });

  it('is reproducible from a seed and from a saved state', () => {
    const a = new Rng(42);
    const b = new Rng(42);
    for (let k = 0; k < 100; k++) expect(a.normal()).toBe(b.normal());
    const saved = a.state();
    const x = [a.nextUint32(), a.normal(), a.uniform()];
    const c = Rng.fromState(saved);
    expect([c.nextUint32(), c.normal(), c.uniform()]).toEqual(x);
    expect(new Rng(43).nextUint32()).not.toBe(new Rng(42).nextUint32());
  });

  it('fills in bulk exactly as the one-at-a-time draws (same values, same state after)', () => {
    // 20,000 normals pass the ziggurat's rare branches (tail and wedge) about 240 times.
    const n = 20000;
    const one = new Rng(11);
    const bulk = new Rng(11);
    const expected = Float64Array.from({ length: n }, () => 0.5 + 2 * one.normal());
    const got = new Float64Array(n + 3);
    bulk.fillNormal(got, 2, 0.5, 3, n);
    expect(Array.from(got.subarray(3))).toEqual(Array.from(expected));
    expect(Array.from(got.subarray(0, 3))).toEqual([0, 0, 0]);
    const f32 = new Float32Array(100);
    const oneF32 = Float32Array.from({ length: 100 }, () => 0.1 * one.normal());
    bulk.fillNormal(f32, 0.1);
    expect(Array.from(f32)).toEqual(Array.from(oneF32));
    const ints = new Uint32Array(1000);
    bulk.fillUint32(ints, 0, 1000);
    expect(Array.from(ints)).toEqual(Array.from({ length: 1000 }, () => one.nextUint32()));
    expect(Array.from(bulk.state())).toEqual(Array.from(one.state()));
  });

  it('keeps its state through state()/fromState() with words ≥ 2^31', () => {
    const rng = Rng.fromState(Uint32Array.of(0xffffffff, 0x80000000, 3, 0xdeadbeef));
    expect(Array.from(rng.state())).toEqual([0xffffffff, 0x80000000, 3, 0xdeadbeef]);
    const copy = Rng.fromState(rng.state());
    expect(copy.nextUint32()).toBe(rng.nextUint32());
  });

  it('draws standard normals with the right moments and tails', () => {
    const rng = new Rng(7);
    const n = 400000;
    let s = 0;
    let s2 = 0;
    let s4 = 0;
    let beyond2 = 0;
    let beyond3 = 0;
    for (let k = 0; k < n; k++) {
      const x = rng.normal();
      s += x;
      s2 += x * x;
      s4 += x * x * x * x;
      if (Math.abs(x) > 2) beyond2++;
      if (Math.abs(x) > 3.442619855899) beyond3++;
    }
    const mean = s / n;
    const variance = s2 / n - mean * mean;
    // Standard errors at n = 4e5: mean 0.0016, variance 0.0022, 4th moment ≈ sqrt(96/n) = 0.015;
    // tolerances are about 4 standard errors.
    expect(Math.abs(mean)).toBeLessThan(0.0064);
    expect(Math.abs(variance - 1)).toBeLessThan(0.009);
    expect(Math.abs(s4 / n - 3)).toBeLessThan(0.06);
    // P(|x| > 2) = 0.0455 (se 0.00033); P(|x| > R) = 5.76e-4 (tail branch; se 3.8e-5).
    expect(Math.abs(beyond2 / n - 0.0455)).toBeLessThan(0.0014);
    expect(Math.abs(beyond3 / n - 5.76e-4)).toBeLessThan(1.6e-4);
  });

  it('draws uniforms and Bernoullis with the right rates', () => {
    const rng = new Rng(3);
    const n = 200000;
    let s = 0;
    let hits = 0;
    let outside = 0;
    for (let k = 0; k < n; k++) {
      const u = rng.uniform();
      if (!(u >= 0 && u < 1)) outside++;
      s += u;
      if (rng.bernoulli(0.3)) hits++;
    }
    // se of the mean of U(0,1): 0.00065; of a Bernoulli(0.3) rate: 0.001. Tolerance 4 se.
    expect(outside).toBe(0);
    expect(Math.abs(s / n - 0.5)).toBeLessThan(0.0026);
    expect(Math.abs(hits / n - 0.3)).toBeLessThan(0.0041);
    expect(rng.bernoulli(1)).toBe(true);
    expect(rng.bernoulli(0)).toBe(false);
  });

  it('permutes', () => {
    const p = new Rng(1).permutation(1000);
    expect(Array.from(p).sort((a, b) => a - b)).toEqual(Array.from({ length: 1000 }, (_, k) => k));
    expect(Array.from(p.slice(0, 10))).not.toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });
});
