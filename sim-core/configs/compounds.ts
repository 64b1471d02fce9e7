/**
 * Compound devices / unit cells: AIHWKit's `simulator/configs/compounds.py` (reference §3.10), discriminated
 * on `type`. Members of a unit cell are pulsed single devices; the transfer compounds also accept a unit
 * cell per member (as AIHWKit's tests use ReferenceUnitCell members).
 *
 * Simulated by sim-core: VectorUnitCell, ReferenceUnitCell, OneSidedUnitCell, TransferCompound and
 * MixedPrecisionCompound. BufferedTransferCompound, ChoppedTransferCompound and DynamicTransferCompound
 * are schemas only (accepted for storage and validation; building a tile from them is an error).
 */
import { z } from 'zod';
import { VectorUnitCellUpdatePolicy } from './enums';
import { IOParameters } from './io';
import { UpdateParameters } from './update';
import { PulsedDevice } from './devices';

const unitCellFields = {
  unit_cell_devices: z.array(PulsedDevice).default([]),
  construction_seed: z.number().int().default(0),
};

export const VectorUnitCell = z.strictObject({
  type: z.literal('VectorUnitCell'),
  ...unitCellFields,
  update_policy: VectorUnitCellUpdatePolicy.default('ALL'),
  first_update_idx: z.number().int().nonnegative().default(0),
  /** Weights of the members in the visible weight (empty: 1/n each). */
  gamma_vec: z.array(z.number()).default([]),
});
export type VectorUnitCell = z.infer<typeof VectorUnitCell>;

export const ReferenceUnitCell = z.strictObject({
  type: z.literal('ReferenceUnitCell'),
  ...unitCellFields,
  update_policy: VectorUnitCellUpdatePolicy.default('SINGLE_FIXED'),
  first_update_idx: z.number().int().nonnegative().default(0),
  gamma_vec: z.array(z.number()).default([1.0, -1.0]),
});
export type ReferenceUnitCell = z.infer<typeof ReferenceUnitCell>;

export const OneSidedUnitCell = z.strictObject({
  type: z.literal('OneSidedUnitCell'),
  ...unitCellFields,
  refresh_every: z.number().int().nonnegative().default(0),
  units_in_mbatch: z.boolean().default(true),
  refresh_upper_thres: z.number().default(0.75),
  refresh_lower_thres: z.number().default(0.25),
  refresh_forward: IOParameters.prefault({}),
  refresh_update: UpdateParameters.prefault({}),
  copy_inverted: z.boolean().default(false),
});
export type OneSidedUnitCell = z.infer<typeof OneSidedUnitCell>;

/** A unit cell that may stand where a single device stands in a transfer or mixed-precision compound. */
export const UnitCellMember = z.discriminatedUnion('type', [
  ...PulsedDevice.options,
  VectorUnitCell,
  ReferenceUnitCell,
  OneSidedUnitCell,
]);
export type UnitCellMember = z.infer<typeof UnitCellMember>;

const transferFields = {
  unit_cell_devices: z.array(UnitCellMember).default([]),
  construction_seed: z.number().int().default(0),
  gamma: z.number().default(0.0),
  gamma_vec: z.array(z.number()).default([]),
  transfer_every: z.number().nonnegative().default(1.0),
  no_self_transfer: z.boolean().default(true),
  transfer_every_vec: z.array(z.number()).default([]),
  units_in_mbatch: z.boolean().default(true),
  n_reads_per_transfer: z.number().int().positive().default(1),
  transfer_columns: z.boolean().default(true),
  with_reset_prob: z.number().min(0).max(1).default(0.0),
  random_selection: z.boolean().default(false),
  fast_lr: z.number().default(1.0),
  transfer_lr: z.number().default(1.0),
  transfer_lr_vec: z.array(z.number()).default([]),
  scale_transfer_lr: z.boolean().default(true),
  transfer_forward: IOParameters.prefault({}),
  transfer_update: UpdateParameters.prefault({}),
};

/** Tiki-Taka v1. */
export const TransferCompound = z.strictObject({
  type: z.literal('TransferCompound'),
  ...transferFields,
});
export type TransferCompound = z.infer<typeof TransferCompound>;

/** The buffered/chopped/dynamic compounds transfer single pulses: desired_bl 1, UBLM and UM off. */
const singlePulseTransferUpdate = UpdateParameters.prefault({
  desired_bl: 1,
  update_bl_management: false,
  update_management: false,
});

/** Tiki-Taka v2 (schema only; not simulated by sim-core). */
export const BufferedTransferCompound = z.strictObject({
  type: z.literal('BufferedTransferCompound'),
  ...transferFields,
  transfer_update: singlePulseTransferUpdate,
  thres_scale: z.number().default(1.0),
  step: z.number().default(1.0),
  momentum: z.number().default(0.1),
  forget_buffer: z.boolean().default(true),
});
export type BufferedTransferCompound = z.infer<typeof BufferedTransferCompound>;

const choppedFields = {
  ...transferFields,
  transfer_update: singlePulseTransferUpdate,
  units_in_mbatch: z.boolean().default(false),
  in_chop_prob: z.number().min(0).max(1).default(0.1),
  in_chop_random: z.boolean().default(true),
  out_chop_prob: z.number().min(0).max(1).default(0.0),
  buffer_granularity: z.number().default(1.0),
  auto_granularity: z.number().default(0.0),
  step: z.number().default(1.0),
  momentum: z.number().default(0.0),
  forget_buffer: z.boolean().default(true),
  no_buffer: z.boolean().default(false),
  auto_scale: z.boolean().default(false),
  auto_momentum: z.number().default(0.99),
  correct_gradient_magnitudes: z.boolean().default(false),
};

/** Chopped Tiki-Taka (TTv3 / c-TTv2) (schema only; not simulated by sim-core). */
export const ChoppedTransferCompound = z.strictObject({
  type: z.literal('ChoppedTransferCompound'),
  ...choppedFields,
});
export type ChoppedTransferCompound = z.infer<typeof ChoppedTransferCompound>;

/** AGAD / TTv4 (schema only; not simulated by sim-core). */
export const DynamicTransferCompound = z.strictObject({
  type: z.literal('DynamicTransferCompound'),
  ...choppedFields,
  in_chop_random: z.boolean().default(false),
  experimental_correct_accumulation: z.boolean().default(false),
  buffer_cap: z.number().default(0.0),
  tail_weightening: z.number().default(5.0),
});
export type DynamicTransferCompound = z.infer<typeof DynamicTransferCompound>;

/** What `UnitCellRPUConfig.device` may hold. */
export const UnitCell = z.discriminatedUnion('type', [
  VectorUnitCell,
  ReferenceUnitCell,
  OneSidedUnitCell,
  TransferCompound,
  BufferedTransferCompound,
  ChoppedTransferCompound,
  DynamicTransferCompound,
]);
export type UnitCell = z.infer<typeof UnitCell>;
export type UnitCellType = UnitCell['type'];

/**
 * Mixed-precision compound (a DigitalRankUpdateCell): a digital rank-update accumulator χ whose
 * integer part is transferred to the analog `device`. AIHWKit's default `device` is an empty
 * VectorUnitCell (unusable until a device is set); kept here for parity.
 */
export const MixedPrecisionCompound = z.strictObject({
  type: z.literal('MixedPrecisionCompound'),
  device: UnitCellMember.prefault({ type: 'VectorUnitCell' }),
  construction_seed: z.number().int().default(0),
  transfer_every: z.number().int().nonnegative().default(1),
  n_rows_per_transfer: z.number().int().default(-1),
  random_row: z.boolean().default(false),
  granularity: z.number().nonnegative().default(0.0),
  transfer_lr: z.number().default(1.0),
  n_x_bins: z.number().int().nonnegative().default(0),
  n_d_bins: z.number().int().nonnegative().default(0),
  stoc_round_x: z.boolean().default(true),
  stoc_round_d: z.boolean().default(true),
});
export type MixedPrecisionCompound = z.infer<typeof MixedPrecisionCompound>;

/** What `DigitalRankUpdateRPUConfig.device` may hold. */
export const DigitalRankUpdateCell = z.discriminatedUnion('type', [MixedPrecisionCompound]);
export type DigitalRankUpdateCell = z.infer<typeof DigitalRankUpdateCell>;
