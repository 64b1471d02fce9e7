/**
 * End-to-end inference experiment (issue #4): the MNIST 784-256-128-10 network trained
 * hardware-aware (InferenceRPUConfig + ADD_NORMAL weight noise, PCMLikeNoiseModel) and the same
 * network trained without the modifier, then programmed and read at t_inference ∈ {1 s, 1 h, 1 d,
 * 1 y}, with and without global drift compensation, N repeats each. Prints JSON (and writes it to
 * bench/out/inference-e2e.json). Long: about 2 minutes per training epoch per model on 2 cores.
 *
 *   node --import tsx bench/sim/inference-e2e.ts [epochs=10] [repeats=5] [test_size=10000]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InferenceRPUConfig } from '../../sim-core/configs/rpu-config';
import { TrainingSession, type EpochMetrics } from '../../sim-core/experiment/training-session';
import { InferenceSession } from '../../sim-core/inference/inference-session';
import { fcMnistSpecs } from '../../sim-core/layers/reference-models';
import type { DriftTableRow } from '../../sim-core/inference/drift-table';

const epochs = Number(process.argv[2] ?? 10);
const repeats = Number(process.argv[3] ?? 5);
const testSize = Number(process.argv[4] ?? 10000);
const T_INFERENCE = [1, 3600, 86400, 365 * 86400];

/** AIHWKit example 6's hardware-aware set-up (weight scaling, remapping, clipping) with ADD_NORMAL. */
function rpuConfig(modifier: boolean): InferenceRPUConfig {
  return InferenceRPUConfig.parse({
    type: 'InferenceRPUConfig',
    mapping: { weight_scaling_omega: 1.0, weight_scaling_columnwise: true },
    remap: { type: 'CHANNELWISE_SYMMETRIC' },
    clip: { type: 'LAYER_GAUSSIAN', sigma: 2.5 },
    modifier: modifier ? { type: 'ADD_NORMAL', std_dev: 0.1 } : { type: 'NONE' },
    noise_model: { type: 'PCMLikeNoiseModel' },
    drift_compensation: { type: 'GlobalDriftCompensation' },
  });
}

interface ModelResult {
  name: string;
  learning_curve: EpochMetrics[];
  train_s: number;
  drift_table: DriftTableRow[];
  drift_table_s: number;
}

async function run(name: string, modifier: boolean): Promise<ModelResult> {
  const config = rpuConfig(modifier);
  const t0 = performance.now();
  const training = await TrainingSession.create({
    model: fcMnistSpecs(true),
    rpu_config: config,
    dataset: { name: 'mnist', test_size: testSize },
    training: { batch_size: 64, epochs, optimizer: { type: 'AnalogSGD', lr: 0.1 } },
    seed: 2026,
  });
  const curve: EpochMetrics[] = [];
  while (!training.position.finished) {
    const r = await training.trainBatches(100000);
    if (r.epochCompleted) {
      curve.push(r.epochCompleted);
      process.stderr.write(
        `${name} epoch ${r.epochCompleted.epoch}: test accuracy ${r.epochCompleted.test_accuracy}\n`,
      );
    }
  }
  const trainS = (performance.now() - t0) / 1000;
  const weights = training.exportWeights();
  training.dispose();

  const t1 = performance.now();
  const session = await InferenceSession.create(
    {
      model: fcMnistSpecs(true),
      rpu_config: config,
      dataset: { name: 'mnist', test_size: testSize },
      seed: 7,
    },
    weights,
  );
  const table = await session.evaluateDriftTable({
    t_inference: T_INFERENCE,
    repeats,
    compensation: 'both',
    onProgress: (p) => process.stderr.write(`${name} drift table ${p.done}/${p.total}\n`),
  });
  session.dispose();
  return {
    name,
    learning_curve: curve,
    train_s: trainS,
    drift_table: table,
    drift_table_s: (performance.now() - t1) / 1000,
  };
}

async function main(): Promise<void> {
  const results = [await run('hardware-aware (ADD_NORMAL 0.1)', true), await run('no modifier', false)];
  const out = {
    benchmark: 'inference-e2e',
    model: 'MNIST FC 784-256-128-10 (sigmoid), AnalogSGD lr 0.1, batch 64',
    epochs,
    repeats,
    test_size: testSize,
    t_inference: T_INFERENCE,
    results,
  };
  const text = JSON.stringify(out, null, 2);
  mkdirSync(join('bench', 'out'), { recursive: true });
  writeFileSync(join('bench', 'out', 'inference-e2e.json'), text);
  console.log(text);
}

void main();
