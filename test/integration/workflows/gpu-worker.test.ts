/**
 * The gpu worker: it runs only where a WebGPU adapter exists. Here (no GPU, no Vulkan) it must refuse
 * to start with a message saying why; on a GPU machine it must come up and poll the gpu queue.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { PROJECT_ROOT } from '../../../config/paths';
import type { GpuProbe } from '../../../task-queues/gpu-probe';
import { describeQueueAvailability } from '../../../workflows/client';
import { experimentHarness, recentOutput, spawnWorkerProcess } from '../../helpers/experiments';

it('starts only with a WebGPU adapter, and otherwise says why not', async () => {
  // Probed as `npm start` probes, in a process of its own (`webgpu` is an ES module jest cannot load).
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', path.join(PROJECT_ROOT, 'task-queues/gpu-probe.ts')],
    { cwd: PROJECT_ROOT, timeout: 60_000 },
  );
  const probe = JSON.parse(stdout.trim().split('\n').pop()!) as GpuProbe;
  const child = spawnWorkerProcess('task-queues/gpu-worker.ts');
  try {
    if (!probe.available) {
      const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
      expect(code).toBe(2);
      expect(recentOutput(child)).toContain(`the gpu worker cannot start: ${probe.reason}`);
      return;
    }
    const h = await experimentHarness();
    try {
      const deadline = Date.now() + 120_000;
      while (!(await describeQueueAvailability(h.client.connection, 'gpu')).available) {
        if (Date.now() > deadline) throw new Error(`the gpu worker did not come up:\n${recentOutput(child)}`);
        await new Promise((r) => setTimeout(r, 500));
      }
      expect(recentOutput(child)).toContain('"backend":"webgpu"');
    } finally {
      await h.close();
    }
  } finally {
    if (child.exitCode === null) child.kill('SIGTERM');
  }
});
