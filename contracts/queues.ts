/**
 * The task queues and what each compute queue can do, in one place. Plain data (workflow-safe).
 *
 * An experiment names its compute queue (`execution.queue`: cpu, gpu or imc); its workflow runs there
 * together with that queue's compute activities, so each queue's executions can be listed per queue.
 * Validation always runs on the `validator` queue.
 */
export const TASK_QUEUES = {
  validator: 'validator',
  cpu: 'cpu',
  gpu: 'gpu',
  imc: 'imc',
} as const;

export type TaskQueueName = (typeof TASK_QUEUES)[keyof typeof TASK_QUEUES];

export const ALL_TASK_QUEUES: readonly TaskQueueName[] = Object.values(TASK_QUEUES);

/** Queues whose workers run experiment workflows and compute activities: the ones an experiment may name. */
export const COMPUTE_QUEUES = [TASK_QUEUES.cpu, TASK_QUEUES.gpu, TASK_QUEUES.imc] as const;
export type ComputeQueue = (typeof COMPUTE_QUEUES)[number];

export interface QueueCapabilities {
  training: boolean;
  inference: boolean;
  /** Why a capability is missing, for validation messages. */
  note?: string;
}

/**
 * What each compute queue can do. The imc queue drives analog chips (or the bundled emulator) that
 * are programmed once and then read: they run inference, not training.
 */
export const QUEUE_CAPABILITIES: Record<ComputeQueue, QueueCapabilities> = {
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
