/** Small helpers for sim-core's tests. */
import * as tf from '@tensorflow/tfjs-core';
import { initBackend, setKernelMode, type KernelMode } from '../backend/backend';

export async function useBackend(kernels: KernelMode = 'js'): Promise<void> {
  await initBackend({ backends: ['wasm', 'cpu'] });
  setKernelMode(kernels);
}

export function t2(values: number[][]): tf.Tensor2D {
  return tf.tensor2d(values);
}

export function values2(t: tf.Tensor): number[][] {
  return t.arraySync() as number[][];
}

/** Row-major [rows, cols] from nested arrays. */
export function flat(values: number[][]): Float32Array {
  return Float32Array.from(values.flat());
}

/** Reference matrix product a [m, k] · b [k, n] in double precision. */
export function matmul(a: number[][], b: number[][]): number[][] {
  return a.map((row) => b[0].map((_, j) => row.reduce((s, v, k) => s + v * b[k][j], 0)));
}

export function transpose(a: number[][]): number[][] {
  return a[0].map((_, j) => a.map((row) => row[j]));
}

export function expectClose(actual: number[][], expected: number[][], tol: number): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((row, i) =>
    row.forEach((v, j) => {
      if (Math.abs(v - expected[i][j]) > tol) {
        throw new Error(`[${i}][${j}]: ${v} vs ${expected[i][j]} (tol ${tol})`);
      }
    }),
  );
}
