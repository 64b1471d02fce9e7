/**
 * Programming and drift inference through the workflow: hardware-aware training with a drift study,
 * then inference experiments on its stored weights on the cpu queue (sim-core's noise model) and on
 * the imc queue (the bundled chip emulator); training on imc is refused by the validator.
 */
import { decodeWeights } from '../../../activities/compute/weights-codec';
import { parseExperiment } from '../../../experiment-spec/parse';
import type { ExperimentResults } from '../../../contracts/results';
import { InferenceSession } from '../../../sim-core/inference/inference-session';
import { Rng } from '../../../sim-core/random/rng';
import { EMULATOR_CHIP } from '../../../imc/emulator-chip';
import { experimentWorkflowId } from '../../../workflows/definitions';
import { experimentHarness, type Harness } from '../../helpers/experiments';
import { keepHistory } from '../../helpers/histories';
import { inferenceDocument, trainingDocument } from './documents';

let h: Harness;
beforeAll(async () => {
  h = await experimentHarness();
  await h.validatorWorker();
  await h.computeWorker('cpu');
  await h.computeWorker('imc');
});
afterAll(() => h?.close());

/** The accuracy-versus-time table is well formed: one row per time, repeats summarised. */
function expectDriftTable(
  results: ExperimentResults,
  tInference: number[],
  repeats: number,
  compensation: boolean,
) {
  expect(results.inference.map((p) => p.t_inference)).toEqual(tInference);
  for (const point of results.inference) {
    expect(point).toMatchObject({ repeats, drift_compensation: compensation });
    expect(point.accuracy_mean).toBeGreaterThanOrEqual(point.accuracy_min!);
    expect(point.accuracy_mean).toBeLessThanOrEqual(point.accuracy_max!);
    expect(point.accuracy_min).toBeGreaterThanOrEqual(0);
    expect(point.accuracy_max).toBeLessThanOrEqual(1);
    expect(point.accuracy_std).toBeGreaterThanOrEqual(0);
    expect(Number.isFinite(point.loss_mean)).toBe(true);
  }
}

/** Layer, quantity, stage and time of every histogram, to compare against what each step promises. */
const histogramKeys = (results: ExperimentResults) =>
  results.histograms.map(
    (x) => `${x.layer} ${x.quantity} ${x.stage}${x.t_inference !== undefined ? ` ${x.t_inference}` : ''}`,
  );

const LAYERS = ['1:AnalogLinear', '3:AnalogLinear'];
const stageKeys = (stage: string, times: number[] = []) =>
  LAYERS.flatMap((layer) =>
    (times.length ? times : [undefined]).flatMap((t) =>
      ['weight', 'conductance'].map((q) => `${layer} ${q} ${stage}${t !== undefined ? ` ${t}` : ''}`),
    ),
  );

let trainedId: string;

describe('hardware-aware training with a drift study', () => {
  it('trains, programs its weights, runs the drift study and reports everything', async () => {
    const document = trainingDocument({ epochs: 2, inference: { t_inference: [0, 3600], repeats: 2 } });
    ({ experimentId: trainedId } = await h.submit(document));
    const record = await h.waitForStatus(trainedId, ['completed', 'failed']);
    expect(record.status).toBe('completed');
    const results = (await h.experiments.getResults(trainedId))!;
    expect(results.learning_curve).toHaveLength(2);
    // InferenceRPUConfig's default drift compensation (GlobalDriftCompensation) is applied.
    expectDriftTable(results, [0, 3600], 2, true);
    expect(Object.keys(results.timings).sort()).toEqual(
      ['drift_infer_s', 'program_s', 'total_s', 'train_s', 'validate_s'].sort(),
    );
    // Per analog layer: weights and conductances as trained, as programmed, and drifted at each time.
    expect(histogramKeys(results).sort()).toEqual(
      [...stageKeys('trained'), ...stageKeys('programmed'), ...stageKeys('drifted', [0, 3600])].sort(),
    );
    // The programmed state is working data: removed on completion; the final weights stay.
    expect((await h.checkpoints.list(trainedId)).map((c) => c.kind)).toEqual(['weights']);
    const steps = (await h.attempts.list(trainedId)).map((a) => `${a.step}:${a.sequence}:${a.outcome}`);
    expect(steps).toEqual([
      'train:0:completed',
      'train:1:completed',
      'program:0:completed',
      'drift-infer:0:completed',
    ]);
    await keepHistory(h.client, experimentWorkflowId(trainedId), 'training-with-drift-study');
  });
});

describe('an inference experiment', () => {
  const tInference = [0, 60, 86400];

  it('completes on the cpu queue with exactly the drift table sim-core computes directly', async () => {
    const document = inferenceDocument({
      weightsFrom: trainedId,
      queue: 'cpu',
      t_inference: tInference,
      repeats: 2,
    });
    const { experimentId } = await h.submit(document);
    const record = await h.waitForStatus(experimentId, ['completed', 'failed']);
    expect(record).toMatchObject({ status: 'completed', kind: 'inference', queue: 'cpu' });
    const results = (await h.experiments.getResults(experimentId))!;
    expect(results.learning_curve).toEqual([]);
    expect(results.backend).toBe('wasm');
    expectDriftTable(results, tInference, 2, true);
    expect(histogramKeys(results).sort()).toEqual(
      [...stageKeys('trained'), ...stageKeys('programmed'), ...stageKeys('drifted', tInference)].sort(),
    );

    // The same steps in one process, without the workflow: create, program (the program-weights step),
    // then the drift table. The workflow stored the programmed state and restored it in another
    // activity; the results must not differ in any digit.
    const parsed = parseExperiment(document);
    if (!parsed.ok || parsed.spec.kind !== 'inference') throw new Error('bad test document');
    const spec = parsed.spec;
    const stored = await h.checkpoints.load({ experimentId: trainedId, kind: 'weights', sequence: 0 });
    const session = await InferenceSession.create(
      {
        model: spec.model.layers,
        rpu_config: spec.rpu_config,
        dataset: spec.dataset,
        seed: spec.inference.seed,
        loss: spec.inference.loss,
        eval_batch_size: spec.inference.batch_size,
      },
      decodeWeights(stored!.data),
    );
    try {
      session.program(new Rng(spec.inference.seed).nextSeed());
      const direct = await session.evaluateDriftTable({
        t_inference: tInference,
        repeats: 2,
        compensation: true,
      });
      expect(results.inference).toEqual(direct);
    } finally {
      session.dispose();
    }
    await keepHistory(h.client, experimentWorkflowId(experimentId), 'inference-cpu');
  });

  it('completes on the imc queue, programmed onto the chip emulator', async () => {
    const document = inferenceDocument({
      weightsFrom: trainedId,
      queue: 'imc',
      t_inference: tInference,
      repeats: 2,
    });
    const { experimentId } = await h.submit(document);
    const record = await h.waitForStatus(experimentId, ['completed', 'failed']);
    expect(record).toMatchObject({ status: 'completed', queue: 'imc' });
    const results = (await h.experiments.getResults(experimentId))!;
    expect(results).toMatchObject({ queue: 'imc', backend: 'imc-emulator (wasm)' });
    expectDriftTable(results, tInference, 2, true);
    // The chip shows trained, programmed and (last read) drifted states.
    expect(histogramKeys(results).sort()).toEqual(
      [...stageKeys('trained'), ...stageKeys('programmed'), ...stageKeys('drifted', [86400])].sort(),
    );
    // Conductances live within the chip's device range (0 to g_max, with programming noise above).
    const conductances = results.histograms.filter(
      (x) => x.quantity === 'conductance' && x.stage === 'trained',
    );
    for (const x of conductances) {
      expect(x.edges[0]).toBeGreaterThanOrEqual(0);
      expect(x.edges[x.edges.length - 1]).toBeLessThanOrEqual(EMULATOR_CHIP.g_max_uS * 1.0001);
    }
    const attempts = await h.attempts.list(experimentId);
    expect(attempts.map((a) => `${a.step} ${a.queue} ${a.outcome}`)).toEqual([
      'program imc completed',
      'drift-infer imc completed',
    ]);
    await keepHistory(h.client, experimentWorkflowId(experimentId), 'inference-imc');
  });

  it('fails without weights to program, saying whose weights are missing', async () => {
    const document = inferenceDocument({
      weightsFrom: 'no-such-experiment',
      queue: 'cpu',
      t_inference: [0],
      repeats: 1,
    });
    const { experimentId } = await h.submit(document);
    const record = await h.waitForStatus(experimentId, ['completed', 'failed']);
    expect(record.status).toBe('failed');
    expect(record.statusMessage).toMatch(/^invalid experiment: .*\$\.weights\.experiment_id: /);
  });
});

describe('training on the imc queue', () => {
  it('is rejected by the validator with a clear message', async () => {
    const { experimentId } = await h.submit(trainingDocument({ epochs: 1, queue: 'imc' }));
    const record = await h.waitForStatus(experimentId, ['completed', 'failed']);
    expect(record.status).toBe('failed');
    expect(record.statusMessage).toMatch(
      /^invalid experiment: 1 problem: \$\.execution\.queue: a training experiment cannot run on the imc queue: the imc queue drives an in-memory-computing chip/,
    );
    expect(await h.attempts.list(experimentId)).toEqual([]);
  });
});
