/**
 * Compute off the event loop: a fixed set of worker threads that run sim-core jobs, so the worker's
 * main thread stays free to poll Temporal and heartbeat. The pool size bounds how many compute jobs
 * a worker runs at once.
 *
 * Cancellation: `run(..., { signal })` forwards an abort to the thread, whose job stops at its next
 * batch boundary; a job that has not stopped after `graceMs` is stopped by terminating its thread
 * (a fresh thread takes its place). Either way the caller's promise rejects promptly with
 * `ComputeAbortedError`.
 */
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { FromThread, JobCatalog, SerializedError, ToThread } from './protocol';

export class ComputeAbortedError extends Error {
  constructor(message = 'the compute job was cancelled') {
    super(message);
    this.name = 'ComputeAborted';
  }
}

/** An error thrown inside a compute job, re-created on the calling side with its name and stack. */
export class ComputeJobError extends Error {
  constructor(error: SerializedError) {
    super(error.message);
    this.name = error.name;
    if (error.stack) this.stack = error.stack;
  }
}

export class ComputeThreadExitError extends Error {
  constructor(code: number) {
    super(`the compute thread exited unexpectedly (exit code ${code})`);
    this.name = 'ComputeThreadExit';
  }
}

export interface ComputePoolOptions {
  /** Threads, i.e. compute jobs at once (default 1). */
  size?: number;
  /** Absolute path of the module (TypeScript allowed) exporting the `ComputeModule`. */
  module: string;
  /** Passed to the module's `init` in every thread (e.g. which tensor backend to use). */
  data?: Record<string, unknown>;
  /** How long an aborted job may take to stop by itself before its thread is terminated. */
  graceMs?: number;
  /** How long a thread may take to start and initialise. */
  startTimeoutMs?: number;
  /** V8 heap limits of each thread. */
  resourceLimits?: { maxOldGenerationSizeMb?: number };
}

export interface RunOptions<P> {
  signal?: AbortSignal;
  onProgress?: (progress: P) => void;
}

interface Job {
  id: number;
  kind: string;
  payload: unknown;
  options: RunOptions<unknown>;
  resolve(result: unknown): void;
  reject(err: Error): void;
}

const ENTRY = path.join(__dirname, 'thread-entry.cjs');

class ComputeThread {
  worker!: Worker;
  ready!: Promise<Record<string, unknown>>;
  job: Job | undefined;
  /** Whether the current thread finished `init`; one that failed it is not restarted. */
  private initialised = false;
  private abortTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly options: ComputePoolOptions,
    private readonly onIdle: () => void,
  ) {
    this.spawn();
  }

  private spawn(): void {
    this.initialised = false;
    const worker = new Worker(ENTRY, {
      workerData: { module: this.options.module, data: this.options.data ?? {} },
      resourceLimits: this.options.resourceLimits,
    });
    this.worker = worker;
    this.ready = new Promise((resolve, reject) => {
      const timeoutMs = this.options.startTimeoutMs ?? 120_000;
      const timer = setTimeout(() => {
        reject(new Error(`the compute thread did not start within ${timeoutMs / 1000} s`));
        void worker.terminate();
      }, timeoutMs);
      const onMessage = (message: FromThread) => {
        if (message.type === 'ready') {
          clearTimeout(timer);
          this.initialised = true;
          worker.off('message', onMessage);
          resolve(message.info);
        } else if (message.type === 'init-error') {
          clearTimeout(timer);
          reject(new ComputeJobError(message.error));
          void worker.terminate();
        }
      };
      worker.on('message', onMessage);
      worker.once('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
    });
    this.ready.catch(() => undefined); // observed by callers through `ready`
    worker.on('message', (message: FromThread) => this.onMessage(message));
    worker.on('error', (err) => this.finish(undefined, err));
    worker.on('exit', (code) => {
      if (this.worker !== worker) return; // an old thread we replaced
      const wasWorking = this.initialised;
      // A thread that died after starting well is replaced so the pool keeps its size.
      if (wasWorking) this.spawn();
      if (this.job) this.finish(undefined, new ComputeThreadExitError(code));
    });
  }

  run(job: Job): void {
    this.job = job;
    const { signal } = job.options;
    if (signal?.aborted) {
      this.finish(undefined, new ComputeAbortedError());
      return;
    }
    signal?.addEventListener('abort', () => this.abort(job), { once: true });
    this.post({ type: 'run', id: job.id, kind: job.kind, payload: job.payload });
  }

  private abort(job: Job): void {
    if (this.job !== job) return;
    this.post({ type: 'abort', id: job.id });
    this.abortTimer = setTimeout(() => {
      if (this.job !== job) return;
      // The job did not stop by itself: stop the thread under it and start a fresh one.
      const old = this.worker;
      this.spawn(); // before `finish`, which may hand the next job to this slot
      void old.terminate();
      this.finish(undefined, new ComputeAbortedError('the compute job was cancelled (thread stopped)'));
    }, this.options.graceMs ?? 1500);
  }

  private post(message: ToThread): void {
    this.worker.postMessage(message);
  }

  private onMessage(message: FromThread): void {
    const job = this.job;
    if (!job || !('id' in message) || message.id !== job.id) return;
    if (message.type === 'progress') job.options.onProgress?.(message.progress);
    else if (message.type === 'done') this.finish(message.result);
    else if (message.type === 'error') {
      this.finish(
        undefined,
        message.error.aborted || job.options.signal?.aborted
          ? new ComputeAbortedError()
          : new ComputeJobError(message.error),
      );
    }
  }

  private finish(result: unknown, err?: Error): void {
    const job = this.job;
    if (!job) return;
    this.job = undefined;
    clearTimeout(this.abortTimer);
    if (err) job.reject(err);
    else job.resolve(result);
    this.onIdle();
  }

  terminate(): Promise<number> {
    const worker = this.worker;
    this.worker = undefined as unknown as Worker; // the exit handler ignores it: no respawn
    return worker.terminate();
  }
}

export class ComputePool<C extends JobCatalog> {
  private readonly threads: ComputeThread[] = [];
  private readonly waiting: Job[] = [];
  private nextId = 1;
  private closed = false;

  constructor(private readonly options: ComputePoolOptions) {
    const size = options.size ?? 1;
    if (!Number.isInteger(size) || size < 1) throw new Error(`compute pool size must be ≥ 1 (got ${size})`);
    for (let i = 0; i < size; i++) this.threads.push(new ComputeThread(options, () => this.dispatch()));
  }

  get size(): number {
    return this.threads.length;
  }

  /** Resolves when every thread has initialised (with the first thread's facts), or rejects with why not. */
  async ready(): Promise<Record<string, unknown>> {
    const infos = await Promise.all(this.threads.map((t) => t.ready));
    return infos[0];
  }

  run<K extends keyof C & string>(
    kind: K,
    payload: C[K]['payload'],
    options: RunOptions<C[K]['progress']> = {},
  ): Promise<C[K]['result']> {
    if (this.closed) return Promise.reject(new Error('the compute pool is closed'));
    return new Promise((resolve, reject) => {
      const job: Job = {
        id: this.nextId++,
        kind,
        payload,
        options: options as RunOptions<unknown>,
        resolve: resolve as (r: unknown) => void,
        reject,
      };
      // A job still waiting for a thread is simply dropped when cancelled.
      options.signal?.addEventListener(
        'abort',
        () => {
          const i = this.waiting.indexOf(job);
          if (i >= 0) {
            this.waiting.splice(i, 1);
            reject(new ComputeAbortedError());
          }
        },
        { once: true },
      );
      this.waiting.push(job);
      this.dispatch();
    });
  }

  private dispatch(): void {
    for (const thread of this.threads) {
      if (this.waiting.length === 0) return;
      if (thread.job) continue;
      const job = this.waiting.shift()!;
      thread.job = job; // reserved until it starts
      thread.ready.then(
        () => thread.run(job),
        (err: Error) => {
          thread.job = undefined;
          job.reject(err);
        },
      );
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.waiting.splice(0)) job.reject(new Error('the compute pool is closed'));
    await Promise.all(this.threads.map((t) => t.terminate()));
  }
}
