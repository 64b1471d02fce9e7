/** Uninterrupted runs of the same experiment directly in sim-core, to compare workflow results with. */
import { decodeWeights } from '../../../activities/compute/weights-codec';
import { trainingSessionOptions } from '../../../activities/compute/experiment-jobs';
import { parseExperiment } from '../../../experiment-spec/parse';
import type { CheckpointStore } from '../../../persistence/checkpoints';
import { TrainingSession, type ExportedWeights } from '../../../sim-core/experiment/training-session';

/** The final weights of `document` trained start to finish in one session (same seed). */
export async function uninterruptedWeights(document: unknown): Promise<ExportedWeights> {
  const parsed = parseExperiment(document);
  if (!parsed.ok || parsed.spec.kind !== 'training') throw new Error('not a valid training experiment');
  const session = await TrainingSession.create(trainingSessionOptions(parsed.spec));
  try {
    while (!session.position.finished) await session.trainBatches(1_000_000);
    return session.exportWeights();
  } finally {
    session.dispose();
  }
}

/** The final weights the workflow stored for an experiment. */
export async function storedWeights(
  checkpoints: CheckpointStore,
  experimentId: string,
): Promise<ExportedWeights> {
  const stored = await checkpoints.load({ experimentId, kind: 'weights', sequence: 0 });
  if (!stored) throw new Error(`experiment ${experimentId} has no stored weights`);
  return decodeWeights(stored.data);
}

/** Bit-for-bit equality of every weight, bias and tile array (exact, no tolerance: resume is exact). */
export function expectSameWeights(actual: ExportedWeights, expected: ExportedWeights): void {
  expect(actual.layers.map((l) => [l.index, l.type, l.shape])).toEqual(
    expected.layers.map((l) => [l.index, l.type, l.shape]),
  );
  actual.layers.forEach((layer, i) => {
    const other = expected.layers[i];
    expect(Buffer.from(layer.weights.buffer, layer.weights.byteOffset, layer.weights.byteLength)).toEqual(
      Buffer.from(other.weights.buffer, other.weights.byteOffset, other.weights.byteLength),
    );
    expect(layer.bias && Array.from(layer.bias)).toEqual(other.bias && Array.from(other.bias));
  });
}
