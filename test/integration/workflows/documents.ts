/**
 * The experiments the workflow integration tests submit: a small MLP on MNIST subsets, sized so each
 * epoch (one checkpointed chunk) of 256 images takes a fraction of a second; tests that must act inside
 * a chunk (pause, cancel, kill) use larger training subsets.
 */
import { API_VERSION } from '../../../experiment-spec/schema';

export const MLP = [
  { type: 'Flatten' },
  { type: 'AnalogLinear', in_features: 784, out_features: 32 },
  { type: 'Sigmoid' },
  { type: 'AnalogLinear', in_features: 32, out_features: 10 },
  { type: 'LogSoftmax', dim: 1 },
];

export interface TrainingOptions {
  epochs: number;
  trainSize?: number;
  testSize?: number;
  queue?: string;
  seed?: number;
  /** A drift study after training (the analog layers then train as InferenceRPUConfig: HWA training). */
  inference?: { t_inference: number[]; repeats: number };
}

export function trainingDocument(o: TrainingOptions) {
  return {
    apiVersion: API_VERSION,
    kind: 'training',
    name: `mlp ${o.epochs} epochs`,
    dataset: { name: 'mnist', train_size: o.trainSize ?? 256, test_size: o.testSize ?? 256 },
    model: { layers: MLP },
    rpu_config: { type: o.inference ? 'InferenceRPUConfig' : 'SingleRPUConfig' },
    training: { epochs: o.epochs, batch_size: 32, seed: o.seed ?? 7 },
    ...(o.inference ? { inference: o.inference } : {}),
    execution: { queue: o.queue ?? 'cpu' },
  };
}

export function inferenceDocument(o: {
  weightsFrom: string;
  queue: string;
  t_inference: number[];
  repeats: number;
  testSize?: number;
}) {
  return {
    apiVersion: API_VERSION,
    kind: 'inference',
    name: `inference on ${o.queue}`,
    dataset: { name: 'mnist', train_size: 256, test_size: o.testSize ?? 256 },
    model: { layers: MLP },
    weights: { source: 'experiment', experiment_id: o.weightsFrom },
    inference: { t_inference: o.t_inference, repeats: o.repeats, seed: 3 },
    execution: { queue: o.queue },
  };
}
