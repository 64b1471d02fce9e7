/**
 * The inference part of `npm run bench:sim` (called from index.ts): inference throughput of the
 * MNIST FC network and LeNet5 programmed and drifted to t_inference = 1 day with all noise on
 * (StandardHWATrainingPreset: 8-bit DAC/ADC, output noise, PCM read noise in the MVM, IR drop, input
 * ranges, out-scales; PCMLikeNoiseModel; global drift compensation), and the time to program and to
 * drift one 784×256 layer with the PCM model.
 */
import { RPU_CONFIG_PRESETS } from '../../sim-core/configs/presets/configs';
import { PCMLikeNoiseModel } from '../../sim-core/configs/inference';
import { InferenceSession } from '../../sim-core/inference/inference-session';
import { createNoiseModel } from '../../sim-core/inference/noise/create-noise-model';
import { driftWeights, programWeights } from '../../sim-core/inference/noise/noise-model';
import { fcMnistSpecs, lenet5Specs } from '../../sim-core/layers/reference-models';
import { Rng } from '../../sim-core/random/rng';
import type { LayerSpecInput } from '../../sim-core/configs/layers';

const ONE_DAY = 86400;

async function inferenceThroughput(model: LayerSpecInput[], images: number, seed: number) {
  const session = await InferenceSession.create({
    model,
    rpu_config: RPU_CONFIG_PRESETS.StandardHWATrainingPreset(),
    dataset: { name: 'mnist', test_size: images },
    seed,
    eval_batch_size: Math.min(images, 500),
  });
  const t0 = performance.now();
  session.program(seed);
  session.drift(ONE_DAY);
  const programAndDriftS = (performance.now() - t0) / 1000;
  session.evaluate(); // warm-up
  let best = 0;
  for (let round = 0; round < 2; round++) {
    const t = performance.now();
    session.evaluate();
    best = Math.max(best, images / ((performance.now() - t) / 1000));
  }
  session.dispose();
  return { images, samples_per_s: best, program_and_drift_model_s: programAndDriftS };
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function programDriftLayer(seed: number, repeats: number) {
  const model = createNoiseModel(PCMLikeNoiseModel.parse({ type: 'PCMLikeNoiseModel' }));
  const rng = new Rng(seed);
  const weights = new Float32Array(256 * 784);
  rng.fillNormal(weights, 0.05);
  const program: number[] = [];
  const drift: number[] = [];
  for (let k = 0; k <= repeats; k++) {
    const t0 = performance.now();
    const programmed = programWeights(model, weights, rng);
    const t1 = performance.now();
    driftWeights(model, programmed, ONE_DAY, rng);
    const t2 = performance.now();
    if (k === 0) continue; // warm-up
    program.push(t1 - t0);
    drift.push(t2 - t1);
  }
  return { layer: '256x784', repeats, program_ms_median: median(program), drift_ms_median: median(drift) };
}

export async function inferenceBench(options: {
  seed: number;
  quick: boolean;
}): Promise<Record<string, unknown>> {
  const { seed, quick } = options;
  return {
    setup: 'StandardHWATrainingPreset, PCMLikeNoiseModel, GlobalDriftCompensation, t_inference = 1 d',
    fc_mnist: await inferenceThroughput(fcMnistSpecs(true), quick ? 1000 : 5000, seed),
    lenet5_mnist: await inferenceThroughput(lenet5Specs(true), quick ? 100 : 500, seed),
    program_drift_784x256: programDriftLayer(seed, quick ? 3 : 10),
  };
}
