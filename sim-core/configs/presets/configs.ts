/**
 * RPU-config presets (`simulator/presets/configs.py`, `inference.py`, `web.py`; reference §4.2, §4.3),
 * keyed by AIHWKit class name. Each entry returns a fresh, fully defaulted config object.
 */
import type { PulsedDevice } from '../devices';
import type { UnitCellMember } from '../compounds';
import { PresetIOParameters, WebComposerIOParameters } from '../io';
import { PresetUpdateParameters } from '../update';
import {
  DigitalRankUpdateRPUConfig,
  InferenceRPUConfig,
  RPUConfig,
  SingleRPUConfig,
  UnitCellRPUConfig,
} from '../rpu-config';
import {
  CapacitorPresetDevice,
  EcRamMOPresetDevice,
  EcRamPresetDevice,
  GokmenVlasovPresetDevice,
  IdealizedPresetDevice,
  PCMPresetUnitCell,
  ReRamESPresetDevice,
  ReRamSBPresetDevice,
} from './devices';

type DeviceFactory = () => PulsedDevice;

const presetIO = () => ({ forward: PresetIOParameters(), backward: PresetIOParameters() });

function singlePreset(device: PulsedDevice): SingleRPUConfig {
  return SingleRPUConfig.parse({
    type: 'SingleRPUConfig',
    ...presetIO(),
    update: PresetUpdateParameters(),
    device,
  });
}

function vectorPreset(device: DeviceFactory, n: number): UnitCellRPUConfig {
  return UnitCellRPUConfig.parse({
    type: 'UnitCellRPUConfig',
    ...presetIO(),
    update: PresetUpdateParameters(),
    device: {
      type: 'VectorUnitCell',
      unit_cell_devices: Array.from({ length: n }, () => device()),
      update_policy: 'SINGLE_RANDOM',
    },
  });
}

/** The transfer-read IO of all transfer presets: PresetIOParameters with NM and BM off. */
const transferForward = () => PresetIOParameters({ noise_management: 'NONE', bound_management: 'NONE' });

function tikiTakaPreset(device: () => PulsedDevice): UnitCellRPUConfig {
  return UnitCellRPUConfig.parse({
    type: 'UnitCellRPUConfig',
    ...presetIO(),
    update: PresetUpdateParameters(),
    device: {
      type: 'TransferCompound',
      unit_cell_devices: [device(), device()],
      transfer_every: 1.0,
      units_in_mbatch: true,
      transfer_forward: transferForward(),
      transfer_update: PresetUpdateParameters(),
    },
  });
}

interface ChoppedOptions {
  type: 'ChoppedTransferCompound' | 'DynamicTransferCompound';
  in_chop_prob: number;
  fast_lr?: number;
  auto_granularity: number;
  desired_bl: number;
  tail_weightening?: number;
}

function choppedPreset(device: () => PulsedDevice, o: ChoppedOptions): UnitCellRPUConfig {
  return UnitCellRPUConfig.parse({
    type: 'UnitCellRPUConfig',
    ...presetIO(),
    update: PresetUpdateParameters({ desired_bl: o.desired_bl }),
    device: {
      type: o.type,
      unit_cell_devices: [device(), device()],
      in_chop_prob: o.in_chop_prob,
      ...(o.fast_lr === undefined ? {} : { fast_lr: o.fast_lr }),
      auto_granularity: o.auto_granularity,
      auto_scale: true,
      ...(o.tail_weightening === undefined ? {} : { tail_weightening: o.tail_weightening }),
      transfer_forward: transferForward(),
      transfer_update: PresetUpdateParameters({
        desired_bl: 1,
        update_bl_management: false,
        update_management: false,
      }),
    },
  });
}

function mixedPrecisionPreset(device: UnitCellMember): DigitalRankUpdateRPUConfig {
  return DigitalRankUpdateRPUConfig.parse({
    type: 'DigitalRankUpdateRPUConfig',
    ...presetIO(),
    update: PresetUpdateParameters(),
    device: { type: 'MixedPrecisionCompound', device },
  });
}

/** The ReRAM-SB devices of the transfer presets subtract their symmetry point. */
const reRamSBSym = () => ReRamSBPresetDevice({ subtract_symmetry_point: true });

const tt = (
  device: () => PulsedDevice,
  in_chop_prob: number,
  fast_lr: number | undefined,
  ag: number,
  bl: number,
) =>
  choppedPreset(device, {
    type: 'ChoppedTransferCompound',
    in_chop_prob,
    fast_lr,
    auto_granularity: ag,
    desired_bl: bl,
  });

const agad = (
  device: () => PulsedDevice,
  fast_lr: number,
  ag: number,
  tail: number,
  chop: number,
  bl: number,
) =>
  choppedPreset(device, {
    type: 'DynamicTransferCompound',
    in_chop_prob: chop,
    fast_lr,
    auto_granularity: ag,
    tail_weightening: tail,
    desired_bl: bl,
  });

export const RPU_CONFIG_PRESETS = {
  // Single devices (SingleRPUConfig), and PCM as a one-sided unit cell.
  ReRamESPreset: () => singlePreset(ReRamESPresetDevice()),
  ReRamSBPreset: () => singlePreset(ReRamSBPresetDevice()),
  CapacitorPreset: () => singlePreset(CapacitorPresetDevice()),
  EcRamPreset: () => singlePreset(EcRamPresetDevice()),
  EcRamMOPreset: () => singlePreset(EcRamMOPresetDevice()),
  IdealizedPreset: () => singlePreset(IdealizedPresetDevice()),
  GokmenVlasovPreset: () => singlePreset(GokmenVlasovPresetDevice()),
  PCMPreset: (): UnitCellRPUConfig =>
    UnitCellRPUConfig.parse({
      type: 'UnitCellRPUConfig',
      ...presetIO(),
      update: PresetUpdateParameters(),
      device: PCMPresetUnitCell(),
    }),
  // Vector unit cells of 2 and 4 devices, SINGLE_RANDOM.
  ReRamES2Preset: () => vectorPreset(ReRamESPresetDevice, 2),
  ReRamSB2Preset: () => vectorPreset(ReRamSBPresetDevice, 2),
  Capacitor2Preset: () => vectorPreset(CapacitorPresetDevice, 2),
  EcRam2Preset: () => vectorPreset(EcRamPresetDevice, 2),
  EcRamMO2Preset: () => vectorPreset(EcRamMOPresetDevice, 2),
  Idealized2Preset: () => vectorPreset(IdealizedPresetDevice, 2),
  ReRamES4Preset: () => vectorPreset(ReRamESPresetDevice, 4),
  ReRamSB4Preset: () => vectorPreset(ReRamSBPresetDevice, 4),
  Capacitor4Preset: () => vectorPreset(CapacitorPresetDevice, 4),
  EcRam4Preset: () => vectorPreset(EcRamPresetDevice, 4),
  EcRamMO4Preset: () => vectorPreset(EcRamMOPresetDevice, 4),
  Idealized4Preset: () => vectorPreset(IdealizedPresetDevice, 4),
  // Tiki-Taka v1 (TransferCompound).
  TikiTakaReRamESPreset: () => tikiTakaPreset(() => ReRamESPresetDevice()),
  TikiTakaReRamSBPreset: () => tikiTakaPreset(reRamSBSym),
  TikiTakaCapacitorPreset: () => tikiTakaPreset(() => CapacitorPresetDevice()),
  TikiTakaEcRamPreset: () => tikiTakaPreset(() => EcRamPresetDevice()),
  TikiTakaEcRamMOPreset: () => tikiTakaPreset(() => EcRamMOPresetDevice()),
  TikiTakaIdealizedPreset: () => tikiTakaPreset(() => IdealizedPresetDevice()),
  // TTv2 and chopped TTv2 (ChoppedTransferCompound; schema only, not simulated).
  TTv2ReRamESPreset: () => tt(() => ReRamESPresetDevice(), 0.0, 0.5, 1000, 31),
  TTv2ReRamSBPreset: () => tt(reRamSBSym, 0.0, 0.5, 1000, 31),
  TTv2CapacitorPreset: () => tt(() => CapacitorPresetDevice(), 0.0, 0.1, 1000, 31),
  TTv2EcRamPreset: () => tt(() => EcRamPresetDevice(), 0.0, 0.1, 500, 100),
  TTv2EcRamMOPreset: () => tt(() => EcRamMOPresetDevice(), 0.0, 0.1, 500, 100),
  TTv2IdealizedPreset: () => tt(() => IdealizedPresetDevice(), 0.0, 0.1, 500, 100),
  ChoppedTTv2ReRamESPreset: () => tt(() => ReRamESPresetDevice(), 0.01, 0.5, 1000, 31),
  ChoppedTTv2ReRamSBPreset: () => tt(reRamSBSym, 0.01, 0.5, 1000, 31),
  ChoppedTTv2CapacitorPreset: () => tt(() => CapacitorPresetDevice(), 0.01, 0.1, 1000, 31),
  ChoppedTTv2EcRamPreset: () => tt(() => EcRamPresetDevice(), 0.01, undefined, 500, 100),
  ChoppedTTv2EcRamMOPreset: () => tt(() => EcRamMOPresetDevice(), 0.001, 0.1, 500, 100),
  ChoppedTTv2IdealizedPreset: () => tt(() => IdealizedPresetDevice(), 0.001, 0.1, 500, 100),
  // AGAD (DynamicTransferCompound; schema only, not simulated).
  AGADReRamESPreset: () => agad(() => ReRamESPresetDevice(), 0.5, 1000, 5.0, 0.02, 31),
  AGADReRamSBPreset: () => agad(reRamSBSym, 0.5, 1000, 5.0, 0.02, 31),
  AGADCapacitorPreset: () => agad(() => CapacitorPresetDevice(), 0.1, 1000, 20.0, 0.01, 31),
  AGADEcRamPreset: () => agad(() => EcRamPresetDevice(), 0.1, 750, 50.0, 0.005, 31),
  AGADEcRamMOPreset: () => agad(() => EcRamMOPresetDevice(), 0.1, 500, 50.0, 0.005, 100),
  AGADIdealizedPreset: () => agad(() => IdealizedPresetDevice(), 0.1, 500, 50.0, 0.005, 100),
  // Mixed precision (DigitalRankUpdateRPUConfig + MixedPrecisionCompound).
  MixedPrecisionReRamESPreset: () => mixedPrecisionPreset(ReRamESPresetDevice()),
  MixedPrecisionReRamSBPreset: () => mixedPrecisionPreset(ReRamSBPresetDevice()),
  MixedPrecisionCapacitorPreset: () => mixedPrecisionPreset(CapacitorPresetDevice()),
  MixedPrecisionEcRamPreset: () => mixedPrecisionPreset(EcRamPresetDevice()),
  MixedPrecisionEcRamMOPreset: () => mixedPrecisionPreset(EcRamMOPresetDevice()),
  MixedPrecisionIdealizedPreset: () => mixedPrecisionPreset(IdealizedPresetDevice()),
  MixedPrecisionGokmenVlasovPreset: () => mixedPrecisionPreset(GokmenVlasovPresetDevice()),
  MixedPrecisionPCMPreset: () => mixedPrecisionPreset(PCMPresetUnitCell()),
  // Inference / hardware-aware training.
  StandardHWATrainingPreset: (): InferenceRPUConfig =>
    InferenceRPUConfig.parse({
      type: 'InferenceRPUConfig',
      mapping: {
        digital_bias: true,
        weight_scaling_omega: 1.0,
        weight_scaling_columnwise: true,
        learn_out_scaling: true,
        out_scaling_columnwise: true,
        max_input_size: 512,
        max_output_size: 0,
      },
      forward: PresetIOParameters({
        inp_res: 254.0,
        out_res: 254.0,
        bound_management: 'NONE',
        noise_management: 'CONSTANT',
        nm_thres: 1.0,
        w_noise: 0.0175,
        w_noise_type: 'PCM_READ',
        ir_drop: 1.0,
        out_noise: 0.04,
        out_bound: 10.0,
      }),
      remap: { type: 'CHANNELWISE_SYMMETRIC' },
      clip: { type: 'FIXED_VALUE', fixed_value: 1.0 },
      pre_post: { input_range: { enable: true } },
    }),
  WebComposerInferenceRPUConfig: (): InferenceRPUConfig =>
    InferenceRPUConfig.parse({
      type: 'InferenceRPUConfig',
      mapping: { weight_scaling_omega: 1.0, weight_scaling_columnwise: true, learn_out_scaling: true },
      forward: WebComposerIOParameters(),
      clip: { type: 'FIXED_VALUE', fixed_value: 1.0 },
      modifier: { type: 'ADD_NORMAL', std_dev: 0.1 },
    }),
  OldWebComposerInferenceRPUConfig: (): InferenceRPUConfig =>
    InferenceRPUConfig.parse({
      type: 'InferenceRPUConfig',
      mapping: {
        digital_bias: false,
        weight_scaling_omega: 1.0,
        weight_scaling_columnwise: true,
        max_input_size: 0,
        max_output_size: 0,
      },
      forward: WebComposerIOParameters(),
      clip: { type: 'FIXED_VALUE', fixed_value: 1.0 },
      modifier: { type: 'ADD_NORMAL', std_dev: 0.1 },
    }),
  /**
   * AIHWKit's FloatingPointPreset is a TorchInferenceRPUConfig (no tiling, perfect forward, no input
   * range). We have no torch tile; the same behaviour is an InferenceRPUConfig with these settings.
   */
  FloatingPointPreset: (): InferenceRPUConfig =>
    InferenceRPUConfig.parse({
      type: 'InferenceRPUConfig',
      mapping: { max_input_size: 0, max_output_size: 0 },
      forward: { is_perfect: true },
    }),
} satisfies Record<string, () => RPUConfig>;

export type RPUConfigPresetName = keyof typeof RPU_CONFIG_PRESETS;
export const RPU_CONFIG_PRESET_NAMES = Object.keys(RPU_CONFIG_PRESETS) as RPUConfigPresetName[];

export function isRPUConfigPresetName(name: string): name is RPUConfigPresetName {
  return Object.prototype.hasOwnProperty.call(RPU_CONFIG_PRESETS, name);
}

/** The preset config of that AIHWKit class name; a clear error for an unknown name. */
export function rpuConfigPreset(name: string): RPUConfig {
  if (!isRPUConfigPresetName(name)) {
    throw new Error(`Unknown RPU config preset "${name}"; known: ${RPU_CONFIG_PRESET_NAMES.join(', ')}`);
  }
  return RPU_CONFIG_PRESETS[name]();
}
