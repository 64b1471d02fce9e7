/** Retry policies per activity kind, in one place. Workflow-safe (plain data). */
import type { RetryPolicy } from '@temporalio/common';

/**
 * Validation is deterministic: an invalid experiment fails at once (the activity throws a
 * non-retryable `InvalidExperiment`), and nothing else is worth retrying at length either.
 */
export const VALIDATE_RETRY: RetryPolicy = {
  initialInterval: '1 second',
  maximumAttempts: 3,
  nonRetryableErrorTypes: ['InvalidExperiment'],
};

/**
 * Compute resumes from its last checkpoint, so retrying after a crash loses at most one chunk.
 * Errors that another attempt cannot fix are not retried: a bad experiment, a corrupt checkpoint,
 * missing weights, a job the target cannot do.
 */
export const COMPUTE_RETRY: RetryPolicy = {
  initialInterval: '1 second',
  backoffCoefficient: 2,
  maximumInterval: '1 minute',
  maximumAttempts: 10,
  nonRetryableErrorTypes: ['InvalidExperiment', 'CheckpointCorrupt', 'WeightsNotFound', 'Unsupported'],
};

/** Writes to the store: retried for a while, e.g. while the store restarts. */
export const PERSIST_RETRY: RetryPolicy = {
  initialInterval: '500 milliseconds',
  backoffCoefficient: 2,
  maximumInterval: '30 seconds',
  maximumAttempts: 20,
};
