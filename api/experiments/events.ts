/**
 * Server-Sent Events for one experiment: `status` when the status (or its message) changes,
 * `progress` when the workflow's progress changes, and `end` when the experiment finishes, after
 * which the stream closes. One poll per experiment is shared by every client watching it: each tick
 * asks the workflow's `progress` query (falling back to the store's snapshot when no worker answers)
 * and reads the stored status, reconciling it with Temporal when the store lags.
 */
import type { Response } from 'express';
import { isFinished } from '../../contracts/status';
import type { ExperimentRecord } from '../../persistence/experiments';
import { getProgress } from '../../workflows/client';
import type { ApiContext } from '../context';
import type { ExperimentService } from './service';

export interface EventListener {
  send(event: 'status' | 'progress' | 'end', data: unknown): void;
  close(): void;
}

interface Watch {
  id: string;
  listeners: Set<EventListener>;
  status?: { key: string; data: unknown };
  progress?: { key: string; data: unknown };
  ticks: number;
  timer?: NodeJS.Timeout;
  stopped: boolean;
}

/** Without a progress answer, ask Temporal whether the stored status is still right every this many ticks. */
const RECONCILE_EVERY_TICKS = 5;

function statusData(record: ExperimentRecord) {
  return {
    id: record._id,
    status: record.status,
    statusMessage: record.statusMessage ?? '',
    error: record.error?.message ? { message: record.error.message } : null,
    startedAt: record.startedAt ?? null,
    finishedAt: record.finishedAt ?? null,
  };
}

export function experimentEventHub(ctx: ApiContext, service: ExperimentService) {
  const watches = new Map<string, Watch>();

  function broadcast(watch: Watch, event: 'status' | 'progress' | 'end', data: unknown): void {
    for (const listener of watch.listeners) listener.send(event, data);
  }

  function setStatus(watch: Watch, record: ExperimentRecord): void {
    const data = statusData(record);
    const key = JSON.stringify([data.status, data.statusMessage, data.error]);
    if (watch.status?.key === key) return;
    watch.status = { key, data };
    broadcast(watch, 'status', data);
  }

  function setProgress(watch: Watch, data: unknown): void {
    if (data === null || data === undefined) return;
    const { updatedAt: _ignored, ...rest } = data as Record<string, unknown>;
    const key = JSON.stringify(rest);
    if (watch.progress?.key === key) return;
    watch.progress = { key, data };
    broadcast(watch, 'progress', data);
  }

  function stop(watch: Watch): void {
    watch.stopped = true;
    if (watch.timer) clearTimeout(watch.timer);
    if (watches.get(watch.id) === watch) watches.delete(watch.id);
  }

  function finish(watch: Watch, record: ExperimentRecord | null): void {
    broadcast(watch, 'end', { id: watch.id, status: record?.status ?? 'deleted' });
    for (const listener of watch.listeners) listener.close();
    watch.listeners.clear();
    stop(watch);
  }

  async function tick(watch: Watch): Promise<void> {
    watch.ticks += 1;
    let record = await ctx.repos().experiments.get(watch.id);
    if (!record) return finish(watch, null);
    if (!isFinished(record.status)) {
      const progress = await getProgress(ctx.temporal(), watch.id, {
        timeoutMs: Math.min(2000, ctx.cfg.SSE_POLL_MS * 2),
      }).catch(() => null);
      setProgress(watch, progress ?? record.progress);
      const workflowFinished = progress !== null && isFinished(progress.status);
      if (workflowFinished || (progress === null && watch.ticks % RECONCILE_EVERY_TICKS === 1)) {
        record = await service.reconciled(record);
      }
    }
    setStatus(watch, record);
    if (isFinished(record.status)) finish(watch, record);
  }

  function schedule(watch: Watch, delay: number): void {
    if (watch.stopped) return;
    watch.timer = setTimeout(() => {
      tick(watch)
        .catch((err: unknown) => ctx.log.warn({ err, experimentId: watch.id }, 'event poll failed; retrying'))
        .finally(() => schedule(watch, ctx.cfg.SSE_POLL_MS));
    }, delay);
  }

  /** Adds a listener; it gets the current status (and progress) at once. Returns the unsubscribe. */
  function subscribe(record: ExperimentRecord, listener: EventListener): () => void {
    let watch = watches.get(record._id);
    if (!watch) {
      watch = { id: record._id, listeners: new Set(), ticks: 0, stopped: false };
      watches.set(record._id, watch);
      setStatus(watch, record);
      if (record.progress) setProgress(watch, record.progress);
      schedule(watch, 0);
    }
    const current = watch;
    current.listeners.add(listener);
    if (current.status) listener.send('status', current.status.data);
    if (current.progress) listener.send('progress', current.progress.data);
    return () => {
      current.listeners.delete(listener);
      if (current.listeners.size === 0) stop(current);
    };
  }

  /** Serves one SSE connection for an experiment the caller may see. */
  function serve(res: Response, record: ExperimentRecord): void {
    res.status(200);
    res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    res.setHeader('Cache-Control', 'no-cache, no-transform');
    res.setHeader('Connection', 'keep-alive');
    res.setHeader('X-Accel-Buffering', 'no');
    res.flushHeaders();
    res.write('retry: 3000\n\n');
    let seq = 0;
    let open = true;
    const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
    const listener: EventListener = {
      send(event, data) {
        if (!open) return;
        seq += 1;
        res.write(`id: ${seq}\nevent: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
      },
      close() {
        if (!open) return;
        open = false;
        clearInterval(keepAlive);
        res.end();
      },
    };
    // A finished experiment has nothing to follow: its status, its last progress, and the end.
    if (isFinished(record.status)) {
      listener.send('status', statusData(record));
      if (record.progress) listener.send('progress', record.progress);
      listener.send('end', { id: record._id, status: record.status });
      listener.close();
      return;
    }
    const unsubscribe = subscribe(record, listener);
    // The response's 'close' (not the request's, which fires once the request body is read) marks a
    // client that went away.
    res.on('close', () => {
      open = false;
      clearInterval(keepAlive);
      unsubscribe();
    });
  }

  return {
    serve,
    subscribe,
    /** Experiments with a live poll (for tests and shutdown). */
    watched: () => [...watches.keys()],
    close() {
      for (const watch of [...watches.values()]) {
        for (const listener of watch.listeners) listener.close();
        stop(watch);
      }
    },
  };
}

export type ExperimentEventHub = ReturnType<typeof experimentEventHub>;
