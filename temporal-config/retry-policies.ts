/** Retry policies per activity kind, in one place. Workflow-safe (plain data). */
import type { RetryPolicy } from '@temporalio/common';

/** Validation is deterministic: an invalid spec fails at once, never retried. */
export const VALIDATE_RETRY: RetryPolicy = { maximumAttempts: 1 };

/** Compute resumes from its last checkpoint, so retrying after a crash loses little work. */
export const COMPUTE_RETRY: RetryPolicy = {
  initialInterval: '1 second',
  backoffCoefficient: 2,
  maximumInterval: '1 minute',
  maximumAttempts: 10,
  nonRetryableErrorTypes: ['InvalidExperiment', 'CheckpointCorrupt'],
};

/** Writes to the store: retried briefly, e.g. while the store restarts. */
export const PERSIST_RETRY: RetryPolicy = {
  initialInterval: '500 milliseconds',
  backoffCoefficient: 2,
  maximumInterval: '30 seconds',
  maximumAttempts: 20,
};
