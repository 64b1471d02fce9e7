/**
 * InferenceSession: a trained network on analog inference hardware (reference §5.1). It builds the
 * model from its layer list with an InferenceRPUConfig, loads trained weights (TrainingSession's
 * `exportWeights()`, or the model's own initialisation), then
 *
 * - `program(seed)` programs every inference tile once (programming noise, drift exponents, and the
 *   drift-compensation baseline),
 * - `drift(t_inference)` moves every tile to t seconds after programming (power-law drift and fresh
 *   read noise, each call from the same programmed state) and re-estimates the compensation alpha,
 * - `evaluate()` measures test loss and accuracy with the weights the tiles hold now,
 * - `evaluateDriftTable()` repeats program → drift → evaluate over a list of times, with and without
 *   drift compensation, and summarizes the repeats per time,
 * - `histograms()` gives weight and conductance histograms (flat arrays) of the trained, programmed
 *   and drifted states,
 * - `checkpoint()` / `InferenceSession.restore()` continue bit for bit.
 *
 * Random streams: the session stream (seeded by `seed`) gives the initial weights and the IO noise of
 * every forward pass; `program(seed)` starts a programming stream of its own, which then also gives
 * the read noise of the following drift calls, so program(s) → drift(t₁) → drift(t₂) is reproducible
 * from s alone.
 */
import { createHash } from 'node:crypto';
import * as tf from '@tensorflow/tfjs-core';
import { backendInfo, initBackend, type BackendInfo } from '../backend/backend';
import { readSync } from '../backend/read';
import { decodeCheckpoint, encodeCheckpoint } from '../checkpoint/blob';
import { IMAGE_SHAPE, prepareDataset, type PreparedDataset } from '../data/batches';
import { prefixState, unprefixState, type StateRecord } from '../devices/device-array';
import type { ExportedWeights } from '../experiment/training-session';
import { canonicalJson } from '../experiment/options';
import { Sequential } from '../layers/all-layers';
import { Rng } from '../random/rng';
import { classificationLoss } from '../training/losses';
import { SIM_CORE_VERSION } from '../version';
import { inferenceTiles, type InferenceTileEntry } from './analog-model';
import { toConductances } from './conductance-converter';
import { checkDriftTableRequest, summarizeRepeats, type DriftTableRow } from './drift-table';
import { histogram, type HistogramData } from './histogram';
import {
  parseInferenceSessionOptions,
  type InferenceSessionOptions,
  type InferenceSessionOptionsInput,
} from './inference-session-options';
import { loadExportedWeights } from './load-weights';

/** Local alias: looking up the global `Math` inside a vm context (jest) is far slower. */
const M = Math;

export interface InferenceEnvironment {
  /** Directory where decoded data sets may be cached (optional). */
  dataCacheDir?: string;
}

export interface InferenceEvaluation {
  /** Mean test loss (null if it diverged). */
  loss: number | null;
  /** Fraction of test images classified correctly, 0..1. */
  accuracy: number;
  images: number;
}

export interface DriftTableOptions {
  /** Seconds after programming. */
  t_inference: number[];
  /** Programmings per time (each repeat programs afresh, then drifts to every time). */
  repeats: number;
  /** Rows with drift compensation (true), without (false), or both. */
  compensation: boolean | 'both';
  onProgress?: (progress: DriftTableProgress) => void;
  signal?: AbortSignal;
}

export interface DriftTableProgress {
  /** Evaluations done / to do. */
  done: number;
  total: number;
  repeat: number;
  t_inference: number;
}

/** One histogram, in the shape of the results store's histogram records. */
export interface HistogramRecord extends HistogramData {
  label: string;
  quantity: 'weight' | 'conductance';
  stage: 'trained' | 'programmed' | 'drifted';
  t_inference?: number;
  layer: string;
}

const CHECKPOINT_KIND = 'inference-session';

const finiteOrNull = (v: number): number | null => (Number.isFinite(v) ? v : null);

function abortError(): Error {
  const e = new Error('drift table aborted');
  e.name = 'AbortError';
  return e;
}

export class InferenceSession {
  readonly options: InferenceSessionOptions;
  readonly backend: BackendInfo;
  private readonly rng: Rng;
  private readonly model: Sequential;
  private readonly tiles: InferenceTileEntry[];
  private readonly data: PreparedDataset;
  private readonly fingerprint: string;
  /** The stream of the current programming (null: not programmed). */
  private programRng: Rng | null = null;
  private programSeed: number | null = null;
  private disposed = false;

  private constructor(options: InferenceSessionOptions, env: InferenceEnvironment, backend: BackendInfo) {
    this.options = options;
    this.backend = backend;
    this.fingerprint = createHash('sha256').update(canonicalJson(options)).digest('hex');
    this.data = prepareDataset(options.dataset, { cacheDir: env.dataCacheDir });
    this.rng = new Rng(options.seed);
    this.model = Sequential.fromSpecs(options.model, options.rpu_config, this.rng);
    this.tiles = inferenceTiles(this.model.layers);
    if (this.tiles.length === 0) {
      throw new Error(
        'InferenceSession: the model has no analog layer (AnalogLinear or AnalogConv2d) to program',
      );
    }
  }

  /**
   * A new session. `weights`: trained weights as `TrainingSession.exportWeights()` gives them;
   * without them the model keeps its initialisation from `seed`.
   */
  static async create(
    options: InferenceSessionOptionsInput,
    weights: ExportedWeights | null = null,
    env: InferenceEnvironment = {},
  ): Promise<InferenceSession> {
    const parsed = parseInferenceSessionOptions(options);
    const session = new InferenceSession(parsed, env, await ensureBackend());
    if (weights) {
      try {
        loadExportedWeights(session.model, weights);
      } catch (error) {
        session.dispose();
        throw error;
      }
    }
    return session;
  }

  /** A session continued from `checkpoint()`, with the options it was made with. */
  static async restore(
    options: InferenceSessionOptionsInput,
    checkpoint: Uint8Array,
    env: InferenceEnvironment = {},
  ): Promise<InferenceSession> {
    const decoded = decodeCheckpoint(checkpoint, CHECKPOINT_KIND);
    const session = await InferenceSession.create(options, null, env);
    try {
      session.load(decoded.meta, decoded.state);
    } catch (error) {
      session.dispose();
      throw error;
    }
    return session;
  }

  private checkOpen(): void {
    if (this.disposed) throw new Error('InferenceSession has been disposed');
  }

  /** Whether `program()` has run (and `reset()` has not since). */
  get programmed(): boolean {
    return this.programRng !== null;
  }

  /** The t_inference the tiles are at now (null: trained weights, or programmed and not drifted). */
  get tInference(): number | null {
    return this.tiles[0].extras.lifecycle.tInference;
  }

  /** Programs every inference tile (programming noise, drift exponents, compensation baseline). */
  program(seed: number): void {
    this.checkOpen();
    if (!Number.isSafeInteger(seed) || seed < 0)
      throw new Error(`program: seed must be an integer ≥ 0 (got ${seed})`);
    const rng = new Rng(seed);
    for (const { extras } of this.tiles) {
      extras.prepareForward(false);
      extras.program(rng);
    }
    this.programRng = rng;
    this.programSeed = seed;
  }

  /**
   * Drifts every tile to `tInference` seconds after programming, with fresh read noise, and
   * re-estimates the drift compensation. Programs first (seed 0) if `program()` was never called.
   */
  drift(tInference: number): void {
    this.checkOpen();
    if (!Number.isFinite(tInference) || tInference < 0) {
      throw new Error(`drift: t_inference must be a finite number ≥ 0 s (got ${tInference})`);
    }
    for (const { extras } of this.tiles) extras.lifecycle.noiseModel.checkInferenceTime(tInference);
    if (!this.programRng) this.program(0);
    for (const { extras } of this.tiles) extras.drift(tInference, this.programRng as Rng);
  }

  /** Back to the trained weights. */
  reset(): void {
    this.checkOpen();
    for (const { extras } of this.tiles) extras.resetProgramming();
    this.programRng = null;
    this.programSeed = null;
  }

  /**
   * Test loss and accuracy with the weights the tiles hold now. `compensation` false evaluates
   * without the drift-compensation alpha (default: apply it where the RPU config has one).
   */
  evaluate(options: { compensation?: boolean } = {}): InferenceEvaluation {
    this.checkOpen();
    for (const { extras } of this.tiles) extras.compensationEnabled = options.compensation !== false;
    const test = this.data.test;
    const size = this.options.eval_batch_size;
    let lossSum = 0;
    let correct = 0;
    for (let s = 0; s < test.count; s += size) {
      const batch = test.range(s, s + size);
      const x = tf.tensor4d(batch.x, [batch.size, ...IMAGE_SHAPE]);
      const out = this.model.forward(x, { training: false, rng: this.rng });
      try {
        const { loss, grad } = classificationLoss(this.options.loss.type, out, batch.labels);
        grad.dispose();
        lossSum += loss * batch.size;
        const predicted = readSync<Int32Array>(() => tf.argMax(out, 1));
        for (let b = 0; b < batch.size; b++) if (predicted[b] === batch.labels[b]) correct++;
      } finally {
        tf.dispose([x, out]);
      }
    }
    return {
      loss: finiteOrNull(lossSum / M.max(test.count, 1)),
      accuracy: test.count > 0 ? correct / test.count : 0,
      images: test.count,
    };
  }

  /**
   * Accuracy versus time: for each repeat, program afresh (seeds drawn from the session seed), then
   * for each t_inference drift and evaluate (with and/or without drift compensation); one row per
   * (t_inference, compensation), summarizing the repeats. Leaves the tiles in the last drifted state.
   */
  async evaluateDriftTable(opts: DriftTableOptions): Promise<DriftTableRow[]> {
    this.checkOpen();
    checkDriftTableRequest(opts.t_inference, opts.repeats);
    for (const t of opts.t_inference) {
      for (const { extras } of this.tiles) extras.lifecycle.noiseModel.checkInferenceTime(t);
    }
    const modes = opts.compensation === 'both' ? [true, false] : [opts.compensation];
    if (modes.includes(true) && this.tiles.every(({ extras }) => extras.lifecycle.compensation === null)) {
      throw new Error(
        'evaluateDriftTable: compensation requested, but rpu_config.drift_compensation is null',
      );
    }
    const seeds = new Rng(this.options.seed);
    const cells = new Map<string, { accuracies: number[]; losses: number[] }>();
    const key = (t: number, c: boolean) => `${t}|${c}`;
    const total = opts.repeats * opts.t_inference.length * modes.length;
    let done = 0;
    for (let repeat = 0; repeat < opts.repeats; repeat++) {
      this.program(seeds.nextSeed());
      for (const t of opts.t_inference) {
        this.drift(t);
        for (const compensation of modes) {
          if (opts.signal?.aborted) throw abortError();
          const r = this.evaluate({ compensation });
          const cell = cells.get(key(t, compensation)) ?? { accuracies: [], losses: [] };
          cell.accuracies.push(r.accuracy);
          cell.losses.push(r.loss ?? NaN);
          cells.set(key(t, compensation), cell);
          done++;
          opts.onProgress?.({ done, total, repeat, t_inference: t });
          await new Promise<void>((resolve) => setImmediate(resolve));
        }
      }
    }
    const rows: DriftTableRow[] = [];
    for (const t of opts.t_inference) {
      for (const compensation of modes) {
        const cell = cells.get(key(t, compensation));
        if (cell) rows.push(summarizeRepeats(t, compensation, cell.accuracies, cell.losses));
      }
    }
    return rows;
  }

  /**
   * Histograms of every analog inference layer: logical weights (tile weights × mapping scales) and
   * device conductances (µS, g⁺ and g⁻ of every tile, as the noise model's converter maps them), for
   * the trained weights, the programmed ones (after `program`) and the drifted ones (after `drift`).
   */
  histograms(options: { bins?: number } = {}): HistogramRecord[] {
    this.checkOpen();
    const bins = options.bins ?? 50;
    const byLayer = new Map<number, InferenceTileEntry[]>();
    for (const entry of this.tiles) byLayer.set(entry.layer, [...(byLayer.get(entry.layer) ?? []), entry]);
    const out: HistogramRecord[] = [];
    for (const [index, entries] of byLayer) {
      const layer = `${index}:${this.model.layers[index].type}`;
      const life = entries[0].extras.lifecycle;
      const stages: {
        stage: HistogramRecord['stage'];
        tile: (e: InferenceTileEntry) => Float32Array | null;
      }[] = [
        { stage: 'trained', tile: (e) => e.extras.referenceWeights() },
        { stage: 'programmed', tile: (e) => e.extras.lifecycle.programmed },
        {
          stage: 'drifted',
          tile: (e) => (e.extras.lifecycle.tInference !== null ? e.slot.tile.getWeights() : null),
        },
      ];
      for (const { stage, tile } of stages) {
        const perTile = entries.map((e) => ({ e, w: tile(e) }));
        if (perTile.some(({ w }) => w === null)) continue;
        const weights: number[] = [];
        const conductances: number[] = [];
        for (const { e, w } of perTile) {
          const m = e.slot.mappingScales;
          const cols = e.slot.tile.inSize;
          (w as Float32Array).forEach((v, k) => weights.push(m ? v * m[M.floor(k / cols)] : v));
          const g = toConductances(w as Float32Array, e.extras.lifecycle.noiseModel.converter);
          for (const slice of g.slices) for (const v of slice) conductances.push(v);
        }
        const t = stage === 'drifted' ? (life.tInference ?? undefined) : undefined;
        const when = stage === 'drifted' ? `drifted to ${t} s` : stage;
        out.push({
          label: `weights ${when}, layer ${layer}`,
          quantity: 'weight',
          stage,
          ...(t !== undefined ? { t_inference: t } : {}),
          layer,
          ...histogram(weights, { bins }),
        });
        out.push({
          label: `conductances ${when}, layer ${layer}`,
          quantity: 'conductance',
          stage,
          ...(t !== undefined ? { t_inference: t } : {}),
          layer,
          ...histogram(conductances, { bins }),
        });
      }
    }
    return out;
  }

  /** Everything needed to continue bit for bit, as a versioned binary blob. */
  checkpoint(): Uint8Array {
    this.checkOpen();
    let state: StateRecord = {
      rng: this.rng.state(),
      ...prefixState('model.', this.model.getState()),
    };
    if (this.programRng) state.programRng = this.programRng.state();
    this.tiles.forEach(
      ({ extras }, k) => (state = { ...state, ...prefixState(`inference.${k}.`, extras.getState()) }),
    );
    return encodeCheckpoint(
      CHECKPOINT_KIND,
      { fingerprint: this.fingerprint, sim_core_version: SIM_CORE_VERSION, program_seed: this.programSeed },
      state,
    );
  }

  private load(meta: unknown, state: StateRecord): void {
    const m = meta as { fingerprint?: unknown; program_seed?: unknown } | null;
    if (m?.fingerprint !== this.fingerprint) {
      throw new Error('InferenceSession.restore: the checkpoint was made with different options');
    }
    const rng = state.rng;
    if (!(rng instanceof Uint32Array)) throw new Error('inference checkpoint: "rng" is missing');
    this.model.setState(unprefixState('model.', state));
    this.tiles.forEach(({ extras }, k) => extras.setState(unprefixState(`inference.${k}.`, state)));
    this.rng.setState(rng);
    const program = state.programRng;
    this.programRng = program instanceof Uint32Array ? Rng.fromState(program) : null;
    this.programSeed = typeof m.program_seed === 'number' ? m.program_seed : null;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.model.dispose();
  }
}

async function ensureBackend(): Promise<BackendInfo> {
  try {
    return backendInfo();
  } catch {
    return initBackend();
  }
}
