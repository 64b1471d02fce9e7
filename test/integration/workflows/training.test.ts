/**
 * Training experiments through the real workflow on the embedded Temporal server and store, with the
 * workers built as `task-queues/` builds them (sim-core in compute threads): completion and results,
 * pause/resume, cancellation, continue-as-new, an invalid experiment, idempotent submission and a
 * queue nobody polls.
 */
import { WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { EPOCH_METRICS_KEYS } from './expectations';
import { trainingDocument } from './documents';
import { expectSameWeights, storedWeights, uninterruptedWeights } from './reference';
import { experimentHarness, type Harness } from '../../helpers/experiments';
import { keepHistory } from '../../helpers/histories';
import {
  cancelExperiment,
  describeQueueAvailability,
  getProgress,
  pauseExperiment,
  reconcileStatus,
  resumeExperiment,
  startExperimentWorkflow,
} from '../../../workflows/client';
import type { ExperimentProgress } from '../../../contracts/progress';
import { experimentWorkflowId } from '../../../workflows/definitions';
import { SA_OWNER } from '../../../temporal-config/search-attributes';

const { EventType } = temporal.api.enums.v1;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `check` until it returns something truthy. */
async function until<T>(
  what: string,
  check: () => Promise<T | null | undefined | false>,
  timeoutMs = 90_000,
) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

let h: Harness;
beforeAll(async () => {
  h = await experimentHarness();
  await h.validatorWorker();
  await h.computeWorker('cpu');
});
afterAll(() => h?.close());

describe('a training experiment on the cpu queue', () => {
  const document = trainingDocument({ epochs: 3 });
  let experimentId: string;

  it('completes, with results persisted and readable', async () => {
    ({ experimentId } = await h.submit(document));
    const record = await h.waitForStatus(experimentId, ['completed', 'failed']);
    expect(record).toMatchObject({ status: 'completed', statusMessage: 'completed', error: null });
    expect(record.startedAt).toBeInstanceOf(Date);
    expect(record.finishedAt).toBeInstanceOf(Date);

    const results = (await h.experiments.getResults(experimentId))!;
    expect(results.learning_curve.map((e) => e.epoch)).toEqual([1, 2, 3]);
    for (const epoch of results.learning_curve) {
      expect(Object.keys(epoch).sort()).toEqual(EPOCH_METRICS_KEYS);
      expect(epoch.test_accuracy).toBeGreaterThanOrEqual(0);
      expect(epoch.test_accuracy).toBeLessThanOrEqual(1);
      expect(epoch.lr).toBe(0.05);
    }
    expect(results).toMatchObject({
      backend: 'wasm',
      queue: 'cpu',
      sim_core_version: '0.1.0',
      inference: [],
    });
    expect(results.timings).toEqual({
      validate_s: expect.any(Number),
      train_s: expect.any(Number),
      total_s: expect.any(Number),
    });
    // One histogram of trained weights per analog layer (layers 1 and 3 of the MLP).
    expect(results.histograms.map((x) => [x.layer, x.quantity, x.stage])).toEqual([
      ['1:AnalogLinear', 'weight', 'trained'],
      ['3:AnalogLinear', 'weight', 'trained'],
    ]);
    expect(results.histograms[0].counts.reduce((a, b) => a + b, 0)).toBe(784 * 32);

    // The final progress: the stored snapshot and the query agree.
    const progress = await getProgress(h.client, experimentId);
    expect(progress).toMatchObject({
      phase: 'completed',
      status: 'completed',
      epoch: 3,
      totalEpochs: 3,
      paused: false,
    });
    expect(progress!.metrics).toEqual(results.learning_curve[2]);
    expect(record.progress).toMatchObject({ phase: 'completed', epoch: 3 });
  });

  it('trained chunk by chunk (one epoch each), pruned its training checkpoints and kept the final weights', async () => {
    const attempts = await h.attempts.list(experimentId, 'train');
    expect(attempts.map((a) => [a.sequence, a.attempt, a.resumedFrom, a.outcome])).toEqual([
      [0, 1, null, 'completed'],
      [1, 1, 0, 'completed'],
      [2, 1, 1, 'completed'],
    ]);
    expect((await h.checkpoints.list(experimentId)).map((c) => `${c.kind}:${c.sequence}`)).toEqual([
      'weights:0',
    ]);
    // Resuming from each chunk's checkpoint is exact: the same weights as one uninterrupted session.
    expectSameWeights(await storedWeights(h.checkpoints, experimentId), await uninterruptedWeights(document));
    await keepHistory(h.client, experimentWorkflowId(experimentId), 'training-cpu');
  });
});

describe('chunks of a number of mini-batches', () => {
  it('checkpoints every checkpoint_every_batches batches across epoch ends and ends as an uninterrupted run', async () => {
    // 256 images at batch 32: 8 batches per epoch; chunks of 5 batches cross the epoch end.
    const base = trainingDocument({ epochs: 2, seed: 5 });
    const document = { ...base, training: { ...base.training, checkpoint_every_batches: 5 } };
    const { experimentId } = await h.submit(document);
    const record = await h.waitForStatus(experimentId, ['completed', 'failed']);
    expect(record.status).toBe('completed');
    const attempts = await h.attempts.list(experimentId, 'train');
    // 16 batches in chunks of 5: 5, 5, 5, 1.
    expect(attempts.map((a) => [a.sequence, a.resumedFrom, a.outcome])).toEqual([
      [0, null, 'completed'],
      [1, 0, 'completed'],
      [2, 1, 'completed'],
      [3, 2, 'completed'],
    ]);
    const results = (await h.experiments.getResults(experimentId))!;
    expect(results.learning_curve.map((e) => e.epoch)).toEqual([1, 2]);
    expectSameWeights(await storedWeights(h.checkpoints, experimentId), await uninterruptedWeights(document));
  });
});

describe('pause and resume', () => {
  it('stops at the next checkpoint, makes no progress while paused, and ends as an uninterrupted run', async () => {
    const document = trainingDocument({ epochs: 4, trainSize: 4096, seed: 11 });
    const { experimentId } = await h.submit(document);
    await until(
      'the first epoch',
      async () => ((await getProgress(h.client, experimentId))?.epoch ?? 0) >= 1,
    );
    await pauseExperiment(h.client, experimentId);
    const paused = await h.waitForStatus(experimentId, ['paused', 'completed']);
    expect(paused.status).toBe('paused');
    expect(paused.statusMessage).toBe('paused at a checkpoint; resume to continue');
    const progress = (await getProgress(h.client, experimentId))!;
    expect(progress).toMatchObject({ paused: true, pauseRequested: true, status: 'paused', batch: 0 });
    expect(progress.epoch).toBeLessThan(4);

    const before = {
      attempts: await h.attempts.list(experimentId),
      checkpoints: await h.checkpoints.list(experimentId),
    };
    expect(before.attempts.every((a) => a.outcome === 'completed')).toBe(true);
    await sleep(2500);
    expect(await h.attempts.list(experimentId)).toEqual(before.attempts);
    expect(await h.checkpoints.list(experimentId)).toEqual(before.checkpoints);
    expect((await getProgress(h.client, experimentId))!.epoch).toBe(progress.epoch);

    await resumeExperiment(h.client, experimentId);
    await h.waitForStatus(experimentId, ['completed', 'failed']);
    expect((await h.experiments.get(experimentId))!.status).toBe('completed');
    expect((await h.experiments.getResults(experimentId))!.learning_curve).toHaveLength(4);
    expectSameWeights(await storedWeights(h.checkpoints, experimentId), await uninterruptedWeights(document));
    await keepHistory(h.client, experimentWorkflowId(experimentId), 'pause-resume');
  });
});

describe('cancellation during training', () => {
  it('stops the activity within 5 s; status cancelled; the metrics so far and the last checkpoint remain', async () => {
    // 1875 batches per epoch (a few seconds): the cancel is sent before the last quarter of the second
    // chunk, so the chunk is still running when the cancellation reaches it (within a heartbeat).
    const { experimentId } = await h.submit(trainingDocument({ epochs: 3, trainSize: 60000 }));
    let live: ExperimentProgress | null = null;
    const running = await until('the second chunk, before its last quarter', async () => {
      live = await getProgress(h.client, experimentId);
      if (!live || live.epoch !== 1 || live.batch < 20 || live.batch > (1875 * 3) / 4) return undefined;
      return (await h.attempts.list(experimentId, 'train')).find((a) => a.outcome === 'running');
    });
    // Live progress: the query's state refined with the running chunk's heartbeat.
    expect(live).toMatchObject({
      phase: 'training',
      status: 'running',
      totalEpochs: 3,
      batchesPerEpoch: 1875,
    });
    expect(live!.metrics?.epoch).toBeGreaterThanOrEqual(1);
    expect(live!.etaSeconds).toBeGreaterThan(0);
    const requestedAt = Date.now();
    await cancelExperiment(h.client, experimentId);
    const record = await h.waitForStatus(experimentId, ['cancelled', 'completed', 'failed']);
    expect(record).toMatchObject({ status: 'cancelled', statusMessage: 'cancelled' });

    const attempts = await h.attempts.list(experimentId, 'train');
    const stopped = attempts.find((a) => a._id === running._id)!;
    expect(stopped.outcome).toBe('cancelled');
    // The issue's bound; typically about a second (heartbeats go out every second).
    expect(stopped.finishedAt!.getTime() - requestedAt).toBeLessThan(5000);
    expect(attempts[attempts.length - 1]._id).toBe(running._id);

    const err = await h.client.workflow
      .getHandle(experimentWorkflowId(experimentId))
      .result()
      .catch((e) => e);
    expect(err).toBeInstanceOf(WorkflowFailedError);
    expect(err.cause).toBeInstanceOf(CancelledFailure);

    const results = (await h.experiments.getResults(experimentId))!;
    const completedEpochs = results.learning_curve.length;
    expect(completedEpochs).toBeGreaterThanOrEqual(1);
    const checkpoint = await h.checkpoints.latest(experimentId, 'training');
    expect(checkpoint).not.toBeNull();
    expect((checkpoint!.meta.result as { epoch: number }).epoch).toBe(completedEpochs);
    expect(
      (await h.checkpoints.load({ experimentId, kind: 'training', sequence: checkpoint!.sequence }))!.data
        .length,
    ).toBeGreaterThan(0);
    // Nothing runs any more.
    await sleep(1500);
    expect(await h.attempts.list(experimentId, 'train')).toHaveLength(attempts.length);
    await keepHistory(h.client, experimentWorkflowId(experimentId), 'cancel');
  });
});

describe('a long training run', () => {
  it('continues as new before its history grows large, keeping state and search attributes', async () => {
    const document = trainingDocument({ epochs: 5, seed: 5 });
    const { experimentId, runId } = await h.submit(document, {
      limits: { historyEventsBeforeContinueAsNew: 20 },
    });
    await h.waitForStatus(experimentId, ['completed', 'failed']);
    const first = await h.client.workflow.getHandle(experimentWorkflowId(experimentId), runId).describe();
    expect(first.status.name).toBe('CONTINUED_AS_NEW');
    const latest = await h.client.workflow.getHandle(experimentWorkflowId(experimentId)).describe();
    expect(latest.runId).not.toBe(runId);
    expect(latest.status.name).toBe('COMPLETED');
    expect(latest.typedSearchAttributes.get(SA_OWNER)).toBe('test-user');
    expect((await h.experiments.getResults(experimentId))!.learning_curve.map((e) => e.epoch)).toEqual([
      1, 2, 3, 4, 5,
    ]);
    expect((await h.attempts.list(experimentId, 'train')).map((a) => a.sequence)).toEqual([0, 1, 2, 3, 4]);
    expectSameWeights(await storedWeights(h.checkpoints, experimentId), await uninterruptedWeights(document));
    await keepHistory(h.client, experimentWorkflowId(experimentId), 'continue-as-new');
  });
});

describe('an invalid experiment', () => {
  it('fails in validate with the validator messages, once, without retries', async () => {
    const document = { ...trainingDocument({ epochs: 0 }), dataset: { name: 'mnist', train_size: -5 } };
    const { experimentId } = await h.submit(document);
    const record = await h.waitForStatus(experimentId, ['failed', 'completed']);
    expect(record.status).toBe('failed');
    expect(record.statusMessage).toMatch(/^invalid experiment: 2 problems: /);
    expect(record.statusMessage).toContain('$.training.epochs: ');
    expect(record.statusMessage).toContain('$.dataset.train_size: ');
    const issues = (record.error as { details: Array<{ path: string }> }).details;
    expect(issues.map((i) => i.path).sort()).toEqual(['$.dataset.train_size', '$.training.epochs']);

    const handle = h.client.workflow.getHandle(experimentWorkflowId(experimentId));
    const err = await handle.result().catch((e) => e);
    expect(err).toBeInstanceOf(WorkflowFailedError);
    expect(err.cause).toBeInstanceOf(ApplicationFailure);
    expect(err.cause).toMatchObject({
      type: 'InvalidExperiment',
      nonRetryable: true,
      message: record.statusMessage,
    });

    const events = (await handle.fetchHistory()).events ?? [];
    const scheduled = events.filter((e) => e.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED);
    expect(scheduled.map((e) => e.activityTaskScheduledEventAttributes?.activityType?.name)).toEqual([
      'validateExperiment',
    ]);
    const started = events.filter((e) => e.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED);
    expect(started.map((e) => e.activityTaskStartedEventAttributes?.attempt)).toEqual([1]);
    expect(await h.attempts.list(experimentId)).toEqual([]);
    await keepHistory(h.client, experimentWorkflowId(experimentId), 'invalid');
  });
});

describe('submission', () => {
  it('starts nothing new when the same experiment is submitted twice', async () => {
    const { experimentId, runId } = await h.submit(trainingDocument({ epochs: 1 }));
    const record = (await h.experiments.get(experimentId))!;
    expect(await startExperimentWorkflow(h.client, record)).toEqual({
      workflowId: experimentWorkflowId(experimentId),
      runId,
      started: false,
    });
    await h.waitForStatus(experimentId, ['completed']);
    // Still nothing new once it has finished.
    expect((await startExperimentWorkflow(h.client, record)).started).toBe(false);
    expect(await h.attempts.list(experimentId, 'train')).toHaveLength(1);
  });

  it('says so when no worker polls the queue an experiment needs', async () => {
    expect(await describeQueueAvailability(h.client.connection, 'cpu')).toMatchObject({
      available: true,
      message: '',
    });
    const { experimentId } = await h.submit(trainingDocument({ epochs: 1, queue: 'gpu' }));
    const record = (await h.experiments.get(experimentId))!;
    expect(record.status).toBe('queued');
    expect(await describeQueueAvailability(h.client.connection, 'gpu')).toMatchObject({
      available: false,
      workflowPollers: 0,
      activityPollers: 0,
      message: 'waiting: no worker polls the gpu queue',
    });
    expect(await reconcileStatus(h.client, record)).toEqual({
      status: 'queued',
      message: 'waiting: no worker polls the gpu queue',
      changed: true,
    });
    await h.client.workflow.getHandle(experimentWorkflowId(experimentId)).terminate('test over');
    expect(await reconcileStatus(h.client, record)).toMatchObject({
      status: 'failed',
      message: 'terminated by an operator',
      changed: true,
    });
  });
});
