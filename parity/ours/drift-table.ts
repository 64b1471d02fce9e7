/**
 * The inference drift table of one hardware-aware trained network, its weights copied to both sides:
 * `prepare` trains the FC network once with sim-core (TrainingSession, the case's InferenceRPUConfig for
 * training) and writes its logical weights to files; then each side builds the network with the
 * inference config, loads the same weights and, `repeats` times, programs it and reads the test
 * accuracy at every t_inference (drift + read noise, global drift compensation as configured).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InferenceRPUConfig, InferenceSession, TrainingSession, type ExportedWeights } from '../../sim-core';
import { resolveRPUConfig, type CaseOf } from '../case-schema';
import { exportFashionMnist, FC_MODEL } from '../data-export';
import type { KindModule } from './kind';

type Case = CaseOf<'drift-table'>;

interface LayerFile {
  index: number;
  type: string;
  shape: number[];
  weights: string;
  bias: string | null;
}

export function driftTableLabels(c: Case): string[] {
  return c.t_inference.flatMap((t) => [`test accuracy at t=${t} s`, `test loss at t=${t} s`]);
}

export const driftTable: KindModule<'drift-table'> = {
  script: 'drift_table.py',
  methods: { table: 'seeds' },
  async prepare(c, workDir) {
    const data = exportFashionMnist({ train_size: c.train_size, test_size: c.test_size }, workDir).files;
    const session = await TrainingSession.create({
      model: [...FC_MODEL],
      rpu_config: InferenceRPUConfig.parse(resolveRPUConfig(c.train_rpu_config)),
      dataset: { name: 'fashion_mnist', train_size: c.train_size, test_size: c.test_size },
      training: { epochs: c.train_epochs, batch_size: 64, optimizer: { type: 'AnalogSGD', lr: c.train_lr } },
      seed: c.seed,
    });
    let trained: Record<string, number | null> = {};
    try {
      while (!session.position.finished) {
        const r = await session.trainBatches(200);
        if (r.epochCompleted) trained = { ...r.epochCompleted };
      }
      const exported = session.exportWeights();
      const layers: LayerFile[] = exported.layers.map((l) => {
        const weights = join(workDir, `layer${l.index}-weights.f32`);
        writeFileSync(weights, Buffer.from(l.weights.buffer, l.weights.byteOffset, l.weights.byteLength));
        let bias: string | null = null;
        if (l.bias) {
          bias = join(workDir, `layer${l.index}-bias.f32`);
          writeFileSync(bias, Buffer.from(l.bias.buffer, l.bias.byteOffset, l.bias.byteLength));
        }
        return { index: l.index, type: l.type, shape: l.shape, weights, bias };
      });
      return { data, layers, trained };
    } finally {
      session.dispose();
    }
  },
  async run(c, { inputs, stopwatch, log }) {
    const files = inputs.layers as LayerFile[];
    const f32 = (path: string) => {
      const b = readFileSync(path);
      return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
    };
    const weights: ExportedWeights = {
      sim_core_version: 'parity',
      layers: files.map((l) => ({
        index: l.index,
        type: l.type,
        shape: l.shape,
        weights: f32(l.weights),
        bias: l.bias ? f32(l.bias) : null,
      })),
    };
    const session = await InferenceSession.create(
      {
        model: [...FC_MODEL],
        rpu_config: InferenceRPUConfig.parse(resolveRPUConfig(c.rpu_config)),
        dataset: { name: 'fashion_mnist', train_size: c.train_size, test_size: c.test_size },
        seed: c.seed,
      },
      weights,
    );
    const samples = driftTableLabels(c).map(() => [] as number[]);
    try {
      await stopwatch.timeAsync(async () => {
        for (let r = 0; r < c.repeats; r++) {
          session.program(1000 + r);
          c.t_inference.forEach((t, k) => {
            session.drift(t);
            const e = session.evaluate();
            samples[2 * k].push(e.accuracy);
            samples[2 * k + 1].push(e.loss ?? NaN);
          });
          log(
            `sim-core repeat ${r + 1}/${c.repeats}: accuracy ${samples[0].at(-1)?.toFixed(4)} at t=${c.t_inference[0]} s`,
          );
        }
      });
    } finally {
      session.dispose();
    }
    return {
      groups: { table: { labels: driftTableLabels(c), samples } },
      info: Object.fromEntries(
        Object.entries(inputs.trained as Record<string, number | null>).map(([k, v]) => [
          `trained ${k}`,
          v ?? 'null',
        ]),
      ),
    };
  },
};
