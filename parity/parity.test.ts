/**
 * The reduced parity run inside `npm test`: the cases marked `quick` (one per kind of simulation, a few
 * seconds each), run on both sides and compared exactly as `npm run parity` does. Skipped, with the
 * reason, where Python or AIHWKit is not installed (`npm run parity:setup` installs them).
 *
 * Our side is seeded; AIHWKit's C++ engine seeds itself from the clock (Python cannot seed it), so its
 * side varies from run to run. Each case is therefore judged at a family-wise α of at most 1e-4 (the
 * cases' default; Example 1's 0.005 is lowered here): with 7 quick cases a correct implementation fails
 * a test run with probability below 0.1 %, while differences of a few standard errors still fail.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend } from '../sim-core';
import { runCase } from './harness';
import { loadCases } from './load-cases';
import { probePythonSync, PythonWorker } from './python-env';

const TEST_ALPHA = 1e-4;
const probe = probePythonSync();
const quickCases = loadCases().filter((c) => c.quick);
const withAihwkit = probe.available ? describe : describe.skip;

if (!probe.available) {
  // Shown once in the jest output next to the skipped tests.
  console.warn(`parity with AIHWKit skipped: ${probe.reason}`);
}

it('has a reduced set of parity cases', () => {
  expect(quickCases.length).toBeGreaterThanOrEqual(6);
  expect(new Set(quickCases.map((c) => c.kind)).size).toBeGreaterThanOrEqual(6);
});

withAihwkit(`parity with AIHWKit ${probe.versions?.aihwkit ?? ''} (reduced)`, () => {
  let python: PythonWorker;
  let workRoot: string;

  beforeAll(async () => {
    await initBackend({ backends: ['wasm', 'cpu'] });
    python = new PythonWorker({ threads: 1 });
    workRoot = mkdtempSync(join(tmpdir(), 'parity-test-'));
  });

  afterAll(async () => {
    await python?.close();
    if (workRoot) rmSync(workRoot, { recursive: true, force: true });
  });

  it.each(quickCases.map((c) => [c.id, c] as const))(
    '%s agrees with AIHWKit (or is a documented difference)',
    async (_id, c) => {
      const result = await runCase({ ...c, alpha: Math.min(c.alpha, TEST_ALPHA) }, { python, workRoot });
      expect(result.error).toBeUndefined();
      const failing = result.groups.flatMap((g) => g.quantities.filter((q) => !q.pass).map((q) => q.label));
      expect({ verdict: result.verdict, failing }).toEqual({
        verdict: c.difference ? 'documented difference' : 'agrees',
        failing: c.difference ? failing : [],
      });
    },
    120_000,
  );
});
