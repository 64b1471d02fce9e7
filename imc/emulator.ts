/**
 * The bundled chip emulator: an `ImcHardwareBackend` that plays `EMULATOR_CHIP` (256×256 PCM tiles,
 * 8-bit DACs and ADCs, PCMLikeNoiseModel) with sim-core's inference simulation. The chip's physics is
 * fixed by its description (`chipRpuConfig`): whatever RPU configuration the experiment names, the
 * network runs as this chip runs it; only the drift compensation (host periphery) is the experiment's.
 */
import { InferenceSession } from '../sim-core/inference/inference-session';
import type { InferenceSessionOptionsInput } from '../sim-core/inference/inference-session-options';
import { chipRpuConfig, fitProblems, mapLayers, type ImcChipDescription, type ImcLayerMapping } from './chip';
import { EMULATOR_CHIP } from './emulator-chip';
import {
  ImcUnsupportedError,
  type ImcHardwareBackend,
  type ImcHistogram,
  type ImcNetwork,
  type ImcRead,
} from './backend';

export interface EmulatorOptions {
  chip?: ImcChipDescription;
  /** Where decoded data sets may be cached. */
  dataCacheDir?: string;
}

export class EmulatedChip implements ImcHardwareBackend {
  private readonly chip: ImcChipDescription;
  private session: InferenceSession | null = null;

  constructor(private readonly options: EmulatorOptions = {}) {
    this.chip = options.chip ?? EMULATOR_CHIP;
  }

  describe(): ImcChipDescription {
    return this.chip;
  }

  private sessionOptions(network: ImcNetwork): InferenceSessionOptionsInput {
    return {
      // Analog layers take the chip's configuration, even where the experiment set one per layer.
      model: network.layers.map((layer) =>
        layer.type === 'AnalogLinear' || layer.type === 'AnalogConv2d'
          ? { ...layer, rpu_config: undefined }
          : layer,
      ),
      rpu_config: chipRpuConfig(this.chip, network.driftCompensation),
      dataset: network.dataset,
      seed: network.seed,
      loss: network.loss,
      eval_batch_size: network.batchSize,
    };
  }

  async load(network: ImcNetwork): Promise<ImcLayerMapping[]> {
    const problems = fitProblems(this.chip, network.layers);
    if (problems.length > 0) throw new ImcUnsupportedError(`${this.chip.name}: ${problems.join('; ')}`);
    this.dispose();
    this.session = await InferenceSession.create(this.sessionOptions(network), network.weights, {
      dataCacheDir: this.options.dataCacheDir,
    });
    return mapLayers(this.chip, network.layers);
  }

  private loaded(): InferenceSession {
    if (!this.session) throw new Error(`${this.chip.name}: no network is loaded`);
    return this.session;
  }

  async program(seed: number): Promise<void> {
    this.loaded().program(seed);
  }

  async readAt(tInference: number, { compensation }: { compensation: boolean }): Promise<ImcRead> {
    const session = this.loaded();
    session.drift(tInference);
    return session.evaluate({ compensation });
  }

  histograms(bins: number): ImcHistogram[] {
    return this.loaded().histograms({ bins });
  }

  checkpoint(): Uint8Array {
    return this.loaded().checkpoint();
  }

  async restore(network: ImcNetwork, state: Uint8Array): Promise<void> {
    this.dispose();
    this.session = await InferenceSession.restore(this.sessionOptions(network), state, {
      dataCacheDir: this.options.dataCacheDir,
    });
  }

  dispose(): void {
    this.session?.dispose();
    this.session = null;
  }
}
