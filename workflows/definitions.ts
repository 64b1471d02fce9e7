/**
 * The experiment workflow's public contract: its input, the `progress` query, the `pause` / `resume`
 * signals and how workflow ids derive from experiment ids. Workflow-safe (no I/O), so the API, the
 * workflow itself and tests share one definition. Cancellation goes through the workflow handle.
 */
import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { EpochMetrics, InferencePoint } from '../experiment-spec/results';
import type { ExperimentStatus } from '../experiment-spec/status';

/** The registered workflow type name (the function exported from `workflows/index.ts`). */
export const EXPERIMENT_WORKFLOW_TYPE = 'experimentWorkflow';

/** Submitting the same experiment twice maps to the same workflow id, so nothing new starts. */
export function experimentWorkflowId(experimentId: string): string {
  return `experiment-${experimentId}`;
}

/** The experiment id back from a workflow id (undefined for other workflows). */
export function experimentIdFromWorkflowId(workflowId: string): string | undefined {
  return workflowId.startsWith('experiment-') ? workflowId.slice('experiment-'.length) : undefined;
}

/** Operator limits a deployment may tune; every field has a sensible default. */
export interface ExperimentWorkflowLimits {
  /**
   * Continue-as-new once the history holds this many events (the server also suggests it when the
   * history grows large). Each training chunk adds about a dozen events.
   */
  historyEventsBeforeContinueAsNew?: number;
}

export interface ExperimentWorkflowInput {
  experimentId: string;
  /** User id of the owner (search attribute `AnalogOwner`, results ownership). */
  owner: string;
  /**
   * The experiment document as stored (every default filled in by the API). The workflow treats it
   * as opaque data: the `validate` activity parses and checks it and returns the plan the workflow
   * follows, so the workflow never re-interprets the schema.
   */
  spec: unknown;
  limits?: ExperimentWorkflowLimits;
}

/** What the experiment is doing now. */
export type ExperimentPhase =
  | 'queued'
  | 'validating'
  | 'training'
  | 'programming'
  | 'inference'
  | 'reporting'
  | 'completed'
  | 'failed'
  | 'cancelled';

export interface InferenceProgress {
  /** Drift-study evaluations (one per repeat and t_inference) finished so far, and in all. */
  pointsDone: number;
  pointsTotal: number;
  /** The latest finished point. */
  latest: InferencePoint | null;
}

export interface ExperimentProgress {
  experimentId: string;
  phase: ExperimentPhase;
  status: ExperimentStatus;
  /** The workflow is waiting for `resume` (training stopped at a chunk boundary, checkpointed). */
  paused: boolean;
  /** `pause` was received and takes effect at the next chunk boundary. */
  pauseRequested: boolean;
  /** Completed epochs and the training plan (training experiments; 0 / null otherwise). */
  epoch: number;
  totalEpochs: number | null;
  /** Batches done inside the current epoch, and batches per epoch once known. */
  batch: number;
  batchesPerEpoch: number | null;
  /** Metrics of the latest completed epoch. */
  metrics: EpochMetrics | null;
  inference: InferenceProgress | null;
  /** Estimated seconds to completion of the current phase's remaining work (null while unknown). */
  etaSeconds: number | null;
  /** A human-readable line: what is happening or why it is waiting. */
  message: string;
  /** ISO time of the last change (workflow time). */
  updatedAt: string;
}

/**
 * What a compute activity heartbeats (from the worker's main thread, every few seconds): its
 * position inside the current step, finer than the workflow's chunk-level state. A retried attempt
 * also reads it back to know where the crashed one got to.
 */
export type ComputeHeartbeat =
  | {
      step: 'train';
      chunkIndex: number;
      /** Completed epochs and batches done in the current epoch. */
      epoch: number;
      batch: number;
      batchesPerEpoch: number;
      /** Running mean training loss of the current epoch. */
      loss: number | null;
      etaSeconds: number | null;
    }
  | { step: 'program'; message: string }
  | { step: 'drift-infer'; message: string; pointsDone: number; pointsTotal: number };

/** `progress`: the live state of the experiment. */
export const progressQuery = defineQuery<ExperimentProgress>('progress');

/** `pause`: stop at the next chunk boundary (after a checkpoint) until `resume`. */
export const pauseSignal = defineSignal<[]>('pause');

/** `resume`: continue a paused experiment from its checkpoint. */
export const resumeSignal = defineSignal<[]>('resume');
