/**
 * The device response curve: a [devices, 1] tile, N single up pulses then N single down pulses; the
 * weights of all devices at the checkpoints. A single pulse is an update with x = 1, d = ∓1, lr = 1 and
 * pulse trains of length 1 without update/BL management: both probabilities exceed 1, so exactly one
 * coincidence reaches every device (d < 0 is an up pulse: AIHWKit's sign convention, reference §2.2).
 */
import * as tf from '@tensorflow/tfjs-core';
import { AnalogTile, RPUConfig, Rng } from '../../sim-core';
import { deepMerge, resolveRPUConfig, type CaseOf } from '../case-schema';
import { columnsAsQuantities } from '../side';
import type { KindModule } from './kind';

type Case = CaseOf<'device-curve'>;

/** The update parameters that make one update call exactly one pulse per device. */
export const SINGLE_PULSE_UPDATE = {
  desired_bl: 1,
  fixed_bl: true,
  update_bl_management: false,
  update_management: false,
  pulse_type: 'STOCHASTIC_COMPRESSED',
} as const;

export function curveCheckpoints(c: Case): number[] {
  if (c.checkpoints) return c.checkpoints;
  return Array.from({ length: 9 }, (_, k) => Math.round((k * 2 * c.pulses) / 8));
}

export const deviceCurve: KindModule<'device-curve'> = {
  script: 'device_curve.py',
  prepare(c) {
    const points = curveCheckpoints(c);
    if (points.some((p) => p > 2 * c.pulses)) throw new Error('checkpoints must be ≤ 2 × pulses');
    return { checkpoints: points };
  },
  async run(c, { inputs, stopwatch }) {
    const points = inputs.checkpoints as number[];
    const config = RPUConfig.parse(
      deepMerge(resolveRPUConfig(c.rpu_config), { update: SINGLE_PULSE_UPDATE }),
    );
    const rng = new Rng(c.seed);
    const x = tf.tensor2d([[1]]);
    const up = tf.fill([1, c.devices], -1) as tf.Tensor2D;
    const down = tf.fill([1, c.devices], 1) as tf.Tensor2D;
    const values = new Float64Array(c.draws * c.devices * points.length);
    for (let k = 0; k < c.draws; k++) {
      const tile = AnalogTile.fromRPUConfig(config, c.devices, 1, rng);
      tile.setWeights(new Float32Array(c.devices).fill(c.w0));
      const record = (pulse: number) => {
        points.forEach((p, q) => {
          if (p !== pulse) return;
          const w = tile.getWeights();
          for (let i = 0; i < c.devices; i++) values[(k * c.devices + i) * points.length + q] = w[i];
        });
      };
      record(0);
      stopwatch.time(() => {
        for (let p = 1; p <= 2 * c.pulses; p++) {
          tile.update(x, p <= c.pulses ? up : down, 1);
          record(p);
        }
      });
      tile.dispose();
    }
    tf.dispose([x, up, down]);
    const labels = points.map((p) =>
      p <= c.pulses ? `w after ${p} up` : `w after ${c.pulses} up, ${p - c.pulses} down`,
    );
    return { groups: { curve: columnsAsQuantities(values, c.draws * c.devices, labels) } };
  },
};
