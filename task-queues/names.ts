/**
 * The task queues, in one place. Workflow-safe (plain data).
 *
 * An experiment's workflow runs on the queue its spec names (cpu, gpu or imc) together with that
 * queue's compute activities, so each queue's executions can be listed per queue; validation always
 * runs on the `validator` queue.
 */
export const TASK_QUEUES = {
  validator: 'validator',
  cpu: 'cpu',
  gpu: 'gpu',
  imc: 'imc',
} as const;

export type TaskQueueName = (typeof TASK_QUEUES)[keyof typeof TASK_QUEUES];

export const ALL_TASK_QUEUES: TaskQueueName[] = Object.values(TASK_QUEUES);

/** Queues whose workers run experiment workflows and compute activities. */
export const COMPUTE_QUEUES: TaskQueueName[] = [TASK_QUEUES.cpu, TASK_QUEUES.gpu, TASK_QUEUES.imc];
