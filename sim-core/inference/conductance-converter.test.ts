import { fromConductances, toConductances } from './conductance-converter';
import { Rng } from '../random/rng';

function randomWeights(n: number, seed: number): Float32Array {
  const w = new Float32Array(n);
  new Rng(seed).fillNormal(w);
  return w;
}

describe('SinglePairConductanceConverter', () => {
  // The parameters of AIHWKit's tests/test_inference.py converter test.
  const params = { g_max: 3.123, g_min: 0.789 };

  it('round-trips W → g → W exactly (bit for bit in float32)', () => {
    const w = randomWeights(4096, 1);
    const back = fromConductances(toConductances(w, params), params);
    expect(Array.from(back)).toEqual(Array.from(w));
  });

  it('splits into max(±W·s, 0) exactly, with +0 for ±0 weights, and writes into given buffers', () => {
    const w = Float32Array.from([0, -0, 0.5, -0.25, 1, -1]);
    const plus = new Float64Array(w.length).fill(9);
    const minus = new Float64Array(w.length).fill(9);
    const { slices, scaleRatio } = toConductances(w, { g_max: 25, g_min: 0 }, { plus, minus });
    expect(slices[0]).toBe(plus);
    expect(slices[1]).toBe(minus);
    expect(Array.from(plus)).toEqual(Array.from(w, (v) => Math.min(Math.max(v * scaleRatio, 0), 25)));
    expect(Array.from(minus)).toEqual(Array.from(w, (v) => Math.min(Math.max(-v * scaleRatio, 0), 25)));
    expect(Object.is(plus[1], 0) && Object.is(minus[0], 0)).toBe(true);
  });

  it('keeps every conductance in [g_min, g_max] and puts the abs-max weight at g_max', () => {
    const w = randomWeights(1000, 2);
    const { slices, scaleRatio } = toConductances(w, params);
    let top = 0;
    for (const g of slices) {
      for (const v of g) {
        expect(v).toBeGreaterThanOrEqual(params.g_min);
        expect(v).toBeLessThanOrEqual(params.g_max + 1e-12);
        top = Math.max(top, v);
      }
    }
    expect(top).toBeCloseTo(params.g_max, 12);
    expect(scaleRatio).toBeGreaterThan(0);
  });

  it('puts positive weights on g⁺ and negative on g⁻, the other device at g_min', () => {
    const w = Float32Array.from([0.5, -1, 0]);
    const { slices } = toConductances(w, { g_max: 25, g_min: 0 });
    expect(Array.from(slices[0])).toEqual([12.5, 0, 0]);
    expect(Array.from(slices[1])).toEqual([0, 25, 0]);
  });

  it('maps an all-zero matrix to g_min without dividing by zero', () => {
    const { slices } = toConductances(new Float32Array(3), params);
    expect(Array.from(slices[0])).toEqual([params.g_min, params.g_min, params.g_min]);
  });

  it('rejects g_min ≥ g_max and negative values, naming the parameter', () => {
    const w = new Float32Array(1);
    expect(() => toConductances(w, { g_max: 1, g_min: 2 })).toThrow(/g_min \(2\) must be smaller than g_max/);
    expect(() => toConductances(w, { g_max: -1, g_min: 0 })).toThrow(/g_max must be positive/);
    expect(() => toConductances(w, { g_max: 1, g_min: -0.5 })).toThrow(/g_min must be ≥ 0/);
  });
});
