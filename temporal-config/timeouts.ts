/**
 * Timeouts for every activity and workflow, in one place. Workflow-safe (plain data).
 *
 * Compute activities are long (a training chunk can take many minutes) but heartbeat every few
 * seconds from the worker's main thread (the compute runs in worker threads), so a dead worker is
 * noticed within `heartbeatTimeout`, not after the whole start-to-close budget, and its retry resumes
 * from the last checkpoint.
 */
import type { ActivityOptions, LocalActivityOptions } from '@temporalio/workflow';

type Timeouts = Pick<ActivityOptions, 'startToCloseTimeout' | 'heartbeatTimeout' | 'scheduleToStartTimeout'>;

/** Validation parses and checks a document (and may look up referenced weights): seconds at most. */
export const VALIDATE_TIMEOUTS: Timeouts = { startToCloseTimeout: '1 minute' };

export const COMPUTE_TIMEOUTS: Timeouts = {
  // One training chunk, the programming step or the whole drift study.
  startToCloseTimeout: '12 hours',
  // A SIGKILLed worker is noticed this long after its last heartbeat; 15 missed heartbeats in a row
  // (HEARTBEAT_INTERVAL_MS) before a healthy but busy worker would be declared dead.
  heartbeatTimeout: '15 seconds',
};

/** Status and results writes, run as local activities by the worker that runs the workflow. */
export const RECORD_TIMEOUTS: Pick<LocalActivityOptions, 'startToCloseTimeout' | 'localRetryThreshold'> = {
  startToCloseTimeout: '1 minute',
  // Longer back-offs (the store restarting) become workflow timers instead of holding the task.
  localRetryThreshold: '10 seconds',
};

export const PERSIST_TIMEOUTS: Timeouts = { startToCloseTimeout: '2 minutes' };

/** How often a compute activity heartbeats: cancellation arrives with a heartbeat response, so this bounds how late a cancel is noticed. */
export const HEARTBEAT_INTERVAL_MS = 1000;

/**
 * The longest the worker holds back heartbeats before sending them. Cancellation reaches an activity
 * only in a heartbeat's response, and the SDK's default throttle (0.8 × heartbeatTimeout) would delay
 * it by up to 12 s: compute workers send at most once a second instead.
 */
export const MAX_HEARTBEAT_THROTTLE = '1 second';
