/** Worker for the `imc` queue: experiment workflows and program/inference on the IMC hardware backend. */
import { runWorker } from './run-worker';
import { TASK_QUEUES } from './names';
import { createSystemActivities } from '../activities/system';

void runWorker({
  queue: TASK_QUEUES.imc,
  activities: { ...createSystemActivities(TASK_QUEUES.imc) },
  workflows: true,
}).catch((err) => {
  console.error(err);
  process.exit(1);
});
