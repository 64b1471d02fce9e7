/**
 * Generates `docs/experiment-spec.md` from the schema itself: every section and field, its type,
 * default and allowed range come from the zod schemas; the meaning of each field (with its AIHWKit
 * meaning and unit) comes from `field-notes.ts`. A test regenerates the document and compares, so the
 * documentation cannot drift from the schema.
 */
import type { z } from 'zod';
import * as configs from '../../sim-core/configs';
import { DEFAULT_QUOTAS, quotasSchema } from '../quotas';
import { FIELD_RULES } from '../ranges';
import {
  API_VERSION,
  ExecutionSpec,
  InferenceEvaluationSpec,
  InferenceExperiment,
  InferenceRunSpec,
  TrainingExperiment,
  TrainingRunSpec,
  WeightsSpec,
} from '../schema';
import { defOf, unwrap } from '../zod-walk';
import { FIELD_NOTES, QUOTA_NOTES, SECTION_NOTES } from './field-notes';

type AnySchema = z.core.$ZodType;

/** Names for schemas: our exports and sim-core's, first name wins. */
function schemaNames(): Map<AnySchema, string> {
  const names = new Map<AnySchema, string>();
  const add = (name: string, value: unknown) => {
    if (typeof value === 'object' && value !== null && '_zod' in value && !names.has(value as AnySchema)) {
      names.set(value as AnySchema, name);
    }
  };
  const ours = {
    TrainingExperiment,
    InferenceExperiment,
    ExecutionSpec,
    TrainingRunSpec,
    InferenceEvaluationSpec,
    InferenceRunSpec,
    WeightsSpec,
  };
  for (const [kind, experiment] of [
    ['training', TrainingExperiment],
    ['inference', InferenceExperiment],
  ] as const) {
    const model = unwrap(experiment.shape.model as AnySchema);
    add(`Model (${kind})`, model);
    const layer = unwrap(defOf(unwrap(defOf(model).shape?.layers as AnySchema)).element as AnySchema);
    add(`Layer (${kind})`, layer);
    const [linear, conv] = defOf(layer).options ?? [];
    add(`AnalogLinear (${kind})`, linear);
    add(`AnalogConv2d (${kind})`, conv);
  }
  for (const [name, value] of Object.entries(ours)) add(name, value);
  for (const [name, value] of Object.entries(configs)) add(name, value);
  // A nullable or defaulted export names its inner schema too (SchedulerSpec, DriftCompensation).
  for (const [schema, name] of [...names]) add(name, unwrap(schema));
  return names;
}

interface Section {
  name: string;
  schema: AnySchema;
}

function checksOf(schema: AnySchema): string[] {
  const def = defOf(schema);
  const parts: string[] = [];
  for (const check of def.checks ?? []) {
    const c = check._zod.def as {
      check?: string;
      value?: unknown;
      inclusive?: boolean;
      minimum?: number;
      maximum?: number;
      length?: number;
    };
    if (c.check === 'greater_than') parts.push(`${c.inclusive ? '≥' : '>'} ${String(c.value)}`);
    if (c.check === 'less_than') parts.push(`${c.inclusive ? '≤' : '<'} ${String(c.value)}`);
    if (c.check === 'min_length') parts.push(`length ≥ ${String(c.minimum)}`);
    if (c.check === 'max_length') parts.push(`length ≤ ${String(c.maximum)}`);
    if (c.check === 'length_equals') parts.push(`length ${String(c.length)}`);
  }
  return parts;
}

const INLINE_WRAPPERS = new Set([
  'default',
  'prefault',
  'optional',
  'nullable',
  'readonly',
  'catch',
  'nonoptional',
  'pipe',
  'lazy',
]);

class DocBuilder {
  private readonly names = schemaNames();
  private readonly queued = new Set<AnySchema>();
  readonly sections: Section[] = [];
  private anonymous = 0;

  /** The section name of an object or union schema (queued for its own section). */
  private sectionFor(schema: AnySchema, hint: string): string {
    const inner = unwrap(schema);
    const existing = this.sections.find((s) => s.schema === inner);
    if (existing) return existing.name;
    let name = this.names.get(inner) ?? this.names.get(schema);
    if (!name) {
      // An unnamed object: named by its tag (`type`), or by its parent and its literal field.
      const shape = defOf(inner).shape ?? {};
      const tagged = Object.entries(shape).find(([, field]) => literalOf(field) !== undefined);
      if (tagged && tagged[0] === 'type') name = String(literalOf(tagged[1]));
      else if (tagged) name = `${hint} (${tagged[0]} ${JSON.stringify(literalOf(tagged[1]))})`;
      else name = hint;
      if (this.sections.some((s) => s.name === name)) name = `${name} (${++this.anonymous})`;
    }
    this.queued.add(inner);
    this.sections.push({ name, schema: inner });
    return name;
  }

  typeText(schema: AnySchema, hint: string): string {
    const def = defOf(schema);
    if (INLINE_WRAPPERS.has(def.type)) {
      if (def.type === 'nullable' && def.innerType) return `${this.typeText(def.innerType, hint)} or null`;
      if (def.type === 'pipe' && def.in) return this.typeText(def.in, hint);
      if (def.type === 'lazy' && def.getter) return this.typeText(def.getter(), hint);
      return def.innerType ? this.typeText(def.innerType, hint) : def.type;
    }
    switch (def.type) {
      case 'number': {
        const integer =
          def.format === 'safeint' ||
          (def.checks ?? []).some((c) => (c._zod.def as { format?: string }).format === 'safeint');
        return integer ? 'integer' : 'number';
      }
      case 'string':
        return 'string';
      case 'boolean':
        return 'boolean';
      case 'null':
        return 'null';
      case 'literal':
        return (def.values ?? []).map((v) => `\`${JSON.stringify(v)}\``).join(' or ');
      case 'enum':
        return Object.values(def.entries ?? {})
          .map((v) => `\`${String(v)}\``)
          .join(', ');
      case 'array':
        return `list of ${this.typeText(def.element as AnySchema, hint)}`;
      case 'tuple':
        return `[${(def.items ?? []).map((i) => this.typeText(i, hint)).join(', ')}]`;
      case 'record':
        return `object of ${this.typeText((def as unknown as { valueType: AnySchema }).valueType, hint)}`;
      case 'object':
        return `[${this.sectionFor(schema, hint)}](#${anchor(this.sectionFor(schema, hint))})`;
      case 'union': {
        const options = def.options ?? [];
        if (def.discriminator || options.every((o) => defOf(unwrap(o)).type === 'object')) {
          const name = this.sectionFor(schema, hint);
          return `[${name}](#${anchor(name)})`;
        }
        return options.map((o) => this.typeText(o, hint)).join(' or ');
      }
      default:
        return def.type;
    }
  }

  /** Markdown of one section. */
  render(section: Section): string {
    const def = defOf(section.schema);
    const lines: string[] = [`### ${section.name}`, ''];
    const note = SECTION_NOTES[section.name];
    if (note) lines.push(note, '');
    if (def.type === 'union') {
      const options = (def.options ?? []).map((o) => this.typeText(o, section.name));
      const by = def.discriminator ? ` (chosen by \`${def.discriminator}\`)` : '';
      lines.push(`One of${by}: ${options.join(', ')}.`, '');
      return lines.join('\n');
    }
    if (def.type !== 'object' || !def.shape) return lines.join('\n');
    lines.push('| field | type | default | allowed | meaning |', '|---|---|---|---|---|');
    for (const [key, field] of Object.entries(def.shape)) {
      const meaning = noteFor(section.name, key);
      lines.push(
        `| \`${key}\` | ${cell(this.typeText(field, key))} | ${cell(defaultText(field))} | ${cell(allowedText(field, key, section.name))} | ${cell(meaning ?? '')} |`,
      );
    }
    lines.push('');
    return lines.join('\n');
  }
}

/** A table cell: a literal `|` would end the cell. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

function literalOf(schema: AnySchema): unknown {
  const def = defOf(unwrap(schema));
  return def.type === 'literal' ? def.values?.[0] : undefined;
}

export function anchor(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9 -]/g, '')
    .replace(/ /g, '-');
}

function defaultText(schema: AnySchema): string {
  const def = defOf(schema);
  if (def.type === 'default') {
    const value =
      typeof def.defaultValue === 'function' ? (def.defaultValue as () => unknown)() : def.defaultValue;
    const text = JSON.stringify(value);
    return text.length > 60 ? `\`${text.slice(0, 57)}…\`` : `\`${text}\``;
  }
  if (def.type === 'prefault') {
    const value =
      typeof def.defaultValue === 'function' ? (def.defaultValue as () => unknown)() : def.defaultValue;
    const type = typeof value === 'object' && value !== null ? (value as { type?: unknown }).type : undefined;
    return type ? `\`${String(type)}\` with its defaults` : 'all defaults';
  }
  if (def.type === 'optional') return '(optional)';
  return '**required**';
}

function allowedText(schema: AnySchema, key: string, section: string): string {
  const parts: string[] = [];
  let current: AnySchema | undefined = schema;
  for (let i = 0; i < 8 && current; i++) {
    const def = defOf(current);
    parts.push(...checksOf(current));
    if (def.type === 'array' && def.element) parts.push(...checksOf(def.element).map((c) => `each ${c}`));
    current = INLINE_WRAPPERS.has(def.type) ? (def.innerType ?? def.in) : undefined;
  }
  for (const rule of FIELD_RULES) {
    const applies = rule.keys instanceof RegExp ? rule.keys.test(key) : rule.keys.includes(key);
    if (applies && (!rule.sections || rule.sections.includes(section))) parts.push(rule.rule);
  }
  return parts.join('; ');
}

function noteFor(section: string, key: string): string | undefined {
  return FIELD_NOTES[`${section}.${key}`] ?? FIELD_NOTES[key];
}

/** Every (section, field) pair of the document. */
export function documentedFields(): { section: string; key: string }[] {
  const builder = new DocBuilder();
  collect(builder);
  const out: { section: string; key: string }[] = [];
  for (const section of builder.sections) {
    const def = defOf(section.schema);
    if (def.type !== 'object' || !def.shape) continue;
    for (const key of Object.keys(def.shape)) out.push({ section: section.name, key });
  }
  return out;
}

/** Fields without a meaning: the documentation test requires none. */
export function undocumentedFields(): string[] {
  return documentedFields()
    .filter(({ section, key }) => !noteFor(section, key))
    .map(({ section, key }) => `${section}.${key}`);
}

/** Notes that match no field (left behind by a renamed field): the documentation test requires none. */
export function unusedNotes(): string[] {
  const fields = documentedFields();
  return Object.keys(FIELD_NOTES).filter((note) =>
    note.includes('.')
      ? !fields.some(({ section, key }) => `${section}.${key}` === note)
      : !fields.some(({ section, key }) => key === note && FIELD_NOTES[`${section}.${key}`] === undefined),
  );
}

function collect(builder: DocBuilder): void {
  builder.typeText(TrainingExperiment, 'TrainingExperiment');
  builder.typeText(InferenceExperiment, 'InferenceExperiment');
  // Rendering discovers nested sections; keep going until no new section appears.
  for (let i = 0; i < builder.sections.length; i++) builder.render(builder.sections[i]);
}

/** The whole document. */
export function generateSpecDocs(): string {
  const builder = new DocBuilder();
  collect(builder);
  const quotas = Object.entries(quotasSchema.shape)
    .map(
      ([key]) =>
        `| \`${key}\` | ${String(DEFAULT_QUOTAS[key as keyof typeof DEFAULT_QUOTAS])} | ${QUOTA_NOTES[key] ?? ''} |`,
    )
    .join('\n');
  const rules = FIELD_RULES.map(
    (r) =>
      `  - ${Array.isArray(r.keys) ? r.keys.map((k) => `\`${k}\``).join(', ') : `keys matching \`${String(r.keys)}\``}: ${r.rule}.`,
  ).join('\n');
  return [
    '# The experiment document',
    '',
    '<!-- Generated by `npm run docs:spec` from experiment-spec/ (schemas) and experiment-spec/docs/field-notes.ts. Do not edit by hand: a test compares this file with the generator. -->',
    '',
    `An experiment is a JSON document (\`apiVersion: "${API_VERSION}"\`) of one of two kinds: \`training\` trains a`,
    'model (and may run a drift study afterwards), `inference` programs trained weights onto analog tiles and',
    'evaluates them while they drift. Users never send code. Names and defaults follow IBM AIHWKit 1.1; the',
    'reference for their meaning is `analog-simulation.md` (§ numbers below).',
    '',
    'Rules that hold for every document:',
    '',
    '- **Strict**: a key the schema does not know is an error (with a "did you mean" suggestion), never ignored.',
    '- **Defaults are written down**: the stored form of an experiment has every default filled in and every preset',
    '  name expanded, so it states every value the run used. Send only what differs from the defaults.',
    '- **Presets**: wherever an RPU configuration goes, an AIHWKit preset class name may stand instead',
    '  (e.g. `"rpu_config": "ReRamESPreset"`); an inference experiment accepts the InferenceRPUConfig presets only.',
    "- **Per-layer configurations**: an analog layer without `rpu_config` uses the experiment's `rpu_config`.",
    '- **Validation** reports every problem at once, each with a JSON path (`$.model.layers[2].in_features`), a',
    '  message and the allowed range; see "Semantic checks" and "Resource limits" at the end.',
    '',
    '## Sections',
    '',
    ...builder.sections.map((s) => `- [${s.name}](#${anchor(s.name)})`),
    '',
    '## Fields',
    '',
    ...builder.sections.map((s) => builder.render(s)),
    '## Semantic checks',
    '',
    "Beyond each field's own type and range, the validator checks:",
    '',
    "- **Shapes** through the layer list with torch's size rules: convolution and pooling output sizes, `in_features`",
    '  and `in_channels` against what the previous layer produces, Flatten, BatchNorm2d channels, and the last layer',
    '  against the number of classes of the data set (MNIST and Fashion-MNIST: 1×28×28 images, 10 classes).',
    '- **Compatibility**: noise models, drift compensation, clipping, remapping and weight modifiers only in an',
    '  InferenceRPUConfig; a drift study after training only when every analog layer uses InferenceRPUConfig; an',
    '  inference experiment needs at least one analog layer; `t_inference` non-negative and strictly increasing;',
    '  `ReRamWan2022NoiseModel` only at the times of its coefficient table; `inp_bound` 1 under noise management;',
    '  device bounds with `w_min` ≤ 0 ≤ `w_max` and `w_min` < `w_max`; device types sim-core does not simulate.',
    '- **Ranges across a configuration** (wherever the key appears, devices inside compounds included):',
    rules,
    '  - `w_min` < `w_max`, `dw_min` ≤ `w_max` − `w_min` (at least one step), `refresh_lower_thres` < `refresh_upper_thres`,',
    '    clipping `FIXED_VALUE` with `fixed_value` > 0.',
    "- **Weights**: an inference experiment's `weights.experiment_id` must name a completed training experiment of",
    "  the same user whose weight layers match the model (another user's experiment reads as not found).",
    '',
    '## Resource limits',
    '',
    'Configurable quotas (the API and the validate activity pass them in); defaults:',
    '',
    '| quota | default | what it bounds |',
    '|---|---|---|',
    quotas,
    '',
  ].join('\n');
}
