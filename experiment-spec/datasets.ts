/**
 * Facts about the data sets the schema names (sim-core's `DatasetSpec`), which the validator needs for
 * shape inference and resource limits: per-sample input shape, number of classes, split sizes.
 * Keyed by sim-core's `DatasetName`, so a data set added there fails to compile here until described.
 */
import type { DatasetName } from '../sim-core/configs';

export interface DatasetFacts {
  title: string;
  /** Per-sample shape [channels, height, width]. */
  inputShape: readonly [number, number, number];
  classes: number;
  trainSize: number;
  testSize: number;
}

export const DATASET_FACTS: Record<DatasetName, DatasetFacts> = {
  mnist: { title: 'MNIST', inputShape: [1, 28, 28], classes: 10, trainSize: 60_000, testSize: 10_000 },
  fashion_mnist: {
    title: 'Fashion-MNIST',
    inputShape: [1, 28, 28],
    classes: 10,
    trainSize: 60_000,
    testSize: 10_000,
  },
};

export function datasetFacts(name: unknown): DatasetFacts | undefined {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(DATASET_FACTS, name)
    ? DATASET_FACTS[name as DatasetName]
    : undefined;
}

/** Training samples a run presents per epoch (the subset size, or the whole split). */
export function trainSamples(dataset: { name: string; train_size: number | null }): number | undefined {
  const facts = datasetFacts(dataset.name);
  if (!facts) return undefined;
  return dataset.train_size === null ? facts.trainSize : Math.min(dataset.train_size, facts.trainSize);
}

/** Test samples one evaluation uses. */
export function testSamples(dataset: { name: string; test_size: number | null }): number | undefined {
  const facts = datasetFacts(dataset.name);
  if (!facts) return undefined;
  return dataset.test_size === null ? facts.testSize : Math.min(dataset.test_size, facts.testSize);
}
