/** Worker for the `cpu` queue: experiment workflows and compute on the best CPU tensor backend. */
import { runExperimentWorker } from './experiment-worker';
import { TASK_QUEUES } from '../contracts/queues';

runExperimentWorker(TASK_QUEUES.cpu);
