/** The experiments the workflow benchmark submits (as users would write them). */
import { API_VERSION } from '../../experiment-spec/schema';
import { fcMnistSpecs } from '../../sim-core/layers/reference-models';

/** AIHWKit's 3-layer FC network (examples 01/03) for one epoch on MNIST, training only. */
export function fcExperiment({ trainSize, testSize }: { trainSize: number; testSize: number }) {
  return {
    apiVersion: API_VERSION,
    kind: 'training',
    name: 'bench: FC 1 epoch',
    dataset: { name: 'mnist', train_size: trainSize, test_size: testSize },
    model: {
      layers: fcMnistSpecs(true),
    },
    rpu_config: { type: 'SingleRPUConfig' },
    training: { epochs: 1, batch_size: 64, seed: 1 },
    execution: { queue: 'cpu' },
  };
}

/**
 * A tiny experiment: one epoch of 64 images; with `driftStudy`, hardware-aware training and a
 * two-point drift study (every workflow step, in seconds).
 */
export function tinyExperiment(name: string, { driftStudy = true }: { driftStudy?: boolean } = {}) {
  return {
    apiVersion: API_VERSION,
    kind: 'training',
    name: `bench: ${name}`,
    dataset: { name: 'mnist', train_size: 64, test_size: 64 },
    model: {
      layers: [
        { type: 'Flatten' },
        { type: 'AnalogLinear', in_features: 784, out_features: 10 },
        { type: 'LogSoftmax', dim: 1 },
      ],
    },
    rpu_config: { type: driftStudy ? 'InferenceRPUConfig' : 'SingleRPUConfig' },
    training: { epochs: 1, batch_size: 32, seed: 1 },
    ...(driftStudy ? { inference: { t_inference: [0, 3600], repeats: 1 } } : {}),
    execution: { queue: 'cpu' },
  };
}
