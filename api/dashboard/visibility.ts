/**
 * What the operator dashboard reads from Temporal, cached: execution counts by status, executions of a
 * task queue, one execution's description, and the pollers of a task queue. Experiments in the store
 * add what Temporal does not know (paused by signal, waiting for a worker, progress, the user-facing
 * error).
 */
import { createHash } from 'node:crypto';
import type { Client, WorkflowExecutionDescription, WorkflowExecutionInfo } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import type { ExperimentRecord, ExperimentRepository } from '../../persistence/experiments';
import { getProgress } from '../../workflows/client';
import type { ExperimentProgress } from '../../contracts/progress';
import { experimentIdFromWorkflowId } from '../../workflows/definitions';
import { TtlCache } from '../cache';

/** Temporal's execution statuses as visibility queries spell them. */
export const TEMPORAL_STATUSES = [
  'Running',
  'Completed',
  'Failed',
  'Canceled',
  'Terminated',
  'TimedOut',
  'ContinuedAsNew',
] as const;
export type TemporalStatus = (typeof TEMPORAL_STATUSES)[number];

/** `RUNNING` (the SDK's name) → `Running` (the query language's). */
export function temporalStatusName(info: { status: WorkflowExecutionInfo['status'] }): TemporalStatus {
  const byName: Record<string, TemporalStatus> = {
    RUNNING: 'Running',
    COMPLETED: 'Completed',
    FAILED: 'Failed',
    CANCELLED: 'Canceled',
    TERMINATED: 'Terminated',
    TIMED_OUT: 'TimedOut',
    CONTINUED_AS_NEW: 'ContinuedAsNew',
  };
  return byName[info.status.name] ?? 'Running';
}

export interface Poller {
  identity: string;
  lastAccess: Date;
  kind: 'workflow' | 'activity';
}

export interface VisibilitySource {
  countByStatus(queue: string): Promise<Partial<Record<TemporalStatus, number>>>;
  /** Executions of the queue in the given statuses, newest first, at most `limit`. */
  list(queue: string, statuses: readonly TemporalStatus[], limit: number): Promise<WorkflowExecutionInfo[]>;
  describe(workflowId: string): Promise<WorkflowExecutionDescription>;
  pollers(queue: string): Promise<Poller[]>;
  experiments(workflowIds: string[]): Promise<Map<string, ExperimentRecord>>;
  /** The live progress of a running experiment workflow (its `progress` query), or null. */
  progress(workflowId: string): Promise<ExperimentProgress | null>;
}

/** Only our own queue names reach a query; quoting keeps a strange one from changing the query. */
function quote(value: string): string {
  return `"${value.replace(/["\\]/g, '')}"`;
}

export function cachedVisibility(
  client: () => Client,
  experiments: () => ExperimentRepository | undefined,
  namespace: string,
  ttlMs: number,
): VisibilitySource {
  const cache = new TtlCache(ttlMs);
  return {
    countByStatus: (queue) =>
      cache.get(`count:${queue}`, async () => {
        const answer = await client().workflow.count(`TaskQueue=${quote(queue)} GROUP BY ExecutionStatus`);
        const counts: Partial<Record<TemporalStatus, number>> = {};
        for (const group of answer.groups) {
          const name = String([group.groupValues].flat(2)[0]) as TemporalStatus;
          counts[name] = (counts[name] ?? 0) + group.count;
        }
        return counts;
      }),

    list: (queue, statuses, limit) =>
      cache.get(`list:${queue}:${statuses.join(',')}:${limit}`, async () => {
        const query = `TaskQueue=${quote(queue)} AND ExecutionStatus IN (${statuses.map(quote).join(',')})`;
        const out: WorkflowExecutionInfo[] = [];
        if (limit <= 0) return out;
        for await (const info of client().workflow.list({ query, pageSize: Math.min(limit, 1000) })) {
          out.push(info);
          if (out.length >= limit) break;
        }
        return out;
      }),

    describe: (workflowId) =>
      cache.get(`describe:${workflowId}`, () => client().workflow.getHandle(workflowId).describe()),

    pollers: (queue) =>
      cache.get(`pollers:${queue}`, async () => {
        const { connection } = client();
        const types = [
          ['workflow', temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW],
          ['activity', temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY],
        ] as const;
        const answers = await Promise.all(
          types.map(([, taskQueueType]) =>
            connection.workflowService.describeTaskQueue({
              namespace,
              taskQueue: { name: queue },
              taskQueueType,
            }),
          ),
        );
        return answers.flatMap((answer, i) =>
          (answer.pollers ?? []).map((p) => ({
            identity: p.identity ?? 'unknown',
            lastAccess: new Date(Number(p.lastAccessTime?.seconds ?? 0) * 1000),
            kind: types[i][0],
          })),
        );
      }),

    progress: (workflowId) =>
      cache.get(`progress:${workflowId}`, async () => {
        const experimentId = experimentIdFromWorkflowId(workflowId);
        // A worker answers a query in milliseconds; none answering within a second means no worker.
        return experimentId ? getProgress(client(), experimentId, { timeoutMs: 1000 }) : null;
      }),

    experiments: async (workflowIds) => {
      const repo = experiments();
      if (!repo || workflowIds.length === 0) return new Map();
      const key = `experiments:${createHash('sha1')
        .update([...workflowIds].sort().join(','))
        .digest('hex')}`;
      const records = await cache.get(key, () => repo.findByWorkflowIds(workflowIds));
      return new Map(records.map((r) => [r.workflowId, r]));
    },
  };
}
