/** Worker for the `cpu` queue: experiment workflows and compute activities on the CPU. */
import { runWorker } from './run-worker';
import { TASK_QUEUES } from './names';
import { createSystemActivities } from '../activities/system';

void runWorker({
  queue: TASK_QUEUES.cpu,
  activities: { ...createSystemActivities(TASK_QUEUES.cpu) },
  workflows: true,
}).catch((err) => {
  console.error(err);
  process.exit(1);
});
