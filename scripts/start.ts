/**
 * `npm start`: the whole system on one machine. Brings up (or reuses, or connects to) Temporal and
 * the document store, one worker per task queue this machine can serve, and the API; prints the URLs;
 * stops everything on Ctrl-C, in order, leaving no process behind.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { bundleWorkflowCode } from '@temporalio/worker';
import { ConfigError, loadConfig, type AppConfig } from '../config/env';
import { logger, type Logger } from '../config/logger';
import { PROJECT_ROOT } from '../config/paths';
import { GoMissingError } from '../infra/go-tools';
import type { ManagedProcess } from '../infra/managed-process';
import { waitFor } from '../infra/wait';
import { ALL_TASK_QUEUES, TASK_QUEUES, type TaskQueueName } from '../contracts/queues';
import type { GpuProbe } from '../task-queues/gpu-probe';
import { temporalUiUrl } from '../temporal-config/connection';
import { tsChild } from './lib/children';
import { startInfrastructure, type Infrastructure } from './lib/infrastructure';

const quietBundlerLogger = {
  log: () => undefined,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: (message: string) => logger('bundler').warn(message),
  error: (message: string) => logger('bundler').error(message),
};

async function probeGpu(): Promise<GpuProbe> {
  try {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', path.join(PROJECT_ROOT, 'task-queues/gpu-probe.ts')],
      { cwd: PROJECT_ROOT, timeout: 60000 },
    );
    return JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as GpuProbe;
  } catch (err) {
    return { available: false, reason: (err as Error).message };
  }
}

async function chooseQueues(cfg: AppConfig, log: Logger): Promise<TaskQueueName[]> {
  if (cfg.WORKER_QUEUES) return cfg.WORKER_QUEUES;
  const gpu = await probeGpu();
  if (gpu.available) log.info(`GPU adapter found (${gpu.adapter}); starting the gpu worker`);
  else log.info(`no gpu worker: ${gpu.reason}`);
  return ALL_TASK_QUEUES.filter((q) => q !== TASK_QUEUES.gpu || gpu.available);
}

async function main(): Promise<void> {
  let cfg: AppConfig;
  try {
    cfg = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
  // Children inherit the terminal's choice of pretty logs even though their stdout is a pipe.
  process.env.LOG_PRETTY ??= String(Boolean(process.stdout.isTTY));
  const log = logger('start');

  const children: ManagedProcess[] = [];
  let infra: Infrastructure | undefined;
  let stopping = false;
  let firstSignalAt = 0;
  const shutdown = async (signal: string) => {
    // The terminal signals the whole process group, and a wrapper may relay the same Ctrl-C: only a
    // second signal well after the first means "stop now".
    if (stopping && Date.now() - firstSignalAt < 1500) return;
    if (stopping) {
      log.warn('second signal: killing everything now');
      for (const c of children) c.killNow();
      infra?.temporal?.killNow();
      infra?.store?.killNow();
      process.exit(130);
    }
    stopping = true;
    firstSignalAt = Date.now();
    log.info(`${signal}: stopping workers and the API, then the servers`);
    await Promise.all(children.map((c) => c.stop(15000)));
    await infra?.stop();
    log.info('stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  try {
    infra = await startInfrastructure(cfg, log);
  } catch (err) {
    if (err instanceof GoMissingError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
  if (stopping) return;

  const queues = await chooseQueues(cfg, log);
  const pidDir = path.join(cfg.DATA_DIR, 'pids');
  const env: NodeJS.ProcessEnv = {};
  if (queues.some((q) => q !== TASK_QUEUES.validator)) {
    log.info('bundling workflow code');
    const { code } = await bundleWorkflowCode({
      workflowsPath: require.resolve('../workflows'),
      logger: quietBundlerLogger,
    });
    const bundlePath = path.join(cfg.DATA_DIR, 'workflow-bundle.js');
    fs.writeFileSync(bundlePath, code);
    env.WORKFLOW_BUNDLE_PATH = bundlePath;
  }
  for (const queue of queues) {
    const worker = tsChild(`worker-${queue}`, `task-queues/${queue}-worker.ts`, log, { env, pidDir });
    children.push(worker);
    worker.start();
  }
  const api = tsChild('api', 'api/server.ts', log, { pidDir });
  children.push(api);
  api.start();

  const apiUrl = `http://${cfg.API_HOST}:${cfg.API_PORT}`;
  await waitFor('the API', async () => (await fetch(`${apiUrl}/health`)).status > 0, { timeoutMs: 60000 });
  const lines = [
    '',
    'Analog Composer is running:',
    `  API               ${apiUrl}/api/v1   (health: ${apiUrl}/health)`,
    `  Temporal UI       ${temporalUiUrl(cfg)}`,
    `  Queue dashboard   ${apiUrl}/admin/queues`,
    `  Temporal gRPC     ${infra.temporalAddress}`,
    `  Document store    ${infra.mongoUri}`,
    `  Workers           ${queues.join(', ')}`,
    'Press Ctrl-C to stop.',
    '',
  ];
  process.stdout.write(lines.join('\n') + '\n');
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
