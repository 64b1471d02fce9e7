/**
 * The AIHW Composer format, checked against bytes made by AIHWKit 1.1.0's own converter
 * (`fixtures/generate.py`): decode/encode, import, export, round trips, and everything either side cannot
 * express being rejected with a clear message.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { RPU_CONFIG_PRESETS } from '../../sim-core/configs';
import { parseExperiment } from '../parse';
import { fromFloat32 } from './floats';
import type { ExperimentResults } from '../../contracts/results';
import { type ExperimentSpec, aihwkitInferenceTimes } from '../schema';
import { validateExperiment } from '../validate';
import {
  type CloudMessageName,
  cloudMessageType,
  decodeCloudMessage,
  encodeCloudMessage,
  exportInferenceInput,
  exportInferencingOutput,
  exportTrainingInput,
  exportTrainingOutput,
  importInferenceInput,
  importInferencingOutput,
  importTrainingInput,
  importTrainingOutput,
  TRAINING_PRESETS,
} from './index';

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- test documents are edited freely

function fixture(name: string): Uint8Array {
  return new Uint8Array(readFileSync(join(__dirname, 'fixtures', name)));
}

function spec(document: unknown): ExperimentSpec {
  const parsed = parseExperiment(document);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues, null, 2));
  return parsed.spec;
}

const utf8 = (s: string) => new TextEncoder().encode(s);

/** The FC network of AIHWKit's cloud documentation, full size (every image, 30 epochs). */
function fcTraining(): Doc {
  return {
    apiVersion: 'analog-composer/v1',
    kind: 'training',
    name: 'aihwkit cloud experiment (fashion_mnist, 7 layers)',
    dataset: { name: 'fashion_mnist' },
    model: {
      layers: [
        { type: 'Flatten' },
        { type: 'AnalogLinear', in_features: 784, out_features: 256 },
        { type: 'Sigmoid' },
        { type: 'AnalogLinear', in_features: 256, out_features: 128 },
        { type: 'Sigmoid' },
        { type: 'AnalogLinear', in_features: 128, out_features: 10 },
        { type: 'LogSoftmax', dim: 1 },
      ],
    },
    rpu_config: 'ReRamESPreset',
    training: {
      epochs: 30,
      batch_size: 64,
      optimizer: { type: 'AnalogSGD', lr: 0.05 },
      loss: { type: 'NLLLoss' },
    },
  };
}

function lenetTraining(): Doc {
  return {
    apiVersion: 'analog-composer/v1',
    kind: 'training',
    name: 'LeNet-ish with mixed presets',
    description: 'digital first layer, batch norm, leaky ReLU, two presets',
    tags: ['cloud', 'round-trip'],
    execution: { queue: 'gpu', priority: 1 },
    dataset: { name: 'fashion_mnist' },
    model: {
      layers: [
        { type: 'Conv2d', in_channels: 1, out_channels: 8, kernel_size: 3, padding: 1 },
        { type: 'BatchNorm2d', num_features: 8 },
        { type: 'LeakyReLU', negative_slope: 0.125 },
        {
          type: 'AnalogConv2d',
          in_channels: 8,
          out_channels: 16,
          kernel_size: [5, 3],
          stride: [1, 2],
          bias: false,
        },
        { type: 'Tanh' },
        { type: 'MaxPool2d', kernel_size: 2, ceil_mode: true },
        { type: 'Flatten' },
        {
          type: 'AnalogLinear',
          in_features: 16 * 12 * 7,
          out_features: 64,
          rpu_config: 'TikiTakaEcRamPreset',
        },
        { type: 'ReLU' },
        { type: 'Linear', in_features: 64, out_features: 10, bias: false },
        { type: 'LogSoftmax', dim: 1 },
      ],
    },
    rpu_config: 'MixedPrecisionCapacitorPreset',
    training: {
      epochs: 12,
      batch_size: 32,
      optimizer: { type: 'AnalogSGD', lr: 0.1 },
      loss: { type: 'CrossEntropyLoss' },
      seed: 7,
      checkpoint_every: 3,
    },
  };
}

function inferenceDoc(): Doc {
  const webComposer = RPU_CONFIG_PRESETS.WebComposerInferenceRPUConfig();
  return {
    apiVersion: 'analog-composer/v1',
    kind: 'inference',
    name: 'drift of a trained FC network',
    tags: ['pcm'],
    dataset: { name: 'fashion_mnist', normalize: null },
    model: {
      layers: [
        { type: 'Flatten' },
        { type: 'AnalogLinear', in_features: 784, out_features: 256 },
        { type: 'ReLU' },
        { type: 'AnalogLinear', in_features: 256, out_features: 10 },
        { type: 'LogSoftmax', dim: 1 },
      ],
    },
    weights: { source: 'experiment', experiment_id: 'exp-123' },
    rpu_config: {
      ...webComposer,
      forward: { ...webComposer.forward, out_noise: 0.04, inp_res: 1 / 254, out_res: 1 / 510 },
      noise_model: {
        type: 'StateIndependentNoiseModel',
        g_max: 25,
        prog_coeff: [0.2, 0.01, 0],
        drift_nu_mean: 0.08,
        drift_nu_std: 0.02,
        read_noise_scale: 0.5,
      },
      drift_compensation: null,
    },
    inference: {
      t_inference: aihwkitInferenceTimes(3600),
      repeats: 5,
      batch_size: 100,
      loss: { type: 'NLLLoss' },
      seed: 3,
    },
  };
}

describe('protobuf codec', () => {
  it.each([
    ['fc_fashion_reram_es.training.bin', 'TrainingInput'],
    ['fc_fashion_pcm.inference.bin', 'InferenceInput'],
    ['training_output.bin', 'TrainingOutput'],
    ['inferencing_output.bin', 'InferencingOutput'],
  ] as const)(
    'decodes %s (AIHWKit-made) and encodes it back byte for byte',
    (file, name: CloudMessageName) => {
      const bytes = fixture(file);
      const decoded = decodeCloudMessage(name, bytes);
      if (!decoded.ok) throw new Error(decoded.error);
      expect(Buffer.from(encodeCloudMessage(name, decoded.message))).toEqual(Buffer.from(bytes));
    },
  );

  it('reports malformed bytes and missing required fields instead of throwing', () => {
    expect(decodeCloudMessage('TrainingInput', new Uint8Array([1, 2, 3]))).toEqual({
      ok: false,
      error: expect.stringMatching(/^not a valid TrainingInput message: /),
    });
    expect(decodeCloudMessage('InferenceInput', new Uint8Array([]))).toEqual({
      ok: false,
      error: "not a valid InferenceInput message: missing required 'version'",
    });
    const truncated = fixture('fc_fashion_reram_es.training.bin').slice(0, 200);
    expect(decodeCloudMessage('TrainingInput', truncated).ok).toBe(false);
  });

  it('imports never throw on random or corrupted bytes', () => {
    const original = fixture('fc_fashion_reram_es.training.bin');
    const inference = fixture('fc_fashion_pcm.inference.bin');
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 600 }),
        fc.array(fc.tuple(fc.nat(), fc.nat(255)), { maxLength: 6 }),
        (random, flips) => {
          for (const bytes of [random, original.slice(), inference.slice()]) {
            for (const [at, value] of flips) if (bytes.length > 0) bytes[at % bytes.length] = value;
            for (const result of [importTrainingInput(bytes), importInferenceInput(bytes)]) {
              if (!result.ok && result.issues.length === 0) throw new Error('a failure without an issue');
            }
            importTrainingOutput(bytes);
            importInferencingOutput(bytes);
          }
        },
      ),
      { numRuns: 300, seed: 7 },
    );
  });
});

describe('TrainingInput import', () => {
  it("imports an input built field by field as AIHWKit's cloud client would (FC, FashionMNIST, ReRamESPreset, AnalogSGD lr 0.05, NLLLoss, 30 epochs, batch 64)", () => {
    const type = cloudMessageType('TrainingInput');
    const int = (name: string, i: number) => ({ name, i, type: 2 }); // AttributeType.INT
    const bool = (name: string, b: boolean) => ({ name, b, type: 101 }); // BOOL
    const str = (name: string, s: string) => ({ name, s: utf8(s), type: 3 }); // STRING
    const float = (name: string, f: number) => ({ name, f, type: 1 }); // FLOAT
    const analogLinear = (inF: number, outF: number) => ({
      layer: {
        id: 'AnalogLinear',
        arguments: [
          int('in_features', inF),
          int('out_features', outF),
          bool('bias', true),
          str('rpu_config', 'ReRamESPreset'),
          float('weight_scaling_omega', 0),
        ],
      },
    });
    const message = type.create({
      version: { schema: 1, opset: 1 },
      dataset: { dataset_id: 'fashion_mnist', batch_size: 64 },
      network: {
        layers: [
          { layer: { id: 'Flatten' } },
          analogLinear(784, 256),
          { activation_function: { id: 'Sigmoid' } },
          analogLinear(256, 128),
          { activation_function: { id: 'Sigmoid' } },
          analogLinear(128, 10),
          { activation_function: { id: 'LogSoftmax', arguments: [int('dim', 1)] } },
        ],
      },
      training: {
        optimizer: { id: 'AnalogSGD', arguments: [float('lr', 0.05)] },
        loss_function: { id: 'NLLLoss' },
        epochs: 30,
      },
    });
    const bytes = type.encode(message).finish();
    // The same bytes AIHWKit's BasicTrainingConverter writes for that experiment.
    expect(Buffer.from(bytes)).toEqual(Buffer.from(fixture('fc_fashion_reram_es.training.bin')));

    const imported = importTrainingInput(bytes);
    if (!imported.ok) throw new Error(JSON.stringify(imported.issues));
    const expected = spec(fcTraining());
    expect(imported.spec).toEqual(expected);
    if (imported.spec.kind !== 'training') throw new Error('wrong kind');
    // Spelled out, the parts that matter:
    expect(imported.spec.training).toEqual({
      epochs: 30,
      batch_size: 64,
      optimizer: { type: 'AnalogSGD', lr: 0.05, momentum: 0, dampening: 0, weight_decay: 0, nesterov: false },
      scheduler: null,
      loss: { type: 'NLLLoss' },
      seed: 0,
      checkpoint_every: 1,
      checkpoint_every_batches: null,
    });
    expect(imported.spec.dataset).toEqual({
      name: 'fashion_mnist',
      train_size: null,
      test_size: null,
      normalize: { mean: 0.286, std: 0.3205 },
    });
    expect(imported.spec.rpu_config).toEqual(RPU_CONFIG_PRESETS.ReRamESPreset());
    expect(imported.spec.model.layers.every((l) => !('rpu_config' in l))).toBe(true);
    expect(validateExperiment(imported.spec).ok).toBe(true);
  });

  const trainingInput = () => {
    const decoded = decodeCloudMessage('TrainingInput', fixture('fc_fashion_reram_es.training.bin'));
    if (!decoded.ok) throw new Error(decoded.error);
    return decoded.message as Doc;
  };
  const importEdited = (edit: (m: Doc) => void) => {
    const m = trainingInput();
    edit(m);
    return importTrainingInput(encodeCloudMessage('TrainingInput', m as never));
  };

  it.each([
    [
      'an SVHN data set',
      (m: Doc) => (m.dataset.dataset_id = 'svhn'),
      '$.dataset.dataset_id',
      /data set "svhn" is not one of ours/,
    ],
    [
      'a transposed convolution',
      (m: Doc) => (m.network.layers[0] = { layer: { id: 'ConvTranspose2d' } }),
      '$.network.layers[0].layer.id',
      /transposed convolutions are not among our layers/,
    ],
    [
      'an unknown argument',
      (m: Doc) => m.network.layers[1].layer.arguments.push({ name: 'groups', i: 2, type: 'INT' }),
      '$.network.layers[1].layer.arguments[5].name',
      /AnalogLinear has no argument "groups"/,
    ],
    [
      'an argument of the wrong type',
      (m: Doc) => (m.network.layers[1].layer.arguments[0] = { name: 'in_features', f: 784, type: 'FLOAT' }),
      '$.network.layers[1].layer.arguments[0].type',
      /argument "in_features" has type FLOAT; AIHWKit writes it as INT/,
    ],
    [
      'a preset the format does not allow',
      (m: Doc) => (m.network.layers[1].layer.arguments[3].s = utf8('EcRamMOPreset')),
      '$.network.layers[1].layer.arguments',
      /rpu_config "EcRamMOPreset" is not one of the presets the format allows/,
    ],
    [
      'a second optimizer argument',
      (m: Doc) => m.training.optimizer.arguments.push({ name: 'momentum', f: 0.9, type: 'FLOAT' }),
      '$.training.optimizer.arguments',
      /AnalogSGD takes exactly one argument, "lr" \(got lr, momentum\)/,
    ],
    [
      'a scheduler',
      (m: Doc) => (m.training.scheduler = { id: 'StepLR' }),
      '$.training.scheduler',
      /AIHWKit's cloud runner ignores schedulers/,
    ],
    [
      'an unknown loss',
      (m: Doc) => (m.training.loss_function = { id: 'HuberLoss' }),
      '$.training.loss_function.id',
      /unknown loss "HuberLoss"/,
    ],
    ['no epochs', (m: Doc) => delete m.training.epochs, '$.training.epochs', /training.epochs is missing/],
    [
      'another format version',
      (m: Doc) => (m.version = { schema: 2, opset: 1 }),
      '$.version',
      /format version 2\.1; we read version 1\.1/,
    ],
  ])('rejects %s', (_name, edit, path, message) => {
    const result = importEdited(edit);
    expect(result.ok).toBe(false);
    expect(result.ok ? [] : result.issues).toContainEqual(
      expect.objectContaining({ path, message: expect.stringMatching(message) }),
    );
  });

  it("applies weight_scaling_omega to the mapping (AIHWKit's reader loses it to a typo)", () => {
    const result = importEdited((m) => {
      for (const item of m.network.layers) {
        const arg = item.layer?.arguments?.find((a: Doc) => a.name === 'weight_scaling_omega');
        if (arg) arg.f = 0.6;
      }
    });
    if (!result.ok) throw new Error(JSON.stringify(result.issues));
    expect(
      (result.spec.rpu_config as { mapping: { weight_scaling_omega: number } }).mapping.weight_scaling_omega,
    ).toBe(0.6);
  });
});

describe('TrainingInput export and round trip', () => {
  it('exports the FC experiment to the bytes AIHWKit writes', () => {
    const exported = exportTrainingInput(fcTraining());
    if (!exported.ok) throw new Error(JSON.stringify(exported.issues));
    expect(Buffer.from(exported.bytes)).toEqual(Buffer.from(fixture('fc_fashion_reram_es.training.bin')));
  });

  it.each([
    ['the FC network with ReRamESPreset', fcTraining],
    ['convolutions, batch norm, leaky ReLU, digital layers and two presets', lenetTraining],
  ])('our experiment → protobuf → our experiment is the identity: %s', (_name, build) => {
    const original = spec(build());
    const exported = exportTrainingInput(original);
    if (!exported.ok) throw new Error(JSON.stringify(exported.issues));
    const back = importTrainingInput(exported.bytes, exported.platform);
    if (!back.ok) throw new Error(JSON.stringify(back.issues));
    expect(back.spec).toEqual(original);
  });

  it('is the identity for generated experiments (every training preset, weight scaling, lr, epochs, batch, loss)', () => {
    // Learning rates the format carries exactly: the shortest decimal of a float32.
    const float32Exact = fc
      .integer({ min: 1, max: 100_000 })
      .map((n) => fromFloat32(Math.fround(n / 100_000)));
    fc.assert(
      fc.property(
        fc.constantFrom(...TRAINING_PRESETS),
        fc.constantFrom(...TRAINING_PRESETS),
        fc.constantFrom(0, 0.5, 0.6, 1),
        float32Exact,
        fc.integer({ min: 1, max: 200 }),
        fc.integer({ min: 1, max: 4096 }),
        fc.constantFrom('NLLLoss', 'CrossEntropyLoss', 'MSELoss', 'BCELoss'),
        fc.integer({ min: 1, max: 512 }),
        (first, second, omega, lr, epochs, batch, loss, hidden) => {
          const doc = fcTraining();
          doc.rpu_config = RPU_CONFIG_PRESETS[first]();
          doc.rpu_config.mapping.weight_scaling_omega = omega;
          // The import's canonical placement: a per-layer configuration only where it differs from the first.
          const differs = second !== first || omega !== 0;
          doc.model.layers[3] = {
            type: 'AnalogLinear',
            in_features: 256,
            out_features: hidden,
            ...(differs ? { rpu_config: second } : {}),
          };
          doc.model.layers[5].in_features = hidden;
          doc.training = {
            epochs,
            batch_size: batch,
            optimizer: { type: 'AnalogSGD', lr },
            loss: { type: loss },
          };
          const original = spec(doc);
          const exported = exportTrainingInput(original);
          if (!exported.ok) throw new Error(JSON.stringify(exported.issues));
          const back = importTrainingInput(exported.bytes, exported.platform);
          expect(back.ok && back.spec).toEqual(original);
        },
      ),
      { numRuns: 150, seed: 11 },
    );
  });

  const rejects = (name: string, edit: (d: Doc) => void, path: string, message: RegExp) =>
    [name, edit, path, message] as const;
  it.each([
    rejects(
      'a training subset',
      (d) => (d.dataset.train_size = 1000),
      '$.dataset.train_size',
      /cloud runs use the whole data set/,
    ),
    rejects('MNIST', (d) => (d.dataset.name = 'mnist'), '$.dataset.name', /mnist is not among them/),
    rejects(
      'another normalisation',
      (d) => (d.dataset.normalize = null),
      '$.dataset.normalize',
      /always normalises fashion_mnist/,
    ),
    rejects(
      'momentum',
      (d) => (d.training.optimizer.momentum = 0.9),
      '$.training.optimizer.momentum',
      /the format carries the learning rate only/,
    ),
    rejects(
      'a scheduler',
      (d) => (d.training.scheduler = { type: 'StepLR', step_size: 10 }),
      '$.training.scheduler',
      /AIHWKit's cloud runner uses a constant learning rate/,
    ),
    rejects(
      'a learning rate that is no float32',
      (d) => (d.training.optimizer.lr = 0.123456789),
      '$.training.optimizer.lr',
      /lr 0\.123456789 cannot be carried exactly: .*it would become 0\.12345679/,
    ),
    rejects(
      'a drift study after training',
      (d) => {
        d.rpu_config = { type: 'InferenceRPUConfig' };
        d.inference = {};
      },
      '$.inference',
      /a drift study after training has no place in a TrainingInput/,
    ),
    rejects(
      'a Dropout layer',
      (d) => d.model.layers.splice(2, 0, { type: 'Dropout' }),
      '$.model.layers[2].type',
      /the format has no Dropout layer/,
    ),
    rejects(
      'a configuration that is no preset',
      (d) => {
        d.rpu_config = RPU_CONFIG_PRESETS.ReRamESPreset();
        d.rpu_config.device.dw_min = 0.002;
      },
      '$.rpu_config',
      /none of its 17 training presets; the closest is ReRamESPreset, which differs at device\.dw_min \(0\.002 here, 0\.00135 there\)/,
    ),
    rejects(
      "a preset outside the format's list",
      (d) => (d.rpu_config = 'EcRamMOPreset'),
      '$.rpu_config',
      /none of its 17 training presets/,
    ),
    rejects(
      'a Flatten with other dimensions',
      (d) => (d.model.layers[0].start_dim = 2),
      '$.model.layers[0].start_dim',
      /the format has no start_dim/,
    ),
    rejects(
      'an inference experiment',
      () => undefined,
      '$.kind',
      /a TrainingInput carries a training experiment/,
    ),
  ])('refuses to export %s', (name, edit, path, message) => {
    const doc = name === 'an inference experiment' ? inferenceDoc() : fcTraining();
    edit(doc);
    const result = exportTrainingInput(doc);
    expect(result.ok).toBe(false);
    expect(result.ok ? [] : result.issues).toContainEqual(
      expect.objectContaining({ path, code: 'not_expressible', message: expect.stringMatching(message) }),
    );
  });

  it('hands back the settings the format cannot carry', () => {
    const exported = exportTrainingInput(lenetTraining());
    expect(exported.ok && exported.platform).toEqual({
      name: 'LeNet-ish with mixed presets',
      description: 'digital first layer, batch norm, leaky ReLU, two presets',
      tags: ['cloud', 'round-trip'],
      execution: { queue: 'gpu', priority: 1 },
      seed: 7,
      checkpoint_every: 3,
    });
  });
});

describe('InferenceInput', () => {
  it('imports the AIHWKit-made input as AIHWKit rebuilds it (InferenceRPUConfig, out_noise 0.04, 9-bit ADC, 7-bit DAC, PCM)', () => {
    const imported = importInferenceInput(fixture('fc_fashion_pcm.inference.bin'));
    if (!imported.ok) throw new Error(JSON.stringify(imported.issues));
    const s = imported.spec;
    if (s.kind !== 'inference' || s.rpu_config.type !== 'InferenceRPUConfig') throw new Error('wrong kind');
    expect(s.weights).toEqual({ source: 'initialization', seed: 0 });
    expect(s.inference).toEqual({
      t_inference: aihwkitInferenceTimes(86400),
      repeats: 2,
      batch_size: 10,
      seed: 0,
      loss: { type: 'NLLLoss' },
    });
    expect(s.inference.t_inference[1]).toBe(1);
    expect(s.inference.t_inference[9]).toBe(86400);
    expect(s.dataset.normalize).toBeNull();
    // The values AIHWKit's own reader produced for this input: inp_res 1/126, out_res 1/510, out_noise 0.04 (float32).
    expect(s.rpu_config.forward.inp_res).toBe(1 / 126);
    expect(s.rpu_config.forward.out_res).toBe(1 / 510);
    expect(s.rpu_config.forward.out_noise).toBe(0.04);
    expect(s.rpu_config.noise_model).toEqual(
      expect.objectContaining({
        type: 'PCMLikeNoiseModel',
        g_max: 25,
        prog_coeff: [0.26348, 1.965, -1.1731],
        prog_noise_scale: 1,
        read_noise_scale: 1,
        drift_scale: 1,
      }),
    );
    expect(s.rpu_config.drift_compensation).toEqual({ type: 'GlobalDriftCompensation' });
    expect(validateExperiment(s).ok).toBe(true);
  });

  it('exports it back to the same bytes', () => {
    const imported = importInferenceInput(fixture('fc_fashion_pcm.inference.bin'));
    if (!imported.ok) throw new Error('import failed');
    const exported = exportInferenceInput(imported.spec);
    if (!exported.ok) throw new Error(JSON.stringify(exported.issues));
    expect(Buffer.from(exported.bytes)).toEqual(Buffer.from(fixture('fc_fashion_pcm.inference.bin')));
  });

  it('our experiment → protobuf → our experiment is the identity (generic noise model, weights of an experiment)', () => {
    const original = spec(inferenceDoc());
    const exported = exportInferenceInput(original);
    if (!exported.ok) throw new Error(JSON.stringify(exported.issues));
    expect(exported.message.network.weight_template_id).toBe('exp-123');
    expect(exported.message.inferencing).toEqual(
      expect.objectContaining({
        inference_repeats: 5,
        inference_time: 3600,
        analog_info: { output_noise_strength: 0.04, adc: 9, dac: 8 },
      }),
    );
    const back = importInferenceInput(exported.bytes, exported.platform);
    expect(back.ok && back.spec).toEqual(original);
  });

  const rejects = (name: string, edit: (d: Doc) => void, path: string, message: RegExp) =>
    [name, edit, path, message] as const;
  it.each([
    rejects(
      'custom drift times',
      (d) => (d.inference.t_inference = [0, 10, 100]),
      '$.inference.t_inference',
      /t_inference must be exactly those ten times/,
    ),
    rejects(
      'another loss',
      (d) => (d.inference.loss = { type: 'CrossEntropyLoss' }),
      '$.inference.loss.type',
      /always evaluates with NLLLoss/,
    ),
    rejects(
      'no remapping of loaded weights',
      (d) => (d.weights.remap_weights = false),
      '$.weights.remap_weights',
      /always remaps loaded weights/,
    ),
    rejects(
      'weight noise the format cannot carry',
      (d) => (d.rpu_config.forward.w_noise = 0.02),
      '$.rpu_config.forward.w_noise',
      /w_noise 0\.02 would become 0/,
    ),
    rejects(
      'an ADC resolution that is no whole number of bits',
      (d) => (d.rpu_config.forward.out_res = 0.003),
      '$.rpu_config.forward.out_res',
      /the format carries ADC bits/,
    ),
    rejects(
      'a ReRAM noise model',
      (d) => (d.rpu_config.noise_model = { type: 'ReRamWan2022NoiseModel' }),
      '$.rpu_config.noise_model.type',
      /noise model ReRamWan2022NoiseModel/,
    ),
    rejects(
      'two different analog configurations',
      (d) => (d.model.layers[3].rpu_config = 'WebComposerInferenceRPUConfig'),
      '$.model.layers[3].rpu_config.forward.inp_res',
      /one analog configuration for all layers/,
    ),
    rejects(
      'a normalised data set',
      (d) => (d.dataset.normalize = { mean: 0.286, std: 0.3205 }),
      '$.dataset.normalize',
      /without normalisation/,
    ),
  ])('refuses to export %s', (_name, edit, path, message) => {
    const doc = inferenceDoc();
    edit(doc);
    const result = exportInferenceInput(doc);
    expect(result.ok).toBe(false);
    expect(result.ok ? [] : result.issues).toContainEqual(
      expect.objectContaining({ path, code: 'not_expressible', message: expect.stringMatching(message) }),
    );
  });

  it('rejects on import what we cannot express', () => {
    const decoded = decodeCloudMessage('InferenceInput', fixture('fc_fashion_pcm.inference.bin'));
    if (!decoded.ok) throw new Error(decoded.error);
    const m = decoded.message as Doc;
    m.network.layers[1].layer.id = 'AnalogLinearMapped';
    m.inferencing.analog_info.adc = 1;
    const result = importInferenceInput(encodeCloudMessage('InferenceInput', m as never));
    expect(result.ok ? [] : result.issues).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          path: '$.network.layers[1].layer.id',
          code: 'not_expressible',
          message: expect.stringMatching(/"Mapped" layer variants/),
        }),
        expect.objectContaining({
          path: '$.inferencing.analog_info.adc',
          message: expect.stringMatching(/needs 0 \(off\) or at least 2 bits/),
        }),
      ]),
    );
  });
});

describe('results', () => {
  const results: ExperimentResults = {
    experimentId: 'exp-1',
    learning_curve: [
      { epoch: 1, train_loss: 0.4497, test_loss: 0.0778, test_accuracy: 0.8289, lr: 0.05, time_epoch: 12 },
      { epoch: 2, train_loss: 0.4305, test_loss: 0.0778, test_accuracy: 0.8299, lr: 0.05, time_epoch: 12 },
    ],
    inference: [
      {
        t_inference: 0,
        drift_compensation: true,
        repeats: 2,
        accuracy_mean: 0.8525,
        accuracy_std: 0.005,
        accuracy_min: 0.8475,
        accuracy_max: 0.8575,
        loss_mean: 0.4,
      },
      {
        t_inference: 86400,
        drift_compensation: true,
        repeats: 2,
        accuracy_mean: 0.805,
        accuracy_std: 0.0125,
        accuracy_min: 0.7925,
        accuracy_max: 0.8175,
        loss_mean: 0.6,
      },
    ],
    histograms: [],
    timings: { drift_infer_s: 12.5 },
  };

  it('TrainingOutput: per-epoch metrics as AIHWKit names them, epochs from 0', () => {
    const small = fcTraining();
    small.model.layers = [
      { type: 'Flatten' },
      { type: 'AnalogLinear', in_features: 784, out_features: 10 },
      { type: 'LogSoftmax', dim: 1 },
    ];
    const exported = exportTrainingOutput(small, results);
    if (!exported.ok) throw new Error(JSON.stringify(exported.issues));
    // AIHWKit-made output with the same network and metrics.
    expect(Buffer.from(exported.bytes)).toEqual(Buffer.from(fixture('training_output.bin')));
    expect(exported.notCarried).toEqual(['learning_curve[].lr', 'inference', 'timings']);
    const back = importTrainingOutput(exported.bytes);
    expect(back.ok && back.epochs[0]).toEqual({
      epoch: 0,
      metrics: { accuracy: 0.8289, train_loss: 0.4497, valid_loss: 0.0778, time_epoch: 12 },
    });
  });

  it('InferencingOutput: accuracy in percent, error, loss per t_inference', () => {
    const exported = exportInferencingOutput(results);
    if (!exported.ok) throw new Error(JSON.stringify(exported.issues));
    expect(Buffer.from(exported.bytes)).toEqual(Buffer.from(fixture('inferencing_output.bin')));
    expect(exported.notCarried).toEqual([
      'inference[].accuracy_min',
      'inference[].accuracy_max',
      'learning_curve',
    ]);
    const back = importInferencingOutput(exported.bytes);
    if (!back.ok) throw new Error('import failed');
    expect(back.points).toEqual([
      { t_inference: 0, accuracy_mean: 0.8525, accuracy_std: 0.005, loss_mean: 0.4 },
      { t_inference: 86400, accuracy_mean: 0.805, accuracy_std: 0.0125, loss_mean: 0.6 },
    ]);
  });

  it('writes a diverged value as NaN and reads it back as null', () => {
    const diverged: ExperimentResults = {
      ...results,
      inference: [{ ...results.inference[0], accuracy_mean: null, loss_mean: null }],
    };
    const exported = exportInferencingOutput(diverged);
    if (!exported.ok) throw new Error('export failed');
    const back = importInferencingOutput(exported.bytes);
    expect(back.ok && back.points[0]).toEqual({
      t_inference: 0,
      accuracy_mean: null,
      accuracy_std: 0.005,
      loss_mean: null,
    });
  });

  it('asks which series to write when both drift-compensation settings are present', () => {
    const both: ExperimentResults = {
      ...results,
      inference: [...results.inference, { ...results.inference[0], drift_compensation: false }],
    };
    expect(exportInferencingOutput(both)).toEqual({
      ok: false,
      issues: [expect.objectContaining({ code: 'not_expressible', path: '$.inference' })],
    });
    const chosen = exportInferencingOutput(both, { driftCompensation: false });
    expect(chosen.ok && chosen.notCarried).toContain('inference points with drift_compensation true');
  });
});
