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
import {
  defOf,
  discriminatorValues,
  literalValues,
  objectKeys,
  resolvedObjectAt,
  schemaAt,
  unionOptionFor,
  unwrap,
} from './zod-walk';

type AnySchema = z.core.$ZodType;
type ZodIssue = z.core.$ZodIssue;

/** A hook that may explain an unknown key better than "unknown key" (e.g. a noise model on a training config). */
export type UnknownKeyExplainer = (
  parentSegments: readonly PathSegment[],
  key: string,
  document: unknown,
) => string | undefined;

/** A hook that may explain a rejected value better than "not allowed". */
export type InvalidValueExplainer = (
  segments: readonly PathSegment[],
  value: unknown,
  document: unknown,
) => string | undefined;

export interface TranslateOptions {
  explainUnknownKey?: UnknownKeyExplainer;
  explainInvalidValue?: InvalidValueExplainer;
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
  const def = defOf(unwrap(schema));
  if (def.type !== 'number') return allowed;
  if (def.format === 'safeint' || def.format === 'int32') allowed.integer = true;
  for (const check of def.checks ?? []) {
    const c = check._zod.def as { check?: string; value?: unknown; inclusive?: boolean; format?: string };
    if (c.check === 'number_format' && (c.format === 'safeint' || c.format === 'int32'))
      allowed.integer = true;
    if (typeof c.value !== 'number') continue;
    if (c.check === 'greater_than' && (allowed.min === undefined || c.value >= allowed.min)) {
      allowed.min = c.value;
      allowed.minInclusive = c.inclusive !== false;
    }
    if (c.check === 'less_than' && (allowed.max === undefined || c.value <= allowed.max)) {
      allowed.max = c.value;
      allowed.maxInclusive = c.inclusive !== false;
    }
  }
  return allowed;
}

function translateOne(
  raw: ZodIssue,
  root: AnySchema,
  document: unknown,
  options_: TranslateOptions,
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
        const explained = options_.explainUnknownKey?.(segments, key, document);
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
            ? Number(r.minimum) === 1
              ? `${name} must not be empty`
              : `${name} needs at least ${Number(r.minimum)} ${unit}${got}`
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
      if (value === undefined) {
        return [
          issue(segments, 'missing', `${name} is required: ${describeAllowed({ values })}`, {
            allowed: { values },
          }),
        ];
      }
      const explained = options_.explainInvalidValue?.(segments, value, document);
      if (explained) return [issue(segments, 'invalid_value', explained, { allowed: { values } })];
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
      // A plain union (e.g. a preset name or a configuration object): report the branch whose JSON kind
      // matches the value; if none does, say which kinds are accepted.
      const branches = u.errors ?? [];
      const unionSchema = schemaAt(root, localSegments, document);
      const options = unionSchema ? unionOptions(unionSchema) : [];
      const chosen = unionSchema ? unionOptionFor(unionSchema, value) : undefined;
      const index = chosen ? options.indexOf(chosen) : -1;
      const best = index >= 0 ? branches[index] : undefined;
      if (!best) {
        return [
          issue(
            segments,
            'invalid_type',
            `${name} must be ${describeUnionKinds(unionSchema)}, got ${jsonKind(value)}`,
          ),
        ];
      }
      const out: SpecIssue[] = [];
      for (const inner of best) {
        const shifted = { ...inner, path: [...localSegments, ...inner.path] } as ZodIssue;
        out.push(...translateOne(shifted, root, document, options_, prefix));
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
  const kinds = unionOptions(schema).map((option) => {
    const values = literalValues(option);
    if (values) return `a name (${values.slice(0, 3).join(', ')}, …)`;
    const tag = discriminatorValues(option);
    if (tag) return `an object with "${tag.key}" (${tag.values.slice(0, 3).join(', ')}, …)`;
    return defOf(unwrap(option)).type === 'object' ? 'an object' : defOf(unwrap(option)).type;
  });
  return kinds.length > 0 ? kinds.join(' or ') : 'one of the accepted forms';
}

function unionOptions(schema: AnySchema): AnySchema[] {
  const def = defOf(unwrap(schema));
  return def.type === 'union' && def.options ? def.options : [];
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
