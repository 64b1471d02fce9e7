import { parseExperiment } from '../../experiment-spec/parse';
import { API_VERSION } from '../../experiment-spec/schema';
import { describeIssues, planFor } from './validate-activity';

const layers = [
  { type: 'Flatten' },
  { type: 'AnalogLinear', in_features: 784, out_features: 10 },
  { type: 'LogSoftmax', dim: 1 },
];

function parse(document: unknown) {
  const parsed = parseExperiment(document);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  return parsed.spec;
}

const training = (queue: string) => ({
  apiVersion: API_VERSION,
  kind: 'training',
  name: 't',
  dataset: { name: 'mnist', train_size: 256, test_size: 256 },
  model: { layers },
  rpu_config: { type: 'InferenceRPUConfig' },
  training: { epochs: 4, batch_size: 32, checkpoint_every: 2 },
  inference: { t_inference: [0, 60], repeats: 3 },
  execution: { queue },
});

describe('the validate activity', () => {
  it('plans a training experiment: chunks of checkpoint_every epochs, then a drift study of its own weights', () => {
    expect(planFor(parse(training('gpu')))).toEqual({
      kind: 'training',
      queue: 'gpu',
      dataset: 'mnist',
      training: { epochs: 4, chunk: { epochs: 2 } },
      inference: { weights: { source: 'training' }, tInference: [0, 60], repeats: 3 },
    });
  });

  it('plans chunks of a number of mini-batches where checkpoint_every_batches is set', () => {
    const doc = training('cpu');
    const plan = planFor(parse({ ...doc, training: { ...doc.training, checkpoint_every_batches: 100 } }));
    expect(plan.training).toEqual({ epochs: 4, chunk: { batches: 100 } });
  });

  it('plans an inference experiment on the weights it names', () => {
    const plan = planFor(
      parse({
        apiVersion: API_VERSION,
        kind: 'inference',
        name: 'i',
        dataset: { name: 'mnist', test_size: 128 },
        model: { layers },
        weights: { source: 'experiment', experiment_id: 'abc' },
        inference: { t_inference: [0, 1, 10], repeats: 2 },
        execution: { queue: 'imc' },
      }),
    );
    expect(plan).toEqual({
      kind: 'inference',
      queue: 'imc',
      dataset: 'mnist',
      training: null,
      inference: {
        weights: { source: 'experiment', experimentId: 'abc', remap: true },
        tInference: [0, 1, 10],
        repeats: 2,
      },
    });
  });

  it('lists every error with its path in the failure message, and leaves warnings out', () => {
    expect(
      describeIssues([
        { path: '$.a', segments: ['a'], code: 'missing', severity: 'error', message: 'a is required' },
        { path: '$.b', segments: ['b'], code: 'quota', severity: 'warning', message: 'b is big' },
        { path: '$.c', segments: ['c'], code: 'out_of_range', severity: 'error', message: 'c is too small' },
      ]),
    ).toBe('2 problems: $.a: a is required; $.c: c is too small');
  });
});
