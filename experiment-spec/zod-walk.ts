/**
 * Reading zod schemas as data: unwrapping defaults and optionals, finding the schema that governs a
 * path (for "did you mean" suggestions and specific messages), listing an object's keys. Used by the
 * issue translation and the documentation generator. Only zod's public `_zod.def` is read.
 */
import type { z } from 'zod';

type AnySchema = z.core.$ZodType;

interface Def {
  type: string;
  innerType?: AnySchema;
  shape?: Record<string, AnySchema>;
  element?: AnySchema;
  options?: AnySchema[];
  discriminator?: string;
  in?: AnySchema;
  out?: AnySchema;
  getter?: () => AnySchema;
  values?: unknown[];
  entries?: Record<string, unknown>;
  items?: AnySchema[];
  defaultValue?: unknown;
  checks?: { _zod: { def: Record<string, unknown> } }[];
  format?: string;
}

export function defOf(schema: AnySchema): Def {
  return (schema as unknown as { _zod: { def: Def } })._zod.def;
}

const WRAPPERS = new Set(['default', 'prefault', 'optional', 'nullable', 'readonly', 'catch', 'nonoptional']);

/** The schema under defaults, optionals, pipes and lazies. */
export function unwrap(schema: AnySchema): AnySchema {
  let current = schema;
  for (let i = 0; i < 32; i++) {
    const def = defOf(current);
    if (WRAPPERS.has(def.type) && def.innerType) current = def.innerType;
    else if (def.type === 'pipe' && def.in) current = def.in;
    else if (def.type === 'lazy' && def.getter) current = def.getter();
    else return current;
  }
  return current;
}

/** The keys an object schema accepts (empty for anything else). */
export function objectKeys(schema: AnySchema): string[] {
  const def = defOf(unwrap(schema));
  return def.type === 'object' && def.shape ? Object.keys(def.shape) : [];
}

/** The literal values a schema accepts (enum members, literals), if it is such a schema. */
export function literalValues(schema: AnySchema): (string | number | boolean)[] | undefined {
  const def = defOf(unwrap(schema));
  if (def.type === 'enum' && def.entries) return Object.values(def.entries) as (string | number)[];
  if (def.type === 'literal' && def.values) return def.values as (string | number | boolean)[];
  return undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** For a union, the option that matches `input` (by discriminator, or by JSON kind); else undefined. */
export function unionOptionFor(schema: AnySchema, input: unknown): AnySchema | undefined {
  const def = defOf(unwrap(schema));
  if (def.type !== 'union' || !def.options) return undefined;
  if (def.discriminator && isRecord(input)) {
    const tag = input[def.discriminator];
    for (const option of def.options) {
      const shape = defOf(unwrap(option)).shape;
      const tagSchema = shape?.[def.discriminator];
      if (tagSchema && literalValues(tagSchema)?.includes(tag as string)) return option;
    }
    return undefined;
  }
  // A plain union: pick the option whose JSON kind matches (object versus string etc.).
  for (const option of def.options) {
    const inner = defOf(unwrap(option));
    if (isRecord(input) && (inner.type === 'object' || inner.type === 'union')) return option;
    if (
      typeof input === 'string' &&
      (inner.type === 'enum' || inner.type === 'string' || inner.type === 'literal')
    )
      return option;
  }
  return undefined;
}

/** The discriminator values of a discriminated union (e.g. every device `type`). */
export function discriminatorValues(schema: AnySchema): { key: string; values: string[] } | undefined {
  const def = defOf(unwrap(schema));
  if (def.type !== 'union' || !def.options || !def.discriminator) return undefined;
  const values: string[] = [];
  for (const option of def.options) {
    const shape = defOf(unwrap(option)).shape;
    const tag = shape?.[def.discriminator];
    const literal = tag ? literalValues(tag) : undefined;
    if (literal) values.push(...literal.map(String));
    else {
      // Nested discriminated union under the same key.
      const nested = discriminatorValues(option);
      if (nested) values.push(...nested.values);
    }
  }
  return { key: def.discriminator, values };
}

/**
 * The schema governing `segments` below `root`, following the input so that unions resolve to the
 * option the document chose. Undefined where the path leaves the schema (an unknown key).
 */
export function schemaAt(
  root: AnySchema,
  segments: readonly (string | number)[],
  input: unknown,
): AnySchema | undefined {
  let schema: AnySchema | undefined = root;
  let value: unknown = input;
  for (const segment of segments) {
    if (!schema) return undefined;
    let current = unwrap(schema);
    for (let i = 0; i < 8; i++) {
      const option = unionOptionFor(current, value);
      if (!option) break;
      current = unwrap(option);
    }
    const def = defOf(current);
    if (def.type === 'object' && def.shape && typeof segment === 'string') {
      schema = def.shape[segment];
    } else if (def.type === 'array' && def.element && typeof segment === 'number') {
      schema = def.element;
    } else if (def.type === 'tuple' && def.items && typeof segment === 'number') {
      schema = def.items[segment];
    } else if (def.type === 'record' && typeof segment === 'string') {
      schema = (def as unknown as { valueType: AnySchema }).valueType;
    } else {
      return undefined;
    }
    value =
      isRecord(value) || Array.isArray(value)
        ? (value as Record<string | number, unknown>)[segment]
        : undefined;
  }
  return schema;
}

/** Resolve unions along the way too: the object schema an input object is checked against. */
export function resolvedObjectAt(
  root: AnySchema,
  segments: readonly (string | number)[],
  input: unknown,
): AnySchema | undefined {
  const schema = schemaAt(root, segments, input);
  if (!schema) return undefined;
  let value: unknown = input;
  for (const segment of segments) {
    value =
      isRecord(value) || Array.isArray(value)
        ? (value as Record<string | number, unknown>)[segment]
        : undefined;
  }
  let current = unwrap(schema);
  for (let i = 0; i < 8; i++) {
    const option = unionOptionFor(current, value);
    if (!option) break;
    current = unwrap(option);
  }
  return current;
}
