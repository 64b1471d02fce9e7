/**
 * TrainingSession: bit-for-bit resume (in process, mid-epoch, and in a new process), epoch metrics,
 * option validation and checkpoint rejection. Small data (640 training images) keeps it fast.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useBackend } from '../test-utils/tensors';
import type { TrainingSessionOptionsInput } from './options';
import { TrainingSession } from './training-session';

const OPTIONS: TrainingSessionOptionsInput = {
  model: [
    { type: 'Flatten' },
    { type: 'AnalogLinear', in_features: 784, out_features: 32 },
    { type: 'Sigmoid' },
    { type: 'AnalogLinear', in_features: 32, out_features: 10 },
    { type: 'LogSoftmax', dim: 1 },
  ],
  rpu_config: { type: 'SingleRPUConfig', device: { type: 'SoftBoundsDevice', write_noise_std: 0.5 } },
  dataset: { name: 'mnist', train_size: 640, test_size: 200 },
  training: {
    batch_size: 64,
    epochs: 3,
    optimizer: { type: 'AnalogSGD', lr: 0.1 },
    scheduler: { type: 'StepLR', step_size: 1, gamma: 0.5 },
  },
  seed: 1234,
};

function weightsOf(session: TrainingSession): Float32Array[] {
  return session.exportWeights().layers.flatMap((l) => [l.weights, l.bias ?? new Float32Array(0)]);
}

async function trainAll(session: TrainingSession, batches: number) {
  const metrics = [];
  let left = batches;
  while (left > 0) {
    const r = await session.trainBatches(left);
    left -= r.batches;
    if (r.epochCompleted) metrics.push(r.epochCompleted);
    if (r.batches === 0) break;
  }
  return metrics;
}

jest.setTimeout(60000);
beforeAll(() => useBackend('js'));

describe('TrainingSession', () => {
  it('reports position, epoch metrics and the StepLR schedule', async () => {
    const s = await TrainingSession.create(OPTIONS);
    expect(s.position).toEqual({ epoch: 0, batch: 0, batchesPerEpoch: 10, epochs: 3, finished: false });
    const progress: number[] = [];
    const r = await s.trainBatches(25, { onProgress: (p) => progress.push(p.batch) });
    // The call stops at the end of the first epoch.
    expect(r.batches).toBe(10);
    expect(progress).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(r.epochCompleted).toMatchObject({ epoch: 1, lr: 0.1 });
    expect(r.epochCompleted?.test_accuracy).toBeGreaterThanOrEqual(0);
    expect(r.epochCompleted?.train_loss).toBeGreaterThan(0);
    expect(s.position).toMatchObject({ epoch: 1, batch: 0 });
    expect(s.lr).toBeCloseTo(0.05, 12);
    const rest = await trainAll(s, 100);
    expect(rest.map((m) => m.epoch)).toEqual([2, 3]);
    expect(rest.map((m) => m.lr)).toEqual([0.05, 0.025]);
    expect(s.position.finished).toBe(true);
    expect((await s.trainBatches(5)).batches).toBe(0);
    s.dispose();
  });

  it('stops between batches when the signal is aborted', async () => {
    const s = await TrainingSession.create(OPTIONS);
    const controller = new AbortController();
    const r = await s.trainBatches(8, {
      onProgress: (p) => p.batch === 3 && controller.abort(),
      signal: controller.signal,
    });
    expect(r).toMatchObject({ batches: 3, aborted: true });
    s.dispose();
  });

  it('resumes bit for bit: two epochs at once = one epoch, checkpoint, restore, one epoch (also mid-epoch)', async () => {
    const straight = await TrainingSession.create(OPTIONS);
    const straightMetrics = await trainAll(straight, 20);
    const reference = weightsOf(straight);

    const first = await TrainingSession.create(OPTIONS);
    await trainAll(first, 10);
    const blob = first.checkpoint();
    first.dispose();
    const resumed = await TrainingSession.restore(OPTIONS, blob);
    expect(resumed.position).toMatchObject({ epoch: 1, batch: 0 });
    const resumedMetrics = await trainAll(resumed, 10);
    expect(weightsOf(resumed)).toEqual(reference);
    expect(resumedMetrics[0]).toEqual({ ...straightMetrics[1], time_epoch: resumedMetrics[0].time_epoch });

    // Mid-epoch: checkpoint after 13 batches.
    const mid = await TrainingSession.create(OPTIONS);
    await trainAll(mid, 13);
    const midBlob = mid.checkpoint();
    mid.dispose();
    const midResumed = await TrainingSession.restore(OPTIONS, midBlob);
    expect(midResumed.position).toMatchObject({ epoch: 1, batch: 3 });
    await trainAll(midResumed, 7);
    expect(weightsOf(midResumed)).toEqual(reference);
    straight.dispose();
    resumed.dispose();
    midResumed.dispose();
  });

  it('resumes bit for bit in a new process', async () => {
    const straight = await TrainingSession.create(OPTIONS);
    await trainAll(straight, 20);
    const reference = weightsOf(straight);
    straight.dispose();

    const first = await TrainingSession.create(OPTIONS);
    await trainAll(first, 10);
    const dir = mkdtempSync(join(tmpdir(), 'sim-core-resume-'));
    try {
      writeFileSync(join(dir, 'options.json'), JSON.stringify(OPTIONS));
      writeFileSync(join(dir, 'ckpt.bin'), first.checkpoint());
      first.dispose();
      execFileSync(
        process.execPath,
        [
          '--import',
          'tsx',
          join(__dirname, 'resume-child.ts'),
          join(dir, 'options.json'),
          join(dir, 'ckpt.bin'),
          '10',
          join(dir, 'out.bin'),
        ],
        { stdio: 'pipe', timeout: 120000 },
      );
      const buf = readFileSync(join(dir, 'out.bin'));
      const child = new Float32Array(buf.buffer, buf.byteOffset, buf.byteLength / 4);
      const flat = new Float32Array(reference.reduce((n, p) => n + p.length, 0));
      let o = 0;
      for (const p of reference) {
        flat.set(p, o);
        o += p.length;
      }
      expect(
        Buffer.from(child.buffer, child.byteOffset, child.byteLength).equals(Buffer.from(flat.buffer)),
      ).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120000);

  it('rejects bad options and foreign or mismatched checkpoints with clear errors', async () => {
    await expect(TrainingSession.create({ ...OPTIONS, seed: -1 })).rejects.toThrow(/seed/);
    await expect(
      TrainingSession.create({
        ...OPTIONS,
        model: [{ type: 'AnalogLinear', in_features: 784, out_features: 10, foo: 1 } as never],
      }),
    ).rejects.toThrow(/model\.0: Unrecognized key: "foo"/);
    await expect(
      TrainingSession.create({ ...OPTIONS, rpu_config: { type: 'UnitCellRPUConfig' } }),
    ).rejects.toThrow(/rpu_config\.device\.unit_cell_devices: VectorUnitCell needs at least one device/);
    const s = await TrainingSession.create(OPTIONS);
    await trainAll(s, 2);
    const blob = s.checkpoint();
    s.dispose();
    await expect(TrainingSession.restore({ ...OPTIONS, seed: 1 }, blob)).rejects.toThrow(
      /different session options/,
    );
    await expect(TrainingSession.restore(OPTIONS, blob.slice(0, 100))).rejects.toThrow(/Invalid checkpoint/);
    await expect(TrainingSession.restore(OPTIONS, new Uint8Array(64))).rejects.toThrow(
      /not a sim-core checkpoint/,
    );
    await expect(
      TrainingSession.create({
        ...OPTIONS,
        model: [{ type: 'AnalogLinear', in_features: 784, out_features: 10 }],
      }).then((t) => t.trainBatches(1)),
    ).rejects.toThrow(
      /AnalogLinear expects input \[batch, 784\], got \[64, 1, 28, 28\] \(add a Flatten layer/,
    );
  });
});

describe('TrainingSession in a worker thread', () => {
  it('trains, stops on an abort message between batches, and hands back a checkpoint', async () => {
    const { Worker } = await import('node:worker_threads');
    // TypeScript in a worker: register tsx's require hook in the thread, then load the module.
    const entry = join(__dirname, 'worker-child.ts');
    const worker = new Worker(`require('tsx/cjs/api').register(); require(${JSON.stringify(entry)});`, {
      eval: true,
      workerData: { ...OPTIONS, training: { ...OPTIONS.training, epochs: 50 } },
    });
    const result = await new Promise<{ position: { epoch: number; batch: number }; checkpoint: Uint8Array }>(
      (resolve, reject) => {
        let seen = 0;
        worker.on('error', reject);
        worker.on(
          'message',
          (m: {
            progress?: unknown;
            error?: string;
            position?: { epoch: number; batch: number };
            checkpoint?: Uint8Array;
          }) => {
            if (m.error) reject(new Error(m.error));
            else if (m.progress && ++seen === 3) worker.postMessage('abort');
            else if (m.position && m.checkpoint) resolve({ position: m.position, checkpoint: m.checkpoint });
          },
        );
      },
    );
    await worker.terminate();
    // Stopped soon after the third batch (messages are handled between batches), long before 50 epochs.
    expect(result.position.epoch * 10 + result.position.batch).toBeGreaterThanOrEqual(3);
    expect(result.position.epoch * 10 + result.position.batch).toBeLessThan(20);
    const restored = await TrainingSession.restore(
      { ...OPTIONS, training: { ...OPTIONS.training, epochs: 50 } },
      new Uint8Array(result.checkpoint),
    );
    expect(restored.position).toMatchObject(result.position);
    restored.dispose();
  });
});
