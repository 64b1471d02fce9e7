/**
 * Layer specifications (the vocabulary of a sequential model), discriminated on `type`, with PyTorch /
 * AIHWKit argument names and defaults. An analog layer without `rpu_config` uses the experiment's default.
 */
import { z } from 'zod';
import { RPUConfig } from './rpu-config';

const positiveInt = z.number().int().positive();
const nonNegativeInt = z.number().int().nonnegative();
/** An int or an (height, width) pair, as PyTorch's `_pair` arguments. */
const pair = (inner: z.ZodNumber) => z.union([inner, z.tuple([inner, inner])]);

export const AnalogLinearSpec = z.strictObject({
  type: z.literal('AnalogLinear'),
  in_features: positiveInt,
  out_features: positiveInt,
  bias: z.boolean().default(true),
  rpu_config: RPUConfig.optional(),
});
export type AnalogLinearSpec = z.infer<typeof AnalogLinearSpec>;

export const LinearSpec = z.strictObject({
  type: z.literal('Linear'),
  in_features: positiveInt,
  out_features: positiveInt,
  bias: z.boolean().default(true),
});
export type LinearSpec = z.infer<typeof LinearSpec>;

const convFields = {
  in_channels: positiveInt,
  out_channels: positiveInt,
  kernel_size: pair(positiveInt),
  stride: pair(positiveInt).default(1),
  padding: pair(nonNegativeInt).default(0),
  dilation: pair(positiveInt).default(1),
  bias: z.boolean().default(true),
};

export const AnalogConv2dSpec = z.strictObject({
  type: z.literal('AnalogConv2d'),
  ...convFields,
  rpu_config: RPUConfig.optional(),
});
export type AnalogConv2dSpec = z.infer<typeof AnalogConv2dSpec>;

export const Conv2dSpec = z.strictObject({ type: z.literal('Conv2d'), ...convFields });
export type Conv2dSpec = z.infer<typeof Conv2dSpec>;

export const MaxPool2dSpec = z.strictObject({
  type: z.literal('MaxPool2d'),
  kernel_size: pair(positiveInt),
  /** null: = kernel_size (PyTorch's default). */
  stride: pair(positiveInt).nullable().default(null),
  padding: pair(nonNegativeInt).default(0),
  dilation: pair(positiveInt).default(1),
  ceil_mode: z.boolean().default(false),
});
export type MaxPool2dSpec = z.infer<typeof MaxPool2dSpec>;

export const AvgPool2dSpec = z.strictObject({
  type: z.literal('AvgPool2d'),
  kernel_size: pair(positiveInt),
  /** null: = kernel_size (PyTorch's default). */
  stride: pair(positiveInt).nullable().default(null),
  padding: pair(nonNegativeInt).default(0),
  ceil_mode: z.boolean().default(false),
  count_include_pad: z.boolean().default(true),
});
export type AvgPool2dSpec = z.infer<typeof AvgPool2dSpec>;

export const BatchNorm2dSpec = z.strictObject({
  type: z.literal('BatchNorm2d'),
  num_features: positiveInt,
  eps: z.number().positive().default(1e-5),
  momentum: z.number().min(0).max(1).default(0.1),
  affine: z.boolean().default(true),
});
export type BatchNorm2dSpec = z.infer<typeof BatchNorm2dSpec>;

export const FlattenSpec = z.strictObject({
  type: z.literal('Flatten'),
  start_dim: z.number().int().default(1),
  end_dim: z.number().int().default(-1),
});
export type FlattenSpec = z.infer<typeof FlattenSpec>;

export const DropoutSpec = z.strictObject({
  type: z.literal('Dropout'),
  p: z.number().min(0).max(1).default(0.5),
});
export type DropoutSpec = z.infer<typeof DropoutSpec>;

export const ReLUSpec = z.strictObject({ type: z.literal('ReLU') });
export const LeakyReLUSpec = z.strictObject({
  type: z.literal('LeakyReLU'),
  negative_slope: z.number().default(0.01),
});
export const SigmoidSpec = z.strictObject({ type: z.literal('Sigmoid') });
export const TanhSpec = z.strictObject({ type: z.literal('Tanh') });
/** `dim` defaults to 1 (the class dimension of a [batch, classes] output). */
export const SoftmaxSpec = z.strictObject({ type: z.literal('Softmax'), dim: z.number().int().default(1) });
export const LogSoftmaxSpec = z.strictObject({
  type: z.literal('LogSoftmax'),
  dim: z.number().int().default(1),
});
export const LogSigmoidSpec = z.strictObject({ type: z.literal('LogSigmoid') });

export const LayerSpec = z.discriminatedUnion('type', [
  AnalogLinearSpec,
  LinearSpec,
  AnalogConv2dSpec,
  Conv2dSpec,
  MaxPool2dSpec,
  AvgPool2dSpec,
  BatchNorm2dSpec,
  FlattenSpec,
  DropoutSpec,
  ReLUSpec,
  LeakyReLUSpec,
  SigmoidSpec,
  TanhSpec,
  SoftmaxSpec,
  LogSoftmaxSpec,
  LogSigmoidSpec,
]);
export type LayerSpec = z.infer<typeof LayerSpec>;
export type LayerSpecInput = z.input<typeof LayerSpec>;
export type LayerType = LayerSpec['type'];

/** Layer types that hold an analog tile (and take an `rpu_config`). */
export const ANALOG_LAYER_TYPES = ['AnalogLinear', 'AnalogConv2d'] as const satisfies readonly LayerType[];
