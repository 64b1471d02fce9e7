import { checkDriftTableRequest, summarizeRepeats } from './drift-table';
import { histogram } from './histogram';

describe('drift-table rows', () => {
  it('summarizes repeats: mean, population std, min, max, mean loss', () => {
    const row = summarizeRepeats(3600, true, [0.9, 0.8, 1.0], [0.3, 0.5, 0.1]);
    expect(row).toMatchObject({ t_inference: 3600, drift_compensation: true, repeats: 3 });
    expect(row.accuracy_mean).toBeCloseTo(0.9, 12);
    expect(row.accuracy_std).toBeCloseTo(Math.sqrt(0.02 / 3), 12);
    expect(row.accuracy_min).toBe(0.8);
    expect(row.accuracy_max).toBe(1);
    expect(row.loss_mean).toBeCloseTo(0.3, 12);
  });

  it('stores a diverged loss as null', () => {
    expect(summarizeRepeats(0, false, [0.1], [NaN]).loss_mean).toBeNull();
    expect(summarizeRepeats(0, false, [0.1], [Infinity]).loss_mean).toBeNull();
  });

  it('rejects bad requests, naming the value', () => {
    expect(() => checkDriftTableRequest([], 1)).toThrow(/at least one time/);
    expect(() => checkDriftTableRequest([1, -5], 1)).toThrow(
      /t_inference\[1\] must be a finite number ≥ 0 s \(got -5\)/,
    );
    expect(() => checkDriftTableRequest([1], 0)).toThrow(/repeats must be an integer ≥ 1/);
  });
});

describe('histogram', () => {
  it('bins with numpy conventions (half-open bins, last one closed)', () => {
    const h = histogram([0, 0.5, 1, 1.5, 2], { bins: 2 });
    expect(h.edges).toEqual([0, 1, 2]);
    expect(h.counts).toEqual([2, 3]);
  });

  it('keeps flat arrays, edges one longer than counts, and counts every finite value in range', () => {
    const values = Array.from({ length: 1000 }, (_, i) => Math.sin(i));
    const h = histogram(values, { bins: 20 });
    expect(h.edges.length).toBe(21);
    expect(h.counts.reduce((a, b) => a + b, 0)).toBe(1000);
  });

  it('handles constant input and fixed ranges', () => {
    expect(histogram([3, 3], { bins: 4 }).counts.reduce((a, b) => a + b)).toBe(2);
    expect(histogram([-5, 0.5, 5], { bins: 2, range: [0, 1] }).counts).toEqual([0, 1]);
    expect(() => histogram([1], { bins: 0 })).toThrow(/bins must be a positive integer/);
  });
});
