/**
 * Progress of an experiment: what the workflow's `progress` query answers, what the API, the CLI and
 * the web show, and what compute activities heartbeat. Types only (workflow-safe).
 */
import type { EpochMetrics, InferencePoint } from './results';
import type { ExperimentStatus } from './status';

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
