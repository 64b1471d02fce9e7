/**
 * Inference-side parameter shapes (hardware-aware training and programming/drift), reference §5:
 * weight modifier/clip/remap (`simulator/parameters/inference.py`), the statistical noise models
 * (`inference/noise/*.py`), the conductance converter and drift compensation. The simulation of these
 * lives in `sim-core/inference` and `sim-core/hwa`; the shapes live here so that one module owns them.
 */
import { z } from 'zod';
import { WeightClipType, WeightModifierType, WeightRemapType } from './enums';

export const WeightModifierParameter = z.strictObject({
  std_dev: z.number().nonnegative().default(0.0),
  per_batch_sample: z.boolean().default(false),
  res: z.number().default(0.0),
  sto_round: z.boolean().default(false),
  dorefa_clip: z.number().default(0.6),
  pdrop: z.number().min(0).max(1).default(0.0),
  enable_during_test: z.boolean().default(false),
  rel_to_actual_wmax: z.boolean().default(true),
  assumed_wmax: z.number().positive().default(1.0),
  copy_last_column: z.boolean().default(false),
  coeffs: z.array(z.number()).default([0.0105392, 0.0768, -0.046925]),
  type: WeightModifierType.default('NONE'),
  g_max: z.number().positive().default(25.0),
  pcm_zero_thres: z.number().nonnegative().default(0.0),
  pcm_t_inference: z.number().nonnegative().default(0.0),
  pcm_prob_at_reset: z.number().min(0).max(1).default(0.0),
  pcm_prob_at_gmax: z.number().min(0).max(1).default(0.0),
  pcm_prob_at_random: z.number().min(0).max(1).default(0.0),
  pcm_t0: z.number().positive().default(20.0),
});
export type WeightModifierParameter = z.infer<typeof WeightModifierParameter>;

export const WeightClipParameter = z.strictObject({
  fixed_value: z.number().default(-1.0),
  sigma: z.number().nonnegative().default(2.5),
  type: WeightClipType.default('NONE'),
});
export type WeightClipParameter = z.infer<typeof WeightClipParameter>;

export const WeightRemapParameter = z.strictObject({
  remapped_wmax: z.number().positive().default(1.0),
  max_scale_range: z.number().nonnegative().default(0.0),
  max_scale_ref: z.number().nonnegative().default(0.0),
  type: WeightRemapType.default('NONE'),
});
export type WeightRemapParameter = z.infer<typeof WeightRemapParameter>;

/** `SinglePairConductanceConverter(g_max=25.0, g_min=0.0)` (µS). */
export const SinglePairConductanceConverter = z
  .strictObject({
    type: z.literal('SinglePairConductanceConverter'),
    g_max: z.number().positive().default(25.0),
    g_min: z.number().nonnegative().default(0.0),
  })
  .refine((c) => c.g_min < c.g_max, { message: 'g_min must be smaller than g_max', path: ['g_min'] });
export type SinglePairConductanceConverter = z.infer<typeof SinglePairConductanceConverter>;

export const ConductanceConverter = SinglePairConductanceConverter;
export type ConductanceConverter = z.infer<typeof ConductanceConverter>;

/**
 * PCMLikeNoiseModel (reference §5.3). `g_max` null means "from the converter" (25 µS by default), as
 * AIHWKit's `g_max=None`; `prog_coeff_g_max_reference` null means "= g_max" (AIHWKit uses 25.0 with the
 * default coefficients).
 */
export const PCMLikeNoiseModel = z.strictObject({
  type: z.literal('PCMLikeNoiseModel'),
  prog_coeff: z.array(z.number()).length(3).default([0.26348, 1.965, -1.1731]),
  g_converter: SinglePairConductanceConverter.prefault({ type: 'SinglePairConductanceConverter' }),
  g_max: z.number().positive().nullable().default(null),
  t_read: z.number().positive().default(250.0e-9),
  t_0: z.number().positive().default(20.0),
  prog_noise_scale: z.number().nonnegative().default(1.0),
  read_noise_scale: z.number().nonnegative().default(1.0),
  drift_scale: z.number().nonnegative().default(1.0),
  prog_coeff_g_max_reference: z.number().positive().nullable().default(null),
});
export type PCMLikeNoiseModel = z.infer<typeof PCMLikeNoiseModel>;

/** The drift table of CustomDriftPCMLikeNoiseModel: ν mean/std over ascending conductances (µS). */
export const CustomDriftModel = z
  .strictObject({
    g_lst: z.array(z.number()).min(2),
    nu_mean_lst: z.array(z.number()).min(2),
    nu_std_lst: z.array(z.number()).min(2),
  })
  .refine((m) => m.g_lst.length === m.nu_mean_lst.length && m.g_lst.length === m.nu_std_lst.length, {
    message: 'g_lst, nu_mean_lst and nu_std_lst must have the same length',
  })
  .refine((m) => m.g_lst.every((g, i) => i === 0 || g > m.g_lst[i - 1]), {
    message: 'g_lst must be strictly ascending',
    path: ['g_lst'],
  });
export type CustomDriftModel = z.infer<typeof CustomDriftModel>;

export const CustomDriftPCMLikeNoiseModel = z.strictObject({
  type: z.literal('CustomDriftPCMLikeNoiseModel'),
  custom_drift_model: CustomDriftModel,
  prog_coeff: z.array(z.number()).length(3).default([0.26348, 1.965, -1.1731]),
  g_converter: SinglePairConductanceConverter.prefault({ type: 'SinglePairConductanceConverter' }),
  g_max: z.number().positive().nullable().default(null),
  t_read: z.number().positive().default(250.0e-9),
  t_0: z.number().positive().default(20.0),
  prog_noise_scale: z.number().nonnegative().default(1.0),
  read_noise_scale: z.number().nonnegative().default(1.0),
  drift_scale: z.number().nonnegative().default(1.0),
  prog_coeff_g_max_reference: z.number().positive().nullable().default(null),
});
export type CustomDriftPCMLikeNoiseModel = z.infer<typeof CustomDriftPCMLikeNoiseModel>;

/** The composer's "generic" device (reference §5.4). */
export const StateIndependentNoiseModel = z.strictObject({
  type: z.literal('StateIndependentNoiseModel'),
  g_converter: SinglePairConductanceConverter.prefault({ type: 'SinglePairConductanceConverter' }),
  g_max: z.number().positive().nullable().default(null),
  prog_coeff: z.array(z.number()).length(3).default([0.2, 0.0, 0.0]),
  prog_noise_scale: z.number().nonnegative().default(1.0),
  drift_nu_mean: z.number().default(0.1),
  drift_nu_std: z.number().nonnegative().default(0.05),
  drift_scale: z.number().nonnegative().default(1.0),
  t_0: z.number().positive().default(20.0),
  read_noise_scale: z.number().nonnegative().default(1.0),
  t_read: z.number().positive().default(250.0e-9),
});
export type StateIndependentNoiseModel = z.infer<typeof StateIndependentNoiseModel>;

/** Polynomial coefficients (c0..c4 of g/g_max, µS) keyed by the time in seconds, as a JSON object. */
export const ReRamCoefficients = z.record(
  z.string().regex(/^\d+(\.\d+)?$/, 'keys are times in seconds'),
  z.array(z.number()).min(1),
);

/** ReRamWan2022NoiseModel (reference §5.5); t_inference must equal one of the coefficient keys. */
export const ReRamWan2022NoiseModel = z.strictObject({
  type: z.literal('ReRamWan2022NoiseModel'),
  coeff_dic: ReRamCoefficients.default({
    '1': [0.348, 16.03, -43.853, 45.393, -16.815],
    '86400': [0.701, 22.086, -50.773, 47.095, -16.458],
    '172800': [0.782, 20.274, -43.507, 37.062, -11.934],
  }),
  g_converter: SinglePairConductanceConverter.prefault({ type: 'SinglePairConductanceConverter' }),
  g_max: z.number().positive().nullable().default(null),
  noise_scale: z.number().nonnegative().default(1.0),
  /** null: = g_max (AIHWKit's effective behaviour; see reference §10 item 10). */
  coeff_g_max_reference: z.number().positive().nullable().default(null),
});
export type ReRamWan2022NoiseModel = z.infer<typeof ReRamWan2022NoiseModel>;

export const NoiseModel = z.discriminatedUnion('type', [
  PCMLikeNoiseModel,
  CustomDriftPCMLikeNoiseModel,
  StateIndependentNoiseModel,
  ReRamWan2022NoiseModel,
]);
export type NoiseModel = z.infer<typeof NoiseModel>;
export type NoiseModelType = NoiseModel['type'];

export const GlobalDriftCompensation = z.strictObject({ type: z.literal('GlobalDriftCompensation') });
export const GlobalDriftCompensationWithExactReference = z.strictObject({
  type: z.literal('GlobalDriftCompensationWithExactReference'),
});
export const PerColumnDriftCompensation = z.strictObject({ type: z.literal('PerColumnDriftCompensation') });

/** Drift compensation, or null for none. */
export const DriftCompensation = z
  .discriminatedUnion('type', [
    GlobalDriftCompensation,
    GlobalDriftCompensationWithExactReference,
    PerColumnDriftCompensation,
  ])
  .nullable();
export type DriftCompensation = z.infer<typeof DriftCompensation>;
