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
export { Sequential, registerLayerBuilder, analogLayerConfig } from './layers/sequential';
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
