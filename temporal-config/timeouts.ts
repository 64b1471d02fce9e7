/**
 * Timeouts for every activity and workflow, in one place. Workflow-safe (plain data).
 *
 * Compute activities are long (a training chunk can take many minutes) but heartbeat every few
 * seconds from the main thread, so a dead worker is noticed within `heartbeatTimeout`, not after the
 * whole start-to-close budget.
 */
import type { ActivityOptions } from '@temporalio/workflow';

type Timeouts = Pick<ActivityOptions, 'startToCloseTimeout' | 'heartbeatTimeout' | 'scheduleToStartTimeout'>;

export const VALIDATE_TIMEOUTS: Timeouts = { startToCloseTimeout: '1 minute' };

export const COMPUTE_TIMEOUTS: Timeouts = {
  startToCloseTimeout: '12 hours',
  heartbeatTimeout: '30 seconds',
};

export const PERSIST_TIMEOUTS: Timeouts = { startToCloseTimeout: '2 minutes' };

/** How often a compute activity heartbeats (well inside `heartbeatTimeout`). */
export const HEARTBEAT_INTERVAL_MS = 2000;
