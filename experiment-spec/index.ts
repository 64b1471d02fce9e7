/**
 * The experiment schema: one module for the API, the validate activity, the CLI, the web composer and
 * (workflow-safe: zod and sim-core/configs only) the workflows. The AIHW Composer cloud format lives in
 * `./aihwkit-cloud` (protobufjs), deliberately not re-exported here.
 */
export {
  API_VERSION,
  EXPERIMENT_KINDS,
  INFERENCE_PRESET_NAMES,
  ExperimentInput,
  Experiment,
  TrainingExperimentInput,
  InferenceExperimentInput,
  TrainingExperiment,
  InferenceExperiment,
  ExecutionSpec,
  TrainingRunSpec,
  simCoreTraining,
  InferenceEvaluationSpec,
  InferenceRunSpec,
  WeightsSpec,
  aihwkitInferenceTimes,
  type ExperimentKind,
  type ExperimentSpec,
  type ExperimentLayer,
} from './schema';
export { parseExperiment, expandPreset, type ParseResult } from './parse';
export {
  validateExperiment,
  validateExperimentAsync,
  referencedExperimentIds,
  type ValidationContext,
  type ValidationResult,
} from './validate';
export {
  type SpecIssue,
  type IssueCode,
  type AllowedRange,
  type PathSegment,
  ISSUE_CODES,
  jsonPath,
  issue,
  hasErrors,
  describeAllowed,
} from './issues';
export {
  quotasSchema,
  DEFAULT_QUOTAS,
  resolveQuotas,
  quotasFromSettings,
  quotaVariable,
  type Quotas,
  type QuotasInput,
} from './quotas';
export { type WeightsSource, type WeightsLookup, type ExperimentEstimate, weightSignature } from './semantic';
export { inferShapes, convOutputSize, type Shape, type ShapeReport } from './shapes';
export { DATASET_FACTS, datasetFacts, type DatasetFacts } from './datasets';
export { PRESET_EXPERIMENTS, presetExperiment, type PresetExperiment } from './gallery';
export { experimentJsonSchema, type JsonSchema } from './json-schema';
export { DEFAULT_DOCUMENT_LIMITS, type DocumentLimits } from './prescan';
