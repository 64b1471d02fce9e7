/**
 * `parseExperiment`: from any JSON value to a stored experiment (presets expanded, every default filled)
 * or the complete list of structural problems. Never throws.
 */
import { RPU_CONFIG_PRESETS, type RPUConfig, isRPUConfigPresetName } from '../sim-core/configs';
import { type PathSegment, type SpecIssue, issue } from './issues';
import { prescanDocument } from './prescan';
import { ExperimentInput, type ExperimentSpec, INFERENCE_PRESET_NAMES } from './schema';
import { translateZodIssues } from './zod-issues';

export type ParseResult = { ok: true; spec: ExperimentSpec } | { ok: false; issues: SpecIssue[] };

const TRAINING_CONFIG_TYPES = [
  'SingleRPUConfig',
  'UnitCellRPUConfig',
  'DigitalRankUpdateRPUConfig',
  'FloatingPointRPUConfig',
];
const INFERENCE_ONLY_KEYS = ['noise_model', 'drift_compensation', 'clip', 'remap', 'modifier'];
const INFERENCE_FIXED_KEYS = ['device', 'backward', 'update'];
const DIGITAL_LAYERS: Record<string, string> = { Linear: 'AnalogLinear', Conv2d: 'AnalogConv2d' };

function valueAt(document: unknown, segments: readonly PathSegment[]): unknown {
  let value = document;
  for (const segment of segments) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string | number, unknown>)[segment];
  }
  return value;
}

/** Better words than "unknown key" for the mistakes researchers actually make. */
export function explainUnknownKey(
  segments: readonly PathSegment[],
  key: string,
  document: unknown,
): string | undefined {
  const parent = valueAt(document, segments);
  const parentType =
    typeof parent === 'object' && parent !== null ? (parent as Record<string, unknown>).type : undefined;
  const kind = valueAt(document, ['kind']);
  if (
    typeof parentType === 'string' &&
    TRAINING_CONFIG_TYPES.includes(parentType) &&
    INFERENCE_ONLY_KEYS.includes(key)
  ) {
    return (
      `${key} is a setting of InferenceRPUConfig only: a ${parentType} (analog training) has no ${key}. ` +
      `For hardware-aware training with a noise model use { "type": "InferenceRPUConfig" }`
    );
  }
  if (parentType === 'InferenceRPUConfig' && INFERENCE_FIXED_KEYS.includes(key)) {
    return (
      `InferenceRPUConfig fixes its ${key} (as AIHWKit does: IdealDevice, a perfect backward pass and a plain ` +
      `SGD update); only forward, noise_model, drift_compensation, clip, remap, modifier, mapping, pre_post and runtime are settable`
    );
  }
  if (key === 'rpu_config' && typeof parentType === 'string' && DIGITAL_LAYERS[parentType]) {
    return `${parentType} is a digital layer and takes no rpu_config; use ${DIGITAL_LAYERS[parentType]} for an analog layer`;
  }
  if (segments.length === 0 && key === 'weights' && kind === 'training') {
    return 'weights belong to inference experiments; a training experiment starts from its initialisation (training.seed)';
  }
  if (segments.length === 0 && key === 'training' && kind === 'inference') {
    return 'an inference experiment does not train; train in a training experiment and refer to it in weights.experiment_id';
  }
  if (segments.length === 0 && (key === 't_inference' || key === 'repeats')) {
    return `${key} belongs inside "inference" (e.g. { "inference": { "${key}": … } })`;
  }
  return undefined;
}

/** A training preset where an inference experiment needs an InferenceRPUConfig. */
export function explainInvalidValue(
  segments: readonly PathSegment[],
  value: unknown,
  document: unknown,
): string | undefined {
  if (segments[segments.length - 1] !== 'rpu_config' || typeof value !== 'string') return undefined;
  if (valueAt(document, ['kind']) !== 'inference' || !isRPUConfigPresetName(value)) return undefined;
  const type = RPU_CONFIG_PRESETS[value]().type;
  return (
    `${value} is a ${type} preset for analog training; an inference experiment needs an InferenceRPUConfig: ` +
    `one of ${INFERENCE_PRESET_NAMES.join(', ')}, or an object with "type": "InferenceRPUConfig"`
  );
}

/** Preset configurations as JSON text, built once: expanding a name is then a cheap JSON.parse. */
const presetText = new Map<string, string>();

/** The full configuration of a preset name (a fresh object each time); undefined for anything else. */
export function expandPreset(value: unknown): RPUConfig | undefined {
  if (typeof value !== 'string' || !isRPUConfigPresetName(value)) return undefined;
  let text = presetText.get(value);
  if (text === undefined) {
    text = JSON.stringify(RPU_CONFIG_PRESETS[value]());
    presetText.set(value, text);
  }
  return JSON.parse(text) as RPUConfig;
}

/** Replace preset names by their full configurations (the zod output may still hold names). */
function expandPresets(parsed: Record<string, unknown>): ExperimentSpec {
  const expanded = expandPreset(parsed.rpu_config);
  if (expanded) parsed.rpu_config = expanded;
  const model = parsed.model as { layers: Record<string, unknown>[] };
  for (const layer of model.layers) {
    const layerConfig = expandPreset(layer.rpu_config);
    if (layerConfig) layer.rpu_config = layerConfig;
  }
  return parsed as unknown as ExperimentSpec;
}

/** Parse a document into a stored experiment, or list every structural problem. Never throws. */
export function parseExperiment(document: unknown): ParseResult {
  try {
    const blocking = prescanDocument(document);
    if (blocking.length > 0) return { ok: false, issues: blocking };
    const result = ExperimentInput.safeParse(document);
    if (!result.success) {
      return {
        ok: false,
        issues: translateZodIssues(result.error.issues, ExperimentInput, document, {
          explainUnknownKey,
          explainInvalidValue,
        }),
      };
    }
    return { ok: true, spec: expandPresets(result.data as unknown as Record<string, unknown>) };
  } catch (error) {
    return {
      ok: false,
      issues: [
        issue(
          [],
          'internal',
          `the validator failed unexpectedly: ${error instanceof Error ? error.message : String(error)}`,
        ),
      ],
    };
  }
}
