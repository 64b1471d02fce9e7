import { proxyActivities } from '@temporalio/workflow';
import type { SystemActivities } from '../activities/system';
import { TASK_QUEUES } from '../contracts/queues';
import { PERSIST_TIMEOUTS } from '../temporal-config/timeouts';

/**
 * A system check: runs one activity on a compute queue and returns its answer. Used by smoke tests
 * and by operators to see that a queue's worker is alive end to end.
 */
export async function pingWorkflow(message: string, queue: string = TASK_QUEUES.cpu): Promise<string> {
  const { ping } = proxyActivities<SystemActivities>({ taskQueue: queue, ...PERSIST_TIMEOUTS });
  return ping(message);
}
