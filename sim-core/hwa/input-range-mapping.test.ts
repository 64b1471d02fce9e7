import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { InputRangeParameter, MappingParameter } from '../configs/mapping';
import {
  applyInputRange,
  applyInputRangeTf,
  checkInputRangeConfig,
  initialInputRange,
  inputRangeGradient,
  inputRangeGradientTf,
  std,
  updateInputRangeFromData,
} from './input-range';
import {
  logicalWeights,
  mapWeights,
  mappingLearningRateScale,
  outScaleCount,
  outScaleGradient,
} from './mapping';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('input range', () => {
  const p = InputRangeParameter.parse({ enable: true });

  it('clips to ±r and normalizes by r', () => {
    expect(Array.from(applyInputRange(Float32Array.from([-4, -1.5, 0, 1.5, 3, 9]), 3))).toEqual([
      -1, -0.5, 0, 0.5, 1, 1,
    ]);
    expect(Array.from(applyInputRangeTf(tf.tensor1d([-4, 1.5, 9]), 3).dataSync())).toEqual([-1, 0.5, 1]);
  });

  it('initialises from data: the first batch replaces init_value, later ones average in', () => {
    const state = initialInputRange(p);
    expect(state.value).toBe(3);
    updateInputRangeFromData(state, 0.5, p);
    expect(state.value).toBeCloseTo(1.5, 12); // 3·0.5
    updateInputRangeFromData(state, 1.5, p);
    expect(state.value).toBeCloseTo((1.5 + 4.5) / 2, 12);
    updateInputRangeFromData(state, 0, p); // std 0: not counted
    expect(state.updateIndex).toBe(2);
  });

  it('stops initialising after init_from_data batches', () => {
    const q = InputRangeParameter.parse({ enable: true, init_from_data: 1 });
    const state = initialInputRange(q);
    updateInputRangeFromData(state, 1, q);
    updateInputRangeFromData(state, 10, q);
    expect(state.value).toBeCloseTo(3, 12);
  });

  it('std is the unbiased sample std (torch Tensor.std)', () => {
    expect(std(Float32Array.from([1, 2, 3, 4]))).toBeCloseTo(Math.sqrt(5 / 3), 6);
  });

  it('gradient: Σ_{x≥r} min(g,0) − Σ_{x≤−r} max(g,0), times r (relative), plus decay·r', () => {
    const x = Float32Array.from([3.5, 3.2, -4, -5, 0.1, 0.2]);
    const dx = Float32Array.from([-0.5, 0.7, 0.3, -0.2, 9, 9]);
    const r = 3;
    const raw = -0.5 - 0.3; // upper: min(-0.5,0)+min(0.7,0); lower: −(max(0.3,0)+max(−0.2,0))
    const plain = InputRangeParameter.parse({ enable: true, decay: 0, gradient_relative: false });
    expect(inputRangeGradient({ x, dx, r }, plain)).toBeCloseTo(raw, 6);
    const relative = InputRangeParameter.parse({ enable: true, decay: 0, gradient_scale: 2 });
    expect(inputRangeGradient({ x, dx, r }, relative)).toBeCloseTo(raw * r * 2, 6);
    // Decay applies only while more than input_min_percentage of inputs are inside the range.
    const decaying = InputRangeParameter.parse({ enable: true, decay: 0.01, input_min_percentage: 0.3 });
    expect(inputRangeGradient({ x, dx, r }, decaying)).toBeCloseTo(raw * r + 0.01 * r, 6);
    expect(inputRangeGradientTf(tf.tensor1d(x), tf.tensor1d(dx), r, decaying)).toBeCloseTo(
      raw * r + 0.01 * r,
      5,
    );
  });

  it('manage_output_clipping grows r when too many outputs clip', () => {
    const q = InputRangeParameter.parse({ enable: true, decay: 0, manage_output_clipping: true });
    const g = inputRangeGradient(
      { x: Float32Array.from([0]), dx: Float32Array.from([0]), r: 2, outputUnclippedFraction: 0.9 },
      q,
    );
    expect(g).toBeCloseTo(-(1 - 0.9) * 2, 12);
    expect(checkInputRangeConfig(q, { noise_management: 'ABS_MAX', bound_management: 'NONE' })).toMatch(
      /manage_output_clipping needs/,
    );
  });
});

describe('mapping', () => {
  const w = Float32Array.from([0.1, -0.4, 0.2, 0.05, 0, 0]);

  it('weight_scaling_omega layer-wise: m = max|W|/ω on every row', () => {
    const { tileWeights, scales } = mapWeights(
      w,
      3,
      2,
      MappingParameter.parse({ weight_scaling_omega: 0.8 }),
    );
    expect(Array.from(scales)).toEqual([0.5, 0.5, 0.5]);
    expect(tileWeights[1]).toBeCloseTo(-0.8, 6);
  });

  it('weight_scaling_omega column-wise: one scale per output row, 0 → 1', () => {
    const { tileWeights, scales } = mapWeights(
      w,
      3,
      2,
      MappingParameter.parse({ weight_scaling_omega: 1, weight_scaling_columnwise: true }),
    );
    expect(Array.from(scales).map((v) => Number(v.toFixed(6)))).toEqual([0.4, 0.2, 1]);
    expect(
      Array.from(logicalWeights(tileWeights, 3, 2, scales, null)).map((v) => Number(v.toFixed(6))),
    ).toEqual(Array.from(w).map((v) => Number(v.toFixed(6))));
  });

  it('no scaling with ω = 0', () => {
    const { tileWeights, scales } = mapWeights(w, 3, 2, MappingParameter.parse({}));
    expect(Array.from(scales)).toEqual([1, 1, 1]);
    expect(Array.from(tileWeights)).toEqual(Array.from(w));
  });

  it('learned out-scales: count and gradient Σ dy·y₀', () => {
    expect(outScaleCount(MappingParameter.parse({ learn_out_scaling: true }), 4)).toBe(1);
    expect(
      outScaleCount(MappingParameter.parse({ learn_out_scaling: true, out_scaling_columnwise: true }), 4),
    ).toBe(4);
    expect(outScaleCount(MappingParameter.parse({}), 4)).toBe(0);
    const y0 = Float32Array.from([1, 2, 3, 4]); // batch 2 × rows 2
    const dy = Float32Array.from([0.5, -1, 1, 0.25]);
    expect(Array.from(outScaleGradient(y0, dy, 2, 2, 2))).toEqual([0.5 + 3, -2 + 1]);
    expect(Array.from(outScaleGradient(y0, dy, 2, 2, 1))).toEqual([2.5]);
  });

  it('learning-rate compensation 1/mean(m)', () => {
    const m = Float32Array.from([0.5, 1.5]);
    expect(
      mappingLearningRateScale(m, MappingParameter.parse({ weight_scaling_lr_compensation: true })),
    ).toBe(1);
    expect(
      mappingLearningRateScale(
        Float32Array.from([2, 2]),
        MappingParameter.parse({ weight_scaling_lr_compensation: true }),
      ),
    ).toBe(0.5);
    expect(mappingLearningRateScale(m, MappingParameter.parse({}))).toBe(1);
  });
});
