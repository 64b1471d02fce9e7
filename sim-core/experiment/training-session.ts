/**
 * TrainingSession: the high-level API the workflow activities call. It owns one experiment's model,
 * optimizer, data and random stream, trains in slices of batches (so that an activity can heartbeat,
 * checkpoint and stop between slices), evaluates on the test set at the end of each epoch, and
 * serialises everything needed to continue bit for bit into a checkpoint blob.
 *
 * Usable inside a Node worker thread: it keeps no global state besides tfjs's backend (initBackend()
 * is called per thread) and the per-process data-set cache; trainBatches yields to the event loop
 * between batches so that an abort message can arrive.
 */
import { createHash } from 'node:crypto';
import * as tf from '@tensorflow/tfjs-core';
import { backendInfo, initBackend, type BackendInfo } from '../backend/backend';
import { readSync } from '../backend/read';
import { decodeCheckpoint, encodeCheckpoint } from '../checkpoint/blob';
import { epochOrder, IMAGE_SHAPE, prepareDataset, type Batch, type PreparedDataset } from '../data/batches';
import { prefixState, unprefixState, type StateRecord } from '../devices/device-array';
import type { ExportedLayerWeights } from '../layers/layer';
import { Sequential } from '../layers/all-layers';
import { Rng } from '../random/rng';
import { classificationLoss } from '../training/losses';
import { AnalogSGD, scheduledLr } from '../training/optimizer';
import { SIM_CORE_VERSION } from '../version';
import {
  canonicalJson,
  parseTrainingSessionOptions,
  type TrainingSessionOptions,
  type TrainingSessionOptionsInput,
} from './options';

export interface SessionEnvironment {
  /** Directory where decoded data sets may be cached (optional; sim-core reads no configuration). */
  dataCacheDir?: string;
}

export interface SessionPosition {
  /** The epoch in progress, 0-based (= number of completed epochs). */
  epoch: number;
  /** Batches done in this epoch. */
  batch: number;
  batchesPerEpoch: number;
  /** Epochs the training asks for. */
  epochs: number;
  /** All epochs done. */
  finished: boolean;
}

/** Per-epoch metrics, as contracts/results.ts `epochMetricsSchema` (diverged values are null). */
export interface EpochMetrics {
  epoch: number;
  train_loss: number | null;
  test_loss: number | null;
  test_accuracy: number | null;
  lr: number;
  time_epoch: number;
}

export interface BatchProgress {
  epoch: number;
  batch: number;
  batchesPerEpoch: number;
  loss: number | null;
}

export interface TrainBatchesOptions {
  onProgress?: (progress: BatchProgress) => void;
  signal?: AbortSignal;
}

export interface TrainBatchesResult {
  /** Batches trained by this call. */
  batches: number;
  /** Set when this call finished an epoch (the call returns right after it). */
  epochCompleted?: EpochMetrics;
  /** The call stopped because the signal was aborted. */
  aborted: boolean;
}

export interface Evaluation {
  test_loss: number | null;
  test_accuracy: number | null;
  images: number;
}

export interface ExportedWeights {
  sim_core_version: string;
  layers: ({ index: number; type: string } & ExportedLayerWeights)[];
}

const CHECKPOINT_KIND = 'training-session';
const EVAL_BATCH = 1000;

const finiteOrNull = (v: number): number | null => (Number.isFinite(v) ? v : null);

interface Progress {
  epoch: number;
  batch: number;
  /** Seed of the current epoch's order (drawn from the stream at the epoch's first batch). */
  epochSeed: number;
  trainLossSum: number;
  trainImages: number;
  timeEpoch: number;
}

export class TrainingSession {
  readonly options: TrainingSessionOptions;
  readonly backend: BackendInfo;
  readonly batchesPerEpoch: number;
  private readonly rng: Rng;
  private readonly model: Sequential;
  private readonly optimizer: AnalogSGD;
  private readonly data: PreparedDataset;
  private readonly fingerprint: string;
  private progress: Progress = {
    epoch: 0,
    batch: 0,
    epochSeed: 0,
    trainLossSum: 0,
    trainImages: 0,
    timeEpoch: 0,
  };
  private order: Uint32Array | null = null;
  private disposed = false;

  private constructor(options: TrainingSessionOptions, env: SessionEnvironment, backend: BackendInfo) {
    this.options = options;
    this.backend = backend;
    this.fingerprint = createHash('sha256').update(canonicalJson(options)).digest('hex');
    this.data = prepareDataset(options.dataset, { cacheDir: env.dataCacheDir });
    this.batchesPerEpoch = Math.ceil(this.data.train.count / options.training.batch_size);
    this.rng = new Rng(options.seed);
    this.model = Sequential.fromSpecs(options.model, options.rpu_config, this.rng);
    this.optimizer = new AnalogSGD(options.training.optimizer, this.model);
    this.optimizer.lr = scheduledLr(options.training.optimizer.lr, options.training.scheduler, 0);
  }

  /** A new session (initialises the tensor backend if nobody did). */
  static async create(
    options: TrainingSessionOptionsInput,
    env: SessionEnvironment = {},
  ): Promise<TrainingSession> {
    const parsed = parseTrainingSessionOptions(options);
    const backend = await ensureBackend();
    return new TrainingSession(parsed, env, backend);
  }

  /** A session continued from `checkpoint()`, with the same options it was made with. */
  static async restore(
    options: TrainingSessionOptionsInput,
    checkpoint: Uint8Array,
    env: SessionEnvironment = {},
  ): Promise<TrainingSession> {
    const decoded = decodeCheckpoint(checkpoint, CHECKPOINT_KIND);
    const session = await TrainingSession.create(options, env);
    try {
      session.load(decoded.meta, decoded.state);
    } catch (error) {
      session.dispose();
      throw error;
    }
    return session;
  }

  get position(): SessionPosition {
    const { epoch, batch } = this.progress;
    const epochs = this.options.training.epochs;
    return { epoch, batch, batchesPerEpoch: this.batchesPerEpoch, epochs, finished: epoch >= epochs };
  }

  /** The learning rate of the epoch in progress. */
  get lr(): number {
    return this.optimizer.lr;
  }

  private checkOpen(): void {
    if (this.disposed) throw new Error('TrainingSession has been disposed');
  }

  /**
   * Train up to `maxBatches` batches. Returns early when an epoch ends (with its metrics, after the
   * test-set evaluation), when all epochs are done, or when `signal` is aborted (between batches).
   */
  async trainBatches(maxBatches: number, options: TrainBatchesOptions = {}): Promise<TrainBatchesResult> {
    this.checkOpen();
    if (!(Number.isInteger(maxBatches) && maxBatches >= 0))
      throw new Error(`maxBatches must be an integer ≥ 0, got ${maxBatches}`);
    let done = 0;
    while (done < maxBatches && !this.position.finished) {
      if (options.signal?.aborted) return { batches: done, aborted: true };
      const loss = this.trainOneBatch();
      done++;
      const p = this.progress;
      options.onProgress?.({
        epoch: p.epoch,
        batch: p.batch,
        batchesPerEpoch: this.batchesPerEpoch,
        loss: finiteOrNull(loss),
      });
      if (p.batch === this.batchesPerEpoch)
        return { batches: done, epochCompleted: this.finishEpoch(), aborted: false };
      // Let messages (e.g. an abort from the parent thread) in between batches.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    return { batches: done, aborted: options.signal?.aborted ?? false };
  }

  private trainOneBatch(): number {
    const p = this.progress;
    const bs = this.options.training.batch_size;
    if (p.batch === 0) {
      p.epochSeed = this.rng.nextSeed();
      this.order = null;
    }
    if (!this.order) this.order = epochOrder(this.data.train.count, p.epochSeed);
    const start = performance.now();
    const batch = this.data.train.batch(this.order.subarray(p.batch * bs, (p.batch + 1) * bs));
    const loss = this.step(batch);
    p.trainLossSum += loss * batch.size;
    p.trainImages += batch.size;
    p.batch++;
    p.timeEpoch += (performance.now() - start) / 1000;
    return loss;
  }

  private step(batch: Batch): number {
    const x = tf.tensor4d(batch.x, [batch.size, ...IMAGE_SHAPE]);
    let out: tf.Tensor | null = null;
    try {
      out = this.model.forward(x, { training: true, rng: this.rng });
      const { loss, grad } = classificationLoss(this.options.training.loss.type, out, batch.labels);
      try {
        this.model.backward(grad);
      } finally {
        grad.dispose();
      }
      this.optimizer.step();
      return loss;
    } finally {
      this.model.clearCache();
      x.dispose();
      out?.dispose();
    }
  }

  private finishEpoch(): EpochMetrics {
    const p = this.progress;
    const evaluation = this.evaluate();
    const metrics: EpochMetrics = {
      epoch: p.epoch + 1,
      train_loss: finiteOrNull(p.trainLossSum / Math.max(p.trainImages, 1)),
      test_loss: evaluation.test_loss,
      test_accuracy: evaluation.test_accuracy,
      lr: this.optimizer.lr,
      time_epoch: p.timeEpoch,
    };
    this.progress = {
      epoch: p.epoch + 1,
      batch: 0,
      epochSeed: 0,
      trainLossSum: 0,
      trainImages: 0,
      timeEpoch: 0,
    };
    this.order = null;
    const o = this.options.training;
    this.optimizer.lr = scheduledLr(o.optimizer.lr, o.scheduler, this.progress.epoch);
    return metrics;
  }

  /** Mean loss and accuracy on the test split (eval mode: no dropout; analog noise as configured). */
  evaluate(): Evaluation {
    this.checkOpen();
    const test = this.data.test;
    let lossSum = 0;
    let correct = 0;
    for (let s = 0; s < test.count; s += EVAL_BATCH) {
      const batch = test.range(s, s + EVAL_BATCH);
      const x = tf.tensor4d(batch.x, [batch.size, ...IMAGE_SHAPE]);
      const out = this.model.forward(x, { training: false, rng: this.rng });
      try {
        const { loss, grad } = classificationLoss(this.options.training.loss.type, out, batch.labels);
        grad.dispose();
        lossSum += loss * batch.size;
        const predicted = readSync<Int32Array>(() => tf.argMax(out, 1));
        for (let b = 0; b < batch.size; b++) if (predicted[b] === batch.labels[b]) correct++;
      } finally {
        tf.dispose([x, out]);
      }
    }
    return {
      test_loss: finiteOrNull(lossSum / Math.max(test.count, 1)),
      test_accuracy: test.count > 0 ? correct / test.count : null,
      images: test.count,
    };
  }

  /** Everything needed to continue bit for bit, as a versioned binary blob. */
  checkpoint(): Uint8Array {
    this.checkOpen();
    const p = this.progress;
    const state: StateRecord = {
      rng: this.rng.state(),
      epoch: p.epoch,
      batch: p.batch,
      epochSeed: p.epochSeed,
      trainLossSum: p.trainLossSum,
      trainImages: p.trainImages,
      timeEpoch: p.timeEpoch,
      ...prefixState('optimizer.', this.optimizer.getState()),
      ...prefixState('model.', this.model.getState()),
    };
    return encodeCheckpoint(
      CHECKPOINT_KIND,
      { fingerprint: this.fingerprint, sim_core_version: SIM_CORE_VERSION },
      state,
    );
  }

  private load(meta: unknown, state: StateRecord): void {
    const m = meta as { fingerprint?: unknown } | null;
    if (!m || m.fingerprint !== this.fingerprint) {
      throw new Error(
        'Invalid checkpoint: it was made for different session options (model, config, data, training or seed)',
      );
    }
    const num = (key: string): number => {
      const v = state[key];
      if (typeof v !== 'number') throw new Error(`Invalid checkpoint: "${key}" is missing`);
      return v;
    };
    const rng = state.rng;
    if (!(rng instanceof Uint32Array))
      throw new Error('Invalid checkpoint: the random stream state is missing');
    this.model.setState(unprefixState('model.', state));
    this.optimizer.setState(unprefixState('optimizer.', state));
    this.rng.setState(rng);
    this.progress = {
      epoch: num('epoch'),
      batch: num('batch'),
      epochSeed: num('epochSeed'),
      trainLossSum: num('trainLossSum'),
      trainImages: num('trainImages'),
      timeEpoch: num('timeEpoch'),
    };
    this.order = null;
  }

  /** Per layer: weights, biases and (analog layers) each tile's place, mapping scales and hidden state. */
  exportWeights(): ExportedWeights {
    this.checkOpen();
    const layers: ExportedWeights['layers'] = [];
    this.model.layers.forEach((layer, index) => {
      const w = layer.exportWeights?.();
      if (w) layers.push({ index, type: layer.type, ...w });
    });
    return { sim_core_version: SIM_CORE_VERSION, layers };
  }

  dispose(): void {
    if (this.disposed) return;
    this.model.dispose();
    this.disposed = true;
  }
}

async function ensureBackend(): Promise<BackendInfo> {
  try {
    return backendInfo();
  } catch {
    return initBackend();
  }
}
