/**
 * The benchmark's baseline as a compute-thread job: the training run called directly in sim-core,
 * in a worker thread like the cpu worker's compute thread (same backend initialisation, same kind
 * of thread), so the comparison isolates the orchestration.
 */
import { trainingSessionOptions } from '../../activities/compute/experiment-jobs';
import type { ComputeModule } from '../../activities/compute/thread-runtime';
import { parseExperiment } from '../../experiment-spec/parse';
import { initBackend } from '../../sim-core/backend/backend';
import { TrainingSession } from '../../sim-core/experiment/training-session';

export type DirectJobs = {
  train: { payload: { document: unknown }; result: { seconds: number; backend: string }; progress: never };
};

export const computeModule: ComputeModule<DirectJobs> = {
  async init() {
    const backend = await initBackend();
    return { backend: backend.backend };
  },
  handlers: {
    async train({ document }) {
      const parsed = parseExperiment(document);
      if (!parsed.ok || parsed.spec.kind !== 'training')
        throw new Error('the baseline needs a training experiment');
      const started = performance.now();
      const session = await TrainingSession.create(trainingSessionOptions(parsed.spec));
      try {
        while (!session.position.finished) await session.trainBatches(Number.MAX_SAFE_INTEGER);
        session.exportWeights();
      } finally {
        session.dispose();
      }
      return { seconds: (performance.now() - started) / 1000, backend: session.backend.backend };
    },
  },
};
