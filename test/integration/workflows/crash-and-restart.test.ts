/**
 * Durability: the cpu worker process SIGKILLed in the middle of training (a new one finishes the run
 * from the last checkpoint), and the Temporal dev server restarted during a run (same data file).
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { logger } from '../../../config/logger';
import { temporalDevServer, waitForTemporal } from '../../../temporal-config/dev-server';
import { experimentWorkflowId } from '../../../workflows/definitions';
import { experimentHarness, recentOutput, spawnWorkerProcess, type Harness } from '../../helpers/experiments';
import { keepHistory } from '../../helpers/histories';
import { trainingDocument } from './documents';
import { expectSameWeights, storedWeights, uninterruptedWeights } from './reference';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('a worker killed in the middle of training', () => {
  let h: Harness;
  const children: ChildProcess[] = [];
  beforeAll(async () => {
    h = await experimentHarness();
    await h.validatorWorker();
  });
  afterAll(async () => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    await h?.close();
  });

  it('is replaced by a new worker that resumes from the last checkpoint and ends as an uninterrupted run', async () => {
    // The real cpu worker entry point, as `npm start` runs it (with the bundle the harness built).
    const env = { WORKFLOW_BUNDLE_PATH: await h.bundleFile() };
    const first = spawnWorkerProcess('task-queues/cpu-worker.ts', env);
    children.push(first);
    const document = trainingDocument({ epochs: 4, trainSize: 8192, seed: 3 });
    const { experimentId } = await h.submit(document);

    const deadline = Date.now() + 120_000;
    for (;;) {
      const attempts = await h.attempts.list(experimentId, 'train');
      if (attempts.some((a) => a.sequence === 2 && a.outcome === 'running')) break;
      if (Date.now() > deadline) throw new Error(`chunk 2 never started:\n${recentOutput(first)}`);
      await sleep(50);
    }
    await sleep(300); // into the chunk
    first.kill('SIGKILL');
    await new Promise((resolve) => first.once('exit', resolve));

    const second = spawnWorkerProcess('task-queues/cpu-worker.ts', env);
    children.push(second);
    const record = await h
      .waitForStatus(experimentId, ['completed', 'failed'], 150_000)
      .catch((err: Error) => {
        throw new Error(`${err.message}\n${recentOutput(second)}`);
      });
    expect(record.status).toBe('completed');

    const attempts = await h.attempts.list(experimentId, 'train');
    const rows = attempts.map((a) => ({
      chunk: a.sequence,
      attempt: a.attempt,
      worker: a.pid === first.pid ? 'first' : a.pid === second.pid ? 'second' : String(a.pid),
      from: a.resumedFrom,
      outcome: a.outcome,
    }));
    expect(rows).toEqual([
      { chunk: 0, attempt: 1, worker: 'first', from: null, outcome: 'completed' },
      { chunk: 1, attempt: 1, worker: 'first', from: 0, outcome: 'completed' },
      // The interrupted chunk: its first attempt never finished; the retry resumed from chunk 1.
      { chunk: 2, attempt: 1, worker: 'first', from: 1, outcome: 'running' },
      { chunk: 2, attempt: 2, worker: 'second', from: 1, outcome: 'completed' },
      { chunk: 3, attempt: 1, worker: 'second', from: 2, outcome: 'completed' },
    ]);
    expect((await h.experiments.getResults(experimentId))!.learning_curve.map((e) => e.epoch)).toEqual([
      1, 2, 3, 4,
    ]);
    expectSameWeights(await storedWeights(h.checkpoints, experimentId), await uninterruptedWeights(document));
    await keepHistory(h.client, experimentWorkflowId(experimentId), 'crash-resume');
    second.kill('SIGTERM');
  });
});

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

describe('the Temporal server restarted during a run', () => {
  it('comes back from its data file and the run completes', async () => {
    // A server of our own (the shared test server must stay up for the other tests).
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'temporal-restart-'));
    const port = await freePort();
    const server = temporalDevServer({
      binary: path.join(process.env.TOOLS_DIR ?? path.join(__dirname, '../../../.tools'), 'bin/temporal'),
      dataDir,
      port,
      uiPort: await freePort(),
      headless: true,
      namespace: 'default',
      logger: logger('restart-test'),
      name: 'temporal-restart-test',
    });
    server.start();
    const address = `127.0.0.1:${port}`;
    await waitForTemporal(address);
    const h = await experimentHarness({ temporalAddress: address });
    try {
      await h.validatorWorker();
      await h.computeWorker('cpu');
      const document = trainingDocument({ epochs: 4, trainSize: 2048, seed: 9 });
      const { experimentId } = await h.submit(document);
      const deadline = Date.now() + 120_000;
      while (!(await h.attempts.list(experimentId, 'train')).some((a) => a.sequence === 1)) {
        if (Date.now() > deadline) throw new Error('training never reached chunk 1');
        await sleep(50);
      }
      await server.stop();
      await sleep(2000); // the workers' polls and heartbeats fail meanwhile
      server.start();
      await waitForTemporal(address);
      const record = await h.waitForStatus(experimentId, ['completed', 'failed'], 150_000);
      expect(record.status).toBe('completed');
      expect((await h.experiments.getResults(experimentId))!.learning_curve).toHaveLength(4);
      expectSameWeights(
        await storedWeights(h.checkpoints, experimentId),
        await uninterruptedWeights(document),
      );
    } finally {
      await h.close();
      await server.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
