/**
 * The experiment document's training section carries fields for the workflow (seed, checkpoint
 * cadence) next to sim-core's own; sim-core's options schema is strict, so a workflow-only field
 * that leaks through fails every training chunk. Every such field set at once must still parse.
 */
import { parseExperiment } from '../../experiment-spec/parse';
import { API_VERSION } from '../../experiment-spec/schema';
import { parseTrainingSessionOptions } from '../../sim-core';
import { trainingSessionOptions } from './experiment-jobs';

it('hands sim-core only the training options it knows, with every workflow-only field set', () => {
  const parsed = parseExperiment({
    apiVersion: API_VERSION,
    kind: 'training',
    name: 'all training fields',
    dataset: { name: 'mnist', train_size: 128, test_size: 64 },
    model: {
      layers: [
        { type: 'Flatten' },
        { type: 'AnalogLinear', in_features: 784, out_features: 10 },
        { type: 'LogSoftmax', dim: 1 },
      ],
    },
    training: { epochs: 2, batch_size: 32, seed: 9, checkpoint_every: 2, checkpoint_every_batches: 3 },
  });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  if (parsed.spec.kind !== 'training') throw new Error('a training experiment was expected');
  const options = parseTrainingSessionOptions(trainingSessionOptions(parsed.spec));
  expect(options.seed).toBe(9);
  expect(options.training.epochs).toBe(2);
  expect(options.training.batch_size).toBe(32);
});
