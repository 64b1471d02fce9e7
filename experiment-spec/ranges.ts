/**
 * Range rules that hold wherever an AIHWKit parameter appears in an RPU configuration (devices nested in
 * compounds, forward/backward/transfer IO, update parameters), beyond what each field's schema says
 * alone: probabilities in [0, 1], DAC/ADC resolutions in a meaningful range, device bounds ordered and
 * wide enough for at least one step. One table, applied by walking the configuration, and listed in
 * the documentation.
 */
import {
  type AllowedRange,
  type PathSegment,
  type SpecIssue,
  describeAllowed,
  describeValue,
  issue,
} from './issues';

export interface FieldRule {
  /** Which keys it applies to. */
  keys: readonly string[] | RegExp;
  /** The rule in words, for the documentation. */
  rule: string;
  /** Only inside these schemas (by name, for the documentation); the check itself tests its owner. */
  sections?: readonly string[];
  check: (
    value: unknown,
    owner: Record<string, unknown>,
  ) => { message: string; allowed?: AllowedRange } | undefined;
}

const MIN_RES = 2 ** -24;
const MAX_STEPS = 2 ** 24;

function inRange(value: number, allowed: AllowedRange): boolean {
  if (
    allowed.min !== undefined &&
    (allowed.minInclusive === false ? value <= allowed.min : value < allowed.min)
  )
    return false;
  if (
    allowed.max !== undefined &&
    (allowed.maxInclusive === false ? value >= allowed.max : value > allowed.max)
  )
    return false;
  return true;
}

const PROBABILITY: AllowedRange = { min: 0, max: 1 };

export const FIELD_RULES: readonly FieldRule[] = [
  {
    keys: /(^|_)prob(_|$)|^pdrop$|^pcm_prob_at_/,
    rule: 'a probability: between 0 and 1',
    check: (value) =>
      typeof value === 'number' && !inRange(value, PROBABILITY)
        ? { message: `is a probability and must be ${describeAllowed(PROBABILITY)}`, allowed: PROBABILITY }
        : undefined,
  },
  {
    keys: ['inp_res', 'out_res'],
    rule:
      '≤ 0 turns quantisation off; a value in [2⁻²⁴, 1] is the step as a fraction of the full range (2·bound); ' +
      'a value in (1, 2²⁴] is a number of steps (AIHWKit uses 1/value)',
    check: (value) => {
      if (typeof value !== 'number' || value <= 0) return undefined;
      if (value < MIN_RES) {
        return {
          message: `${describeValue(value)} is a step below 2⁻²⁴ of the range, finer than 32-bit floats resolve; use ≤ 0 to turn quantisation off`,
          allowed: { min: MIN_RES, max: MAX_STEPS },
        };
      }
      if (value > MAX_STEPS) {
        return {
          message: `${describeValue(value)} steps is more than 2²⁴; use ≤ 0 to turn quantisation off`,
          allowed: { min: MIN_RES, max: MAX_STEPS },
        };
      }
      return undefined;
    },
  },
  {
    keys: ['res', 'x_res_implicit', 'd_res_implicit'],
    sections: ['UpdateParameters'],
    rule:
      'pulse-probability resolution of the update: ≤ 0 continuous, else at most 1 (unlike the IO resolutions, ' +
      'AIHWKit does not read values > 1 as a number of steps)',
    check: (value, owner) => {
      // Only the update parameters (they carry desired_bl); the weight modifier's `res` follows other rules.
      if (!('desired_bl' in owner) || typeof value !== 'number' || value <= 1) return undefined;
      return {
        message: `must be at most 1: AIHWKit does not convert update resolutions > 1 into 1/value (reference §2.3); write ${1 / value} for ${value} steps`,
        allowed: { max: 1 },
      };
    },
  },
];

/** Rules that relate fields of one object (device bounds, refresh thresholds, clipping). */
function objectRules(owner: Record<string, unknown>, path: PathSegment[]): SpecIssue[] {
  const out: SpecIssue[] = [];
  const { w_min: wMin, w_max: wMax, dw_min: dwMin } = owner;
  if (typeof wMin === 'number' && typeof wMax === 'number') {
    if (!(wMin < wMax)) {
      out.push(
        issue([...path, 'w_min'], 'out_of_range', `w_min (${wMin}) must be smaller than w_max (${wMax})`, {
          allowed: { max: wMax, maxInclusive: false },
        }),
      );
    } else if (typeof dwMin === 'number' && dwMin > wMax - wMin) {
      out.push(
        issue(
          [...path, 'dw_min'],
          'out_of_range',
          `dw_min (${dwMin}) is larger than the weight range w_max − w_min = ${wMax - wMin}: the device would have less than one state`,
          { allowed: { min: 0, minInclusive: false, max: wMax - wMin } },
        ),
      );
    }
  }
  const { refresh_lower_thres: lower, refresh_upper_thres: upper } = owner;
  if (typeof lower === 'number' && typeof upper === 'number' && !(lower < upper)) {
    out.push(
      issue(
        [...path, 'refresh_lower_thres'],
        'out_of_range',
        `refresh_lower_thres (${lower}) must be below refresh_upper_thres (${upper})`,
        {
          allowed: { max: upper, maxInclusive: false },
        },
      ),
    );
  }
  if (
    owner.type === 'FIXED_VALUE' &&
    typeof owner.fixed_value === 'number' &&
    owner.fixed_value <= 0 &&
    'sigma' in owner
  ) {
    out.push(
      issue(
        [...path, 'fixed_value'],
        'out_of_range',
        `clipping type FIXED_VALUE needs fixed_value > 0 (got ${owner.fixed_value})`,
        {
          allowed: { min: 0, minInclusive: false },
        },
      ),
    );
  }
  return out;
}

function appliesTo(rule: FieldRule, key: string): boolean {
  return rule.keys instanceof RegExp ? rule.keys.test(key) : rule.keys.includes(key);
}

/** Every range problem inside `value` (an RPU configuration or any part of one). */
export function rangeIssues(value: unknown, path: readonly PathSegment[]): SpecIssue[] {
  const out: SpecIssue[] = [];
  const stack: { value: unknown; path: PathSegment[] }[] = [{ value, path: [...path] }];
  while (stack.length > 0) {
    const frame = stack.pop() as { value: unknown; path: PathSegment[] };
    const current = frame.value;
    if (Array.isArray(current)) {
      current.forEach((item, i) => stack.push({ value: item, path: [...frame.path, i] }));
      continue;
    }
    if (typeof current !== 'object' || current === null) continue;
    const owner = current as Record<string, unknown>;
    out.push(...objectRules(owner, frame.path));
    for (const [key, field] of Object.entries(owner)) {
      for (const rule of FIELD_RULES) {
        if (!appliesTo(rule, key)) continue;
        const problem = rule.check(field, owner);
        if (problem) {
          out.push(
            issue([...frame.path, key], 'out_of_range', `${key} ${problem.message}`, {
              allowed: problem.allowed,
            }),
          );
        }
      }
      if (typeof field === 'object' && field !== null)
        stack.push({ value: field, path: [...frame.path, key] });
    }
  }
  return out;
}
