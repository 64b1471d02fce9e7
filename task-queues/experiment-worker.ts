/**
 * What a compute queue's worker (cpu, gpu, imc) is made of: compute threads initialised for the
 * queue's target, the compute activities (heavy, on the queue, bounded by the thread count) and
 * the record activities (status and results writes, run locally by the workflow's worker).
 */
import path from 'node:path';
import type { Connection } from 'mongoose';
import type { WorkerOptions } from '@temporalio/worker';
import { config, type AppConfig } from '../config/env';
import { logger } from '../config/logger';
import { PROJECT_ROOT } from '../config/paths';
import { ComputePool } from '../activities/compute/pool';
import type { ComputeThreadInfo, ExperimentJobs } from '../activities/compute/catalog';
import { createComputeActivities } from '../activities/experiment/compute-activities';
import type { ComputeQueue } from '../contracts/queues';
import { createRecordActivities } from '../activities/experiment/record-activities';
import { createSystemActivities } from '../activities/system';
import { checkpointStoreFor } from '../persistence/checkpoints';
import { resilientStore } from '../persistence/connection';
import { MAX_HEARTBEAT_THROTTLE } from '../temporal-config/timeouts';
import { runWorker } from './run-worker';

/** The module compute threads load: the experiment jobs on sim-core. */
export const EXPERIMENT_COMPUTE_MODULE = path.join(PROJECT_ROOT, 'activities/compute/experiment-jobs.ts');

export interface ExperimentWorkerSetup {
  activities: Record<string, (...args: never[]) => Promise<unknown>>;
  /** Options for `Worker.create` beyond connection, namespace, queue and activities. */
  workerOptions: Partial<WorkerOptions>;
  /** What the compute threads initialised (backend, chip). */
  info: ComputeThreadInfo;
  pool: ComputePool<ExperimentJobs>;
  close(): Promise<void>;
}

export interface ExperimentWorkerOptions {
  cfg?: Pick<AppConfig, 'CHECKPOINT_STORE' | 'CHECKPOINT_DIR' | 'DATA_DIR' | 'WORKER_COMPUTE_CONCURRENCY'>;
  /** The store connection (waits while the store is down). */
  connection(): Promise<Connection>;
  /** Compute jobs at once (default `WORKER_COMPUTE_CONCURRENCY`). */
  concurrency?: number;
  /** The compute module the threads load (default: the sim-core experiment jobs). */
  computeModule?: string;
}

/**
 * Starts the compute threads (throws, saying why, when they cannot initialise: e.g. no WebGPU adapter
 * for the gpu queue) and assembles the worker's activities and options.
 */
export async function setUpExperimentWorker(
  queue: ComputeQueue,
  options: ExperimentWorkerOptions,
): Promise<ExperimentWorkerSetup> {
  const cfg = options.cfg ?? config();
  const concurrency = options.concurrency ?? cfg.WORKER_COMPUTE_CONCURRENCY;
  const pool = new ComputePool<ExperimentJobs>({
    size: concurrency,
    module: options.computeModule ?? EXPERIMENT_COMPUTE_MODULE,
    // Decoded data sets are cached under the data folder (Fashion-MNIST's JSON takes seconds to parse).
    data: { target: queue, dataCacheDir: path.join(cfg.DATA_DIR, 'datasets') },
  });
  let info: ComputeThreadInfo;
  try {
    info = (await pool.ready()) as unknown as ComputeThreadInfo;
  } catch (err) {
    await pool.close();
    throw err;
  }
  const checkpoints = (connection: Connection) => checkpointStoreFor(cfg, connection);
  const activities = {
    ...createSystemActivities(queue),
    ...createComputeActivities({ queue, pool, connection: options.connection, checkpoints }),
    ...createRecordActivities({
      connection: options.connection,
      checkpoints,
      simCoreVersion: info.simCoreVersion,
    }),
  };
  return {
    activities,
    workerOptions: {
      // Compute activities at once = compute threads; status and results writes are local
      // activities with their own slots, so they never queue behind a training chunk.
      maxConcurrentActivityTaskExecutions: concurrency,
      maxConcurrentLocalActivityExecutions: 32,
      maxHeartbeatThrottleInterval: MAX_HEARTBEAT_THROTTLE,
    },
    info,
    pool,
    close: () => pool.close(),
  };
}

/** The entry point of a compute queue's worker process. */
export function runExperimentWorker(queue: ComputeQueue, options: { computeModule?: string } = {}): void {
  const log = logger('worker', { queue });
  const cfg = config();
  const store = resilientStore(cfg, (err, delayMs) =>
    log.warn({ err: err.message }, `the document store is unreachable; retrying in ${delayMs / 1000} s`),
  );
  void (async () => {
    let setup: ExperimentWorkerSetup;
    try {
      setup = await setUpExperimentWorker(queue, {
        connection: () => store.ready(),
        computeModule: options.computeModule,
      });
    } catch (err) {
      log.error(`the ${queue} worker cannot start: ${(err as Error).message}`);
      await store.close();
      process.exit(2);
    }
    log.info({ ...setup.info, threads: setup.pool.size }, 'compute threads ready');
    await runWorker({
      queue,
      activities: setup.activities,
      workflows: true,
      maxConcurrentActivities: setup.pool.size,
      workerOptions: setup.workerOptions,
      cleanup: async () => {
        await setup.close();
        await store.close();
      },
    });
  })().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
