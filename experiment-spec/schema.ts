/**
 * The experiment document: a versioned, strict JSON document of one of two kinds, `training` and
 * `inference`. The simulation vocabulary (data sets, layers, RPU configurations, optimizer, loss) is
 * sim-core's (`sim-core/configs`), re-used here, never re-declared; this file adds the envelope
 * (apiVersion, kind, name, description, tags, execution), the run settings AIHWKit keeps outside its
 * configs (seed, checkpoint interval, the drift study's `t_inference` and repeats, the weights to infer
 * with), and preset names wherever an RPU configuration is expected.
 *
 * Two forms of every schema: the *input* form accepts a preset name (e.g. "ReRamESPreset") in place of an
 * RPU configuration; the *stored* form has every preset expanded and every default filled, so that a
 * stored experiment states every value it ran with. `parseExperiment` turns the first into the second.
 */
import { z } from 'zod';
import {
  AnalogConv2dSpec,
  AnalogLinearSpec,
  DatasetSpec,
  InferenceRPUConfig,
  LayerSpec,
  LossSpec,
  RPUConfig,
  RPU_CONFIG_PRESET_NAMES,
  RPU_CONFIG_PRESETS,
  TrainingSpec,
  type RPUConfigPresetName,
} from '../sim-core/configs';
import { COMPUTE_QUEUES } from '../contracts/queues';

/** The document version this module reads and writes. */
export const API_VERSION = 'analog-composer/v1';

export const EXPERIMENT_KINDS = ['training', 'inference'] as const;
export type ExperimentKind = (typeof EXPERIMENT_KINDS)[number];

/** Names of the presets whose configuration is an InferenceRPUConfig (usable for inference experiments). */
export const INFERENCE_PRESET_NAMES: readonly RPUConfigPresetName[] = RPU_CONFIG_PRESET_NAMES.filter(
  (name) => RPU_CONFIG_PRESETS[name]().type === 'InferenceRPUConfig',
);

const presetName = z.enum(RPU_CONFIG_PRESET_NAMES as [RPUConfigPresetName, ...RPUConfigPresetName[]]);
const inferencePresetName = z.enum(INFERENCE_PRESET_NAMES as [RPUConfigPresetName, ...RPUConfigPresetName[]]);

/**
 * AIHWKit's BasicInferencing drift times for `inference_time` T seconds: 0 and nine log-spaced points
 * from 1 s to T (`[0] + logspace(0, log10(T), 9)`); T = 86400 (one day) by default.
 */
export function aihwkitInferenceTimes(inferenceTime = 86400): number[] {
  const step = Math.log10(inferenceTime) / 8;
  const times = Array.from({ length: 9 }, (_, i) => 10 ** (i * step));
  // numpy's logspace ends at 10**log10(T), which can miss T by an ulp (86399.99999999999); we end at T.
  times[8] = inferenceTime;
  return [0, ...times];
}

export const ExecutionSpec = z.strictObject({
  /** Task queue the experiment's workflow and compute run on. */
  queue: z.enum(COMPUTE_QUEUES).default('cpu'),
  /** 1 (most urgent) to 5 (least), Temporal's priority key; 3 is the middle. */
  priority: z.number().int().min(1).max(5).default(3),
});
export type ExecutionSpec = z.infer<typeof ExecutionSpec>;

const envelope = {
  apiVersion: z.literal(API_VERSION),
  /** A short title shown in lists. */
  name: z.string().trim().min(1).max(200),
  description: z.string().max(10_000).default(''),
  tags: z.array(z.string().trim().min(1).max(64)).max(32).default([]),
  execution: ExecutionSpec.prefault({}),
  dataset: DatasetSpec,
};

/** The layer list with the RPU-configuration schema `rpu` for analog layers' per-layer overrides. */
function modelSchema<R extends z.ZodType>(rpu: R) {
  const layer = z.discriminatedUnion('type', [
    AnalogLinearSpec.extend({ rpu_config: rpu.optional() }),
    AnalogConv2dSpec.extend({ rpu_config: rpu.optional() }),
    ...LayerSpec.options.filter((option) => option !== AnalogLinearSpec && option !== AnalogConv2dSpec),
  ]);
  return z.strictObject({
    /** The layers in order (an AIHWKit AnalogSequential); the first takes the data set's images. */
    layers: z.array(layer).min(1).max(256),
  });
}

const inferenceFields = {
  /** Seconds after programming at which the drifted weights are evaluated (sorted, non-negative). */
  t_inference: z.array(z.number()).min(1).max(1000).default(aihwkitInferenceTimes()),
  /** Independent programming draws, each evaluated at every `t_inference` (BasicInferencing: 2). */
  repeats: z.number().int().positive().default(2),
  /** Evaluation mini-batch size (BasicInferencing: 10). */
  batch_size: z.number().int().positive().default(10),
  /** Seed of programming noise, drift coefficients and read noise. */
  seed: z.number().int().nonnegative().default(0),
};

/** Drift study after training (a hardware-aware training run's evaluation). */
export const InferenceEvaluationSpec = z.strictObject(inferenceFields);
export type InferenceEvaluationSpec = z.infer<typeof InferenceEvaluationSpec>;

/** Drift study of an inference experiment. */
export const InferenceRunSpec = z.strictObject({
  ...inferenceFields,
  /** Loss reported alongside accuracy (BasicInferencing: CrossEntropyLoss). */
  loss: LossSpec.prefault({ type: 'CrossEntropyLoss' }),
});
export type InferenceRunSpec = z.infer<typeof InferenceRunSpec>;

/** What a training run adds to sim-core's TrainingSpec: fields for the workflow, not the simulator. */
const trainingRunFields = {
  /** Seed of weight initialisation, data shuffling and every stochastic device effect. */
  seed: z.number().int().nonnegative().default(0),
  /** A checkpoint is written every this many epochs (and at the end); a crash resumes from the last. */
  checkpoint_every: z.number().int().positive().default(1),
  /**
   * Checkpoint every this many mini-batches instead (for long epochs): pause and crash recovery then
   * act at that finer grain. null: every `checkpoint_every` epochs.
   */
  checkpoint_every_batches: z.number().int().positive().nullable().default(null),
};
export const TrainingRunSpec = TrainingSpec.extend(trainingRunFields);
export type TrainingRunSpec = z.infer<typeof TrainingRunSpec>;

/**
 * The run's sim-core TrainingSpec: the run without the workflow's own fields (sim-core's options
 * schema is strict, so none may leak through; a field added above is left out here by itself).
 */
export function simCoreTraining(run: TrainingRunSpec): z.infer<typeof TrainingSpec> {
  const training: Partial<TrainingRunSpec> = { ...run };
  for (const key of Object.keys(trainingRunFields) as (keyof typeof trainingRunFields)[])
    delete training[key];
  return training as z.infer<typeof TrainingSpec>;
}

/** Where an inference experiment's weights come from. */
export const WeightsSpec = z.discriminatedUnion('source', [
  z.strictObject({
    /** The final weights of a finished training experiment of the same user. */
    source: z.literal('experiment'),
    experiment_id: z.string().min(1).max(128),
    /**
     * Remap the loaded weights before programming (AIHWKit's `remap_analog_weights()`, which
     * BasicInferencing applies to loaded weights by default).
     */
    remap_weights: z.boolean().default(true),
  }),
  z.strictObject({
    /** The model's own initialisation (torch's default init with `seed`): a baseline without training. */
    source: z.literal('initialization'),
    seed: z.number().int().nonnegative().default(0),
  }),
]);
export type WeightsSpec = z.infer<typeof WeightsSpec>;

function trainingSchema<R extends z.ZodType>(rpu: R) {
  return z.strictObject({
    ...envelope,
    kind: z.literal('training'),
    model: modelSchema(rpu),
    /** Default RPU configuration of every analog layer without its own (AIHWKit's default: SingleRPUConfig). */
    rpu_config: rpu.prefault({ type: 'SingleRPUConfig' } as z.input<R>),
    training: TrainingRunSpec.prefault({}),
    /** Optional drift study after training (needs InferenceRPUConfig on every analog layer). */
    inference: InferenceEvaluationSpec.optional(),
  });
}

function inferenceSchema<R extends z.ZodType>(rpu: R) {
  return z.strictObject({
    ...envelope,
    kind: z.literal('inference'),
    model: modelSchema(rpu),
    weights: WeightsSpec,
    /** RPU configuration with noise model and drift compensation, for every analog layer without its own. */
    rpu_config: rpu.prefault({ type: 'InferenceRPUConfig' } as z.input<R>),
    inference: InferenceRunSpec.prefault({}),
  });
}

const rpuInput = z.union([presetName, RPUConfig]);
const inferenceRpuInput = z.union([inferencePresetName, InferenceRPUConfig]);

/** What users send: preset names allowed wherever an RPU configuration goes. */
export const TrainingExperimentInput = trainingSchema(rpuInput);
export const InferenceExperimentInput = inferenceSchema(inferenceRpuInput);
export const ExperimentInput = z.discriminatedUnion('kind', [
  TrainingExperimentInput,
  InferenceExperimentInput,
]);
export type ExperimentInput = z.input<typeof ExperimentInput>;

/** What is stored: presets expanded, every default filled. */
export const TrainingExperiment = trainingSchema(RPUConfig);
export const InferenceExperiment = inferenceSchema(InferenceRPUConfig);
export const Experiment = z.discriminatedUnion('kind', [TrainingExperiment, InferenceExperiment]);
export type TrainingExperiment = z.output<typeof TrainingExperiment>;
export type InferenceExperiment = z.output<typeof InferenceExperiment>;
export type ExperimentSpec = z.output<typeof Experiment>;
export type ExperimentLayer = ExperimentSpec['model']['layers'][number];

/** Every RPU configuration type, for messages. */
export type { RPUConfig };
