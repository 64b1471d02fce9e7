/**
 * RPU configurations (`simulator/configs/configs.py`, reference §1.9), discriminated on `type`.
 *
 * InferenceRPUConfig: AIHWKit fixes its device (IdealDevice), backward (IOParameters(is_perfect=True))
 * and update (UpdateParameters(pulse_type=NONE)) with `init=False`; they are not settable fields here
 * either (strict schema: giving them is an error) and are exported as constants for the simulator.
 */
import { z } from 'zod';
import { FloatingPointDevice, IdealDevice, PulsedDevice } from './devices';
import { DigitalRankUpdateCell, UnitCell } from './compounds';
import { IOParameters } from './io';
import { UpdateParameters } from './update';
import { MappingParameter, PrePostProcessingParameter, RuntimeParameter } from './mapping';
import {
  DriftCompensation,
  NoiseModel,
  WeightClipParameter,
  WeightModifierParameter,
  WeightRemapParameter,
} from './inference';

const mappableFields = {
  runtime: RuntimeParameter.prefault({}),
  pre_post: PrePostProcessingParameter.prefault({}),
  mapping: MappingParameter.prefault({}),
};

const ioManagedFields = {
  ...mappableFields,
  forward: IOParameters.prefault({}),
  /** Bound management is ignored in the backward pass (as in AIHWKit). */
  backward: IOParameters.prefault({}),
  update: UpdateParameters.prefault({}),
};

export const FloatingPointRPUConfig = z.strictObject({
  type: z.literal('FloatingPointRPUConfig'),
  ...mappableFields,
  device: FloatingPointDevice.prefault({ type: 'FloatingPointDevice' }),
});
export type FloatingPointRPUConfig = z.infer<typeof FloatingPointRPUConfig>;

export const SingleRPUConfig = z.strictObject({
  type: z.literal('SingleRPUConfig'),
  ...ioManagedFields,
  device: PulsedDevice.prefault({ type: 'ConstantStepDevice' }),
});
export type SingleRPUConfig = z.infer<typeof SingleRPUConfig>;

/** AIHWKit's default device is the abstract `UnitCell()`; here an empty VectorUnitCell (set the devices). */
export const UnitCellRPUConfig = z.strictObject({
  type: z.literal('UnitCellRPUConfig'),
  ...ioManagedFields,
  device: UnitCell.prefault({ type: 'VectorUnitCell' }),
});
export type UnitCellRPUConfig = z.infer<typeof UnitCellRPUConfig>;

export const DigitalRankUpdateRPUConfig = z.strictObject({
  type: z.literal('DigitalRankUpdateRPUConfig'),
  ...ioManagedFields,
  device: DigitalRankUpdateCell.prefault({ type: 'MixedPrecisionCompound' }),
});
export type DigitalRankUpdateRPUConfig = z.infer<typeof DigitalRankUpdateRPUConfig>;

export const InferenceRPUConfig = z.strictObject({
  type: z.literal('InferenceRPUConfig'),
  ...mappableFields,
  forward: IOParameters.prefault({}),
  noise_model: NoiseModel.prefault({ type: 'PCMLikeNoiseModel' }),
  drift_compensation: DriftCompensation.prefault({ type: 'GlobalDriftCompensation' }),
  clip: WeightClipParameter.prefault({}),
  remap: WeightRemapParameter.prefault({}),
  modifier: WeightModifierParameter.prefault({}),
});
export type InferenceRPUConfig = z.infer<typeof InferenceRPUConfig>;

/** The fixed parts of InferenceRPUConfig (AIHWKit `init=False` fields). */
export const INFERENCE_FIXED_DEVICE: IdealDevice = IdealDevice.parse({ type: 'IdealDevice' });
export const INFERENCE_FIXED_BACKWARD: IOParameters = IOParameters.parse({ is_perfect: true });
export const INFERENCE_FIXED_UPDATE: UpdateParameters = UpdateParameters.parse({ pulse_type: 'NONE' });

export const RPUConfig = z.discriminatedUnion('type', [
  FloatingPointRPUConfig,
  SingleRPUConfig,
  UnitCellRPUConfig,
  DigitalRankUpdateRPUConfig,
  InferenceRPUConfig,
]);
export type RPUConfig = z.infer<typeof RPUConfig>;
export type RPUConfigInput = z.input<typeof RPUConfig>;
export type RPUConfigType = RPUConfig['type'];
