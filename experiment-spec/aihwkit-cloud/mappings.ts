/**
 * The AIHW Composer format's vocabulary (reference §7.4; AIHWKit `cloud/converter/v1/mappings.py` and
 * `i_mappings.py`): data sets, layers and their argument types, activations, losses, optimizer, and the
 * RPU-configuration names each kind of experiment may name.
 */

/** Argument kinds, as AIHWKit's converter types them (a list type is written as `ints`). */
export type ArgumentKind = 'int' | 'bool' | 'str' | 'float' | 'ints';

export const ATTRIBUTE_TYPE_OF: Record<ArgumentKind, 'INT' | 'BOOL' | 'STRING' | 'FLOAT' | 'INTS'> = {
  int: 'INT',
  bool: 'BOOL',
  str: 'STRING',
  float: 'FLOAT',
  ints: 'INTS',
};

/** Cloud data-set ids ↔ our data-set names (the format knows FashionMNIST and SVHN only). */
export const CLOUD_DATASETS: Record<string, string | undefined> = {
  fashion_mnist: 'fashion_mnist',
  svhn: undefined, // a Composer data set we do not have
};

/**
 * The normalisation AIHWKit's experiments apply (BasicTraining normalises FashionMNIST with mean 0.2860,
 * std 0.3205; BasicInferencing uses ToTensor only, to match its weight templates).
 */
export const CLOUD_NORMALIZATION: Record<
  'training' | 'inference',
  Record<string, { mean: number; std: number } | null>
> = {
  training: { fashion_mnist: { mean: 0.286, std: 0.3205 } },
  inference: { fashion_mnist: null },
};

const CONV_ARGS: Record<string, ArgumentKind> = {
  in_channels: 'int',
  out_channels: 'int',
  kernel_size: 'ints',
  stride: 'ints',
  padding: 'ints',
  dilation: 'ints',
  bias: 'bool',
};

/** Layer ids and their arguments, in AIHWKit's order (export writes them in this order). */
export const TRAINING_LAYERS: Record<string, Record<string, ArgumentKind>> = {
  AnalogConv2d: { ...CONV_ARGS, rpu_config: 'str', weight_scaling_omega: 'float' },
  AnalogLinear: {
    in_features: 'int',
    out_features: 'int',
    bias: 'bool',
    rpu_config: 'str',
    weight_scaling_omega: 'float',
  },
  BatchNorm2d: { num_features: 'int' },
  Conv2d: CONV_ARGS,
  ConvTranspose2d: { ...CONV_ARGS, output_padding: 'ints' },
  Flatten: {},
  Linear: { in_features: 'int', out_features: 'int', bias: 'bool' },
  MaxPool2d: { kernel_size: 'int', stride: 'int', padding: 'int', dilation: 'int', ceil_mode: 'bool' },
};

export const INFERENCE_LAYERS: Record<string, Record<string, ArgumentKind>> = {
  AnalogConv2d: { ...CONV_ARGS, rpu_config: 'str' },
  AnalogConv2dMapped: { ...CONV_ARGS, rpu_config: 'str' },
  AnalogLinear: { in_features: 'int', out_features: 'int', bias: 'bool', rpu_config: 'str' },
  AnalogLinearMapped: { in_features: 'int', out_features: 'int', bias: 'bool', rpu_config: 'str' },
  BatchNorm2d: { num_features: 'int' },
  Conv2d: CONV_ARGS,
  ConvTranspose2d: { ...CONV_ARGS, output_padding: 'ints' },
  Flatten: {},
  Linear: { in_features: 'int', out_features: 'int', bias: 'bool' },
  MaxPool2d: { kernel_size: 'int', stride: 'int', padding: 'int', dilation: 'int', ceil_mode: 'bool' },
};

/** Layer ids of the format that our layer vocabulary has no counterpart for. */
export const UNSUPPORTED_LAYERS: Record<string, string> = {
  ConvTranspose2d: 'transposed convolutions are not among our layers',
  AnalogConv2dMapped:
    'the "Mapped" layer variants (forced tile arrays) are not among our layers; tiling follows mapping.max_input_size/max_output_size',
  AnalogLinearMapped:
    'the "Mapped" layer variants (forced tile arrays) are not among our layers; tiling follows mapping.max_input_size/max_output_size',
};

export const ACTIVATIONS: Record<string, Record<string, ArgumentKind>> = {
  LeakyReLU: { negative_slope: 'float' },
  LogSigmoid: {},
  LogSoftmax: { dim: 'int' },
  ReLU: {},
  Sigmoid: {},
  Softmax: { dim: 'int' },
  Tanh: {},
};

export const LOSSES = ['BCELoss', 'CrossEntropyLoss', 'MSELoss', 'NLLLoss'] as const;

/** The presets a training experiment's analog layers may name (AIHWKit `Mappings.presets`, 17 names). */
export const TRAINING_PRESETS = [
  'ReRamESPreset',
  'ReRamSBPreset',
  'CapacitorPreset',
  'EcRamPreset',
  'IdealizedPreset',
  'PCMPreset',
  'MixedPrecisionReRamESPreset',
  'MixedPrecisionReRamSBPreset',
  'MixedPrecisionCapacitorPreset',
  'MixedPrecisionEcRamPreset',
  'MixedPrecisionIdealizedPreset',
  'MixedPrecisionPCMPreset',
  'TikiTakaReRamESPreset',
  'TikiTakaReRamSBPreset',
  'TikiTakaCapacitorPreset',
  'TikiTakaEcRamPreset',
  'TikiTakaIdealizedPreset',
] as const;

/** The configurations an inference experiment's analog layers may name (AIHWKit `RPU_CLASSES`). */
export const INFERENCE_CONFIG_NAMES = [
  'InferenceRPUConfig',
  'WebComposerInferenceRPUConfig',
  'OldWebComposerInferenceRPUConfig',
] as const;

/** The configuration AIHWKit uses when a network names none. */
export const DEFAULT_INFERENCE_CONFIG_NAME = 'WebComposerInferenceRPUConfig';

/** Noise-model `device_id`s: "pcm" → PCMLikeNoiseModel, "generic" → StateIndependentNoiseModel. */
export const NOISE_DEVICE_IDS = ['pcm', 'generic'] as const;

/** AIHWKit rebuilds noise models with g_max 25 µS. */
export const CLOUD_G_MAX = 25.0;
