/**
 * Semantic checks that a schema cannot express on its own: what AIHWKit would reject when building a
 * tile, and what sim-core does not simulate. Pure (no zod needed), so it can run in the workflow sandbox
 * (e.g. from a zod `superRefine` in the experiment schema) as well as in sim-core before building.
 */
import type { IOParameters } from './io';
import type { PulsedDevice } from './devices';
import type { UnitCellMember } from './compounds';
import type { RPUConfig } from './rpu-config';

export interface ConfigProblem {
  /** Path inside the config, e.g. ['device', 'unit_cell_devices', 1, 'w_min']. */
  path: (string | number)[];
  message: string;
}

/** Compound types whose schemas exist but which sim-core does not simulate. */
export const UNSIMULATED_DEVICE_TYPES = [
  'BufferedTransferCompound',
  'ChoppedTransferCompound',
  'DynamicTransferCompound',
] as const;

function ioProblems(io: IOParameters, path: (string | number)[]): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  if (io.is_perfect) return problems;
  if (io.noise_management !== 'NONE' && io.inp_bound !== 1) {
    problems.push({
      path: [...path, 'inp_bound'],
      message: `inp_bound must be 1 when noise_management is ${io.noise_management} (AIHWKit rejects it)`,
    });
  }
  if (io.mv_type !== 'ONE_PASS' && io.mv_type !== 'IDEAL') {
    problems.push({
      path: [...path, 'mv_type'],
      message: `mv_type ${io.mv_type} is not simulated by sim-core`,
    });
  }
  if (io.bound_management === 'SHIFT') {
    problems.push({
      path: [...path, 'bound_management'],
      message: 'bound_management SHIFT has no implementation in AIHWKit (Python-only enum member)',
    });
  }
  return problems;
}

function deviceProblems(device: PulsedDevice, path: (string | number)[]): ConfigProblem[] {
  if (device.type === 'SoftBoundsPmaxDevice') {
    if (device.range_min > 0 || device.range_max <= device.range_min) {
      return [{ path: [...path, 'range_min'], message: 'need range_min ≤ 0 < range_max' }];
    }
    return [];
  }
  if (!(device.w_min <= 0 && device.w_max >= 0)) {
    return [
      { path: [...path, 'w_min'], message: `need w_min ≤ 0 ≤ w_max (got ${device.w_min}, ${device.w_max})` },
    ];
  }
  if (device.type === 'PiecewiseStepDevice' && device.piecewise_up.length !== device.piecewise_down.length) {
    return [
      { path: [...path, 'piecewise_down'], message: 'piecewise_up and piecewise_down need the same length' },
    ];
  }
  return [];
}

function memberProblems(member: UnitCellMember, path: (string | number)[]): ConfigProblem[] {
  switch (member.type) {
    case 'VectorUnitCell':
    case 'ReferenceUnitCell':
    case 'OneSidedUnitCell': {
      const problems = member.unit_cell_devices.flatMap((d, i) =>
        deviceProblems(d, [...path, 'unit_cell_devices', i]),
      );
      const n = member.unit_cell_devices.length;
      if (member.type === 'VectorUnitCell' && n < 1) {
        problems.push({
          path: [...path, 'unit_cell_devices'],
          message: 'VectorUnitCell needs at least one device',
        });
      }
      if (member.type === 'ReferenceUnitCell' && n !== 2) {
        problems.push({
          path: [...path, 'unit_cell_devices'],
          message: 'ReferenceUnitCell needs exactly two devices',
        });
      }
      if (member.type === 'OneSidedUnitCell') {
        if (n !== 2) {
          problems.push({
            path: [...path, 'unit_cell_devices'],
            message: 'OneSidedUnitCell needs exactly two devices',
          });
        }
        problems.push(...ioProblems(member.refresh_forward, [...path, 'refresh_forward']));
      }
      if (
        member.type !== 'OneSidedUnitCell' &&
        member.gamma_vec.length > 0 &&
        member.gamma_vec.length !== n
      ) {
        problems.push({
          path: [...path, 'gamma_vec'],
          message: `gamma_vec needs ${n} entries (one per device)`,
        });
      }
      return problems;
    }
    default:
      return deviceProblems(member, path);
  }
}

/** Problems of an RPU config that would stop sim-core from building its tile (empty: fine). */
export function rpuConfigProblems(config: RPUConfig): ConfigProblem[] {
  switch (config.type) {
    case 'FloatingPointRPUConfig':
      return [];
    case 'InferenceRPUConfig':
      return ioProblems(config.forward, ['forward']);
    case 'SingleRPUConfig':
      return [
        ...ioProblems(config.forward, ['forward']),
        ...ioProblems(config.backward, ['backward']),
        ...deviceProblems(config.device, ['device']),
      ];
    case 'DigitalRankUpdateRPUConfig':
      return [
        ...ioProblems(config.forward, ['forward']),
        ...ioProblems(config.backward, ['backward']),
        ...memberProblems(config.device.device, ['device', 'device']),
      ];
    case 'UnitCellRPUConfig': {
      const io = [...ioProblems(config.forward, ['forward']), ...ioProblems(config.backward, ['backward'])];
      const device = config.device;
      switch (device.type) {
        case 'VectorUnitCell':
        case 'ReferenceUnitCell':
        case 'OneSidedUnitCell':
          return [...io, ...memberProblems(device, ['device'])];
        case 'TransferCompound': {
          const problems = device.unit_cell_devices.flatMap((m, i) =>
            memberProblems(m, ['device', 'unit_cell_devices', i]),
          );
          if (device.unit_cell_devices.length < 2) {
            problems.push({
              path: ['device', 'unit_cell_devices'],
              message: 'TransferCompound needs at least two devices (fast A and slow C)',
            });
          }
          return [...io, ...problems, ...ioProblems(device.transfer_forward, ['device', 'transfer_forward'])];
        }
        default:
          return [
            ...io,
            {
              path: ['device', 'type'],
              message: `${device.type} is accepted as a schema but not simulated by sim-core`,
            },
          ];
      }
    }
  }
}
