/**
 * Runs one compute job from an activity: the job runs in a compute thread while the main thread
 * heartbeats (so cancellation and a dead worker are noticed), writes a progress snapshot to the store
 * now and then, and turns thread errors into Temporal failures.
 */
import { Context } from '@temporalio/activity';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { CheckpointCorruptError } from '../../persistence/checkpoints';
import { HEARTBEAT_INTERVAL_MS } from '../../temporal-config/timeouts';
import type { ComputeHeartbeat } from '../../contracts/progress';
import { ComputeAbortedError, ComputeJobError } from '../compute/pool';

/** Error names (set by compute jobs) that another attempt cannot fix. */
export const NON_RETRYABLE_ERRORS = [
  'InvalidExperiment',
  'CheckpointCorrupt',
  'WeightsNotFound',
  'Unsupported',
];

/** How often the live progress snapshot is written to the experiment record. */
const PROGRESS_WRITE_MS = 5000;

export interface HeartbeatOptions {
  /** The current heartbeat (called at every beat). */
  details(): ComputeHeartbeat;
  /** Persists a progress snapshot (throttled); failures are ignored (progress is advisory). */
  saveProgress?(): Promise<void>;
}

/**
 * Awaits `work(signal)` while heartbeating. The signal fires when Temporal cancels the activity
 * (delivered through a heartbeat response); the job must then stop, and this throws
 * `CancelledFailure` so the attempt is recorded as cancelled.
 */
export async function withHeartbeats<T>(
  work: (signal: AbortSignal) => Promise<T>,
  options: HeartbeatOptions,
): Promise<T> {
  const ctx = Context.current();
  let lastWrite = Date.now();
  let writing = false;
  const beat = () => {
    ctx.heartbeat(options.details());
    if (options.saveProgress && !writing && Date.now() - lastWrite >= PROGRESS_WRITE_MS) {
      writing = true;
      lastWrite = Date.now();
      options
        .saveProgress()
        .catch(() => undefined)
        .finally(() => (writing = false));
    }
  };
  beat();
  const timer = setInterval(beat, HEARTBEAT_INTERVAL_MS);
  try {
    return await work(ctx.cancellationSignal);
  } catch (err) {
    throw asActivityFailure(err, ctx.cancellationSignal);
  } finally {
    clearInterval(timer);
  }
}

/** The failure Temporal should see for an error of a compute job or the store. */
export function asActivityFailure(err: unknown, signal?: AbortSignal): unknown {
  if (signal?.aborted || err instanceof ComputeAbortedError) {
    const reason =
      signal?.reason instanceof Error ? signal.reason.message : String(signal?.reason ?? 'cancelled');
    return new CancelledFailure(reason);
  }
  if (err instanceof CheckpointCorruptError) {
    return ApplicationFailure.create({ type: 'CheckpointCorrupt', message: err.message, nonRetryable: true });
  }
  if (err instanceof ComputeJobError) {
    return ApplicationFailure.create({
      type: err.name,
      message: err.message,
      nonRetryable: NON_RETRYABLE_ERRORS.includes(err.name),
      details: [{ stack: err.stack ?? '' }],
    });
  }
  return err;
}
