/**
 * `npm run bench:api`: requests/s and p50/p99 latency of the API at 100 concurrent connections, for
 * `GET /api/v1/experiments` (one user with 100 stored experiments; the default page of 20) and for
 * `POST /api/v1/experiments` with an invalid spec (validation only, 400). Prints JSON and writes it to
 * bench/out/api.json.
 *
 * The API runs as its own process (NODE_ENV=production, LOG_LEVEL=warn unless set) against the
 * embedded store and Temporal (or the external ones configured), in a database of its own that is
 * dropped afterwards. The load generator, the API and the store share this machine's cores: the
 * figures include that contention.
 *
 * The GET is measured twice: with the API's list cache (API_LIST_CACHE_MS, 1 s by default, as deployed)
 * and without it (every request reads the store), so the store's own limit is visible.
 *
 * Settings: BENCH_DURATION_S (default 10), BENCH_CONNECTIONS (default 100), BENCH_EXPERIMENTS (100).
 */
import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { loadConfig } from '../../config/env';
import { logger } from '../../config/logger';
import { PROJECT_ROOT } from '../../config/paths';
import { parseExperiment } from '../../experiment-spec/parse';
import { connectStore } from '../../persistence/connection';
import { experimentRepository } from '../../persistence/experiments';
import { startInfrastructure } from '../../scripts/lib/infrastructure';
import { experimentWorkflowId } from '../../workflows/definitions';

const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 100);
const EXPERIMENTS = Number(process.env.BENCH_EXPERIMENTS ?? 100);
const DATABASE = 'analog_composer_bench';

function tinyTraining(name: string, extra: Record<string, unknown> = {}) {
  return {
    apiVersion: 'analog-composer/v1',
    kind: 'training',
    name,
    tags: ['bench'],
    dataset: { name: 'mnist', train_size: 64, test_size: 64 },
    model: {
      layers: [
        { type: 'Flatten' },
        { type: 'AnalogLinear', in_features: 784, out_features: 10 },
        { type: 'LogSoftmax', dim: 1 },
      ],
    },
    training: {
      epochs: 1,
      batch_size: 16,
      optimizer: { type: 'AnalogSGD', lr: 0.05 },
      loss: { type: 'NLLLoss' },
    },
    ...extra,
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function waitForApi(url: string, timeoutMs = 60_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    try {
      if ((await fetch(`${url}/health`)).status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the API at ${url} did not become healthy`);
}

function run(options: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon(options, (err, result) => (err ? reject(err) : resolve(result)));
  });
}

function summary(result: autocannon.Result, expectedStatus: number) {
  const byStatus = result as unknown as Record<string, number>;
  const expectedKey = `${Math.floor(expectedStatus / 100)}xx`;
  return {
    requestsPerSecond: Math.round(result.requests.average),
    latencyMs: {
      p50: result.latency.p50,
      p90: result.latency.p90,
      p99: result.latency.p99,
      max: result.latency.max,
    },
    requests: result.requests.total,
    [`responses${expectedKey}`]: byStatus[expectedKey],
    otherResponses: result.requests.total - byStatus[expectedKey],
    errors: result.errors,
    timeouts: result.timeouts,
  };
}

async function startApi(secret: string, extra: Record<string, string>) {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  // BENCH_CPU_PROFILE=<dir>: the API writes a V8 CPU profile there when it stops (for finding hot spots).
  const profile = process.env.BENCH_CPU_PROFILE
    ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROFILE}`]
    : [];
  const child = spawn(
    process.execPath,
    [...profile, '--import', 'tsx', path.join(PROJECT_ROOT, 'api/server.ts')],
    {
      cwd: PROJECT_ROOT,
      env: {
        ...process.env,
        NODE_ENV: 'production',
        API_HOST: '127.0.0.1',
        API_PORT: String(port),
        MONGODB_DATABASE: DATABASE,
        JWT_SECRET: secret,
        PASSWORD_HASH_ROUNDS: '10',
        ...extra,
      },
      stdio: ['ignore', 'inherit', 'inherit'],
    },
  );
  await waitForApi(url);
  return { url, child };
}

async function main(): Promise<void> {
  process.env.DATA_DIR ??= fs.mkdtempSync(path.join(os.tmpdir(), 'analog-bench-api-'));
  process.env.LOG_LEVEL ??= 'warn';
  const cfg = loadConfig({ ...process.env, MONGODB_DATABASE: DATABASE });
  const log = logger('bench-api');
  const infra = await startInfrastructure(cfg, log, { headless: true });
  const store = await connectStore(cfg);
  let api: ReturnType<typeof spawn> | undefined;
  try {
    await store.dropDatabase();
    const secret = randomBytes(32).toString('hex');
    const first = await startApi(secret, {});
    api = first.child;
    const url = first.url;

    const email = `bench-${randomUUID().slice(0, 8)}@example.org`;
    const password = 'benchmark password';
    await fetch(`${url}/api/v1/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
    });
    const login = (await (
      await fetch(`${url}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, password }),
      })
    ).json()) as { accessToken: string; user: { id: string } };

    // The stored experiments, written through the repository (no workflows: the GET reads only the store).
    const parsed = parseExperiment(tinyTraining('bench'));
    if (!parsed.ok) throw new Error(`the bench experiment does not parse: ${JSON.stringify(parsed.issues)}`);
    const repo = experimentRepository(store);
    for (let i = 0; i < EXPERIMENTS; i++) {
      const id = randomUUID();
      await repo.create({
        id,
        owner: login.user.id,
        name: `bench ${String(i).padStart(3, '0')}`,
        kind: 'training',
        queue: 'cpu',
        dataset: 'mnist',
        tags: ['bench'],
        spec: { ...parsed.spec, name: `bench ${i}` },
        workflowId: experimentWorkflowId(id),
      });
    }

    const headers = { authorization: `Bearer ${login.accessToken}`, 'content-type': 'application/json' };
    const getOptions = { url: `${url}/api/v1/experiments`, connections: CONNECTIONS, headers };
    const check = await fetch(getOptions.url, { headers });
    const page = (await check.json()) as { total: number; items: unknown[] };
    if (check.status !== 200 || page.total !== EXPERIMENTS)
      throw new Error(`unexpected list answer: ${check.status}`);

    const invalid = JSON.stringify(tinyTraining('invalid', { training: { epochs: -1, batch_size: 0 } }));
    const probe = await fetch(`${url}/api/v1/experiments`, { method: 'POST', headers, body: invalid });
    if (probe.status !== 400) throw new Error(`the invalid spec was answered ${probe.status}, not 400`);

    const loadBefore = os.loadavg();
    await run({ ...getOptions, duration: 2 }); // warm-up (JIT, connection pools)
    const get = await run({ ...getOptions, duration: DURATION_S });
    const post = await run({
      url: `${url}/api/v1/experiments`,
      method: 'POST',
      connections: CONNECTIONS,
      duration: DURATION_S,
      headers,
      body: invalid,
    });

    // The same GET against an API that reads the store on every request (no list cache), to show
    // what the store alone allows.
    api.kill('SIGTERM');
    const uncachedApi = await startApi(secret, { API_LIST_CACHE_MS: '0' });
    api = uncachedApi.child;
    const uncached = await run({
      ...getOptions,
      url: `${uncachedApi.url}/api/v1/experiments`,
      duration: DURATION_S,
    });

    const getSummary = summary(get, 200);
    const report = {
      benchmark: 'api',
      at: new Date().toISOString(),
      machine: {
        cpus: os.cpus().length,
        cpu: os.cpus()[0]?.model,
        node: process.version,
        shared: 'load generator, API and store on the same cores',
        // Other work on the machine moves the tail latencies: its 1-minute load average before and after.
        loadAverage1m: {
          before: Number(loadBefore[0].toFixed(2)),
          after: Number(os.loadavg()[0].toFixed(2)),
        },
      },
      settings: {
        connections: CONNECTIONS,
        durationSeconds: DURATION_S,
        storedExperiments: EXPERIMENTS,
        pageSize: page.items.length,
      },
      getExperiments: { listCacheMs: 1000, ...getSummary },
      postInvalidSpec: summary(post, 400),
      getExperimentsWithoutListCache: { listCacheMs: 0, ...summary(uncached, 200) },
      target: {
        getP99Ms: 50,
        met:
          get.requests.total > 0 &&
          getSummary.otherResponses === 0 &&
          get.errors === 0 &&
          get.latency.p99 < 50,
      },
    };
    const out = path.join(PROJECT_ROOT, 'bench/out');
    fs.mkdirSync(out, { recursive: true });
    fs.writeFileSync(path.join(out, 'api.json'), `${JSON.stringify(report, null, 2)}\n`);
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } finally {
    api?.kill('SIGTERM');
    await store.dropDatabase().catch(() => undefined);
    await store.close();
    await infra.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
