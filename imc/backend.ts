/**
 * The IMC hardware-backend interface: what the `imc` queue needs from an in-memory-computing chip,
 * so that real chips can be plugged in next to the bundled emulator.
 *
 * The host (the imc worker's compute thread) owns the experiment: which network, which weights, which
 * test data. The chip owns the physics: it describes itself, maps the network's analog layers onto its
 * tiles and programs them, and is read at a time t after programming (the drifted conductances
 * through its DACs and ADCs), giving test loss and accuracy. Repeats of a drift study are new
 * programmings. A chip trains nothing.
 */
import type { DatasetSpec, InferenceRPUConfig, LayerSpec, LossSpec } from '../sim-core/configs';
import type { ExportedWeights } from '../sim-core/experiment/training-session';
import type { ImcChipDescription, ImcLayerMapping } from './chip';

/** A network to deploy on the chip. */
export interface ImcNetwork {
  /** The model's layers (sim-core layer specs); analog layers go onto tiles, the rest runs on the host. */
  layers: LayerSpec[];
  /** Trained weights; null keeps the model's initialisation from `initSeed`. */
  weights: ExportedWeights | null;
  initSeed: number;
  dataset: DatasetSpec;
  loss: LossSpec;
  /** Test images per read. */
  batchSize: number;
  /** The drift compensation the experiment asks for (null: none), applied by the chip's periphery. */
  driftCompensation: InferenceRPUConfig['drift_compensation'];
  /** Seed of the read noise and of whatever else is random on the host side. */
  seed: number;
}

export interface ImcRead {
  accuracy: number;
  loss: number | null;
  images: number;
}

/** A histogram in the results' shape (flat arrays). */
export interface ImcHistogram {
  label: string;
  quantity: 'weight' | 'conductance';
  stage: 'trained' | 'programmed' | 'drifted';
  t_inference?: number;
  layer: string;
  edges: number[];
  counts: number[];
}

export interface ImcHardwareBackend {
  /** The chip: tile size, converter bits, device type, capabilities. */
  describe(): ImcChipDescription;
  /** Where each analog layer of `network` lands; throws `Unsupported` when it does not fit. */
  load(network: ImcNetwork): Promise<ImcLayerMapping[]>;
  /** Programs every tile of the loaded network (a fresh programming: noise, drift exponents). */
  program(seed: number): Promise<void>;
  /** Reads the programmed network `tInference` seconds after programming, over the test set. */
  readAt(tInference: number, options: { compensation: boolean }): Promise<ImcRead>;
  /** Weight and conductance histograms of the states seen so far (trained, programmed, drifted). */
  histograms(bins: number): ImcHistogram[];
  /** The chip's state after programming, to continue elsewhere (emulators; hardware keeps its own). */
  checkpoint(): Uint8Array;
  restore(network: ImcNetwork, state: Uint8Array): Promise<void>;
  dispose(): void;
}

export class ImcUnsupportedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'Unsupported';
  }
}
