/**
 * The inference part of `npm run bench:sim` (called from index.ts): inference throughput of the
 * MNIST FC network and LeNet5 programmed and drifted to t_inference = 1 day with all noise on
 * (StandardHWATrainingPreset: 8-bit DAC/ADC, output noise, PCM read noise in the MVM, IR drop, input
 * ranges, out-scales; PCMLikeNoiseModel; global drift compensation), and the time to program and to
 * drift one 784×256 layer with the PCM model. Where AIHWKit is installed, the FC throughput and the
 * program/drift times of AIHWKit's CPU engine in the same run (aihwkit/bench_inference_aihwkit.py).
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
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

function aihwkitInference(images: number, seed: number): Record<string, unknown> {
  const python = process.env.AIHWKIT_PYTHON ?? '/work/main/.venv/bin/python';
  if (!existsSync(python)) return { available: false, reason: `no Python at ${python}` };
  try {
    const script = join(__dirname, 'aihwkit', 'bench_inference_aihwkit.py');
    const out = execFileSync(python, [script, String(images), String(seed)], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 1800000,
    });
    return {
      available: true,
      ...(JSON.parse(out.trim().split('\n').pop() ?? '{}') as Record<string, unknown>),
    };
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n').slice(-2).join(' ') : String(error);
    return { available: false, reason: message };
  }
}

export async function inferenceBench(options: {
  seed: number;
  quick: boolean;
  aihwkit: boolean;
}): Promise<Record<string, unknown>> {
  const { seed, quick } = options;
  const fcImages = quick ? 1000 : 5000;
  const fc = await inferenceThroughput(fcMnistSpecs(true), fcImages, seed);
  const layer = programDriftLayer(seed, quick ? 3 : 10);
  const aihwkit = options.aihwkit
    ? aihwkitInference(fcImages, seed)
    : { available: false, reason: 'disabled' };
  const theirs = aihwkit as {
    fc_mnist_samples_per_s?: number;
    program_drift_784x256?: Record<string, number>;
  };
  return {
    setup: 'StandardHWATrainingPreset, PCMLikeNoiseModel, GlobalDriftCompensation, t_inference = 1 d',
    fc_mnist: fc,
    lenet5_mnist: await inferenceThroughput(lenet5Specs(true), quick ? 100 : 500, seed),
    program_drift_784x256: layer,
    aihwkit,
    ratios: theirs.fc_mnist_samples_per_s
      ? {
          fc_samples_per_s_ours_over_aihwkit: fc.samples_per_s / theirs.fc_mnist_samples_per_s,
          program_time_aihwkit_over_ours:
            (theirs.program_drift_784x256?.program_ms_median ?? NaN) / layer.program_ms_median,
          drift_time_aihwkit_over_ours:
            (theirs.program_drift_784x256?.drift_ms_median ?? NaN) / layer.drift_ms_median,
        }
      : null,
  };
}
