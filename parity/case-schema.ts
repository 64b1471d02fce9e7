/**
 * The parity case format: one JSON file per case in `parity/cases/`, its id the file name. A case
 * says what to simulate (configs in sim-core's schema — AIHWKit's names — or an AIHWKit preset by class
 * name), how much (draws, seeds) and how to judge it (family-wise α, an absolute floor `atol`); and, for
 * a difference we keep on purpose, why.
 *
 * The Python side receives the case as written (plus the generated inputs), so each side applies its
 * own defaults: a config that means something else in AIHWKit shows up as a parity failure.
 */
import { z } from 'zod';
import {
  DEVICE_PRESETS,
  InferenceRPUConfig,
  NoiseModel,
  RPUConfig,
  WeightClipParameter,
  WeightModifierParameter,
  WeightRemapParameter,
  rpuConfigPreset,
} from '../sim-core';

/** An AIHWKit preset by class name, with optional overrides merged into it (objects deep, arrays replaced). */
export const PresetRef = z.strictObject({
  preset: z.string().min(1),
  overrides: z.record(z.string(), z.unknown()).default({}),
});
export type PresetRef = z.infer<typeof PresetRef>;

/** A full RPU config in sim-core's schema, or a preset reference. */
export const RPUConfigSpec = z.union([PresetRef, z.looseObject({ type: z.string() })]);
export type RPUConfigSpec = z.infer<typeof RPUConfigSpec>;

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Merge `over` into `base` (objects deep, arrays replaced); an object naming another `type` replaces. */
export function deepMerge(base: unknown, over: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(over)) return over;
  if ('type' in over && over.type !== base.type) return over;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = k in base ? deepMerge(base[k], v) : v;
  return out;
}

/**
 * Device presets inside a config: any nested `{ preset: '<…PresetDevice>', …overrides }` becomes that
 * preset device with the overrides merged in.
 */
function expandDevicePresets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(expandDevicePresets);
  if (!isPlainObject(value)) return value;
  const expanded = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, expandDevicePresets(v)]));
  const name = expanded.preset;
  if (typeof name !== 'string' || !(name in DEVICE_PRESETS)) return expanded;
  const { preset: _preset, ...overrides } = expanded;
  return deepMerge(DEVICE_PRESETS[name as keyof typeof DEVICE_PRESETS](), overrides);
}

/** The fully defaulted sim-core config a spec means (throws, naming the problem, if it is invalid). */
export function resolveRPUConfig(spec: RPUConfigSpec): RPUConfig {
  if ('preset' in spec && typeof spec.preset === 'string') {
    const ref = PresetRef.parse(spec);
    return RPUConfig.parse(deepMerge(rpuConfigPreset(ref.preset), expandDevicePresets(ref.overrides)));
  }
  return RPUConfig.parse(expandDevicePresets(spec));
}

/**
 * A matrix: explicit rows, a constant, or i.i.d. uniform/normal entries drawn on our side from the
 * case seed (the values are then written to the Python side's input, so both sides see the same).
 */
export const MatrixSpec = z.union([
  z.strictObject({ values: z.array(z.array(z.number())).min(1) }),
  z.strictObject({ constant: z.number() }),
  z.strictObject({ uniform: z.tuple([z.number(), z.number()]) }),
  z.strictObject({ normal: z.tuple([z.number(), z.number().nonnegative()]) }),
]);
export type MatrixSpec = z.infer<typeof MatrixSpec>;

/** A difference we keep on purpose: the report shows it as documented, with this reason. */
export const DocumentedDifference = z.strictObject({
  reason: z.string().min(10),
  /** Where it is written down, e.g. "reference §10 item 17b" or a sim-core file. */
  reference: z.string().optional(),
  /** AIHWKit raises an error on this case (the difference is that sim-core runs it). */
  aihwkit_fails: z.boolean().default(false),
});

const common = {
  title: z.string().min(1),
  description: z.string().default(''),
  /** Part of the reduced parity run inside `npm test`. */
  quick: z.boolean().default(false),
  seed: z.number().int().nonnegative().default(1),
  /**
   * Family-wise false-alarm rate of the case (split over its tests). 1e-4 by default, so that the ~120
   * cases of a full report together raise a spurious "differs" with probability of about 1 %.
   */
  alpha: z.number().gt(0).lt(0.5).default(1e-4),
  /** Floor on every tolerance, atol + rtol·|value| (float32 rounding), in the units of the compared values. */
  atol: z.number().nonnegative().default(1e-6),
  rtol: z.number().nonnegative().default(1e-5),
  difference: DocumentedDifference.optional(),
  /** Seconds each side may take. */
  timeout_s: z.number().positive().default(600),
};

const positiveInt = z.number().int().positive();

export const TileIOCase = z.strictObject({
  kind: z.literal('tile-io'),
  ...common,
  rpu_config: RPUConfigSpec,
  direction: z.enum(['forward', 'backward']),
  out_size: positiveInt,
  in_size: positiveInt,
  weights: MatrixSpec,
  /** The input vectors (rows: `input_count` of them when generated). */
  inputs: MatrixSpec,
  input_count: positiveInt.default(4),
  /** Independent repetitions of the whole input batch. */
  draws: positiveInt.default(2000),
  /**
   * Build a new tile for every draw: needed where the tile draws something once at construction
   * (per-output out_noise_std, out_nonlinearity_std, v_offset_std), which then varies between draws.
   */
  fresh_tiles: z.boolean().default(false),
});

export const PulsedUpdateCase = z.strictObject({
  kind: z.literal('pulsed-update'),
  ...common,
  rpu_config: RPUConfigSpec,
  out_size: positiveInt,
  in_size: positiveInt,
  weights: MatrixSpec,
  /** Update vectors: x [batch, in_size], d [batch, out_size]. */
  x: MatrixSpec,
  d: MatrixSpec,
  batch: positiveInt.default(1),
  lr: z.number().positive(),
  /** Updates per draw (the same x, d each time). */
  updates: positiveInt.default(1),
  /** Independent draws, each with a freshly built tile (new device-to-device sample). */
  draws: positiveInt.default(1000),
});

export const DeviceCurveCase = z.strictObject({
  kind: z.literal('device-curve'),
  ...common,
  /** SingleRPUConfig or UnitCellRPUConfig (a preset or full); its update parameters are replaced by single pulses. */
  rpu_config: RPUConfigSpec,
  /** Independent devices per tile (a [devices, 1] tile). */
  devices: positiveInt.default(100),
  /** Tiles built (draws × devices samples per point). */
  draws: positiveInt.default(10),
  /** N up pulses, then N down pulses. */
  pulses: positiveInt,
  /** Initial weight. */
  w0: z.number().default(0),
  /** Pulse counts (0 … 2N) at which the weights are compared; default: 9 evenly spaced. */
  checkpoints: z.array(z.number().int().nonnegative()).optional(),
});

export const LayerBackwardCase = z.strictObject({
  kind: z.literal('layer-backward'),
  ...common,
  rpu_config: RPUConfigSpec,
  out_size: positiveInt,
  in_size: positiveInt,
  weights: MatrixSpec,
  /** Layer inputs x [input_count, in_size] and output gradients d [input_count, out_size]. */
  inputs: MatrixSpec,
  grads: MatrixSpec,
  input_count: positiveInt.default(4),
  draws: positiveInt.default(2000),
});

export const NoiseModelCase = z.strictObject({
  kind: z.literal('noise-model'),
  ...common,
  noise_model: z.looseObject({ type: z.string() }),
  /** Target weights relative to the largest (which maps to g_max); one more weight of 1.0 pins the scale. */
  levels: z.array(z.number().min(-1).max(1)).min(1),
  /** Devices per level. */
  repeats: positiveInt.default(2000),
  t_inference: z.array(z.number().nonnegative()).min(1),
});

export const DriftCompensationCase = z.strictObject({
  kind: z.literal('drift-compensation'),
  ...common,
  rpu_config: RPUConfigSpec,
  out_size: positiveInt,
  in_size: positiveInt,
  weights: MatrixSpec,
  t_inference: z.array(z.number().nonnegative()).min(1),
  /** Independent programmings. */
  draws: positiveInt.default(300),
});

export const WeightModifierCase = z.strictObject({
  kind: z.literal('weight-modifier'),
  ...common,
  modifier: z.record(z.string(), z.unknown()),
  out_size: positiveInt,
  in_size: positiveInt,
  weights: MatrixSpec,
  draws: positiveInt.default(2000),
});

export const ClipRemapCase = z.strictObject({
  kind: z.literal('clip-remap'),
  ...common,
  clip: z.record(z.string(), z.unknown()).optional(),
  remap: z.record(z.string(), z.unknown()).optional(),
  out_size: positiveInt,
  in_size: positiveInt,
  weights: MatrixSpec,
});

const seeds = positiveInt.min(2);

export const Example1Case = z.strictObject({
  kind: z.literal('example1'),
  ...common,
  rpu_config: RPUConfigSpec,
  lr: z.number().positive().default(0.1),
  steps: positiveInt.default(100),
  seeds,
  /** Loss after these steps (1-based: step 1 is the loss before any update) is compared. */
  report_steps: z.array(positiveInt).min(1),
});

export const FcFashionCase = z.strictObject({
  kind: z.literal('fc-fashion'),
  ...common,
  rpu_config: RPUConfigSpec,
  epochs: positiveInt.default(1),
  batch_size: positiveInt.default(64),
  lr: z.number().positive().default(0.05),
  seeds,
  train_size: positiveInt.nullable().default(null),
  test_size: positiveInt.nullable().default(null),
});

export const DriftTableCase = z.strictObject({
  kind: z.literal('drift-table'),
  ...common,
  /** The hardware-aware training config (trained once, on the AIHWKit side; weights then copied). */
  train_rpu_config: RPUConfigSpec,
  /** The inference config both sides evaluate with. */
  rpu_config: RPUConfigSpec,
  train_epochs: positiveInt.default(1),
  /** Learning rate of the hardware-aware training (AnalogSGD, batch 64). */
  train_lr: z.number().positive().default(0.05),
  train_size: positiveInt.nullable().default(null),
  test_size: positiveInt.nullable().default(null),
  t_inference: z.array(z.number().nonnegative()).min(1),
  /** Programmings per side. */
  repeats: positiveInt.min(2),
});

export const ParityCase = z.discriminatedUnion('kind', [
  TileIOCase,
  PulsedUpdateCase,
  DeviceCurveCase,
  LayerBackwardCase,
  NoiseModelCase,
  DriftCompensationCase,
  WeightModifierCase,
  ClipRemapCase,
  Example1Case,
  FcFashionCase,
  DriftTableCase,
]);
export type ParityCase = z.infer<typeof ParityCase>;
export type ParityCaseKind = ParityCase['kind'];
export type CaseOf<K extends ParityCaseKind> = Extract<ParityCase, { kind: K }>;

/** Schema checks that need sim-core: the configs must be valid sim-core configs. */
export function checkCaseConfigs(c: ParityCase): void {
  if ('rpu_config' in c) resolveRPUConfig(c.rpu_config);
  if (c.kind === 'drift-table') {
    const train = resolveRPUConfig(c.train_rpu_config);
    const infer = resolveRPUConfig(c.rpu_config);
    InferenceRPUConfig.parse(train);
    InferenceRPUConfig.parse(infer);
  }
  if (c.kind === 'noise-model') NoiseModel.parse(c.noise_model);
  if (c.kind === 'weight-modifier') WeightModifierParameter.parse(c.modifier);
  if (c.kind === 'clip-remap') {
    if (!c.clip && !c.remap) throw new Error('a clip-remap case needs clip, remap or both');
    if (c.clip) WeightClipParameter.parse(c.clip);
    if (c.remap) WeightRemapParameter.parse(c.remap);
  }
}
