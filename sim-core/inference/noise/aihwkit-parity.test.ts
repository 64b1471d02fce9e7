/**
 * PCMLikeNoiseModel against AIHWKit 1.1.0 itself: the same weight ramp (200 001 values in [−1, 1])
 * programmed and drifted by both (fixture: __fixtures__/make_aihwkit_pcm_fixture.py). Different
 * random streams, so statistics are compared:
 * - programming-noise std over the ~10 000 weights with |w| < 0.05 and |w| > 0.95: the standard error
 *   of a sample std is ≈ 0.7 %; we accept 4 %;
 * - mean |W_drift| / mean |W_prog| over all 200 001 weights: each device's factor varies by a few
 *   percent around its mean, so the ratio's standard error is ≈ 1e-4; we accept 0.5 %.
 */
import fixture from '../__fixtures__/aihwkit-pcm.json';
import { PCMLikeNoiseModel } from '../../configs/inference';
import { Rng } from '../../random/rng';
import { createNoiseModel } from './create-noise-model';
import { driftWeights, programWeights } from './noise-model';

function std(values: number[]): number {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (values.length - 1));
}

const meanAbs = (a: Float32Array): number => a.reduce((s, v) => s + Math.abs(v), 0) / a.length;

describe('PCMLikeNoiseModel matches AIHWKit 1.1.0', () => {
  const model = createNoiseModel(PCMLikeNoiseModel.parse({ type: 'PCMLikeNoiseModel' }));
  const n = fixture.n;
  const w = Float32Array.from({ length: n }, (_, i) => -1 + (2 * i) / (n - 1));
  const rng = new Rng(2024);
  const programmed = programWeights(model, w, rng);

  it('programming-noise spread at small and large weights', () => {
    const small: number[] = [];
    const large: number[] = [];
    w.forEach((v, i) => {
      if (Math.abs(v) < 0.05) small.push(programmed.programmed[i] - v);
      if (Math.abs(v) > 0.95) large.push(programmed.programmed[i] - v);
    });
    expect(Math.abs(std(small) / fixture['prog_std_abs_below_0.05'] - 1)).toBeLessThan(0.04);
    expect(Math.abs(std(large) / fixture['prog_std_abs_above_0.95'] - 1)).toBeLessThan(0.04);
  });

  it.each(Object.entries(fixture.mean_abs_ratio_after_drift))('mean |W| after drift to %s s', (t, ratio) => {
    const drifted = driftWeights(model, programmed, Number(t), rng);
    expect(Math.abs(meanAbs(drifted) / meanAbs(programmed.programmed) / ratio - 1)).toBeLessThan(0.005);
  });
});
