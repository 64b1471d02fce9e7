/** Reads and validates the case files (`cases/*.json`); the id of a case is its file name. */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { z } from 'zod';
import { checkCaseConfigs, ParityCase } from './case-schema';

export const CASES_DIR = join(__dirname, 'cases');

export type LoadedCase = ParityCase & { id: string; file: string };

function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((i) => `  at ${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`)
    .join('\n');
}

export function loadCase(file: string): LoadedCase {
  const id = basename(file, '.json');
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`parity case ${file}: not valid JSON (${(err as Error).message})`);
  }
  const parsed = ParityCase.safeParse(raw);
  if (!parsed.success) throw new Error(`parity case ${file} is invalid:\n${describeIssues(parsed.error)}`);
  try {
    checkCaseConfigs(parsed.data);
  } catch (err) {
    const detail = err instanceof z.ZodError ? describeIssues(err) : `  ${(err as Error).message}`;
    throw new Error(`parity case ${file} has an invalid config:\n${detail}`);
  }
  return { ...parsed.data, id, file };
}

/** All cases, sorted by id; `filter` keeps the ids it accepts. */
export function loadCases(dir = CASES_DIR, filter: (id: string) => boolean = () => true): LoadedCase[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => join(dir, f))
    .filter((f) => filter(basename(f, '.json')))
    .map(loadCase);
}
