/** The compute pool with real worker threads (loading TypeScript through the thread bootstrap). */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { PROJECT_ROOT } from '../../config/paths';
import type { TestJobs } from '../../test/fixtures/compute/test-jobs';
import { ComputeAbortedError, ComputePool, ComputeThreadExitError } from './pool';

const MODULE = path.join(PROJECT_ROOT, 'test/fixtures/compute/test-jobs.ts');

describe('ComputePool', () => {
  let pool: ComputePool<TestJobs>;
  beforeAll(async () => {
    pool = new ComputePool<TestJobs>({ module: MODULE, size: 2, data: { backend: 'test' }, graceMs: 300 });
    expect(await pool.ready()).toMatchObject({ typescript: true });
  });
  afterAll(() => pool.close());

  it('runs jobs in threads (not the main thread) with the init data', async () => {
    const result = await pool.run('echo', { value: 'x' });
    expect(result.value).toBe('x');
    expect(result.threadId).toBeGreaterThan(0);
    expect(result.initData).toEqual({ backend: 'test' });
  });

  it('forwards progress', async () => {
    const steps: number[] = [];
    const result = await pool.run(
      'count',
      { steps: 4, stepMs: 5 },
      { onProgress: (p) => steps.push(p.step) },
    );
    expect(result).toEqual({ counted: 4 });
    expect(steps).toEqual([1, 2, 3, 4]);
  });

  it('stops a cooperative job through its signal, keeping its thread', async () => {
    const controller = new AbortController();
    const run = pool.run(
      'count',
      { steps: 1000, stepMs: 10 },
      {
        signal: controller.signal,
        onProgress: (p) => p.step === 3 && controller.abort(),
      },
    );
    await expect(run).rejects.toBeInstanceOf(ComputeAbortedError);
    await expect(run).rejects.toThrow('the compute job was cancelled');
  });

  it('terminates the thread of a job that ignores its signal, and replaces the thread', async () => {
    const controller = new AbortController();
    const run = pool.run('spin', { ms: 60_000 }, { signal: controller.signal });
    setTimeout(() => controller.abort(), 100);
    const started = Date.now();
    await expect(run).rejects.toThrow('(thread stopped)');
    // Stopped after the grace period, not after the minute the job wanted (loose bound: shared machine).
    expect(Date.now() - started).toBeLessThan(10_000);
    // Both slots still work: the replacement thread initialises and runs jobs.
    const results = await Promise.all([pool.run('echo', { value: 'a' }), pool.run('echo', { value: 'b' })]);
    expect(results.map((r) => r.value)).toEqual(['a', 'b']);
  });

  it('queues jobs beyond its size and drops a queued job that is cancelled', async () => {
    const busy = [pool.run('count', { steps: 5, stepMs: 20 }), pool.run('count', { steps: 5, stepMs: 20 })];
    const controller = new AbortController();
    const queued = pool.run('echo', { value: 'late' }, { signal: controller.signal });
    controller.abort();
    await expect(queued).rejects.toBeInstanceOf(ComputeAbortedError);
    await Promise.all(busy);
  });

  it('passes a job error through with its name and message', async () => {
    await expect(pool.run('fail', { name: 'CheckpointCorrupt', message: 'bad bytes' })).rejects.toMatchObject(
      {
        name: 'CheckpointCorrupt',
        message: 'bad bytes',
      },
    );
  });

  it('reports a thread that dies under a job, and keeps serving', async () => {
    await expect(pool.run('crash', { code: 3 })).rejects.toBeInstanceOf(ComputeThreadExitError);
    expect((await pool.run('echo', { value: 'after' })).value).toBe('after');
  });
});

describe('ComputePool start-up', () => {
  it('rejects `ready` and every job with the reason init failed', async () => {
    const pool = new ComputePool<TestJobs>({ module: MODULE, data: { failInit: 'no adapter' } });
    await expect(pool.ready()).rejects.toThrow('init refused: no adapter');
    await expect(pool.run('echo', { value: 'x' })).rejects.toThrow('init refused: no adapter');
    await pool.close();
  });

  it('works in a process started with `node --import tsx`, as npm start runs workers', async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', path.join(PROJECT_ROOT, 'test/fixtures/compute/pool-smoke.ts')],
      { cwd: PROJECT_ROOT, timeout: 60_000 },
    );
    expect(JSON.parse(stdout.trim())).toMatchObject({ value: 'hi', initData: { from: 'tsx' } });
  });
});
