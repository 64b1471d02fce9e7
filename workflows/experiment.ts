/**
 * The experiment workflow: validate → train (in checkpointed chunks) → program-weights → drift-infer →
 * report. Runs on the experiment's compute queue; validation runs on the `validator` queue; status
 * and results writes are local activities of whichever worker runs the workflow.
 *
 * Control: the `progress` query answers from the state below; `pause` takes effect at the next
 * chunk boundary (the chunk's checkpoint is written by then) and `resume` continues from it;
 * cancellation stops the running activity (it waits for the activity to acknowledge), records
 * `cancelled` and keeps the learning curve so far and the last checkpoint. A long training run
 * continues as new before its history grows large, carrying its state.
 */
import {
  ActivityCancellationType,
  ApplicationFailure,
  CancellationScope,
  condition,
  continueAsNew,
  isCancellation,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  allHandlersFinished,
  workflowInfo,
  ActivityFailure,
  ContinueAsNew,
} from '@temporalio/workflow';
import type {
  ComputeActivities,
  ExperimentPlan,
  RecordActivities,
  ReportInput,
  TrainChunkResult,
  ValidatorActivities,
} from '../contracts/experiment-activities';
import type { ExperimentPhase, ExperimentProgress } from '../contracts/progress';
import type { EpochMetrics, Histogram, InferencePoint } from '../contracts/results';
import type { ExperimentStatus } from '../contracts/status';
import { TASK_QUEUES } from '../contracts/queues';
import { COMPUTE_RETRY, PERSIST_RETRY, VALIDATE_RETRY } from '../temporal-config/retry-policies';
import { COMPUTE_TIMEOUTS, RECORD_TIMEOUTS, VALIDATE_TIMEOUTS } from '../temporal-config/timeouts';
import { pauseSignal, progressQuery, resumeSignal, type ExperimentWorkflowInput } from './definitions';

/** Default history size at which a run continues as new (the server's own suggestion comes later). */
export const DEFAULT_HISTORY_EVENTS_BEFORE_CONTINUE_AS_NEW = 2000;

/** Everything a run hands to its continuation. Plain JSON. */
export interface ExperimentWorkflowState {
  plan: ExperimentPlan | null;
  progress: ExperimentProgress;
  /** Index of the next training chunk and the checkpoint it resumes from. */
  nextChunk: number;
  lastCheckpoint: number | null;
  trainingFinished: boolean;
  batchesDone: number;
  learningCurve: EpochMetrics[];
  timings: ReportInput['timings'];
  backend: string | null;
  /** Histograms of the trained weights (from the last training chunk). */
  trainedHistograms: Histogram[];
  /** Workflow time (ms) the experiment started, for `total_s`. */
  startedAtMs: number;
  /** Runs so far (1 + continue-as-new count), for the record. */
  runs: number;
}

function initialState(input: ExperimentWorkflowInput, now: number): ExperimentWorkflowState {
  return {
    plan: null,
    progress: {
      experimentId: input.experimentId,
      phase: 'queued',
      status: 'queued',
      paused: false,
      pauseRequested: false,
      epoch: 0,
      totalEpochs: null,
      batch: 0,
      batchesPerEpoch: null,
      metrics: null,
      inference: null,
      etaSeconds: null,
      message: '',
      updatedAt: new Date(now).toISOString(),
    },
    nextChunk: 0,
    lastCheckpoint: null,
    trainingFinished: false,
    batchesDone: 0,
    learningCurve: [],
    timings: {},
    backend: null,
    trainedHistograms: [],
    startedAtMs: now,
    runs: 1,
  };
}

const seconds = (fromMs: number) => Math.max(0, (Date.now() - fromMs) / 1000);

/** The message of the failure at the root of an activity failure. */
function failureMessage(err: unknown): { message: string; details?: unknown } {
  let cause: unknown = err;
  while (cause instanceof ActivityFailure && cause.cause) cause = cause.cause;
  if (cause instanceof ApplicationFailure) {
    return cause.details?.length
      ? { message: cause.message, details: cause.details[0] }
      : { message: cause.message };
  }
  return { message: cause instanceof Error ? cause.message : String(cause) };
}

function isInvalidExperiment(err: unknown): boolean {
  return (
    err instanceof ActivityFailure &&
    err.cause instanceof ApplicationFailure &&
    err.cause.type === 'InvalidExperiment'
  );
}

export async function experimentWorkflow(
  input: ExperimentWorkflowInput,
  carried?: ExperimentWorkflowState,
): Promise<ExperimentProgress> {
  const state = carried ? { ...carried, runs: carried.runs + 1 } : initialState(input, Date.now());
  const progress = state.progress;
  const queue = workflowInfo().taskQueue;

  setHandler(progressQuery, () => progress);
  setHandler(pauseSignal, () => {
    if (progress.status === 'completed' || progress.status === 'failed' || progress.status === 'cancelled')
      return;
    progress.pauseRequested = true;
    touch('pause requested: takes effect at the next checkpoint');
  });
  setHandler(resumeSignal, () => {
    if (!progress.pauseRequested && !progress.paused) return;
    progress.pauseRequested = false;
    touch(progress.paused ? 'resuming from the last checkpoint' : 'pause withdrawn');
  });

  const validator = proxyActivities<ValidatorActivities>({
    taskQueue: TASK_QUEUES.validator,
    ...VALIDATE_TIMEOUTS,
    retry: VALIDATE_RETRY,
  });
  const compute = proxyActivities<ComputeActivities>({
    taskQueue: queue,
    ...COMPUTE_TIMEOUTS,
    retry: COMPUTE_RETRY,
    // Cancellation is recorded only once the activity has really stopped.
    cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
  });
  const record = proxyLocalActivities<RecordActivities>({ ...RECORD_TIMEOUTS, retry: PERSIST_RETRY });

  function touch(message?: string): void {
    if (message !== undefined) progress.message = message;
    progress.updatedAt = new Date(Date.now()).toISOString();
  }

  async function setPhase(phase: ExperimentPhase, status: ExperimentStatus, message = ''): Promise<void> {
    const statusChanged = status !== progress.status;
    progress.phase = phase;
    progress.status = status;
    touch(message);
    if (statusChanged)
      await record.recordStatus({ experimentId: input.experimentId, status, message, progress });
  }

  /** At a chunk boundary: stop here while paused (the last chunk's checkpoint is written). */
  async function pausePoint(): Promise<void> {
    if (!progress.pauseRequested) return;
    progress.paused = true;
    progress.etaSeconds = null;
    await setPhase(progress.phase, 'paused', 'paused at a checkpoint; resume to continue');
    await condition(() => !progress.pauseRequested);
    progress.paused = false;
    await setPhase(progress.phase, 'running', 'resumed from the last checkpoint');
  }

  function continueAsNewDue(): boolean {
    const info = workflowInfo();
    const limit =
      input.limits?.historyEventsBeforeContinueAsNew ?? DEFAULT_HISTORY_EVENTS_BEFORE_CONTINUE_AS_NEW;
    return info.continueAsNewSuggested || info.historyLength >= limit;
  }

  async function report(
    outcome: ReportInput['outcome'],
    inference: InferencePoint[],
    histograms: Histogram[],
  ) {
    // No report_s: the report is a local activity inside one workflow task, where workflow time
    // stands still; its time is part of total_s.
    const timings = { ...state.timings, total_s: seconds(state.startedAtMs) };
    await record.writeReport({
      experimentId: input.experimentId,
      owner: input.owner,
      queue,
      outcome,
      learningCurve: state.learningCurve,
      inference,
      histograms,
      timings,
      backend: state.backend,
    });
  }

  let inferencePoints: InferencePoint[] = [];
  try {
    // ---- validate (once per experiment, on the validator queue)
    if (!state.plan) {
      // The validate activity records `validating` when it starts (no status write before it).
      progress.phase = 'validating';
      progress.status = 'validating';
      touch('validating the experiment');
      const startedAt = Date.now();
      state.plan = await validator.validateExperiment({
        experimentId: input.experimentId,
        owner: input.owner,
        spec: input.spec,
      });
      state.timings.validate_s = seconds(startedAt);
    }
    const plan = state.plan;

    // ---- train, chunk by chunk
    if (plan.training && !state.trainingFinished) {
      progress.totalEpochs = plan.training.epochs;
      await setPhase('training', 'running', 'training');
      while (!state.trainingFinished) {
        const chunk: TrainChunkResult = await compute.trainChunk({
          experimentId: input.experimentId,
          owner: input.owner,
          spec: input.spec,
          progress,
          chunkIndex: state.nextChunk,
          resumeFrom: state.lastCheckpoint,
          chunk: plan.training.chunk,
        });
        state.lastCheckpoint = chunk.chunkIndex;
        state.nextChunk = chunk.chunkIndex + 1;
        state.trainingFinished = chunk.finished;
        state.backend = chunk.backend;
        state.batchesDone += chunk.batchesRun;
        state.timings.train_s = (state.timings.train_s ?? 0) + chunk.seconds;
        state.learningCurve.push(...chunk.epochs);
        if (chunk.finished) state.trainedHistograms = chunk.histograms;
        progress.epoch = chunk.epoch;
        progress.batch = chunk.batch;
        progress.batchesPerEpoch = chunk.batchesPerEpoch;
        progress.totalEpochs = chunk.totalEpochs;
        if (chunk.epochs.length > 0) progress.metrics = chunk.epochs[chunk.epochs.length - 1];
        const remaining =
          chunk.totalEpochs * chunk.batchesPerEpoch - (chunk.epoch * chunk.batchesPerEpoch + chunk.batch);
        progress.etaSeconds =
          state.batchesDone > 0 ? Math.round((remaining * state.timings.train_s) / state.batchesDone) : null;
        touch(`trained ${chunk.epoch} of ${chunk.totalEpochs} epochs`);
        if (state.trainingFinished) break;
        await pausePoint();
        if (continueAsNewDue()) {
          await condition(allHandlersFinished);
          await continueAsNew<typeof experimentWorkflow>(input, state);
        }
      }
    }

    // ---- program the weights onto the target, then the drift study
    // With a drift study, the programming step gives the trained weights' histograms (and their
    // conductances) itself.
    let histograms: Histogram[] = plan.inference ? [] : [...state.trainedHistograms];
    if (plan.inference) {
      await pausePoint();
      await setPhase('programming', 'running', 'programming the weights');
      progress.etaSeconds = null;
      let startedAt = Date.now();
      const programmed = await compute.programWeights({
        experimentId: input.experimentId,
        owner: input.owner,
        spec: input.spec,
        progress,
        weights: plan.inference.weights,
      });
      state.timings.program_s = seconds(startedAt);
      state.backend = programmed.backend;
      histograms = [...histograms, ...programmed.histograms];

      await pausePoint();
      const evaluations = plan.inference.tInference.length * plan.inference.repeats;
      progress.inference = { pointsDone: 0, pointsTotal: evaluations, latest: null };
      await setPhase('inference', 'running', 'drift inference');
      startedAt = Date.now();
      const drift = await compute.driftInfer({
        experimentId: input.experimentId,
        owner: input.owner,
        spec: input.spec,
        progress,
        tInference: plan.inference.tInference,
        repeats: plan.inference.repeats,
      });
      state.timings.drift_infer_s = seconds(startedAt);
      inferencePoints = drift.points;
      histograms = [...histograms, ...drift.histograms];
      progress.inference = {
        pointsDone: evaluations,
        pointsTotal: evaluations,
        latest: drift.points[drift.points.length - 1] ?? null,
      };
    }

    // ---- report
    await setPhase('reporting', 'running', 'writing the report');
    await report('completed', inferencePoints, histograms);
    progress.etaSeconds = 0;
    await setPhase('completed', 'completed', 'completed');
    return progress;
  } catch (err) {
    if (err instanceof ContinueAsNew) throw err;
    if (isCancellation(err)) {
      await CancellationScope.nonCancellable(async () => {
        progress.paused = false;
        progress.pauseRequested = false;
        progress.etaSeconds = null;
        // The metrics so far stay readable; the last checkpoint is kept.
        await report('cancelled', inferencePoints, []);
        await setPhase('cancelled', 'cancelled', 'cancelled');
      });
      throw err;
    }
    const failure = failureMessage(err);
    const message = isInvalidExperiment(err) ? `invalid experiment: ${failure.message}` : failure.message;
    await CancellationScope.nonCancellable(async () => {
      progress.phase = 'failed';
      progress.status = 'failed';
      progress.etaSeconds = null;
      touch(message);
      if (state.learningCurve.length > 0) await report('failed', inferencePoints, []);
      await record.recordStatus({
        experimentId: input.experimentId,
        status: 'failed',
        message,
        error: failure,
        progress,
      });
    });
    if (isInvalidExperiment(err)) {
      throw ApplicationFailure.create({
        type: 'InvalidExperiment',
        message,
        nonRetryable: true,
        details: failure.details === undefined ? [] : [failure.details],
      });
    }
    throw err;
  }
}
