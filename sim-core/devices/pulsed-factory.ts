/** Build the array of a single pulsed device (resolving SoftBoundsPmaxDevice). */
import type { PulsedDevice } from '../configs/devices';
import type { Rng } from '../random/rng';
import {
  ConstantStepArray,
  ExpStepArray,
  LinearStepArray,
  PiecewiseStepArray,
  PowStepArray,
  SoftBoundsReferenceArray,
} from './models';
import type { PulsedArrayOptions, PulsedDeviceArray, ResolvedPulsedDevice } from './pulsed-device-array';

/**
 * SoftBoundsPmaxDevice → SoftBoundsDevice (reference §3.3): B = (range_max − range_min)/(1 − exp(−p_max·α)),
 * w_min = range_min, w_max = range_min + B, dw_min = B·α, up_down = 1 + 2·range_min/B.
 */
export function resolvePulsedDevice(config: PulsedDevice): ResolvedPulsedDevice {
  if (config.type !== 'SoftBoundsPmaxDevice') return config;
  const B = (config.range_max - config.range_min) / (1 - Math.exp(-config.p_max * config.alpha));
  const { p_max: _p, alpha: _a, range_min: _rmin, range_max: _rmax, ...rest } = config;
  return {
    ...rest,
    type: 'SoftBoundsDevice',
    w_min: config.range_min,
    w_max: config.range_min + B,
    dw_min: B * config.alpha,
    up_down: 1 + (2 * config.range_min) / B,
  };
}

export function createPulsedArray(
  config: PulsedDevice,
  rows: number,
  cols: number,
  rng: Rng,
  options: PulsedArrayOptions = {},
): PulsedDeviceArray {
  const c = resolvePulsedDevice(config);
  switch (c.type) {
    case 'ConstantStepDevice':
      return new ConstantStepArray(c, rows, cols, rng, options);
    case 'LinearStepDevice':
    case 'SoftBoundsDevice':
      return new LinearStepArray(c, rows, cols, rng, options);
    case 'SoftBoundsReferenceDevice':
      return new SoftBoundsReferenceArray(c, rows, cols, rng, options);
    case 'ExpStepDevice':
      return new ExpStepArray(c, rows, cols, rng, options);
    case 'PowStepDevice':
      return new PowStepArray(c, rows, cols, rng, options);
    case 'PiecewiseStepDevice':
      return new PiecewiseStepArray(c, rows, cols, rng, options);
  }
}
