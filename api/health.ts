/**
 * `GET /health`: is each dependency up (Temporal, the store), and who polls each task queue. Never
 * throws: a dependency that cannot be reached is reported as down with the reason.
 */
import type { Connection as TemporalConnection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import type { Connection as StoreConnection } from 'mongoose';
import { storeHealthy } from '../persistence/connection';
import { ALL_TASK_QUEUES, type TaskQueueName } from '../contracts/queues';
import { temporalHealthy } from '../temporal-config/connection';

export interface DependencyStatus {
  status: 'up' | 'down';
  error?: string;
}

export interface QueueStatus {
  workflowPollers: number;
  activityPollers: number;
  /** A worker polled this queue within the last minute. */
  served: boolean;
}

export interface HealthReport {
  status: 'ok' | 'degraded';
  dependencies: { temporal: DependencyStatus; store: DependencyStatus };
  queues: Partial<Record<TaskQueueName, QueueStatus>>;
}

export interface HealthSources {
  temporal: () => TemporalConnection | undefined;
  store: () => StoreConnection | undefined;
  namespace: string;
}

const POLLER_FRESH_MS = 60_000;

async function check(probe: () => Promise<boolean>): Promise<DependencyStatus> {
  try {
    return (await probe()) ? { status: 'up' } : { status: 'down', error: 'not serving' };
  } catch (err) {
    return { status: 'down', error: (err as Error).message.split('\n')[0] };
  }
}

/** Pollers seen on a task queue (both workflow and activity pollers). */
export async function describeQueuePollers(
  connection: TemporalConnection,
  namespace: string,
  queue: string,
): Promise<QueueStatus> {
  const { TASK_QUEUE_TYPE_WORKFLOW, TASK_QUEUE_TYPE_ACTIVITY } = temporal.api.enums.v1.TaskQueueType;
  const fresh = (pollers: temporal.api.taskqueue.v1.IPollerInfo[] | null | undefined) =>
    (pollers ?? []).filter((p) => {
      const seconds = Number(p.lastAccessTime?.seconds ?? 0);
      return Date.now() - seconds * 1000 < POLLER_FRESH_MS;
    }).length;
  const [wf, act] = await Promise.all(
    [TASK_QUEUE_TYPE_WORKFLOW, TASK_QUEUE_TYPE_ACTIVITY].map((taskQueueType) =>
      connection.withDeadline(Date.now() + 2000, () =>
        connection.workflowService.describeTaskQueue({
          namespace,
          taskQueue: { name: queue },
          taskQueueType,
        }),
      ),
    ),
  );
  const workflowPollers = fresh(wf.pollers);
  const activityPollers = fresh(act.pollers);
  return { workflowPollers, activityPollers, served: workflowPollers + activityPollers > 0 };
}

export async function healthReport(sources: HealthSources): Promise<HealthReport> {
  const temporalConn = sources.temporal();
  const storeConn = sources.store();
  const [temporalStatus, storeStatus] = await Promise.all([
    temporalConn
      ? check(() => temporalHealthy(temporalConn))
      : { status: 'down' as const, error: 'not connected' },
    storeConn ? check(() => storeHealthy(storeConn)) : { status: 'down' as const, error: 'not connected' },
  ]);
  const queues: HealthReport['queues'] = {};
  if (temporalConn && temporalStatus.status === 'up') {
    await Promise.all(
      ALL_TASK_QUEUES.map(async (queue) => {
        try {
          queues[queue] = await describeQueuePollers(temporalConn, sources.namespace, queue);
        } catch {
          // leave the queue out: Temporal answered health but not this call
        }
      }),
    );
  }
  const allUp = temporalStatus.status === 'up' && storeStatus.status === 'up';
  return {
    status: allUp ? 'ok' : 'degraded',
    dependencies: { temporal: temporalStatus, store: storeStatus },
    queues,
  };
}
