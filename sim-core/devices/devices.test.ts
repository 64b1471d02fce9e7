/**
 * Device-to-device sampling, conventions, write noise, diffusion, granularities and the compounds.
 * Tolerances are several standard errors of the estimated moment (stated per test).
 */
import {
  DEVICE_PRESETS,
  PulsedDevice,
  UnitCell,
  UpdateParameters,
  MixedPrecisionCompound,
  type PulsedDeviceInput,
} from '../configs';
import { Rng } from '../random/rng';
import { useBackend } from '../test-utils/tensors';
import { createDeviceArray, createPulsedArray } from './factory';
import type { DeviceArray } from './device-array';
import { TransferArray } from './compounds/transfer';
import { MixedPrecisionArray } from './compounds/mixed-precision';
import { OneSidedArray } from './compounds/one-sided';

function stats(a: ArrayLike<number>): { mean: number; std: number } {
  let s = 0;
  let s2 = 0;
  for (let k = 0; k < a.length; k++) {
    s += a[k];
    s2 += a[k] * a[k];
  }
  const mean = s / a.length;
  return { mean, std: Math.sqrt(s2 / a.length - mean * mean) };
}

const OFF = { dw_min_dtod: 0, up_down_dtod: 0, w_max_dtod: 0, w_min_dtod: 0, dw_min_std: 0 };

beforeAll(() => useBackend('js'));

describe('device-to-device sampling (reference §3.2)', () => {
  it('ConstantStep defaults: steps dw_min·(1 ± 0.3), bounds ±0.6·(1 ± 0.3)', () => {
    const rng = new Rng(1);
    const a = createPulsedArray(PulsedDevice.parse({ type: 'ConstantStepDevice' }), 200, 200, rng);
    // n = 40000 devices: se(mean) = σ/200, se(std) ≈ σ/283. Tolerances ≈ 5 se.
    const up = stats(a.scaleUp);
    expect(up.mean).toBeCloseTo(0.001, 5);
    expect(Math.abs(up.std - 0.0003)).toBeLessThan(0.000006);
    const bMax = stats(a.bMax);
    expect(Math.abs(bMax.mean - 0.6)).toBeLessThan(0.0045);
    expect(Math.abs(bMax.std - 0.18)).toBeLessThan(0.004);
    expect(Math.abs(stats(a.bMin).mean + 0.6)).toBeLessThan(0.0045);
    // enforce_consistency: positive steps, w_min ≤ 0 ≤ w_max everywhere.
    expect(a.scaleUp.every((v) => v >= 0) && a.scaleDown.every((v) => v >= 0)).toBe(true);
    expect(a.bMax.every((v) => v >= 0) && a.bMin.every((v) => v <= 0)).toBe(true);
  });

  it('a positive up_down shrinks the down step, a negative one the up step (reference §10 item 4)', () => {
    const rng = new Rng(1);
    const pos = createPulsedArray(
      PulsedDevice.parse({ type: 'ConstantStepDevice', ...OFF, up_down: 0.5 }),
      1,
      1,
      rng,
    );
    expect([pos.scaleUp[0], pos.scaleDown[0]]).toEqual([Math.fround(0.001), Math.fround(0.0005)]);
    const neg = createPulsedArray(
      PulsedDevice.parse({ type: 'ConstantStepDevice', ...OFF, up_down: -0.5 }),
      1,
      1,
      rng,
    );
    expect([neg.scaleUp[0], neg.scaleDown[0]]).toEqual([Math.fround(0.0005), Math.fround(0.001)]);
  });

  it('log-normal gain and stuck (corrupt) devices', () => {
    const rng = new Rng(3);
    const ln = createPulsedArray(
      PulsedDevice.parse({
        type: 'ConstantStepDevice',
        dw_min_dtod: 0.5,
        dw_min_dtod_log_normal: true,
        up_down_dtod: 0,
      }),
      100,
      100,
      rng,
    );
    // gain = exp(0.5ξ): E = e^{0.125} = 1.1331 (se ≈ 0.006 at n = 1e4; tolerance 0.02).
    expect(Math.abs(stats(ln.scaleUp).mean / 0.001 - Math.exp(0.125))).toBeLessThan(0.02);
    const stuck = createPulsedArray(
      PulsedDevice.parse({ type: 'ConstantStepDevice', corrupt_devices_prob: 1 }),
      10,
      10,
      rng,
    );
    for (let k = 0; k < 100; k++) {
      expect(stuck.scaleUp[k]).toBe(0);
      expect(stuck.bMax[k]).toBe(stuck.bMin[k]);
      expect(Math.abs(stuck.bMax[k])).toBeLessThanOrEqual(0.1 + 1e-7);
    }
  });
});

describe('granularity ε (reference §3.9 and the derived numbers of §4.1)', () => {
  const eps = (config: PulsedDeviceInput) =>
    createPulsedArray(PulsedDevice.parse(config), 1, 1, new Rng(0)).granularity();
  it.each([
    ['ConstantStep default', { type: 'ConstantStepDevice' } as PulsedDeviceInput, 0.001],
    ['ExpStep default', { type: 'ExpStepDevice' } as PulsedDeviceInput, 0.00098342],
    ['ReRamESPresetDevice', DEVICE_PRESETS.ReRamESPresetDevice(), 0.0019914],
    ['PCMPresetDevice', DEVICE_PRESETS.PCMPresetDevice(), 0.03235],
    ['IdealizedPresetDevice', DEVICE_PRESETS.IdealizedPresetDevice(), 0.0002],
    ['PowStep γ = 2', { type: 'PowStepDevice', pow_gamma: 2 } as PulsedDeviceInput, 0.00025],
    [
      'PiecewiseStep',
      {
        type: 'PiecewiseStepDevice',
        piecewise_up: [1, 2, 0.5],
        piecewise_down: [1, 1, 1],
      } as PulsedDeviceInput,
      0.002,
    ],
  ])('%s', (_name, config, expected) => {
    expect(eps(config)).toBeCloseTo(expected, 7);
  });
});

describe('write noise, diffusion, reset', () => {
  it('visible = hidden + write_noise_std·dw_min·ξ, re-drawn on set and after each touch', () => {
    const rng = new Rng(4);
    const a = createPulsedArray(
      PulsedDevice.parse({
        type: 'SoftBoundsDevice',
        ...OFF,
        dw_min: 0.01,
        write_noise_std: 2,
        w_max: 5,
        w_min: -5,
      }),
      100,
      100,
      rng,
    );
    a.setWeights(new Float32Array(10000).fill(0.5), rng);
    const diff = a.weights.data.map((v, k) => v - a.hiddenWeights[k]);
    // std 0.02 expected; se ≈ 0.02/141 → tolerance 0.0006.
    const s = stats(diff);
    expect(Math.abs(s.std - 0.02)).toBeLessThan(0.0006);
    expect(Math.abs(s.mean)).toBeLessThan(0.0006);
    expect(a.hiddenWeights.every((v) => Math.abs(v - 0.5) < 1e-6)).toBe(true);
  });

  it('diffusion 0.1 on 100×122: std of the change within [0.9, 1.1]·0.1 (test_bindings_tiles)', () => {
    const rng = new Rng(5);
    const a = createPulsedArray(
      PulsedDevice.parse({
        type: 'ConstantStepDevice',
        diffusion: 0.1,
        w_max: 10,
        w_min: -10,
        w_max_dtod: 0,
        w_min_dtod: 0,
      }),
      100,
      122,
      rng,
    );
    a.setWeights(new Float32Array(12200), rng);
    a.postUpdateStep(rng);
    const s = stats(a.weights.data);
    expect(s.std).toBeGreaterThan(0.09);
    expect(s.std).toBeLessThan(0.11);
  });

  it('reset sets columns to the reset bias plus reset noise', () => {
    const rng = new Rng(6);
    const a = createPulsedArray(
      PulsedDevice.parse({ type: 'ConstantStepDevice', ...OFF, reset: 0.2, reset_std: 0 }),
      3,
      4,
      rng,
    );
    a.setWeights(new Float32Array(12).fill(-0.1), rng);
    a.resetColumns([1, 3], rng);
    const w = Array.from(a.weights.data).map((v) => Math.round(v * 1e6) / 1e6);
    expect(w).toEqual([-0.1, 0.2, -0.1, 0.2, -0.1, 0.2, -0.1, 0.2, -0.1, 0.2, -0.1, 0.2]);
  });

  it('SoftBoundsReference subtracts the symmetry point w* = (Δw⁺ − Δw⁻)/(Δw⁺/b_max − Δw⁻/b_min)', () => {
    const rng = new Rng(7);
    const a = createPulsedArray(
      PulsedDevice.parse({
        type: 'SoftBoundsReferenceDevice',
        ...OFF,
        up_down: 0.2,
        w_max: 1,
        w_min: -1,
        subtract_symmetry_point: true,
      }),
      1,
      1,
      rng,
    );
    const up = 0.001;
    const down = 0.0008;
    const wStar = (up - down) / (up / 1 - down / -1);
    expect((a.getState().reference as Float32Array)[0]).toBeCloseTo(wStar, 6);
    // Visible 0 is the physical symmetry point: there an up and a down step cancel on average.
    a.setWeights([0], rng);
    a.pulseAt(0, false, rng);
    a.pulseAt(0, true, rng);
    expect(Math.abs(a.weights.data[0])).toBeLessThan(1e-6);
  });
});

function updateOnce(
  device: DeviceArray,
  x: number[],
  d: number[],
  lr: number,
  up = UpdateParameters.parse({}),
  rng = new Rng(9),
) {
  device.update(Float32Array.from(x), Float32Array.from(d), 1, lr, up, rng);
}

describe('compounds (reference §3.10)', () => {
  const constant = { type: 'ConstantStepDevice', ...OFF, w_max: 1, w_min: -1 } as const;
  const exact = UpdateParameters.parse({ pulse_type: 'NONE' });

  it('VectorUnitCell: visible weight is the mean; SINGLE_FIXED updates one device', () => {
    const rng = new Rng(1);
    const cell = UnitCell.parse({
      type: 'VectorUnitCell',
      unit_cell_devices: [constant, constant],
      update_policy: 'SINGLE_FIXED',
      first_update_idx: 1,
    });
    const a = createDeviceArray(cell, 1, 2, rng);
    a.setWeights([0.2, -0.4], rng);
    expect(Array.from(a.weights.data)).toEqual([Math.fround(0.2), Math.fround(-0.4)]);
    updateOnce(a, [1, 0], [-1], 0.1, exact, rng); // +0.1 on device 1 only
    expect(a.weights.data[0]).toBeCloseTo(0.25, 6);
    expect(a.getState()['m0.weights']).toEqual(Float32Array.of(0.2, -0.4));
  });

  it('ReferenceUnitCell: W = w₀ − w₁, only device 0 updated', () => {
    const rng = new Rng(1);
    const a = createDeviceArray(
      UnitCell.parse({ type: 'ReferenceUnitCell', unit_cell_devices: [constant, constant] }),
      1,
      1,
      rng,
    );
    a.setWeights([0.3], rng);
    updateOnce(a, [1], [1], 0.1, exact, rng);
    expect(a.weights.data[0]).toBeCloseTo(0.2, 6);
    expect(a.getState()['m1.weights']).toEqual(Float32Array.of(0));
  });

  it('OneSidedUnitCell: up pulses raise g⁺, down pulses raise g⁻, W = g⁺ − g⁻', () => {
    const rng = new Rng(2);
    const cell = UnitCell.parse({ type: 'OneSidedUnitCell', unit_cell_devices: [constant, constant] });
    const a = createDeviceArray(cell, 1, 1, rng) as OneSidedArray;
    a.setWeights([0], rng);
    a.applyCount(0, 0, 3, false, rng); // 3 up
    a.applyCount(0, 0, 5, true, rng); // 5 down
    a.update(Float32Array.of(0), Float32Array.of(0), 1, 0.1, UpdateParameters.parse({}), rng); // refresh the view
    expect(a.plus.weights.data[0]).toBeCloseTo(0.003, 6);
    expect(a.minus.weights.data[0]).toBeCloseTo(0.005, 6);
    expect(a.weights.data[0]).toBeCloseTo(-0.002, 6);
  });

  it('OneSidedUnitCell refresh: saturated pairs are reset and their difference re-written', () => {
    const rng = new Rng(3);
    const cell = UnitCell.parse({
      type: 'OneSidedUnitCell',
      unit_cell_devices: [constant, constant],
      refresh_every: 1,
      refresh_forward: { is_perfect: true },
    });
    const a = createDeviceArray(cell, 1, 1, rng) as OneSidedArray;
    a.plus.setWeights([0.9], rng);
    a.minus.setWeights([0.8], rng);
    a.update(Float32Array.of(0), Float32Array.of(0), 1, 0.1, UpdateParameters.parse({}), rng);
    expect(a.refreshCount).toBe(1);
    // Both reset to ~0 (reset_std 0.01), then +0.1 written onto g⁺ by pulses (ε = 0.001, BL ≤ 31 → the
    // write is clipped at 31 pulses: 0.031). The difference keeps its sign and shrinks from saturation.
    expect(a.plus.weights.data[0]).toBeLessThan(0.1);
    expect(a.weights.data[0]).toBeGreaterThan(0);
  });

  it('TransferCompound: SGD to A with fast_lr, C ← C + lr_t·(read of A), W = C for gamma 0', () => {
    const rng = new Rng(4);
    const cell = UnitCell.parse({
      type: 'TransferCompound',
      unit_cell_devices: [constant, constant],
      fast_lr: 0.5,
      transfer_lr: 2,
      scale_transfer_lr: false,
      transfer_forward: { is_perfect: true },
      transfer_update: { pulse_type: 'NONE' },
    });
    const a = createDeviceArray(cell, 2, 2, rng) as TransferArray;
    a.setWeights([0.1, 0.2, 0.3, 0.4], rng);
    expect(Array.from(a.weights.data).map((v) => +v.toFixed(6))).toEqual([0.1, 0.2, 0.3, 0.4]);
    // x = [1, 0], d = [0.1, −0.1] with pulse NONE: A −= 0.5·d·xᵀ → A = [[−0.05, 0], [0.05, 0]].
    a.update(Float32Array.of(1, 0), Float32Array.of(0.1, -0.1), 1, 0.01, exact, rng);
    const A = a.members[0].weights.data;
    expect(Array.from(A).map((v) => +v.toFixed(6))).toEqual([-0.05, 0, 0.05, 0]);
    // One transfer (every batch): column 0 of A read and added with lr 2 onto C.
    expect(a.transferCount).toBe(1);
    expect(Array.from(a.weights.data).map((v) => +v.toFixed(6))).toEqual([0, 0.2, 0.4, 0.4]);
    // The next batch transfers column 1 (cyclic read pointer): A's column 1 is 0, C unchanged.
    a.update(Float32Array.of(0, 0), Float32Array.of(0, 0), 1, 0.01, exact, rng);
    expect(Array.from(a.weights.data).map((v) => +v.toFixed(6))).toEqual([0, 0.2, 0.4, 0.4]);
  });

  it('TransferCompound decay: each hidden weight h → (h − β)·δ² + β after two steps (test_specific_tiles)', () => {
    const rng = new Rng(5);
    const dev = (lifetime: number, reset: number) => ({
      ...constant,
      lifetime,
      reset,
      lifetime_dtod: 0,
      reset_dtod: 0,
    });
    const cell = UnitCell.parse({
      type: 'TransferCompound',
      unit_cell_devices: [dev(20, 0.3), dev(1 / (1 - 0.33), -0.3)],
      gamma: 0.5,
      transfer_every: 0,
    });
    const a = createDeviceArray(cell, 1, 1, rng) as TransferArray;
    a.members[0].setWeights([0.47], rng);
    a.members[1].setWeights([0.64], rng);
    a.postUpdateStep(rng);
    a.postUpdateStep(rng);
    const hA = (0.47 - 0.3) * 0.95 ** 2 + 0.3;
    const hC = (0.64 + 0.3) * 0.33 ** 2 - 0.3;
    expect(a.members[0].weights.data[0]).toBeCloseTo(hA, 5);
    expect(a.members[1].weights.data[0]).toBeCloseTo(hC, 5);
    // Visible w = γ·A + C.
    expect(a.weights.data[0]).toBeCloseTo(0.5 * hA + hC, 5);
  });

  it('MixedPrecisionCompound: χ accumulates λ·d·xᵀ; whole multiples of ε move to the device', () => {
    const rng = new Rng(6);
    const cfg = MixedPrecisionCompound.parse({
      type: 'MixedPrecisionCompound',
      device: { ...constant, dw_min: 0.01 },
    });
    const a = createDeviceArray(cfg, 1, 2, rng) as MixedPrecisionArray;
    a.setWeights([0, 0], rng);
    // χ = λ·d·x = 0.1·[0.125, 0.025] → [0.0125, 0.0025]. As AIHWKit, the first update vector after
    // set_weights (index 0) never transfers.
    const up = UpdateParameters.parse({});
    a.update(Float32Array.of(0.125, 0.025), Float32Array.of(1), 1, 0.1, up, rng);
    expect(Array.from(a.chi).map((v) => +v.toFixed(6))).toEqual([0.0125, 0.0025]);
    expect(Array.from(a.weights.data)).toEqual([0, 0]);
    // The second (index 1) accumulates to [0.025, 0.005], then transfers: 2 steps of ε = 0.01 on the
    // first weight. With update management the largest count fires surely in each of its BL = 2 slots.
    a.update(Float32Array.of(0.125, 0.025), Float32Array.of(1), 1, 0.1, up, rng);
    expect(Array.from(a.chi).map((v) => +v.toFixed(6))).toEqual([0.005, 0.005]);
    expect(a.weights.data[0]).toBeCloseTo(-0.02, 6);
    expect(a.weights.data[1]).toBe(0);
  });
});

describe('state round trip', () => {
  const configs: [string, Parameters<typeof createDeviceArray>[0]][] = [
    ['ExpStep with write noise', PulsedDevice.parse({ type: 'ExpStepDevice', write_noise_std: 3 })],
    ['SoftBoundsReference', DEVICE_PRESETS.ReRamSBPresetDevice()],
    ['PowStep', PulsedDevice.parse({ type: 'PowStepDevice', lifetime: 50, diffusion: 0.001 })],
    [
      'Transfer',
      UnitCell.parse({
        type: 'TransferCompound',
        unit_cell_devices: [DEVICE_PRESETS.EcRamPresetDevice(), DEVICE_PRESETS.EcRamPresetDevice()],
      }),
    ],
    [
      'MixedPrecision',
      MixedPrecisionCompound.parse({
        type: 'MixedPrecisionCompound',
        device: DEVICE_PRESETS.IdealizedPresetDevice(),
      }),
    ],
  ];

  it.each(configs)('%s: a restored array continues identically', (_name, config) => {
    const make = () => createDeviceArray(config, 4, 5, new Rng(1));
    const x = Float32Array.from({ length: 10 }, (_, k) => Math.sin(k));
    const d = Float32Array.from({ length: 8 }, (_, k) => 0.1 * Math.cos(k));
    const up = UpdateParameters.parse({});
    const a = make();
    const rngA = new Rng(2);
    a.setWeights(
      Float32Array.from({ length: 20 }, (_, k) => 0.05 * (k - 10)),
      rngA,
    );
    a.update(x, d, 2, 0.1, up, rngA);
    const saved = a.getState();
    const savedRng = rngA.state();
    a.update(x, d, 2, 0.1, up, rngA);
    a.postUpdateStep(rngA);
    const b = make();
    b.setState(saved);
    const rngB = Rng.fromState(savedRng);
    b.update(x, d, 2, 0.1, up, rngB);
    b.postUpdateStep(rngB);
    expect(b.weights.data).toEqual(a.weights.data);
    expect(b.getState()).toEqual(a.getState());
  });
});
