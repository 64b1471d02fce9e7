/**
 * One direction of a tile's matrix-vector product, as the IO pipeline sees it: y = v · M for a batch of
 * row vectors v, with M of shape [K, N] (forward: M = Wᵀ, backward: M = W).
 */
export interface MvmMatrix {
  /** K: the length of an input vector. */
  readonly inSize: number;
  /** N: the length of an output vector. */
  readonly outSize: number;
  /** [batch, K] · M → [batch, N]. `v` is the caller's scratch buffer: read it, do not keep it. */
  product(v: Float32Array, batch: number): Float32Array;
  /** [batch, K] · |M| → [batch, N] (for PCM read noise and IR drop). */
  absProduct(v: Float32Array, batch: number): Float32Array;
}
