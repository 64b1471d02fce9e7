/**
 * Experiment workflows in integration tests: the real embedded Temporal server and store, workers
 * assembled exactly as the worker entry points assemble them (in this process, or as child processes
 * for crash tests), experiments created through the repository and started through the client helper.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { Client, Connection as ClientConnection } from '@temporalio/client';
import { bundleWorkflowCode, NativeConnection, Worker, type WorkflowBundle } from '@temporalio/worker';
import type { Connection } from 'mongoose';
import { loadConfig, type AppConfig } from '../../config/env';
import { PROJECT_ROOT } from '../../config/paths';
import { createValidatorActivities } from '../../activities/experiment/validate-activity';
import { checkpointStoreFor, type CheckpointStore } from '../../persistence/checkpoints';
import { computeLog, type ComputeLog } from '../../persistence/compute-log';
import { connectStore } from '../../persistence/connection';
import {
  experimentRepository,
  type ExperimentRecord,
  type ExperimentRepository,
} from '../../persistence/experiments';
import type { ExperimentStatus } from '../../contracts/status';
import { parseExperiment } from '../../experiment-spec/parse';
import { setUpExperimentWorker, type ExperimentWorkerSetup } from '../../task-queues/experiment-worker';
import { TASK_QUEUES } from '../../contracts/queues';
import { temporalAddress } from '../../temporal-config/connection';
import { startExperimentWorkflow, type StartedExperiment } from '../../workflows/client';
import { experimentWorkflowId, type ExperimentWorkflowLimits } from '../../workflows/definitions';

let bundle: Promise<WorkflowBundle> | undefined;

/** The workflow code, bundled once per test file (bundling takes seconds). */
export function workflowBundle(): Promise<WorkflowBundle> {
  bundle ??= bundleWorkflowCode({
    workflowsPath: require.resolve('../../workflows'),
    logger: {
      log: () => undefined,
      trace: () => undefined,
      debug: () => undefined,
      info: () => undefined,
      warn: () => undefined,
      error: () => undefined,
    },
  });
  return bundle;
}

export interface RunningWorker {
  worker: Worker;
  setup?: ExperimentWorkerSetup;
  /** Shuts the worker down and waits for it (and its compute threads) to stop. */
  stop(): Promise<void>;
}

async function runInBackground(worker: Worker, connection: NativeConnection, after?: () => Promise<void>) {
  const running = worker.run();
  return async () => {
    if (worker.getState() === 'RUNNING') worker.shutdown();
    await running.catch(() => undefined);
    await after?.();
    await connection.close();
  };
}

export interface Harness {
  cfg: AppConfig;
  client: Client;
  connection: Connection;
  experiments: ExperimentRepository;
  checkpoints: CheckpointStore;
  attempts: ComputeLog;
  /** A compute worker (cpu, gpu or imc) in this process, as `task-queues/<queue>-worker.ts` builds it. */
  computeWorker(
    queue: 'cpu' | 'gpu' | 'imc',
    options?: { computeModule?: string; concurrency?: number },
  ): Promise<RunningWorker>;
  validatorWorker(): Promise<RunningWorker>;
  /** The workflow bundle written to a file, for worker processes (WORKFLOW_BUNDLE_PATH). */
  bundleFile(): Promise<string>;
  /** Stores an experiment record for `document` (parsed: every default filled) and starts its workflow. */
  submit(
    document: unknown,
    options?: { owner?: string; limits?: ExperimentWorkflowLimits },
  ): Promise<StartedExperiment & { experimentId: string }>;
  waitForStatus(
    experimentId: string,
    statuses: ExperimentStatus[],
    timeoutMs?: number,
  ): Promise<ExperimentRecord>;
  close(): Promise<void>;
}

export async function experimentHarness(options: { temporalAddress?: string } = {}): Promise<Harness> {
  const cfg = loadConfig();
  const address = options.temporalAddress ?? temporalAddress(cfg);
  const clientConnection = await ClientConnection.connect({ address });
  const client = new Client({ connection: clientConnection, namespace: cfg.TEMPORAL_NAMESPACE });
  const closeClient = () => clientConnection.close();
  const connection = await connectStore(cfg);
  const stops: Array<() => Promise<void>> = [];
  const storeReady = async () => connection;

  const harness: Harness = {
    cfg,
    client,
    connection,
    experiments: experimentRepository(connection),
    checkpoints: checkpointStoreFor(cfg, connection),
    attempts: computeLog(connection),

    async computeWorker(queue, options = {}) {
      const setup = await setUpExperimentWorker(queue, {
        cfg,
        connection: storeReady,
        computeModule: options.computeModule,
        concurrency: options.concurrency ?? 1,
      });
      const nativeConnection = await NativeConnection.connect({ address });
      const worker = await Worker.create({
        connection: nativeConnection,
        namespace: cfg.TEMPORAL_NAMESPACE,
        taskQueue: queue,
        activities: setup.activities,
        workflowBundle: await workflowBundle(),
        ...setup.workerOptions,
      });
      const stop = await runInBackground(worker, nativeConnection, () => setup.close());
      stops.push(stop);
      return { worker, setup, stop };
    },

    async validatorWorker() {
      const nativeConnection = await NativeConnection.connect({ address });
      const worker = await Worker.create({
        connection: nativeConnection,
        namespace: cfg.TEMPORAL_NAMESPACE,
        taskQueue: TASK_QUEUES.validator,
        activities: createValidatorActivities({ connection: storeReady }),
      });
      const stop = await runInBackground(worker, nativeConnection);
      stops.push(stop);
      return { worker, stop };
    },

    async bundleFile() {
      const file = path.join(cfg.DATA_DIR, 'test-workflow-bundle.js');
      fs.writeFileSync(file, (await workflowBundle()).code);
      return file;
    },

    async submit(document, { owner = 'test-user', limits } = {}) {
      const parsed = parseExperiment(document);
      // An invalid document is stored as sent (the workflow's validate step must reject it).
      const spec = parsed.ok ? parsed.spec : document;
      const doc = document as {
        kind?: string;
        name?: string;
        execution?: { queue?: string };
        dataset?: { name?: string };
      };
      const experimentId = randomUUID();
      const record = await harness.experiments.create({
        id: experimentId,
        owner,
        name: doc.name ?? 'test experiment',
        kind: doc.kind === 'inference' ? 'inference' : 'training',
        queue: doc.execution?.queue ?? 'cpu',
        dataset: doc.dataset?.name ?? 'unknown',
        spec,
        workflowId: experimentWorkflowId(experimentId),
      });
      const started = await startExperimentWorkflow(client, record, { limits });
      return { ...started, experimentId };
    },

    async waitForStatus(experimentId, statuses, timeoutMs = 120_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const record = await harness.experiments.get(experimentId);
        if (record && statuses.includes(record.status)) return record;
        if (Date.now() > deadline) {
          throw new Error(
            `experiment ${experimentId} did not reach ${statuses.join('/')} within ${timeoutMs / 1000} s ` +
              `(status ${record?.status}: ${record?.statusMessage})`,
          );
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    },

    async close() {
      for (const stop of stops.splice(0).reverse()) await stop();
      await connection.close();
      await closeClient();
    },
  };
  return harness;
}

/** A worker entry point (`task-queues/<queue>-worker.ts`) as a child process, as `npm start` runs it. */
export function spawnWorkerProcess(entry: string, env: NodeJS.ProcessEnv = {}): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(PROJECT_ROOT, entry)], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, LOG_PRETTY: 'false', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  Object.defineProperty(child, 'recentOutput', { get: () => output });
  return child;
}

/** The last output of a child started by `spawnWorkerProcess`, for failure messages. */
export function recentOutput(child: ChildProcess): string {
  return (child as ChildProcess & { recentOutput?: string }).recentOutput ?? '';
}
