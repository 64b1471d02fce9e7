/**
 * Semantic checks: what the schema cannot see field by field. Shape inference through the layers,
 * compatibility of settings (noise models and drift studies only with inference configurations,
 * `t_inference` sorted and non-negative), ranges across a configuration, resource quotas, and the weights
 * an inference experiment refers to. Runs on whatever parts of a document parsed, so one bad layer does
 * not hide a quota problem elsewhere.
 */
import { ANALOG_LAYER_TYPES, type DatasetSpec, type RPUConfig, rpuConfigProblems } from '../sim-core/configs';
import { QUEUE_CAPABILITIES, type ComputeQueue } from '../contracts/queues';
import { datasetFacts, testSamples, trainSamples } from './datasets';
import { type PathSegment, type SpecIssue, issue } from './issues';
import type { Quotas } from './quotas';
import { rangeIssues } from './ranges';
import type {
  ExperimentKind,
  ExperimentLayer,
  InferenceEvaluationSpec,
  InferenceRunSpec,
  TrainingRunSpec,
  WeightsSpec,
} from './schema';
import { type ShapeReport, inferShapes } from './shapes';
import type { ExperimentStatus } from '../contracts/status';

/** What the caller knows about an experiment whose weights an inference experiment wants. */
export interface WeightsSource {
  /** The user who owns that experiment. */
  owner: string;
  status: ExperimentStatus;
  /** That experiment's stored spec (its kind, model and data set are compared). */
  spec: unknown;
}

export type WeightsLookup = (experimentId: string) => WeightsSource | undefined;

/** The parts of a document that parsed (any may be missing when the schema found problems there). */
export interface SemanticInput {
  kind: ExperimentKind;
  /** The queue the experiment asks for (undefined where `execution` did not parse). */
  queue?: ComputeQueue;
  dataset?: DatasetSpec;
  /** Per layer: the parsed layer, or undefined where that layer did not parse. Undefined: no list. */
  layers?: (ExperimentLayer | undefined)[];
  rpuConfig?: RPUConfig;
  training?: TrainingRunSpec;
  inference?: InferenceEvaluationSpec | InferenceRunSpec;
  weights?: WeightsSpec;
}

export interface SemanticContext {
  quotas: Quotas;
  user?: string;
  lookupWeights?: WeightsLookup;
}

/** Cost figures of an experiment, as the quotas see them. */
export interface ExperimentEstimate {
  parameters?: number;
  macsPerSample?: number;
  trainSampleEpochs?: number;
  trainMacs?: number;
  inferenceEvaluations?: number;
  inferenceMacs?: number;
}

const ANALOG: readonly string[] = ANALOG_LAYER_TYPES;
const PROBABILITY_LAST = ['LogSoftmax'];

function isAnalog(
  layer: ExperimentLayer,
): layer is Extract<ExperimentLayer, { type: 'AnalogLinear' | 'AnalogConv2d' }> {
  return ANALOG.includes(layer.type);
}

interface EffectiveConfig {
  config: RPUConfig;
  path: PathSegment[];
  layerIndex: number;
}

function effectiveConfigs(input: SemanticInput): EffectiveConfig[] {
  const out: EffectiveConfig[] = [];
  (input.layers ?? []).forEach((layer, index) => {
    if (!layer || !isAnalog(layer)) return;
    const own = layer.rpu_config as RPUConfig | undefined;
    if (own) out.push({ config: own, path: ['model', 'layers', index, 'rpu_config'], layerIndex: index });
    else if (input.rpuConfig) out.push({ config: input.rpuConfig, path: ['rpu_config'], layerIndex: index });
  });
  return out;
}

function configChecks(input: SemanticInput): SpecIssue[] {
  const out: SpecIssue[] = [];
  const checked = new Set<string>();
  const targets: { config: RPUConfig; path: PathSegment[] }[] = [];
  if (input.rpuConfig) targets.push({ config: input.rpuConfig, path: ['rpu_config'] });
  for (const effective of effectiveConfigs(input)) targets.push(effective);
  for (const { config, path } of targets) {
    const key = path.join('/');
    if (checked.has(key)) continue;
    checked.add(key);
    for (const problem of rpuConfigProblems(config)) {
      out.push(issue([...path, ...problem.path], 'incompatible', problem.message));
    }
    out.push(...rangeIssues(config, path));
  }
  return out;
}

function modelChecks(input: SemanticInput): { issues: SpecIssue[]; shapes?: ShapeReport } {
  const layers = input.layers;
  if (!layers) return { issues: [] };
  const facts = input.dataset ? datasetFacts(input.dataset.name) : undefined;
  if (!facts) return { issues: [] };
  const firstBad = layers.findIndex((l) => l === undefined);
  const usable = firstBad === -1 ? layers : layers.slice(0, firstBad);
  const shapes = inferShapes(usable, {
    inputShape: facts.inputShape,
    // The final layer is only judged when every layer parsed.
    numClasses: firstBad === -1 ? facts.classes : undefined,
  });
  const out = [...shapes.issues];
  const complete = firstBad === -1 && shapes.output !== undefined;

  if (complete) {
    const analogCount = layers.filter((l) => l && isAnalog(l)).length;
    if (analogCount === 0) {
      out.push(
        input.kind === 'inference'
          ? issue(
              ['model', 'layers'],
              'incompatible',
              'an inference experiment needs at least one analog layer (AnalogLinear or AnalogConv2d) to program and drift',
            )
          : issue(
              ['model', 'layers'],
              'incompatible',
              'the model has no analog layer: this trains a purely digital network',
              {
                severity: 'warning',
              },
            ),
      );
    }
    const last = layers[layers.length - 1];
    const loss =
      input.kind === 'training'
        ? input.training?.loss.type
        : (input.inference as InferenceRunSpec | undefined)?.loss?.type;
    if (loss === 'NLLLoss' && last && !PROBABILITY_LAST.includes(last.type)) {
      out.push(
        issue(
          ['model', 'layers', layers.length - 1],
          'incompatible',
          "NLLLoss expects log-probabilities: end the model with LogSoftmax (as AIHWKit's examples do)",
          {
            severity: 'warning',
          },
        ),
      );
    }
    if (loss === 'CrossEntropyLoss' && last?.type === 'Softmax') {
      out.push(
        issue(
          ['model', 'layers', layers.length - 1],
          'incompatible',
          'CrossEntropyLoss applies log-softmax itself; a final Softmax squashes its input (drop it, or use LogSoftmax with NLLLoss)',
          {
            severity: 'warning',
          },
        ),
      );
    }
  }
  return { issues: out, shapes: complete ? shapes : undefined };
}

function inferenceChecks(input: SemanticInput): SpecIssue[] {
  const out: SpecIssue[] = [];
  const study = input.inference;
  if (study) {
    const times = study.t_inference;
    times.forEach((t, i) => {
      if (t < 0) {
        out.push(
          issue(
            ['inference', 't_inference', i],
            'out_of_range',
            `t_inference[${i}] is ${t}: times after programming cannot be negative`,
            {
              allowed: { min: 0 },
            },
          ),
        );
      } else if (i > 0 && !(t > times[i - 1])) {
        out.push(
          issue(
            ['inference', 't_inference', i],
            'out_of_range',
            `t_inference must be sorted in increasing order without repeats: t_inference[${i}] = ${t} follows ${times[i - 1]}`,
            { allowed: { min: times[i - 1], minInclusive: false } },
          ),
        );
      }
    });
  }
  const configs = effectiveConfigs(input);
  if (input.kind === 'training' && study) {
    for (const { config, path, layerIndex } of configs) {
      if (config.type !== 'InferenceRPUConfig') {
        out.push(
          issue(
            path.length === 1 ? ['inference'] : [...path, 'type'],
            'incompatible',
            `a drift study after training (inference) needs InferenceRPUConfig on every analog layer, but layer ${layerIndex} uses ` +
              `${config.type}, which has no noise model (remove "inference" or train with InferenceRPUConfig)`,
          ),
        );
        if (path.length === 1) break; // one message for the shared configuration is enough
      }
    }
  }
  if (study) {
    const seen = new Set<string>();
    for (const { config, path } of configs) {
      if (config.type !== 'InferenceRPUConfig' || config.noise_model.type !== 'ReRamWan2022NoiseModel')
        continue;
      const key = path.join('/');
      if (seen.has(key)) continue;
      seen.add(key);
      const keys = Object.keys(config.noise_model.coeff_dic).map(Number);
      const bad = study.t_inference.filter((t) => !keys.includes(t));
      if (bad.length > 0) {
        out.push(
          issue(
            ['inference', 't_inference'],
            'incompatible',
            `ReRamWan2022NoiseModel (at ${path.join('.')}) only knows the times of its coefficient table; ${bad.join(', ')} s ` +
              `are not among them (AIHWKit rejects them too)`,
            { allowed: { values: keys } },
          ),
        );
      }
    }
  }
  return out;
}

/** What the chosen queue can do: the imc queue programs and reads chips, it does not train. */
function queueChecks(input: SemanticInput): SpecIssue[] {
  if (!input.queue) return [];
  const capabilities = QUEUE_CAPABILITIES[input.queue];
  const can = input.kind === 'training' ? capabilities.training : capabilities.inference;
  if (can) return [];
  const allowed = Object.entries(QUEUE_CAPABILITIES)
    .filter(([, c]) => (input.kind === 'training' ? c.training : c.inference))
    .map(([queue]) => queue);
  return [
    issue(
      ['execution', 'queue'],
      'incompatible',
      `a ${input.kind} experiment cannot run on the ${input.queue} queue: ${capabilities.note ?? `it does not run ${input.kind}`}`,
      { allowed: { values: allowed } },
    ),
  ];
}

function trainingChecks(input: SemanticInput): SpecIssue[] {
  const out: SpecIssue[] = [];
  const training = input.training;
  if (!training) return out;
  if (training.scheduler && training.scheduler.step_size >= training.epochs) {
    out.push(
      issue(
        ['training', 'scheduler', 'step_size'],
        'incompatible',
        `the learning rate never changes: StepLR step_size ${training.scheduler.step_size} is not below epochs ${training.epochs}`,
        {
          severity: 'warning',
        },
      ),
    );
  }
  const samples = input.dataset ? trainSamples(input.dataset) : undefined;
  if (samples !== undefined && training.batch_size > samples) {
    out.push(
      issue(
        ['training', 'batch_size'],
        'incompatible',
        `batch_size ${training.batch_size} is larger than the ${samples} training samples: every epoch is one smaller batch`,
        {
          severity: 'warning',
        },
      ),
    );
  }
  if (training.checkpoint_every > training.epochs) {
    out.push(
      issue(
        ['training', 'checkpoint_every'],
        'incompatible',
        `checkpoint_every ${training.checkpoint_every} exceeds epochs ${training.epochs}: only the final checkpoint is written`,
        {
          severity: 'warning',
        },
      ),
    );
  }
  return out;
}

function quotaIssue(path: PathSegment[], what: string, value: number, max: number, hint: string): SpecIssue {
  return issue(
    path,
    'quota',
    `${what} is ${formatCount(value)}, above the limit of ${formatCount(max)}; ${hint}`,
    {
      allowed: { max },
    },
  );
}

export function formatCount(n: number): string {
  if (n >= 1e6) return n.toExponential(2).replace('e+', '·10^');
  return String(Math.round(n * 1000) / 1000);
}

function quotaChecks(
  input: SemanticInput,
  shapes: ShapeReport | undefined,
  quotas: Quotas,
  estimate: ExperimentEstimate,
): SpecIssue[] {
  const out: SpecIssue[] = [];
  if (input.layers && input.layers.length > quotas.maxLayers) {
    out.push(
      quotaIssue(
        ['model', 'layers'],
        'the number of layers',
        input.layers.length,
        quotas.maxLayers,
        'use a smaller model',
      ),
    );
  }
  if (shapes) {
    estimate.parameters = shapes.parameters;
    estimate.macsPerSample = shapes.macs;
    if (shapes.parameters > quotas.maxParameters) {
      out.push(
        quotaIssue(
          ['model', 'layers'],
          'the parameter count',
          shapes.parameters,
          quotas.maxParameters,
          'use fewer or smaller layers',
        ),
      );
    }
  }
  const training = input.kind === 'training' ? input.training : undefined;
  if (training) {
    if (training.epochs > quotas.maxEpochs) {
      out.push(
        quotaIssue(
          ['training', 'epochs'],
          'epochs',
          training.epochs,
          quotas.maxEpochs,
          'train for fewer epochs',
        ),
      );
    }
    if (training.batch_size > quotas.maxBatchSize) {
      out.push(
        quotaIssue(
          ['training', 'batch_size'],
          'batch_size',
          training.batch_size,
          quotas.maxBatchSize,
          'use smaller mini-batches',
        ),
      );
    }
    const samples = input.dataset ? trainSamples(input.dataset) : undefined;
    if (samples !== undefined) {
      const sampleEpochs = samples * training.epochs;
      estimate.trainSampleEpochs = sampleEpochs;
      if (sampleEpochs > quotas.maxTrainSampleEpochs) {
        out.push(
          quotaIssue(
            ['training', 'epochs'],
            `epochs × training samples (${training.epochs} × ${samples})`,
            sampleEpochs,
            quotas.maxTrainSampleEpochs,
            'use fewer epochs or a training subset (dataset.train_size)',
          ),
        );
      }
      if (shapes) {
        const macs = sampleEpochs * shapes.macs;
        estimate.trainMacs = macs;
        if (macs > quotas.maxTrainMacs) {
          out.push(
            quotaIssue(
              ['training', 'epochs'],
              'the training work (epochs × samples × multiply-accumulates per sample)',
              macs,
              quotas.maxTrainMacs,
              'use fewer epochs, a training subset or a smaller model',
            ),
          );
        }
      }
    }
  }
  const study = input.inference;
  if (study) {
    if (study.t_inference.length > quotas.maxInferenceTimes) {
      out.push(
        quotaIssue(
          ['inference', 't_inference'],
          'the number of t_inference points',
          study.t_inference.length,
          quotas.maxInferenceTimes,
          'evaluate at fewer times',
        ),
      );
    }
    if (study.repeats > quotas.maxInferenceRepeats) {
      out.push(
        quotaIssue(
          ['inference', 'repeats'],
          'repeats',
          study.repeats,
          quotas.maxInferenceRepeats,
          'use fewer repeats',
        ),
      );
    }
    const evaluations = study.t_inference.length * study.repeats;
    estimate.inferenceEvaluations = evaluations;
    if (evaluations > quotas.maxInferenceEvaluations) {
      out.push(
        quotaIssue(
          ['inference', 'repeats'],
          `t_inference points × repeats (${study.t_inference.length} × ${study.repeats})`,
          evaluations,
          quotas.maxInferenceEvaluations,
          'use fewer times or repeats',
        ),
      );
    }
    const tests = input.dataset ? testSamples(input.dataset) : undefined;
    if (tests !== undefined && shapes) {
      const macs = evaluations * tests * shapes.macs;
      estimate.inferenceMacs = macs;
      if (macs > quotas.maxInferenceMacs) {
        out.push(
          quotaIssue(
            ['inference', 'repeats'],
            'the drift-study work (points × repeats × test samples × multiply-accumulates per sample)',
            macs,
            quotas.maxInferenceMacs,
            'use fewer times, repeats or a test subset (dataset.test_size)',
          ),
        );
      }
    }
  }
  return out;
}

/** The layers of a stored spec, read defensively (the spec comes from storage, typed unknown). */
function storedLayers(spec: unknown): Record<string, unknown>[] | undefined {
  if (typeof spec !== 'object' || spec === null) return undefined;
  const model = (spec as Record<string, unknown>).model;
  if (typeof model !== 'object' || model === null) return undefined;
  const layers = (model as Record<string, unknown>).layers;
  return Array.isArray(layers)
    ? (layers.filter((l) => typeof l === 'object' && l !== null) as Record<string, unknown>[])
    : undefined;
}

/** The weight-carrying layers as comparable signatures (analog and digital versions are interchangeable). */
export function weightSignature(layers: readonly Record<string, unknown>[]): string[] {
  const pair = (v: unknown) => (Array.isArray(v) ? v.join('×') : `${String(v)}×${String(v)}`);
  const out: string[] = [];
  for (const layer of layers) {
    const type = String(layer.type);
    if (type === 'AnalogLinear' || type === 'Linear') {
      out.push(
        `Linear ${String(layer.in_features)}→${String(layer.out_features)}${layer.bias === false ? '' : ' +bias'}`,
      );
    } else if (type === 'AnalogConv2d' || type === 'Conv2d') {
      out.push(
        `Conv2d ${String(layer.in_channels)}→${String(layer.out_channels)} k${pair(layer.kernel_size)}${layer.bias === false ? '' : ' +bias'}`,
      );
    } else if (type === 'BatchNorm2d') {
      out.push(`BatchNorm2d ${String(layer.num_features)}${layer.affine === false ? '' : ' affine'}`);
    }
  }
  return out;
}

function weightsChecks(input: SemanticInput, context: SemanticContext): SpecIssue[] {
  const weights = input.weights;
  if (input.kind !== 'inference' || !weights || weights.source !== 'experiment') return [];
  const path: PathSegment[] = ['weights', 'experiment_id'];
  if (!context.lookupWeights) {
    return [
      issue(
        path,
        'weights',
        `the weights of experiment "${weights.experiment_id}" were not checked (no experiment store at hand)`,
        {
          severity: 'warning',
        },
      ),
    ];
  }
  let source: WeightsSource | undefined;
  try {
    source = context.lookupWeights(weights.experiment_id);
  } catch (error) {
    return [
      issue(
        path,
        'internal',
        `looking up experiment "${weights.experiment_id}" failed: ${error instanceof Error ? error.message : String(error)}`,
      ),
    ];
  }
  // Another user's experiment reads exactly like a missing one: its existence is not ours to reveal.
  if (!source || context.user === undefined || source.owner !== context.user) {
    return [issue(path, 'weights', `no training experiment "${weights.experiment_id}" of yours was found`)];
  }
  const kind = (source.spec as { kind?: unknown } | null)?.kind;
  if (kind !== 'training') {
    return [
      issue(
        path,
        'weights',
        `experiment "${weights.experiment_id}" is an ${String(kind)} experiment; weights come from a training experiment`,
      ),
    ];
  }
  if (source.status !== 'completed') {
    return [
      issue(
        path,
        'weights',
        `experiment "${weights.experiment_id}" is ${source.status}; weights can only be taken from a completed training experiment`,
        {
          allowed: { values: ['completed'] },
        },
      ),
    ];
  }
  const out: SpecIssue[] = [];
  const trained = storedLayers(source.spec);
  if (trained && input.layers && input.layers.every((l) => l !== undefined)) {
    const want = weightSignature(input.layers as unknown as Record<string, unknown>[]);
    const have = weightSignature(trained);
    const n = Math.max(want.length, have.length);
    for (let i = 0; i < n; i++) {
      if (want[i] !== have[i]) {
        out.push(
          issue(
            ['model', 'layers'],
            'weights',
            `the model does not match the weights of experiment "${weights.experiment_id}": its weight layer ${i + 1} is ` +
              `${want[i] ?? 'missing'}, the trained one is ${have[i] ?? 'missing'}`,
          ),
        );
        break;
      }
    }
  }
  const trainedData = (source.spec as { dataset?: { name?: unknown } }).dataset?.name;
  if (input.dataset && typeof trainedData === 'string' && trainedData !== input.dataset.name) {
    out.push(
      issue(
        ['dataset', 'name'],
        'weights',
        `the weights were trained on ${trainedData}, this experiment evaluates on ${input.dataset.name}`,
        {
          severity: 'warning',
        },
      ),
    );
  }
  return out;
}

/** Every semantic problem of the parsed parts, and the cost estimate. Never throws. */
export function semanticIssues(
  input: SemanticInput,
  context: SemanticContext,
): { issues: SpecIssue[]; estimate: ExperimentEstimate } {
  const estimate: ExperimentEstimate = {};
  const model = modelChecks(input);
  const issues = [
    ...model.issues,
    ...queueChecks(input),
    ...configChecks(input),
    ...inferenceChecks(input),
    ...trainingChecks(input),
    ...quotaChecks(input, model.shapes, context.quotas, estimate),
    ...weightsChecks(input, context),
  ];
  return { issues, estimate };
}
