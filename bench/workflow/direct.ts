/** The benchmark's baseline: the same training run called directly in sim-core, in this process. */
export async function directTrainingRun(_document: unknown): Promise<{ seconds: number }> {
  // TEMPORARY until sim-core's TrainingSession lands.
  throw new Error('the direct sim-core baseline needs sim-core TrainingSession (not merged yet)');
}
