/**
 * The parity report: `parity.md` (tables a reader can check: case, our value, AIHWKit's value,
 * difference, tolerance, verdict; timings of both sides) and `parity.json` (every number behind it).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import type { CaseResult, GroupResult } from './harness';
import type { ComparisonMethod, MetricCheck, QuantityComparison } from './stats/compare';

export interface RunMeta {
  date: string;
  durationSeconds: number;
  partial: boolean;
  simCore: { backend: string; kernels: string; threads: number };
  aihwkit: Record<string, string | number>;
  node: string;
}

/** Hand-written findings and scope, kept next to the harness (parity/report-notes.md). */
const NOTES = join(__dirname, 'report-notes.md');

/** Quantities listed per case in the markdown (the farthest from AIHWKit first); the JSON has all. */
const ROWS_PER_CASE = 6;

/** The sections of the report, in order, with the case kinds they hold. */
const SECTIONS: { title: string; kinds: CaseResult['kind'][] }[] = [
  {
    title: 'Tile forward and backward (noise and bound management, DAC/ADC, non-idealities)',
    kinds: ['tile-io'],
  },
  { title: 'Layer backward (saturation mask)', kinds: ['layer-backward'] },
  { title: 'Pulsed update (device models, presets, compounds, pulse types)', kinds: ['pulsed-update'] },
  { title: 'Device response curves', kinds: ['device-curve'] },
  { title: 'Noise models (programming, drift, read noise)', kinds: ['noise-model'] },
  { title: 'Drift compensation', kinds: ['drift-compensation'] },
  { title: 'Weight modifiers, clipping and remapping', kinds: ['weight-modifier', 'clip-remap'] },
  { title: 'End to end', kinds: ['example1', 'fc-fashion', 'drift-table'] },
];

function sections(results: CaseResult[]): { title: string; cases: CaseResult[] }[] {
  return SECTIONS.map((s) => ({
    title: s.title,
    cases: results.filter((r) => s.kinds.includes(r.kind)),
  })).filter((s) => s.cases.length > 0);
}

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

/** One table for a case: its K quantities farthest from AIHWKit, over all groups (one method). */
function quantityTable(groups: GroupResult[], method: ComparisonMethod, limit: number): string[] {
  const multi = groups.length > 1;
  const all = groups.flatMap((g) =>
    g.quantities.map((q) => ({ q, label: multi ? `${g.name}: ${q.label}` : q.label })),
  );
  const rows = [...all].sort((a, b) => b.q.worst - a.q.worst);
  const shown = rows.slice(0, limit);
  const rest = rows.slice(limit);
  const lines: string[] = [];
  const verdict = (q: QuantityComparison) => (q.pass ? 'ok' : '**differs**');
  if (method === 'distribution') {
    lines.push(
      '| quantity | mean: ours | mean: AIHWKit | Δ mean (± tol) | std: ours | std: AIHWKit | Δ std (± tol) | KS D (crit) | verdict |',
      '|---|---|---|---|---|---|---|---|---|',
    );
    for (const { q, label } of shown) {
      const ks = metric(q, 'ks');
      lines.push(
        `| ${label} | ${fmt(q.ours.mean)} | ${fmt(q.theirs.mean)} | ${pm(metric(q, 'mean'))} | ${fmt(q.ours.std)} | ` +
          `${fmt(q.theirs.std)} | ${pm(metric(q, 'std'))} | ${fmt(ks?.diff)} (${fmt(ks?.tolerance)}) | ${verdict(q)} |`,
      );
    }
    lines.push('', '<details><summary>quantiles (5 %, 50 %, 95 %), ours / AIHWKit</summary>', '');
    lines.push('| quantity | q05 | q50 | q95 |', '|---|---|---|---|');
    for (const { q, label } of shown) {
      const cell = (n: 'q05' | 'q50' | 'q95') => {
        const c = metric(q, n);
        return `${fmt(q.ours[n])} / ${fmt(q.theirs[n])}${c && !c.pass ? ' (outside KS band)' : ''}`;
      };
      lines.push(`| ${label} | ${cell('q05')} | ${cell('q50')} | ${cell('q95')} |`);
    }
    lines.push('', '</details>');
  } else if (method === 'seeds') {
    lines.push(
      '| quantity | ours: mean ± std (n) | AIHWKit: mean ± std (n) | difference | tolerance | detectable (80 % power) | verdict |',
      '|---|---|---|---|---|---|---|',
    );
    for (const { q, label } of shown) {
      const c = metric(q, 'mean');
      lines.push(
        `| ${label} | ${fmt(q.ours.mean)} ± ${fmt(q.ours.std)} (${q.ours.n}) | ${fmt(q.theirs.mean)} ± ${fmt(q.theirs.std)} (${q.theirs.n}) | ` +
          `${fmt(c?.diff)} | ${fmt(c?.tolerance)} | ${fmt(c?.detectable)} | ${verdict(q)} |`,
      );
    }
  } else {
    lines.push(
      '| quantity | ours | AIHWKit | difference | tolerance | verdict |',
      '|---|---|---|---|---|---|',
    );
    for (const { q, label } of shown) {
      const c = metric(q, 'value');
      lines.push(
        `| ${label} | ${fmt(c?.ours)} | ${fmt(c?.theirs)} | ${fmt(c?.diff)} | ${fmt(c?.tolerance)} | ${verdict(q)} |`,
      );
    }
  }
  if (rest.length > 0) {
    const failing = rest.filter((r) => !r.q.pass).length;
    lines.push(
      '',
      `…and ${rest.length} more quantities, ${failing === 0 ? 'all within tolerance' : `${failing} outside tolerance (see parity.json)`}.`,
    );
  }
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
false-alarm rate α (10⁻⁴ unless stated; 0.005 for the end-to-end runs, which have few seeds), split
evenly over all its tests (Bonferroni): a case whose two
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
    `Generated by \`npm run parity\` (parity) on ${meta.date.slice(0, 16).replace('T', ' ')} UTC in ` +
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
  const familyWise = results.reduce((sum, r) => sum + (r.tests > 0 ? r.alpha : 0), 0);
  lines.push('## Summary', '');
  lines.push(
    [...counts.entries()].map(([v, n]) => `${n} ${v}`).join(' · ') + ` — ${results.length} cases.`,
    '',
    `The cases' false-alarm rates add up to ${fmt(familyWise)}: if sim-core and AIHWKit agreed everywhere, ` +
      `this report would show a spurious "differs" with probability at most ${fmt(familyWise)}.`,
    '',
  );
  for (const section of sections(results)) {
    lines.push(
      `**${section.title}**`,
      '',
      '| case | what | verdict | worst \\|Δ\\|/tol | sim-core time | AIHWKit time |',
      '|---|---|---|---|---|---|',
    );
    for (const r of section.cases) {
      lines.push(
        `| [${r.id}](#${r.id}) | ${r.title} | ${verdictText(r)} | ${r.groups.length ? fmt(worstOf(r)) : '–'} | ` +
          `${r.timing ? seconds(r.timing.ours.seconds) : '–'} | ${r.timing ? seconds(r.timing.aihwkit.seconds) : '–'} |`,
      );
    }
    lines.push('');
  }
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
  lines.push(METHOD, readFileSync(NOTES, 'utf8').trim(), '', '## Results by case', '');
  for (const section of sections(results)) {
    lines.push(`### ${section.title}`, '');
    for (const r of section.cases) lines.push(...caseSection(r));
  }
  lines.push(...speedSection(results, meta));
  return lines.join('\n');
}

function caseSection(r: CaseResult): string[] {
  const lines: string[] = [`#### ${r.id}`, '', `**${r.title}** — ${verdictText(r)}`, ''];
  if (r.description) lines.push(r.description, '');
  if (r.difference) {
    lines.push(
      `> **Documented difference.** ${r.difference.reason}${r.difference.reference ? ` (${r.difference.reference})` : ''}`,
      '',
    );
  }
  if (r.error) return [...lines, '```', r.error, '```', ''];
  if (typeof r.info.aihwkit.error === 'string') {
    lines.push(`AIHWKit raised: \`${r.info.aihwkit.error}\` (sim-core ran the case).`, '');
  }
  const trained = Object.entries(r.info.ours).filter(([k]) => k.startsWith('trained '));
  if (trained.length) {
    lines.push(
      `The trained network (sim-core): ${trained.map(([k, v]) => `${k.slice(8)} ${fmt(Number(v))}`).join(', ')}.`,
      '',
    );
  }
  if (r.tests > 0 || r.groups.length > 0) {
    lines.push(
      (r.tests > 0 ? `α = ${r.alpha} over ${r.tests} tests (α' = ${fmt(r.alphaPerTest)}). ` : '') +
        (r.timing
          ? `Simulation time: sim-core ${seconds(r.timing.ours.seconds)}, AIHWKit ${seconds(r.timing.aihwkit.seconds)}.`
          : ''),
      '',
    );
  }
  const methods = [...new Set(r.groups.map((g) => g.method))];
  for (const m of methods) {
    lines.push(
      ...quantityTable(
        r.groups.filter((g) => g.method === m),
        m,
        ROWS_PER_CASE,
      ),
    );
  }
  return lines;
}

function speedSection(results: CaseResult[], meta: RunMeta): string[] {
  const lines = [
    '## Speed',
    '',
    'Simulation time as each side measured it (start-up, imports and file exchange excluded), summed per ' +
      `section. sim-core runs single-threaded; AIHWKit ran with ${meta.aihwkit.threads} torch thread(s). The ` +
      'machine was shared with other work, so these are indicative; per case times are in the tables above. ' +
      'The small cases measure per-call overheads more than simulation (the noise-model cases program 2000 ' +
      "tiny matrices one by one, where AIHWKit's Python layer dominates); the end-to-end rows are the " +
      'meaningful comparison.',
    '',
    '| section | cases | sim-core | AIHWKit | sim-core / AIHWKit |',
    '|---|---|---|---|---|',
  ];
  let oursTotal = 0;
  let theirsTotal = 0;
  for (const section of sections(results)) {
    const timed = section.cases.filter((r) => r.timing && r.timing.aihwkit.seconds > 0);
    const ours = timed.reduce((s, r) => s + (r.timing?.ours.seconds ?? 0), 0);
    const theirs = timed.reduce((s, r) => s + (r.timing?.aihwkit.seconds ?? 0), 0);
    oursTotal += ours;
    theirsTotal += theirs;
    lines.push(
      `| ${section.title} | ${timed.length} | ${seconds(ours)} | ${seconds(theirs)} | ${fmt(theirs > 0 ? ours / theirs : NaN)}× |`,
    );
  }
  lines.push(
    `| **all** | | ${seconds(oursTotal)} | ${seconds(theirsTotal)} | ${fmt(theirsTotal > 0 ? oursTotal / theirsTotal : NaN)}× |`,
    '',
  );
  return lines;
}

/** Numbers in parity.json to 6 significant digits (the statistics do not carry more). */
function roundForJson(_key: string, value: unknown): unknown {
  return typeof value === 'number' && Number.isFinite(value) && !Number.isInteger(value)
    ? Number(value.toPrecision(6))
    : value;
}

/** How parity.json stores a quantity (compact: thousands of them). */
const JSON_FORMAT =
  'quantity: {label, pass, worst, ours: [n, mean, std, q05, q50, q95], theirs: [same], ' +
  'checks: {metric: [ours, theirs, diff, tolerance, detectable|null, counted 0/1, pass 0/1]}}';

type Row = [number, number, number, number, number, number];
const summaryRow = (q: QuantityComparison['ours']): Row => [q.n, q.mean, q.std, q.q05, q.q50, q.q95];

/** The stored form of a result (see JSON_FORMAT); `readReport` reverses it. */
function compactResult(r: CaseResult): unknown {
  return {
    ...r,
    groups: r.groups.map((g) => ({
      ...g,
      quantities: g.quantities.map((q) => ({
        label: q.label,
        pass: q.pass,
        worst: q.worst,
        ours: summaryRow(q.ours),
        theirs: summaryRow(q.theirs),
        checks: Object.fromEntries(
          q.checks.map((c) => [
            c.metric,
            [c.ours, c.theirs, c.diff, c.tolerance, c.detectable ?? null, c.counted ? 1 : 0, c.pass ? 1 : 0],
          ]),
        ),
      })),
    })),
  };
}

interface StoredQuantity {
  label: string;
  pass: boolean;
  worst: number;
  ours: Row;
  theirs: Row;
  checks: Record<string, [number, number, number, number, number | null, number, number]>;
}

function expandResult(stored: CaseResult): CaseResult {
  const summary = ([n, mean, std, q05, q50, q95]: Row) => ({ n, mean, std, q05, q50, q95 });
  return {
    ...stored,
    groups: stored.groups.map((g) => ({
      ...g,
      quantities: (g.quantities as unknown as StoredQuantity[]).map((q) => ({
        label: q.label,
        pass: q.pass,
        worst: q.worst,
        ours: summary(q.ours),
        theirs: summary(q.theirs),
        checks: Object.entries(q.checks).map(
          ([metric, [ours, theirs, diff, tolerance, detectable, counted, pass]]) => ({
            metric: metric as MetricCheck['metric'],
            ours,
            theirs,
            diff,
            tolerance,
            ...(detectable !== null ? { detectable } : {}),
            counted: counted === 1,
            pass: pass === 1,
          }),
        ),
      })),
    })),
  };
}

/** Read a parity.json back (for re-rendering the markdown). */
export function readReport(path: string): { meta: RunMeta; results: CaseResult[] } {
  const saved = JSON.parse(readFileSync(path, 'utf8')) as { meta: RunMeta; results: CaseResult[] };
  return { meta: saved.meta, results: saved.results.map(expandResult) };
}

/** Write parity.md and parity.json into `dir`; returns the paths. */
export function writeReport(results: CaseResult[], meta: RunMeta, dir: string): string[] {
  mkdirSync(dir, { recursive: true });
  const md = join(dir, 'parity.md');
  const json = join(dir, 'parity.json');
  writeFileSync(md, renderMarkdown(results, meta));
  const stored = { format: JSON_FORMAT, meta, results: results.map(compactResult) };
  writeFileSync(json, JSON.stringify(stored, roundForJson) + '\n');
  return [md, json];
}
