/**
 * JSON Schema of the experiment document, generated from the zod schema (the source of truth) for the
 * web composer's forms and the CLI's editor support. Definitions are named after sim-core's schemas
 * (`IOParameters`, `SingleRPUConfig`, …) so the schema reads like AIHWKit's vocabulary.
 */
import { z } from 'zod';
import * as configs from '../sim-core/configs';
import {
  API_VERSION,
  Experiment,
  ExperimentInput,
  ExecutionSpec,
  InferenceEvaluationSpec,
  InferenceRunSpec,
  TrainingRunSpec,
  WeightsSpec,
} from './schema';

function isSchema(value: unknown): value is z.ZodType {
  return value instanceof z.ZodType;
}

/** A registry naming every exported schema of sim-core/configs and ours. */
function namedSchemas(): z.core.$ZodRegistry<{ id: string }> {
  const registry = z.registry<{ id: string }>();
  const seen = new Set<unknown>();
  const add = (name: string, schema: unknown) => {
    if (!isSchema(schema) || seen.has(schema)) return;
    seen.add(schema);
    registry.add(schema, { id: name });
  };
  for (const [name, value] of Object.entries({
    ExecutionSpec,
    InferenceEvaluationSpec,
    InferenceRunSpec,
    TrainingRunSpec,
    WeightsSpec,
  }))
    add(name, value);
  for (const [name, value] of Object.entries(configs)) add(name, value);
  return registry;
}

export type JsonSchema = Record<string, unknown>;

/**
 * The JSON Schema (draft 2020-12) of what users send (`io: 'input'`: fields with defaults are optional,
 * preset names allowed) or, with `form: 'stored'`, of a stored experiment (every field present).
 */
export function experimentJsonSchema(form: 'input' | 'stored' = 'input'): JsonSchema {
  const schema = form === 'input' ? ExperimentInput : Experiment;
  const generated = z.toJSONSchema(schema, {
    io: form === 'input' ? 'input' : 'output',
    reused: 'ref',
    metadata: namedSchemas(),
    unrepresentable: 'any',
  }) as JsonSchema;
  return {
    $id: `https://analog-composer.dev/schemas/${API_VERSION}/${form === 'input' ? 'experiment' : 'stored-experiment'}.json`,
    title: form === 'input' ? 'Analog Composer experiment' : 'Analog Composer experiment (stored form)',
    description:
      'An analog in-memory-computing experiment: a training or inference run of a layer list on a data set with ' +
      'AIHWKit RPU configurations. Fields with a default may be left out; names follow AIHWKit.',
    ...generated,
  };
}
