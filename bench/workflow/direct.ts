/**
 * The benchmark's baseline: the same training run called directly in sim-core, in this process, on
 * the same kind of backend the cpu worker's compute thread uses. Timed like the workflow's compute:
 * session creation (model, data view), every epoch with its test-set evaluation, the final weights.
 */
import { trainingSessionOptions } from '../../activities/compute/experiment-jobs';
import { parseExperiment } from '../../experiment-spec/parse';
import { initBackend } from '../../sim-core/backend/backend';
import { TrainingSession } from '../../sim-core/experiment/training-session';

export async function directTrainingRun(document: unknown): Promise<{ seconds: number; backend: string }> {
  const parsed = parseExperiment(document);
  if (!parsed.ok || parsed.spec.kind !== 'training')
    throw new Error('the baseline needs a training experiment');
  // The worker's threads initialise their backend once at start-up, outside any experiment.
  const backend = await initBackend();
  const started = performance.now();
  const session = await TrainingSession.create(trainingSessionOptions(parsed.spec));
  try {
    while (!session.position.finished) await session.trainBatches(Number.MAX_SAFE_INTEGER);
    session.exportWeights();
  } finally {
    session.dispose();
  }
  return { seconds: (performance.now() - started) / 1000, backend: backend.backend };
}
