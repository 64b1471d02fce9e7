/**
 * Data-set specifications. Images are scaled to [0, 1] and then normalized (x − mean)/std; `normalize`
 * null keeps [0, 1] (AIHWKit's ToTensor only).
 *
 * Defaults: Fashion-MNIST mean 0.2860, std 0.3205 (AIHWKit's BasicTraining; the pixel std of the training set
 * is 0.353, but we keep AIHWKit's value so that its published results carry over). MNIST mean 0.1307,
 * std 0.3081: the mean/std of the MNIST training images, as used by PyTorch's examples/mnist (a test
 * recomputes them from the data).
 */
import { z } from 'zod';

export const Normalization = z.strictObject({
  mean: z.number(),
  std: z.number().positive(),
});
export type Normalization = z.infer<typeof Normalization>;

const sizes = {
  /** Use the first n images of the (fixed) training split; null: all. */
  train_size: z.number().int().positive().nullable().default(null),
  /** Use the first n images of the test split; null: all. */
  test_size: z.number().int().positive().nullable().default(null),
};

export const MnistSpec = z.strictObject({
  name: z.literal('mnist'),
  ...sizes,
  normalize: Normalization.nullable().default({ mean: 0.1307, std: 0.3081 }),
});

export const FashionMnistSpec = z.strictObject({
  name: z.literal('fashion_mnist'),
  ...sizes,
  normalize: Normalization.nullable().default({ mean: 0.286, std: 0.3205 }),
});

export const DatasetSpec = z.discriminatedUnion('name', [MnistSpec, FashionMnistSpec]);
export type DatasetSpec = z.infer<typeof DatasetSpec>;
export type DatasetSpecInput = z.input<typeof DatasetSpec>;
export type DatasetName = DatasetSpec['name'];
export const DATASET_NAMES = ['mnist', 'fashion_mnist'] as const satisfies readonly DatasetName[];
