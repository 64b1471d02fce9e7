import { decodeWeights, encodeWeights } from './weights-codec';
import type { ExportedWeights } from '../../sim-core/experiment/training-session';

describe('the exported-weights codec', () => {
  it('round-trips weights, biases, buffers and tile state exactly', () => {
    const weights: ExportedWeights = {
      sim_core_version: '0.1.0',
      layers: [
        {
          index: 1,
          type: 'AnalogLinear',
          shape: [2, 3],
          weights: Float32Array.from([0.1, -0.2, 0.3, Number.NaN, 5e-8, -1]),
          bias: Float32Array.from([0.5, -0.5]),
          tiles: [
            {
              rowOffset: 0,
              colOffset: 0,
              rows: 2,
              cols: 3,
              mappingScales: Float32Array.from([1.5, 2]),
              state: { dw: Float64Array.from([1e-300, 2]), steps: Int32Array.from([3, -4]), gain: 0.25 },
            },
          ],
        },
        {
          index: 2,
          type: 'BatchNorm2d',
          shape: [4],
          weights: Float32Array.from([1, 1, 1, 1]),
          bias: null,
          buffers: {
            running_mean: Float32Array.from([0, 1, 2, 3]),
            running_var: Float32Array.from([1, 1, 2, 2]),
          },
        },
      ],
    };
    const decoded = decodeWeights(encodeWeights(weights));
    expect(decoded.sim_core_version).toBe('0.1.0');
    expect(decoded.layers[0].weights).toEqual(weights.layers[0].weights);
    expect(Object.is(decoded.layers[0].weights[3], Number.NaN)).toBe(true);
    expect(decoded.layers[0].bias).toEqual(weights.layers[0].bias);
    expect(decoded.layers[0].tiles).toEqual(weights.layers[0].tiles);
    expect(decoded.layers[0].tiles![0].state.dw).toBeInstanceOf(Float64Array);
    expect(decoded.layers[1]).toEqual(weights.layers[1]);
  });

  it('refuses bytes that are not exported weights', () => {
    expect(() => decodeWeights(new Uint8Array([1, 2, 3]))).toThrow();
  });
});
