/**
 * sim-core: analog in-memory-computing simulation on TensorFlow.js with AIHWKit's semantics.
 * Pure library: imports nothing else of this repository.
 */
export * from './configs';
export * as configs from './configs';
export { initBackend, backendInfo, kernelMode, setKernelMode } from './backend/backend';
export type { BackendInfo, BackendName, InitBackendOptions, KernelMode } from './backend/backend';
export { TrainingSession } from './experiment/training-session';
export type {
  BatchProgress,
  EpochMetrics,
  Evaluation,
  ExportedWeights,
  SessionEnvironment,
  SessionPosition,
  TrainBatchesOptions,
  TrainBatchesResult,
} from './experiment/training-session';
export { TrainingSessionOptions, parseTrainingSessionOptions } from './experiment/options';
export type { TrainingSessionOptionsInput } from './experiment/options';
export { Rng } from './random/rng';
export { AnalogTile } from './tile/analog-tile';
export type { AnalogTileParts, TileOptions } from './tile/analog-tile';
export { IOPipeline } from './tile/io-pipeline';
export { WeightMatrix } from './tile/weight-matrix';
export { createDeviceArray } from './devices/factory';
export type { DeviceArray, StateRecord, StateValue } from './devices/device-array';
// Through all-layers, so that the image layers (Conv2d, AnalogConv2d, pooling, BatchNorm2d) are registered.
export { Sequential, registerLayerBuilder } from './layers/all-layers';
export { analogLayerConfig } from './layers/sequential';
export type { LayerBuilder, LayerBuildContext } from './layers/sequential';
export type {
  Layer,
  ForwardContext,
  DigitalParameter,
  AnalogUpdatable,
  ExportedLayerWeights,
} from './layers/layer';
export { AnalogLinear } from './layers/analog-linear';
export { Linear } from './layers/linear';
export { AnalogSGD, scheduledLr } from './training/optimizer';
export { classificationLoss, regressionLoss } from './training/losses';
export { loadDataset } from './data/datasets';
export { prepareDataset, epochOrder } from './data/batches';
export {
  encodeCheckpoint,
  decodeCheckpoint,
  CheckpointError,
  CHECKPOINT_FORMAT_VERSION,
} from './checkpoint/blob';
export { SIM_CORE_VERSION } from './version';

// Inference on analog hardware and hardware-aware training (issue #4).
export { Conv2d, AnalogConv2d } from './layers/conv2d';
export { MaxPool2d, AvgPool2d } from './layers/pool2d';
export { BatchNorm2d } from './layers/batchnorm2d';
export { lenet5Specs, fcMnistSpecs } from './layers/reference-models';
export { InferenceSession } from './inference/inference-session';
export type {
  DriftTableOptions,
  DriftTableProgress,
  HistogramRecord,
  InferenceEnvironment,
  InferenceEvaluation,
} from './inference/inference-session';
export { InferenceSessionOptions, parseInferenceSessionOptions } from './inference/inference-session-options';
export type { InferenceSessionOptionsInput } from './inference/inference-session-options';
export type { DriftTableRow } from './inference/drift-table';
export { histogram } from './inference/histogram';
export type { HistogramData } from './inference/histogram';
export { createNoiseModel } from './inference/noise/create-noise-model';
export { programWeights, driftWeights } from './inference/noise/noise-model';
export type { NoiseModel as NoiseModelImpl, ProgrammedWeights } from './inference/noise/noise-model';
export { toConductances, fromConductances } from './inference/conductance-converter';
export { InferenceTileExtras } from './inference/inference-tile';
export { modifyWeights } from './hwa/weight-modifier';
export { modifyWeightsArray } from './hwa/weight-modifier-js';
export { clipWeights } from './hwa/weight-clip';
export { remapWeights } from './hwa/weight-remap';
