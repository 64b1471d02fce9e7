/**
 * The inference life cycle of one analog tile (AIHWKit `InferenceTileWithPeriphery.program_weights`
 * / `drift_weights`, reference §5.1): program once from the reference weights, then drift to any
 * t_inference any number of times (each time from the same programmed weights, with fresh read
 * noise), re-estimating the drift-compensation alpha after each drift.
 *
 * Works on the tile's normalized weights (mapping scales factored out), as AIHWKit does: the
 * conductance converter maps the abs-max *tile* weight to g_max.
 */
import {
  compensationAlpha,
  driftReadout,
  exactReadoutOutputs,
  readoutInputs,
  type DriftCompensationType,
} from './drift-compensation';
import { driftWeights, programWeights, type NoiseModel, type ProgrammedWeights } from './noise/noise-model';
import type { RandomSource } from './random-source';

/** What the life cycle needs from a tile. */
export interface ProgrammableTile {
  readonly inSize: number;
  readonly outSize: number;
  /** Tile weights in tile units, row-major [outSize, inSize]. */
  getTileWeights(): Float32Array;
  setTileWeights(weights: Float32Array): void;
  /**
   * The tile's full non-ideal forward in evaluation mode — the IO pipeline with its noise, DAC/ADC
   * and bound management, without the digital periphery (input range, mapping scales, alpha) —
   * for a batch of row vectors x [batch, inSize] → [batch, outSize].
   */
  readForward(x: Float32Array, batch: number): Float32Array;
}

export interface InferenceTileState {
  reference: Float32Array | null;
  programmed: Float32Array | null;
  driftParameters: Float64Array[] | null;
  baseline: Float64Array | null;
  alpha: Float32Array | null;
  /** The t_inference of the weights the tile holds now (null: not drifted since programming). */
  tInference: number | null;
}

/** A tile's life-cycle state before programming (and after a reset). */
export function emptyLifecycleState(): InferenceTileState {
  return {
    reference: null,
    programmed: null,
    driftParameters: null,
    baseline: null,
    alpha: null,
    tInference: null,
  };
}

export class InferenceTileLifecycle {
  private state: InferenceTileState = emptyLifecycleState();

  constructor(
    readonly tile: ProgrammableTile,
    readonly noiseModel: NoiseModel,
    readonly compensation: DriftCompensationType | null,
  ) {}

  get isProgrammed(): boolean {
    return this.state.programmed !== null;
  }

  /** The eval-mode output scale (per output for per-column compensation), or null for none. */
  get alpha(): Float32Array | null {
    return this.state.alpha;
  }

  get tInference(): number | null {
    return this.state.tInference;
  }

  /** The weights programming aims at (stored at the first programming, as AIHWKit does). */
  get reference(): Float32Array | null {
    return this.state.reference;
  }

  get programmed(): Float32Array | null {
    return this.state.programmed;
  }

  /** Conductance-domain view for histograms: the drift parameters drawn at programming (ν per device). */
  get driftParameters(): Float64Array[] | null {
    return this.state.driftParameters;
  }

  /**
   * Programs the tile: applies the noise model's programming noise to the reference weights, loads
   * the result into the tile and, with drift compensation, reads the baseline through the full
   * non-ideal forward (or exactly, for GlobalDriftCompensationWithExactReference).
   */
  program(random: RandomSource): void {
    if (!this.state.reference) this.state.reference = this.tile.getTileWeights().slice();
    const { programmed, driftParameters } = programWeights(this.noiseModel, this.state.reference, random);
    this.tile.setTileWeights(programmed);
    this.state.programmed = programmed;
    this.state.driftParameters = driftParameters;
    this.state.tInference = null;
    this.state.alpha = null;
    this.state.baseline = this.compensation ? this.baselineReadout() : null;
  }

  /**
   * Drifts the programmed weights to `tInference` seconds after programming (programming first if
   * needed), loads them into the tile and re-estimates alpha.
   */
  drift(tInference: number, random: RandomSource): void {
    if (!this.state.programmed || !this.state.driftParameters) this.program(random);
    const programmed: ProgrammedWeights = {
      programmed: this.state.programmed as Float32Array,
      driftParameters: this.state.driftParameters as Float64Array[],
    };
    const drifted = driftWeights(this.noiseModel, programmed, tInference, random);
    this.tile.setTileWeights(drifted);
    this.state.tInference = tInference;
    if (this.compensation && this.state.baseline) {
      this.state.alpha = compensationAlpha(this.state.baseline, this.noisyReadout());
    }
  }

  private noisyReadout(): Float64Array {
    const { inSize, outSize } = this.tile;
    const y = this.tile.readForward(readoutInputs(inSize), inSize);
    return driftReadout(this.compensation as DriftCompensationType, y, inSize, outSize);
  }

  private baselineReadout(): Float64Array {
    const { inSize, outSize } = this.tile;
    if (this.compensation === 'GlobalDriftCompensationWithExactReference') {
      const y = exactReadoutOutputs(this.state.reference as Float32Array, outSize, inSize);
      return driftReadout(this.compensation, y, inSize, outSize);
    }
    return this.noisyReadout();
  }

  /** Back to the unprogrammed reference weights (the tile holds them again). */
  reset(): void {
    if (this.state.reference) this.tile.setTileWeights(this.state.reference);
    this.state = emptyLifecycleState();
  }

  getState(): InferenceTileState {
    const s = this.state;
    return {
      reference: s.reference?.slice() ?? null,
      programmed: s.programmed?.slice() ?? null,
      driftParameters: s.driftParameters?.map((d) => d.slice()) ?? null,
      baseline: s.baseline?.slice() ?? null,
      alpha: s.alpha?.slice() ?? null,
      tInference: s.tInference,
    };
  }

  /** Restores the life-cycle state (the tile's own weights are restored by the tile's checkpoint). */
  setState(state: InferenceTileState): void {
    const n = this.tile.inSize * this.tile.outSize;
    for (const [name, v] of [
      ['reference', state.reference],
      ['programmed', state.programmed],
    ] as const) {
      if (v && v.length !== n)
        throw new Error(`inference tile state: ${name} has ${v.length} values, expected ${n}`);
    }
    this.state = {
      reference: state.reference?.slice() ?? null,
      programmed: state.programmed?.slice() ?? null,
      driftParameters: state.driftParameters?.map((d) => d.slice()) ?? null,
      baseline: state.baseline?.slice() ?? null,
      alpha: state.alpha?.slice() ?? null,
      tInference: state.tInference,
    };
  }
}
