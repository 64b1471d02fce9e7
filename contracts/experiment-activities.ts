/**
 * What the experiment workflow and its activities pass each other: the plan, each activity's input and
 * result, and the activity interfaces the workflow proxies. Types only (workflow-safe).
 */
import type { ExperimentProgress } from './progress';
import type { ComputeQueue } from './queues';
import type { EpochMetrics, Histogram, InferencePoint } from './results';
import type { ExperimentStatus } from './status';

/** Where the weights that get programmed come from. */
export type WeightsSource =
  /** This experiment's own training (its final weights). */
  | { source: 'training' }
  /** The final weights of an earlier training experiment. */
  | { source: 'experiment'; experimentId: string; remap: boolean }
  /** The model's initialisation with a seed (an untrained baseline). */
  | { source: 'initialization'; seed: number };

/** What the workflow does, decided once by the `validate` activity from the parsed experiment. */
export interface ExperimentPlan {
  kind: 'training' | 'inference';
  queue: ComputeQueue;
  dataset: string;
  training: {
    epochs: number;
    /** Each training activity runs this much before a checkpoint (and a pause / cancel boundary). */
    chunk: TrainingChunkSize;
  } | null;
  /** Programming and the drift study; null for a training experiment without a drift study. */
  inference: {
    weights: WeightsSource;
    tInference: number[];
    repeats: number;
  } | null;
}

export type TrainingChunkSize = { epochs: number } | { batches: number };

export interface ValidateInput {
  experimentId: string;
  owner: string;
  spec: unknown;
}

/** Shared by every compute activity. */
export interface ComputeInput {
  experimentId: string;
  owner: string;
  spec: unknown;
  /** The workflow's progress when the activity was scheduled; the activity refines and stores it. */
  progress: ExperimentProgress;
}

export interface TrainChunkInput extends ComputeInput {
  /** 0, 1, 2, ...; the chunk's checkpoint gets this sequence number. */
  chunkIndex: number;
  /** Sequence of the checkpoint to resume from (the previous chunk's), or null to start fresh. */
  resumeFrom: number | null;
  chunk: TrainingChunkSize;
}

export interface TrainChunkResult {
  chunkIndex: number;
  /** Completed epochs, batches done in the current epoch, and the plan's sizes. */
  epoch: number;
  batch: number;
  batchesPerEpoch: number;
  totalEpochs: number;
  /** Metrics of each epoch this chunk completed, in order. */
  epochs: EpochMetrics[];
  batchesRun: number;
  /** Seconds spent in sim-core for this chunk (session set-up, training, evaluation, export). */
  seconds: number;
  /** Training is complete; the final weights are stored. */
  finished: boolean;
  /** Histograms of the trained weights (the last chunk only; empty before). */
  histograms: Histogram[];
  backend: string;
  /** The chunk's checkpoint already existed (an earlier attempt saved it but did not report back). */
  alreadyDone: boolean;
}

export interface ProgramInput extends ComputeInput {
  weights: WeightsSource;
}

export interface ProgramResult {
  /** Weight and conductance histograms: as loaded (inference experiments) and as programmed. */
  histograms: Histogram[];
  seconds: number;
  backend: string;
}

export interface DriftInferInput extends ComputeInput {
  tInference: number[];
  repeats: number;
}

export interface DriftInferResult {
  points: InferencePoint[];
  /** Weight and conductance histograms after drift, per `t_inference`. */
  histograms: Histogram[];
  seconds: number;
  backend: string;
}

export interface RecordStatusInput {
  experimentId: string;
  status: ExperimentStatus;
  message?: string;
  error?: { message: string; details?: unknown } | null;
  progress?: ExperimentProgress;
}

export interface ReportInput {
  experimentId: string;
  owner: string;
  queue: string;
  outcome: 'completed' | 'cancelled' | 'failed';
  learningCurve: EpochMetrics[];
  inference: InferencePoint[];
  histograms: Histogram[];
  timings: {
    validate_s?: number;
    train_s?: number;
    program_s?: number;
    drift_infer_s?: number;
    report_s?: number;
    total_s?: number;
  };
  backend: string | null;
}

/** Activities on the `validator` queue. */
export interface ValidatorActivities {
  /** Parses and checks the experiment; throws a non-retryable `InvalidExperiment` failure listing every issue. */
  validateExperiment(input: ValidateInput): Promise<ExperimentPlan>;
}

/** Heavy activities on the experiment's compute queue (run in compute threads). */
export interface ComputeActivities {
  trainChunk(input: TrainChunkInput): Promise<TrainChunkResult>;
  programWeights(input: ProgramInput): Promise<ProgramResult>;
  driftInfer(input: DriftInferInput): Promise<DriftInferResult>;
}

/** Light activities run as local activities by whichever worker runs the workflow. */
export interface RecordActivities {
  recordStatus(input: RecordStatusInput): Promise<void>;
  /** Persists the results (also partial ones of a cancelled or failed run) and prunes checkpoints. */
  writeReport(input: ReportInput): Promise<void>;
}
