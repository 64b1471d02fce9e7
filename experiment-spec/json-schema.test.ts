import Ajv2020 from 'ajv/dist/2020';
import { PRESET_EXPERIMENTS } from './gallery';
import { experimentJsonSchema } from './json-schema';
import { validateExperiment } from './validate';

/** Every object schema in `schema` (walks properties, items, oneOf/anyOf/allOf and $defs). */
function objectSchemas(schema: unknown, out: Record<string, unknown>[] = []): Record<string, unknown>[] {
  if (Array.isArray(schema)) schema.forEach((s) => objectSchemas(s, out));
  else if (schema && typeof schema === 'object') {
    const record = schema as Record<string, unknown>;
    if (record.type === 'object' && record.properties) out.push(record);
    for (const value of Object.values(record)) objectSchemas(value, out);
  }
  return out;
}

describe('JSON Schema export', () => {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  const input = ajv.compile(experimentJsonSchema('input'));
  const stored = ajv.compile(experimentJsonSchema('stored'));

  it('is strict everywhere: no object accepts unknown keys', () => {
    const objects = objectSchemas(experimentJsonSchema('input'));
    expect(objects.length).toBeGreaterThan(50);
    expect(objects.filter((o) => o.additionalProperties !== false)).toEqual([]);
  });

  it.each(PRESET_EXPERIMENTS.map((p) => [p.id, p] as const))(
    'accepts gallery experiment %s, and its stored form',
    (_id, preset) => {
      expect(input(preset.document) ? [] : input.errors).toEqual([]);
      const result = validateExperiment(preset.document);
      if (!result.ok) throw new Error('invalid preset');
      expect(stored(JSON.parse(JSON.stringify(result.spec))) ? [] : stored.errors).toEqual([]);
    },
  );

  it('rejects what the validator rejects structurally: unknown keys, wrong types, unknown layer types', () => {
    const doc = JSON.parse(JSON.stringify(PRESET_EXPERIMENTS[0].document)) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(input({ ...doc, ephocs: 3 })).toBe(false);
    expect(input({ ...doc, training: { ...doc.training, epochs: '3' } })).toBe(false);
    expect(input({ ...doc, model: { layers: [{ type: 'AnalogLinaer' }] } })).toBe(false);
    expect(input({ ...doc, rpu_config: { type: 'SingleRPUConfig', noise_model: {} } })).toBe(false);
  });

  it('names its definitions after the simulation vocabulary', () => {
    const defs = Object.keys(experimentJsonSchema().$defs as Record<string, unknown>);
    expect(defs).toEqual(
      expect.arrayContaining([
        'IOParameters',
        'UpdateParameters',
        'SingleRPUConfig',
        'InferenceRPUConfig',
        'PCMLikeNoiseModel',
      ]),
    );
  });
});
