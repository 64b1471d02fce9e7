/**
 * A cheap look at a document before the schema sees it: bounded size and depth, no cycles, only JSON
 * values. It bounds the validator's time on any input (a million-element list or a 10,000-deep nesting
 * is refused here in linear time, without recursion) and keeps non-JSON values (functions, symbols,
 * BigInts, class instances) from reaching the schema. An object that refers to itself (only possible
 * for objects built in code) exceeds the depth limit. Shared sub-objects are fine.
 */
import { type PathSegment, type SpecIssue, issue } from './issues';

export interface DocumentLimits {
  /**
   * Objects, arrays and scalars together. 64 analog layers (the default layer quota), each with its own
   * configuration of the largest preset (Capacitor4Preset: 313 values), come to about 20,000.
   */
  maxNodes: number;
  maxDepth: number;
  maxStringLength: number;
  /** Keys of one object. */
  maxKeys: number;
}

export const DEFAULT_DOCUMENT_LIMITS: DocumentLimits = {
  maxNodes: 32_000,
  maxDepth: 48,
  maxStringLength: 100_000,
  maxKeys: 2_000,
};

/** Problems that stop the examination (empty: the document may be parsed). Never throws. */
export function prescanDocument(
  document: unknown,
  limits: DocumentLimits = DEFAULT_DOCUMENT_LIMITS,
): SpecIssue[] {
  try {
    return scan(document, limits);
  } catch (error) {
    return [
      issue(
        [],
        'internal',
        `the document could not be read: ${error instanceof Error ? error.message : String(error)}`,
      ),
    ];
  }
}

interface Frame {
  value: unknown;
  path: PathSegment[];
}

function scan(document: unknown, limits: DocumentLimits): SpecIssue[] {
  const stack: Frame[] = [{ value: document, path: [] }];
  let nodes = 0;
  while (stack.length > 0) {
    const { value, path } = stack.pop() as Frame;
    nodes++;
    if (nodes > limits.maxNodes) {
      return [
        issue(
          [],
          'too_large',
          `the document has more than ${limits.maxNodes} values; an experiment needs far fewer`,
        ),
      ];
    }
    if (path.length > limits.maxDepth) {
      return [
        issue(
          path.slice(0, limits.maxDepth),
          'too_large',
          `the document is nested deeper than ${limits.maxDepth} levels (or refers to itself)`,
          {
            allowed: { max: limits.maxDepth },
          },
        ),
      ];
    }
    switch (typeof value) {
      case 'string':
        if (value.length > limits.maxStringLength) {
          return [
            issue(
              path,
              'too_large',
              `a string of ${value.length} characters; at most ${limits.maxStringLength} are accepted`,
              {
                allowed: { max: limits.maxStringLength },
              },
            ),
          ];
        }
        continue;
      case 'number':
      case 'boolean':
      case 'undefined':
        continue;
      case 'object':
        break;
      default:
        return [issue(path, 'invalid_type', `a ${typeof value} is not a JSON value`)];
    }
    if (value === null) continue;
    if (Array.isArray(value)) {
      if (value.length > limits.maxNodes) {
        return [issue(path, 'too_large', `a list of ${value.length} items is far beyond any experiment`)];
      }
      for (let i = value.length - 1; i >= 0; i--) stack.push({ value: value[i], path: [...path, i] });
      continue;
    }
    // A plain object's prototype is some realm's Object.prototype (whose own prototype is null): the
    // workflow sandbox and jest run code in other realms, so comparing with our Object.prototype is wrong.
    const prototype = Object.getPrototypeOf(value) as object | null;
    if (prototype !== null && Object.getPrototypeOf(prototype) !== null) {
      return [
        issue(path, 'invalid_type', 'only plain JSON objects are accepted (got an instance of a class)'),
      ];
    }
    const keys = Object.keys(value);
    if (keys.length > limits.maxKeys) {
      return [
        issue(
          path,
          'too_large',
          `an object with ${keys.length} keys; at most ${limits.maxKeys} are accepted`,
        ),
      ];
    }
    for (let k = keys.length - 1; k >= 0; k--) {
      const key = keys[k];
      stack.push({ value: (value as Record<string, unknown>)[key], path: [...path, key] });
    }
  }
  return [];
}
