/**
 * InferenceSession on MNIST subsets: exactness without noise, the drift table's behaviour with the
 * PCM model, reproducibility and checkpoints, histograms, and the errors it reports.
 */
import { TrainingSession, type ExportedWeights } from '../experiment/training-session';
import { fcMnistSpecs } from '../layers/reference-models';
import { setKernelMode } from '../backend/backend';
import { useBackend } from '../test-utils/tensors';
import { InferenceSession } from './inference-session';

// Seconds on an idle machine; the shared 2-core machine can be several times slower.
jest.setTimeout(120000);

const dataset = { name: 'mnist' as const, train_size: 5000, test_size: 300 };
const quietPcm = {
  type: 'PCMLikeNoiseModel' as const,
  prog_noise_scale: 0,
  read_noise_scale: 0,
  drift_scale: 0,
};

let trained: ExportedWeights;
let digitalAccuracy: number | null;

beforeAll(async () => {
  await useBackend('js');
  // A digital FC network trained briefly (5000 images, one epoch): about 70 % test accuracy.
  const training = await TrainingSession.create({
    model: fcMnistSpecs(false),
    rpu_config: { type: 'FloatingPointRPUConfig' },
    dataset,
    training: { batch_size: 32, epochs: 1, optimizer: { type: 'AnalogSGD', lr: 0.5 } },
    seed: 1,
  });
  const r = await training.trainBatches(1000);
  digitalAccuracy = r.epochCompleted?.test_accuracy ?? null;
  trained = training.exportWeights();
  training.dispose();
});

describe('InferenceSession', () => {
  it('without any noise reproduces the digital network exactly, before and after program/drift', async () => {
    const session = await InferenceSession.create(
      {
        model: fcMnistSpecs(true),
        rpu_config: { type: 'InferenceRPUConfig', forward: { is_perfect: true }, noise_model: quietPcm },
        dataset,
        seed: 2,
      },
      trained,
    );
    expect(digitalAccuracy).toBeGreaterThan(0.6);
    expect(session.evaluate().accuracy).toBe(digitalAccuracy);
    session.program(7);
    session.drift(86400);
    expect(session.evaluate().accuracy).toBe(digitalAccuracy);
    session.dispose();
  });

  it('with the PCM model: accuracy falls with time, global drift compensation holds it up', async () => {
    const session = await InferenceSession.create(
      { model: fcMnistSpecs(true), rpu_config: { type: 'InferenceRPUConfig' }, dataset, seed: 3 },
      trained,
    );
    const progress: number[] = [];
    const rows = await session.evaluateDriftTable({
      t_inference: [1, 3.15e7],
      repeats: 2,
      compensation: 'both',
      onProgress: (p) => progress.push(p.done),
    });
    expect(progress).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(rows.map((r) => [r.t_inference, r.drift_compensation, r.repeats])).toEqual([
      [1, true, 2],
      [1, false, 2],
      [3.15e7, true, 2],
      [3.15e7, false, 2],
    ]);
    const row = (t: number, c: boolean) =>
      rows.find((r) => r.t_inference === t && r.drift_compensation === c);
    const loss = (t: number, c: boolean) => row(t, c)?.loss_mean as number;
    const acc = (t: number, c: boolean) => row(t, c)?.accuracy_mean as number;
    // A year of drift shrinks the weights by about half. The mean test loss over 2 × 300 images has a
    // sampling error of a few hundredths; the effects asserted are ten times larger (seeds fixed):
    // without compensation the loss doubles, with global compensation most of that is recovered.
    expect(loss(3.15e7, false)).toBeGreaterThan(loss(1, false) + 0.4);
    expect(loss(3.15e7, true)).toBeLessThan(loss(3.15e7, false) - 0.2);
    // Accuracy (±2.5 % per 300-image evaluation) falls without compensation, by about 15 points here.
    expect(acc(3.15e7, false)).toBeLessThan(acc(1, false) - 0.08);
    for (const r of rows) {
      expect(r.accuracy_min as number).toBeLessThanOrEqual(r.accuracy_mean as number);
      expect(r.accuracy_max as number).toBeGreaterThanOrEqual(r.accuracy_mean as number);
      expect(r.loss_mean).not.toBeNull();
    }
    session.dispose();
  });

  it('programs reproducibly from a seed and restores from a checkpoint bit for bit', async () => {
    const options = {
      model: fcMnistSpecs(true),
      rpu_config: { type: 'InferenceRPUConfig' as const },
      dataset,
      seed: 4,
    };
    const a = await InferenceSession.create(options, trained);
    const b = await InferenceSession.create(options, trained);
    a.program(11);
    b.program(11);
    a.drift(3600);
    b.drift(3600);
    const ha = a.histograms({ bins: 20 });
    expect(b.histograms({ bins: 20 })).toEqual(ha);
    const blob = a.checkpoint();
    const first = a.evaluate();
    const restored = await InferenceSession.restore(options, blob);
    expect(restored.evaluate()).toEqual(first);
    expect(restored.tInference).toBe(3600);
    // Drifting again continues the same read-noise stream in both.
    a.drift(86400);
    restored.drift(86400);
    expect(restored.evaluate()).toEqual(a.evaluate());
    await expect(InferenceSession.restore({ ...options, seed: 5 }, blob)).rejects.toThrow(
      /different options/,
    );
    tfDispose([a, b, restored]);
  });

  it('histograms: weights and conductances of the trained, programmed and drifted states, as flat arrays', async () => {
    const session = await InferenceSession.create(
      { model: fcMnistSpecs(true), rpu_config: { type: 'InferenceRPUConfig' }, dataset, seed: 6 },
      trained,
    );
    expect(session.histograms().map((h) => h.stage)).toEqual(Array(6).fill('trained'));
    session.drift(20);
    const all = session.histograms({ bins: 10 });
    expect(all).toHaveLength(3 * 3 * 2);
    for (const h of all) {
      expect(h.edges).toHaveLength(11);
      expect(h.counts).toHaveLength(10);
      if (h.quantity === 'conductance') {
        expect(h.edges[0]).toBeGreaterThanOrEqual(0);
        expect(h.edges[10]).toBeLessThanOrEqual(25 + 1e-9);
      }
      if (h.stage === 'drifted') expect(h.t_inference).toBe(20);
    }
    const first = all.find((h) => h.stage === 'programmed' && h.quantity === 'weight') as {
      counts: number[];
    };
    expect(first.counts.reduce((x, y) => x + y)).toBe(256 * 784);
    session.dispose();
  });

  it('gives the same results with the tfjs-op kernels (the GPU path) as with the typed-array ones', async () => {
    // A small analog CNN (unfold, pooling, tile grid) with exact IO and no device noise: both kernel
    // implementations must agree to float32 rounding before and after program/drift.
    const model = [
      {
        type: 'AnalogConv2d' as const,
        in_channels: 1,
        out_channels: 4,
        kernel_size: 5,
        stride: 2,
        padding: 1,
      },
      { type: 'ReLU' as const },
      { type: 'MaxPool2d' as const, kernel_size: 2, ceil_mode: true },
      { type: 'Flatten' as const },
      { type: 'AnalogLinear' as const, in_features: 4 * 7 * 7, out_features: 10 },
      { type: 'LogSoftmax' as const },
    ];
    const options = {
      model,
      rpu_config: {
        type: 'InferenceRPUConfig' as const,
        forward: { is_perfect: true },
        noise_model: quietPcm,
      },
      dataset: { name: 'mnist' as const, test_size: 100 },
      seed: 9,
    };
    const results = [];
    for (const kernels of ['js', 'tf'] as const) {
      setKernelMode(kernels);
      const session = await InferenceSession.create(options);
      const before = session.evaluate();
      session.drift(3600);
      results.push([before, session.evaluate()]);
      session.dispose();
    }
    setKernelMode('js');
    expect(results[1][0].accuracy).toBe(results[0][0].accuracy);
    expect(results[1][1].accuracy).toBe(results[0][1].accuracy);
    expect(results[1][1].loss as number).toBeCloseTo(results[0][1].loss as number, 4);
  });

  it('reports what is wrong: configs, times, compensation, aborts', async () => {
    await expect(
      InferenceSession.create({
        model: [
          { type: 'Flatten' },
          {
            type: 'AnalogLinear',
            in_features: 784,
            out_features: 10,
            rpu_config: { type: 'SingleRPUConfig' },
          },
        ],
        dataset,
        seed: 1,
      }),
    ).rejects.toThrow(/model\.1\.rpu_config must be an InferenceRPUConfig/);
    await expect(InferenceSession.create({ model: fcMnistSpecs(false), dataset, seed: 1 })).rejects.toThrow(
      /no analog layer/,
    );

    const reram = await InferenceSession.create(
      {
        model: fcMnistSpecs(true),
        rpu_config: { type: 'InferenceRPUConfig', noise_model: { type: 'ReRamWan2022NoiseModel' } },
        dataset,
        seed: 1,
      },
      trained,
    );
    expect(() => reram.drift(0)).toThrow(
      /t_inference must be one of the measured times \[1, 86400, 172800\] s/,
    );
    reram.drift(86400);
    reram.dispose();

    const none = await InferenceSession.create(
      {
        model: fcMnistSpecs(true),
        rpu_config: { type: 'InferenceRPUConfig', drift_compensation: null },
        dataset,
        seed: 1,
      },
      trained,
    );
    await expect(
      none.evaluateDriftTable({ t_inference: [1], repeats: 1, compensation: true }),
    ).rejects.toThrow(/drift_compensation is null/);
    const controller = new AbortController();
    controller.abort();
    await expect(
      none.evaluateDriftTable({
        t_inference: [1],
        repeats: 1,
        compensation: false,
        signal: controller.signal,
      }),
    ).rejects.toThrow(/aborted/);
    const wrongShape = { ...trained, layers: trained.layers.map((l) => ({ ...l, index: l.index + 1 })) };
    await expect(
      InferenceSession.create({ model: fcMnistSpecs(true), dataset, seed: 1 }, wrongShape),
    ).rejects.toThrow(/weights of layer 2 \(Linear\): the model's layer 2 is a Sigmoid/);
    none.dispose();
  });
});

function tfDispose(sessions: InferenceSession[]): void {
  for (const s of sessions) s.dispose();
}
