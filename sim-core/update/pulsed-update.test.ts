/**
 * Statistics of the pulsed update (reference §2, §8.3 item 3): BL = min(ceil(λ·max|x|·max|d|/dw_min), 31),
 * the probability scales, and the mean update ≈ −λ·d·xᵀ for a ConstantStep device with all variations
 * off — for the typed-array and the tfjs kernel.
 */
import * as tf from '@tensorflow/tfjs-core';
import { PulsedDevice, UpdateParameters } from '../configs';
import { kernelMode } from '../backend/backend';
import { createPulsedArray } from '../devices/factory';
import { Rng } from '../random/rng';
import { useBackend } from '../test-utils/tensors';
import { pulseSchedule } from './pulse-schedule';
import { pulsedUpdate, type CoincidenceSink } from './pulse-trains';

const up = UpdateParameters.parse({});

describe('pulse schedule (update-BL management and update management)', () => {
  it.each([
    // [λ, x_max, d_max, ε, BL]
    [0.1, 1, 0.01, 0.001, 1], // k = 1
    [0.1, 1, 0.048, 0.001, 5], // k = 4.8 → 5 (exact integers are avoided: k is computed in floating point)
    [0.1, 0.7, 0.033, 0.001, 3], // k = 2.31 → 3
    [0.1, 1, 0.5, 0.001, 31], // k = 50 → capped at desired_bl 31
    [0.05, 2.2, 0.01, 0.001, 2], // k = 1.1 → 2
  ])('λ %p, max|x| %p, max|d| %p, ε %p → BL %p', (lr, xMax, dMax, eps, bl) => {
    const s = pulseSchedule(up, lr, xMax, dMax, eps);
    const k = (lr * xMax * dMax) / eps;
    expect(s.bl).toBe(Math.min(Math.ceil(k), 31));
    expect(s.bl).toBe(bl);
    // The largest x and d fire with probability sqrt(k/BL) ≤ 1; past the cap x fires surely, d k/BL times.
    if (k <= 31) {
      expect(s.B * xMax).toBeCloseTo(Math.sqrt(k / s.bl), 10);
      expect(s.A * dMax).toBeCloseTo(Math.sqrt(k / s.bl), 10);
    } else {
      expect(s.B * xMax).toBeCloseTo(1, 10);
      expect(s.A * dMax).toBeCloseTo(k / 31, 10);
    }
    // Expected coincidences at the maxima: BL·p_x·p_d = λ·x·d/ε (below the cap).
    if (k <= 31) expect(s.bl * s.A * s.B * xMax * dMax).toBeCloseTo(k, 10);
  });

  it('gives no pulses for a zero vector or zero learning rate', () => {
    expect(pulseSchedule(up, 0.1, 0, 1, 0.001).bl).toBe(0);
    expect(pulseSchedule(up, 0.1, 1, 0, 0.001).bl).toBe(0);
    expect(pulseSchedule(up, 0, 1, 1, 0.001).bl).toBe(0);
  });

  it('uses desired_bl without management', () => {
    const plain = UpdateParameters.parse({ update_bl_management: false, update_management: false });
    const s = pulseSchedule(plain, 0.01, 1, 1, 0.001);
    expect(s.bl).toBe(31);
    expect(s.A).toBeCloseTo(Math.sqrt(0.01 / (0.001 * 31)), 12);
  });

  it('counts BL slots per sample in the kernel', () => {
    const sink: CoincidenceSink = { applySlot: () => undefined, applyCount: () => undefined };
    const rng = new Rng(1);
    // Sample 1: k = 0.1·1·0.048/0.001 = 4.8 → 5; sample 2: k = 0.1·0.5·0.018/0.001 = 0.9 → 1.
    const stats = pulsedUpdate(
      sink,
      Float32Array.of(1, -0.5, 0.5, 0.2),
      Float32Array.of(0.048, 0.018),
      2,
      1,
      2,
      0.1,
      up,
      0.001,
      rng,
    );
    expect(stats.slots).toBe(6);
  });
});

describe.each(['js', 'tf'] as const)('mean pulsed update (%s kernels)', (kernels) => {
  beforeAll(() => useBackend(kernels));

  it('≈ −λ·d·xᵀ for ConstantStep with variations off', () => {
    const device = PulsedDevice.parse({
      type: 'ConstantStepDevice',
      dw_min: 0.001,
      dw_min_dtod: 0,
      dw_min_std: 0,
      up_down_dtod: 0,
      w_max: 100,
      w_min: -100,
      w_max_dtod: 0,
      w_min_dtod: 0,
    });
    const rng = new Rng(11);
    const rows = 3;
    const cols = 4;
    const array = createPulsedArray(device, rows, cols, rng);
    array.setWeights(new Float32Array(rows * cols), rng);
    const x = [0.9, -0.4, 0.15, -1.0];
    const d = [0.5, -0.2, 0.05];
    const lr = 0.01; // k = 0.01·1·0.5/0.001 = 5 → BL 5
    // Many independent update vectors in one batch; far from the bounds the steps add up.
    const batch = kernels === 'js' ? 4000 : 600;
    const X = new Float32Array(batch * cols);
    const D = new Float32Array(batch * rows);
    for (let b = 0; b < batch; b++) {
      X.set(x, b * cols);
      D.set(d, b * rows);
    }
    if (kernelMode() === 'tf')
      array.updateTf(tf.tensor2d(X, [batch, cols]), tf.tensor2d(D, [batch, rows]), lr, up, rng);
    else array.update(X, D, batch, lr, up, rng);
    const w = array.weights.data;
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < cols; j++) {
        const mean = w[i * cols + j] / batch;
        const expected = -lr * d[i] * x[j];
        // Per sample the number of coincidences has mean μ = λ|x||d|/ε and variance ≤ μ (a sum of BL
        // Bernoullis); se of the mean step = dw·sqrt(μ/batch). Tolerance: 4.5 se (+ float32 slack).
        const mu = (lr * Math.abs(x[j] * d[i])) / 0.001;
        const se = 0.001 * Math.sqrt(mu / batch);
        if (!(Math.abs(mean - expected) <= 4.5 * se + 1e-7)) {
          throw new Error(`[${i}][${j}] mean ${mean} vs ${expected} (se ${se})`);
        }
      }
    }
  });
});
