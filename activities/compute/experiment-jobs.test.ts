/**
 * The experiment compute jobs in real compute threads: a thread that still holds the session of the
 * previous step goes on with it, a thread that does not asks for the stored bytes and restores them;
 * both ways must give identical results (sim-core restores bit for bit).
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import { parseExperiment } from '../../experiment-spec/parse';
import { API_VERSION } from '../../experiment-spec/schema';
import { parseTrainingSessionOptions } from '../../sim-core';
import { trainingSessionOptions } from './experiment-jobs';
import { ComputePool } from './pool';
import type { ExperimentJobs, NeedBytes } from './catalog';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

function spec(training: Record<string, unknown> = { epochs: 2, batch_size: 32, seed: 4 }) {
  const parsed = parseExperiment({
    apiVersion: API_VERSION,
    kind: 'training',
    name: 'continuity',
    dataset: { name: 'mnist', train_size: 128, test_size: 64 },
    model: {
      layers: [
        { type: 'Flatten' },
        { type: 'AnalogLinear', in_features: 784, out_features: 10 },
        { type: 'LogSoftmax', dim: 1 },
      ],
    },
    rpu_config: { type: 'InferenceRPUConfig' },
    training,
    inference: { t_inference: [0, 100], repeats: 2, seed: 2 },
  });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  return parsed.spec;
}

function done<T extends object>(result: T | NeedBytes): T {
  if ('needBytes' in result) throw new Error('the job asked for bytes');
  return result;
}

describe('experiment jobs across compute threads', () => {
  const module = path.join(__dirname, 'experiment-jobs.ts');
  let a: ComputePool<ExperimentJobs>;
  let b: ComputePool<ExperimentJobs>;
  beforeAll(async () => {
    a = new ComputePool<ExperimentJobs>({ module, data: { target: 'cpu' } });
    b = new ComputePool<ExperimentJobs>({ module, data: { target: 'cpu' } });
    await Promise.all([a.ready(), b.ready()]);
  }, 60_000);
  afterAll(async () => {
    await a.close();
    await b.close();
  });

  it('continues training with the held session or from the checkpoint, to the same weights', async () => {
    const experiment = spec();
    const base = { experimentId: 'continuity', spec: experiment, chunk: { epochs: 1 } };
    const first = done(await a.run('trainChunk', { ...base, resume: null }));
    expect(first).toMatchObject({ epoch: 1, finished: false, weights: null });
    const checkpoint = first.checkpoint!;
    const resume = { sha256: sha256(checkpoint), bytes: null };

    // Thread b never saw this experiment: it asks for the checkpoint, then restores it.
    expect(await b.run('trainChunk', { ...base, resume })).toEqual({ needBytes: true });
    const restored = done(await b.run('trainChunk', { ...base, resume: { ...resume, bytes: checkpoint } }));
    // Thread a still holds the session the checkpoint was taken from.
    const held = done(await a.run('trainChunk', { ...base, resume }));
    expect(held.finished).toBe(true);
    expect(Buffer.from(held.weights!).equals(Buffer.from(restored.weights!))).toBe(true);
    expect(held.epochs).toEqual(
      restored.epochs.map((e) => ({ ...e, time_epoch: held.epochs[0].time_epoch })),
    );
    // A finished session is not held any more.
    expect(await a.run('trainChunk', { ...base, resume })).toEqual({ needBytes: true });
  }, 60_000);

  it('runs the drift study on the held programmed session or on the restored state, to the same table', async () => {
    const experiment = spec();
    const trained = done(
      await a.run('trainChunk', {
        experimentId: 'drift',
        spec: experiment,
        chunk: { epochs: 2 },
        resume: null,
      }),
    );
    const programmed = await a.run('program', {
      experimentId: 'drift',
      spec: experiment,
      weights: trained.weights,
      source: { source: 'training' },
    });
    const state = { sha256: sha256(programmed.state), bytes: null };
    const job = { experimentId: 'drift', spec: experiment, tInference: [0, 100], repeats: 2 };
    expect(await b.run('driftInfer', { ...job, state })).toEqual({ needBytes: true });
    const restored = done(
      await b.run('driftInfer', { ...job, state: { ...state, bytes: programmed.state } }),
    );
    const held = done(await a.run('driftInfer', { ...job, state }));
    expect(held.points).toEqual(restored.points);
    expect(held.histograms).toEqual(restored.histograms);
    expect(held.points.map((p) => p.t_inference)).toEqual([0, 100]);
  }, 60_000);
});

// The document's training section carries workflow-only fields (seed, checkpoint cadence) next to
// sim-core's own; sim-core's options schema is strict, so one that leaks through fails every chunk.
it('hands sim-core only the training options it knows, with every workflow-only field set', () => {
  const full = spec({ epochs: 2, batch_size: 32, seed: 9, checkpoint_every: 2, checkpoint_every_batches: 3 });
  if (full.kind !== 'training') throw new Error('a training experiment was expected');
  const options = parseTrainingSessionOptions(trainingSessionOptions(full));
  expect([options.seed, options.training.epochs, options.training.batch_size]).toEqual([9, 2, 32]);
});
