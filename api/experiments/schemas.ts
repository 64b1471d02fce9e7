/** Request and response shapes of the experiment routes (also the source of the OpenAPI document). */
import { z } from 'zod';
import { EXPERIMENT_STATUSES } from '../../contracts/status';

export const SORT_KEYS = ['createdAt', '-createdAt', 'name', '-name', 'status', '-status'] as const;

const positiveInt = (fallback: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().int().min(1).max(max))
    .optional()
    .transform((v) => v ?? fallback);

export const ListQuery = z
  .strictObject({
    status: z.enum(EXPERIMENT_STATUSES).optional(),
    kind: z.enum(['training', 'inference']).optional(),
    tag: z.string().min(1).max(64).optional(),
    sort: z
      .enum(SORT_KEYS)
      .optional()
      .meta({ description: 'a field, with "-" for descending (default -createdAt)' }),
    page: positiveInt(1, 100_000).meta({ description: 'from 1' }),
    pageSize: positiveInt(20, 100).meta({ description: '1 to 100 (default 20)' }),
    owner: z.string().min(1).max(64).optional().meta({ description: 'admins only: one user id' }),
  })
  .meta({ id: 'ExperimentListQuery' });

export const idParam = z.object({ id: z.string().meta({ description: 'experiment id' }) });

export const SpecIssue = z
  .object({
    path: z.string().meta({ example: '$.model.layers[2].out_features' }),
    segments: z.array(z.union([z.string(), z.number()])),
    code: z.string(),
    severity: z.enum(['error', 'warning']),
    message: z.string(),
    allowed: z
      .object({
        min: z.number().optional(),
        max: z.number().optional(),
        minInclusive: z.boolean().optional(),
        maxInclusive: z.boolean().optional(),
        integer: z.boolean().optional(),
        values: z
          .array(z.union([z.string(), z.number(), z.boolean()]))
          .readonly()
          .optional(),
      })
      .optional()
      .meta({ description: 'what would have been accepted' }),
  })
  .meta({ id: 'SpecIssue', description: 'One problem of an experiment document, at its JSON path' });

const iso = z.iso.datetime();

export const ExperimentSummary = z
  .object({
    id: z.string(),
    name: z.string(),
    kind: z.enum(['training', 'inference']),
    owner: z.string(),
    status: z.enum(EXPERIMENT_STATUSES),
    statusMessage: z.string(),
    tags: z.array(z.string()),
    queue: z.string(),
    dataset: z.string(),
    workflowId: z.string(),
    rerunOf: z.string().nullable(),
    progress: z.unknown().nullable().meta({ description: 'the latest progress snapshot' }),
    createdAt: iso,
    updatedAt: iso,
    startedAt: iso.nullable(),
    finishedAt: iso.nullable(),
  })
  .meta({ id: 'ExperimentSummary' });

export const ExperimentDetail = ExperimentSummary.extend({
  description: z.string(),
  spec: z
    .record(z.string(), z.unknown())
    .meta({ description: 'the experiment with every default filled in' }),
  runId: z.string().nullable(),
  error: z.object({ message: z.string(), details: z.unknown().optional() }).nullable(),
  links: z.object({ self: z.string(), events: z.string(), results: z.string(), temporal: z.string() }),
}).meta({ id: 'ExperimentDetail' });

export const ExperimentList = z
  .object({ items: z.array(ExperimentSummary), page: z.number(), pageSize: z.number(), total: z.number() })
  .meta({ id: 'ExperimentList' });

export const Accepted = z
  .object({
    id: z.string(),
    workflowId: z.string(),
    status: z.enum(EXPERIMENT_STATUSES),
    warnings: z.array(SpecIssue),
    links: z.object({ self: z.string(), events: z.string(), results: z.string() }),
  })
  .meta({ id: 'ExperimentAccepted' });

export const ValidationReport = z
  .object({
    valid: z.boolean(),
    issues: z.array(SpecIssue),
    spec: z.record(z.string(), z.unknown()).optional(),
    estimate: z.record(z.string(), z.unknown()),
  })
  .meta({ id: 'ValidationReport' });

export const ControlAccepted = z
  .object({
    id: z.string(),
    requested: z.enum(['cancel', 'pause', 'resume']),
    status: z.enum(EXPERIMENT_STATUSES),
  })
  .meta({ id: 'ControlAccepted' });

export const ResultsQuery = z
  .strictObject({
    format: z.enum(['json', 'csv']).optional().meta({ description: 'json (default) or csv (tables only)' }),
    table: z
      .enum(['learning_curve', 'inference'])
      .optional()
      .meta({ description: 'csv only: which table (default: the learning curve of a training experiment)' }),
  })
  .meta({ id: 'ResultsQuery' });
