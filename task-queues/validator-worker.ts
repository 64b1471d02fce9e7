/** Worker for the `validator` queue: validates experiment specs. */
import { runWorker } from './run-worker';
import { TASK_QUEUES } from './names';
import { createSystemActivities } from '../activities/system';

void runWorker({
  queue: TASK_QUEUES.validator,
  activities: { ...createSystemActivities(TASK_QUEUES.validator) },
  workflows: false,
  maxConcurrentActivities: 16,
}).catch((err) => {
  console.error(err);
  process.exit(1);
});
