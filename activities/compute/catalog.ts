/**
 * The compute jobs an experiment worker runs in its threads, and what each takes, returns and
 * reports. Checkpoints and weights cross the thread boundary as bytes; the main thread stores them.
 */
import type { EpochMetrics, Histogram, InferencePoint } from '../../contracts/results';
import type { TrainingChunkSize, WeightsSource } from '../../contracts/experiment-activities';

export interface ComputeThreadInfo {
  /** tfjs backend name the thread runs on ("wasm", "cpu", "webgpu"). */
  backend: string;
  /** For imc: the chip the hardware backend drives. */
  chip?: string;
  simCoreVersion?: string;
}

/**
 * A stored state a job continues from. Threads keep the session of their last job: when its state is
 * the one named here (same SHA-256), the job goes on with it and the bytes need not be loaded from
 * the store; otherwise the job answers `{ needBytes: true }` and is sent again with the bytes.
 */
export interface ResumeFrom {
  sha256: string;
  bytes: Uint8Array | null;
}

/** The answer of a job that needs the stored bytes it was not sent. */
export interface NeedBytes {
  needBytes: true;
}

export interface TrainChunkPayload {
  experimentId: string;
  spec: unknown;
  /** The checkpoint to resume from (null: a fresh start from the seed). */
  resume: ResumeFrom | null;
  chunk: TrainingChunkSize;
}

export interface TrainChunkOutput {
  /** The session to resume from; null once training is complete (nothing resumes then). */
  checkpoint: Uint8Array | null;
  /** The final weights, once training is complete. */
  weights: Uint8Array | null;
  epoch: number;
  batch: number;
  batchesPerEpoch: number;
  totalEpochs: number;
  epochs: EpochMetrics[];
  batchesRun: number;
  /** Seconds in sim-core: building or restoring the session, training, evaluating, exporting. */
  seconds: number;
  finished: boolean;
  /** Histograms of the trained weights, once training is complete. */
  histograms: Histogram[];
  backend: string;
}

export interface TrainProgress {
  epoch: number;
  batch: number;
  batchesPerEpoch: number;
  loss: number | null;
}

export interface ProgramPayload {
  experimentId: string;
  spec: unknown;
  /** Stored weights (own training or another experiment's); null for `initialization`. */
  weights: Uint8Array | null;
  source: WeightsSource;
}

export interface ProgramOutput {
  /** The programmed state (an inference-session checkpoint) the drift study starts from. */
  state: Uint8Array;
  histograms: Histogram[];
  seconds: number;
  backend: string;
}

export interface DriftInferPayload {
  experimentId: string;
  spec: unknown;
  /** The programmed state (the program step's output). */
  state: ResumeFrom;
  tInference: number[];
  repeats: number;
}

export interface DriftInferOutput {
  points: InferencePoint[];
  histograms: Histogram[];
  seconds: number;
  backend: string;
}

export interface DriftProgress {
  pointsDone: number;
  pointsTotal: number;
  message: string;
}

export type ExperimentJobs = {
  trainChunk: { payload: TrainChunkPayload; result: TrainChunkOutput | NeedBytes; progress: TrainProgress };
  program: { payload: ProgramPayload; result: ProgramOutput; progress: { message: string } };
  driftInfer: { payload: DriftInferPayload; result: DriftInferOutput | NeedBytes; progress: DriftProgress };
};
