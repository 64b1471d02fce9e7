/**
 * The thread side of a compute pool: runs `init` once (tensor backend, caches), then executes jobs
 * one at a time, forwarding their progress and honouring abort requests through an AbortSignal.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { serializeError, type FromThread, type JobCatalog, type ToThread } from './protocol';

export interface JobContext<P> {
  /** Fires when the activity is cancelled; jobs check it between batches and stop. */
  signal: AbortSignal;
  progress(progress: P): void;
}

export type JobHandlers<C extends JobCatalog> = {
  [K in keyof C]: (payload: C[K]['payload'], ctx: JobContext<C[K]['progress']>) => Promise<C[K]['result']>;
};

export interface ComputeModule<C extends JobCatalog> {
  /** Runs once when the thread starts, with the pool's `workerData`; returns facts for the pool (e.g. backend). */
  init?(data: Record<string, unknown>): Promise<Record<string, unknown>>;
  handlers: JobHandlers<C>;
}

export function serveComputeJobs<C extends JobCatalog>(module: ComputeModule<C>): void {
  const port = parentPort;
  if (!port) throw new Error('serveComputeJobs must run inside a worker thread');
  const send = (message: FromThread) => port.postMessage(message);
  const running = new Map<number, AbortController>();

  port.on('message', (message: ToThread) => {
    if (message.type === 'abort') {
      running.get(message.id)?.abort();
      return;
    }
    const handler = module.handlers[message.kind] as
      ((payload: unknown, ctx: JobContext<unknown>) => Promise<unknown>) | undefined;
    if (!handler) {
      send({
        type: 'error',
        id: message.id,
        error: { name: 'Error', message: `unknown job kind "${message.kind}"` },
      });
      return;
    }
    const controller = new AbortController();
    running.set(message.id, controller);
    const ctx: JobContext<unknown> = {
      signal: controller.signal,
      progress: (progress) => send({ type: 'progress', id: message.id, progress }),
    };
    handler(message.payload, ctx)
      .then(
        (result) => send({ type: 'done', id: message.id, result }),
        (err: unknown) =>
          send({ type: 'error', id: message.id, error: serializeError(err, controller.signal.aborted) }),
      )
      .finally(() => running.delete(message.id));
  });

  const data = (workerData as { data?: Record<string, unknown> } | undefined)?.data ?? {};
  (module.init ? module.init(data) : Promise.resolve({})).then(
    (info) => send({ type: 'ready', info }),
    (err: unknown) => send({ type: 'init-error', error: serializeError(err) }),
  );
}
