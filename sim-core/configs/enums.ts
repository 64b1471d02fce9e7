/**
 * AIHWKit's enumerations (`aihwkit.simulator.parameters.enums`), spelled by their Python member names
 * (`BoundManagementType.ITERATIVE` → 'ITERATIVE'), so a value read in AIHWKit's docs carries over.
 */
import { z } from 'zod';

export const BoundManagementType = z.enum(['NONE', 'ITERATIVE', 'ITERATIVE_WORST_CASE', 'SHIFT']);
export type BoundManagementType = z.infer<typeof BoundManagementType>;

export const NoiseManagementType = z.enum([
  'NONE',
  'ABS_MAX',
  'ABS_MAX_NP_SUM',
  'MAX',
  'CONSTANT',
  'AVERAGE_ABS_MAX',
]);
export type NoiseManagementType = z.infer<typeof NoiseManagementType>;

export const WeightNoiseType = z.enum(['NONE', 'ADDITIVE_CONSTANT', 'PCM_READ']);
export type WeightNoiseType = z.infer<typeof WeightNoiseType>;

export const PulseType = z.enum([
  'NONE',
  'STOCHASTIC_COMPRESSED',
  'STOCHASTIC',
  'NONE_WITH_DEVICE',
  'MEAN_COUNT',
  'DETERMINISTIC_IMPLICIT',
]);
export type PulseType = z.infer<typeof PulseType>;

export const WeightModifierType = z.enum([
  'NONE',
  'DISCRETIZE',
  'MULT_NORMAL',
  'ADD_NORMAL',
  'DISCRETIZE_ADD_NORMAL',
  'DOREFA',
  'POLY',
  'PCM_NOISE',
  'PROG_NOISE',
  'DROP_CONNECT',
  'COPY',
]);
export type WeightModifierType = z.infer<typeof WeightModifierType>;

export const WeightClipType = z.enum(['NONE', 'FIXED_VALUE', 'LAYER_GAUSSIAN', 'AVERAGE_CHANNEL_MAX']);
export type WeightClipType = z.infer<typeof WeightClipType>;

export const WeightRemapType = z.enum(['NONE', 'LAYERWISE_SYMMETRIC', 'CHANNELWISE_SYMMETRIC']);
export type WeightRemapType = z.infer<typeof WeightRemapType>;

export const VectorUnitCellUpdatePolicy = z.enum([
  'ALL',
  'SINGLE_FIXED',
  'SINGLE_SEQUENTIAL',
  'SINGLE_RANDOM',
]);
export type VectorUnitCellUpdatePolicy = z.infer<typeof VectorUnitCellUpdatePolicy>;

export const AnalogMVType = z.enum([
  'IDEAL',
  'ONE_PASS',
  'POS_NEG_SEPARATE',
  'POS_NEG_SEPARATE_DIGITAL_SUM',
  'SPLIT_MODE',
  'BIT_WISE',
]);
export type AnalogMVType = z.infer<typeof AnalogMVType>;

export const RPUDataType = z.enum(['FLOAT', 'DOUBLE', 'HALF']);
export type RPUDataType = z.infer<typeof RPUDataType>;
