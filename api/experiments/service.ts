/**
 * The experiment operations behind the routes: visibility (owners see theirs, admins all; anything
 * else is "not found"), validation, submission (store first, then the workflow), reads that reconcile
 * a lagging stored status with Temporal, control signals and deletion.
 */
import { randomUUID } from 'node:crypto';
import { WorkflowNotFoundError } from '@temporalio/client';
import { z } from 'zod';
import type { SpecIssue } from '../../experiment-spec/issues';
import { FINISHED_STATUSES, isFinished, type ExperimentStatus } from '../../contracts/status';
import { validateExperimentAsync, type ValidationResult } from '../../experiment-spec/validate';
import { quotasFromSettings } from '../../experiment-spec/quotas';
import type { ExperimentRecord, ListQuery } from '../../persistence/experiments';
import { workflowUiLink } from '../../temporal-config/connection';
import {
  cancelExperiment,
  describeQueueAvailability,
  pauseExperiment,
  reconcileStatus,
  resumeExperiment,
  startExperimentWorkflow,
} from '../../workflows/client';
import { experimentWorkflowId } from '../../workflows/definitions';
import type { ApiContext } from '../context';
import { ApiError, conflict, notFound, serviceUnavailable } from '../errors';
import type { Principal } from '../request-context';
import { ConcurrencyLimit } from '../limit';
import { ListCache, type ListPage } from './list-cache';
import type { Accepted, ExperimentDetail, ExperimentSummary } from './schemas';

/** A read waits at most this long for Temporal to confirm the stored status (then answers from the store). */
const RECONCILE_DEADLINE_MS = 1500;

const iso = (d: Date | string | null | undefined) => (d ? new Date(d).toISOString() : null);

/** gRPC UNAVAILABLE or DEADLINE_EXCEEDED (directly or as the cause of the SDK's ServiceError). */
export function temporalUnreachable(err: unknown): boolean {
  const codes = [4, 14];
  const e = err as { name?: string; code?: unknown; cause?: { code?: unknown } } | null;
  if (!e || typeof e !== 'object') return false;
  if (e.name === 'ConnectionError' || e.name === 'TimeoutError') return true;
  return codes.includes(e.code as number) || codes.includes(e.cause?.code as number);
}

export function experimentLinks(id: string) {
  const self = `/api/v1/experiments/${id}`;
  return { self, events: `${self}/events`, results: `${self}/results` };
}

export function summaryView(r: ExperimentRecord): z.infer<typeof ExperimentSummary> {
  return {
    id: r._id,
    name: r.name,
    kind: r.kind,
    owner: r.owner,
    status: r.status,
    statusMessage: r.statusMessage ?? '',
    tags: r.tags ?? [],
    queue: r.queue,
    dataset: r.dataset,
    workflowId: r.workflowId,
    rerunOf: r.rerunOf ?? null,
    progress: r.progress ?? null,
    createdAt: iso(r.createdAt)!,
    updatedAt: iso(r.updatedAt)!,
    startedAt: iso(r.startedAt),
    finishedAt: iso(r.finishedAt),
  };
}

export function issuesSummary(issues: readonly SpecIssue[]): string {
  const errors = issues.filter((i) => i.severity === 'error');
  const shown = errors.slice(0, 3).map((i) => `${i.path}: ${i.message}`);
  const more = errors.length > shown.length ? `; and ${errors.length - shown.length} more` : '';
  return `the experiment has ${errors.length} problem${errors.length === 1 ? '' : 's'}: ${shown.join('; ')}${more}`;
}

export function experimentService(ctx: ApiContext) {
  const repo = () => ctx.repos().experiments;
  const lists = new ListCache(ctx.cfg.API_LIST_CACHE_MS);
  const bodies = new WeakMap<ListPage, string>();
  const listQueries = new ConcurrencyLimit(ctx.cfg.API_STORE_LIST_CONCURRENCY);
  // The same quotas as the validate activity (QUOTA_* variables), so submission and workers agree.
  const quotas = quotasFromSettings(ctx.cfg);

  function list(query: ListQuery): Promise<ListPage> {
    return lists.get(query, () => listQueries.run(() => repo().list(query)));
  }

  /** A list page as the JSON body `GET /experiments` sends, serialised once per cached page. */
  async function listBody(query: ListQuery & { page: number; pageSize: number }): Promise<string> {
    const page = await list(query);
    let body = bodies.get(page);
    if (body === undefined) {
      const view = {
        items: page.items.map(summaryView),
        page: query.page,
        pageSize: query.pageSize,
        total: page.total,
      };
      body = JSON.stringify(view);
      bodies.set(page, body);
    }
    return body;
  }
  const temporalCall = async <T>(fn: () => Promise<T>, ms = ctx.cfg.API_TEMPORAL_TIMEOUT_MS): Promise<T> => {
    try {
      return await ctx.temporal().withDeadline(Date.now() + ms, fn);
    } catch (err) {
      if (temporalUnreachable(err)) {
        ctx.log.warn({ err }, 'Temporal did not answer');
        throw serviceUnavailable('Temporal is not reachable; try again shortly');
      }
      throw err;
    }
  };

  function detailView(r: ExperimentRecord): z.infer<typeof ExperimentDetail> {
    const error = r.error && r.error.message ? { message: r.error.message, details: r.error.details } : null;
    return {
      ...summaryView(r),
      description: r.description ?? '',
      spec: (r.spec ?? {}) as Record<string, unknown>,
      runId: r.runId ?? null,
      error,
      links: {
        ...experimentLinks(r._id),
        temporal: workflowUiLink(ctx.cfg, r.workflowId, r.runId ?? undefined),
      },
    };
  }

  /** The experiment if the caller may see it; otherwise 404, whether it exists or not. */
  async function findVisible(who: Principal, id: string): Promise<ExperimentRecord> {
    const record = id.length <= 128 ? await repo().get(id) : null;
    if (!record || (record.owner !== who.userId && who.role !== 'admin')) {
      throw notFound(`no experiment "${id}"`);
    }
    return record;
  }

  async function validate(who: Principal, document: unknown): Promise<ValidationResult> {
    return validateExperimentAsync(document, {
      user: who.userId,
      quotas,
      lookupWeights: async (experimentId) => {
        let record: ExperimentRecord | null;
        try {
          record = await repo().get(experimentId);
        } catch {
          // The validator quotes this message: keep the store's own error out of it.
          throw new Error('the experiment store did not answer');
        }
        return record ? { owner: record.owner, status: record.status, spec: record.spec } : undefined;
      },
    });
  }

  async function submit(
    who: Principal,
    document: unknown,
    options: { rerunOf?: string } = {},
  ): Promise<z.infer<typeof Accepted>> {
    const validation = await validate(who, document);
    if (!validation.ok) {
      throw new ApiError(400, 'validation_failed', issuesSummary(validation.issues), validation.issues);
    }
    const { spec } = validation;
    const id = randomUUID();
    const record = await repo().create({
      id,
      owner: who.userId,
      name: spec.name,
      description: spec.description,
      tags: spec.tags,
      kind: spec.kind,
      queue: spec.execution.queue,
      dataset: spec.dataset.name,
      spec,
      workflowId: experimentWorkflowId(id),
      ...(options.rerunOf ? { rerunOf: options.rerunOf } : {}),
    });
    lists.invalidate(who.userId);
    try {
      const started = await temporalCall(() => startExperimentWorkflow(ctx.temporal(), record));
      await repo().setStatus(id, 'queued', { runId: started.runId });
    } catch (err) {
      ctx.log.error({ err, experimentId: id }, 'the workflow could not be started');
      // Nothing runs without its workflow: take the record back so the user can simply retry.
      await repo()
        .remove(id)
        .catch(() => undefined);
      lists.invalidate(who.userId);
      throw serviceUnavailable(
        'the experiment could not be started: Temporal is not reachable; try again shortly',
      );
    }
    return {
      id,
      workflowId: record.workflowId,
      status: 'queued',
      warnings: validation.issues,
      links: experimentLinks(id),
    };
  }

  /** The record, with its status corrected from Temporal when the store lags (best effort, bounded). */
  async function reconciled(record: ExperimentRecord): Promise<ExperimentRecord> {
    if (isFinished(record.status)) return record;
    try {
      const correction = await temporalCall(
        () => reconcileStatus(ctx.temporal(), record),
        RECONCILE_DEADLINE_MS,
      );
      if (!correction.changed) return record;
      await repo().setStatus(record._id, correction.status, {
        message: correction.message,
        ...(correction.error ? { error: correction.error } : {}),
      });
      lists.invalidate(record.owner);
      return (await repo().get(record._id)) ?? record;
    } catch (err) {
      ctx.log.debug({ err, experimentId: record._id }, 'status not reconciled (Temporal did not answer)');
      return record;
    }
  }

  function requireNotFinished(record: ExperimentRecord, action: string): void {
    if (isFinished(record.status)) {
      throw conflict(`the experiment is ${record.status}; it cannot be ${action}`, { status: record.status });
    }
  }

  async function signal(record: ExperimentRecord, send: () => Promise<void>): Promise<void> {
    try {
      await temporalCall(send);
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) {
        throw conflict('the experiment has no running workflow', { status: record.status });
      }
      throw err;
    }
  }

  async function cancel(record: ExperimentRecord): Promise<ExperimentStatus> {
    requireNotFinished(record, 'cancelled');
    try {
      return await requestCancel(record);
    } finally {
      lists.invalidate(record.owner);
    }
  }

  async function requestCancel(record: ExperimentRecord): Promise<ExperimentStatus> {
    const client = ctx.temporal();
    if (record.status === 'queued') {
      // No worker would ever process a cancellation request on a queue nobody polls: stop it here.
      const availability = await temporalCall(() =>
        describeQueueAvailability(client.connection, record.queue, { namespace: ctx.cfg.TEMPORAL_NAMESPACE }),
      );
      if (!availability.available) {
        await temporalCall(() =>
          client.workflow.getHandle(record.workflowId).terminate('cancelled by the user before it started'),
        ).catch((err: unknown) => {
          if (!(err instanceof WorkflowNotFoundError)) throw err;
        });
        await repo().setStatus(record._id, 'cancelled', { message: 'cancelled before it started' });
        return 'cancelled';
      }
    }
    try {
      await temporalCall(() => cancelExperiment(client, record._id));
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) throw err;
      await repo().setStatus(record._id, 'cancelled', { message: 'cancelled (it had no workflow)' });
      return 'cancelled';
    }
    await repo().setStatus(record._id, record.status, { message: 'cancellation requested' });
    return record.status;
  }

  async function pause(record: ExperimentRecord): Promise<ExperimentStatus> {
    requireNotFinished(record, 'paused');
    if (record.status === 'paused')
      throw conflict('the experiment is already paused', { status: record.status });
    await signal(record, () => pauseExperiment(ctx.temporal(), record._id));
    return record.status;
  }

  async function resume(record: ExperimentRecord): Promise<ExperimentStatus> {
    requireNotFinished(record, 'resumed');
    // Also accepted before a requested pause took effect: the workflow then simply does not stop.
    await signal(record, () => resumeExperiment(ctx.temporal(), record._id));
    return record.status;
  }

  /** Deletes a finished experiment with its results, checkpoints and compute log. */
  async function remove(record: ExperimentRecord): Promise<void> {
    if (!FINISHED_STATUSES.includes(record.status)) {
      throw conflict(
        `only finished experiments can be deleted; this one is ${record.status} (cancel it first)`,
        {
          status: record.status,
        },
      );
    }
    const { checkpoints, computeLog, experiments } = ctx.repos();
    await checkpoints.remove(record._id);
    await computeLog.remove(record._id);
    await experiments.remove(record._id);
    lists.invalidate(record.owner);
  }

  return {
    list,
    listBody,
    findVisible,
    validate,
    submit,
    reconciled,
    detailView,
    cancel,
    pause,
    resume,
    remove,
  };
}

export type ExperimentService = ReturnType<typeof experimentService>;
