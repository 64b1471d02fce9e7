/**
 * A read-only bull-board queue over one Temporal task queue: its jobs are the workflow executions
 * started on that queue. Status mapping: Running → active (or `paused` when the experiment was paused
 * by signal, `waiting` while it waits for its first activity); Completed → completed; Failed,
 * Canceled, Terminated, TimedOut → failed. Every mutation is refused: operators act through the API
 * (cancel, pause, resume) or the Temporal UI, which each job links to.
 */
import type { WorkflowExecutionInfo } from '@temporalio/client';
import type {
  AppJobScheduler,
  JobCounts,
  JobSchedulerUpdateResult,
  JobStatus,
  QueueJob,
  QueueJobJson,
  QueueMetrics,
  QueueWorker,
  Status,
} from '@bull-board/api/typings/app';
// The runtime class is exported only under its dist path (with the `.js`).
import { BaseAdapter } from '@bull-board/api/dist/queueAdapters/base.js';
import type { ExperimentRecord } from '../../persistence/experiments';
import { temporalStatusName, type TemporalStatus, type VisibilitySource } from './visibility';

/** What a listing and a description have in common. */
type Execution = Omit<WorkflowExecutionInfo, 'raw'>;

type BoardStatus = 'active' | 'waiting' | 'paused' | 'completed' | 'failed';
const BOARD_STATUSES: BoardStatus[] = ['active', 'waiting', 'paused', 'completed', 'failed'];
const RUNNING_STATUSES: BoardStatus[] = ['active', 'waiting', 'paused'];
const CLOSED: Record<'completed' | 'failed', TemporalStatus[]> = {
  completed: ['Completed', 'ContinuedAsNew'],
  failed: ['Failed', 'Canceled', 'Terminated', 'TimedOut'],
};
/** Running executions examined per listing; more than this many running at once on one queue is not expected. */
const RUNNING_SCAN_LIMIT = 1000;

const READ_ONLY = 'the queue dashboard is read-only: use the API (cancel, pause, resume) or the Temporal UI';

export interface AdapterOptions {
  /** Link to the execution in the Temporal UI. */
  uiLink: (workflowId: string, runId?: string) => string;
  description?: string;
}

function boardStatus(info: Execution, experiment: ExperimentRecord | undefined): BoardStatus {
  const status = temporalStatusName(info);
  if (status === 'Running') {
    if (experiment?.status === 'paused') return 'paused';
    if (experiment?.status === 'queued') return 'waiting';
    return 'active';
  }
  return CLOSED.completed.includes(status) ? 'completed' : 'failed';
}

/**
 * A percentage for bull-board's progress bar where the workflow's progress says how far along it is
 * (training: epochs and batches; drift study: points), else the progress object itself (shown as JSON).
 */
export function progressValue(progress: unknown): number | object {
  if (progress === null || typeof progress !== 'object') return 0;
  const p = progress as {
    phase?: string;
    epoch?: number;
    totalEpochs?: number | null;
    batch?: number;
    batchesPerEpoch?: number | null;
    inference?: { pointsDone?: number; pointsTotal?: number } | null;
  };
  if (p.phase === 'training' && p.totalEpochs) {
    const within = p.batchesPerEpoch ? (p.batch ?? 0) / p.batchesPerEpoch : 0;
    return Math.min(100, Math.round((((p.epoch ?? 0) + within) / p.totalEpochs) * 100));
  }
  if (p.phase === 'inference' && p.inference?.pointsTotal) {
    return Math.min(100, Math.round(((p.inference.pointsDone ?? 0) / p.inference.pointsTotal) * 100));
  }
  return progress;
}

class ExecutionJob implements QueueJob {
  readonly opts = {};
  constructor(
    private readonly json: QueueJobJson,
    private readonly state: BoardStatus,
  ) {}
  toJSON(): QueueJobJson {
    return this.json;
  }
  async getState(): Promise<BoardStatus> {
    return this.state;
  }
  async promote(): Promise<void> {
    throw new Error(READ_ONLY);
  }
  async remove(): Promise<void> {
    throw new Error(READ_ONLY);
  }
  async retry(): Promise<void> {
    throw new Error(READ_ONLY);
  }
}

export class TemporalQueueAdapter extends BaseAdapter {
  constructor(
    private readonly queue: string,
    private readonly source: VisibilitySource,
    private readonly options: AdapterOptions,
  ) {
    super('bullmq', {
      readOnlyMode: true,
      allowRetries: false,
      displayName: `${queue} task queue`,
      description: options.description ?? `Workflow executions on the Temporal task queue "${queue}"`,
      externalJobUrl: (job) => ({
        displayText: 'Open in Temporal UI',
        href: String((job.data as { temporalUrl?: string })?.temporalUrl ?? ''),
      }),
    });
  }

  getName(): string {
    return this.queue;
  }

  getStatuses(): Status[] {
    return ['latest', ...BOARD_STATUSES];
  }

  getJobStatuses(): JobStatus[] {
    return [...BOARD_STATUSES];
  }

  async getJobCounts(): Promise<JobCounts> {
    const [byStatus, running] = await Promise.all([
      this.source.countByStatus(this.queue),
      this.source.list(this.queue, ['Running'], RUNNING_SCAN_LIMIT),
    ]);
    const sum = (names: TemporalStatus[]) => names.reduce((n, name) => n + (byStatus[name] ?? 0), 0);
    // Running executions are split by what their experiments say (paused by signal, still waiting);
    // any beyond the scanned ones count as active.
    const experiments = await this.source.experiments(running.map((info) => info.workflowId));
    const counts = { active: Math.max(0, (byStatus.Running ?? 0) - running.length), waiting: 0, paused: 0 };
    for (const info of running)
      counts[boardStatus(info, experiments.get(info.workflowId)) as keyof typeof counts] += 1;
    return {
      ...counts,
      completed: sum(CLOSED.completed),
      failed: sum(CLOSED.failed),
      delayed: 0,
      prioritized: 0,
      'waiting-children': 0,
    };
  }

  async getJobs(statuses: JobStatus[], start = 0, end = 9): Promise<QueueJob[]> {
    const wanted = new Set(
      statuses.filter((s): s is BoardStatus => (BOARD_STATUSES as string[]).includes(s)),
    );
    if (wanted.size === 0 || end < start) return [];
    const closedStatuses = (['completed', 'failed'] as const)
      .filter((s) => wanted.has(s))
      .flatMap((s) => CLOSED[s]);
    const wantRunning = RUNNING_STATUSES.some((s) => wanted.has(s));
    const [running, closed] = await Promise.all([
      wantRunning ? this.source.list(this.queue, ['Running'], RUNNING_SCAN_LIMIT) : [],
      closedStatuses.length > 0 ? this.source.list(this.queue, closedStatuses, end + 1) : [],
    ]);
    const all = [...running, ...closed];
    const experiments = await this.source.experiments(all.map((info) => info.workflowId));
    const rows = all
      .map((info) => ({ info, experiment: experiments.get(info.workflowId) }))
      .map((row) => ({ ...row, state: boardStatus(row.info, row.experiment) }))
      .filter((row) => wanted.has(row.state))
      .sort((a, b) => b.info.startTime.getTime() - a.info.startTime.getTime())
      .slice(start, end + 1);
    return Promise.all(rows.map((row) => this.toJob(row.info, row.experiment, row.state)));
  }

  async getJob(id: string): Promise<QueueJob | undefined> {
    try {
      const description = await this.source.describe(id);
      if (description.taskQueue !== this.queue) return undefined;
      const experiments = await this.source.experiments([id]);
      const experiment = experiments.get(id);
      return this.toJob(description, experiment, boardStatus(description, experiment));
    } catch {
      return undefined;
    }
  }

  private async toJob(
    info: Execution,
    experiment: ExperimentRecord | undefined,
    state: BoardStatus,
  ): Promise<ExecutionJob> {
    const status = temporalStatusName(info);
    let attempts = 1;
    let pending: string[] = [];
    let progress: unknown = experiment?.progress;
    if (status === 'Running') {
      // The stored snapshot changes only with the status; the workflow knows the current epoch.
      progress = (await this.source.progress(info.workflowId).catch(() => null)) ?? progress;
      // Only running executions have pending activities whose attempt count is worth showing.
      const description = await this.source.describe(info.workflowId).catch(() => undefined);
      const activities = description?.raw.pendingActivities ?? [];
      attempts = Math.max(1, ...activities.map((a) => a.attempt ?? 1));
      pending = activities.map(
        (a) =>
          `${a.activityType?.name ?? 'activity'}: attempt ${a.attempt ?? 1}${a.lastFailure?.message ? `, last failure: ${a.lastFailure.message}` : ''}`,
      );
    }
    const failedReason =
      state === 'failed'
        ? (experiment?.error?.message ??
          (status === 'Failed' ? 'the workflow failed' : `the workflow was ${status.toLowerCase()}`))
        : '';
    const json: QueueJobJson = {
      id: info.workflowId,
      name: experiment ? `${experiment.name} (${experiment.kind})` : info.type,
      progress: state === 'completed' ? 100 : progressValue(progress),
      attemptsMade: attempts,
      timestamp: info.startTime.getTime(),
      processedOn: experiment?.startedAt
        ? new Date(experiment.startedAt).getTime()
        : (info.executionTime?.getTime() ?? null),
      finishedOn: info.closeTime?.getTime() ?? null,
      failedReason,
      stacktrace: null,
      data: {
        workflowType: info.type,
        workflowId: info.workflowId,
        runId: info.runId,
        temporalStatus: status,
        taskQueue: info.taskQueue,
        historyLength: info.historyLength,
        temporalUrl: this.options.uiLink(info.workflowId, info.runId),
        pendingActivities: pending,
        experiment: experiment
          ? {
              id: experiment._id,
              name: experiment.name,
              owner: experiment.owner,
              kind: experiment.kind,
              dataset: experiment.dataset,
              status: experiment.status,
              statusMessage: experiment.statusMessage,
            }
          : null,
      },
      returnvalue: null,
      opts: {},
    };
    return new ExecutionJob(json, state);
  }

  async getJobLogs(id: string): Promise<string[]> {
    const description = await this.source.describe(id).catch(() => undefined);
    if (!description) return [];
    const lines = [
      `status: ${temporalStatusName(description)}`,
      `started: ${description.startTime.toISOString()}`,
    ];
    if (description.closeTime) lines.push(`closed: ${description.closeTime.toISOString()}`);
    for (const a of description.raw.pendingActivities ?? []) {
      lines.push(
        `pending activity ${a.activityType?.name ?? '?'} (attempt ${a.attempt ?? 1})${a.lastFailure?.message ? `: ${a.lastFailure.message}` : ''}`,
      );
    }
    return lines;
  }

  override async getWorkers(): Promise<QueueWorker[] | null> {
    try {
      const pollers = await this.source.pollers(this.queue);
      return pollers.map((p) => ({
        id: `${p.kind}:${p.identity}`,
        name: `${p.identity} (${p.kind} poller)`,
        addr: p.identity.split('@')[1] ?? '',
        age: Math.max(0, Math.round((Date.now() - p.lastAccess.getTime()) / 1000)),
      }));
    } catch {
      return null;
    }
  }

  async getMetrics(): Promise<QueueMetrics> {
    return { meta: { count: 0, prevTS: 0, prevCount: 0 }, data: [], count: 0 };
  }

  async getRedisInfo(): Promise<string | null> {
    return null;
  }

  async isPaused(): Promise<boolean> {
    return false;
  }

  async getGlobalConcurrency(): Promise<number | null> {
    return null;
  }

  async getJobSchedulers(): Promise<Omit<AppJobScheduler, 'queueName'>[]> {
    return [];
  }

  async getJobSchedulersCount(): Promise<number> {
    return 0;
  }

  // Every mutation is refused (readOnlyMode hides them in the UI; these guard the HTTP routes).
  async pause(): Promise<void> {
    throw new Error(READ_ONLY);
  }
  async resume(): Promise<void> {
    throw new Error(READ_ONLY);
  }
  async clean(): Promise<void> {
    throw new Error(READ_ONLY);
  }
  async addJob(): Promise<QueueJob> {
    throw new Error(READ_ONLY);
  }
  async empty(): Promise<void> {
    throw new Error(READ_ONLY);
  }
  async obliterate(): Promise<void> {
    throw new Error(READ_ONLY);
  }
  async promoteAll(): Promise<void> {
    throw new Error(READ_ONLY);
  }
  async setGlobalConcurrency(): Promise<void> {
    throw new Error(READ_ONLY);
  }
  async removeJobScheduler(): Promise<boolean> {
    throw new Error(READ_ONLY);
  }
  async updateJobScheduler(): Promise<JobSchedulerUpdateResult> {
    throw new Error(READ_ONLY);
  }
  async runJobSchedulerNow(): Promise<QueueJob | 'not-found'> {
    throw new Error(READ_ONLY);
  }
}
