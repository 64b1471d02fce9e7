/**
 * `validateExperiment`: the one gate every entry point uses (API, CLI, web, the `validate` activity).
 * Structural problems (the schema) and semantic ones (shapes, compatibility, ranges, quotas, weights)
 * come back together, each with a JSON path, a plain-language message and, where it applies, the allowed
 * range. Pure: the caller passes the quotas and a lookup for referenced experiments. Never throws.
 */
import type { z } from 'zod';
import type { RPUConfig } from '../sim-core/configs';
import { type SpecIssue, hasErrors, issue } from './issues';
import { expandPreset, parseExperiment } from './parse';
import { prescanDocument } from './prescan';
import { type QuotasInput, resolveQuotas } from './quotas';
import {
  type ExperimentKind,
  type ExperimentLayer,
  type ExperimentSpec,
  InferenceExperimentInput,
  TrainingExperimentInput,
} from './schema';
import {
  type ExperimentEstimate,
  type SemanticInput,
  type WeightsLookup,
  type WeightsSource,
  semanticIssues,
} from './semantic';

export interface ValidationContext {
  /** Resource limits (defaults: `DEFAULT_QUOTAS`). */
  quotas?: QuotasInput;
  /** The user submitting the experiment (weights must be theirs). */
  user?: string;
  /** Finds a stored experiment by id, for inference experiments that take its weights. */
  lookupWeights?: WeightsLookup;
}

export type ValidationResult =
  | {
      ok: true;
      /** The stored form: presets expanded, every default filled. */
      spec: ExperimentSpec;
      /** Warnings only (never errors). */
      issues: SpecIssue[];
      estimate: ExperimentEstimate;
    }
  | { ok: false; issues: SpecIssue[]; estimate: ExperimentEstimate };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function expand(value: unknown): unknown {
  return expandPreset(value) ?? value;
}

/** The schema's bound on the layer list: longer lists are not examined layer by layer. */
const MAX_LAYERS = 256;

/** Parse each part of the document on its own, keeping those that are valid. */
function partialInput(document: unknown): SemanticInput | undefined {
  if (!isRecord(document)) return undefined;
  const kind = document.kind as ExperimentKind;
  const schema =
    kind === 'training'
      ? TrainingExperimentInput
      : kind === 'inference'
        ? InferenceExperimentInput
        : undefined;
  if (!schema) return undefined;
  const shape = schema.shape as Record<string, z.ZodType>;
  const part = (key: string): unknown => {
    const result = shape[key]?.safeParse(document[key]);
    return result?.success ? result.data : undefined;
  };
  const input: SemanticInput = { kind };
  input.queue = (part('execution') as { queue?: SemanticInput['queue'] } | undefined)?.queue;
  input.dataset = part('dataset') as SemanticInput['dataset'];
  input.rpuConfig = expand(part('rpu_config')) as RPUConfig | undefined;
  input.training = kind === 'training' ? (part('training') as SemanticInput['training']) : undefined;
  input.inference =
    document.inference === undefined && kind === 'training'
      ? undefined
      : (part('inference') as SemanticInput['inference']);
  input.weights = kind === 'inference' ? (part('weights') as SemanticInput['weights']) : undefined;
  const model = document.model;
  if (isRecord(model) && Array.isArray(model.layers) && model.layers.length <= MAX_LAYERS) {
    const layerSchema = (shape.model as unknown as z.ZodObject<{ layers: z.ZodArray<z.ZodType> }>).shape
      .layers.element;
    input.layers = model.layers.map((raw) => {
      const result = layerSchema.safeParse(raw);
      if (!result.success) return undefined;
      const layer = result.data as Record<string, unknown>;
      if (layer.rpu_config !== undefined) layer.rpu_config = expand(layer.rpu_config);
      return layer as unknown as ExperimentLayer;
    });
  }
  return input;
}

function fullInput(spec: ExperimentSpec): SemanticInput {
  return {
    kind: spec.kind,
    queue: spec.execution.queue,
    dataset: spec.dataset,
    layers: spec.model.layers,
    rpuConfig: spec.rpu_config,
    training: spec.kind === 'training' ? spec.training : undefined,
    inference: spec.inference,
    weights: spec.kind === 'inference' ? spec.weights : undefined,
  };
}

function dedupe(issues: SpecIssue[]): SpecIssue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const key = `${i.path}\u0000${i.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Validate a document completely. Never throws. */
export function validateExperiment(document: unknown, context: ValidationContext = {}): ValidationResult {
  const estimate: ExperimentEstimate = {};
  try {
    const blocking = prescanDocument(document);
    if (blocking.length > 0) return { ok: false, issues: blocking, estimate };
    const quotas = resolveQuotas(context.quotas);
    const semanticContext = { quotas, user: context.user, lookupWeights: context.lookupWeights };
    const parsed = parseExperiment(document);
    if (parsed.ok) {
      const semantic = semanticIssues(fullInput(parsed.spec), semanticContext);
      const issues = dedupe(semantic.issues);
      if (hasErrors(issues)) return { ok: false, issues, estimate: semantic.estimate };
      return { ok: true, spec: parsed.spec, issues, estimate: semantic.estimate };
    }
    const partial = partialInput(document);
    const semantic = partial ? semanticIssues(partial, semanticContext) : { issues: [], estimate };
    return { ok: false, issues: dedupe([...parsed.issues, ...semantic.issues]), estimate: semantic.estimate };
  } catch (error) {
    return {
      ok: false,
      issues: [
        issue(
          [],
          'internal',
          `the validator failed unexpectedly: ${error instanceof Error ? error.message : String(error)}`,
        ),
      ],
      estimate,
    };
  }
}

/** Ids of the experiments a document takes weights from (to fetch them before validating). */
export function referencedExperimentIds(document: unknown): string[] {
  if (!isRecord(document) || !isRecord(document.weights)) return [];
  const id = document.weights.experiment_id;
  return document.weights.source === 'experiment' && typeof id === 'string' ? [id] : [];
}

/**
 * The same with an asynchronous lookup (a database): fetches the referenced experiments first, then
 * validates synchronously. Never rejects.
 */
export async function validateExperimentAsync(
  document: unknown,
  context: Omit<ValidationContext, 'lookupWeights'> & {
    lookupWeights?: (experimentId: string) => Promise<WeightsSource | undefined>;
  },
): Promise<ValidationResult> {
  const found = new Map<string, WeightsSource | undefined>();
  const lookupWeights = context.lookupWeights;
  if (lookupWeights) {
    for (const id of referencedExperimentIds(document)) {
      try {
        found.set(id, await lookupWeights(id));
      } catch (error) {
        return {
          ok: false,
          issues: [
            issue(
              ['weights', 'experiment_id'],
              'internal',
              `looking up experiment "${id}" failed: ${error instanceof Error ? error.message : String(error)}`,
            ),
          ],
          estimate: {},
        };
      }
    }
  }
  return validateExperiment(document, {
    ...context,
    lookupWeights: lookupWeights ? (id) => found.get(id) : undefined,
  });
}
