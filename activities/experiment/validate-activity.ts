/**
 * The `validate` activity (validator queue): the experiment document through the one validator every
 * entry point uses, with the store's view of referenced weights. An invalid experiment
 * fails with a non-retryable `InvalidExperiment` failure whose message lists every problem and whose
 * details hold the issues with their JSON paths. A valid one yields the plan the workflow follows.
 */
import { ApplicationFailure } from '@temporalio/common';
import type { Connection } from 'mongoose';
import type { SpecIssue } from '../../experiment-spec/issues';
import type { ExperimentSpec } from '../../experiment-spec/schema';
import type { WeightsSource as StoredWeights } from '../../experiment-spec/semantic';
import { validateExperimentAsync } from '../../experiment-spec/validate';
import type { QuotasInput } from '../../experiment-spec/quotas';
import { experimentRepository } from '../../persistence/experiments';
import type {
  ExperimentPlan,
  ValidateInput,
  ValidatorActivities,
} from '../../contracts/experiment-activities';

export interface ValidatorDeps {
  connection(): Promise<Connection>;
  quotas?: QuotasInput;
}

/** Problems with where the experiment wants to run. */
/** The workflow's plan for a valid experiment. */
export function planFor(spec: ExperimentSpec): ExperimentPlan {
  const base = { kind: spec.kind, queue: spec.execution.queue, dataset: spec.dataset.name };
  if (spec.kind === 'training') {
    return {
      ...base,
      training: {
        epochs: spec.training.epochs,
        chunk:
          spec.training.checkpoint_every_batches !== null
            ? { batches: spec.training.checkpoint_every_batches }
            : { epochs: spec.training.checkpoint_every },
      },
      inference: spec.inference
        ? {
            weights: { source: 'training' },
            tInference: spec.inference.t_inference,
            repeats: spec.inference.repeats,
          }
        : null,
    };
  }
  return {
    ...base,
    training: null,
    inference: {
      weights:
        spec.weights.source === 'experiment'
          ? {
              source: 'experiment',
              experimentId: spec.weights.experiment_id,
              remap: spec.weights.remap_weights,
            }
          : { source: 'initialization', seed: spec.weights.seed },
      tInference: spec.inference.t_inference,
      repeats: spec.inference.repeats,
    },
  };
}

/** "2 problems: $.a: …; $.b: …" */
export function describeIssues(issues: readonly SpecIssue[]): string {
  const errors = issues.filter((i) => i.severity === 'error');
  const list = errors.map((i) => `${i.path}: ${i.message}`).join('; ');
  return `${errors.length} problem${errors.length === 1 ? '' : 's'}: ${list}`;
}

export function createValidatorActivities(deps: ValidatorDeps): ValidatorActivities {
  return {
    async validateExperiment(input: ValidateInput): Promise<ExperimentPlan> {
      const experiments = experimentRepository(await deps.connection());
      // The validator says so itself: one write fewer on the way from submission to the first activity.
      await experiments.setStatus(input.experimentId, 'validating', { message: 'validating the experiment' });
      const lookupWeights = async (id: string): Promise<StoredWeights | undefined> => {
        const record = await experiments.get(id);
        return record ? { owner: record.owner, status: record.status, spec: record.spec } : undefined;
      };
      const result = await validateExperimentAsync(input.spec, {
        user: input.owner,
        quotas: deps.quotas,
        lookupWeights,
      });
      const issues = result.issues;
      if (!result.ok || issues.some((i) => i.severity === 'error')) {
        throw ApplicationFailure.create({
          type: 'InvalidExperiment',
          message: describeIssues(issues),
          nonRetryable: true,
          details: [issues],
        });
      }
      return planFor(result.spec);
    },
  };
}
