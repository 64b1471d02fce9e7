/**
 * Shared worker start-up: connect (waiting while Temporal is unreachable), register the queue's
 * activities and, for compute queues, the experiment workflows; stop cleanly on SIGINT/SIGTERM.
 */
import {
  DefaultLogger,
  NativeConnection,
  Runtime,
  Worker,
  type LogLevel,
  type WorkerOptions,
} from '@temporalio/worker';
import { config } from '../config/env';
import { logger } from '../config/logger';
import { exitWhenOrphaned } from '../infra/orphan-watch';
import { connectWorker } from '../temporal-config/connection';
import type { TaskQueueName } from '../contracts/queues';

export interface RunWorkerOptions {
  queue: TaskQueueName;
  activities: object;
  /** Register the experiment workflows on this queue (compute queues). */
  workflows: boolean;
  /** Compute activities run at once (default from config). */
  maxConcurrentActivities?: number;
  /** Further worker options (heartbeat throttling, local activity slots, ...). */
  workerOptions?: Partial<Omit<WorkerOptions, 'connection' | 'namespace' | 'taskQueue' | 'activities'>>;
  /** Runs after the worker stopped (close compute threads, the store). */
  cleanup?: () => Promise<void>;
}

let runtimeInstalled = false;

/** Routes the SDK's own log lines (which carry workflowId / activityId) into our structured log. */
function installRuntimeLogger(queue: string): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  const log = logger('worker', { queue });
  const levels: Record<LogLevel, 'trace' | 'debug' | 'info' | 'warn' | 'error'> = {
    TRACE: 'trace',
    DEBUG: 'debug',
    INFO: 'info',
    WARN: 'warn',
    ERROR: 'error',
  };
  Runtime.install({
    logger: new DefaultLogger('INFO', (entry) => {
      log[levels[entry.level]]({ ...(entry.meta ?? {}) }, entry.message);
    }),
  });
}

async function connectWithRetry(queue: string): Promise<NativeConnection> {
  const log = logger('worker', { queue });
  let delay = 1000;
  for (;;) {
    try {
      return await connectWorker(config());
    } catch (err) {
      log.warn({ err: (err as Error).message }, `Temporal unreachable; retrying in ${delay / 1000} s`);
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(delay * 2, 30000);
    }
  }
}

export async function createQueueWorker(
  opts: RunWorkerOptions,
  connection: NativeConnection,
): Promise<Worker> {
  const cfg = config();
  const bundlePath = process.env.WORKFLOW_BUNDLE_PATH;
  return Worker.create({
    connection,
    namespace: cfg.TEMPORAL_NAMESPACE,
    taskQueue: opts.queue,
    activities: opts.activities,
    ...(opts.workflows
      ? bundlePath
        ? { workflowBundle: { codePath: bundlePath } }
        : { workflowsPath: require.resolve('../workflows') }
      : {}),
    maxConcurrentActivityTaskExecutions: opts.maxConcurrentActivities ?? cfg.WORKER_COMPUTE_CONCURRENCY,
    ...opts.workerOptions,
  });
}

/** Runs the worker until SIGINT/SIGTERM. */
export async function runWorker(opts: RunWorkerOptions): Promise<void> {
  installRuntimeLogger(opts.queue);
  const log = logger('worker', { queue: opts.queue });
  const connection = await connectWithRetry(opts.queue);
  const worker = await createQueueWorker(opts, connection);
  const stop = () => {
    log.info('shutting down');
    worker.shutdown();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  exitWhenOrphaned(() => {
    log.warn('the supervisor is gone; stopping');
    stop();
  });
  log.info({ workflows: opts.workflows }, `worker polling task queue "${opts.queue}"`);
  try {
    await worker.run();
  } finally {
    await connection.close();
    await opts.cleanup?.();
  }
  log.info('stopped');
}
