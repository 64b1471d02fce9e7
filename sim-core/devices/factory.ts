/** Build the device array of any device or compound config. */
import type { FloatingPointDevice, IdealDevice, PulsedDevice } from '../configs/devices';
import type { MixedPrecisionCompound, UnitCell } from '../configs/compounds';
import type { Rng } from '../random/rng';
import type { DeviceArray } from './device-array';
import { FloatingPointArray } from './floating-point';
import { MixedPrecisionArray } from './compounds/mixed-precision';
import { TransferArray } from './compounds/transfer';
import { createMemberArray } from './member-factory';
import type { PulsedArrayOptions } from './pulsed-device-array';

export { resolvePulsedDevice, createPulsedArray } from './pulsed-factory';
export { createMemberArray } from './member-factory';

export type AnyDeviceConfig =
  PulsedDevice | FloatingPointDevice | IdealDevice | UnitCell | MixedPrecisionCompound;

/** The device array for any device or compound config (a clear error for the unsimulated compounds). */
export function createDeviceArray(
  config: AnyDeviceConfig,
  rows: number,
  cols: number,
  rng: Rng,
  options: PulsedArrayOptions = {},
): DeviceArray {
  switch (config.type) {
    case 'FloatingPointDevice':
    case 'IdealDevice':
      return new FloatingPointArray(config, rows, cols);
    case 'TransferCompound':
      return new TransferArray(config, rows, cols, rng, options);
    case 'MixedPrecisionCompound':
      return new MixedPrecisionArray(config, rows, cols, rng, options);
    case 'BufferedTransferCompound':
    case 'ChoppedTransferCompound':
    case 'DynamicTransferCompound':
      throw new Error(`${config.type} is accepted as a config but not simulated by sim-core`);
    default:
      return createMemberArray(config, rows, cols, rng, options);
  }
}
