/**
 * What makes an analog tile an InferenceRPUConfig tile (reference §5.1), on top of sim-core's
 * AnalogTile (which already gives it the IO-managed forward, the exact backward and plain SGD):
 *
 * - hardware-aware training: after every optimizer step, weight clipping → remapping → weight
 *   modifier. The modifier draws one modified copy of the weights that forward and backward use
 *   until the next step, while the unmodified weights receive the update; so the first mini-batch
 *   runs on unmodified weights, and evaluation uses the unmodified ones unless
 *   `modifier.enable_during_test`.
 * - inference: programming and drift through the noise model, and the drift-compensation alpha that
 *   scales the outputs in evaluation mode.
 *
 * The device holds whichever weights the current mode uses; this object keeps the others.
 */
import type { InferenceRPUConfig } from '../configs/rpu-config';
import type { StateRecord } from '../devices/device-array';
import type { Rng } from '../random/rng';
import type { AnalogTile } from '../tile/analog-tile';
import * as tf from '@tensorflow/tfjs-core';
import { clipWeightsInPlace, remapWeightsInPlace } from '../hwa/clip-remap-js';
import { modifierIsActive } from '../hwa/weight-modifier';
import { modifyWeightsArray } from '../hwa/weight-modifier-js';
import { createNoiseModel } from './noise/create-noise-model';
import {
  emptyLifecycleState,
  InferenceTileLifecycle,
  type InferenceTileState,
  type ProgrammableTile,
} from './program-drift';
import type { RandomSource } from './random-source';

type Loaded = 'reference' | 'modified' | 'programmed';
const LOADED: Loaded[] = ['reference', 'modified', 'programmed'];

export class InferenceTileExtras {
  readonly lifecycle: InferenceTileLifecycle;
  /** The unmodified weights while the device holds another copy (null: the device holds them). */
  private reference: Float32Array | null = null;
  /** The modified copy of the last post-update step (null: none drawn yet, or no modifier). */
  private modified: Float32Array | null = null;
  private loaded: Loaded = 'reference';
  /** Whether evaluation applies the drift-compensation alpha (to compare with and without). */
  compensationEnabled = true;

  constructor(
    readonly tile: AnalogTile,
    readonly config: InferenceRPUConfig,
    private readonly rng: Rng,
  ) {
    const adapter: ProgrammableTile = {
      inSize: tile.inSize,
      outSize: tile.outSize,
      getTileWeights: () => this.referenceWeights(),
      setTileWeights: (w) => {
        if (this.loaded === 'reference') this.reference = tile.getWeights();
        tile.setWeights(w);
        this.loaded = 'programmed';
      },
      readForward: (x, batch) => this.readForward(x, batch),
    };
    this.lifecycle = new InferenceTileLifecycle(
      adapter,
      createNoiseModel(config.noise_model),
      config.drift_compensation?.type ?? null,
    );
  }

  /** The unmodified (trained) tile weights. */
  referenceWeights(): Float32Array {
    return this.loaded === 'reference' ? this.tile.getWeights() : (this.reference as Float32Array).slice();
  }

  /** The weights the device holds now (modified, programmed/drifted, or the reference). */
  get loadedWeights(): Loaded {
    return this.loaded;
  }

  private load(which: 'reference' | 'modified'): void {
    if (this.loaded === which) return;
    if (which === 'modified') {
      if (this.loaded === 'reference') this.reference = this.tile.getWeights();
      this.tile.setWeights(this.modified as Float32Array);
    } else {
      this.tile.setWeights(this.reference as Float32Array);
      this.reference = null;
    }
    this.loaded = which;
  }

  /**
   * Before every forward pass: the weights this mode uses, and the output scale (alpha only in
   * evaluation, as AIHWKit applies it only when `is_test`).
   */
  prepareForward(training: boolean): void {
    if (this.loaded === 'programmed') {
      if (training) {
        throw new Error(
          'InferenceRPUConfig tile: training after programming is not supported (the tile holds programmed weights)',
        );
      }
    } else if (this.modified && (training || this.config.modifier.enable_during_test)) {
      this.load('modified');
    } else {
      this.load('reference');
    }
    const alpha = this.compensationEnabled ? this.lifecycle.alpha : null;
    // The tile takes a number for one global scale, an array for one scale per output.
    this.tile.outputScale = training || !alpha ? null : alpha.length === 1 ? alpha[0] : alpha;
  }

  /** Before the tile update: the unmodified weights receive it. */
  prepareUpdate(): void {
    if (this.loaded === 'programmed') {
      throw new Error('InferenceRPUConfig tile: cannot update programmed weights');
    }
    this.load('reference');
  }

  /**
   * After the update, once per mini-batch: clip → remap → draw the modifier's copy (reference §5.1).
   * Returns the mapping scales after remapping (the given array updated in place, or new scales of 1
   * remapped when there were none).
   */
  postUpdateStep(mappingScales: Float32Array | null): Float32Array | null {
    this.load('reference');
    const { clip, remap, modifier } = this.config;
    const rows = this.tile.outSize;
    const cols = this.tile.inSize;
    const needsClip = clip.type !== 'NONE';
    const needsRemap = remap.type !== 'NONE';
    if (needsClip || needsRemap) {
      const w = this.tile.getWeights();
      if (needsClip) clipWeightsInPlace(w, rows, cols, clip);
      if (needsRemap) {
        // AIHWKit's inference tile starts remapping from scales of 1 (init_mapping_scales).
        mappingScales ??= new Float32Array(rows).fill(1);
        remapWeightsInPlace(w, mappingScales, rows, cols, remap);
      }
      this.tile.setWeights(w);
    }
    this.modified = modifierIsActive(modifier)
      ? modifyWeightsArray(this.tile.getWeights(), rows, cols, modifier, this.rng)
      : null;
    return mappingScales;
  }

  /** The tile's raw forward in evaluation mode (no alpha), for the drift-compensation readout. */
  private readForward(x: Float32Array, batch: number): Float32Array {
    const scale = this.tile.outputScale;
    this.tile.outputScale = null;
    // Not inside tf.tidy: the tile caches its weight tensors across calls.
    const input = tf.tensor2d(x, [batch, this.tile.inSize]);
    try {
      const y = this.tile.forward(input);
      const values = y.dataSync() as Float32Array;
      y.dispose();
      return values;
    } finally {
      input.dispose();
      this.tile.outputScale = scale;
    }
  }

  program(random: RandomSource): void {
    this.lifecycle.program(random);
  }

  drift(tInference: number, random: RandomSource): void {
    this.lifecycle.drift(tInference, random);
  }

  /** New trained weights (AIHWKit set_weights): drops the modified copy and any programming. */
  setReferenceWeights(values: ArrayLike<number>): void {
    this.reference = null;
    this.modified = null;
    this.loaded = 'reference';
    this.lifecycle.setState(emptyLifecycleState());
    this.tile.setWeights(values);
  }

  /** Back to the trained weights (unprogrammed). */
  resetProgramming(): void {
    if (this.loaded !== 'programmed') return;
    this.tile.setWeights(this.reference as Float32Array);
    this.reference = null;
    this.loaded = 'reference';
    this.lifecycle.setState(emptyLifecycleState());
  }

  getState(): StateRecord {
    const s: StateRecord = { loaded: LOADED.indexOf(this.loaded) };
    if (this.reference) s.reference = this.reference.slice();
    if (this.modified) s.modified = this.modified.slice();
    const l = this.lifecycle.getState();
    if (l.reference) s['life.reference'] = l.reference;
    if (l.programmed) s['life.programmed'] = l.programmed;
    l.driftParameters?.forEach((d, k) => (s[`life.drift${k}`] = d));
    if (l.baseline) s['life.baseline'] = l.baseline;
    if (l.alpha) s['life.alpha'] = l.alpha;
    s['life.tInference'] = l.tInference ?? -1;
    return s;
  }

  /** Restores what `getState` saved (the device weights come with the tile's own state). */
  setState(s: StateRecord): void {
    const loaded = LOADED[s.loaded as number];
    if (!loaded) throw new Error('inference tile state: "loaded" is missing or invalid');
    const f32 = (key: string) => {
      const v = s[key];
      if (v === undefined) return null;
      if (!(v instanceof Float32Array))
        throw new Error(`inference tile state: "${key}" must be a Float32Array`);
      return v.slice();
    };
    const f64 = (key: string) => {
      const v = s[key];
      if (v === undefined) return null;
      if (!(v instanceof Float64Array))
        throw new Error(`inference tile state: "${key}" must be a Float64Array`);
      return v.slice();
    };
    this.loaded = loaded;
    this.reference = f32('reference');
    this.modified = f32('modified');
    if (loaded !== 'reference' && !this.reference) {
      throw new Error('inference tile state: the reference weights are missing');
    }
    const drift: Float64Array[] = [];
    for (let k = 0; s[`life.drift${k}`] !== undefined; k++) drift.push(f64(`life.drift${k}`) as Float64Array);
    const t = s['life.tInference'];
    const state: InferenceTileState = {
      reference: f32('life.reference'),
      programmed: f32('life.programmed'),
      driftParameters: drift.length > 0 ? drift : null,
      baseline: f64('life.baseline'),
      alpha: f32('life.alpha'),
      tInference: typeof t === 'number' && t >= 0 ? t : null,
    };
    this.lifecycle.setState(state);
  }
}
