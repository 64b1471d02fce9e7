/**
 * Single-device models: AIHWKit's device dataclasses (`simulator/configs/devices.py`) with their Python
 * defaults (reference §3.1, §3.3), discriminated on `type` (the AIHWKit class name).
 */
import { z } from 'zod';
import { DriftParameter, SimpleDriftParameter } from './drift';

/** Fields every `PulsedDevice` has (reference §3.1). */
const pulsedDeviceFields = {
  construction_seed: z.number().int().default(0),
  corrupt_devices_prob: z.number().min(0).max(1).default(0.0),
  corrupt_devices_range: z.number().nonnegative().default(0.1),
  diffusion: z.number().nonnegative().default(0.0),
  diffusion_dtod: z.number().nonnegative().default(0.0),
  drift: DriftParameter.prefault({}),
  dw_min: z.number().positive().default(0.001),
  dw_min_dtod: z.number().nonnegative().default(0.3),
  dw_min_dtod_log_normal: z.boolean().default(false),
  dw_min_std: z.number().nonnegative().default(0.3),
  /** Python default true (the C++ struct default is false; Python wins). */
  enforce_consistency: z.boolean().default(true),
  /** Decay lifetime in mini-batches (0: no decay). */
  lifetime: z.number().nonnegative().default(0.0),
  lifetime_dtod: z.number().nonnegative().default(0.0),
  perfect_bias: z.boolean().default(false),
  reset: z.number().default(0.0),
  reset_dtod: z.number().nonnegative().default(0.0),
  reset_std: z.number().nonnegative().default(0.01),
  up_down: z.number().default(0.0),
  up_down_dtod: z.number().nonnegative().default(0.01),
  w_max: z.number().default(0.6),
  w_max_dtod: z.number().nonnegative().default(0.3),
  w_min: z.number().default(-0.6),
  w_min_dtod: z.number().nonnegative().default(0.3),
  count_pulses: z.boolean().default(false),
};

const writeNoiseFields = {
  write_noise_std: z.number().nonnegative().default(0.0),
  apply_write_noise_on_set: z.boolean().default(true),
};

export const IdealDevice = z.strictObject({
  type: z.literal('IdealDevice'),
  construction_seed: z.number().int().default(0),
  diffusion: z.number().nonnegative().default(0.0),
  lifetime: z.number().nonnegative().default(0.0),
  reset_std: z.number().nonnegative().default(0.01),
});
export type IdealDevice = z.infer<typeof IdealDevice>;

export const FloatingPointDevice = z.strictObject({
  type: z.literal('FloatingPointDevice'),
  diffusion: z.number().nonnegative().default(0.0),
  lifetime: z.number().nonnegative().default(0.0),
  drift: SimpleDriftParameter.prefault({}),
});
export type FloatingPointDevice = z.infer<typeof FloatingPointDevice>;

export const ConstantStepDevice = z.strictObject({
  type: z.literal('ConstantStepDevice'),
  ...pulsedDeviceFields,
});
export type ConstantStepDevice = z.infer<typeof ConstantStepDevice>;

export const LinearStepDevice = z.strictObject({
  type: z.literal('LinearStepDevice'),
  ...pulsedDeviceFields,
  gamma_up: z.number().default(0.0),
  gamma_down: z.number().default(0.0),
  gamma_up_dtod: z.number().nonnegative().default(0.05),
  gamma_down_dtod: z.number().nonnegative().default(0.05),
  allow_increasing: z.boolean().default(false),
  mean_bound_reference: z.boolean().default(true),
  mult_noise: z.boolean().default(true),
  ...writeNoiseFields,
  reverse_up: z.boolean().default(false),
  reverse_down: z.boolean().default(false),
  reverse_offset: z.number().default(0.01),
});
export type LinearStepDevice = z.infer<typeof LinearStepDevice>;

const softBoundsFields = {
  mult_noise: z.boolean().default(true),
  ...writeNoiseFields,
  reverse_up: z.boolean().default(false),
  reverse_down: z.boolean().default(false),
  reverse_offset: z.number().default(0.01),
};

export const SoftBoundsDevice = z.strictObject({
  type: z.literal('SoftBoundsDevice'),
  ...pulsedDeviceFields,
  ...softBoundsFields,
});
export type SoftBoundsDevice = z.infer<typeof SoftBoundsDevice>;

/**
 * SoftBounds re-parameterized by the number of pulses p_max and the relative step alpha. AIHWKit sets
 * dw_min, up_down, w_max and w_min to None and derives them (reference §3.3); here they are null.
 */
export const SoftBoundsPmaxDevice = z.strictObject({
  type: z.literal('SoftBoundsPmaxDevice'),
  ...pulsedDeviceFields,
  dw_min: z.number().positive().nullable().default(null),
  up_down: z.number().nullable().default(null),
  w_max: z.number().nullable().default(null),
  w_min: z.number().nullable().default(null),
  ...softBoundsFields,
  p_max: z.number().int().positive().default(1000),
  alpha: z.number().positive().default(0.0005),
  range_min: z.number().default(-1.0),
  range_max: z.number().default(1.0),
});
export type SoftBoundsPmaxDevice = z.infer<typeof SoftBoundsPmaxDevice>;

export const SoftBoundsReferenceDevice = z.strictObject({
  type: z.literal('SoftBoundsReferenceDevice'),
  ...pulsedDeviceFields,
  mult_noise: z.boolean().default(false),
  ...writeNoiseFields,
  slope_up_dtod: z.number().nonnegative().default(0.0),
  slope_down_dtod: z.number().nonnegative().default(0.0),
  reference_mean: z.number().default(0.0),
  reference_std: z.number().nonnegative().default(0.0),
  subtract_symmetry_point: z.boolean().default(false),
});
export type SoftBoundsReferenceDevice = z.infer<typeof SoftBoundsReferenceDevice>;

export const ExpStepDevice = z.strictObject({
  type: z.literal('ExpStepDevice'),
  ...pulsedDeviceFields,
  A_up: z.number().default(0.00081),
  A_down: z.number().default(0.36833),
  gamma_up: z.number().default(12.44625),
  gamma_down: z.number().default(12.78785),
  a: z.number().default(0.244),
  b: z.number().default(0.2425),
  dw_min_std_add: z.number().nonnegative().default(0.0),
  dw_min_std_slope: z.number().nonnegative().default(0.0),
  ...writeNoiseFields,
});
export type ExpStepDevice = z.infer<typeof ExpStepDevice>;

export const PowStepDevice = z.strictObject({
  type: z.literal('PowStepDevice'),
  ...pulsedDeviceFields,
  pow_gamma: z.number().positive().default(1.0),
  pow_gamma_dtod: z.number().nonnegative().default(0.1),
  pow_up_down: z.number().default(0.0),
  pow_up_down_dtod: z.number().nonnegative().default(0.0),
  ...writeNoiseFields,
});
export type PowStepDevice = z.infer<typeof PowStepDevice>;

export const PiecewiseStepDevice = z.strictObject({
  type: z.literal('PiecewiseStepDevice'),
  ...pulsedDeviceFields,
  /** Relative step-size nodes, evenly spaced over [b_min, b_max] (AIHWKit's CUDA limit: < 64 nodes). */
  piecewise_up: z.array(z.number()).min(1).max(63).default([1]),
  piecewise_down: z.array(z.number()).min(1).max(63).default([1]),
  ...writeNoiseFields,
});
export type PiecewiseStepDevice = z.infer<typeof PiecewiseStepDevice>;

/** Devices with pulsed (coincidence-based) updates: what a unit cell or SingleRPUConfig may hold. */
export const PulsedDevice = z.discriminatedUnion('type', [
  ConstantStepDevice,
  LinearStepDevice,
  SoftBoundsDevice,
  SoftBoundsPmaxDevice,
  SoftBoundsReferenceDevice,
  ExpStepDevice,
  PowStepDevice,
  PiecewiseStepDevice,
]);
export type PulsedDevice = z.infer<typeof PulsedDevice>;
export type PulsedDeviceInput = z.input<typeof PulsedDevice>;
export type PulsedDeviceType = PulsedDevice['type'];

/** Every single-device model, including the non-pulsed IdealDevice and FloatingPointDevice. */
export const Device = z.discriminatedUnion('type', [
  IdealDevice,
  ConstantStepDevice,
  LinearStepDevice,
  SoftBoundsDevice,
  SoftBoundsPmaxDevice,
  SoftBoundsReferenceDevice,
  ExpStepDevice,
  PowStepDevice,
  PiecewiseStepDevice,
  FloatingPointDevice,
]);
export type Device = z.infer<typeof Device>;
export type DeviceType = Device['type'];
