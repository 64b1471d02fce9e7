/**
 * A table of bad experiments: each must be rejected with the expected JSON path, issue code and message
 * (and, where it applies, the allowed range).
 */
import type { AllowedRange, IssueCode } from './issues';
import type { WeightsSource } from './semantic';
import { validateExperiment } from './validate';

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- test documents are mutated freely

function trainingDoc(): Doc {
  return {
    apiVersion: 'analog-composer/v1',
    kind: 'training',
    name: 'small FC',
    dataset: { name: 'fashion_mnist', train_size: 1000, test_size: 500 },
    model: {
      layers: [
        { type: 'Flatten' },
        { type: 'AnalogLinear', in_features: 784, out_features: 32 },
        { type: 'Sigmoid' },
        { type: 'AnalogLinear', in_features: 32, out_features: 10 },
        { type: 'LogSoftmax' },
      ],
    },
    rpu_config: { type: 'SingleRPUConfig', device: { type: 'ConstantStepDevice' } },
    training: { epochs: 2, batch_size: 64 },
  };
}

function inferenceDoc(): Doc {
  const doc = trainingDoc();
  delete doc.training;
  return {
    ...doc,
    kind: 'inference',
    rpu_config: { type: 'InferenceRPUConfig' },
    weights: { source: 'experiment', experiment_id: 'exp-alice-1' },
    inference: { t_inference: [0, 3600, 86400], repeats: 3 },
  };
}

function lenetDoc(): Doc {
  const doc = trainingDoc();
  doc.dataset = { name: 'mnist', train_size: 500 };
  doc.model.layers = [
    { type: 'AnalogConv2d', in_channels: 1, out_channels: 16, kernel_size: 5 },
    { type: 'Tanh' },
    { type: 'MaxPool2d', kernel_size: 2 },
    { type: 'AnalogConv2d', in_channels: 16, out_channels: 32, kernel_size: 5 },
    { type: 'Tanh' },
    { type: 'MaxPool2d', kernel_size: 2 },
    { type: 'Flatten' },
    { type: 'AnalogLinear', in_features: 512, out_features: 10 },
    { type: 'LogSoftmax' },
  ];
  return doc;
}

/** The experiment store the validator's caller would provide, in memory. */
const STORE: Record<string, WeightsSource> = {
  'exp-alice-1': { owner: 'alice', status: 'completed', spec: trainingDoc() },
  'exp-alice-running': { owner: 'alice', status: 'running', spec: trainingDoc() },
  'exp-bob-1': { owner: 'bob', status: 'completed', spec: trainingDoc() },
};
const context = { user: 'alice', lookupWeights: (id: string) => STORE[id] };

interface BadCase {
  name: string;
  build: () => unknown;
  path: string;
  code: IssueCode;
  message: RegExp;
  allowed?: AllowedRange;
}

function training(mutate: (d: Doc) => void): () => Doc {
  return () => {
    const d = trainingDoc();
    mutate(d);
    return d;
  };
}

function inference(mutate: (d: Doc) => void): () => Doc {
  return () => {
    const d = inferenceDoc();
    mutate(d);
    return d;
  };
}

const CASES: BadCase[] = [
  // --- wrong types and missing values ---
  {
    name: 'epochs given as a string',
    build: training((d) => (d.training.epochs = '30')),
    path: '$.training.epochs',
    code: 'invalid_type',
    message: /epochs must be a (whole )?number, got a string/,
  },
  {
    name: 'epochs not a whole number',
    build: training((d) => (d.training.epochs = 2.5)),
    path: '$.training.epochs',
    code: 'invalid_type',
    message: /epochs must be a whole number, got 2\.5/,
  },
  {
    name: 'a layer list that is an object',
    build: training((d) => (d.model.layers = { type: 'Flatten' })),
    path: '$.model.layers',
    code: 'invalid_type',
    message: /layers must be a list, got an object/,
  },
  {
    name: 'the name is missing',
    build: training((d) => delete d.name),
    path: '$.name',
    code: 'missing',
    message: /name is required/,
  },
  {
    name: 'the document is not an object',
    build: () => 42,
    path: '$',
    code: 'invalid_type',
    message: /must be an object/,
  },
  {
    name: 'rpu_config null',
    build: training((d) => (d.rpu_config = null)),
    path: '$.rpu_config',
    code: 'invalid_type',
    message: /rpu_config must be .*got null/,
  },
  // --- unknown keys (typos never vanish) ---
  {
    name: 'a top-level typo',
    build: training((d) => (d.ephocs = 3)),
    path: '$.ephocs',
    code: 'unknown_key',
    message: /unknown key "ephocs"/,
  },
  {
    name: 'a typo inside training',
    build: training((d) => (d.training.batchsize = 32)),
    path: '$.training.batchsize',
    code: 'unknown_key',
    message: /unknown key "batchsize" in training \(did you mean "batch_size"\?\)/,
  },
  {
    name: 'a typo inside a device',
    build: training((d) => (d.rpu_config.device.dw_mn = 0.01)),
    path: '$.rpu_config.device.dw_mn',
    code: 'unknown_key',
    message: /did you mean "dw_min"/,
  },
  {
    name: 'an rpu_config on a digital layer',
    build: training(
      (d) =>
        (d.model.layers[1] = {
          type: 'Linear',
          in_features: 784,
          out_features: 32,
          rpu_config: 'ReRamESPreset',
        }),
    ),
    path: '$.model.layers[1].rpu_config',
    code: 'unknown_key',
    message: /Linear is a digital layer and takes no rpu_config; use AnalogLinear/,
  },
  // --- wrong values ---
  {
    name: 'an unknown apiVersion',
    build: training((d) => (d.apiVersion = 'v0')),
    path: '$.apiVersion',
    code: 'invalid_value',
    message: /apiVersion must be "analog-composer\/v1"/,
  },
  {
    name: 'an unknown kind',
    build: training((d) => (d.kind = 'evaluation')),
    path: '$.kind',
    code: 'invalid_value',
    message: /kind "evaluation" is not known; expected one of training, inference/,
  },
  {
    name: 'a misspelled layer type',
    build: training((d) => (d.model.layers[2] = { type: 'Sigmiod' })),
    path: '$.model.layers[2].type',
    code: 'invalid_value',
    message: /type "Sigmiod" is not known \(did you mean "Sigmoid"\?\)/,
  },
  {
    name: 'a misspelled preset name',
    build: training((d) => (d.rpu_config = 'ReRamEsPreset')),
    path: '$.rpu_config',
    code: 'invalid_value',
    message: /"ReRamEsPreset" is not allowed \(did you mean "ReRamESPreset"\?\)/,
  },
  {
    name: 'an unknown data set',
    build: training((d) => (d.dataset = { name: 'cifar10' })),
    path: '$.dataset.name',
    code: 'invalid_value',
    message: /name "cifar10" is not known; expected one of mnist, fashion_mnist/,
  },
  {
    name: 'an unknown queue',
    build: training((d) => (d.execution = { queue: 'tpu' })),
    path: '$.execution.queue',
    code: 'invalid_value',
    message: /queue "tpu" is not allowed \(did you mean "cpu"\?\); expected one of "cpu", "gpu", "imc"/,
    allowed: { values: ['cpu', 'gpu', 'imc'] },
  },
  // --- impossible shapes ---
  {
    name: 'in_features not matching the previous layer',
    build: training((d) => (d.model.layers[3].in_features = 64)),
    path: '$.model.layers[3].in_features',
    code: 'shape',
    message: /has in_features 64, but the previous layer produces 32 features/,
    allowed: { values: [32] },
  },
  {
    name: 'a Linear layer on images without Flatten',
    build: training((d) => d.model.layers.shift()),
    path: '$.model.layers[0]',
    code: 'shape',
    message: /needs a flat input of 784 features, but receives \[1, 28, 28\]\. Add a Flatten layer/,
  },
  {
    name: 'the last layer not matching the classes',
    build: training((d) => (d.model.layers[3].out_features = 5)),
    path: '$.model.layers[4]',
    code: 'shape',
    message: /output is \[5\] per sample, but the data set has 10 classes/,
  },
  {
    name: 'a convolution kernel larger than its input',
    build: () => {
      const d = lenetDoc();
      d.model.layers[3].kernel_size = 13;
      return d;
    },
    path: '$.model.layers[3].kernel_size',
    code: 'shape',
    message: /the kernel 13×13 .* does not fit the 12×12 input/,
  },
  {
    name: 'in_channels not matching',
    build: () => {
      const d = lenetDoc();
      d.model.layers[3].in_channels = 8;
      return d;
    },
    path: '$.model.layers[3].in_channels',
    code: 'shape',
    message: /has in_channels 8, but its input has 16 channels/,
  },
  {
    name: 'flattened size not matching',
    build: () => {
      const d = lenetDoc();
      d.model.layers[7].in_features = 800;
      return d;
    },
    path: '$.model.layers[7].in_features',
    code: 'shape',
    message: /has in_features 800, but the previous layer produces 512 features/,
  },
  {
    name: 'pooling padding above half the kernel',
    build: () => {
      const d = lenetDoc();
      d.model.layers[2].padding = 2;
      return d;
    },
    path: '$.model.layers[2].padding',
    code: 'shape',
    message: /padding 2 is more than half the kernel size 2/,
  },
  // --- out-of-range parameters ---
  {
    name: 'a negative learning rate',
    build: training((d) => (d.training.optimizer = { type: 'AnalogSGD', lr: -0.1 })),
    path: '$.training.optimizer.lr',
    code: 'out_of_range',
    message: /lr must be greater than 0, got -0\.1/,
    allowed: { min: 0, minInclusive: false },
  },
  {
    name: 'batch size 0',
    build: training((d) => (d.training.batch_size = 0)),
    path: '$.training.batch_size',
    code: 'out_of_range',
    message: /batch_size must be a whole number greater than 0, got 0/,
  },
  {
    name: 'a probability above 1',
    build: training((d) => (d.rpu_config.device.corrupt_devices_prob = 1.5)),
    path: '$.rpu_config.device.corrupt_devices_prob',
    code: 'out_of_range',
    message: /corrupt_devices_prob must be between 0 and 1, got 1\.5/,
    allowed: { min: 0, max: 1, minInclusive: true, maxInclusive: true },
  },
  {
    name: 'w_min not below w_max',
    build: training((d) => Object.assign(d.rpu_config.device, { w_min: 0, w_max: 0 })),
    path: '$.rpu_config.device.w_min',
    code: 'out_of_range',
    message: /w_min \(0\) must be smaller than w_max \(0\)/,
  },
  {
    name: 'w_min above zero',
    build: training((d) => Object.assign(d.rpu_config.device, { w_min: 0.2, w_max: 0.6 })),
    path: '$.rpu_config.device.w_min',
    code: 'incompatible',
    message: /need w_min ≤ 0 ≤ w_max/,
  },
  {
    name: 'dw_min wider than the whole weight range',
    build: training((d) => (d.rpu_config.device.dw_min = 2)),
    path: '$.rpu_config.device.dw_min',
    code: 'out_of_range',
    message: /dw_min \(2\) is larger than the weight range/,
  },
  {
    name: 'an input resolution finer than float32',
    build: training((d) => (d.rpu_config.forward = { inp_res: 1e-9 })),
    path: '$.rpu_config.forward.inp_res',
    code: 'out_of_range',
    message: /inp_res 1e-9 is a step below 2⁻²⁴/,
  },
  {
    name: 'an update resolution given as a number of steps',
    build: training((d) => (d.rpu_config.update = { res: 64 })),
    path: '$.rpu_config.update.res',
    code: 'out_of_range',
    message: /must be at most 1: AIHWKit does not convert update resolutions > 1/,
    allowed: { max: 1 },
  },
  {
    name: 'an input bound other than 1 under noise management',
    build: training((d) => (d.rpu_config.forward = { inp_bound: 2 })),
    path: '$.rpu_config.forward.inp_bound',
    code: 'incompatible',
    message: /inp_bound must be 1 when noise_management is ABS_MAX/,
  },
  // --- incompatible settings ---
  {
    name: 'a noise model on a training configuration',
    build: training((d) => (d.rpu_config.noise_model = { type: 'PCMLikeNoiseModel' })),
    path: '$.rpu_config.noise_model',
    code: 'unknown_key',
    message:
      /noise_model is a setting of InferenceRPUConfig only: a SingleRPUConfig \(analog training\) has no noise_model/,
  },
  {
    name: 'drift compensation on a per-layer training configuration',
    build: training(
      (d) => (d.model.layers[1].rpu_config = { type: 'UnitCellRPUConfig', drift_compensation: null }),
    ),
    path: '$.model.layers[1].rpu_config.drift_compensation',
    code: 'unknown_key',
    message: /drift_compensation is a setting of InferenceRPUConfig only/,
  },
  {
    name: 'a drift study after analog (pulsed) training',
    build: training((d) => (d.inference = { t_inference: [0, 60] })),
    path: '$.inference',
    code: 'incompatible',
    message: /needs InferenceRPUConfig on every analog layer, but layer 1 uses SingleRPUConfig/,
  },
  {
    name: 'an inference experiment with a training configuration',
    build: inference((d) => (d.rpu_config = { type: 'SingleRPUConfig' })),
    path: '$.rpu_config.type',
    code: 'invalid_value',
    message: /type must be "InferenceRPUConfig", got "SingleRPUConfig"/,
  },
  {
    name: 'an inference experiment without analog layers',
    build: inference((d) => {
      d.model.layers[1].type = 'Linear';
      d.model.layers[3].type = 'Linear';
    }),
    path: '$.model.layers',
    code: 'incompatible',
    message: /needs at least one analog layer/,
  },
  {
    name: 'a compound device sim-core does not simulate',
    build: training((d) => (d.rpu_config = 'ChoppedTTv2ReRamESPreset')),
    path: '$.rpu_config.device.type',
    code: 'incompatible',
    message: /ChoppedTransferCompound is accepted as a schema but not simulated/,
  },
  {
    name: 'a negative t_inference',
    build: inference((d) => (d.inference.t_inference = [-1, 0, 10])),
    path: '$.inference.t_inference[0]',
    code: 'out_of_range',
    message: /t_inference\[0\] is -1: times after programming cannot be negative/,
    allowed: { min: 0 },
  },
  {
    name: 't_inference out of order',
    build: inference((d) => (d.inference.t_inference = [0, 100, 10])),
    path: '$.inference.t_inference[2]',
    code: 'out_of_range',
    message: /must be sorted in increasing order without repeats: t_inference\[2\] = 10 follows 100/,
  },
  {
    name: 'ReRamWan2022NoiseModel at a time outside its table',
    build: inference((d) => {
      d.rpu_config.noise_model = { type: 'ReRamWan2022NoiseModel' };
      d.inference.t_inference = [0, 1];
    }),
    path: '$.inference.t_inference',
    code: 'incompatible',
    message: /ReRamWan2022NoiseModel .* only knows the times of its coefficient table; 0 s/,
    allowed: { values: [1, 86400, 172800] },
  },
  // --- oversized runs ---
  {
    name: 'too many epochs',
    build: training((d) => (d.training.epochs = 500)),
    path: '$.training.epochs',
    code: 'quota',
    message: /epochs is 500, above the limit of 200/,
    allowed: { max: 200 },
  },
  {
    name: 'epochs × data-set size',
    build: training((d) => {
      d.dataset = { name: 'fashion_mnist' };
      d.training.epochs = 100;
    }),
    path: '$.training.epochs',
    code: 'quota',
    message: /epochs × training samples \(100 × 60000\) is 6\.00·10\^6, above the limit of 3\.00·10\^6/,
  },
  {
    name: 'too many parameters',
    build: training((d) => {
      d.model.layers[1].out_features = 8000;
      d.model.layers[3].in_features = 8000;
    }),
    path: '$.model.layers',
    code: 'quota',
    message: /the parameter count is 6\.36·10\^6, above the limit of 5\.00·10\^6/,
  },
  {
    name: 't_inference points × repeats',
    build: inference((d) => {
      d.inference.t_inference = Array.from({ length: 50 }, (_, i) => i * 10);
      d.inference.repeats = 50;
    }),
    path: '$.inference.repeats',
    code: 'quota',
    message: /t_inference points × repeats \(50 × 50\) is 2500, above the limit of 1000/,
  },
  {
    name: 'a document nested far too deep',
    build: training((d) => {
      let node: Doc = {};
      d.description = node;
      for (let i = 0; i < 100; i++) node = node.x = {};
    }),
    path: '$.description.x.x.x.x.x.x.x.x.x.x.x.x.x.x.x.x.x.x.x.x.x.x.x.x.x.x.x.x.x.x.x.x.x.x.x.x.x.x.x.x.x.x.x.x.x.x.x',
    code: 'too_large',
    message: /nested deeper than 48 levels/,
  },
  // --- weights ---
  {
    name: "weights from another user's experiment",
    build: inference((d) => (d.weights.experiment_id = 'exp-bob-1')),
    path: '$.weights.experiment_id',
    code: 'weights',
    message: /no training experiment "exp-bob-1" of yours was found/,
  },
  {
    name: 'weights from an experiment that does not exist',
    build: inference((d) => (d.weights.experiment_id = 'exp-nope')),
    path: '$.weights.experiment_id',
    code: 'weights',
    message: /no training experiment "exp-nope" of yours was found/,
  },
  {
    name: 'weights from a training run still running',
    build: inference((d) => (d.weights.experiment_id = 'exp-alice-running')),
    path: '$.weights.experiment_id',
    code: 'weights',
    message: /is running; weights can only be taken from a completed training experiment/,
  },
  {
    name: 'a model that does not match the trained weights',
    build: inference((d) => {
      d.model.layers[1].out_features = 64;
      d.model.layers[3].in_features = 64;
    }),
    path: '$.model.layers',
    code: 'weights',
    message:
      /does not match the weights of experiment "exp-alice-1": its weight layer 1 is Linear 784→64 \+bias, the trained one is Linear 784→32 \+bias/,
  },
  // --- queues ---
  {
    name: 'training on the imc queue (chips are programmed and read, not trained)',
    build: training((d) => (d.execution = { queue: 'imc' })),
    path: '$.execution.queue',
    code: 'incompatible',
    message:
      /^a training experiment cannot run on the imc queue: .*train on the cpu or gpu queue, then run an inference experiment on imc/,
    allowed: { values: ['cpu', 'gpu'] },
  },
];

describe('bad experiments', () => {
  it('has at least 30 cases', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(30);
  });

  it('the two base documents are valid', () => {
    expect(validateExperiment(trainingDoc(), context).issues).toEqual([]);
    expect(validateExperiment(inferenceDoc(), context).issues).toEqual([]);
    expect(validateExperiment(lenetDoc(), context).issues).toEqual([]);
    // The imc queue runs inference experiments.
    expect(validateExperiment({ ...inferenceDoc(), execution: { queue: 'imc' } }, context).issues).toEqual(
      [],
    );
  });

  it.each(CASES.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const result = validateExperiment(c.build(), context);
    expect(result.ok).toBe(false);
    const expected: Record<string, unknown> = {
      path: c.path,
      code: c.code,
      severity: 'error',
      message: expect.stringMatching(c.message),
    };
    if (c.allowed) expected.allowed = expect.objectContaining(c.allowed);
    expect(result.issues).toContainEqual(expect.objectContaining(expected));
    expect(result.issues.filter((i) => i.code === 'internal')).toEqual([]);
  });

  it('reports every problem of a document at once', () => {
    const d = trainingDoc();
    d.ephocs = 3;
    d.model.layers[3].in_features = 64;
    d.rpu_config.device.corrupt_devices_prob = 2;
    d.training.epochs = 500;
    const result = validateExperiment(d, context);
    expect(result.issues.map((i) => i.path)).toEqual(
      expect.arrayContaining([
        '$.ephocs',
        '$.model.layers[3].in_features',
        '$.rpu_config.device.corrupt_devices_prob',
        '$.training.epochs',
      ]),
    );
  });

  it('warns (without failing) where no experiment store is at hand', () => {
    const result = validateExperiment(inferenceDoc());
    expect(result.ok).toBe(true);
    expect(result.issues).toEqual([
      expect.objectContaining({ path: '$.weights.experiment_id', code: 'weights', severity: 'warning' }),
    ]);
  });

  it('applies quotas passed in by the caller', () => {
    const result = validateExperiment(trainingDoc(), { quotas: { maxEpochs: 1 } });
    expect(result.issues).toContainEqual(
      expect.objectContaining({ path: '$.training.epochs', code: 'quota', allowed: { max: 1 } }),
    );
  });
});
