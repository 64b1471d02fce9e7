/**
 * The parity report: `parity.md` (tables a reader can check: case, our value, AIHWKit's value,
 * difference, tolerance, verdict; timings of both sides) and `parity.json` (every number behind it).
 */
import { writeFileSync, mkdirSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import type { CaseResult, GroupResult } from './harness';
import type { MetricCheck, QuantityComparison } from './stats/compare';

export interface RunMeta {
  date: string;
  durationSeconds: number;
  partial: boolean;
  simCore: { backend: string; kernels: string; threads: number };
  aihwkit: Record<string, string | number>;
  node: string;
}

/** Quantities listed per group in the markdown (the worst first); the JSON has all of them. */
const ROWS_PER_GROUP = 8;

export function fmt(x: number | undefined): string {
  if (x === undefined || Number.isNaN(x)) return '–';
  if (!Number.isFinite(x)) return x > 0 ? '∞' : '−∞';
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (a >= 1e5 || a < 1e-3) return x.toExponential(3).replace('e', 'e');
  return Number(x.toPrecision(4)).toString();
}

function seconds(s: number): string {
  if (s < 0.01) return `${(s * 1000).toFixed(2)} ms`;
  if (s < 1) return `${(s * 1000).toFixed(0)} ms`;
  if (s < 120) return `${s.toFixed(2)} s`;
  return `${(s / 60).toFixed(1)} min`;
}

function verdictText(r: CaseResult): string {
  switch (r.verdict) {
    case 'agrees':
      return '✅ agrees';
    case 'differs':
      return '❌ differs';
    case 'documented difference':
      return r.differenceDetected
        ? '📝 documented difference'
        : '📝 documented difference (within tolerance here)';
    case 'error':
      return '⚠️ error';
  }
}

function worstOf(r: CaseResult): number {
  return Math.max(0, ...r.groups.flatMap((g) => g.quantities.map((q) => q.worst)));
}

const metric = (q: QuantityComparison, name: MetricCheck['metric']) =>
  q.checks.find((c) => c.metric === name);

function pm(c: MetricCheck | undefined): string {
  if (!c) return '–';
  return `${fmt(c.diff)} (±${fmt(c.tolerance)})`;
}

function groupTable(g: GroupResult): string[] {
  const rows = [...g.quantities].sort((a, b) => b.worst - a.worst);
  const shown = rows.slice(0, ROWS_PER_GROUP);
  const lines: string[] = [];
  const rest = rows.length - shown.length;
  const restPass = rows.slice(ROWS_PER_GROUP).every((q) => q.pass);
  const label = `**${g.name}** (${g.quantities.length} quantities, ${g.method}; the ${shown.length} farthest from AIHWKit first)`;
  lines.push(label, '');
  if (g.method === 'distribution') {
    lines.push(
      '| quantity | mean: ours | mean: AIHWKit | Δ mean (± tol) | std: ours | std: AIHWKit | Δ std (± tol) | KS D (crit) | verdict |',
      '|---|---|---|---|---|---|---|---|---|',
    );
    for (const q of shown) {
      const ks = metric(q, 'ks');
      lines.push(
        `| ${q.label} | ${fmt(q.ours.mean)} | ${fmt(q.theirs.mean)} | ${pm(metric(q, 'mean'))} | ${fmt(q.ours.std)} | ` +
          `${fmt(q.theirs.std)} | ${pm(metric(q, 'std'))} | ${fmt(ks?.diff)} (${fmt(ks?.tolerance)}) | ${q.pass ? 'ok' : '**differs**'} |`,
      );
    }
    lines.push('', '<details><summary>quantiles (5 %, 50 %, 95 %) of the same quantities</summary>', '');
    lines.push(
      '| quantity | q05: ours / AIHWKit | q50: ours / AIHWKit | q95: ours / AIHWKit |',
      '|---|---|---|---|',
    );
    for (const q of shown) {
      const cell = (n: 'q05' | 'q50' | 'q95') => {
        const c = metric(q, n);
        return `${fmt(q.ours[n])} / ${fmt(q.theirs[n])}${c && !c.pass ? ' (outside KS band)' : ''}`;
      };
      lines.push(`| ${q.label} | ${cell('q05')} | ${cell('q50')} | ${cell('q95')} |`);
    }
    lines.push('', '</details>');
  } else if (g.method === 'seeds') {
    lines.push(
      '| quantity | ours: mean ± std (n) | AIHWKit: mean ± std (n) | difference | tolerance | detectable (80 % power) | verdict |',
      '|---|---|---|---|---|---|---|',
    );
    for (const q of shown) {
      const c = metric(q, 'mean');
      lines.push(
        `| ${q.label} | ${fmt(q.ours.mean)} ± ${fmt(q.ours.std)} (${q.ours.n}) | ${fmt(q.theirs.mean)} ± ${fmt(q.theirs.std)} (${q.theirs.n}) | ` +
          `${fmt(c?.diff)} | ${fmt(c?.tolerance)} | ${fmt(c?.detectable)} | ${q.pass ? 'ok' : '**differs**'} |`,
      );
    }
  } else {
    lines.push(
      '| quantity | ours | AIHWKit | difference (worst element) | tolerance | verdict |',
      '|---|---|---|---|---|---|',
    );
    for (const q of shown) {
      const c = metric(q, 'value');
      lines.push(
        `| ${q.label} | ${fmt(c?.ours)} | ${fmt(c?.theirs)} | ${fmt(c?.diff)} | ${fmt(c?.tolerance)} | ${q.pass ? 'ok' : '**differs**'} |`,
      );
    }
  }
  if (rest > 0)
    lines.push(
      '',
      `…and ${rest} more quantities, ${restPass ? 'all within tolerance' : 'some outside tolerance (see parity.json)'}.`,
    );
  lines.push('');
  return lines;
}

const METHOD = `## How the comparison works

Each case runs the same simulation in sim-core and in AIHWKit on **the same inputs** (weights, input
vectors, data splits are generated on our side from the case seed and written to a file the AIHWKit
side reads). Configs are written once, in sim-core's schema (AIHWKit's class and field names), and each
side builds its own object from them, so a config that means something different on the two sides
shows up as a difference.

Every case compares a set of quantities (an output of an input vector, one ΔW_ij, the accuracy after
an epoch…), each sampled n times on our side and m times on AIHWKit's. The case has a family-wise
false-alarm rate α (0.001 unless stated), split evenly over all its tests (Bonferroni): a case whose two
sides truly agree is reported as differing with probability at most α, however many quantities it has.
With α' = α / (number of tests):

- **Distributions** (many draws): the *mean* by a Welch z-test (tolerance z(1−α'/2)·se,
  se = √(s₁²/n + s₂²/m)); the *std* by a z-test on the variance difference with
  se(s₁² − s₂²) = √((m₄ − m₂²)·(1/n + 1/m)) from the pooled central moments (valid for non-normal,
  ADC-quantized outputs, and for a sample that happens to be constant); the *shape* by a two-sample
  Kolmogorov–Smirnov test (D ≤ λ(α')·√((n+m)/(nm))). *Quantiles* (5 %, 50 %, 95 %) are shown with the
  band the KS bound implies (not a separate test). The power: a mean difference of
  (z(1−α'/2) + z(0.8))·se is detected with 80 % probability (listed in parity.json as \`detectable\`).
- **End-to-end runs** (a few seeds per side): Welch t-test on the per-seed values; the tables give
  mean ± std per side, the tolerance t(1−α'/2, ν)·se and the difference detectable with 80 % power.
- **Deterministic outputs** (clipping, remapping): element-wise |ours − AIHWKit| ≤ atol.

Every tolerance has a floor atol + rtol·|value| (1e-6 + 1e-5·|value| unless stated): both sides
compute in float32, so identical mathematics still differs by rounding; values that close also count
as ties in the KS test (quantized outputs sit on the same levels on both sides, up to rounding).

A **documented difference** is a case where sim-core deliberately does not copy AIHWKit (a quirk of
AIHWKit listed in §10 of the reference, or a fix); it runs like any other case, and the report says
whether the difference was visible in this run.

AIHWKit's C++ engine draws its random numbers from a generator that Python cannot seed, so its side of
a case varies from run to run; our side is seeded (the case seed) and repeats exactly.
`;

export function renderMarkdown(results: CaseResult[], meta: RunMeta): string {
  const lines: string[] = [];
  const cpu = cpus();
  lines.push('# Parity with AIHWKit', '');
  lines.push(
    `Generated by \`npm run parity\` (bench/parity) on ${meta.date.slice(0, 16).replace('T', ' ')} UTC in ` +
      `${seconds(meta.durationSeconds)}${meta.partial ? ' — **partial run** (a subset of the cases)' : ''}.`,
    '',
    `- sim-core: tfjs ${meta.simCore.backend} backend, ${meta.simCore.kernels} kernels, ${meta.simCore.threads} thread (Node ${meta.node}).`,
    `- AIHWKit ${meta.aihwkit.aihwkit ?? '?'} (CPU engine), torch ${meta.aihwkit.torch ?? '?'}, ` +
      `\`torch.set_num_threads(${meta.aihwkit.threads})\` (OMP/MKL threads likewise), Python ${meta.aihwkit.python ?? '?'}.`,
    `- Machine: ${cpu.length} × ${cpu[0]?.model ?? 'CPU'}, shared with other work while this ran: timings are indicative.`,
    '',
  );
  const counts = new Map<string, number>();
  for (const r of results) counts.set(verdictText(r), (counts.get(verdictText(r)) ?? 0) + 1);
  lines.push('## Summary', '');
  lines.push(
    [...counts.entries()].map(([v, n]) => `${n} ${v}`).join(' · ') + ` — ${results.length} cases.`,
    '',
    '| case | what | verdict | worst \\|Δ\\|/tol | sim-core time | AIHWKit time |',
    '|---|---|---|---|---|---|',
  );
  for (const r of results) {
    lines.push(
      `| [${r.id}](#${r.id}) | ${r.title} | ${verdictText(r)} | ${r.groups.length ? fmt(worstOf(r)) : '–'} | ` +
        `${r.timing ? seconds(r.timing.ours.seconds) : '–'} | ${r.timing ? seconds(r.timing.aihwkit.seconds) : '–'} |`,
    );
  }
  lines.push('');
  const documented = results.filter((r) => r.difference);
  if (documented.length) {
    lines.push('## Documented differences', '');
    for (const r of documented) {
      lines.push(
        `- **${r.id}** — ${r.difference?.reason}${r.difference?.reference ? ` (${r.difference.reference})` : ''} ` +
          `${r.differenceDetected ? 'Visible in this run.' : 'Not visible at this sample size in this run.'}`,
      );
    }
    lines.push('');
  }
  lines.push(METHOD, '## Results by case', '');
  for (const r of results) {
    lines.push(`### ${r.id}`, '', `**${r.title}** — ${verdictText(r)}`, '');
    if (r.description) lines.push(r.description, '');
    if (r.difference) {
      lines.push(
        `> **Documented difference.** ${r.difference.reason}${r.difference.reference ? ` (${r.difference.reference})` : ''}`,
        '',
      );
    }
    if (r.error) {
      lines.push('```', r.error, '```', '');
      continue;
    }
    if (typeof r.info.aihwkit.error === 'string') {
      lines.push(`AIHWKit raised: \`${r.info.aihwkit.error}\` (sim-core ran the case).`, '');
    }
    lines.push(
      `α = ${r.alpha} over ${r.tests} tests (α' = ${fmt(r.alphaPerTest)}). ` +
        (r.timing
          ? `Simulation time: sim-core ${seconds(r.timing.ours.seconds)}, AIHWKit ${seconds(r.timing.aihwkit.seconds)} ` +
            `(wall, with set-up and file exchange: ${seconds(r.timing.ours.wallSeconds)} and ${seconds(r.timing.aihwkit.wallSeconds)}).`
          : ''),
      '',
    );
    for (const g of r.groups) lines.push(...groupTable(g));
  }
  lines.push('## Speed', '');
  lines.push(
    'Simulation time of each case as each side measured it (start-up, imports and file exchange excluded). ' +
      `sim-core runs single-threaded; AIHWKit ran with ${meta.aihwkit.threads} torch thread(s).`,
    '',
    '| case | sim-core | AIHWKit | sim-core / AIHWKit |',
    '|---|---|---|---|',
  );
  for (const r of results) {
    if (!r.timing) continue;
    const ratio = r.timing.aihwkit.seconds > 0 ? r.timing.ours.seconds / r.timing.aihwkit.seconds : NaN;
    lines.push(
      `| ${r.id} | ${seconds(r.timing.ours.seconds)} | ${seconds(r.timing.aihwkit.seconds)} | ${fmt(ratio)}× |`,
    );
  }
  lines.push('');
  return lines.join('\n');
}

/** Write parity.md and parity.json into `dir`; returns the paths. */
export function writeReport(results: CaseResult[], meta: RunMeta, dir: string): string[] {
  mkdirSync(dir, { recursive: true });
  const md = join(dir, 'parity.md');
  const json = join(dir, 'parity.json');
  writeFileSync(md, renderMarkdown(results, meta));
  writeFileSync(json, JSON.stringify({ meta, results }, null, 1) + '\n');
  return [md, json];
}
