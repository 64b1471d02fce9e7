/**
 * Registers the image layers (Conv2d, AnalogConv2d, MaxPool2d, AvgPool2d, BatchNorm2d) with the
 * sequential model's layer registry. Import this module (for its side effect) wherever models are
 * built from specs that may contain them; `sim-core/layers/all-layers.ts` does.
 */
import { AnalogConv2d, Conv2d, convGeometry } from './conv2d';
import { AvgPool2d, MaxPool2d } from './pool2d';
import { BatchNorm2d } from './batchnorm2d';
import { analogLayerConfig, registerLayerBuilder } from './sequential';

registerLayerBuilder(
  'Conv2d',
  (s, ctx) => new Conv2d(s.in_channels, s.out_channels, convGeometry(s), s.bias, ctx.rng),
);
registerLayerBuilder(
  'AnalogConv2d',
  (s, ctx) =>
    new AnalogConv2d(
      s.in_channels,
      s.out_channels,
      convGeometry(s),
      s.bias,
      analogLayerConfig(s, ctx),
      ctx.rng,
    ),
);
registerLayerBuilder('MaxPool2d', (s) => new MaxPool2d(s));
registerLayerBuilder('AvgPool2d', (s) => new AvgPool2d(s));
registerLayerBuilder('BatchNorm2d', (s) => new BatchNorm2d(s));
