/** Layer lists of the reference networks (reference §8.1), analog or digital per layer. */
import type { LayerSpecInput } from '../configs/layers';

/**
 * LeNet5 of AIHWKit's examples 4 and 6: Conv(1→16, k5)–tanh–maxpool2–Conv(16→32, k5)–tanh–maxpool2–
 * tanh–flatten–Linear(512→128)–tanh–Linear(128→10)–log-softmax, on [batch, 1, 28, 28] images.
 */
export function lenet5Specs(analog: { conv: boolean; linear: boolean } | boolean): LayerSpecInput[] {
  const a = typeof analog === 'boolean' ? { conv: analog, linear: analog } : analog;
  const conv = a.conv ? 'AnalogConv2d' : 'Conv2d';
  const linear = a.linear ? 'AnalogLinear' : 'Linear';
  return [
    { type: conv, in_channels: 1, out_channels: 16, kernel_size: 5 },
    { type: 'Tanh' },
    { type: 'MaxPool2d', kernel_size: 2 },
    { type: conv, in_channels: 16, out_channels: 32, kernel_size: 5 },
    { type: 'Tanh' },
    { type: 'MaxPool2d', kernel_size: 2 },
    { type: 'Tanh' },
    { type: 'Flatten' },
    { type: linear, in_features: 512, out_features: 128 },
    { type: 'Tanh' },
    { type: linear, in_features: 128, out_features: 10 },
    { type: 'LogSoftmax' },
  ];
}

/** The 784-256-128-10 sigmoid network of AIHWKit's example 3 (MNIST), flattening the images first. */
export function fcMnistSpecs(analog: boolean): LayerSpecInput[] {
  const linear = analog ? 'AnalogLinear' : 'Linear';
  return [
    { type: 'Flatten' },
    { type: linear, in_features: 784, out_features: 256 },
    { type: 'Sigmoid' },
    { type: linear, in_features: 256, out_features: 128 },
    { type: 'Sigmoid' },
    { type: linear, in_features: 128, out_features: 10 },
    { type: 'LogSoftmax' },
  ];
}
