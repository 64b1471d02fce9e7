/**
 * End-to-end analog training, against numbers from AIHWKit itself:
 * - Example 1 (AnalogLinear(4, 2), ConstantStep, lr 0.1, MSE, 100 full-batch steps): AIHWKit's README
 *   reports 0.5686 → 0.01376 for one run.
 * - A reduced Fashion-MNIST FC run (784-256-128-10, sigmoid, log-softmax, default ConstantStep config,
 *   batch 64, lr 0.05, NLL; 12,800 training images, 2 epochs, 2,000 test images). AIHWKit 1.1.0's CPU
 *   engine on the same data (bench/sim/aihwkit, seeds 0–2) reached 57.4 %, 52.4 %, 52.1 % test
 *   accuracy; sim-core with seeds 0–2 reached 51.9 %, 55.5 %, 58.0 %. The full one-epoch run is in
 *   `npm run bench:sim`.
 */
import * as tf from '@tensorflow/tfjs-core';
import { AnalogSGDSpec, LayerSpec, RPUConfig } from '../configs';
import { Sequential } from '../layers/sequential';
import { Rng } from '../random/rng';
import { useBackend } from '../test-utils/tensors';
import { regressionLoss } from '../training/losses';
import { AnalogSGD } from '../training/optimizer';
import { TrainingSession } from './training-session';
import { fcMnistSpecs } from '../layers/reference-models';

jest.setTimeout(180000);

function example1(seed: number): { first: number; last: number } {
  const rng = new Rng(seed);
  const model = Sequential.fromSpecs(
    [LayerSpec.parse({ type: 'AnalogLinear', in_features: 4, out_features: 2 })],
    RPUConfig.parse({ type: 'SingleRPUConfig' }),
    rng,
  );
  const optimizer = new AnalogSGD(AnalogSGDSpec.parse({ type: 'AnalogSGD', lr: 0.1 }), model);
  const x = tf.tensor2d([
    [0.1, 0.2, 0.4, 0.3],
    [0.2, 0.1, 0.1, 0.3],
  ]);
  const y = tf.tensor2d([
    [1.0, 0.5],
    [0.7, 0.3],
  ]);
  let first = NaN;
  let last = NaN;
  for (let step = 0; step < 100; step++) {
    const out = model.forward(x, { training: true, rng });
    const { loss, grad } = regressionLoss('MSELoss', out, y);
    if (step === 0) first = loss;
    last = loss;
    model.backward(grad);
    optimizer.step();
    model.clearCache();
    tf.dispose([out, grad]);
  }
  tf.dispose([x, y]);
  model.dispose();
  return { first, last };
}

describe.each(['js', 'tf'] as const)('AIHWKit Example 1 (%s kernels)', (kernels) => {
  beforeAll(() => useBackend(kernels));

  it('falls from ≈ 0.5 to ≈ 0.01 in 100 full-batch steps', () => {
    // The first loss depends on the random initial weights (AIHWKit's run: 0.5686); over seeds 0–4 we see
    // 0.25–1.2 first and 0.001–0.019 last. Asserted: the mean over five seeds falls by more than 20× and
    // ends below 0.02 (AIHWKit: 0.01376), and every run ends below 0.03.
    const runs = [0, 1, 2, 3, 4].map(example1);
    const meanFirst = runs.reduce((s, r) => s + r.first, 0) / runs.length;
    const meanLast = runs.reduce((s, r) => s + r.last, 0) / runs.length;
    expect(meanFirst).toBeGreaterThan(0.3);
    expect(meanFirst).toBeLessThan(1.0);
    expect(meanLast).toBeLessThan(0.02);
    expect(meanLast * 20).toBeLessThan(meanFirst);
    for (const r of runs) expect(r.last).toBeLessThan(0.03);
  });
});

describe('Fashion-MNIST FC network, reduced', () => {
  beforeAll(() => useBackend('js'));

  it('reaches AIHWKit’s accuracy on the same reduced run', async () => {
    const session = await TrainingSession.create({
      model: fcMnistSpecs(true),
      dataset: { name: 'fashion_mnist', train_size: 12800, test_size: 2000 },
      training: { batch_size: 64, epochs: 2, optimizer: { type: 'AnalogSGD', lr: 0.05 } },
      seed: 1,
    });
    const accuracies: (number | null)[] = [];
    while (!session.position.finished) {
      const r = await session.trainBatches(1000);
      if (r.epochCompleted) accuracies.push(r.epochCompleted.test_accuracy);
    }
    session.dispose();
    // AIHWKit: 52.1–57.4 % over three seeds (mean 53.9 %), ours 51.9–58.0 %. The band 42–68 % is the
    // AIHWKit mean ± 12 points: about three times the seed-to-seed spread of either simulator, and far
    // from chance (10 %) and from what an unlearned or diverged model gives.
    expect(accuracies).toHaveLength(2);
    expect(accuracies[1]).toBeGreaterThan(0.42);
    expect(accuracies[1]).toBeLessThan(0.68);
    expect(accuracies[1]!).toBeGreaterThan(accuracies[0]!);
  });
});
