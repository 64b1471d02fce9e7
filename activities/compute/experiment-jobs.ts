/**
 * The compute jobs of an experiment on sim-core, run inside compute threads: a training chunk,
 * programming the weights, the drift study. `init` starts the tensor backend the queue asks for
 * (cpu: the best CPU backend; gpu: WebGPU only, failing when there is no adapter; imc: the CPU
 * backend driving the IMC hardware backend's emulator).
 */
import { backendInfo, initBackend } from '../../sim-core/backend/backend';
import {
  TrainingSession,
  type EpochMetrics,
  type ExportedWeights,
} from '../../sim-core/experiment/training-session';
import { histogram } from '../../sim-core/inference/histogram';
import type { ComputeQueue } from '../../contracts/queues';
import type { Histogram, InferencePoint } from '../../contracts/results';
import type { TrainingSessionOptionsInput } from '../../sim-core/experiment/options';
import { SIM_CORE_VERSION } from '../../sim-core/version';
import { parseExperiment } from '../../experiment-spec/parse';
import { simCoreTraining, type ExperimentSpec, type TrainingExperiment } from '../../experiment-spec/schema';
import { EMULATOR_CHIP } from '../../imc/emulator-chip';
import type { ComputeModule } from './thread-runtime';
import { createHash } from 'node:crypto';
import type {
  ComputeThreadInfo,
  NeedBytes,
  DriftInferOutput,
  ExperimentJobs,
  ProgramOutput,
  ProgramPayload,
  TrainChunkOutput,
} from './catalog';
import { InferenceSession } from '../../sim-core/inference/inference-session';
import {
  parseInferenceSessionOptions,
  type InferenceSessionOptions,
} from '../../sim-core/inference/inference-session-options';
import { summarizeRepeats } from '../../sim-core/inference/drift-table';
import { Rng } from '../../sim-core/random/rng';
import type { ImcHardwareBackend, ImcNetwork } from '../../imc/backend';
import { EmulatedChip } from '../../imc/emulator';
import { decodeWeights, encodeWeights } from './weights-codec';

/** Errors named like this are not retried (see activities/experiment/run-compute.ts). */
class JobError extends Error {
  constructor(name: 'InvalidExperiment' | 'Unsupported', message: string) {
    super(message);
    this.name = name;
  }
}

class AbortedError extends Error {
  constructor() {
    super('the job was cancelled');
    this.name = 'Aborted';
  }
}

let dataCacheDir: string | undefined;
/** Which tensor backend this thread runs on: the compute queue's. */
let target: ComputeQueue = 'cpu';
let chip: ImcHardwareBackend | null = null;

const seconds = (since: number) => (performance.now() - since) / 1000;

/**
 * The session of this thread's last job, kept while its state is exactly a stored one (same
 * SHA-256): the next step of the same experiment, if it lands on this thread, goes on with it
 * instead of loading and restoring the bytes. sim-core restores bit for bit, so both ways give the
 * same results (activities/compute/experiment-jobs.test.ts checks it).
 */
let held: { experimentId: string; kind: string; sha256: string; session: unknown; dispose(): void } | null =
  null;

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

function keep(experimentId: string, kind: string, state: Uint8Array, session: unknown, dispose: () => void) {
  if (held && held.session !== session) held.dispose();
  held = { experimentId, kind, sha256: sha256(state), session, dispose };
}

/** The held session if it is the one asked for (it is then the caller's), else null. */
function take<S>(experimentId: string, kind: string, sha: string): S | null {
  if (held && held.experimentId === experimentId && held.kind === kind && held.sha256 === sha) {
    const session = held.session as S;
    held = null;
    return session;
  }
  release();
  return null;
}

function release(): void {
  held?.dispose();
  held = null;
}

/**
 * What later inference experiments need of trained weights: logical weights, biases, buffers and
 * each tile's place and scales; the tiles' hidden device state (several arrays per weight) is left
 * out, since programming starts from the logical weights (sim-core inference/load-weights.ts).
 */
function inferenceWeights(weights: ExportedWeights): ExportedWeights {
  return {
    ...weights,
    layers: weights.layers.map((layer) => ({
      ...layer,
      ...(layer.tiles ? { tiles: layer.tiles.map((tile) => ({ ...tile, state: {} })) } : {}),
    })),
  };
}

/** The imc queue's hardware backend (the bundled emulator). */
function imcChip(): ImcHardwareBackend {
  chip ??= new EmulatedChip({ dataCacheDir });
  return chip;
}

function imcBackendName(backend: ImcHardwareBackend): string {
  const kind = backend.describe().kind === 'emulator' ? 'imc-emulator' : 'imc';
  return `${kind} (${backendInfo().backend})`;
}

/** How an experiment's programming and drift study run. */
interface InferenceSetup {
  options: InferenceSessionOptions;
  /** Drift compensation on (the RPU config has one) or off. */
  compensation: boolean;
  /** The programming the program-weights step shows: the drift table's first repeat. */
  programSeed: number;
  initSeed: number;
}

function inferenceSetup(spec: ExperimentSpec): InferenceSetup {
  const inference = spec.inference;
  if (!inference) throw new JobError('InvalidExperiment', 'the experiment has no drift study (inference)');
  if (spec.rpu_config.type !== 'InferenceRPUConfig') {
    throw new JobError(
      'InvalidExperiment',
      `programming and drift need an InferenceRPUConfig (rpu_config is a ${spec.rpu_config.type})`,
    );
  }
  // remap_weights false: the loaded weights go onto the tiles as they are. (The program and
  // drift steps derive identical options from the spec: the drift step restores by their fingerprint.)
  const remap =
    spec.kind === 'inference' && spec.weights.source === 'experiment' ? spec.weights.remap_weights : true;
  const rpu_config = remap
    ? spec.rpu_config
    : { ...spec.rpu_config, remap: { ...spec.rpu_config.remap, type: 'NONE' as const } };
  const loss = spec.kind === 'inference' ? spec.inference.loss : spec.training.loss;
  const options = parseInferenceSessionOptions({
    model: spec.model.layers,
    rpu_config,
    dataset: spec.dataset,
    seed: inference.seed,
    loss,
    eval_batch_size: inference.batch_size,
  });
  return {
    options,
    compensation: rpu_config.drift_compensation !== null,
    // evaluateDriftTable programs repeat r with the r-th seed of a stream seeded with the session seed.
    programSeed: new Rng(inference.seed).nextSeed(),
    initSeed:
      spec.kind === 'inference' && spec.weights.source === 'initialization'
        ? spec.weights.seed
        : inference.seed,
  };
}

/** The weights to program: stored ones, or the model's initialisation with the given seed. */
async function weightsFor(spec: ExperimentSpec, payload: ProgramPayload): Promise<ExportedWeights> {
  if (payload.weights) return decodeWeights(payload.weights);
  if (payload.source.source !== 'initialization') {
    throw new JobError('InvalidExperiment', 'no weights were given to program');
  }
  const session = await TrainingSession.create(
    {
      model: spec.model.layers,
      rpu_config: spec.rpu_config,
      dataset: spec.dataset,
      seed: payload.source.seed,
    },
    { dataCacheDir },
  );
  try {
    return session.exportWeights();
  } finally {
    session.dispose();
  }
}

function imcNetwork(setup: InferenceSetup, weights: ExportedWeights | null): ImcNetwork {
  const o = setup.options;
  return {
    layers: o.model,
    weights,
    initSeed: setup.initSeed,
    dataset: o.dataset,
    loss: o.loss,
    batchSize: o.eval_batch_size,
    driftCompensation: o.rpu_config.drift_compensation,
    seed: o.seed,
  };
}

/**
 * The drift study on a chip, as sim-core's `evaluateDriftTable` runs it in simulation: each repeat
 * programs afresh (seeds from a stream seeded with the session seed), then reads at every time.
 */
async function chipDriftTable(
  backend: ImcHardwareBackend,
  setup: InferenceSetup,
  tInference: number[],
  repeats: number,
  signal: AbortSignal,
  report: (done: number, repeat: number, t: number) => void,
): Promise<InferencePoint[]> {
  const seeds = new Rng(setup.options.seed);
  const cells = tInference.map(() => ({ accuracies: [] as number[], losses: [] as number[] }));
  let done = 0;
  for (let repeat = 0; repeat < repeats; repeat++) {
    await backend.program(seeds.nextSeed());
    for (const [k, t] of tInference.entries()) {
      if (signal.aborted) throw new AbortedError();
      const read = await backend.readAt(t, { compensation: setup.compensation });
      cells[k].accuracies.push(read.accuracy);
      cells[k].losses.push(read.loss ?? Number.NaN);
      report(++done, repeat, t);
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }
  return tInference.map((t, k) =>
    summarizeRepeats(t, setup.compensation, cells[k].accuracies, cells[k].losses),
  );
}

const HISTOGRAM_BINS = 40;

/** The stored experiment document, typed (it was validated before the workflow got this far). */
function experimentOf(spec: unknown): ExperimentSpec {
  const parsed = parseExperiment(spec);
  if (!parsed.ok) {
    throw new JobError(
      'InvalidExperiment',
      `the stored experiment does not parse: ${parsed.issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
    );
  }
  return parsed.spec;
}

/** sim-core's training-session options for a training experiment. */
export function trainingSessionOptions(spec: TrainingExperiment): TrainingSessionOptionsInput {
  return {
    model: spec.model.layers,
    rpu_config: spec.rpu_config,
    dataset: spec.dataset,
    training: simCoreTraining(spec.training),
    seed: spec.training.seed,
  };
}

/** Histograms of the weights of every analog layer (flat arrays, as the results store them). */
export function weightHistograms(weights: ExportedWeights, stage: Histogram['stage']): Histogram[] {
  return weights.layers
    .filter((layer) => layer.type.startsWith('Analog'))
    .map((layer) => ({
      // Named as sim-core's InferenceSession names its histograms.
      label: `weights ${stage}, layer ${layer.index}:${layer.type}`,
      quantity: 'weight' as const,
      stage,
      layer: `${layer.index}:${layer.type}`,
      ...histogram(layer.weights, { bins: HISTOGRAM_BINS }),
    }));
}

export const computeModule: ComputeModule<ExperimentJobs> = {
  async init(data): Promise<Record<string, unknown>> {
    target = data.target as ComputeQueue;
    dataCacheDir = typeof data.dataCacheDir === 'string' ? data.dataCacheDir : undefined;
    const backend = await initBackend(target === 'gpu' ? { backends: ['webgpu'] } : {});
    const info: ComputeThreadInfo = {
      backend: backend.backend,
      simCoreVersion: SIM_CORE_VERSION,
      ...(target === 'imc' ? { chip: EMULATOR_CHIP.name } : {}),
    };
    return { ...info };
  },

  handlers: {
    async trainChunk(payload, { signal, progress }): Promise<TrainChunkOutput | NeedBytes> {
      const spec = experimentOf(payload.spec);
      if (spec.kind !== 'training')
        throw new JobError('InvalidExperiment', 'only training experiments train');
      const options = trainingSessionOptions(spec);
      const env = { dataCacheDir };
      // The chunk's seconds include building (or restoring) the session: all time spent in sim-core.
      const started = performance.now();
      let session: TrainingSession;
      if (payload.resume) {
        const held = take<TrainingSession>(payload.experimentId, 'training', payload.resume.sha256);
        if (held) session = held;
        else if (payload.resume.bytes)
          session = await TrainingSession.restore(options, payload.resume.bytes, env);
        else return { needBytes: true };
      } else {
        release();
        session = await TrainingSession.create(options, env);
      }
      let kept = false;
      try {
        const epochs: EpochMetrics[] = [];
        let batchesRun = 0;
        while (!session.position.finished) {
          const { batch, batchesPerEpoch } = session.position;
          let max: number;
          if ('batches' in payload.chunk) {
            max = payload.chunk.batches - batchesRun;
          } else {
            if (epochs.length >= payload.chunk.epochs) break;
            max = batchesPerEpoch - batch;
          }
          if (max <= 0) break;
          const result = await session.trainBatches(max, { signal, onProgress: progress });
          batchesRun += result.batches;
          if (result.aborted) throw new AbortedError();
          if (result.epochCompleted) epochs.push(result.epochCompleted);
        }
        const position = session.position;
        const exported = position.finished ? inferenceWeights(session.exportWeights()) : null;
        const checkpoint = position.finished ? null : session.checkpoint();
        if (checkpoint) {
          // The next chunk of this experiment, if it comes to this thread, goes on from here.
          keep(payload.experimentId, 'training', checkpoint, session, () => session.dispose());
          kept = true;
        }
        return {
          checkpoint,
          weights: exported ? encodeWeights(exported) : null,
          histograms: exported ? weightHistograms(exported, 'trained') : [],
          epoch: position.epoch,
          batch: position.batch,
          batchesPerEpoch: position.batchesPerEpoch,
          totalEpochs: position.epochs,
          epochs,
          batchesRun,
          seconds: (performance.now() - started) / 1000,
          finished: position.finished,
          backend: session.backend.backend,
        };
      } finally {
        if (!kept) session.dispose();
      }
    },

    async program(payload, { progress }): Promise<ProgramOutput> {
      const spec = experimentOf(payload.spec);
      const setup = inferenceSetup(spec);
      const started = performance.now();
      progress({ message: 'loading the weights' });
      const weights = await weightsFor(spec, payload);
      if (target === 'imc') {
        const chip = imcChip();
        progress({ message: `mapping the network onto ${chip.describe().name}` });
        release();
        await chip.load(imcNetwork(setup, weights));
        progress({ message: 'programming the chip' });
        await chip.program(setup.programSeed);
        const histograms = chip.histograms(HISTOGRAM_BINS).filter((h) => h.stage !== 'drifted');
        const state = chip.checkpoint();
        // The drift study of this experiment, if it comes to this thread, reads this very chip.
        keep(payload.experimentId, 'imc', state, chip, () => chip.dispose());
        return { state, histograms, seconds: seconds(started), backend: imcBackendName(chip) };
      }
      release();
      const session = await InferenceSession.create(setup.options, weights, { dataCacheDir });
      try {
        progress({ message: 'programming the weights (noise model)' });
        session.program(setup.programSeed);
        const state = session.checkpoint();
        const histograms = session.histograms({ bins: HISTOGRAM_BINS });
        // The drift study of this experiment, if it comes to this thread, starts from this session.
        keep(payload.experimentId, 'inference', state, session, () => session.dispose());
        return { state, histograms, seconds: seconds(started), backend: session.backend.backend };
      } catch (err) {
        session.dispose();
        throw err;
      }
    },

    async driftInfer(payload, { signal, progress }): Promise<DriftInferOutput | NeedBytes> {
      const spec = experimentOf(payload.spec);
      const setup = inferenceSetup(spec);
      const started = performance.now();
      const total = payload.repeats * payload.tInference.length;
      const report = (done: number, repeat: number, t: number) =>
        progress({
          pointsDone: done,
          pointsTotal: total,
          message: `drift inference: repeat ${repeat + 1} of ${payload.repeats}, t = ${t} s (${done}/${total})`,
        });
      if (target === 'imc') {
        const chip = imcChip();
        if (!take(payload.experimentId, 'imc', payload.state.sha256)) {
          if (!payload.state.bytes) return { needBytes: true };
          await chip.restore(imcNetwork(setup, null), payload.state.bytes);
        }
        const points = await chipDriftTable(chip, setup, payload.tInference, payload.repeats, signal, report);
        const histograms = chip.histograms(HISTOGRAM_BINS).filter((h) => h.stage === 'drifted');
        return { points, histograms, seconds: seconds(started), backend: imcBackendName(chip) };
      }
      let session = take<InferenceSession>(payload.experimentId, 'inference', payload.state.sha256);
      if (!session) {
        if (!payload.state.bytes) return { needBytes: true };
        session = await InferenceSession.restore(setup.options, payload.state.bytes, { dataCacheDir });
      }
      try {
        const points = await session.evaluateDriftTable({
          t_inference: payload.tInference,
          repeats: payload.repeats,
          compensation: setup.compensation,
          signal,
          onProgress: (p) => report(p.done, p.repeat, p.t_inference),
        });
        // Weights and conductances at every time (the last repeat's programming, drifted again).
        const histograms: Histogram[] = [];
        for (const t of payload.tInference) {
          if (signal.aborted) throw new AbortedError();
          session.drift(t);
          histograms.push(
            ...session.histograms({ bins: HISTOGRAM_BINS }).filter((h) => h.stage === 'drifted'),
          );
        }
        return { points, histograms, seconds: seconds(started), backend: session.backend.backend };
      } finally {
        session.dispose();
      }
    },
  },
};
