/**
 * The FC network on Fashion-MNIST (784-256-128-10, sigmoid, log-softmax, NLL, AnalogSGD, batch 64): per
 * seed a TrainingSession for `epochs` epochs; test accuracy, test loss and train loss per epoch. The
 * AIHWKit side trains the same network on the same exported split.
 */
import { TrainingSession } from '../../sim-core';
import { resolveRPUConfig, type CaseOf } from '../case-schema';
import { exportFashionMnist, FC_MODEL } from '../data-export';
import type { KindModule } from './kind';

export function fcLabels(epochs: number): string[] {
  const labels: string[] = [];
  for (let e = 1; e <= epochs; e++)
    labels.push(`epoch ${e} test accuracy`, `epoch ${e} test loss`, `epoch ${e} train loss`);
  return labels;
}

export const fcFashion: KindModule<'fc-fashion'> = {
  script: 'fc_fashion.py',
  methods: { metrics: 'seeds' },
  prepare(c, workDir) {
    return { data: exportFashionMnist({ train_size: c.train_size, test_size: c.test_size }, workDir).files };
  },
  async run(c: CaseOf<'fc-fashion'>, { stopwatch, log }) {
    const config = resolveRPUConfig(c.rpu_config);
    const labels = fcLabels(c.epochs);
    const samples = labels.map(() => [] as number[]);
    for (let seed = 1; seed <= c.seeds; seed++) {
      const session = await TrainingSession.create({
        model: [...FC_MODEL],
        rpu_config: config,
        dataset: { name: 'fashion_mnist', train_size: c.train_size, test_size: c.test_size },
        training: {
          epochs: c.epochs,
          batch_size: c.batch_size,
          optimizer: { type: 'AnalogSGD', lr: c.lr },
          loss: { type: 'NLLLoss' },
        },
        seed,
      });
      try {
        let epoch = 0;
        await stopwatch.timeAsync(async () => {
          while (!session.position.finished) {
            const r = await session.trainBatches(200);
            const m = r.epochCompleted;
            if (!m) continue;
            const values = [m.test_accuracy, m.test_loss, m.train_loss];
            values.forEach((v, k) => samples[epoch * 3 + k].push(v ?? NaN));
            epoch++;
            log(
              `sim-core seed ${seed}/${c.seeds} epoch ${m.epoch}: accuracy ${m.test_accuracy?.toFixed(4)}, ` +
                `train loss ${m.train_loss?.toFixed(4)} (${m.time_epoch.toFixed(1)} s)`,
            );
          }
        });
      } finally {
        session.dispose();
      }
    }
    return { groups: { metrics: { labels, samples } } };
  },
};
