/**
 * Worker for the `imc` queue: experiment workflows, and programming and inference on the IMC hardware
 * backend (the bundled chip emulator unless another backend is configured; see `imc/`).
 */
import { runExperimentWorker } from './experiment-worker';
import { TASK_QUEUES } from '../contracts/queues';

runExperimentWorker(TASK_QUEUES.imc);
