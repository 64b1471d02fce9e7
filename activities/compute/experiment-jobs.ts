/**
 * The compute jobs of an experiment on sim-core, run inside compute threads: a training chunk,
 * programming the weights, the drift study. `init` starts the tensor backend the queue asks for
 * (cpu: the best CPU backend; gpu: WebGPU only, failing when there is no adapter; imc: the CPU
 * backend driving the IMC hardware backend's emulator).
 */
import { initBackend } from '../../sim-core/backend/backend';
import {
  TrainingSession,
  type EpochMetrics,
  type ExportedWeights,
} from '../../sim-core/experiment/training-session';
import { histogram } from '../../sim-core/inference/histogram';
import type { Histogram } from '../../experiment-spec/results';
import type { TrainingSessionOptionsInput } from '../../sim-core/experiment/options';
import { SIM_CORE_VERSION } from '../../sim-core/version';
import { parseExperiment } from '../../experiment-spec/parse';
import type { ExperimentSpec, TrainingExperiment } from '../../experiment-spec/schema';
import { EMULATOR_CHIP } from '../../imc/emulator-chip';
import type { ComputeModule } from './thread-runtime';
import type { ComputeTarget, ComputeThreadInfo, ExperimentJobs, TrainChunkOutput } from './catalog';
import { encodeWeights } from './weights-codec';

/** Errors named like this are not retried (see activities/experiment/run-compute.ts). */
class JobError extends Error {
  constructor(name: 'InvalidExperiment' | 'Unsupported', message: string) {
    super(message);
    this.name = name;
  }
}

class AbortedError extends Error {
  constructor() {
    super('the job was cancelled');
    this.name = 'Aborted';
  }
}

let dataCacheDir: string | undefined;

const HISTOGRAM_BINS = 40;

/** The stored experiment document, typed (it was validated before the workflow got this far). */
function experimentOf(spec: unknown): ExperimentSpec {
  const parsed = parseExperiment(spec);
  if (!parsed.ok) {
    throw new JobError(
      'InvalidExperiment',
      `the stored experiment does not parse: ${parsed.issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
    );
  }
  return parsed.spec;
}

/** sim-core's training-session options for a training experiment. */
export function trainingSessionOptions(spec: TrainingExperiment): TrainingSessionOptionsInput {
  const { seed, checkpoint_every: _every, ...training } = spec.training;
  return { model: spec.model.layers, rpu_config: spec.rpu_config, dataset: spec.dataset, training, seed };
}

/** Histograms of the weights of every analog layer (flat arrays, as the results store them). */
export function weightHistograms(weights: ExportedWeights, stage: Histogram['stage']): Histogram[] {
  return weights.layers
    .filter((layer) => layer.type.startsWith('Analog'))
    .map((layer) => ({
      label: `weights ${stage === 'trained' ? 'after training' : stage}, layer ${layer.index} (${layer.type})`,
      quantity: 'weight' as const,
      stage,
      layer: String(layer.index),
      ...histogram(layer.weights, { bins: HISTOGRAM_BINS }),
    }));
}

export const computeModule: ComputeModule<ExperimentJobs> = {
  async init(data): Promise<Record<string, unknown>> {
    const target = data.target as ComputeTarget;
    dataCacheDir = typeof data.dataCacheDir === 'string' ? data.dataCacheDir : undefined;
    const backend = await initBackend(target === 'gpu' ? { backends: ['webgpu'] } : {});
    const info: ComputeThreadInfo = {
      backend: backend.backend,
      simCoreVersion: SIM_CORE_VERSION,
      ...(target === 'imc' ? { chip: EMULATOR_CHIP.name } : {}),
    };
    return { ...info };
  },

  handlers: {
    async trainChunk(payload, { signal, progress }): Promise<TrainChunkOutput> {
      const spec = experimentOf(payload.spec);
      if (spec.kind !== 'training')
        throw new JobError('InvalidExperiment', 'only training experiments train');
      const options = trainingSessionOptions(spec);
      const env = { dataCacheDir };
      const session = payload.checkpoint
        ? await TrainingSession.restore(options, payload.checkpoint, env)
        : await TrainingSession.create(options, env);
      try {
        const started = performance.now();
        const epochs: EpochMetrics[] = [];
        let batchesRun = 0;
        while (!session.position.finished) {
          const { batch, batchesPerEpoch } = session.position;
          let max: number;
          if ('batches' in payload.chunk) {
            max = payload.chunk.batches - batchesRun;
          } else {
            if (epochs.length >= payload.chunk.epochs) break;
            max = batchesPerEpoch - batch;
          }
          if (max <= 0) break;
          const result = await session.trainBatches(max, { signal, onProgress: progress });
          batchesRun += result.batches;
          if (result.aborted) throw new AbortedError();
          if (result.epochCompleted) epochs.push(result.epochCompleted);
        }
        const position = session.position;
        const exported = position.finished ? session.exportWeights() : null;
        return {
          checkpoint: position.finished ? null : session.checkpoint(),
          weights: exported ? encodeWeights(exported) : null,
          histograms: exported ? weightHistograms(exported, 'trained') : [],
          epoch: position.epoch,
          batch: position.batch,
          batchesPerEpoch: position.batchesPerEpoch,
          totalEpochs: position.epochs,
          epochs,
          batchesRun,
          seconds: (performance.now() - started) / 1000,
          finished: position.finished,
          backend: session.backend.backend,
        };
      } finally {
        session.dispose();
      }
    },

    // Programming and the drift study arrive with sim-core's InferenceSession (issue #4).
    program: () => Promise.reject(new JobError('Unsupported', 'programming needs sim-core InferenceSession')),
    driftInfer: () =>
      Promise.reject(new JobError('Unsupported', 'drift inference needs sim-core InferenceSession')),
  },
};
