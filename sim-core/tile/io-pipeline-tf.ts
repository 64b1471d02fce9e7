/**
 * The IO-managed MVM of io-pipeline.ts expressed as tfjs ops (for the webgpu backend). Same steps and
 * per-sample semantics; bound management recomputes the batch while any row still fails and keeps, per
 * row, the result of its last allowed pass. Random numbers come from tfjs's seeded generators.
 */
import * as tf from '@tensorflow/tfjs-core';
import { readSync } from '../backend/read';
import type { Rng } from '../random/rng';
import type { IOPipeline } from './io-pipeline';

export interface TfMatrix {
  /** M, [K, N]: y = v·M. */
  m: tf.Tensor2D;
  /** |M| (only needed for PCM read noise and IR drop). */
  abs: () => tf.Tensor2D;
}

const normal = (shape: number[], std: number, rng: Rng) =>
  tf.randomNormal(shape, 0, std, 'float32', rng.nextSeed());

/** α per row, [B, 1], with the zero/negative-scale handling of the C++ engine; `zero` marks rows whose output is 0. */
function noiseManagementTf(
  pipe: IOPipeline,
  x: tf.Tensor2D,
  type: IOPipeline['io']['noise_management'],
): { alpha: tf.Tensor2D; zero: tf.Tensor2D } {
  const io = pipe.io;
  const B = x.shape[0];
  return tf.tidy(() => {
    let a: tf.Tensor;
    const thres = (t: tf.Tensor) => (io.nm_thres > 0 ? tf.minimum(t, io.nm_thres) : t);
    switch (type) {
      case 'NONE':
        a = tf.ones([B, 1]);
        break;
      case 'CONSTANT':
        a = tf.fill([B, 1], io.nm_thres > 0 ? io.nm_thres : 1);
        break;
      case 'MAX':
        a = thres(tf.max(x, 1, true));
        break;
      case 'ABS_MAX':
        a = thres(tf.max(tf.abs(x), 1, true));
        break;
      case 'AVERAGE_ABS_MAX': {
        // Sequential running average: computed in batch order on the host.
        const m = tf.max(tf.abs(x), 1).dataSync();
        const values = Float32Array.from(m, (v) => pipe.nextAverageAbsMax(v));
        a = thres(tf.tensor2d(values, [B, 1]));
        break;
      }
      case 'ABS_MAX_NP_SUM': {
        const am = thres(tf.max(tf.abs(x), 1, true));
        const pos = tf.sum(tf.relu(x), 1, true);
        const neg = tf.sum(tf.relu(tf.neg(x)), 1, true);
        const bound = io.out_bound > 0 ? io.out_bound : 1;
        let t = tf.div(tf.mul(tf.maximum(pos, neg), io.nm_assumed_wmax), bound);
        if (pipe.inStep > 0) t = tf.minimum(t, tf.mul(tf.div(am, pipe.inStep), io.max_bm_res));
        a = tf.maximum(am, t);
        break;
      }
    }
    if (type === 'NONE') return { alpha: a as tf.Tensor2D, zero: tf.zeros([B, 1]) as tf.Tensor2D };
    const nonPositive = tf.lessEqual(a, 0);
    const zero = io.inp_noise <= 0 ? tf.cast(nonPositive, 'float32') : tf.zeros([B, 1]);
    return { alpha: tf.where(nonPositive, tf.onesLike(a), a) as tf.Tensor2D, zero: zero as tf.Tensor2D };
  });
}

function quantizeTf(v: tf.Tensor, step: number, sto: boolean, rng: Rng): tf.Tensor {
  if (!(step > 0)) return v;
  const q = tf.div(v, step);
  const jittered = sto ? tf.add(q, tf.randomUniform(v.shape, -0.5, 0.5, 'float32', rng.nextSeed())) : q;
  return tf.mul(tf.round(jittered), step); // tf.round rounds half to even, as rintf
}

/** One analog pass for all rows with input scale s ([B, 1]); returns z and a [B] fail flag. */
function passTf(
  pipe: IOPipeline,
  x: tf.Tensor2D,
  s: tf.Tensor2D,
  M: TfMatrix,
  rng: Rng,
): { z: tf.Tensor2D; failed: tf.Tensor1D } {
  const io = pipe.io;
  const [B, K] = x.shape;
  const N = M.m.shape[1];
  return tf.tidy(() => {
    // DAC
    let v: tf.Tensor = quantizeTf(tf.mul(x, s), pipe.inStep, io.inp_sto_round, rng);
    if (io.inp_bound > 0) v = tf.clipByValue(v, -io.inp_bound, io.inp_bound);
    if (io.inp_noise > 0) v = tf.add(v, normal([B, K], io.inp_noise, rng));
    if (io.inp_asymmetry !== 0) v = tf.where(tf.less(v, 0), tf.mul(v, 1 - io.inp_asymmetry), v);
    // MAC
    let z: tf.Tensor = tf.matMul(v as tf.Tensor2D, M.m);
    if (io.ir_drop > 0) {
      const a = tf.mul(tf.matMul(tf.abs(v) as tf.Tensor2D, M.abs()), K / io.ir_drop_g_ratio);
      const c = tf.mul(a, tf.add(tf.mul(a, tf.sub(tf.mul(a, 0.05), 0.2)), 0.5));
      const position = tf.linspace(0, (K - 1) / K, K);
      const profile = tf.sub(1, tf.square(tf.sub(1, position)));
      const zPrime = tf.matMul(tf.mul(v, profile) as tf.Tensor2D, M.m);
      z = tf.sub(z, tf.mul(tf.mul(c, io.ir_drop), zPrime));
    }
    const offsets = pipe.perOutput.vOffset;
    if (offsets) {
      const o = tf.tensor2d(offsets, [1, N]);
      const rs = io.r_series;
      const sat = (t: tf.Tensor) => tf.add(1, tf.minimum(tf.mul(tf.abs(t), rs), 0.5));
      if (io.v_offset_w_min === 0) {
        z = tf.mul(tf.sub(1, o), z);
        if (rs > 0) z = tf.div(z, sat(tf.div(z, tf.sub(1, o))));
      } else {
        const yRef = tf.mul(tf.sum(v, 1, true), -io.v_offset_w_min);
        z =
          rs > 0
            ? tf.sub(
                tf.div(tf.mul(tf.sub(1, o), tf.add(z, yRef)), sat(tf.add(z, yRef))),
                tf.div(tf.mul(tf.add(1, o), yRef), sat(yRef)),
              )
            : tf.sub(tf.mul(tf.sub(1, o), z), tf.mul(tf.mul(o, 2), yRef));
      }
    }
    if (io.w_noise > 0 && io.w_noise_type !== 'NONE') {
      const std =
        io.w_noise_type === 'ADDITIVE_CONSTANT'
          ? tf.sqrt(tf.sum(tf.square(v), 1, true))
          : tf.sqrt(tf.relu(tf.matMul(tf.square(v) as tf.Tensor2D, M.abs())));
      z = tf.add(z, tf.mul(tf.mul(std, io.w_noise), normal([B, N], 1, rng)));
    }
    // ADC
    const nonlin = pipe.perOutput.nonlinearity;
    if (nonlin) {
      const n = tf.tensor2d(nonlin, [1, N]);
      z = tf.div(tf.mul(z, pipe.outputNonlinearityGain), tf.add(1, tf.abs(tf.mul(n, z))));
    }
    if (io.out_asymmetry !== 0) z = tf.where(tf.less(z, 0), tf.mul(z, 1 - io.out_asymmetry), z);
    const perOutput = pipe.perOutput.outNoise;
    if (perOutput) z = tf.add(z, tf.mul(normal([B, N], 1, rng), tf.tensor2d(perOutput, [1, N])));
    else if (io.out_noise > 0) z = tf.add(z, normal([B, N], io.out_noise, rng));
    z = quantizeTf(z, pipe.outStep, io.out_sto_round, rng);
    let failed: tf.Tensor1D = tf.zeros([B]) as tf.Tensor1D;
    if (io.out_bound > 0) {
      const over = tf.greater(z, io.out_bound);
      const beyond = io.bm_test_negative_bound ? tf.logicalOr(over, tf.less(z, -io.out_bound)) : over;
      failed = tf.cast(tf.any(beyond, 1), 'float32') as tf.Tensor1D;
      z = tf.clipByValue(z, -io.out_bound, io.out_bound);
    }
    return { z: z as tf.Tensor2D, failed };
  });
}

/** y = MVM(x), [B, K] → [B, N], with the configured non-idealities (tfjs ops). */
export function runIOPipelineTf(pipe: IOPipeline, x: tf.Tensor2D, M: TfMatrix, rng: Rng): tf.Tensor2D {
  const io = pipe.io;
  if (io.is_perfect || io.mv_type === 'IDEAL') return tf.tidy(() => tf.mul(tf.matMul(x, M.m), io.out_scale));
  const B = x.shape[0];
  const bm = pipe.boundManagement;
  const nm = noiseManagementTf(pipe, x, io.noise_management);
  let alpha = nm.alpha;
  const zero = nm.zero;
  let rho: tf.Tensor2D = tf.ones([B, 1]);
  let result: tf.Tensor2D = tf.zeros([B, M.m.shape[1]]);
  // Rows still waiting for an accepted pass (1) or done (0).
  let pending: tf.Tensor2D = tf.tidy(() => tf.sub(1, zero)) as tf.Tensor2D;
  const bmLimit = pipe.inStep > 0 ? io.max_bm_res / pipe.inStep : Infinity;
  let secondWorstCasePass = false;
  try {
    for (;;) {
      const s = tf.tidy(() =>
        tf.div(1, tf.mul(io.noise_management !== 'NONE' ? alpha : tf.onesLike(alpha), rho)),
      ) as tf.Tensor2D;
      const { z, failed } = passTf(pipe, x, s, M, rng);
      s.dispose();
      const retry = tf.tidy(() => {
        if (bm === 'NONE' || secondWorstCasePass) return tf.zerosLike(pending);
        const f = tf.reshape(failed, [B, 1]);
        const allowed =
          bm === 'ITERATIVE_WORST_CASE'
            ? tf.onesLike(rho)
            : tf.cast(
                tf.logicalAnd(tf.lessEqual(rho, io.max_bm_factor), tf.lessEqual(rho, bmLimit)),
                'float32',
              );
        return tf.mul(tf.mul(pending, f), allowed);
      }) as tf.Tensor2D;
      const accept = tf.tidy(() => tf.sub(pending, retry)) as tf.Tensor2D;
      const next = tf.tidy(() =>
        tf.add(result, tf.mul(tf.mul(z, tf.mul(tf.mul(alpha, rho), io.out_scale)), accept)),
      ) as tf.Tensor2D;
      tf.dispose([z, failed, result, accept, pending]);
      result = next;
      pending = retry;
      if (readSync(() => tf.sum(retry))[0] === 0) break;
      if (bm === 'ITERATIVE_WORST_CASE') {
        const np = noiseManagementTf(pipe, x, 'ABS_MAX_NP_SUM');
        const newAlpha = tf.tidy(() => tf.where(tf.greater(retry, 0), np.alpha, alpha)) as tf.Tensor2D;
        tf.dispose([np.alpha, np.zero, alpha, rho]);
        alpha = newAlpha;
        rho = tf.ones([B, 1]);
        secondWorstCasePass = true;
      } else {
        const newRho = tf.tidy(() => tf.mul(rho, tf.add(1, retry))) as tf.Tensor2D;
        rho.dispose();
        rho = newRho;
      }
    }
    return result;
  } finally {
    tf.dispose([alpha, zero, rho, pending]);
  }
}
