/**
 * Coincidence-based pulsed update with tfjs ops (for the webgpu backend). Same semantics as the
 * typed-array kernel (pulse-trains.ts): per sample, per slot, each x line and d line fires with its
 * probability; in one slot a cross point sees at most one coincidence, so a slot is one elementwise
 * update-once over the whole matrix, masked to the coincidences. Random numbers come from tfjs's seeded
 * generators (seeds drawn from the experiment stream), so the two kernels agree in distribution only.
 *
 * The deterministic pulse types (MEAN_COUNT, DETERMINISTIC_IMPLICIT) use the typed-array kernel on every
 * backend: they need no random numbers and their per-cross-point counts vary.
 */
import * as tf from '@tensorflow/tfjs-core';
import { readSync } from '../backend/read';
import type { UpdateParameters } from '../configs/update';
import type { Rng } from '../random/rng';
import { pulseSchedule } from './pulse-schedule';
import { pulsedUpdate, type CoincidenceSink } from './pulse-trains';

export interface TfStepContext {
  /** The weights the steps act on (see PulsedDeviceArray.w), [rows, cols]. */
  w: tf.Tensor2D;
  /** 1 where this slot has a DOWN coincidence, else 0. */
  down: tf.Tensor2D;
  /** 1 where this slot has an UP coincidence, else 0. */
  up: tf.Tensor2D;
  /** Standard normals, one per cross point (cycle-to-cycle noise). */
  noise: tf.Tensor2D;
  /** Per-device parameters (tfParameters()) as tensors. */
  p: Record<string, tf.Tensor2D>;
}

/** What the tfjs kernel needs from a pulsed device array. */
export interface TfPulsedDevice extends CoincidenceSink {
  readonly rows: number;
  readonly cols: number;
  granularity(): number;
  stepTf(ctx: TfStepContext): tf.Tensor2D;
  tfParameters(): Record<string, Float32Array>;
  currentArrays(): { w: Float32Array; visible: Float32Array | null; offset: Float32Array | null };
  writeBack(w: Float32Array, visible: Float32Array | null): void;
  readonly writeNoiseStd: number;
}

export function pulsedUpdateTf(
  device: TfPulsedDevice,
  x: tf.Tensor2D,
  d: tf.Tensor2D,
  lr: number,
  up: UpdateParameters,
  rng: Rng,
): void {
  const { rows, cols } = device;
  const batch = x.shape[0];
  if (up.pulse_type === 'MEAN_COUNT' || up.pulse_type === 'DETERMINISTIC_IMPLICIT') {
    pulsedUpdate(
      device,
      x.dataSync() as Float32Array,
      d.dataSync() as Float32Array,
      batch,
      rows,
      cols,
      lr,
      up,
      device.granularity(),
      rng,
    );
    const a = device.currentArrays();
    device.writeBack(a.w, a.visible);
    return;
  }
  if (lr === 0) return;
  const lrSign = lr > 0 ? 1 : -1;
  const eps = device.granularity();
  const xMax = readSync(() => tf.max(tf.abs(x), 1));
  const dMax = readSync(() => tf.max(tf.abs(d), 1));
  const params: Record<string, tf.Tensor2D> = {};
  for (const [k, v] of Object.entries(device.tfParameters())) params[k] = tf.tensor2d(v, [rows, cols]);
  const start = device.currentArrays();
  let w = tf.tensor2d(start.w, [rows, cols]);
  let visible = start.visible ? tf.tensor2d(start.visible, [rows, cols]) : null;
  const wn = device.writeNoiseStd;
  try {
    for (let b = 0; b < batch; b++) {
      const s = pulseSchedule(up, lr, xMax[b], dMax[b], eps);
      if (s.bl === 0) continue;
      const [xSign, px, dSign, pd] = tf.tidy(() => {
        const xb = tf.reshape(tf.slice(x, [b, 0], [1, cols]), [cols]);
        const db = tf.reshape(tf.slice(d, [b, 0], [1, rows]), [rows]);
        const discretize = (p: tf.Tensor1D) =>
          up.res > 0
            ? tf.mul(
                up.sto_round
                  ? tf.floor(
                      tf.add(tf.div(p, up.res), tf.randomUniform(p.shape, 0, 1, 'float32', rng.nextSeed())),
                    )
                  : tf.round(tf.div(p, up.res)),
                up.res,
              )
            : p;
        return [
          tf.sign(xb),
          discretize(tf.mul(tf.abs(xb), s.B)),
          tf.mul(tf.sign(db), lrSign),
          discretize(tf.mul(tf.abs(db), s.A)),
        ] as tf.Tensor1D[];
      });
      for (let t = 0; t < s.bl; t++) {
        const next = tf.tidy(() => {
          const xFire = tf.mul(xSign, tf.less(tf.randomUniform([cols], 0, 1, 'float32', rng.nextSeed()), px));
          const dFire = tf.mul(dSign, tf.less(tf.randomUniform([rows], 0, 1, 'float32', rng.nextSeed()), pd));
          const c = tf.outerProduct(dFire as tf.Tensor1D, xFire as tf.Tensor1D) as tf.Tensor2D;
          const down = tf.cast(tf.greater(c, 0), 'float32') as tf.Tensor2D;
          const upMask = tf.cast(tf.less(c, 0), 'float32') as tf.Tensor2D;
          const noise = tf.randomNormal([rows, cols], 0, 1, 'float32', rng.nextSeed()) as tf.Tensor2D;
          const wNew = device.stepTf({ w, down, up: upMask, noise, p: params });
          if (!visible) return [wNew];
          const touched = tf.greater(tf.abs(c), 0);
          const fresh = tf.add(wNew, tf.randomNormal([rows, cols], 0, wn, 'float32', rng.nextSeed()));
          return [wNew, tf.where(touched, fresh, visible) as tf.Tensor2D];
        });
        w.dispose();
        w = next[0];
        if (visible && next[1]) {
          visible.dispose();
          visible = next[1];
        }
      }
      tf.dispose([xSign, px, dSign, pd]);
    }
    device.writeBack(w.dataSync() as Float32Array, visible ? (visible.dataSync() as Float32Array) : null);
  } finally {
    w.dispose();
    visible?.dispose();
    tf.dispose(Object.values(params));
  }
}
