/**
 * A tile's visible weight matrix W ([outSize, inSize], row-major, as AIHWKit's `get_weights()`), and the
 * two directions of its product for the IO pipeline: forward y = x·Wᵀ, backward y = d·W. Large products
 * go through tfjs matMul (the WASM backend's GEMM is ~20× faster than a JS loop); tiny ones stay in JS
 * where the per-op overhead would dominate. Tensors are cached per weight version.
 */
import * as tf from '@tensorflow/tfjs-core';
import { readSync } from '../backend/read';
import type { MvmMatrix } from './mvm-matrix';

/** Local alias: looking up the global `Math` inside a vm context (jest) is ~100× slower than this. */
const M = Math;

/** Backends whose matMul is checked to give A·B = (Bᵀ·Aᵀ)ᵀ bit for bit (weight-matrix.test.ts). */
const SYMMETRIC_MATMUL_BACKENDS = new Set(['wasm', 'cpu']);

/** Below this many multiply-adds a JS loop beats a tfjs op call. */
const TF_MATMUL_MIN_WORK = 1 << 15;

export class WeightMatrix {
  readonly data: Float32Array;
  private version = 0;
  private cache = new Map<string, { version: number; tensor: tf.Tensor2D }>();
  /** The weight version of the last large forward product (plain and |W|). */
  private lastForwardVersion = { plain: -1, abs: -1 };
  /**
   * Scratch for vᵀ: the tensor made from it lives only inside `product` (the wasm backend copies it
   * into its heap; tfjs-cpu keeps a reference, but the tensor is disposed before `product` returns).
   */
  private transposeScratch = new Float32Array(0);

  constructor(
    readonly outSize: number,
    readonly inSize: number,
    data?: Float32Array,
  ) {
    this.data = data ?? new Float32Array(outSize * inSize);
    if (this.data.length !== outSize * inSize) {
      throw new Error(`WeightMatrix: ${this.data.length} values for a ${outSize}×${inSize} matrix`);
    }
  }

  /** Call after changing `data` in place. */
  touch(): void {
    this.version++;
  }

  set(values: ArrayLike<number>): void {
    if (values.length !== this.data.length) {
      throw new Error(
        `WeightMatrix.set: ${values.length} values for a ${this.outSize}×${this.inSize} matrix`,
      );
    }
    this.data.set(values);
    this.touch();
  }

  private tensor(kind: 'w' | 'wT' | 'absW' | 'absWT'): tf.Tensor2D {
    const hit = this.cache.get(kind);
    if (hit && hit.version === this.version) return hit.tensor;
    hit?.tensor.dispose();
    const O = this.outSize;
    const I = this.inSize;
    let values = this.data;
    if (kind === 'absW' || kind === 'absWT') values = values.map(M.abs);
    let t: tf.Tensor2D;
    if (kind === 'w' || kind === 'absW') {
      t = tf.tensor2d(values, [O, I]);
    } else {
      t = tf.tensor2d(transpose(values, O, I), [I, O]);
    }
    // Kept: the first use may be inside a caller's tf.tidy, which would otherwise dispose the cache.
    tf.keep(t);
    this.cache.set(kind, { version: this.version, tensor: t });
    return t;
  }

  /** W (or Wᵀ) as a tensor, for the tfjs kernels. Owned by this object: do not dispose. */
  asTensor(transposed: boolean): tf.Tensor2D {
    return this.tensor(transposed ? 'wT' : 'w');
  }

  /** |W| (or |W|ᵀ) as a tensor. Owned by this object: do not dispose. */
  asAbsTensor(transposed: boolean): tf.Tensor2D {
    return this.tensor(transposed ? 'absWT' : 'absW');
  }

  /** Forward direction: K = inSize, N = outSize, y = v·Wᵀ. */
  forward(): MvmMatrix {
    return {
      inSize: this.inSize,
      outSize: this.outSize,
      product: (v, batch) => this.product(v, batch, true, false),
      absProduct: (v, batch) => this.product(v, batch, true, true),
    };
  }

  /** Backward direction: K = outSize, N = inSize, y = d·W. */
  backward(): MvmMatrix {
    return {
      inSize: this.outSize,
      outSize: this.inSize,
      product: (v, batch) => this.product(v, batch, false, false),
      absProduct: (v, batch) => this.product(v, batch, false, true),
    };
  }

  private product(v: Float32Array, batch: number, transposed: boolean, abs: boolean): Float32Array {
    const O = this.outSize;
    const I = this.inSize;
    const K = transposed ? I : O;
    const N = transposed ? O : I;
    if (v.length !== batch * K) throw new Error(`MVM input has ${v.length} values, expected ${batch}×${K}`);
    if (batch * K * N >= TF_MATMUL_MIN_WORK) {
      if (transposed && this.forwardByTransposedProduct(abs)) {
        // (v·Wᵀ)ᵀ = W·vᵀ: the same sums in the same order (see forwardByTransposedProduct).
        if (this.transposeScratch.length < v.length) this.transposeScratch = new Float32Array(v.length);
        const vT = transpose(v, batch, K, this.transposeScratch.subarray(0, v.length));
        const yT = readSync(() => tf.matMul(this.tensor(abs ? 'absW' : 'w'), tf.tensor2d(vT, [K, batch])));
        return transpose(yT, N, batch);
      }
      const m = this.tensor(transposed ? (abs ? 'absWT' : 'wT') : abs ? 'absW' : 'w');
      return readSync(() => tf.matMul(tf.tensor2d(v, [batch, K]), m));
    }
    const w = this.data;
    const y = new Float32Array(batch * N);
    if (transposed) {
      for (let b = 0; b < batch; b++) {
        for (let i = 0; i < O; i++) {
          let s = 0;
          const wo = i * I;
          const vo = b * I;
          if (abs) for (let j = 0; j < I; j++) s += v[vo + j] * M.abs(w[wo + j]);
          else for (let j = 0; j < I; j++) s += v[vo + j] * w[wo + j];
          y[b * O + i] = s;
        }
      }
    } else {
      const acc = new Float64Array(I);
      for (let b = 0; b < batch; b++) {
        acc.fill(0);
        for (let i = 0; i < O; i++) {
          const d = v[b * O + i];
          if (d === 0) continue;
          const wo = i * I;
          if (abs) for (let j = 0; j < I; j++) acc[j] += d * M.abs(w[wo + j]);
          else for (let j = 0; j < I; j++) acc[j] += d * w[wo + j];
        }
        for (let j = 0; j < I; j++) y[b * I + j] = acc[j];
      }
    }
    return y;
  }

  /**
   * Whether a forward product y = v·Wᵀ should run as (W·vᵀ)ᵀ: for the first forward after the weights
   * changed, unless Wᵀ is already at hand. In training the weights change after every batch, and
   * building Wᵀ (a transpose, an upload, and the backend packing it anew) cost more than the product
   * itself; transposing the smaller v and y instead saved ~1 ms per batch on the FC network. A
   * second forward on the same weights (inference, several batches) builds Wᵀ and keeps it.
   *
   * The results are identical, not just close: both CPU backends sum each output over k in the same
   * order whichever operand is on the left (tfjs-cpu's blocked loops are symmetric in the two
   * operands; the wasm backend's XNNPACK GEMM accumulates along k the same way) — checked bit for
   * bit in weight-matrix.test.ts.
   */
  private forwardByTransposedProduct(abs: boolean): boolean {
    if (!SYMMETRIC_MATMUL_BACKENDS.has(tf.getBackend())) return false;
    const hit = this.cache.get(abs ? 'absWT' : 'wT');
    if (hit && hit.version === this.version) return false;
    const kind = abs ? 'abs' : 'plain';
    const first = this.lastForwardVersion[kind] !== this.version;
    this.lastForwardVersion[kind] = this.version;
    return first;
  }

  dispose(): void {
    for (const { tensor } of this.cache.values()) tensor.dispose();
    this.cache.clear();
  }
}

/** Edge of the square blocks of `transpose`: two 32×32 float32 blocks fit in the L1 cache. */
const TRANSPOSE_BLOCK = 32;

/**
 * [rows, cols] → [cols, rows], block by block: the plain double loop writes with a stride of `rows`
 * and missed the cache on nearly every write (a 256×784 transpose per weight version was ~0.5 ms).
 */
function transpose(
  values: Float32Array,
  rows: number,
  cols: number,
  out = new Float32Array(rows * cols),
): Float32Array {
  for (let i0 = 0; i0 < rows; i0 += TRANSPOSE_BLOCK) {
    const i1 = M.min(i0 + TRANSPOSE_BLOCK, rows);
    for (let j0 = 0; j0 < cols; j0 += TRANSPOSE_BLOCK) {
      const j1 = M.min(j0 + TRANSPOSE_BLOCK, cols);
      for (let i = i0; i < i1; i++) {
        const ro = i * cols;
        for (let j = j0; j < j1; j++) out[j * rows + i] = values[ro + j];
      }
    }
  }
  return out;
}
