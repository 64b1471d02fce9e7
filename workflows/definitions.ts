/**
 * The experiment workflow's public contract: its input, the `progress` query, the `pause` / `resume`
 * signals and how workflow ids derive from experiment ids. Workflow-safe (no I/O), so the API, the
 * workflow itself and tests share one definition. Cancellation goes through the workflow handle. The
 * progress the query answers is a shared contract (`contracts/progress.ts`).
 */
import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { ExperimentProgress } from '../contracts/progress';

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

/** `progress`: the live state of the experiment. */
export const progressQuery = defineQuery<ExperimentProgress>('progress');

/** `pause`: stop at the next chunk boundary (after a checkpoint) until `resume`. */
export const pauseSignal = defineSignal<[]>('pause');

/** `resume`: continue a paused experiment from its checkpoint. */
export const resumeSignal = defineSignal<[]>('resume');
