/**
 * `npm run parity`: runs every parity case in sim-core and in AIHWKit, compares them and writes the
 * report (`docs/parity.md`) and the results (`docs/parity.json`).
 *
 *   npm run parity                       all cases → docs/
 *   npm run parity -- --only forward     cases whose id contains "forward" → parity/out/
 *   npm run parity -- --quick            the reduced set of `npm test` → parity/out/
 *   options: --threads N (AIHWKit's torch threads, default 1), --keep (keep the exchanged files),
 *            --out DIR (where the report goes)
 *   npm run parity -- --render docs/parity.json   re-write parity.md from saved results (no run)
 *
 * Without Python or AIHWKit it prints why and exits 0 (nothing to compare against).
 */
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { initBackend } from '../sim-core';
import { runCase, type CaseResult } from './harness';
import { loadCases } from './load-cases';
import { probePython, PythonWorker, REPO_ROOT } from './python-env';
import { readReport, writeReport, type RunMeta } from './report';

interface Args {
  render: string | null;
  only: string[];
  quick: boolean;
  threads: number;
  keep: boolean;
  out: string | null;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { render: null, only: [], quick: false, threads: 1, keep: false, out: null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--only') args.only.push(...value().split(','));
    else if (a === '--quick') args.quick = true;
    else if (a === '--threads') args.threads = Number.parseInt(value(), 10);
    else if (a === '--keep') args.keep = true;
    else if (a === '--out') args.out = value();
    else if (a === '--render') args.render = value();
    else throw new Error(`unknown option ${a} (see parity/run.ts)`);
  }
  if (!(args.threads >= 1)) throw new Error('--threads must be a positive integer');
  return args;
}

function formatSeconds(s: number): string {
  return s < 1 ? `${(s * 1000).toFixed(0)} ms` : `${s.toFixed(1)} s`;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  if (args.render) {
    const saved = readReport(args.render);
    const written = writeReport(saved.results, saved.meta, args.out ?? dirname(args.render));
    console.log(`parity: re-wrote ${written.join(', ')} from ${args.render}`);
    return;
  }
  const probe = await probePython();
  if (!probe.available) {
    console.log(`parity: skipped — ${probe.reason}`);
    return;
  }
  const partial = args.only.length > 0 || args.quick;
  const outDir = args.out ?? (partial ? join(REPO_ROOT, 'parity', 'out') : join(REPO_ROOT, 'docs'));
  const cases = loadCases(
    undefined,
    (id) => args.only.length === 0 || args.only.some((o) => id.includes(o)),
  ).filter((c) => !args.quick || c.quick);
  if (cases.length === 0) throw new Error('no case matches');
  const backend = await initBackend();
  console.log(
    `parity: ${cases.length} cases; sim-core on tfjs ${backend.backend} (${backend.kernels} kernels, 1 thread); ` +
      `AIHWKit ${probe.versions?.aihwkit} with torch ${probe.versions?.torch} on ${args.threads} thread(s)`,
  );
  const workRoot = join(tmpdir(), `analog-parity-${process.pid}`);
  mkdirSync(workRoot, { recursive: true });
  const results: CaseResult[] = [];
  const started = Date.now();
  const python = new PythonWorker({ threads: args.threads, onLog: (line) => console.log(`  ${line}`) });
  for (const [k, c] of cases.entries()) {
    const t0 = performance.now();
    const result = await runCase(c, {
      python,
      workRoot,
      keepWork: args.keep,
      log: (line) => console.log(`  ${line}`),
    });
    results.push(result);
    const dt = (performance.now() - t0) / 1000;
    const timing = result.timing
      ? ` (sim-core ${formatSeconds(result.timing.ours.seconds)}, AIHWKit ${formatSeconds(result.timing.aihwkit.seconds)})`
      : '';
    console.log(`[${k + 1}/${cases.length}] ${c.id}: ${result.verdict}${timing} in ${formatSeconds(dt)}`);
    if (result.error) console.log(`  error: ${result.error.split('\n').join('\n  ')}`);
  }
  await python.close();
  const meta: RunMeta = {
    date: new Date(started).toISOString(),
    durationSeconds: (Date.now() - started) / 1000,
    partial,
    simCore: { backend: backend.backend, kernels: backend.kernels, threads: 1 },
    aihwkit: { ...(probe.versions ?? {}), threads: args.threads },
    node: process.version,
  };
  const written = writeReport(results, meta, outDir);
  console.log(`parity: wrote ${written.join(', ')}`);
  const counts = results.reduce<Record<string, number>>(
    (m, r) => ({ ...m, [r.verdict]: (m[r.verdict] ?? 0) + 1 }),
    {},
  );
  console.log(
    `parity: ${Object.entries(counts)
      .map(([v, n]) => `${n} ${v}`)
      .join(', ')}`,
  );
  // The report is written either way; the exit code says whether every case agreed or is documented.
  if (results.some((r) => r.verdict === 'differs' || r.verdict === 'error')) process.exitCode = 1;
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
