/**
 * Worker for the `gpu` queue: experiment workflows and compute activities on WebGPU. Refuses to
 * start, saying why, where no adapter is found.
 */
import { runWorker } from './run-worker';
import { TASK_QUEUES } from './names';
import { createSystemActivities } from '../activities/system';
import { probeWebGpu } from './gpu-probe';
import { logger } from '../config/logger';

void (async () => {
  const probe = await probeWebGpu();
  if (!probe.available) {
    logger('worker', { queue: TASK_QUEUES.gpu }).error(`the gpu worker cannot start: ${probe.reason}`);
    process.exit(2);
  }
  await runWorker({
    queue: TASK_QUEUES.gpu,
    activities: { ...createSystemActivities(TASK_QUEUES.gpu) },
    workflows: true,
  });
})().catch((err) => {
  console.error(err);
  process.exit(1);
});
