/** DEVELOPMENT: crash of the worker process and restart of the Temporal server (toy compute). */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { logger } from '../../../config/logger';
import { temporalDevServer, waitForTemporal } from '../../../temporal-config/dev-server';
import { experimentHarness, recentOutput, spawnWorkerProcess, type Harness } from '../../helpers/experiments';

const TOY = path.join(__dirname, '../../fixtures/compute/toy-experiment-jobs.ts');

function training(epochs: number, trainSize: number) {
  return {
    apiVersion: 'analog-composer/v1',
    kind: 'training',
    name: 'tiny',
    dataset: { name: 'mnist', train_size: trainSize, test_size: 256 },
    model: {
      layers: [
        { type: 'Flatten' },
        { type: 'AnalogLinear', in_features: 784, out_features: 10 },
        { type: 'LogSoftmax', dim: 1 },
      ],
    },
    rpu_config: { type: 'InferenceRPUConfig' },
    training: { epochs, batch_size: 32 },
    inference: { t_inference: [0, 3600], repeats: 1 },
    execution: { queue: 'cpu' },
  };
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('worker crash', () => {
  let h: Harness;
  const children: ChildProcess[] = [];
  beforeAll(async () => {
    process.env.TOY_BATCH_MS = '25';
    h = await experimentHarness();
    await h.validatorWorker();
  });
  afterAll(async () => {
    for (const c of children) c.kill('SIGKILL');
    await h.close();
  });

  it('resumes from the last checkpoint after SIGKILL', async () => {
    const bundle = await h.bundleFile();
    const env = { WORKFLOW_BUNDLE_PATH: bundle, TOY_BATCH_MS: '25' };
    const first = spawnWorkerProcess('test/fixtures/workers/toy-cpu-worker.ts', env);
    children.push(first);
    const { experimentId } = await h.submit(training(6, 1024)); // 32 batches × 25 ms per epoch
    const t0 = Date.now();
    for (;;) {
      const attempts = await h.attempts.list(experimentId, 'train');
      if (attempts.some((a) => a.sequence === 2 && a.outcome === 'running')) break;
      if (Date.now() - t0 > 60_000) throw new Error('no chunk 2: ' + recentOutput(first));
      await sleep(100);
    }
    await sleep(300);
    first.kill('SIGKILL');
    const killedAt = Date.now();
    const second = spawnWorkerProcess('test/fixtures/workers/toy-cpu-worker.ts', env);
    children.push(second);
    await h.waitForStatus(experimentId, ['completed', 'failed'], 120_000).catch((e) => {
      throw new Error(e.message + recentOutput(second));
    });
    console.log('recovered after', Date.now() - killedAt, 'ms');
    const attempts = await h.attempts.list(experimentId, 'train');
    console.log(
      attempts
        .map((a) => `${a.sequence}/${a.attempt} pid ${a.pid} from ${a.resumedFrom} ${a.outcome}`)
        .join('\n'),
    );
    second.kill('SIGTERM');
  });
});

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

describe('Temporal server restart', () => {
  it('completes a run across a restart of the dev server', async () => {
    process.env.TOY_BATCH_MS = '25';
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'temporal-restart-'));
    const port = await freePort();
    const tools = process.env.TOOLS_DIR ?? path.join(__dirname, '../../../.tools');
    const server = temporalDevServer({
      binary: path.join(tools, 'bin/temporal'),
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
      await h.computeWorker('cpu', { computeModule: TOY });
      const { experimentId } = await h.submit(training(4, 1024));
      for (;;) {
        const attempts = await h.attempts.list(experimentId, 'train');
        if (attempts.some((a) => a.sequence === 1)) break;
        await sleep(100);
      }
      await server.stop();
      console.log('server stopped');
      await sleep(2000);
      server.start();
      await waitForTemporal(address);
      console.log('server restarted');
      await h.waitForStatus(experimentId, ['completed', 'failed'], 120_000);
      console.log(await h.attempts.list(experimentId, 'train'));
    } finally {
      await h.close();
      await server.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
