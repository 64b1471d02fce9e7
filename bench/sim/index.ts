/**
 * `npm run bench:sim`: sim-core throughput and the Fashion-MNIST FC epoch, and — where AIHWKit is
 * installed — the same workloads in AIHWKit's CPU engine in the same run, with the ratios. Prints JSON.
 *
 * Options: --quick (fewer tile repeats, no epoch), --no-aihwkit, --seed=N, --kernels=js|tf.
 * AIHWKIT_PYTHON: the Python with AIHWKit (default: the project's .venv, as `npm run parity:setup` makes it).
 * Timings on a shared machine are noisy; compare numbers from the same run.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend, setKernelMode, type KernelMode } from '../../sim-core/backend/backend';
import { RPUConfig } from '../../sim-core/configs';
import { loadDataset } from '../../sim-core/data/datasets';
import { TrainingSession } from '../../sim-core/experiment/training-session';
import { Rng } from '../../sim-core/random/rng';
import { AnalogTile } from '../../sim-core/tile/analog-tile';
import { inferenceBench } from './inference';
import { fcMnistSpecs } from '../../sim-core/layers/reference-models';

const args = new Set(process.argv.slice(2));
const arg = (name: string, fallback: string) =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback;
const quick = args.has('--quick');
const seed = Number(arg('seed', '1'));
const kernels = arg('kernels', 'js') as KernelMode;
const repeats = quick ? 5 : 20;

/** The same deterministic inputs as the Python side: v_ij = scale·sin(0.7·i + 0.3·j + 0.1). */
function inputs(rows: number, cols: number, scale: number): tf.Tensor2D {
  const v = new Float32Array(rows * cols);
  for (let i = 0; i < rows; i++)
    for (let j = 0; j < cols; j++) v[i * cols + j] = scale * Math.sin(0.7 * i + 0.3 * j + 0.1);
  return tf.tensor2d(v, [rows, cols]);
}

/** Best of ROUNDS rounds (the machine is shared: the best round is the least disturbed one). */
const ROUNDS = 3;

function samplesPerSecond(fn: () => void): number {
  fn(); // warm-up
  let best = 0;
  for (let r = 0; r < ROUNDS; r++) {
    const t = performance.now();
    for (let k = 0; k < repeats; k++) fn();
    best = Math.max(best, (64 * repeats) / ((performance.now() - t) / 1000));
  }
  return best;
}

function tileBench(device: 'ConstantStepDevice' | 'SoftBoundsDevice', mode: KernelMode = kernels) {
  setKernelMode(mode);
  const config = RPUConfig.parse({ type: 'SingleRPUConfig', device: { type: device } });
  const rng = new Rng(seed);
  const tile = AnalogTile.fromRPUConfig(config, 256, 784, rng);
  const w = new Float32Array(256 * 784);
  for (let k = 0; k < w.length; k++) w[k] = (2 * rng.uniform() - 1) / 28;
  tile.setWeights(w);
  const x = inputs(64, 784, 1);
  const d = inputs(64, 256, 0.01);
  const result = {
    forward_samples_per_s: samplesPerSecond(() => tile.forward(x).dispose()),
    backward_samples_per_s: samplesPerSecond(() => tile.backward(d).dispose()),
    update_samples_per_s: samplesPerSecond(() => tile.update(x, d, 0.05)),
  };
  tf.dispose([x, d]);
  tile.dispose();
  setKernelMode(kernels);
  return result;
}

async function fashionEpoch() {
  const session = await TrainingSession.create({
    model: fcMnistSpecs(true),
    rpu_config: { type: 'SingleRPUConfig' },
    dataset: { name: 'fashion_mnist' },
    training: {
      batch_size: 64,
      epochs: 1,
      optimizer: { type: 'AnalogSGD', lr: 0.05 },
      loss: { type: 'NLLLoss' },
    },
    seed,
  });
  let metrics;
  while (!metrics) metrics = (await session.trainBatches(1000)).epochCompleted;
  session.dispose();
  return {
    seconds_per_epoch: metrics.time_epoch,
    test_accuracy: metrics.test_accuracy,
    train_loss: metrics.train_loss,
  };
}

function aihwkitSide(runEpoch: boolean): Record<string, unknown> {
  const python = process.env.AIHWKIT_PYTHON ?? join(__dirname, '..', '..', '.venv', 'bin', 'python');
  if (args.has('--no-aihwkit')) return { available: false, reason: 'disabled with --no-aihwkit' };
  if (!existsSync(python)) return { available: false, reason: `no Python at ${python}` };
  try {
    execFileSync(python, ['-c', 'import aihwkit.simulator.rpu_base'], { stdio: 'pipe', timeout: 120000 });
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n').slice(-2).join(' ') : String(error);
    return { available: false, reason: `import aihwkit failed: ${message}` };
  }
  const dir = mkdtempSync(join(tmpdir(), 'bench-sim-'));
  try {
    if (runEpoch) {
      const data = loadDataset('fashion_mnist');
      writeFileSync(join(dir, 'train-images.bin'), data.train.images);
      writeFileSync(join(dir, 'train-labels.bin'), data.train.labels);
      writeFileSync(join(dir, 'test-images.bin'), data.test.images);
      writeFileSync(join(dir, 'test-labels.bin'), data.test.labels);
    }
    const script = join(__dirname, 'aihwkit', 'bench_aihwkit.py');
    const out = execFileSync(python, [script, dir, runEpoch ? '1' : '0', String(repeats), String(seed)], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 3600000,
    });
    return {
      available: true,
      ...(JSON.parse(out.trim().split('\n').pop() ?? '{}') as Record<string, unknown>),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const loadBefore = loadavg();
  const backend = await initBackend();
  setKernelMode(kernels);
  const tiles = { ConstantStep: tileBench('ConstantStepDevice'), SoftBounds: tileBench('SoftBoundsDevice') };
  // The tfjs-op kernels (the webgpu path) on this CPU backend, for comparison with the typed-array ones.
  const other: KernelMode = kernels === 'js' ? 'tf' : 'js';
  const tilesOtherKernels = { ConstantStep: tileBench('ConstantStepDevice', other) };
  const epoch = quick ? null : await fashionEpoch();
  const inference = await inferenceBench({ seed, quick, aihwkit: !args.has('--no-aihwkit') });
  const aihwkit = aihwkitSide(!quick);
  const ratios: Record<string, number> = {};
  const theirs = aihwkit.fashion_mnist_fc as { seconds_per_epoch?: number } | undefined;
  if (epoch && theirs?.seconds_per_epoch)
    ratios.epoch_time_aihwkit_over_ours = theirs.seconds_per_epoch / epoch.seconds_per_epoch;
  const theirTiles = aihwkit.tile_784x256_batch64 as Record<string, Record<string, number>> | undefined;
  if (theirTiles) {
    for (const [device, ours] of Object.entries(tiles)) {
      for (const [k, v] of Object.entries(ours)) {
        const t = theirTiles[device]?.[k];
        if (t) ratios[`${device}.${k}.ours_over_aihwkit`] = v / t;
      }
    }
  }
  const report = {
    benchmark: 'sim',
    backend: backend.backend,
    kernels,
    skipped_backends: backend.skipped,
    machine: {
      cpus: cpus().length,
      node: process.version,
      // The machine is shared: high load averages mean noisy timings (tile figures are best of 3 rounds).
      load_average_1min_before: loadBefore[0],
      load_average_1min_after: loadavg()[0],
    },
    seed,
    tile_784x256_batch64: tiles,
    [`tile_784x256_batch64_${other}_kernels`]: tilesOtherKernels,
    fashion_mnist_fc: epoch,
    inference,
    aihwkit,
    ratios,
    target_epoch_no_slower_than_aihwkit:
      ratios.epoch_time_aihwkit_over_ours === undefined ? null : ratios.epoch_time_aihwkit_over_ours >= 1,
  };
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
