/**
 * The compute activities of an experiment (cpu, gpu and imc queues): a training chunk, programming the
 * weights, the drift study. Each loads what it needs from the checkpoint store, runs the job in a
 * compute thread while heartbeating, stores what the job produced, and logs the attempt.
 */
import os from 'node:os';
import { Context } from '@temporalio/activity';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import type { Connection } from 'mongoose';
import type { CheckpointKey, CheckpointStore } from '../../persistence/checkpoints';
import { computeLog, type ComputeStep } from '../../persistence/compute-log';
import { experimentRepository } from '../../persistence/experiments';
import type { ExperimentProgress } from '../../contracts/progress';
import type { ComputeQueue } from '../../contracts/queues';
import type { ComputePool } from '../compute/pool';
import type {
  ExperimentJobs,
  NeedBytes,
  ResumeFrom,
  TrainChunkOutput,
  TrainProgress,
} from '../compute/catalog';
import type {
  ComputeActivities,
  DriftInferInput,
  ProgramInput,
  TrainChunkInput,
  TrainChunkResult,
} from '../../contracts/experiment-activities';
import { withHeartbeats } from './run-compute';

export interface ComputeActivityDeps {
  queue: ComputeQueue;
  pool: ComputePool<ExperimentJobs>;
  /** The store connection (waits while the store is down). */
  connection(): Promise<Connection>;
  checkpoints(connection: Connection): CheckpointStore;
}

/** What a training checkpoint's meta holds: the chunk's result, so a retry can return it unchanged. */
type StoredChunk = Omit<TrainChunkResult, 'alreadyDone'>;

const WORKER = `${os.hostname()}:${process.pid}`;

async function loadOrFail(checkpoints: CheckpointStore, key: CheckpointKey) {
  const stored = await checkpoints.load(key);
  if (!stored) {
    throw ApplicationFailure.create({
      type: 'CheckpointCorrupt',
      message: `checkpoint ${key.kind} ${key.sequence} of experiment ${key.experimentId} is missing`,
      nonRetryable: true,
    });
  }
  return stored;
}

/**
 * Runs a job that continues from a stored state: first by its hash alone (the compute thread may
 * still hold that session), and, if the thread asks for them, once more with the bytes.
 */
async function runWithBytes<T extends object>(
  from: ResumeFrom | null,
  load: () => Promise<Uint8Array>,
  run: (from: ResumeFrom | null) => Promise<T | NeedBytes>,
): Promise<T> {
  const first = await run(from);
  if (!('needBytes' in first)) return first;
  if (!from) throw new Error('a fresh compute job asked for stored bytes');
  const second = await run({ sha256: from.sha256, bytes: await load() });
  if ('needBytes' in second) throw new Error('the compute job asked again for the bytes it was given');
  return second;
}

/** The result an earlier attempt of this chunk stored, if any. */
async function storedChunkResult(
  checkpoints: CheckpointStore,
  experimentId: string,
  chunkIndex: number,
): Promise<StoredChunk | undefined> {
  const stored = [
    ...(await checkpoints.list(experimentId, 'training')),
    ...(await checkpoints.list(experimentId, 'weights')),
  ];
  for (const info of stored) {
    const result = info.meta.result as StoredChunk | undefined;
    if (result?.chunkIndex === chunkIndex) return result;
  }
  return undefined;
}

export function createComputeActivities(deps: ComputeActivityDeps): ComputeActivities {
  async function services() {
    const connection = await deps.connection();
    return {
      checkpoints: deps.checkpoints(connection),
      log: computeLog(connection),
      experiments: experimentRepository(connection),
    };
  }

  /** Runs `body` as one logged attempt of `step`. */
  async function attempt<T>(
    step: ComputeStep,
    sequence: number,
    experimentId: string,
    resumedFrom: number | null,
    body: (finishDetail: Record<string, unknown>) => Promise<T>,
  ): Promise<T> {
    const { log } = await services();
    const info = Context.current().info;
    const id = await log.start({
      experimentId,
      step,
      sequence,
      attempt: info.attempt,
      queue: deps.queue,
      worker: WORKER,
      resumedFrom,
    });
    const detail: Record<string, unknown> = {};
    try {
      const result = await body(detail);
      await log.finish(id, detail.reused ? 'reused' : 'completed', { detail });
      return result;
    } catch (err) {
      const outcome = err instanceof CancelledFailure ? 'cancelled' : 'failed';
      await log.finish(id, outcome, { error: (err as Error).message, detail }).catch(() => undefined);
      throw err;
    }
  }

  function progressSaver(experimentId: string, snapshot: () => ExperimentProgress) {
    return async () => {
      const { experiments } = await services();
      await experiments.saveProgress(experimentId, { ...snapshot() });
    };
  }

  return {
    async trainChunk(input: TrainChunkInput): Promise<TrainChunkResult> {
      const { checkpoints } = await services();
      return attempt('train', input.chunkIndex, input.experimentId, input.resumeFrom, async (detail) => {
        // An earlier attempt may have stored this chunk's result and died before reporting it: the
        // chunk's training checkpoint, or for the last chunk the final weights, hold it in their meta.
        const earlier = await storedChunkResult(checkpoints, input.experimentId, input.chunkIndex);
        if (earlier) {
          detail.reused = true;
          return { ...earlier, alreadyDone: true };
        }

        // The checkpoint to resume from: named by its hash; its bytes are loaded only if the compute
        // thread does not hold that very session from the previous chunk.
        let resume: ResumeFrom | null = null;
        let loadBytes = async (): Promise<Uint8Array> => {
          throw new Error('no checkpoint to load');
        };
        if (input.resumeFrom !== null) {
          const key = {
            experimentId: input.experimentId,
            kind: 'training' as const,
            sequence: input.resumeFrom,
          };
          const info = (await checkpoints.list(input.experimentId, 'training')).find(
            (c) => c.sequence === input.resumeFrom,
          );
          if (!info) {
            throw ApplicationFailure.create({
              type: 'CheckpointCorrupt',
              message: `training checkpoint ${input.resumeFrom} of experiment ${input.experimentId} is missing`,
              nonRetryable: true,
            });
          }
          resume = { sha256: info.sha256, bytes: null };
          loadBytes = async () => (await loadOrFail(checkpoints, key)).data;
        }

        let live: TrainProgress = {
          epoch: input.progress.epoch,
          batch: input.progress.batch,
          batchesPerEpoch: input.progress.batchesPerEpoch ?? 0,
          loss: null,
        };
        const startedAt = Date.now();
        const startBatches = live.epoch * live.batchesPerEpoch + live.batch;
        const eta = (): number | null => {
          const total = (input.progress.totalEpochs ?? 0) * live.batchesPerEpoch;
          const done = live.epoch * live.batchesPerEpoch + live.batch;
          const rate = (done - startBatches) / ((Date.now() - startedAt) / 1000);
          return rate > 0 && total > 0 ? Math.round((total - done) / rate) : input.progress.etaSeconds;
        };
        const snapshot = (): ExperimentProgress => ({
          ...input.progress,
          epoch: live.epoch,
          batch: live.batch,
          batchesPerEpoch: live.batchesPerEpoch || input.progress.batchesPerEpoch,
          etaSeconds: eta(),
          updatedAt: new Date().toISOString(),
        });

        const output: TrainChunkOutput = await withHeartbeats(
          (signal) =>
            runWithBytes(resume, loadBytes, (from) =>
              deps.pool.run(
                'trainChunk',
                { experimentId: input.experimentId, spec: input.spec, resume: from, chunk: input.chunk },
                { signal, onProgress: (p) => (live = p) },
              ),
            ),
          {
            details: () => ({
              step: 'train',
              chunkIndex: input.chunkIndex,
              epoch: live.epoch,
              batch: live.batch,
              batchesPerEpoch: live.batchesPerEpoch,
              loss: live.loss,
              etaSeconds: eta(),
            }),
            saveProgress: progressSaver(input.experimentId, snapshot),
          },
        );

        const result: StoredChunk = {
          chunkIndex: input.chunkIndex,
          epoch: output.epoch,
          batch: output.batch,
          batchesPerEpoch: output.batchesPerEpoch,
          totalEpochs: output.totalEpochs,
          epochs: output.epochs,
          batchesRun: output.batchesRun,
          seconds: output.seconds,
          finished: output.finished,
          histograms: output.histograms,
          backend: output.backend,
        };
        if (output.finished && output.weights) {
          // Kept after the experiment completes: later inference experiments program these. Nothing
          // resumes a finished run, so its last training checkpoint is not written.
          await checkpoints.save(
            { experimentId: input.experimentId, kind: 'weights', sequence: 0 },
            output.weights,
            { result },
          );
        } else if (output.checkpoint) {
          await checkpoints.save(
            { experimentId: input.experimentId, kind: 'training', sequence: input.chunkIndex },
            output.checkpoint,
            { result },
          );
          // Keep this checkpoint and the one before it; older ones are never read again.
          await checkpoints.prune(input.experimentId, 'training', input.chunkIndex - 1);
        } else {
          throw new Error('the training job returned neither a checkpoint nor final weights');
        }
        Object.assign(detail, {
          from: { epoch: input.progress.epoch, batch: input.progress.batch },
          to: { epoch: output.epoch, batch: output.batch },
          batchesRun: output.batchesRun,
        });
        return { ...result, alreadyDone: false };
      });
    },

    async programWeights(input: ProgramInput) {
      const { checkpoints } = await services();
      return attempt('program', 0, input.experimentId, null, async () => {
        let weights: Uint8Array | null = null;
        if (input.weights.source !== 'initialization') {
          const owner = input.weights.source === 'training' ? input.experimentId : input.weights.experimentId;
          const stored = await checkpoints.load({ experimentId: owner, kind: 'weights', sequence: 0 });
          if (!stored) {
            throw ApplicationFailure.create({
              type: 'WeightsNotFound',
              message: `no stored weights for experiment ${owner} (only completed training experiments have them)`,
              nonRetryable: true,
            });
          }
          weights = stored.data;
        }
        let message = 'programming the weights';
        const output = await withHeartbeats(
          (signal) =>
            deps.pool.run(
              'program',
              { experimentId: input.experimentId, spec: input.spec, weights, source: input.weights },
              { signal, onProgress: (p) => (message = p.message) },
            ),
          { details: () => ({ step: 'program', message }) },
        );
        await checkpoints.save(
          { experimentId: input.experimentId, kind: 'inference', sequence: 0 },
          output.state,
        );
        return { histograms: output.histograms, seconds: output.seconds, backend: output.backend };
      });
    },

    async driftInfer(input: DriftInferInput) {
      const { checkpoints } = await services();
      return attempt('drift-infer', 0, input.experimentId, null, async () => {
        const key = { experimentId: input.experimentId, kind: 'inference' as const, sequence: 0 };
        const info = (await checkpoints.list(input.experimentId, 'inference')).find((c) => c.sequence === 0);
        if (!info) {
          throw ApplicationFailure.create({
            type: 'CheckpointCorrupt',
            message: `the programmed state of experiment ${input.experimentId} is missing`,
            nonRetryable: true,
          });
        }
        let live = { pointsDone: 0, pointsTotal: input.tInference.length, message: 'drift inference' };
        const snapshot = (): ExperimentProgress => ({
          ...input.progress,
          inference: { pointsDone: live.pointsDone, pointsTotal: live.pointsTotal, latest: null },
          message: live.message,
          updatedAt: new Date().toISOString(),
        });
        return withHeartbeats(
          (signal) =>
            runWithBytes(
              { sha256: info.sha256, bytes: null },
              async () => (await loadOrFail(checkpoints, key)).data,
              (state) =>
                deps.pool.run(
                  'driftInfer',
                  {
                    experimentId: input.experimentId,
                    spec: input.spec,
                    state: state!,
                    tInference: input.tInference,
                    repeats: input.repeats,
                  },
                  { signal, onProgress: (p) => (live = p) },
                ),
            ),
          {
            details: () => ({ step: 'drift-infer', ...live }),
            saveProgress: progressSaver(input.experimentId, snapshot),
          },
        );
      });
    },
  };
}
