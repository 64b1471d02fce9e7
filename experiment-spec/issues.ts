/**
 * The one shape every problem with an experiment document takes, whoever finds it (the zod schema, the
 * semantic checks, the quota checks, the cloud-format import): where (a JSON path), what (a code and a
 * plain-language message), and, where it applies, what would have been allowed.
 */

export type PathSegment = string | number;

export const ISSUE_CODES = [
  /** A value of the wrong JSON type (a string where a number belongs). */
  'invalid_type',
  /** A required field is absent. */
  'missing',
  /** A key the schema does not know (typos must never vanish silently). */
  'unknown_key',
  /** A number or a list length outside its allowed range. */
  'out_of_range',
  /** A value not among the allowed ones (enumerations, layer types, preset names). */
  'invalid_value',
  /** The layer list does not fit together (sizes, channels, the final layer versus the classes). */
  'shape',
  /** Settings that are valid alone but not together (a noise model on a training configuration). */
  'incompatible',
  /** A configured resource limit would be exceeded. */
  'quota',
  /** The weights an inference experiment refers to cannot be used. */
  'weights',
  /** The document is too big or too deeply nested to be examined at all. */
  'too_large',
  /** Something the target format cannot express (cloud import/export). */
  'not_expressible',
  /** An unexpected failure inside the validator (reported, never thrown). */
  'internal',
] as const;
export type IssueCode = (typeof ISSUE_CODES)[number];

/** What would have been accepted: a numeric range, a set of values, or both. */
export interface AllowedRange {
  min?: number;
  max?: number;
  /** Whether `min` itself is allowed (default true). */
  minInclusive?: boolean;
  /** Whether `max` itself is allowed (default true). */
  maxInclusive?: boolean;
  integer?: boolean;
  values?: readonly (string | number | boolean)[];
}

export interface SpecIssue {
  /** JSON path of the offending value, e.g. `$.model.layers[2].out_features`. */
  path: string;
  /** The same path as segments, for programs (e.g. the web composer highlighting a field). */
  segments: PathSegment[];
  code: IssueCode;
  /** 'warning' never makes a document invalid; everything else is an 'error'. */
  severity: 'error' | 'warning';
  /** Plain language, naming the field and the value. */
  message: string;
  allowed?: AllowedRange;
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** `['model', 'layers', 2, 'out_features']` → `$.model.layers[2].out_features`. */
export function jsonPath(segments: readonly PathSegment[]): string {
  let out = '$';
  for (const segment of segments) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (IDENTIFIER.test(segment)) out += `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

export function issue(
  segments: readonly PathSegment[],
  code: IssueCode,
  message: string,
  extra: { allowed?: AllowedRange; severity?: 'error' | 'warning' } = {},
): SpecIssue {
  const result: SpecIssue = {
    path: jsonPath(segments),
    segments: [...segments],
    code,
    severity: extra.severity ?? 'error',
    message,
  };
  if (extra.allowed) result.allowed = extra.allowed;
  return result;
}

export function hasErrors(issues: readonly SpecIssue[]): boolean {
  return issues.some((i) => i.severity === 'error');
}

/** A short, safe description of any value for messages (never huge, never throws). */
export function describeValue(value: unknown): string {
  try {
    if (value === undefined) return 'nothing';
    if (value === null) return 'null';
    if (typeof value === 'string') {
      const shown = value.length > 40 ? `${value.slice(0, 40)}…` : value;
      return JSON.stringify(shown);
    }
    if (typeof value === 'number') {
      if (Number.isNaN(value)) return 'NaN';
      return String(value);
    }
    if (typeof value === 'boolean') return String(value);
    if (Array.isArray(value)) return `a list of ${value.length}`;
    if (typeof value === 'object') return 'an object';
    return typeof value;
  } catch {
    return 'an unreadable value';
  }
}

/** A human reading of an allowed range: "between 0 and 1", "a whole number greater than 0". */
export function describeAllowed(allowed: AllowedRange): string {
  const parts: string[] = [];
  if (allowed.values && allowed.values.length > 0) {
    const shown = allowed.values.slice(0, 12).map((v) => JSON.stringify(v));
    const more = allowed.values.length > 12 ? `, … (${allowed.values.length} in all)` : '';
    parts.push(`one of ${shown.join(', ')}${more}`);
  }
  const { min, max } = allowed;
  const lo = allowed.minInclusive === false ? 'greater than' : 'at least';
  const hi = allowed.maxInclusive === false ? 'less than' : 'at most';
  let range = '';
  if (min !== undefined && max !== undefined) {
    range =
      allowed.minInclusive !== false && allowed.maxInclusive !== false
        ? `between ${min} and ${max}`
        : `${lo} ${min} and ${hi} ${max}`;
  } else if (min !== undefined) range = `${lo} ${min}`;
  else if (max !== undefined) range = `${hi} ${max}`;
  if (allowed.integer) parts.push(range ? `a whole number ${range}` : 'a whole number');
  else if (range) parts.push(range);
  return parts.join(', ');
}

/** Edit distance, for "did you mean" suggestions on unknown keys and values (short strings only). */
export function editDistance(a: string, b: string): number {
  if (a.length > 64 || b.length > 64) return Math.max(a.length, b.length);
  const previous = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) previous[j] = j;
  for (let i = 1; i <= a.length; i++) {
    let diagonal = previous[0];
    previous[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = previous[j];
      const cost = a[i - 1].toLowerCase() === b[j - 1].toLowerCase() ? 0 : 1;
      previous[j] = Math.min(previous[j] + 1, previous[j - 1] + 1, diagonal + cost);
      diagonal = above;
    }
  }
  return previous[b.length];
}

/** The closest candidate within a small edit distance, if any. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  const limit = Math.max(2, Math.floor(word.length / 3));
  for (const candidate of candidates) {
    const d = editDistance(word, candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return bestDistance <= limit ? best : undefined;
}
