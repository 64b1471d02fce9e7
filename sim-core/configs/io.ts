/**
 * Forward/backward input-output parameters of an analog tile: AIHWKit's `IOParameters`
 * (`simulator/parameters/io.py`) with the Python defaults (reference §1.1), and the preset IO variants.
 */
import { z } from 'zod';
import { AnalogMVType, BoundManagementType, NoiseManagementType, WeightNoiseType } from './enums';

export const IOParameters = z.strictObject({
  /** Skip all non-idealities: y = out_scale · W x. */
  is_perfect: z.boolean().default(false),
  mv_type: AnalogMVType.default('ONE_PASS'),
  /** DAC range ±inp_bound (≤ 0: unbounded). Must be 1 when noise management is on. */
  inp_bound: z.number().default(1.0),
  inp_noise: z.number().nonnegative().default(0.0),
  /** DAC resolution: ≤ 0 none; > 1 a number of steps (1/r); else the step as a fraction of 2·inp_bound. */
  inp_res: z.number().default(1 / (2 ** 7 - 2)),
  inp_sto_round: z.boolean().default(false),
  inp_asymmetry: z.number().default(0.0),
  out_bound: z.number().default(12.0),
  out_noise: z.number().nonnegative().default(0.06),
  out_noise_std: z.number().nonnegative().default(0.0),
  out_res: z.number().default(1 / (2 ** 9 - 2)),
  out_sto_round: z.boolean().default(false),
  out_scale: z.number().default(1.0),
  out_asymmetry: z.number().default(0.0),
  /** Python default ITERATIVE (the C++ struct default is NONE; Python wins). */
  bound_management: BoundManagementType.default('ITERATIVE'),
  noise_management: NoiseManagementType.default('ABS_MAX'),
  w_noise: z.number().nonnegative().default(0.0),
  w_noise_type: WeightNoiseType.default('NONE'),
  ir_drop: z.number().nonnegative().default(0.0),
  ir_drop_g_ratio: z
    .number()
    .positive()
    .default(1 / 0.35 / 5e-6),
  out_nonlinearity: z.number().default(0.0),
  out_nonlinearity_std: z.number().nonnegative().default(0.0),
  slope_calibration: z.number().default(0.0),
  v_offset_std: z.number().nonnegative().default(0.0),
  v_offset_w_min: z.number().default(-1.0),
  r_series: z.number().nonnegative().default(0.0),
  w_read_asymmetry_dtod: z.number().nonnegative().default(0.0),
  max_bm_factor: z.number().positive().default(1000),
  max_bm_res: z.number().default(0.25),
  bm_test_negative_bound: z.boolean().default(true),
  /** CONSTANT: the constant; other NM types: saturation threshold of the scale (0: none). */
  nm_thres: z.number().nonnegative().default(0.0),
  /** C++-only field (no Python counterpart): assumed max weight for ABS_MAX_NP_SUM. */
  nm_assumed_wmax: z.number().positive().default(0.6),
  /** C++-only field (no Python counterpart): running-average decay for AVERAGE_ABS_MAX. */
  nm_decay: z.number().positive().max(1).default(1e-3),
});
export type IOParameters = z.infer<typeof IOParameters>;
export type IOParametersInput = z.input<typeof IOParameters>;

/** `PresetIOParameters` (presets/utils.py): out_bound 20, out_noise 0.1, otherwise the IOParameters defaults. */
export function PresetIOParameters(overrides: IOParametersInput = {}): IOParameters {
  return IOParameters.parse({ out_bound: 20.0, out_noise: 0.1, ...overrides });
}

/** `StandardIOParameters` (presets/utils.py): 8-bit DAC and ADC, out_bound 10, out_noise 0.04. */
export function StandardIOParameters(overrides: IOParametersInput = {}): IOParameters {
  return IOParameters.parse({
    inp_res: 1 / (2 ** 8 - 2),
    out_res: 1 / (2 ** 8 - 2),
    out_bound: 10.0,
    out_noise: 0.04,
    ...overrides,
  });
}

/** `WebComposerIOParameters` (presets/web.py): as PresetIOParameters. */
export function WebComposerIOParameters(overrides: IOParametersInput = {}): IOParameters {
  return IOParameters.parse({ out_bound: 20.0, out_noise: 0.1, ...overrides });
}
