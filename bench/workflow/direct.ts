/**
 * The benchmark's baseline: the same training run called directly in sim-core (session creation,
 * every epoch with its test-set evaluation, the final weights), without Temporal, the store or
 * checkpoints, in a compute thread of its own like the worker's.
 */
import path from 'node:path';
import { ComputePool } from '../../activities/compute/pool';
import type { DirectJobs } from './direct-jobs';

let pool: ComputePool<DirectJobs> | undefined;

export async function directTrainingRun(document: unknown): Promise<{ seconds: number; backend: string }> {
  pool ??= new ComputePool<DirectJobs>({ module: path.join(__dirname, 'direct-jobs.ts') });
  return pool.run('train', { document });
}

export async function closeDirect(): Promise<void> {
  await pool?.close();
  pool = undefined;
}
