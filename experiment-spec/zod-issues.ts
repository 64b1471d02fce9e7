/**
 * Translating zod's issues into ours: one issue per problem, a JSON path, a message a researcher can act
 * on (naming the field, the value and what is allowed), and "did you mean" suggestions for typos.
 */
import type { z } from 'zod';
import {
  type AllowedRange,
  type PathSegment,
  type SpecIssue,
  closest,
  describeAllowed,
  describeValue,
  issue,
} from './issues';
import { discriminatorValues, literalValues, objectKeys, resolvedObjectAt, schemaAt } from './zod-walk';

type AnySchema = z.core.$ZodType;
type ZodIssue = z.core.$ZodIssue;

/** A hook that may explain an unknown key better than "unknown key" (e.g. a noise model on a training config). */
export type UnknownKeyExplainer = (
  parentSegments: readonly PathSegment[],
  key: string,
  document: unknown,
) => string | undefined;

export interface TranslateOptions {
  explainUnknownKey?: UnknownKeyExplainer;
  /** At most this many issues are reported (the rest are summarised in one). */
  maxIssues?: number;
}

function valueAt(document: unknown, segments: readonly PathSegment[]): unknown {
  let value = document;
  for (const segment of segments) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string | number, unknown>)[segment];
  }
  return value;
}

function jsonKind(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'number') return Number.isInteger(value) ? 'a number' : 'a number';
  if (typeof value === 'string') return 'a string';
  if (typeof value === 'boolean') return 'true/false';
  return typeof value;
}

const EXPECTED_WORDS: Record<string, string> = {
  number: 'a number',
  int: 'a whole number',
  string: 'a string',
  boolean: 'true or false',
  object: 'an object',
  array: 'a list',
  null: 'null',
  bigint: 'a whole number',
};

function fieldName(segments: readonly PathSegment[]): string {
  for (let i = segments.length - 1; i >= 0; i--) {
    if (typeof segments[i] === 'string') {
      const index = segments.slice(i + 1).filter((s) => typeof s === 'number');
      return index.length > 0 ? `${String(segments[i])}[${index.join('][')}]` : String(segments[i]);
    }
  }
  return segments.length > 0 ? `item ${String(segments[segments.length - 1])}` : 'the document';
}

function rangeFromIssue(raw: ZodIssue): AllowedRange {
  const r = raw as unknown as { minimum?: number | bigint; maximum?: number | bigint; inclusive?: boolean };
  const allowed: AllowedRange = {};
  if (raw.code === 'too_small' && r.minimum !== undefined) {
    allowed.min = Number(r.minimum);
    allowed.minInclusive = r.inclusive !== false;
  }
  if (raw.code === 'too_big' && r.maximum !== undefined) {
    allowed.max = Number(r.maximum);
    allowed.maxInclusive = r.inclusive !== false;
  }
  return allowed;
}

/** The full range of a number schema (both bounds), so a too-small message can also say the maximum. */
function numberRange(schema: AnySchema | undefined): AllowedRange {
  const allowed: AllowedRange = {};
  if (!schema) return allowed;
  const bag = (schema as unknown as { _zod: { bag?: Record<string, unknown> } })._zod.bag ?? {};
  const min = bag.minimum as number | undefined;
  const max = bag.maximum as number | undefined;
  const exMin = bag.exclusiveMinimum as number | undefined;
  const exMax = bag.exclusiveMaximum as number | undefined;
  if (typeof exMin === 'number' && (min === undefined || exMin >= min)) {
    allowed.min = exMin;
    allowed.minInclusive = false;
  } else if (typeof min === 'number' && Number.isFinite(min) && Math.abs(min) < Number.MAX_SAFE_INTEGER) {
    allowed.min = min;
  }
  if (typeof exMax === 'number' && (max === undefined || exMax <= max)) {
    allowed.max = exMax;
    allowed.maxInclusive = false;
  } else if (typeof max === 'number' && Number.isFinite(max) && Math.abs(max) < Number.MAX_SAFE_INTEGER) {
    allowed.max = max;
  }
  if (bag.format === 'safeint' || bag.format === 'int32') allowed.integer = true;
  return allowed;
}

function translateOne(
  raw: ZodIssue,
  root: AnySchema,
  document: unknown,
  options: TranslateOptions,
  prefix: readonly PathSegment[],
): SpecIssue[] {
  const segments = [...prefix, ...(raw.path as PathSegment[])];
  const localSegments = raw.path as PathSegment[];
  const value = valueAt(document, localSegments);
  const name = fieldName(segments);

  switch (raw.code) {
    case 'invalid_type': {
      const expected = EXPECTED_WORDS[raw.expected] ?? raw.expected;
      if (value === undefined) {
        return [issue(segments, 'missing', `${name} is required (${expected})`)];
      }
      if (raw.expected === 'int' && typeof value === 'number') {
        return [
          issue(segments, 'invalid_type', `${name} must be a whole number, got ${describeValue(value)}`, {
            allowed: { ...numberRange(schemaAt(root, localSegments, document)), integer: true },
          }),
        ];
      }
      if (raw.expected === 'number' && typeof value === 'number') {
        // NaN or ±Infinity (JSON cannot carry them, but objects built in code can).
        return [
          issue(segments, 'invalid_type', `${name} must be a finite number, got ${describeValue(value)}`),
        ];
      }
      return [issue(segments, 'invalid_type', `${name} must be ${expected}, got ${jsonKind(value)}`)];
    }
    case 'unrecognized_keys': {
      const parent = resolvedObjectAt(root, localSegments, document);
      const known = parent ? objectKeys(parent) : [];
      const limit = Math.min(raw.keys.length, 20);
      const out: SpecIssue[] = [];
      for (const key of raw.keys.slice(0, limit)) {
        const explained = options.explainUnknownKey?.(segments, key, document);
        if (explained) {
          out.push(issue([...segments, key], 'unknown_key', explained));
          continue;
        }
        const suggestion = closest(key, known);
        const hint = suggestion ? ` (did you mean "${suggestion}"?)` : '';
        const where = segments.length > 0 ? ` in ${fieldName(segments)}` : '';
        out.push(
          issue([...segments, key], 'unknown_key', `unknown key "${key}"${where}${hint}`, {
            allowed: known.length > 0 ? { values: known } : undefined,
          }),
        );
      }
      if (raw.keys.length > limit) {
        out.push(issue(segments, 'unknown_key', `${raw.keys.length - limit} more unknown keys in ${name}`));
      }
      return out;
    }
    case 'too_small':
    case 'too_big': {
      const origin = (raw as unknown as { origin?: string }).origin;
      if (origin === 'array' || origin === 'string' || origin === 'set') {
        const r = raw as unknown as { minimum?: number; maximum?: number };
        const unit = origin === 'string' ? 'characters' : 'items';
        const count = Array.isArray(value) || typeof value === 'string' ? value.length : undefined;
        const got = count !== undefined ? `, got ${count}` : '';
        const text =
          raw.code === 'too_small'
            ? `${name} needs at least ${Number(r.minimum)} ${unit}${got}`
            : `${name} may have at most ${Number(r.maximum)} ${unit}${got}`;
        return [issue(segments, 'out_of_range', text, { allowed: rangeFromIssue(raw) })];
      }
      const allowed = { ...numberRange(schemaAt(root, localSegments, document)), ...rangeFromIssue(raw) };
      return [
        issue(
          segments,
          'out_of_range',
          `${name} must be ${describeAllowed(allowed)}, got ${describeValue(value)}`,
          { allowed },
        ),
      ];
    }
    case 'invalid_value': {
      const values = (raw.values as unknown[]).map((v) => v as string | number | boolean);
      const suggestion =
        typeof value === 'string'
          ? closest(
              value,
              values.filter((v): v is string => typeof v === 'string'),
            )
          : undefined;
      const hint = suggestion ? ` (did you mean "${suggestion}"?)` : '';
      const text =
        values.length === 1
          ? `${name} must be ${JSON.stringify(values[0])}, got ${describeValue(value)}`
          : `${name} ${describeValue(value)} is not allowed${hint}; expected ${describeAllowed({ values })}`;
      return [issue(segments, 'invalid_value', text, { allowed: { values } })];
    }
    case 'invalid_union': {
      const u = raw as unknown as {
        errors: ZodIssue[][];
        discriminator?: string;
        options?: unknown[];
        note?: string;
      };
      if (u.discriminator !== undefined || u.note === 'No matching discriminator') {
        const values = (u.options ?? []).map((v) => v as string);
        const parentSegments = localSegments.slice(0, -1);
        const parentValue = valueAt(document, parentSegments);
        if (typeof parentValue !== 'object' || parentValue === null || Array.isArray(parentValue)) {
          return [
            issue(
              segments.slice(0, -1),
              'invalid_type',
              `${fieldName(segments.slice(0, -1))} must be an object, got ${jsonKind(parentValue)}`,
            ),
          ];
        }
        if (value === undefined) {
          return [
            issue(segments, 'missing', `${name} is required: one of ${values.join(', ')}`, {
              allowed: { values },
            }),
          ];
        }
        const suggestion = typeof value === 'string' ? closest(value, values) : undefined;
        const hint = suggestion ? ` (did you mean "${suggestion}"?)` : '';
        return [
          issue(
            segments,
            'invalid_value',
            `${name} ${describeValue(value)} is not known${hint}; expected one of ${values.join(', ')}`,
            {
              allowed: { values },
            },
          ),
        ];
      }
      // A plain union: report the branch that matches the value's JSON kind best.
      const branches = u.errors ?? [];
      let best: ZodIssue[] | undefined;
      let bestScore = Infinity;
      for (const branch of branches) {
        const rootTypeMismatch = branch.some((b) => b.path.length === 0 && b.code === 'invalid_type');
        const score = (rootTypeMismatch ? 1000 : 0) + branch.length;
        if (score < bestScore) {
          best = branch;
          bestScore = score;
        }
      }
      if (!best || bestScore >= 1000) {
        const schema = schemaAt(root, localSegments, document);
        const kinds = describeUnionKinds(schema);
        return [issue(segments, 'invalid_type', `${name} must be ${kinds}, got ${jsonKind(value)}`)];
      }
      const out: SpecIssue[] = [];
      for (const inner of best) {
        const shifted = { ...inner, path: [...localSegments, ...inner.path] } as ZodIssue;
        out.push(...translateOne(shifted, root, document, options, prefix));
      }
      return out;
    }
    case 'not_multiple_of': {
      const divisor = Number((raw as unknown as { divisor: number }).divisor);
      return [
        issue(
          segments,
          'out_of_range',
          `${name} must be a multiple of ${divisor}, got ${describeValue(value)}`,
        ),
      ];
    }
    case 'invalid_format': {
      return [
        issue(segments, 'invalid_value', `${name} ${describeValue(value)} is not valid: ${raw.message}`),
      ];
    }
    default:
      return [
        issue(segments, raw.code === 'custom' ? 'invalid_value' : 'invalid_value', `${name}: ${raw.message}`),
      ];
  }
}

function describeUnionKinds(schema: AnySchema | undefined): string {
  if (!schema) return 'a valid value';
  const tags = discriminatorValues(schema);
  if (tags) return `an object with "${tags.key}" one of ${tags.values.join(', ')}`;
  const literal = literalValues(schema);
  if (literal) return describeAllowed({ values: literal });
  return 'one of the accepted forms';
}

/** Translate every zod issue of `error` (found while parsing `document` with `root`). */
export function translateZodIssues(
  issues: readonly ZodIssue[],
  root: AnySchema,
  document: unknown,
  options: TranslateOptions = {},
  prefix: readonly PathSegment[] = [],
): SpecIssue[] {
  const out: SpecIssue[] = [];
  const max = options.maxIssues ?? 200;
  for (const raw of issues) {
    if (out.length >= max) break;
    out.push(...translateOne(raw, root, document, options, prefix));
  }
  if (issues.length > 0 && out.length >= max) {
    out.length = max;
    out.push(issue(prefix, 'too_large', `more than ${max} problems; only the first ${max} are listed`));
  }
  return out;
}
