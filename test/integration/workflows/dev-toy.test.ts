/** DEVELOPMENT: orchestration against the toy compute fixture. */
import path from 'node:path';
import { WorkflowFailedError } from '@temporalio/client';
import { PROJECT_ROOT } from '../../../config/paths';
import { experimentHarness, type Harness } from '../../helpers/experiments';
import {
  cancelExperiment,
  describeQueueAvailability,
  getProgress,
  pauseExperiment,
  reconcileStatus,
  resumeExperiment,
  startExperimentWorkflow,
} from '../../../workflows/client';
import { experimentWorkflowId } from '../../../workflows/definitions';
import { keepHistory } from '../../helpers/histories';

const TOY = path.join(PROJECT_ROOT, 'test/fixtures/compute/toy-experiment-jobs.ts');

function training(epochs: number, queue = 'cpu', trainSize = 256) {
  return {
    apiVersion: 'analog-composer/v1',
    kind: 'training',
    name: 'tiny',
    dataset: { name: 'mnist', train_size: trainSize, test_size: 256 },
    model: {
      layers: [
        { type: 'Flatten' },
        { type: 'AnalogLinear', in_features: 784, out_features: 10 },
        { type: 'LogSoftmax', dim: 1 },
      ],
    },
    rpu_config: { type: 'InferenceRPUConfig' },
    training: { epochs, batch_size: 32 },
    inference: { t_inference: [0, 3600], repeats: 1 },
    execution: { queue },
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(
  what: string,
  f: () => Promise<T | undefined | null | false>,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await f();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

let h: Harness;
beforeAll(async () => {
  process.env.TOY_BATCH_MS = '25';
  h = await experimentHarness();
  await h.validatorWorker();
  await h.computeWorker('cpu', { computeModule: TOY });
});
afterAll(() => h.close());

async function finalWeights(id: string) {
  return Buffer.from((await h.checkpoints.load({ experimentId: id, kind: 'weights', sequence: 0 }))!.data);
}

let referenceId: string;
it('runs a training experiment to completion', async () => {
  const { experimentId } = await h.submit(training(4));
  referenceId = experimentId;
  const record = await h.waitForStatus(experimentId, ['completed', 'failed'], 60_000);
  expect(record.statusMessage).toBe('completed');
  const results = await h.experiments.getResults(experimentId);
  expect(results!.learning_curve).toHaveLength(4);
  await keepHistory(h.client, experimentWorkflowId(experimentId), 'dev-training');
});

it('pauses at a chunk boundary and resumes to the same result', async () => {
  const { experimentId } = await h.submit(training(4));
  await until('epoch 1', async () => ((await getProgress(h.client, experimentId))?.epoch ?? 0) >= 1);
  await pauseExperiment(h.client, experimentId);
  await h.waitForStatus(experimentId, ['paused'], 30_000);
  const before = { ck: await h.checkpoints.list(experimentId), at: await h.attempts.list(experimentId) };
  const p = await getProgress(h.client, experimentId);
  expect(p).toMatchObject({ paused: true, status: 'paused' });
  await sleep(1500);
  expect(await h.checkpoints.list(experimentId)).toEqual(before.ck);
  expect(await h.attempts.list(experimentId)).toEqual(before.at);
  await resumeExperiment(h.client, experimentId);
  await h.waitForStatus(experimentId, ['completed'], 60_000);
  expect((await finalWeights(experimentId)).equals(await finalWeights(referenceId))).toBe(true);
});

it('cancels during training', async () => {
  const { experimentId } = await h.submit(training(40, 'cpu', 8192));
  await until('batch 20', async () => ((await getProgress(h.client, experimentId))?.batch ?? 0) >= 20);
  const requested = Date.now();
  await cancelExperiment(h.client, experimentId);
  const record = await h.waitForStatus(experimentId, ['cancelled'], 30_000);
  const hist = await h.client.workflow.getHandle(experimentWorkflowId(experimentId)).fetchHistory();
  console.log(hist.events!.map((e) => `${e.eventId} ${e.eventType} ${e.eventTime?.seconds}`).join('\n'));
  const attempts = await h.attempts.list(experimentId, 'train');
  const last = attempts.at(-1)!;
  expect(last.outcome).toBe('cancelled');
  console.log('stop after', last.finishedAt!.getTime() - requested, 'ms', record.statusMessage);
  const results = await h.experiments.getResults(experimentId);
  expect(results!.learning_curve.length).toBeGreaterThanOrEqual(1);
  expect(await h.checkpoints.latest(experimentId, 'training')).not.toBeNull();
});

it('continues as new and completes', async () => {
  const { experimentId, runId } = await h.submit(training(5), {
    limits: { historyEventsBeforeContinueAsNew: 20 },
  });
  await h.waitForStatus(experimentId, ['completed', 'failed'], 60_000);
  const first = await h.client.workflow.getHandle(experimentWorkflowId(experimentId), runId).describe();
  expect(first.status.name).toBe('CONTINUED_AS_NEW');
  expect((await h.experiments.getResults(experimentId))!.learning_curve.map((e) => e.epoch)).toEqual([
    1, 2, 3, 4, 5,
  ]);
  expect((await finalWeights(experimentId)).length).toBe(64);
  await keepHistory(h.client, experimentWorkflowId(experimentId), 'dev-can');
});

it('fails an invalid experiment in validate', async () => {
  const doc = training(0);
  const { experimentId } = await h.submit(doc);
  const record = await h.waitForStatus(experimentId, ['failed'], 30_000);
  console.log(record.statusMessage, JSON.stringify(record.error));
  const handle = h.client.workflow.getHandle(experimentWorkflowId(experimentId));
  const err = await handle.result().catch((e) => e);
  expect(err).toBeInstanceOf(WorkflowFailedError);
  console.log(err.cause);
});

it('starts once per experiment and explains a queue without workers', async () => {
  const { experimentId, runId } = await h.submit(training(1, 'gpu'));
  const record = (await h.experiments.get(experimentId))!;
  const again = await startExperimentWorkflow(h.client, record);
  expect(again).toEqual({ workflowId: experimentWorkflowId(experimentId), runId, started: false });
  expect(await describeQueueAvailability(h.client.connection, 'gpu')).toMatchObject({
    available: false,
    message: 'waiting: no worker polls the gpu queue',
  });
  expect(await describeQueueAvailability(h.client.connection, 'cpu')).toMatchObject({ available: true });
  const correction = await reconcileStatus(h.client, record);
  expect(correction).toMatchObject({
    status: 'queued',
    message: 'waiting: no worker polls the gpu queue',
    changed: true,
  });
  await h.client.workflow.getHandle(experimentWorkflowId(experimentId)).terminate('test over');
  expect(await reconcileStatus(h.client, record)).toMatchObject({ status: 'failed', changed: true });
});
