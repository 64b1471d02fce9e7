/**
 * Inference experiments ↔ the AIHW Composer's `InferenceInput` (AIHWKit's BasicInferencing in the
 * cloud): data set and batch size, the network with one RPU-configuration name for all analog layers and
 * a weight template, the analog settings (output noise, ADC and DAC bits), the noise model (PCM or
 * generic) with drift compensation on or off, repeats, and the inference time span (reference §7.3–7.4).
 */
import { InferenceRPUConfig, type RPUConfig } from '../../sim-core/configs';
import { type PathSegment, type SpecIssue, issue } from '../issues';
import { expandPreset, parseExperiment } from '../parse';
import { API_VERSION, type ExperimentSpec, aihwkitInferenceTimes } from '../schema';
import {
  type InferenceInputMessage,
  type NoiseModelFields,
  decodeCloudMessage,
  encodeCloudMessage,
} from './codec';
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
import {
  CLOUD_DATASETS,
  CLOUD_G_MAX,
  CLOUD_NORMALIZATION,
  DEFAULT_INFERENCE_CONFIG_NAME,
  INFERENCE_CONFIG_NAMES,
  INFERENCE_LAYERS,
} from './mappings';
import { exportLayers, importLayers } from './network';

type InferenceConfig = Extract<RPUConfig, { type: 'InferenceRPUConfig' }>;

/** What the format says about the analog hardware, shared by every analog layer. */
export interface AnalogSettings {
  output_noise_strength: number;
  adc: number;
  dac: number;
  noise:
    | ({ device_id: 'pcm' } & Omit<NoiseModelFields, 'device_id'>)
    | ({ device_id: 'generic'; drift_mean: number; drift_std: number } & Omit<NoiseModelFields, 'device_id'>);
}

/** AIHWKit's resolution from a number of bits: 1/(2^bits − 2) (0 bits gives −1: no quantisation). */
export function resolutionFromBits(bits: number): number {
  return 1 / (2 ** bits - 2);
}

/** The bits whose resolution is exactly `res`, if any (0 for −1, i.e. quantisation off). */
export function bitsFromResolution(res: number): number | undefined {
  if (res === -1) return 0;
  if (!(res > 0)) return undefined;
  const bits = Math.round(Math.log2(1 / res + 2));
  return bits >= 2 && bits <= 62 && resolutionFromBits(bits) === res ? bits : undefined;
}

/** AIHWKit's `RPUconfigInfo.create_inference_rpu_config`: the named configuration with the format's settings. */
export function rebuildInferenceConfig(name: string, settings: AnalogSettings): InferenceConfig {
  const base = (
    name === 'InferenceRPUConfig'
      ? InferenceRPUConfig.parse({ type: 'InferenceRPUConfig' })
      : expandPreset(name)
  ) as InferenceConfig;
  base.forward.out_noise = settings.output_noise_strength;
  base.forward.out_res = resolutionFromBits(settings.adc);
  base.forward.inp_res = resolutionFromBits(settings.dac);
  const n = settings.noise;
  const common = {
    g_max: CLOUD_G_MAX,
    prog_coeff: [n.poly_constant_coef, n.poly_first_order_coef, n.poly_second_order_coef],
    prog_noise_scale: n.programming_noise_scale,
    read_noise_scale: n.read_noise_scale,
    drift_scale: n.drift_scale,
  };
  const noise =
    n.device_id === 'pcm'
      ? { type: 'PCMLikeNoiseModel', ...common }
      : {
          type: 'StateIndependentNoiseModel',
          ...common,
          drift_nu_mean: n.drift_mean,
          drift_nu_std: n.drift_std,
        };
  const config = InferenceRPUConfig.parse({
    ...base,
    noise_model: noise,
    drift_compensation: n.drift_compensation ? { type: 'GlobalDriftCompensation' } : null,
  });
  return config as InferenceConfig;
}

function bitsIssue(path: PathSegment[], name: string, bits: number): SpecIssue | undefined {
  if (bits === 0 || (bits >= 2 && bits <= 62)) return undefined;
  return issue(
    path,
    'invalid_value',
    `${name} ${bits}: AIHWKit's resolution 1/(2^${name} − 2) needs 0 (off) or at least 2 bits`,
    {
      allowed: { min: 2, max: 62, integer: true },
    },
  );
}

/** Read an `InferenceInput` (binary protobuf) as our inference experiment. */
export function importInferenceInput(bytes: Uint8Array, platform: PlatformFields = {}): ImportResult {
  const decoded = decodeCloudMessage('InferenceInput', bytes);
  if (!decoded.ok) return { ok: false, issues: [issue([], 'invalid_value', decoded.error)] };
  const message = decoded.message;
  const issues: SpecIssue[] = [];
  if (message.version.schema !== 1 || message.version.opset !== 1) {
    issues.push(
      issue(
        ['version'],
        'not_expressible',
        `format version ${message.version.schema}.${message.version.opset}; we read version 1.1`,
      ),
    );
  }
  const datasetName = CLOUD_DATASETS[message.dataset.dataset_id];
  if (!datasetName) {
    issues.push(
      issue(
        ['dataset', 'dataset_id'],
        'not_expressible',
        `data set "${message.dataset.dataset_id}" is not one of ours (we have fashion_mnist of the format's data sets)`,
        { allowed: { values: ['fashion_mnist'] } },
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

  const imported = importLayers(message.network.layers, INFERENCE_LAYERS, ['network', 'layers'], issues);
  const layers = imported.map((l) => l.layer);
  const names = new Set<string>();
  const analogIndices: number[] = [];
  imported.forEach((l, index) => {
    if (!isAnalogType(String(l.layer.type))) return;
    analogIndices.push(index);
    if (l.rpuConfigName !== undefined) names.add(l.rpuConfigName);
  });
  if (imported.length > 0 && analogIndices.length === 0) {
    issues.push(
      issue(
        ['network', 'layers'],
        'invalid_value',
        'the network has no analog layer (AIHWKit rejects such an inference experiment too)',
      ),
    );
  }
  if (names.size > 1) {
    issues.push(
      issue(
        ['network', 'layers'],
        'invalid_value',
        `all analog layers must name the same rpu_config (got ${[...names].join(', ')})`,
      ),
    );
  }
  const configName = names.size === 1 ? [...names][0] : DEFAULT_INFERENCE_CONFIG_NAME;
  if (!(INFERENCE_CONFIG_NAMES as readonly string[]).includes(configName)) {
    issues.push(
      issue(
        ['network', 'layers'],
        'not_expressible',
        `rpu_config "${configName}" is not one of ${INFERENCE_CONFIG_NAMES.join(', ')}`,
        { allowed: { values: [...INFERENCE_CONFIG_NAMES] } },
      ),
    );
  }

  const info = message.inferencing;
  const adc = info.analog_info.adc ?? 0;
  const dac = info.analog_info.dac ?? 0;
  for (const problem of [
    bitsIssue(['inferencing', 'analog_info', 'adc'], 'adc', adc),
    bitsIssue(['inferencing', 'analog_info', 'dac'], 'dac', dac),
  ]) {
    if (problem) issues.push(problem);
  }
  const pcm = info.noise_model_info.pcm;
  const generic = info.noise_model_info.generic;
  let noise: AnalogSettings['noise'] | undefined;
  const floats = (n: NoiseModelFields) => ({
    programming_noise_scale: fromFloat32(n.programming_noise_scale),
    read_noise_scale: fromFloat32(n.read_noise_scale),
    drift_scale: fromFloat32(n.drift_scale),
    drift_compensation: n.drift_compensation,
    poly_first_order_coef: fromFloat32(n.poly_first_order_coef),
    poly_second_order_coef: fromFloat32(n.poly_second_order_coef),
    poly_constant_coef: fromFloat32(n.poly_constant_coef),
  });
  if (pcm) {
    if (pcm.device_id !== 'pcm') {
      issues.push(
        issue(
          ['inferencing', 'noise_model_info', 'pcm', 'device_id'],
          'invalid_value',
          `a pcm noise model with device_id "${pcm.device_id}"`,
          { allowed: { values: ['pcm'] } },
        ),
      );
    }
    noise = { device_id: 'pcm', ...floats(pcm) };
  } else if (generic) {
    if (generic.device_id !== 'generic') {
      issues.push(
        issue(
          ['inferencing', 'noise_model_info', 'generic', 'device_id'],
          'invalid_value',
          `a generic noise model with device_id "${generic.device_id}"`,
          { allowed: { values: ['generic'] } },
        ),
      );
    }
    noise = {
      device_id: 'generic',
      ...floats(generic),
      drift_mean: fromFloat32(generic.drift_mean),
      drift_std: fromFloat32(generic.drift_std),
    };
  } else {
    issues.push(
      issue(['inferencing', 'noise_model_info'], 'missing', 'the noise model (pcm or generic) is missing'),
    );
  }
  if (!(info.inference_time >= 1)) {
    issues.push(
      issue(
        ['inferencing', 'inference_time'],
        'out_of_range',
        `inference_time ${info.inference_time}: AIHWKit evaluates at 0 and log-spaced times from 1 s to inference_time, which needs at least 1 s`,
        { allowed: { min: 1, integer: true } },
      ),
    );
  }
  if (issues.length > 0 || !datasetName || !noise) return { ok: false, issues };

  const settings: AnalogSettings = {
    output_noise_strength: fromFloat32(info.analog_info.output_noise_strength),
    adc,
    dac,
    noise,
  };
  const config = rebuildInferenceConfig(configName, settings);
  const configs = new Map<number, RPUConfig>(analogIndices.map((i) => [i, config]));
  const rpu_config = placeConfigs(layers, configs, config);
  const template = message.network.weight_template_id;
  const document = {
    apiVersion: API_VERSION,
    kind: 'inference',
    name:
      platform.name ??
      `aihwkit inference cloud experiment (${message.dataset.dataset_id}, ${layers.length} layers)`,
    description: platform.description ?? '',
    tags: platform.tags ?? [],
    execution: platform.execution ?? {},
    dataset: {
      name: datasetName,
      train_size: null,
      test_size: null,
      normalize: CLOUD_NORMALIZATION.inference[datasetName] ?? null,
    },
    model: { layers },
    weights:
      template === ''
        ? {
            source: 'initialization',
            ...(platform.weights_seed === undefined ? {} : { seed: platform.weights_seed }),
          }
        : { source: 'experiment', experiment_id: template, remap_weights: true },
    rpu_config,
    inference: {
      t_inference: aihwkitInferenceTimes(info.inference_time),
      repeats: info.inference_repeats,
      batch_size: message.dataset.batch_size,
      loss: { type: 'NLLLoss' },
      ...(platform.seed === undefined ? {} : { seed: platform.seed }),
    },
  };
  const parsed = parseExperiment(document);
  return parsed.ok ? { ok: true, spec: parsed.spec, issues: [] } : { ok: false, issues: parsed.issues };
}

/** The format's analog settings that rebuild `config` exactly, or a precise reason there are none. */
function settingsOf(
  config: InferenceConfig,
  path: PathSegment[],
  issues: SpecIssue[],
): { name: string; settings: AnalogSettings } | undefined {
  const before = issues.length;
  const nm = config.noise_model;
  if (nm.type !== 'PCMLikeNoiseModel' && nm.type !== 'StateIndependentNoiseModel') {
    issues.push(
      issue(
        [...path, 'noise_model', 'type'],
        'not_expressible',
        `noise model ${nm.type}: the format knows PCMLikeNoiseModel ("pcm") and StateIndependentNoiseModel ("generic")`,
        { allowed: { values: ['PCMLikeNoiseModel', 'StateIndependentNoiseModel'] } },
      ),
    );
    return undefined;
  }
  const floatsToCheck: [PathSegment[], number][] = [
    [[...path, 'forward', 'out_noise'], config.forward.out_noise],
    [[...path, 'noise_model', 'prog_noise_scale'], nm.prog_noise_scale],
    [[...path, 'noise_model', 'read_noise_scale'], nm.read_noise_scale],
    [[...path, 'noise_model', 'drift_scale'], nm.drift_scale],
    ...nm.prog_coeff.map((c, i): [PathSegment[], number] => [[...path, 'noise_model', 'prog_coeff', i], c]),
  ];
  if (nm.type === 'StateIndependentNoiseModel') {
    floatsToCheck.push(
      [[...path, 'noise_model', 'drift_nu_mean'], nm.drift_nu_mean],
      [[...path, 'noise_model', 'drift_nu_std'], nm.drift_nu_std],
    );
  }
  for (const [at, value] of floatsToCheck) {
    if (!float32Exact(value)) {
      issues.push(
        issue(
          at,
          'not_expressible',
          `${value} cannot be carried exactly: the format stores 32-bit floats (it would become ${fromFloat32(Math.fround(value))})`,
        ),
      );
    }
  }
  const adc = bitsFromResolution(config.forward.out_res);
  const dac = bitsFromResolution(config.forward.inp_res);
  if (adc === undefined) {
    issues.push(
      issue(
        [...path, 'forward', 'out_res'],
        'not_expressible',
        `out_res ${config.forward.out_res}: the format carries ADC bits n (out_res = 1/(2^n − 2), or −1 for none)`,
      ),
    );
  }
  if (dac === undefined) {
    issues.push(
      issue(
        [...path, 'forward', 'inp_res'],
        'not_expressible',
        `inp_res ${config.forward.inp_res}: the format carries DAC bits n (inp_res = 1/(2^n − 2), or −1 for none)`,
      ),
    );
  }
  if (issues.length > before || adc === undefined || dac === undefined) return undefined;
  const shared = {
    programming_noise_scale: nm.prog_noise_scale,
    read_noise_scale: nm.read_noise_scale,
    drift_scale: nm.drift_scale,
    drift_compensation: config.drift_compensation !== null,
    poly_constant_coef: nm.prog_coeff[0],
    poly_first_order_coef: nm.prog_coeff[1],
    poly_second_order_coef: nm.prog_coeff[2],
  };
  const settings: AnalogSettings = {
    output_noise_strength: config.forward.out_noise,
    adc,
    dac,
    noise:
      nm.type === 'PCMLikeNoiseModel'
        ? { device_id: 'pcm', ...shared }
        : { device_id: 'generic', ...shared, drift_mean: nm.drift_nu_mean, drift_std: nm.drift_nu_std },
  };
  let closest: { name: string; count: number; rebuilt: InferenceConfig } | undefined;
  for (const name of INFERENCE_CONFIG_NAMES) {
    const rebuilt = rebuildInferenceConfig(name, settings);
    if (deepEqual(config, rebuilt)) return { name, settings };
    const count = differenceCount(config, rebuilt);
    if (!closest || count < closest.count) closest = { name, count, rebuilt };
  }
  const where = closest ? firstDifference(config, closest.rebuilt) : undefined;
  const at = where ? [...path, ...where.path] : path;
  issues.push(
    issue(
      at,
      'not_expressible',
      `the format rebuilds the configuration from ${INFERENCE_CONFIG_NAMES.join(' / ')} with only the output noise, ADC/DAC bits, ` +
        `noise model and drift compensation; ${where ? `${where.path.join('.')} ${JSON.stringify(where.left)} would become ${JSON.stringify(where.right)} (closest: ${closest?.name})` : 'it differs'}`,
    ),
  );
  return undefined;
}

/** Write our inference experiment as an `InferenceInput`; anything the format cannot carry is an issue. */
export function exportInferenceInput(document: unknown): ExportResult<InferenceInputMessage> {
  const parsed = parseExperiment(document);
  if (!parsed.ok) return { ok: false, issues: parsed.issues };
  const spec: ExperimentSpec = parsed.spec;
  if (spec.kind !== 'inference') {
    return {
      ok: false,
      issues: [
        issue(
          ['kind'],
          'not_expressible',
          'an InferenceInput carries an inference experiment; use exportTrainingInput for training',
          { allowed: { values: ['inference'] } },
        ),
      ],
    };
  }
  const issues: SpecIssue[] = [];
  checkCloudDataset(
    spec.dataset,
    'inference',
    (name) => `AIHWKit's BasicInferencing reads ${name} without normalisation (normalize must be null)`,
    issues,
  );
  const study = spec.inference;
  if (study.loss.type !== 'NLLLoss') {
    issues.push(
      issue(
        ['inference', 'loss', 'type'],
        'not_expressible',
        `loss ${study.loss.type}: AIHWKit's cloud converter always evaluates with NLLLoss`,
        { allowed: { values: ['NLLLoss'] } },
      ),
    );
  }
  const last = study.t_inference[study.t_inference.length - 1];
  const span = Math.round(last);
  if (!(span >= 1) || !deepEqual(study.t_inference, aihwkitInferenceTimes(span))) {
    issues.push(
      issue(
        ['inference', 't_inference'],
        'not_expressible',
        "the format carries only an inference time T, evaluated at 0 and nine log-spaced times from 1 s to T (AIHWKit's BasicInferencing); t_inference must be exactly those ten times",
      ),
    );
  }
  if (spec.weights.source === 'experiment' && !spec.weights.remap_weights) {
    issues.push(
      issue(
        ['weights', 'remap_weights'],
        'not_expressible',
        "AIHWKit's BasicInferencing always remaps loaded weights (remap_weights must be true)",
      ),
    );
  }

  const configs = effectiveConfigs(spec);
  let analog: { name: string; settings: AnalogSettings } | undefined;
  let reference: { config: RPUConfig; path: PathSegment[] } | undefined;
  for (const [, entry] of configs) {
    if (!reference) {
      reference = entry;
      analog = settingsOf(entry.config as InferenceConfig, entry.path, issues);
    } else if (!deepEqual(entry.config, reference.config)) {
      const where = firstDifference(entry.config, reference.config);
      issues.push(
        issue(
          [...entry.path, ...(where?.path ?? [])],
          'not_expressible',
          "the format has one analog configuration for all layers; this layer's differs from the first analog layer's",
        ),
      );
    }
  }
  if (!reference)
    issues.push(
      issue(['model', 'layers'], 'not_expressible', 'an inference network needs at least one analog layer'),
    );
  const layers = exportLayers(
    spec.model.layers,
    () => (analog ? [{ name: 'rpu_config', s: new TextEncoder().encode(analog.name), type: 'STRING' }] : []),
    issues,
  );
  if (issues.length > 0 || !analog) return { ok: false, issues };

  const { settings } = analog;
  const noise = settings.noise;
  const message: InferenceInputMessage = {
    version: { schema: 1, opset: 1 },
    dataset: { dataset_id: spec.dataset.name, batch_size: study.batch_size },
    network: {
      weight_template_id: spec.weights.source === 'experiment' ? spec.weights.experiment_id : '',
      layers,
    },
    inferencing: {
      inference_repeats: study.repeats,
      inference_time: span,
      analog_info: {
        output_noise_strength: settings.output_noise_strength,
        adc: settings.adc,
        dac: settings.dac,
      },
      noise_model_info: noise.device_id === 'pcm' ? { pcm: noise } : { generic: noise },
    },
  };
  const bytes = encodeCloudMessage('InferenceInput', message);
  const platform = platformOf(spec);
  const safety = roundTripIssues(spec, importInferenceInput(bytes, platform));
  if (safety.length > 0) return { ok: false, issues: safety };
  return { ok: true, bytes, message, platform };
}
