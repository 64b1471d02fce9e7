/** The parts of sim-core's configuration vocabulary the chip description reads. */
export { InferenceRPUConfig } from '../sim-core/configs';

/** A layer of an experiment's model (sim-core layer spec), as far as tile mapping is concerned. */
export interface ExperimentLayerLike {
  type: string;
  in_features?: number;
  out_features?: number;
  in_channels?: number;
  out_channels?: number;
  kernel_size?: number | readonly [number, number];
}
