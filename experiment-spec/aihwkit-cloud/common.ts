/**
 * What training and inference conversions share: the platform fields (ours only), the canonical
 * placement of RPU configurations, the data-set check, and the round-trip safety net of every export.
 */
import type { RPUConfig } from '../../sim-core/configs';
import { ANALOG_LAYER_TYPES } from '../../sim-core/configs';
import { type PathSegment, type SpecIssue, describeValue, issue } from '../issues';
import type { ExecutionSpec, ExperimentSpec } from '../schema';
import { deepEqual, firstDifference } from './deep';
import { CLOUD_DATASETS, CLOUD_NORMALIZATION } from './mappings';

/**
 * Run settings of ours that the cloud format has no place for. Export hands them back next to the bytes
 * (so nothing is dropped silently), import takes them (or uses our defaults).
 */
export interface PlatformFields {
  name?: string;
  description?: string;
  tags?: string[];
  execution?: Partial<ExecutionSpec>;
  /** training.seed, or inference.seed of an inference experiment. */
  seed?: number;
  /** training.checkpoint_every (training experiments). */
  checkpoint_every?: number;
  /** weights.seed of an inference experiment from initialisation. */
  weights_seed?: number;
}

export type ImportResult =
  { ok: true; spec: ExperimentSpec; issues: SpecIssue[] } | { ok: false; issues: SpecIssue[] };

export type ExportResult<M> =
  | {
      ok: true;
      bytes: Uint8Array;
      /** The message as encoded (plain object). */
      message: M;
      /** Our settings the format cannot carry: pass them to the import to restore the experiment. */
      platform: PlatformFields;
    }
  | { ok: false; issues: SpecIssue[] };

const ANALOG: readonly string[] = ANALOG_LAYER_TYPES;

export function isAnalogType(type: string): boolean {
  return ANALOG.includes(type);
}

/** Each analog layer's effective configuration (its own, or the experiment's), by layer index. */
export function effectiveConfigs(
  spec: ExperimentSpec,
): Map<number, { config: RPUConfig; path: PathSegment[] }> {
  const out = new Map<number, { config: RPUConfig; path: PathSegment[] }>();
  spec.model.layers.forEach((layer, index) => {
    if (!isAnalogType(layer.type)) return;
    const own = (layer as { rpu_config?: RPUConfig }).rpu_config;
    out.set(
      index,
      own
        ? { config: own, path: ['model', 'layers', index, 'rpu_config'] }
        : { config: spec.rpu_config, path: ['rpu_config'] },
    );
  });
  return out;
}

/**
 * The canonical placement the import produces: the first analog layer's configuration at the top, a
 * per-layer configuration only where a layer differs from it.
 */
export function placeConfigs(
  layers: Record<string, unknown>[],
  configs: Map<number, RPUConfig>,
  fallback: RPUConfig,
): RPUConfig {
  const first = [...configs.keys()].sort((a, b) => a - b)[0];
  const top = first === undefined ? fallback : (configs.get(first) as RPUConfig);
  for (const [index, config] of configs) {
    if (!deepEqual(config, top)) layers[index].rpu_config = config;
  }
  return top;
}

/** Our spec in the canonical form an import produces (configuration placement, torch pairs as numbers). */
export function canonical(spec: ExperimentSpec): unknown {
  const copy = JSON.parse(JSON.stringify(spec)) as ExperimentSpec & {
    model: { layers: Record<string, unknown>[] };
  };
  const configs = new Map<number, RPUConfig>();
  for (const [index, { config }] of effectiveConfigs(spec)) configs.set(index, config);
  for (const layer of copy.model.layers) {
    delete layer.rpu_config;
    for (const key of ['kernel_size', 'stride', 'padding', 'dilation']) {
      const value = layer[key];
      if (Array.isArray(value) && value[0] === value[1]) layer[key] = value[0];
    }
    if (layer.type === 'MaxPool2d' && layer.stride !== null && layer.stride === layer.kernel_size)
      layer.stride = null;
  }
  if (configs.size > 0) copy.rpu_config = placeConfigs(copy.model.layers, configs, copy.rpu_config);
  return copy;
}

/** The platform fields of a stored spec. */
export function platformOf(spec: ExperimentSpec): PlatformFields {
  const fields: PlatformFields = {
    name: spec.name,
    description: spec.description,
    tags: [...spec.tags],
    execution: { ...spec.execution },
  };
  if (spec.kind === 'training') {
    fields.seed = spec.training.seed;
    fields.checkpoint_every = spec.training.checkpoint_every;
  } else {
    fields.seed = spec.inference.seed;
    if (spec.weights.source === 'initialization') fields.weights_seed = spec.weights.seed;
  }
  return fields;
}

/**
 * The safety net of every export: the experiment read back from the bytes must equal the original (in
 * canonical form). Anything that differs could not be expressed, and is reported, never dropped.
 */
export function roundTripIssues(original: ExperimentSpec, imported: ImportResult): SpecIssue[] {
  if (!imported.ok) {
    return imported.issues.map((i) =>
      issue(i.segments, 'not_expressible', `the exported message would not import again: ${i.message}`),
    );
  }
  const difference = firstDifference(canonical(original), canonical(imported.spec));
  if (!difference) return [];
  return [
    issue(
      difference.path,
      'not_expressible',
      `${difference.path.join('.')} ${describeValue(difference.left)} cannot be carried by the cloud format (it would come back as ${describeValue(difference.right)})`,
    ),
  ];
}

/**
 * Whether the data set is one the cloud format can name, whole, with the normalisation AIHWKit's
 * cloud runner applies for `kind` (which the message cannot carry); `normalizeRule` says that rule.
 */
export function checkCloudDataset(
  dataset: ExperimentSpec['dataset'],
  kind: 'training' | 'inference',
  normalizeRule: (name: string, expected: unknown) => string,
  issues: SpecIssue[],
): void {
  if (!Object.values(CLOUD_DATASETS).includes(dataset.name)) {
    issues.push(
      issue(
        ['dataset', 'name'],
        'not_expressible',
        `the format's data sets are FashionMNIST and SVHN; ${dataset.name} is not among them`,
        { allowed: { values: ['fashion_mnist'] } },
      ),
    );
    return;
  }
  for (const key of ['train_size', 'test_size'] as const) {
    if (dataset[key] !== null) {
      issues.push(
        issue(
          ['dataset', key],
          'not_expressible',
          `${key} ${dataset[key]}: cloud runs use the whole data set (${key} must be null)`,
        ),
      );
    }
  }
  const expected = CLOUD_NORMALIZATION[kind][dataset.name] ?? null;
  if (!deepEqual(dataset.normalize, expected)) {
    issues.push(
      issue(
        ['dataset', 'normalize'],
        'not_expressible',
        `normalize ${JSON.stringify(dataset.normalize)}: ${normalizeRule(dataset.name, expected)}`,
      ),
    );
  }
}
