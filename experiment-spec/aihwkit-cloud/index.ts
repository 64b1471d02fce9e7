/**
 * The AIHW Composer ("AIHWKit cloud") format: import of its experiment inputs into our schema and export
 * of our experiments and results back. Uses protobufjs (Node and browser); not imported by workflows.
 */
export {
  type CloudMessageName,
  type CloudMessages,
  cloudMessageType,
  decodeCloudMessage,
  encodeCloudMessage,
} from './codec';
export type { ExportResult, ImportResult, PlatformFields } from './common';
export { importTrainingInput, exportTrainingInput } from './training';
export {
  importInferenceInput,
  exportInferenceInput,
  rebuildInferenceConfig,
  resolutionFromBits,
  bitsFromResolution,
  type AnalogSettings,
} from './inference';
export {
  exportTrainingOutput,
  importTrainingOutput,
  exportInferencingOutput,
  importInferencingOutput,
  toInferencePoints,
  type CloudEpoch,
  type CloudInferencePoint,
} from './results';
export { TRAINING_PRESETS, INFERENCE_CONFIG_NAMES } from './mappings';
export { TRAINING_PROTO, INFERENCING_PROTO } from './proto-definitions';
