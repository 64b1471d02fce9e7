/** The contract of one case kind on our side. */
import type { CaseOf, ParityCaseKind } from '../case-schema';
import type { SideGroup } from '../side';
import type { Stopwatch } from '../side';
import type { ComparisonMethod } from '../stats/compare';

export interface RunContext {
  /** Shared inputs from `prepare` (also written to the Python side's input file). */
  inputs: Record<string, unknown>;
  stopwatch: Stopwatch;
  /** A scratch folder for this case (large shared inputs as binary files). */
  workDir: string;
  log: (line: string) => void;
}

export interface KindModule<K extends ParityCaseKind> {
  /** The AIHWKit runner in `parity/python/`. */
  script: string;
  /** How each output group is compared (groups not listed: `distribution`). */
  methods?: Record<string, ComparisonMethod>;
  /** Generate the inputs both sides use (JSON-able; large data as files in workDir). */
  prepare(c: CaseOf<K>, workDir: string): Promise<Record<string, unknown>> | Record<string, unknown>;
  /** Run the case with sim-core. */
  run(
    c: CaseOf<K>,
    ctx: RunContext,
  ): Promise<{ groups: Record<string, SideGroup>; info?: Record<string, string | number | boolean> }>;
}
