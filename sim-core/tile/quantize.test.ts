import { Rng } from '../random/rng';
import { quantizationStep, quantize, roundHalfEven, roundHalfEvenPlain } from './quantize';

describe('roundHalfEven', () => {
  it('rounds ties to even and keeps the sign of a zero result', () => {
    const cases: [number, number][] = [
      [0.5, 0],
      [1.5, 2],
      [2.5, 2],
      [-0.5, -0],
      [-1.5, -2],
      [-2.5, -2],
      [-0.3, -0],
      [0.3, 0],
      [-0, -0],
      [0, 0],
      [2.4999999999999996, 2],
      [4503599627370495.5, 4503599627370496],
      [2 ** 53 + 2, 2 ** 53 + 2],
      [-(2 ** 60), -(2 ** 60)],
    ];
    for (const [x, want] of cases) expect(Object.is(roundHalfEven(x), want)).toBe(true);
    expect(roundHalfEven(Infinity)).toBe(Infinity);
    expect(roundHalfEven(-Infinity)).toBe(-Infinity);
    expect(roundHalfEven(NaN)).toBeNaN();
  });

  it('agrees with the plain definition on random values, halves and quarter steps', () => {
    const rng = new Rng(5);
    const differing: number[] = [];
    for (let k = 0; k < 200000; k++) {
      const scale = 2 ** ((rng.nextUint32() % 60) - 5);
      const candidates = [
        (rng.uniform() - 0.5) * scale,
        Math.round((rng.uniform() - 0.5) * scale) + 0.5,
        Math.round((rng.uniform() - 0.5) * 64) / 4,
      ];
      for (const x of candidates) if (!Object.is(roundHalfEven(x), roundHalfEvenPlain(x))) differing.push(x);
    }
    expect(differing).toEqual([]);
  });
});

describe('quantize', () => {
  it('puts values on the float32 ADC levels of AIHWKit (default out_res 1/510, out_bound 12)', () => {
    const step = quantizationStep(1 / 510, 12);
    expect(step).toBe(Math.fround(Math.fround(1 / 510) * 24));
    expect(quantize(255 * step, step)).toBe(Math.fround(255 * step));
    expect(quantize(0.5 * step, step)).toBe(0); // tie: to even (0)
    expect(quantize(1.5 * step, step)).toBe(Math.fround(2 * step));
    expect(Object.is(quantize(-0.2 * step, step), -0)).toBe(true);
    expect(quantize(0.3, 0)).toBe(0.3); // step 0: no quantization
  });
});
