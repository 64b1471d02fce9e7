/**
 * Runs one case on both sides and compares them: prepare the shared inputs, run sim-core, run the
 * AIHWKit script on the same inputs, compare every group of quantities with the case's statistics,
 * and give a verdict.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LoadedCase } from './load-cases';
import { KINDS } from './ours';
import type { KindModule } from './ours/kind';
import type { PythonWorker } from './python-env';
import { SideOutput, Stopwatch, type SideGroup } from './side';
import {
  compareDistribution,
  compareExact,
  compareSeeds,
  TESTS_PER_QUANTITY,
  type ComparisonMethod,
  type QuantityComparison,
} from './stats/compare';
import type { ParityCaseKind } from './case-schema';

export type Verdict = 'agrees' | 'differs' | 'documented difference' | 'error';

export interface GroupResult {
  name: string;
  method: ComparisonMethod;
  quantities: QuantityComparison[];
  pass: boolean;
}

export interface SideTiming {
  /** Simulation seconds as the side measured them. */
  seconds: number;
  /** Wall seconds of the whole side (Python: process start, imports and I/O included). */
  wallSeconds: number;
}

export interface CaseResult {
  id: string;
  kind: ParityCaseKind;
  title: string;
  description: string;
  quick: boolean;
  verdict: Verdict;
  /** For a documented difference: whether the run showed it (false: within tolerance anyway). */
  differenceDetected?: boolean;
  difference?: { reason: string; reference?: string };
  alpha: number;
  alphaPerTest: number;
  tests: number;
  groups: GroupResult[];
  timing?: { ours: SideTiming; aihwkit: SideTiming };
  info: {
    ours: Record<string, string | number | boolean>;
    aihwkit: Record<string, string | number | boolean>;
  };
  error?: string;
}

export interface HarnessOptions {
  python: PythonWorker;
  workRoot: string;
  keepWork?: boolean;
  log?: (line: string) => void;
}

function compareGroup(
  name: string,
  method: ComparisonMethod,
  ours: SideGroup,
  theirs: SideGroup,
  alphaPerTest: number,
  atol: number,
  rtol: number,
): GroupResult {
  if (ours.labels.join('\u0000') !== theirs.labels.join('\u0000')) {
    throw new Error(
      `group "${name}": the sides report different quantities (ours ${ours.labels.slice(0, 4).join(', ')}…, ` +
        `AIHWKit's ${theirs.labels.slice(0, 4).join(', ')}…)`,
    );
  }
  const compare =
    method === 'distribution' ? compareDistribution : method === 'seeds' ? compareSeeds : compareExact;
  const quantities = ours.labels.map((label, q) =>
    compare(label, ours.samples[q], theirs.samples[q], { alphaPerTest, atol, rtol }),
  );
  return { name, method, quantities, pass: quantities.every((q) => q.pass) };
}

export async function runCase(c: LoadedCase, options: HarnessOptions): Promise<CaseResult> {
  const log = options.log ?? (() => undefined);
  const base: CaseResult = {
    id: c.id,
    kind: c.kind,
    title: c.title,
    description: c.description,
    quick: c.quick,
    verdict: 'error',
    ...(c.difference ? { difference: c.difference } : {}),
    alpha: c.alpha,
    alphaPerTest: c.alpha,
    tests: 0,
    groups: [],
    info: { ours: {}, aihwkit: {} },
  };
  const workDir = join(options.workRoot, c.id);
  mkdirSync(workDir, { recursive: true });
  try {
    const kind = KINDS[c.kind] as KindModule<typeof c.kind> | undefined;
    if (!kind) throw new Error(`no sim-core runner for case kind "${c.kind}" yet`);
    const inputs = await kind.prepare(c, workDir);
    // The case with the harness-level defaults filled in; its configs stay as written (the schema keeps
    // them loose), so each side applies its own config defaults.
    const { file: _file, ...caseData } = c;
    const inputPath = join(workDir, 'input.json');
    const outputPath = join(workDir, 'aihwkit-output.json');
    writeFileSync(inputPath, JSON.stringify({ case: caseData, inputs }));

    log(`${c.id}: sim-core…`);
    const stopwatch = new Stopwatch();
    const t0 = performance.now();
    const ours = await kind.run(c, { inputs, stopwatch, workDir, log });
    const oursWall = (performance.now() - t0) / 1000;

    log(`${c.id}: AIHWKit…`);
    const t1 = performance.now();
    try {
      await options.python.run(kind.script, inputPath, outputPath, c.timeout_s * 1000);
    } catch (err) {
      if (!c.difference?.aihwkit_fails) throw err;
      // The documented difference: AIHWKit raises where sim-core runs. Show AIHWKit's message.
      const message = err instanceof Error ? err.message : String(err);
      const lastLine = message.trim().split('\n').pop() ?? message;
      return {
        ...base,
        verdict: 'documented difference',
        differenceDetected: true,
        timing: {
          ours: { seconds: stopwatch.seconds, wallSeconds: oursWall },
          aihwkit: { seconds: 0, wallSeconds: (performance.now() - t1) / 1000 },
        },
        info: { ours: ours.info ?? {}, aihwkit: { error: lastLine } },
      };
    }
    const theirsWall = (performance.now() - t1) / 1000;
    const theirs = SideOutput.parse(JSON.parse(readFileSync(outputPath, 'utf8')));

    const names = Object.keys(ours.groups);
    const missing = names.filter((n) => !(n in theirs.groups));
    if (missing.length || names.length !== Object.keys(theirs.groups).length) {
      throw new Error(
        `the sides report different groups (ours: ${names.join(', ')}; AIHWKit: ${Object.keys(theirs.groups).join(', ')})`,
      );
    }
    const methodOf = (n: string): ComparisonMethod => kind.methods?.[n] ?? 'distribution';
    const tests = names.reduce(
      (s, n) => s + TESTS_PER_QUANTITY[methodOf(n)] * ours.groups[n].labels.length,
      0,
    );
    const alphaPerTest = c.alpha / Math.max(tests, 1);
    const groups = names.map((n) =>
      compareGroup(n, methodOf(n), ours.groups[n], theirs.groups[n], alphaPerTest, c.atol, c.rtol),
    );
    const pass = groups.every((g) => g.pass);
    return {
      ...base,
      verdict: c.difference ? 'documented difference' : pass ? 'agrees' : 'differs',
      ...(c.difference ? { differenceDetected: !pass } : {}),
      alphaPerTest,
      tests,
      groups,
      timing: {
        ours: { seconds: stopwatch.seconds, wallSeconds: oursWall },
        aihwkit: { seconds: theirs.seconds, wallSeconds: theirsWall },
      },
      info: { ours: ours.info ?? {}, aihwkit: theirs.info },
    };
  } catch (err) {
    return { ...base, error: err instanceof Error ? err.message : String(err) };
  } finally {
    if (!options.keepWork) rmSync(workDir, { recursive: true, force: true });
  }
}
