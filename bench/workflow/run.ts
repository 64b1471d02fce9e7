/**
 * `npm run bench:workflow`: what the orchestration costs, as JSON on stdout.
 *
 * 1. latency: submit → start of the first activity (validate), for a few tiny experiments in a row;
 * 2. overhead: a 1-epoch FC training run through the whole workflow (validate, train, report, with
 *    checkpoints and status writes) versus the same run called directly in sim-core in this process;
 *    target: under 5 % of the 1-epoch run;
 * 3. burst: 50 tiny experiments submitted at once: all complete, none lost, total time.
 *
 * The servers are the embedded ones on the configured ports (set TEMPORAL_PORT, FERRETDB_PORT and
 * DATA_DIR to stay clear of a running `npm start`; a fresh DATA_DIR under /tmp is used by default).
 * Workers run as child processes, exactly as `npm start` runs them.
 *
 * Options (environment): BENCH_TRAIN_SIZE (default 10000), BENCH_TEST_SIZE (2000), BENCH_REPEATS (2),
 * BENCH_BURST (50), BENCH_LATENCY_RUNS (5), BENCH_SKIP (comma list of latency,overhead,burst).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { Client, Connection as ClientConnection } from '@temporalio/client';
import { bundleWorkflowCode } from '@temporalio/worker';
import { loadConfig } from '../../config/env';
import { logger } from '../../config/logger';
import { PROJECT_ROOT } from '../../config/paths';
import type { ManagedProcess } from '../../infra/managed-process';
import { connectStore } from '../../persistence/connection';
import { experimentRepository } from '../../persistence/experiments';
import { computeLog } from '../../persistence/compute-log';
import { parseExperiment } from '../../experiment-spec/parse';
import { tsChild } from '../../scripts/lib/children';
import { startInfrastructure } from '../../scripts/lib/infrastructure';
import { temporalAddress } from '../../temporal-config/connection';
import { describeQueueAvailability, startExperimentWorkflow } from '../../workflows/client';
import { experimentWorkflowId } from '../../workflows/definitions';
import { directTrainingRun } from './direct';
import { fcExperiment, tinyExperiment } from './experiments';

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const skip = new Set((process.env.BENCH_SKIP ?? '').split(',').filter(Boolean));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
const round = (x: number, digits = 3) => Number(x.toFixed(digits));

async function main(): Promise<void> {
  process.env.DATA_DIR ??= fs.mkdtempSync(path.join(os.tmpdir(), 'bench-workflow-'));
  process.env.LOG_LEVEL ??= 'warn';
  process.env.LOG_PRETTY ??= 'false';
  const cfg = loadConfig();
  const log = logger('bench');
  const infra = await startInfrastructure(cfg, log, { headless: true });
  const children: ManagedProcess[] = [];
  const clientConnection = await ClientConnection.connect({ address: temporalAddress(cfg) });
  const client = new Client({ connection: clientConnection, namespace: cfg.TEMPORAL_NAMESPACE });
  const store = await connectStore(cfg);
  const experiments = experimentRepository(store);
  const attemptLog = computeLog(store);
  const report: Record<string, unknown> = {
    machine: {
      cpus: os.cpus().length,
      cpu: os.cpus()[0]?.model,
      node: process.version,
      memory_gib: round(os.totalmem() / 2 ** 30, 1),
    },
    note: 'shared 2-core development machine: timings are noisy',
  };

  try {
    const { code } = await bundleWorkflowCode({
      workflowsPath: path.join(PROJECT_ROOT, 'workflows'),
      logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} },
    });
    const bundlePath = path.join(cfg.DATA_DIR, 'workflow-bundle.js');
    fs.writeFileSync(bundlePath, code);
    for (const queue of ['validator', 'cpu'] as const) {
      const child = tsChild(`worker-${queue}`, `task-queues/${queue}-worker.ts`, log, {
        env: { WORKFLOW_BUNDLE_PATH: bundlePath },
      });
      children.push(child);
      child.start();
    }
    for (const queue of ['validator', 'cpu']) {
      const deadline = Date.now() + 120_000;
      while (!(await describeQueueAvailability(clientConnection, queue)).available) {
        if (Date.now() > deadline) throw new Error(`no ${queue} worker came up`);
        await new Promise((r) => setTimeout(r, 250));
      }
    }

    /** Stores an experiment as the API does and starts its workflow; resolves when it finished. */
    const run = async (document: unknown) => {
      const parsed = parseExperiment(document);
      if (!parsed.ok) throw new Error(`bench experiment invalid: ${JSON.stringify(parsed.issues)}`);
      const spec = parsed.spec;
      const id = randomUUID();
      const submittedAt = Date.now();
      const record = await experiments.create({
        id,
        owner: 'bench',
        name: spec.name,
        kind: spec.kind,
        queue: spec.execution.queue,
        dataset: spec.dataset.name,
        spec,
        workflowId: experimentWorkflowId(id),
      });
      await startExperimentWorkflow(client, record);
      const handle = client.workflow.getHandle(experimentWorkflowId(id));
      let status = 'completed';
      try {
        await handle.result();
      } catch {
        status = 'failed';
      }
      const finishedAt = Date.now();
      return { id, submittedAt, finishedAt, status, handle };
    };

    // Warm-up: the worker's compute thread decodes the data set once (so does this process, below).
    await run(tinyExperiment('warm-up', { driftStudy: false }));

    // ---- 1. latency: submit → first activity start
    if (!skip.has('latency')) {
      const samples: Array<{ client_ms: number; server_ms: number }> = [];
      for (let i = 0; i < env('BENCH_LATENCY_RUNS', 5); i++) {
        const r = await run(tinyExperiment(`latency-${i}`, { driftStudy: false }));
        const history = await r.handle.fetchHistory();
        const events = history.events ?? [];
        const time = (e: (typeof events)[number]) =>
          Number(e.eventTime?.seconds ?? 0) * 1000 + Math.floor((e.eventTime?.nanos ?? 0) / 1e6);
        const started = events.find((e) => e.workflowExecutionStartedEventAttributes);
        const firstActivity = events.find((e) => e.activityTaskStartedEventAttributes);
        if (!started || !firstActivity) throw new Error('history lacks the events measured');
        samples.push({
          client_ms: time(firstActivity) - r.submittedAt,
          server_ms: time(firstActivity) - time(started),
        });
      }
      report.latency_submit_to_first_activity = {
        runs: samples.length,
        // client_ms: from the submit call (record stored, workflow started) to the validate activity's start.
        client_ms_median: median(samples.map((s) => s.client_ms)),
        server_ms_median: median(samples.map((s) => s.server_ms)),
        samples,
      };
    }

    // ---- 2. overhead of the workflow over a direct sim-core run (1 epoch, FC network)
    if (!skip.has('overhead')) {
      const trainSize = env('BENCH_TRAIN_SIZE', 10000);
      const testSize = env('BENCH_TEST_SIZE', 2000);
      const document = fcExperiment({ trainSize, testSize });
      const workflowSeconds: number[] = [];
      const directSeconds: number[] = [];
      const trainSeconds: number[] = [];
      await directTrainingRun(tinyExperiment('warm-up', { driftStudy: false }));
      for (let i = 0; i < env('BENCH_REPEATS', 2); i++) {
        // Alternate, so machine load drifts hit both sides alike.
        const direct = await directTrainingRun(document);
        directSeconds.push(direct.seconds);
        const r = await run(document);
        if (r.status !== 'completed') throw new Error(`the FC benchmark experiment ${r.id} ${r.status}`);
        workflowSeconds.push((r.finishedAt - r.submittedAt) / 1000);
        const results = await experiments.getResults(r.id);
        trainSeconds.push(results?.timings.train_s ?? NaN);
      }
      const w = median(workflowSeconds);
      const d = median(directSeconds);
      report.overhead_fc_1_epoch = {
        dataset: { name: 'mnist', train_size: trainSize, test_size: testSize },
        model: 'FC 784-256-128-10 (sigmoid), SingleRPUConfig (ConstantStepDevice), batch 64',
        workflow_s_median: round(w),
        direct_s_median: round(d),
        overhead_s: round(w - d),
        overhead_percent: round((100 * (w - d)) / d, 2),
        target_percent: 5,
        workflow_s: workflowSeconds.map((x) => round(x)),
        direct_s: directSeconds.map((x) => round(x)),
        workflow_train_activity_s: trainSeconds.map((x) => round(x)),
      };
    }

    // ---- 3. burst: many tiny experiments at once
    if (!skip.has('burst')) {
      const n = env('BENCH_BURST', 50);
      const started = Date.now();
      const runs = await Promise.all(Array.from({ length: n }, (_, i) => run(tinyExperiment(`burst-${i}`))));
      const total = (Date.now() - started) / 1000;
      const stored = await Promise.all(runs.map((r) => experiments.get(r.id)));
      const results = await Promise.all(runs.map((r) => experiments.getResults(r.id)));
      // Where the time went: compute attempts (from the attempt log) versus everything else.
      const attempts = (await Promise.all(runs.map((r) => attemptLog.list(r.id)))).flat();
      const busy = (step: string) =>
        attempts
          .filter((a) => a.step === step && a.finishedAt)
          .map((a) => (a.finishedAt!.getTime() - a.startedAt.getTime()) / 1000);
      const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
      report.burst = {
        submitted: n,
        completed: runs.filter((r) => r.status === 'completed').length,
        failed: runs.filter((r) => r.status !== 'completed').length,
        stored_completed: stored.filter((s) => s?.status === 'completed').length,
        with_results: results.filter(Boolean).length,
        lost: n - stored.filter((s) => s && s.status === 'completed').length,
        total_s: round(total),
        experiments_per_minute: round((60 * n) / total, 1),
        compute_activity_s: {
          train_total: round(sum(busy('train'))),
          program_total: round(sum(busy('program'))),
          drift_infer_total: round(sum(busy('drift-infer'))),
          median_per_activity: round(median([...busy('train'), ...busy('program'), ...busy('drift-infer')])),
        },
        experiment_latency_s_median: round(median(runs.map((r) => (r.finishedAt - r.submittedAt) / 1000))),
        worker_compute_concurrency: cfg.WORKER_COMPUTE_CONCURRENCY,
      };
    }
  } finally {
    await Promise.all(children.map((c) => c.stop(15000)));
    await store.close();
    await clientConnection.close();
    await infra.stop();
  }
  process.stdout.write(JSON.stringify(report, null, 2) + '\n');
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
