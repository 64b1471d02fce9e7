/**
 * Device presets (`simulator/presets/devices.py`, reference §4.1): the values of AIHWKit's preset
 * dataclasses, returned as full device objects of their base model type.
 */
import {
  ConstantStepDevice,
  ExpStepDevice,
  LinearStepDevice,
  PulsedDevice,
  SoftBoundsReferenceDevice,
} from '../devices';
import { OneSidedUnitCell } from '../compounds';
import { PresetIOParameters } from '../io';
import { PresetUpdateParameters } from '../update';

type Overrides = Record<string, unknown>;

/** ReRAM, exponential step (Gong et al. 2018). */
export function ReRamESPresetDevice(overrides: Overrides = {}): ExpStepDevice {
  return ExpStepDevice.parse({
    type: 'ExpStepDevice',
    dw_min: 0.00135,
    up_down: 0.259359,
    w_max: 1.0,
    w_min: -1.0,
    dw_min_dtod: 0.2,
    up_down_dtod: 0.05,
    dw_min_std: 5.0,
    A_up: -1.18445,
    A_down: -0.081404,
    gamma_up: 5.0,
    gamma_down: 5.0,
    a: -0.5,
    b: -0.5,
    write_noise_std: 75.0,
    ...overrides,
  });
}

/** ReRAM, soft bounds with reference. */
export function ReRamSBPresetDevice(overrides: Overrides = {}): SoftBoundsReferenceDevice {
  return SoftBoundsReferenceDevice.parse({
    type: 'SoftBoundsReferenceDevice',
    dw_min: 0.002,
    up_down: 0.0,
    w_max: 1.25,
    w_min: -0.75,
    w_max_dtod: 0.3 / 1.25,
    w_min_dtod: 0.3 / 0.75,
    dw_min_std: 3.75,
    write_noise_std: 56,
    mult_noise: false,
    ...overrides,
  });
}

/** Capacitor (Li et al. VLSI 2018), with leakage. */
export function CapacitorPresetDevice(overrides: Overrides = {}): LinearStepDevice {
  return LinearStepDevice.parse({
    type: 'LinearStepDevice',
    dw_min: 0.005,
    up_down: 0.0,
    w_max: 1.0,
    w_min: -1.0,
    dw_min_dtod: 0.1,
    up_down_dtod: 0.06,
    w_max_dtod: 0.07,
    w_min_dtod: 0.07,
    dw_min_std: 0.3,
    mult_noise: false,
    gamma_up: 0.05,
    gamma_down: 0.05,
    gamma_up_dtod: 0.01,
    gamma_down_dtod: 0.01,
    mean_bound_reference: true,
    lifetime: 1.0e6,
    lifetime_dtod: 0.3,
    ...overrides,
  });
}

/** ECRAM (Tang et al. IEDM 2018). */
export function EcRamPresetDevice(overrides: Overrides = {}): LinearStepDevice {
  return LinearStepDevice.parse({
    type: 'LinearStepDevice',
    dw_min: 0.002,
    up_down: 0.0,
    w_max: 1.1724,
    w_min: -0.8276,
    dw_min_dtod: 0.1,
    up_down_dtod: 0.01,
    w_max_dtod: 0.05,
    w_min_dtod: 0.05,
    dw_min_std: 0.3,
    mult_noise: true,
    gamma_up: 0.1153,
    gamma_down: 0.5085,
    gamma_up_dtod: 0.05,
    gamma_down_dtod: 0.05,
    mean_bound_reference: true,
    ...overrides,
  });
}

/** Metal-oxide ECRAM (Kim et al. IEDM 2019). */
export function EcRamMOPresetDevice(overrides: Overrides = {}): LinearStepDevice {
  return LinearStepDevice.parse({
    type: 'LinearStepDevice',
    dw_min: 0.00028214,
    up_down: 0.0,
    w_max: 1.1714,
    w_min: -0.8286,
    dw_min_dtod: 0.1,
    up_down_dtod: 0.01,
    w_max_dtod: 0.05,
    w_min_dtod: 0.05,
    dw_min_std: 2.0,
    mult_noise: true,
    gamma_up: 0.4152,
    gamma_down: 0.7342,
    gamma_up_dtod: 0.05,
    gamma_down_dtod: 0.05,
    mean_bound_reference: true,
    ...overrides,
  });
}

/** Idealized constant-step device with about 10000 states. */
export function IdealizedPresetDevice(overrides: Overrides = {}): ConstantStepDevice {
  return ConstantStepDevice.parse({
    type: 'ConstantStepDevice',
    dw_min: 0.0002,
    up_down: 0.0,
    w_max: 1.0,
    w_min: -1.0,
    dw_min_dtod: 0.3,
    up_down_dtod: 0.0,
    w_max_dtod: 0.3,
    w_min_dtod: 0.3,
    dw_min_std: 0.3,
    ...overrides,
  });
}

/** Constant step as in Gokmen & Vlasov 2016 (about 1200 states). */
export function GokmenVlasovPresetDevice(overrides: Overrides = {}): ConstantStepDevice {
  return ConstantStepDevice.parse({
    type: 'ConstantStepDevice',
    dw_min: 0.0016,
    up_down: 0.0,
    w_max: 1.0,
    w_min: -1.0,
    dw_min_dtod: 0.3,
    up_down_dtod: 0.01,
    w_max_dtod: 0.3,
    w_min_dtod: 0.3,
    dw_min_std: 0.3,
    ...overrides,
  });
}

/** PCM, uni-directional exponential step (Nandakumar et al. 2020). */
export function PCMPresetDevice(overrides: Overrides = {}): ExpStepDevice {
  return ExpStepDevice.parse({
    type: 'ExpStepDevice',
    dw_min: 0.01,
    up_down: 0.0,
    w_max: 2.0,
    w_min: 0.0,
    dw_min_dtod: 0.2,
    up_down_dtod: 0.05,
    w_max_dtod: 0.1,
    w_min_dtod: 0.0,
    dw_min_std: 0.6,
    A_up: -27.235,
    A_down: -2.235,
    gamma_up: 2.5,
    gamma_down: 2.5,
    a: -1.0,
    b: 0.0,
    dw_min_std_add: 0.042,
    dw_min_std_slope: 0.108,
    reset: 0.01,
    reset_dtod: 0.02,
    ...overrides,
  });
}

/** ReRAM array, "optimized material" (Gong & Rasch IEDM 2022). */
export function ReRamArrayOMPresetDevice(overrides: Overrides = {}): SoftBoundsReferenceDevice {
  return SoftBoundsReferenceDevice.parse({
    type: 'SoftBoundsReferenceDevice',
    dw_min: 0.0949,
    up_down: 0.0,
    w_max: 1.0,
    w_min: -1.0,
    dw_min_dtod: 0.7829,
    dw_min_dtod_log_normal: true,
    up_down_dtod: 0.01,
    w_max_dtod: 0.3499,
    w_min_dtod: 0.5695,
    dw_min_std: 0.4158,
    write_noise_std: 1.4113,
    enforce_consistency: true,
    mult_noise: false,
    corrupt_devices_range: 0.01,
    corrupt_devices_prob: 0.0,
    subtract_symmetry_point: true,
    reference_std: 0.05,
    ...overrides,
  });
}

/** ReRAM array, "baseline HfO2" (Gong & Rasch IEDM 2022). */
export function ReRamArrayHfO2PresetDevice(overrides: Overrides = {}): SoftBoundsReferenceDevice {
  return SoftBoundsReferenceDevice.parse({
    type: 'SoftBoundsReferenceDevice',
    dw_min: 0.4622,
    up_down: 0.0,
    w_max: 1.0,
    w_min: -1.0,
    dw_min_dtod: 0.7125,
    dw_min_dtod_log_normal: true,
    up_down_dtod: 0.01,
    w_max_dtod: 0.4295,
    w_min_dtod: 0.599,
    dw_min_std: 0.2174,
    write_noise_std: 0.5841,
    enforce_consistency: true,
    mult_noise: false,
    corrupt_devices_range: 0.01,
    corrupt_devices_prob: 0.0,
    subtract_symmetry_point: true,
    reference_std: 0.05,
    ...overrides,
  });
}

/** PCM unit cell (`presets/compounds.py`): a one-sided pair of PCM devices refreshed every update. */
export function PCMPresetUnitCell(): OneSidedUnitCell {
  return OneSidedUnitCell.parse({
    type: 'OneSidedUnitCell',
    unit_cell_devices: [PCMPresetDevice(), PCMPresetDevice()],
    refresh_every: 1,
    units_in_mbatch: true,
    refresh_forward: PresetIOParameters(),
    refresh_update: PresetUpdateParameters({ desired_bl: 31 }),
  });
}

export const DEVICE_PRESETS = {
  ReRamESPresetDevice,
  ReRamSBPresetDevice,
  CapacitorPresetDevice,
  EcRamPresetDevice,
  EcRamMOPresetDevice,
  IdealizedPresetDevice,
  GokmenVlasovPresetDevice,
  PCMPresetDevice,
  ReRamArrayOMPresetDevice,
  ReRamArrayHfO2PresetDevice,
} satisfies Record<string, (overrides?: Overrides) => PulsedDevice>;
export type DevicePresetName = keyof typeof DEVICE_PRESETS;
export const DEVICE_PRESET_NAMES = Object.keys(DEVICE_PRESETS) as DevicePresetName[];
