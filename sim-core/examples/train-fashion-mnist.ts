/**
 * Runnable example (see sim-core/README.md):
 *   node --import tsx sim-core/examples/train-fashion-mnist.ts
 * Trains AIHWKit's 3-layer FC network with analog ConstantStep tiles on a slice of Fashion-MNIST,
 * checkpoints, restores and continues.
 */
import { initBackend, RPU_CONFIG_PRESETS, TrainingSession, type TrainingSessionOptionsInput } from '../index';

async function main(): Promise<void> {
  const backend = await initBackend(); // tensorflow (if installed) → wasm → cpu
  console.log(`backend: ${backend.backend}`);

  const options: TrainingSessionOptionsInput = {
    model: [
      { type: 'Flatten' },
      { type: 'AnalogLinear', in_features: 784, out_features: 256 },
      { type: 'Sigmoid' },
      { type: 'AnalogLinear', in_features: 256, out_features: 128 },
      { type: 'Sigmoid' },
      // A layer may bring its own RPU config, e.g. an AIHWKit preset:
      {
        type: 'AnalogLinear',
        in_features: 128,
        out_features: 10,
        rpu_config: RPU_CONFIG_PRESETS.IdealizedPreset(),
      },
      { type: 'LogSoftmax', dim: 1 },
    ],
    rpu_config: { type: 'SingleRPUConfig', device: { type: 'ConstantStepDevice' } }, // the default for the others
    dataset: { name: 'fashion_mnist', train_size: 6400, test_size: 1000 },
    training: {
      batch_size: 64,
      epochs: 2,
      optimizer: { type: 'AnalogSGD', lr: 0.05 },
      scheduler: { type: 'StepLR', step_size: 1, gamma: 0.5 },
      loss: { type: 'NLLLoss' },
    },
    seed: 42,
  };

  const session = await TrainingSession.create(options);
  const first = await session.trainBatches(session.position.batchesPerEpoch, {
    onProgress: (p) =>
      p.batch % 25 === 0 && console.log(`epoch ${p.epoch + 1} batch ${p.batch}: loss ${p.loss}`),
  });
  console.log('epoch done:', first.epochCompleted);

  // Save, restore (e.g. in another process or after a crash) and continue bit for bit.
  const blob = session.checkpoint();
  session.dispose();
  const resumed = await TrainingSession.restore(options, blob);
  console.log('resumed at', resumed.position);
  while (!resumed.position.finished) {
    const r = await resumed.trainBatches(50);
    if (r.epochCompleted) console.log('epoch done:', r.epochCompleted);
  }
  const weights = resumed.exportWeights();
  console.log(weights.layers.map((l) => `${l.type} ${l.shape.join('×')}`).join(', '));
  resumed.dispose();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
