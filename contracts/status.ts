/** The life cycle of an experiment, as stored and as shown to users. Plain data (workflow-safe). */
export const EXPERIMENT_STATUSES = [
  'queued', // accepted, workflow started, no activity has run yet
  'validating',
  'running', // training, programming, drift inference or reporting
  'paused',
  'completed',
  'failed',
  'cancelled',
] as const;

export type ExperimentStatus = (typeof EXPERIMENT_STATUSES)[number];

export const FINISHED_STATUSES: readonly ExperimentStatus[] = ['completed', 'failed', 'cancelled'];

export function isFinished(status: ExperimentStatus): boolean {
  return FINISHED_STATUSES.includes(status);
}
