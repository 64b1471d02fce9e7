/** Build the array of a unit-cell member: a single pulsed device or a unit cell. */
import type { UnitCellMember } from '../configs/compounds';
import type { Rng } from '../random/rng';
import type { DeviceArray } from './device-array';
import { OneSidedArray } from './compounds/one-sided';
import { VectorArray } from './compounds/vector';
import type { PulsedArrayOptions } from './pulsed-device-array';
import { createPulsedArray } from './pulsed-factory';

export function createMemberArray(
  config: UnitCellMember,
  rows: number,
  cols: number,
  rng: Rng,
  options: PulsedArrayOptions = {},
): DeviceArray {
  switch (config.type) {
    case 'VectorUnitCell':
    case 'ReferenceUnitCell':
      return new VectorArray(config, rows, cols, rng, options);
    case 'OneSidedUnitCell':
      return new OneSidedArray(config, rows, cols, rng, options);
    default:
      return createPulsedArray(config, rows, cols, rng, options);
  }
}
