/**
 * The client side of the experiment workflow, for the API, the CLI tools and tests: start (idempotent),
 * progress, pause / resume / cancel, "is anyone polling this queue?", and reconciling a stored status
 * that lags behind Temporal. Not exported from `workflows/index.ts`: it stays out of the workflow
 * bundle.
 */
import {
  WorkflowExecutionAlreadyStartedError,
  WorkflowFailedError,
  WorkflowNotFoundError,
  type Client,
  type ConnectionLike,
} from '@temporalio/client';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { optionalTsToMs } from '@temporalio/common/lib/time';
import { temporal } from '@temporalio/proto';
import type { ComputeHeartbeat, ExperimentProgress } from '../contracts/progress';
import { TASK_QUEUES } from '../contracts/queues';
import { isFinished, type ExperimentStatus } from '../contracts/status';
import {
  SA_DATASET,
  SA_EXPERIMENT_ID,
  SA_KIND,
  SA_OWNER,
  SA_QUEUE,
} from '../temporal-config/search-attributes';
import {
  EXPERIMENT_WORKFLOW_TYPE,
  experimentWorkflowId,
  pauseSignal,
  progressQuery,
  resumeSignal,
  type ExperimentWorkflowInput,
  type ExperimentWorkflowLimits,
} from './definitions';

/** The fields of a stored experiment (persistence `ExperimentRecord`) the workflow start needs. */
export interface StartableExperiment {
  _id: string;
  owner: string;
  kind: string;
  queue: string;
  dataset: string;
  spec: unknown;
}

export interface StartedExperiment {
  workflowId: string;
  runId: string;
  /** False when a workflow for this experiment already existed (nothing new was started). */
  started: boolean;
}

/**
 * Starts the experiment's workflow on the queue the experiment names, with the search attributes
 * operators filter by. Idempotent: the workflow id derives from the experiment id and ids are never
 * reused, so a second submission (even after the first finished) starts nothing and returns the
 * existing run.
 */
export async function startExperimentWorkflow(
  client: Client,
  record: StartableExperiment,
  options: { limits?: ExperimentWorkflowLimits } = {},
): Promise<StartedExperiment> {
  const workflowId = experimentWorkflowId(record._id);
  const input: ExperimentWorkflowInput = {
    experimentId: record._id,
    owner: record.owner,
    spec: record.spec,
    ...(options.limits ? { limits: options.limits } : {}),
  };
  try {
    const handle = await client.workflow.start(EXPERIMENT_WORKFLOW_TYPE, {
      taskQueue: record.queue,
      workflowId,
      args: [input],
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      typedSearchAttributes: [
        { key: SA_OWNER, value: record.owner },
        { key: SA_KIND, value: record.kind },
        { key: SA_QUEUE, value: record.queue },
        { key: SA_DATASET, value: record.dataset },
        { key: SA_EXPERIMENT_ID, value: record._id },
      ],
    });
    return { workflowId, runId: handle.firstExecutionRunId, started: true };
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    const description = await client.workflow.getHandle(workflowId).describe();
    return { workflowId, runId: description.runId, started: false };
  }
}

/** Decodes the last heartbeat of a pending compute activity (see `ComputeHeartbeat`). */
function decodeHeartbeat(payloads: readonly Payload[] | null | undefined): ComputeHeartbeat | undefined {
  const first = payloads?.[0];
  if (!first) return undefined;
  try {
    return defaultPayloadConverter.fromPayload<ComputeHeartbeat>(first);
  } catch {
    return undefined;
  }
}

/**
 * The live progress of an experiment: the workflow's `progress` query, refined with the latest
 * heartbeat of the compute activity running now (batch-level position inside a training chunk).
 * Null when there is no such workflow or no worker answered within `timeoutMs` (then the progress
 * snapshot the activities write to the store is the best source).
 */
export async function getProgress(
  client: Client,
  experimentId: string,
  { timeoutMs = 5000 }: { timeoutMs?: number } = {},
): Promise<ExperimentProgress | null> {
  const handle = client.workflow.getHandle(experimentWorkflowId(experimentId));
  let progress: ExperimentProgress;
  try {
    progress = await client.withDeadline(Date.now() + timeoutMs, () => handle.query(progressQuery));
  } catch {
    return null; // not found, or no worker answered in time
  }
  if (progress.phase !== 'training' && progress.phase !== 'inference') return progress;
  try {
    const description = await handle.describe();
    const pending = description.raw.pendingActivities?.find((a) => a.heartbeatDetails?.payloads?.length);
    const beat = decodeHeartbeat(pending?.heartbeatDetails?.payloads);
    if (beat) return mergeHeartbeat(progress, beat);
  } catch {
    // The query answer alone is still right, only coarser.
  }
  return progress;
}

/** The query's chunk-level progress with the activity's latest batch-level heartbeat applied. */
export function mergeHeartbeat(progress: ExperimentProgress, beat: ComputeHeartbeat): ExperimentProgress {
  if (beat.step === 'train' && progress.phase === 'training') {
    // A heartbeat of an older chunk (before the query's state) must not move progress backwards.
    const ahead =
      beat.epoch > progress.epoch || (beat.epoch === progress.epoch && beat.batch >= progress.batch);
    if (!ahead) return progress;
    return {
      ...progress,
      epoch: beat.epoch,
      batch: beat.batch,
      batchesPerEpoch: beat.batchesPerEpoch,
      etaSeconds: beat.etaSeconds ?? progress.etaSeconds,
    };
  }
  if (beat.step === 'drift-infer' && progress.phase === 'inference') {
    return {
      ...progress,
      message: beat.message,
      inference: {
        pointsDone: beat.pointsDone,
        pointsTotal: beat.pointsTotal,
        latest: progress.inference?.latest ?? null,
      },
    };
  }
  return progress;
}

export async function pauseExperiment(client: Client, experimentId: string): Promise<void> {
  await client.workflow.getHandle(experimentWorkflowId(experimentId)).signal(pauseSignal);
}

export async function resumeExperiment(client: Client, experimentId: string): Promise<void> {
  await client.workflow.getHandle(experimentWorkflowId(experimentId)).signal(resumeSignal);
}

/** Requests cancellation; the running activity stops within seconds and the status becomes `cancelled`. */
export async function cancelExperiment(client: Client, experimentId: string): Promise<void> {
  await client.workflow.getHandle(experimentWorkflowId(experimentId)).cancel();
}

export interface QueueAvailability {
  queue: string;
  /** Workers seen polling for workflow tasks / activity tasks recently. */
  workflowPollers: number;
  activityPollers: number;
  /** Whether an experiment on this queue can make progress now. */
  available: boolean;
  /** For users: empty when available, else e.g. "waiting: no worker polls the gpu queue". */
  message: string;
}

/**
 * A worker holds a long poll open for up to about a minute and starts the next one at once, so a live
 * worker's last access is never much older than that; a poller unseen for longer is gone.
 */
const LIVE_POLLER_MS = 90_000;

async function livePollers(
  connection: ConnectionLike,
  namespace: string,
  queue: string,
  type: temporal.api.enums.v1.TaskQueueType,
): Promise<number> {
  const response = await connection.workflowService.describeTaskQueue({
    namespace,
    taskQueue: { name: queue, kind: temporal.api.enums.v1.TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
    taskQueueType: type,
  });
  const now = Date.now();
  return (response.pollers ?? []).filter((p) => {
    const at = optionalTsToMs(p.lastAccessTime);
    return at === undefined || now - at < LIVE_POLLER_MS;
  }).length;
}

/** Are workers polling `queue`? Compute queues need workflow and activity pollers, `validator` activity pollers. */
export async function describeQueueAvailability(
  connection: ConnectionLike,
  queue: string,
  { namespace = 'default' }: { namespace?: string } = {},
): Promise<QueueAvailability> {
  const { TASK_QUEUE_TYPE_WORKFLOW, TASK_QUEUE_TYPE_ACTIVITY } = temporal.api.enums.v1.TaskQueueType;
  const [workflowPollers, activityPollers] = await Promise.all([
    livePollers(connection, namespace, queue, TASK_QUEUE_TYPE_WORKFLOW),
    livePollers(connection, namespace, queue, TASK_QUEUE_TYPE_ACTIVITY),
  ]);
  const available =
    queue === TASK_QUEUES.validator ? activityPollers > 0 : workflowPollers > 0 && activityPollers > 0;
  return {
    queue,
    workflowPollers,
    activityPollers,
    available,
    message: available ? '' : `waiting: no worker polls the ${queue} queue`,
  };
}

/** The stored fields `reconcileStatus` compares with Temporal. */
export interface StoredExperimentStatus {
  _id: string;
  status: ExperimentStatus;
  statusMessage?: string | null;
  queue: string;
}

export interface StatusCorrection {
  status: ExperimentStatus;
  message: string;
  error?: { message: string; details?: unknown };
  /** True when status or message differ from the stored ones (the caller should write them). */
  changed: boolean;
}

/**
 * What an experiment's status should be, given what Temporal knows. Corrects a stored status that
 * lags (a worker died before writing `failed`, an operator terminated the workflow) and explains a
 * queued experiment no worker picks up. The caller writes the correction through the repository,
 * whose guarded `setStatus` never moves a finished experiment back.
 */
export async function reconcileStatus(
  client: Client,
  record: StoredExperimentStatus,
): Promise<StatusCorrection> {
  const stored = { status: record.status, message: record.statusMessage ?? '' };
  const result = (status: ExperimentStatus, message: string, error?: StatusCorrection['error']) => ({
    status,
    message,
    ...(error ? { error } : {}),
    changed: status !== stored.status || message !== stored.message,
  });
  const handle = client.workflow.getHandle(experimentWorkflowId(record._id));
  let description;
  try {
    description = await handle.describe();
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return { ...stored, changed: false };
    throw err;
  }
  switch (description.status.name) {
    case 'RUNNING': {
      if (isFinished(stored.status)) return { ...stored, changed: false };
      if (stored.status === 'queued' || stored.status === 'validating') {
        // A queued experiment needs its queue's workers (the workflow runs there) and the validator.
        const queues =
          stored.status === 'validating' ? [TASK_QUEUES.validator] : [record.queue, TASK_QUEUES.validator];
        for (const queue of queues) {
          const availability = await describeQueueAvailability(client.connection, queue, {
            namespace: client.options.namespace,
          });
          if (!availability.available) return result(stored.status, availability.message);
        }
        if (stored.message.startsWith('waiting: no worker polls')) return result(stored.status, '');
      }
      return { ...stored, changed: false };
    }
    case 'COMPLETED':
      return result('completed', stored.status === 'completed' ? stored.message : '');
    case 'CANCELLED':
      return result('cancelled', stored.status === 'cancelled' ? stored.message : 'cancelled');
    case 'TERMINATED':
      return result('failed', 'terminated by an operator', { message: 'the workflow was terminated' });
    case 'TIMED_OUT':
      return result('failed', 'timed out', { message: 'the workflow timed out' });
    case 'FAILED': {
      let message = 'the workflow failed';
      try {
        await handle.result();
      } catch (err) {
        if (err instanceof WorkflowFailedError) message = err.cause?.message ?? err.message;
      }
      if (stored.status === 'failed') return { ...stored, changed: false };
      return result('failed', message, { message });
    }
    default:
      return { ...stored, changed: false };
  }
}
