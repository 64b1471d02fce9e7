/**
 * Worker for the `gpu` queue: experiment workflows and compute on WebGPU (Dawn through the `webgpu`
 * package). Refuses to start, saying why, where no adapter is found; the compute threads then
 * initialise sim-core's WebGPU backend themselves and refuse likewise if it does not come up.
 */
import { logger } from '../config/logger';
import { runExperimentWorker } from './experiment-worker';
import { probeWebGpu } from './gpu-probe';
import { TASK_QUEUES } from '../contracts/queues';

void probeWebGpu().then((probe) => {
  if (!probe.available) {
    logger('worker', { queue: TASK_QUEUES.gpu }).error(`the gpu worker cannot start: ${probe.reason}`);
    process.exit(2);
  }
  logger('worker', { queue: TASK_QUEUES.gpu }).info(`WebGPU adapter: ${probe.adapter}`);
  runExperimentWorker(TASK_QUEUES.gpu);
});
