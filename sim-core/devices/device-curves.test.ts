/**
 * Reference §8.3 item 4: N up pulses then N down pulses on one device (all variations off) follow the
 * step rules of §3.3 — closed forms where they exist (ConstantStep, LinearStep, SoftBounds), the
 * explicit per-pulse recursion otherwise. Checked for the typed-array and the tfjs kernel.
 */
import * as tf from '@tensorflow/tfjs-core';
import { PulsedDevice, UpdateParameters, type PulsedDeviceInput } from '../configs';
import { Rng } from '../random/rng';
import { kernelMode } from '../backend/backend';
import { useBackend } from '../test-utils/tensors';
import { createPulsedArray } from './factory';
import type { PulsedDeviceArray } from './pulsed-device-array';

const OFF = {
  dw_min_dtod: 0,
  up_down_dtod: 0,
  w_max_dtod: 0,
  w_min_dtod: 0,
  dw_min_std: 0,
  w_max: 1,
  w_min: -1,
  dw_min: 0.05,
};

/** One coincidence per call: UBLM/UM off, BL 1 and λ = ε make both probabilities exactly 1. */
function pulse(device: PulsedDeviceArray, up: boolean, rng: Rng): void {
  const params = UpdateParameters.parse({
    desired_bl: 1,
    update_bl_management: false,
    update_management: false,
  });
  const lr = device.granularity();
  const x = Float32Array.of(1);
  const d = Float32Array.of(up ? -1 : 1);
  if (kernelMode() === 'tf') {
    device.updateTf(tf.tensor2d(x, [1, 1]), tf.tensor2d(d, [1, 1]), lr, params, rng);
  } else {
    device.update(x, d, 1, lr, params, rng);
  }
}

function curve(config: PulsedDeviceInput, n: number): number[] {
  const rng = new Rng(5);
  const device = createPulsedArray(PulsedDevice.parse(config), 1, 1, rng);
  device.setWeights([0], rng);
  const out: number[] = [];
  for (let k = 0; k < n; k++) {
    pulse(device, true, rng);
    out.push(device.weights.data[0]);
  }
  for (let k = 0; k < n; k++) {
    pulse(device, false, rng);
    out.push(device.weights.data[0]);
  }
  return out;
}

/** Iterate w ← clip(w + up(w)) n times, then w ← clip(w − down(w)) n times. */
function recursion(
  up: (w: number) => number,
  down: (w: number) => number,
  n: number,
  bMin = -1,
  bMax = 1,
): number[] {
  const out: number[] = [];
  let w = 0;
  const clip = (v: number) => Math.min(Math.max(v, bMin), bMax);
  for (let k = 0; k < n; k++) out.push((w = clip(w + up(w))));
  for (let k = 0; k < n; k++) out.push((w = clip(w - down(w))));
  return out;
}

function expectCurve(got: number[], want: number[], tol = 2e-6): void {
  got.forEach((g, k) => {
    if (!(Math.abs(g - want[k]) <= tol)) throw new Error(`pulse ${k}: ${g} vs ${want[k]}`);
  });
}

const N = 60;

describe.each(['js', 'tf'] as const)('device response curves (%s kernels)', (kernels) => {
  beforeAll(() => useBackend(kernels));

  it('ConstantStep: linear ramp to the bound and back', () => {
    const got = curve({ type: 'ConstantStepDevice', ...OFF }, N);
    // Closed form: w_k = min(k·dw, 1) going up, then 1 − k·dw going down (20 pulses reach the bound).
    const want = [
      ...Array.from({ length: N }, (_, k) => Math.min((k + 1) * 0.05, 1)),
      ...Array.from({ length: N }, (_, k) => Math.max(1 - (k + 1) * 0.05, -1)),
    ];
    expectCurve(got, want, 1e-5);
  });

  it('LinearStep: geometric approach, slope −γ·Δw/w_max', () => {
    const got = curve(
      {
        type: 'LinearStepDevice',
        ...OFF,
        gamma_up: 0.5,
        gamma_down: 0.8,
        gamma_up_dtod: 0,
        gamma_down_dtod: 0,
      },
      N,
    );
    // Up: w_{k+1} = w_k(1 − γ⁺Δ/w_max) + Δ → w_k = w∞ − w∞·a^k, w∞ = w_max/γ⁺ = 2, a = 1 − 0.025; clipped at 1.
    const up = Array.from({ length: N }, (_, k) => Math.min(2 - 2 * Math.pow(1 - 0.025, k + 1), 1));
    // Down from the last up value u: w_{k+1} = w_k(1 + γ⁻Δ/w_min) − Δ → fixed point w_min/γ⁻ = −1.25.
    const u = up[N - 1];
    const a = 1 - 0.8 * 0.05;
    const down = Array.from({ length: N }, (_, k) => Math.max(-1.25 + (u + 1.25) * Math.pow(a, k + 1), -1));
    expectCurve(got, [...up, ...down], 1e-5);
  });

  it('SoftBounds: exponential approach to b_max with rate Δw/b_max', () => {
    const got = curve({ type: 'SoftBoundsDevice', ...OFF }, N);
    const up = Array.from({ length: N }, (_, k) => 1 - Math.pow(1 - 0.05, k + 1));
    const u = up[N - 1];
    const down = Array.from({ length: N }, (_, k) => -1 + (u + 1) * Math.pow(1 - 0.05, k + 1));
    expectCurve(got, [...up, ...down], 1e-5);
  });

  it('SoftBoundsReference (reference 0): the soft-bounds curve', () => {
    const got = curve({ type: 'SoftBoundsReferenceDevice', ...OFF }, N);
    const want = recursion(
      (w) => 0.05 * (1 - w),
      (w) => 0.05 * (1 + w),
      N,
    );
    expectCurve(got, want, 1e-5);
  });

  it('ExpStep: y⁺ = max(1 − A_up·e^{γ_up z}, 0), z = 2a·w/(b_max − b_min) + b', () => {
    const c = { A_up: 0.1, A_down: 0.2, gamma_up: 2, gamma_down: 3, a: 0.5, b: 0.1 };
    const got = curve({ type: 'ExpStepDevice', ...OFF, ...c }, N);
    const z = (w: number) => (2 * c.a * w) / 2 + c.b;
    const want = recursion(
      (w) => 0.05 * Math.max(1 - c.A_up * Math.exp(c.gamma_up * z(w)), 0),
      (w) => 0.05 * Math.max(1 - c.A_down * Math.exp(-c.gamma_down * z(w)), 0),
      N,
    );
    expectCurve(got, want, 1e-5);
  });

  it('PowStep: step ∝ ((b_max − w)/R)^γ', () => {
    const got = curve({ type: 'PowStepDevice', ...OFF, pow_gamma: 2, pow_gamma_dtod: 0 }, N);
    const want = recursion(
      (w) => 0.05 * Math.pow((1 - w) / 2, 2),
      (w) => 0.05 * Math.pow((w + 1) / 2, 2),
      N,
    );
    expectCurve(got, want, 1e-5);
  });

  it('PiecewiseStep: linear interpolation between nodes over [b_min, b_max]', () => {
    const nodesUp = [1.5, 1, 0.5];
    const nodesDown = [0.5, 1, 2];
    const got = curve(
      { type: 'PiecewiseStepDevice', ...OFF, piecewise_up: nodesUp, piecewise_down: nodesDown },
      N,
    );
    const f = (nodes: number[], w: number) => {
      const n = nodes.length - 1;
      const t = Math.max(((w + 1) / 2) * n, 0);
      const k = Math.min(Math.floor(t), n - 1);
      const q = Math.min(t - k, 1);
      return (1 - q) * nodes[k] + q * nodes[k + 1];
    };
    const want = recursion(
      (w) => 0.05 * f(nodesUp, w),
      (w) => 0.05 * f(nodesDown, w),
      N,
    );
    expectCurve(got, want, 1e-5);
  });

  it('SoftBoundsPmax: converted to SoftBounds (B = 2/(1 − e^{−p_max·α}), dw_min = B·α)', () => {
    const got = curve(
      {
        type: 'SoftBoundsPmaxDevice',
        ...OFF,
        dw_min: null,
        w_max: null,
        w_min: null,
        up_down: null,
        p_max: 100,
        alpha: 0.02,
      } as PulsedDeviceInput,
      10,
    );
    const B = 2 / (1 - Math.exp(-2));
    const dw = B * 0.02;
    const upDown = 1 + (2 * -1) / B; // > 0: shrinks the down step
    const wMax = -1 + B;
    const want = recursion(
      (w) => dw * (1 - w / wMax),
      (w) => dw * (1 - upDown) * (1 - w / -1),
      10,
      -1,
      wMax,
    );
    expectCurve(got, want, 1e-5);
  });
});
