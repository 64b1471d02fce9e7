/**
 * Test helpers (imported by tests only): checking that a stored experiment states every value the
 * schema has a default for.
 */
import type { z } from 'zod';
import { defOf, unionOptionFor, unwrap } from './zod-walk';

type AnySchema = z.core.$ZodType;

/** Paths (with `*` for list indices) where a key may be absent: optional without a default. */
export const OPTIONAL_WITHOUT_DEFAULT = new Set(['model.layers.*.rpu_config', 'inference']);

function isOptionalWithoutDefault(schema: AnySchema): boolean {
  const def = defOf(schema);
  return def.type === 'optional';
}

/**
 * Every key of every object schema that `value` lacks, as dotted paths; keys that are optional without
 * default are allowed to be absent only at the paths in `OPTIONAL_WITHOUT_DEFAULT`.
 */
export function missingKeys(schema: AnySchema, value: unknown, path: string[] = []): string[] {
  let current = unwrap(schema);
  for (let i = 0; i < 8; i++) {
    const option = unionOptionFor(current, value);
    if (!option) break;
    current = unwrap(option);
  }
  const def = defOf(current);
  const out: string[] = [];
  if (def.type === 'object' && def.shape && typeof value === 'object' && value !== null) {
    const record = value as Record<string, unknown>;
    for (const [key, field] of Object.entries(def.shape)) {
      const here = [...path, key];
      if (!(key in record)) {
        const pattern = here.map((s) => (/^\d+$/.test(s) ? '*' : s)).join('.');
        if (!(isOptionalWithoutDefault(field) && OPTIONAL_WITHOUT_DEFAULT.has(pattern)))
          out.push(here.join('.'));
        continue;
      }
      out.push(...missingKeys(field, record[key], here));
    }
  } else if (def.type === 'array' && def.element && Array.isArray(value)) {
    value.forEach((item, i) =>
      out.push(...missingKeys(def.element as AnySchema, item, [...path, String(i)])),
    );
  }
  return out;
}
