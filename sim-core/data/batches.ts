/** A data-set split as model input: subsets, normalisation, deterministic shuffling and batches. */
import type { DatasetSpec, Normalization } from '../configs/dataset';
import { Rng } from '../random/rng';
import { IMAGE_SIZE, loadDataset, type ImageSplit, type LoadOptions } from './datasets';

/** Local alias: looking up the global `Math` inside a vm context (jest) is ~100× slower than this. */
const M = Math;

export interface Batch {
  /** Normalised pixels, [batch, 1, 28, 28] row-major (NCHW, as torchvision's ToTensor). */
  x: Float32Array;
  labels: Int32Array;
  size: number;
}

export const IMAGE_SHAPE = [1, 28, 28] as const;

export class SplitView {
  readonly count: number;
  private readonly lut: Float32Array;

  constructor(
    private readonly split: ImageSplit,
    limit: number | null,
    normalize: Normalization | null,
  ) {
    if (limit !== null && limit > split.count) {
      throw new Error(`requested ${limit} images, the split has ${split.count}`);
    }
    this.count = limit ?? split.count;
    // Pixel value → normalised float: (v/255 − mean)/std, as ToTensor + Normalize.
    this.lut = Float32Array.from({ length: 256 }, (_, v) =>
      normalize ? (v / 255 - normalize.mean) / normalize.std : v / 255,
    );
  }

  /** The images at the given positions (in this order). */
  batch(indices: ArrayLike<number>): Batch {
    const n = indices.length;
    const x = new Float32Array(n * IMAGE_SIZE);
    const labels = new Int32Array(n);
    const { images } = this.split;
    for (let b = 0; b < n; b++) {
      const k = indices[b];
      if (!(k >= 0 && k < this.count)) throw new Error(`image index ${k} outside 0..${this.count - 1}`);
      const src = k * IMAGE_SIZE;
      const dst = b * IMAGE_SIZE;
      for (let p = 0; p < IMAGE_SIZE; p++) x[dst + p] = this.lut[images[src + p]];
      labels[b] = this.split.labels[k];
    }
    return { x, labels, size: n };
  }

  /** Positions start..end−1 in order. */
  range(start: number, end: number): Batch {
    return this.batch(
      Uint32Array.from({ length: M.max(0, M.min(end, this.count) - start) }, (_, k) => start + k),
    );
  }
}

export interface PreparedDataset {
  spec: DatasetSpec;
  train: SplitView;
  test: SplitView;
}

export function prepareDataset(spec: DatasetSpec, options: LoadOptions = {}): PreparedDataset {
  const raw = loadDataset(spec.name, options);
  return {
    spec,
    train: new SplitView(raw.train, spec.train_size, spec.normalize),
    test: new SplitView(raw.test, spec.test_size, spec.normalize),
  };
}

/** The training order of one epoch: a permutation drawn from a stream seeded with `seed`. */
export function epochOrder(count: number, seed: number): Uint32Array {
  return new Rng(seed).permutation(count);
}
