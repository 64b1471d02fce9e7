/**
 * The presets gallery: ready experiments taken from AIHWKit's examples and documentation. Each is sized
 * to finish in minutes on two CPU cores as it stands (training/test subsets, few epochs); its
 * description says what the full-size AIHWKit run is, and `full` gives the settings that make it so.
 */
import type { ExperimentInput } from './schema';
import { API_VERSION } from './schema';

export interface PresetExperiment {
  id: string;
  title: string;
  description: string;
  /** The experiment as a user would write it (preset names, defaults left out). */
  document: ExperimentInput;
  /** What to change for the full-size AIHWKit run (dotted paths → values; null: the whole data set). */
  full: Record<string, number | null>;
}

/** AIHWKit's 3-layer FC network for 28×28 images (docs `using_experiments.rst`, example 03). */
function fcNetwork(): ExperimentInput['model']['layers'] {
  return [
    { type: 'Flatten' },
    { type: 'AnalogLinear', in_features: 784, out_features: 256 },
    { type: 'Sigmoid' },
    { type: 'AnalogLinear', in_features: 256, out_features: 128 },
    { type: 'Sigmoid' },
    { type: 'AnalogLinear', in_features: 128, out_features: 10 },
    { type: 'LogSoftmax', dim: 1 },
  ];
}

/** AIHWKit's LeNet5 (example 04): 1→16→32 channels, 5×5 kernels, tanh, max-pooling. */
function lenet5(): ExperimentInput['model']['layers'] {
  return [
    { type: 'AnalogConv2d', in_channels: 1, out_channels: 16, kernel_size: 5, stride: 1 },
    { type: 'Tanh' },
    { type: 'MaxPool2d', kernel_size: 2 },
    { type: 'AnalogConv2d', in_channels: 16, out_channels: 32, kernel_size: 5, stride: 1 },
    { type: 'Tanh' },
    { type: 'MaxPool2d', kernel_size: 2 },
    { type: 'Tanh' },
    { type: 'Flatten' },
    { type: 'AnalogLinear', in_features: 512, out_features: 128 },
    { type: 'Tanh' },
    { type: 'AnalogLinear', in_features: 128, out_features: 10 },
    { type: 'LogSoftmax', dim: 1 },
  ];
}

interface DevicePreset {
  preset: string;
  slug: string;
  device: string;
}

/** The single-device training presets of AIHWKit (`presets/configs.py`). */
const DEVICE_PRESETS: DevicePreset[] = [
  { preset: 'ReRamESPreset', slug: 'reram-es', device: 'ReRAM, exponential step model (Gong et al. 2018)' },
  { preset: 'ReRamSBPreset', slug: 'reram-sb', device: 'ReRAM, soft-bounds model' },
  { preset: 'CapacitorPreset', slug: 'capacitor', device: 'capacitor-based cell (Li et al. 2018)' },
  { preset: 'EcRamPreset', slug: 'ecram', device: 'ECRAM (Tang et al. 2018)' },
  { preset: 'EcRamMOPreset', slug: 'ecram-mo', device: 'metal-oxide ECRAM (Kim et al. 2019)' },
  { preset: 'IdealizedPreset', slug: 'idealized', device: 'idealized device with about 10,000 states' },
  {
    preset: 'GokmenVlasovPreset',
    slug: 'gokmen-vlasov',
    device: 'constant-step device of Gokmen & Vlasov (2016)',
  },
  { preset: 'PCMPreset', slug: 'pcm', device: 'PCM as a one-sided unit cell (Nandakumar et al. 2020)' },
];

/**
 * Sizes that keep the FC runs to minutes on two cores. Measured with sim-core's layers and AnalogSGD on
 * the wasm backend, on a shared and loaded two-core machine (2 epochs, mini-batches of 16): 5,000 images
 * took 52 s with IdealizedPreset (61.7 % test accuracy) and 33 s with ReRamESPreset (32.2 %); PCMPreset
 * is much slower per update (5,000 images: 462 s, 47.4 %), so its run uses 2,000 images.
 */
const FC_SMALL = { train_size: 5000, test_size: 1000 };
const SLOW_DEVICE_TRAIN_SIZE: Record<string, number> = { PCMPreset: 2000 };
const FC_FULL = {
  'dataset.train_size': null,
  'dataset.test_size': null,
  'training.epochs': 30,
  'training.batch_size': 64,
};

/** 5000 → "5,000" (no Intl: this module runs in the workflow sandbox too). */
function thousands(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

function fcDevicePreset({ preset, slug, device }: DevicePreset): PresetExperiment {
  return {
    id: `fc-fashion-mnist-${slug}`,
    title: `FC network on Fashion-MNIST, ${preset}`,
    description:
      `Analog training of AIHWKit's 784-256-128-10 sigmoid network on Fashion-MNIST, every layer on the ` +
      `${device} (${preset}); AnalogSGD lr 0.05 and NLLLoss as AIHWKit's BasicTraining. Sized to run in ` +
      `minutes: ${thousands(SLOW_DEVICE_TRAIN_SIZE[preset] ?? FC_SMALL.train_size)} training and 1,000 test images, 2 epochs, ` +
      `mini-batches of 16 (more updates in a short run). ` +
      `The full AIHWKit run uses all 60,000/10,000 images, 30 epochs and mini-batches of 64 ` +
      `(dataset.train_size and test_size null, training.epochs 30, training.batch_size 64).`,
    document: {
      apiVersion: API_VERSION,
      kind: 'training',
      name: `FC Fashion-MNIST ${preset}`,
      tags: ['gallery', 'fc', 'fashion_mnist', preset],
      dataset: {
        name: 'fashion_mnist',
        ...FC_SMALL,
        train_size: SLOW_DEVICE_TRAIN_SIZE[preset] ?? FC_SMALL.train_size,
      },
      model: { layers: fcNetwork() },
      rpu_config: preset as ExperimentInput['rpu_config'],
      training: {
        epochs: 2,
        batch_size: 16,
        optimizer: { type: 'AnalogSGD', lr: 0.05 },
        loss: { type: 'NLLLoss' },
      },
    },
    full: FC_FULL,
  };
}

export const PRESET_EXPERIMENTS: readonly PresetExperiment[] = [
  ...DEVICE_PRESETS.map(fcDevicePreset),
  {
    id: 'lenet5-mnist',
    title: 'LeNet5 on MNIST, constant-step device',
    description:
      "AIHWKit's example 04: LeNet5 (two 5×5 analog convolutions with 16 and 32 channels, tanh, max-pooling, " +
      'two analog linear layers) trained on MNIST with SingleRPUConfig(ConstantStepDevice()), AnalogSGD lr 0.01, ' +
      'batch 8. Sized to run in minutes: 500 training and 500 test images, 1 epoch. The full run (60,000 images, ' +
      "30 epochs) reached 98.68 % test accuracy in AIHWKit's README.",
    document: {
      apiVersion: API_VERSION,
      kind: 'training',
      name: 'LeNet5 MNIST ConstantStep',
      tags: ['gallery', 'lenet5', 'mnist'],
      dataset: { name: 'mnist', train_size: 500, test_size: 500 },
      model: { layers: lenet5() },
      rpu_config: { type: 'SingleRPUConfig', device: { type: 'ConstantStepDevice' } },
      training: {
        epochs: 1,
        batch_size: 8,
        optimizer: { type: 'AnalogSGD', lr: 0.01 },
        loss: { type: 'NLLLoss' },
      },
    },
    full: { 'dataset.train_size': null, 'dataset.test_size': null, 'training.epochs': 30 },
  },
  {
    id: 'hwa-fc-fashion-mnist-pcm-drift',
    title: 'Hardware-aware training and a PCM drift study',
    description:
      "Hardware-aware training in the manner of AIHWKit's example 05: an InferenceRPUConfig with weight noise " +
      '(ADDITIVE_CONSTANT 0.02), no ADC quantisation, weights clipped to ±1 and an ADD_NORMAL weight modifier ' +
      '(std 0.1, drop-connect 0.03), trained on Fashion-MNIST with the FC network; then the weights are programmed ' +
      'onto PCM (PCMLikeNoiseModel, g_max 25 µS) and evaluated after 0 s, 1 s, 20 s, 1000 s and 10⁵ s of drift with ' +
      'global drift compensation, 3 programming repeats. Sized to run in minutes (training took 72–106 s and reached ' +
      '76 % on a loaded two-core machine): 10,000 training and 1,000 test images, 2 epochs in mini-batches of 16; ' +
      'the full run trains on all 60,000 images for 30 epochs in mini-batches of 64 and evaluates all 10,000.',
    document: {
      apiVersion: API_VERSION,
      kind: 'training',
      name: 'HWA FC Fashion-MNIST with PCM drift',
      tags: ['gallery', 'hwa', 'pcm', 'drift', 'fashion_mnist'],
      dataset: { name: 'fashion_mnist', train_size: 10_000, test_size: 1000 },
      model: { layers: fcNetwork() },
      rpu_config: {
        type: 'InferenceRPUConfig',
        forward: { out_res: -1, w_noise_type: 'ADDITIVE_CONSTANT', w_noise: 0.02 },
        clip: { type: 'FIXED_VALUE', fixed_value: 1.0 },
        modifier: { type: 'ADD_NORMAL', std_dev: 0.1, pdrop: 0.03 },
        noise_model: { type: 'PCMLikeNoiseModel', g_max: 25 },
        drift_compensation: { type: 'GlobalDriftCompensation' },
      },
      training: {
        epochs: 2,
        batch_size: 16,
        optimizer: { type: 'AnalogSGD', lr: 0.1 },
        loss: { type: 'NLLLoss' },
      },
      inference: { t_inference: [0, 1, 20, 1000, 1e5], repeats: 3 },
    },
    full: FC_FULL,
  },
  {
    id: 'tiki-taka-fc-fashion-mnist-reram-sb',
    title: 'Tiki-Taka on Fashion-MNIST, ReRAM soft-bounds devices',
    description:
      'The Tiki-Taka algorithm (TransferCompound: gradient pulses go to a fast device A, whose columns are read ' +
      'and transferred onto a slow device C) with ReRAM soft-bounds devices (TikiTakaReRamSBPreset), training the ' +
      "FC network on Fashion-MNIST as in AIHWKit's test experiments (batch 8, lr 0.01). Sized to run in minutes: " +
      '1,000 training and 1,000 test images, 1 epoch; the full run (AIHWKit\'s "real" test setting) uses all images for 30 epochs.',
    document: {
      apiVersion: API_VERSION,
      kind: 'training',
      name: 'Tiki-Taka FC Fashion-MNIST ReRAM-SB',
      tags: ['gallery', 'tiki-taka', 'fashion_mnist', 'TikiTakaReRamSBPreset'],
      dataset: { name: 'fashion_mnist', ...FC_SMALL },
      model: { layers: fcNetwork() },
      rpu_config: 'TikiTakaReRamSBPreset',
      training: {
        epochs: 2,
        batch_size: 8,
        optimizer: { type: 'AnalogSGD', lr: 0.1 },
        loss: { type: 'NLLLoss' },
      },
    },
    full: {
      'dataset.train_size': null,
      'dataset.test_size': null,
      'training.epochs': 30,
      'training.optimizer.lr': 0.01,
    },
  },
];

export function presetExperiment(id: string): PresetExperiment | undefined {
  return PRESET_EXPERIMENTS.find((p) => p.id === id);
}
