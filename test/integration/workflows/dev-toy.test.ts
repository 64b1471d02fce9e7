/** DEVELOPMENT: orchestration against the toy compute fixture. */
import path from 'node:path';
import { PROJECT_ROOT } from '../../../config/paths';
import { experimentHarness, type Harness } from '../../helpers/experiments';
import { getProgress } from '../../../workflows/client';

const TOY = path.join(PROJECT_ROOT, 'test/fixtures/compute/toy-experiment-jobs.ts');

const training = {
  apiVersion: 'analog-composer/v1',
  kind: 'training',
  name: 'tiny',
  dataset: { name: 'mnist', train_size: 256, test_size: 256 },
  model: {
    layers: [
      { type: 'Flatten' },
      { type: 'AnalogLinear', in_features: 784, out_features: 10 },
      { type: 'LogSoftmax', dim: 1 },
    ],
  },
  rpu_config: { type: 'InferenceRPUConfig' },
  training: { epochs: 3, batch_size: 32 },
  inference: { t_inference: [0, 3600], repeats: 1 },
  execution: { queue: 'cpu' },
};

let h: Harness;
beforeAll(async () => {
  h = await experimentHarness();
  await h.validatorWorker();
  await h.computeWorker('cpu', { computeModule: TOY });
});
afterAll(() => h.close());

it('runs a training experiment to completion', async () => {
  const { experimentId } = await h.submit(training);
  const record = await h.waitForStatus(experimentId, ['completed', 'failed'], 60_000);
  expect(record.statusMessage).toBe('completed');
  const results = await h.experiments.getResults(experimentId);
  console.log(JSON.stringify(results, null, 1).slice(0, 2000));
  console.log(await getProgress(h.client, experimentId));
  console.log(await h.attempts.list(experimentId));
  console.log(await h.checkpoints.list(experimentId));
});
