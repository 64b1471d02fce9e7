/**
 * Light writes of the experiment workflow, run as local activities by the worker that runs the
 * workflow: the experiment's status (with a progress snapshot) and the report (results). Completing
 * an experiment prunes its working checkpoints and keeps its final weights.
 */
import { ApplicationFailure } from '@temporalio/common';
import type { Connection } from 'mongoose';
import { ZodError } from 'zod';
import type { CheckpointStore } from '../../persistence/checkpoints';
import { experimentRepository } from '../../persistence/experiments';
import type { RecordActivities, RecordStatusInput, ReportInput } from '../../contracts/experiment-activities';

export interface RecordActivityDeps {
  connection(): Promise<Connection>;
  checkpoints(connection: Connection): CheckpointStore;
  /** The simulator version the results were computed with. */
  simCoreVersion?: string;
}

export function createRecordActivities(deps: RecordActivityDeps): RecordActivities {
  return {
    async recordStatus(input: RecordStatusInput): Promise<void> {
      const experiments = experimentRepository(await deps.connection());
      const changed = await experiments.setStatus(input.experimentId, input.status, {
        message: input.message,
        ...(input.error !== undefined ? { error: input.error } : {}),
      });
      // A finished experiment keeps its final progress too.
      if (changed && input.progress)
        await experiments.saveProgress(input.experimentId, { ...input.progress });
    },

    async writeReport(input: ReportInput): Promise<void> {
      const connection = await deps.connection();
      try {
        await experimentRepository(connection).saveResults(input.owner, {
          experimentId: input.experimentId,
          learning_curve: input.learningCurve,
          inference: input.inference,
          histograms: input.histograms,
          timings: input.timings,
          queue: input.queue,
          ...(input.backend ? { backend: input.backend } : {}),
          ...(deps.simCoreVersion ? { sim_core_version: deps.simCoreVersion } : {}),
        });
      } catch (err) {
        if (err instanceof ZodError) {
          // A results document that does not fit the contract is a bug, not a transient failure.
          throw ApplicationFailure.create({
            type: 'InvalidResults',
            message: `the results do not match the results schema: ${err.message}`,
            nonRetryable: true,
          });
        }
        throw err;
      }
      if (input.outcome === 'completed') {
        await deps.checkpoints(connection).remove(input.experimentId, ['training', 'inference']);
      }
    },
  };
}
