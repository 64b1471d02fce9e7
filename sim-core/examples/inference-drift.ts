/**
 * Hardware-aware training, then inference over time: a small MNIST run (a few minutes on 2 cores).
 *   node --import tsx sim-core/examples/inference-drift.ts
 */
import { InferenceSession, TrainingSession, fcMnistSpecs, initBackend } from '..';

async function main(): Promise<void> {
  await initBackend();
  const rpu_config = {
    type: 'InferenceRPUConfig',
    mapping: { weight_scaling_omega: 1.0, weight_scaling_columnwise: true },
    remap: { type: 'CHANNELWISE_SYMMETRIC' },
    modifier: { type: 'ADD_NORMAL', std_dev: 0.1 },
    noise_model: { type: 'PCMLikeNoiseModel' },
    drift_compensation: { type: 'GlobalDriftCompensation' },
  } as const;
  const dataset = { name: 'mnist' as const, train_size: 10000, test_size: 2000 };
  const training = await TrainingSession.create({
    model: fcMnistSpecs(true),
    rpu_config,
    dataset,
    training: { batch_size: 64, epochs: 1, optimizer: { type: 'AnalogSGD', lr: 0.1 } },
    seed: 1,
  });
  const { epochCompleted } = await training.trainBatches(1000);
  console.log('trained:', epochCompleted);

  const session = await InferenceSession.create(
    { model: fcMnistSpecs(true), rpu_config, dataset, seed: 2 },
    training.exportWeights(),
  );
  const rows = await session.evaluateDriftTable({
    t_inference: [1, 3600, 86400, 365 * 86400],
    repeats: 3,
    compensation: 'both',
  });
  console.table(rows);
  // Weight and conductance histograms of the last drifted state (flat arrays for plots).
  console.log(session.histograms({ bins: 10 }).map((h) => `${h.label}: ${h.counts.join(' ')}`));
}

void main();
