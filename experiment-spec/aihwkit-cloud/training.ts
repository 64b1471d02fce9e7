/**
 * Training experiments ↔ the AIHW Composer's `TrainingInput` (AIHWKit's BasicTraining in the cloud):
 * data set and batch size, the network with a preset name per analog layer, AnalogSGD with one learning
 * rate, the loss and the number of epochs (reference §7.3–7.4).
 */
import { RPUConfig } from '../../sim-core/configs';
import { type PathSegment, type SpecIssue, issue } from '../issues';
import { expandPreset, parseExperiment } from '../parse';
import { API_VERSION, type ExperimentSpec } from '../schema';
import { type TrainingInputMessage, decodeCloudMessage, encodeCloudMessage } from './codec';
import {
  type ExportResult,
  type ImportResult,
  type PlatformFields,
  checkCloudDataset,
  effectiveConfigs,
  isAnalogType,
  placeConfigs,
  platformOf,
  roundTripIssues,
} from './common';
import { deepEqual, differenceCount, firstDifference } from './deep';
import { float32Exact, fromFloat32 } from './floats';
import { CLOUD_DATASETS, CLOUD_NORMALIZATION, LOSSES, TRAINING_LAYERS, TRAINING_PRESETS } from './mappings';
import { checkFloat, exportLayers, importLayers } from './network';

const INT32_MAX = 2 ** 31 - 1;

function versionIssues(version: { schema: number; opset: number }): SpecIssue[] {
  if (version.schema === 1 && version.opset === 1) return [];
  return [
    issue(
      ['version'],
      'not_expressible',
      `format version ${version.schema}.${version.opset}; we read version 1.1 (schema 1, opset 1)`,
      {
        allowed: { values: [1] },
      },
    ),
  ];
}

/** The preset with `weight_scaling_omega` carried separately, as the format's analog layers do. */
function presetWithOmega(name: string, omega: number | undefined): RPUConfig | undefined {
  const config = expandPreset(name);
  if (!config || omega === undefined || !('mapping' in config)) return config;
  // AIHWKit's reader assigns this to a misspelt attribute (`weights_scaling_omega`) and so ignores it
  // (reference §10, item 16); we apply it where it was meant to go.
  config.mapping.weight_scaling_omega = omega;
  return config;
}

/** Read a `TrainingInput` (binary protobuf) as our training experiment. */
export function importTrainingInput(bytes: Uint8Array, platform: PlatformFields = {}): ImportResult {
  const decoded = decodeCloudMessage('TrainingInput', bytes);
  if (!decoded.ok) return { ok: false, issues: [issue([], 'invalid_value', decoded.error)] };
  const message = decoded.message;
  const issues: SpecIssue[] = [...versionIssues(message.version)];

  const datasetName = CLOUD_DATASETS[message.dataset.dataset_id];
  if (!datasetName) {
    issues.push(
      issue(
        ['dataset', 'dataset_id'],
        'not_expressible',
        `data set "${message.dataset.dataset_id}" is not one of ours (we have fashion_mnist of the format's data sets)`,
        {
          allowed: { values: ['fashion_mnist'] },
        },
      ),
    );
  }
  if ((message.dataset.transforms ?? []).length > 0) {
    issues.push(
      issue(
        ['dataset', 'transforms'],
        'not_expressible',
        'data-set transforms are not imported (AIHWKit applies its own fixed normalisation and ignores them)',
      ),
    );
  }
  if (message.dataset.batch_size === undefined) {
    issues.push(
      issue(
        ['dataset', 'batch_size'],
        'missing',
        "dataset.batch_size is missing (AIHWKit's client always writes it)",
      ),
    );
  }

  const imported = importLayers(message.network.layers, TRAINING_LAYERS, ['network', 'layers'], issues);
  const layers = imported.map((l) => l.layer);
  const configs = new Map<number, RPUConfig>();
  imported.forEach((l, index) => {
    if (!isAnalogType(String(l.layer.type))) return;
    const name = l.rpuConfigName;
    if (name === undefined) {
      // Without the argument AIHWKit builds the layer with its default configuration.
      configs.set(index, expandDefault());
      return;
    }
    if (!(TRAINING_PRESETS as readonly string[]).includes(name)) {
      issues.push(
        issue(
          ['network', 'layers', index, 'layer', 'arguments'],
          'not_expressible',
          `rpu_config "${name}" is not one of the presets the format allows for training`,
          {
            allowed: { values: [...TRAINING_PRESETS] },
          },
        ),
      );
      return;
    }
    const config = presetWithOmega(name, l.weightScalingOmega);
    if (config) configs.set(index, config);
  });

  const training = message.training;
  const optimizer = training.optimizer;
  let lr: number | undefined;
  if (optimizer.id !== 'AnalogSGD') {
    issues.push(
      issue(
        ['training', 'optimizer', 'id'],
        'not_expressible',
        `optimizer "${optimizer.id}": the format's only optimizer is AnalogSGD`,
        { allowed: { values: ['AnalogSGD'] } },
      ),
    );
  } else {
    const args = optimizer.arguments ?? [];
    if (args.length !== 1 || args[0].name !== 'lr') {
      issues.push(
        issue(
          ['training', 'optimizer', 'arguments'],
          'not_expressible',
          `AnalogSGD takes exactly one argument, "lr" (got ${args.map((a) => a.name ?? '?').join(', ') || 'none'})`,
        ),
      );
    } else lr = fromFloat32(args[0].f ?? 0);
  }
  if (training.scheduler) {
    issues.push(
      issue(
        ['training', 'scheduler'],
        'not_expressible',
        `a learning-rate scheduler ("${training.scheduler.id}") is not imported: AIHWKit's cloud runner ignores schedulers, so importing one would change the run`,
      ),
    );
  }
  const loss = training.loss_function?.id;
  if (loss === undefined)
    issues.push(issue(['training', 'loss_function'], 'missing', 'training.loss_function is missing'));
  else if (!(LOSSES as readonly string[]).includes(loss)) {
    issues.push(
      issue(['training', 'loss_function', 'id'], 'invalid_value', `unknown loss "${loss}"`, {
        allowed: { values: [...LOSSES] },
      }),
    );
  } else if ((training.loss_function?.arguments ?? []).length > 0) {
    issues.push(
      issue(
        ['training', 'loss_function', 'arguments'],
        'not_expressible',
        `${loss} takes no arguments in the format`,
      ),
    );
  }
  if (training.epochs === undefined)
    issues.push(issue(['training', 'epochs'], 'missing', 'training.epochs is missing'));
  if (issues.length > 0 || !datasetName) return { ok: false, issues };

  const rpu_config = placeConfigs(layers, configs, expandDefault());
  const document = {
    apiVersion: API_VERSION,
    kind: 'training',
    name:
      platform.name ?? `aihwkit cloud experiment (${message.dataset.dataset_id}, ${layers.length} layers)`,
    description: platform.description ?? '',
    tags: platform.tags ?? [],
    execution: platform.execution ?? {},
    dataset: {
      name: datasetName,
      train_size: null,
      test_size: null,
      normalize: CLOUD_NORMALIZATION.training[datasetName] ?? null,
    },
    model: { layers },
    rpu_config,
    training: {
      epochs: training.epochs,
      batch_size: message.dataset.batch_size,
      optimizer: { type: 'AnalogSGD', lr },
      scheduler: null,
      loss: { type: loss },
      ...(platform.seed === undefined ? {} : { seed: platform.seed }),
      ...(platform.checkpoint_every === undefined ? {} : { checkpoint_every: platform.checkpoint_every }),
    },
  };
  const parsed = parseExperiment(document);
  return parsed.ok ? { ok: true, spec: parsed.spec, issues: [] } : { ok: false, issues: parsed.issues };
}

/** AIHWKit's default configuration of an analog layer: SingleRPUConfig() with a ConstantStepDevice. */
function expandDefault(): RPUConfig {
  return RPUConfig.parse({ type: 'SingleRPUConfig' });
}

/** The training preset (and weight_scaling_omega) a configuration is, or a precise reason it is none. */
function presetOf(
  config: RPUConfig,
  path: PathSegment[],
  issues: SpecIssue[],
): { name: string; omega: number } | undefined {
  const omega = 'mapping' in config ? config.mapping.weight_scaling_omega : 0;
  let closest: { name: string; count: number } | undefined;
  for (const name of TRAINING_PRESETS) {
    const candidate = presetWithOmega(name, omega) as RPUConfig;
    if (deepEqual(config, candidate)) return { name, omega };
    const count = differenceCount(config, candidate);
    if (!closest || count < closest.count) closest = { name, count };
  }
  const nearest = closest ? (presetWithOmega(closest.name, omega) as RPUConfig) : undefined;
  const where = nearest ? firstDifference(config, nearest) : undefined;
  const detail =
    where && closest
      ? `; the closest is ${closest.name}, which differs at ${where.path.join('.')} (${JSON.stringify(where.left)} here, ${JSON.stringify(where.right)} there)`
      : '';
  issues.push(
    issue(
      path,
      'not_expressible',
      `the format names a configuration by preset only, and this ${config.type} is none of its ${TRAINING_PRESETS.length} training presets${detail}`,
      {
        allowed: { values: [...TRAINING_PRESETS] },
      },
    ),
  );
  return undefined;
}

/** Write our training experiment as a `TrainingInput`; anything the format cannot carry is an issue. */
export function exportTrainingInput(document: unknown): ExportResult<TrainingInputMessage> {
  const parsed = parseExperiment(document);
  if (!parsed.ok) return { ok: false, issues: parsed.issues };
  const spec: ExperimentSpec = parsed.spec;
  if (spec.kind !== 'training') {
    return {
      ok: false,
      issues: [
        issue(
          ['kind'],
          'not_expressible',
          'a TrainingInput carries a training experiment; use exportInferenceInput for inference',
          { allowed: { values: ['training'] } },
        ),
      ],
    };
  }
  const issues: SpecIssue[] = [];
  checkCloudDataset(
    spec.dataset,
    'training',
    (name, expected) => `AIHWKit's BasicTraining always normalises ${name} with ${JSON.stringify(expected)}`,
    issues,
  );
  const training = spec.training;
  const sgd = training.optimizer;
  for (const [key, neutral] of [
    ['momentum', 0],
    ['dampening', 0],
    ['weight_decay', 0],
    ['nesterov', false],
  ] as const) {
    if (sgd[key] !== neutral) {
      issues.push(
        issue(
          ['training', 'optimizer', key],
          'not_expressible',
          `AnalogSGD ${key} ${String(sgd[key])}: the format carries the learning rate only (${key} must be ${String(neutral)})`,
        ),
      );
    }
  }
  checkFloat(sgd.lr, ['training', 'optimizer', 'lr'], 'lr', issues);
  if (training.scheduler !== null) {
    issues.push(
      issue(
        ['training', 'scheduler'],
        'not_expressible',
        `the learning-rate scheduler ${training.scheduler.type}: AIHWKit's cloud runner uses a constant learning rate`,
      ),
    );
  }
  if (training.epochs > INT32_MAX || training.batch_size > INT32_MAX) {
    issues.push(
      issue(['training'], 'not_expressible', 'epochs and batch_size are 32-bit integers in the format'),
    );
  }
  if (spec.inference !== undefined) {
    issues.push(
      issue(
        ['inference'],
        'not_expressible',
        'a drift study after training has no place in a TrainingInput; export it as a separate inference experiment',
      ),
    );
  }

  const presets = new Map<number, { name: string; omega: number }>();
  for (const [index, { config, path }] of effectiveConfigs(spec)) {
    const found = presetOf(config, path, issues);
    if (found) {
      if (!float32Exact(found.omega))
        checkFloat(found.omega, [...path, 'mapping', 'weight_scaling_omega'], 'weight_scaling_omega', issues);
      presets.set(index, found);
    }
  }
  const layers = exportLayers(
    spec.model.layers,
    (index) => {
      const preset = presets.get(index);
      return preset
        ? [
            { name: 'rpu_config', s: new TextEncoder().encode(preset.name), type: 'STRING' },
            { name: 'weight_scaling_omega', f: preset.omega, type: 'FLOAT' },
          ]
        : [];
    },
    issues,
  );
  if (issues.length > 0) return { ok: false, issues };

  const message: TrainingInputMessage = {
    version: { schema: 1, opset: 1 },
    dataset: { dataset_id: spec.dataset.name, batch_size: training.batch_size },
    network: { layers },
    training: {
      optimizer: { id: 'AnalogSGD', arguments: [{ name: 'lr', f: sgd.lr, type: 'FLOAT' }] },
      loss_function: { id: training.loss.type },
      epochs: training.epochs,
    },
  };
  const bytes = encodeCloudMessage('TrainingInput', message);
  const platform = platformOf(spec);
  const safety = roundTripIssues(spec, importTrainingInput(bytes, platform));
  if (safety.length > 0) return { ok: false, issues: safety };
  return { ok: true, bytes, message, platform };
}
