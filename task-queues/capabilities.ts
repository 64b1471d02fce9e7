/**
 * What each compute queue can do. Workflow-safe (plain data). The imc queue drives analog chips (or
 * the bundled emulator) that are programmed once and then read: they run inference, not training.
 */
import { TASK_QUEUES, type TaskQueueName } from './names';

export interface QueueCapabilities {
  training: boolean;
  inference: boolean;
  /** Why a capability is missing, for validation messages. */
  note?: string;
}

export const QUEUE_CAPABILITIES: Record<Exclude<TaskQueueName, 'validator'>, QueueCapabilities> = {
  [TASK_QUEUES.cpu]: { training: true, inference: true },
  [TASK_QUEUES.gpu]: { training: true, inference: true },
  [TASK_QUEUES.imc]: {
    training: false,
    inference: true,
    note:
      'the imc queue drives an in-memory-computing chip (or its emulator), which only programs weights ' +
      'and runs inference; train on the cpu or gpu queue, then run an inference experiment on imc with ' +
      'weights { "source": "experiment", "experiment_id": "<the training experiment>" }',
  },
};
