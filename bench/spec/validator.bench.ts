/**
 * Validator and cloud-format speed (`npm run bench:spec`), printed as JSON: per-document validation time
 * for the gallery, for a large valid experiment (64 analog layers, each with its own Tiki-Taka
 * configuration) and for oversized documents, plus the AIHWKit cloud export/import. Timings on a shared
 * machine are noisy: compare medians, not single runs.
 */
import { exportTrainingInput, importTrainingInput } from '../../experiment-spec/aihwkit-cloud';
import { PRESET_EXPERIMENTS } from '../../experiment-spec/gallery';
import { experimentJsonSchema } from '../../experiment-spec/json-schema';
import { validateExperiment } from '../../experiment-spec/validate';
import { RPU_CONFIG_PRESETS } from '../../sim-core/configs';

function measure(label: string, runs: number, fn: () => unknown): Record<string, number | string> {
  for (let i = 0; i < Math.min(5, runs); i++) fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    fn();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  const at = (q: number) =>
    Math.round(times[Math.min(times.length - 1, Math.floor(q * times.length))] * 1000) / 1000;
  return { label, runs, p50_ms: at(0.5), p99_ms: at(0.99), max_ms: at(1) };
}

const large = {
  apiVersion: 'analog-composer/v1',
  kind: 'training',
  name: 'large',
  dataset: { name: 'fashion_mnist', train_size: 1000 },
  model: {
    layers: [
      { type: 'Flatten' },
      ...Array.from({ length: 64 }, (_, i) => ({
        type: 'AnalogLinear',
        in_features: i === 0 ? 784 : 10,
        out_features: 10,
        rpu_config: RPU_CONFIG_PRESETS.TikiTakaReRamSBPreset(),
      })),
    ],
  },
  training: { epochs: 1 },
};
const tooMany = { ...large, model: { layers: Array.from({ length: 100_000 }, () => ({ type: 'ReLU' })) } };
const fc = PRESET_EXPERIMENTS[0].document as unknown as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const fullFc = { ...fc, dataset: { name: 'fashion_mnist' } };
const exported = exportTrainingInput(fullFc);
if (!exported.ok) throw new Error('export failed');

const results = [
  ...PRESET_EXPERIMENTS.map((p) =>
    measure(`validate gallery ${p.id}`, 200, () => validateExperiment(p.document)),
  ),
  measure('validate 64 analog layers with own Tiki-Taka configurations', 50, () => validateExperiment(large)),
  measure('validate 100,000-layer document (refused)', 50, () => validateExperiment(tooMany)),
  measure('export TrainingInput (FC, ReRamESPreset)', 200, () => exportTrainingInput(fullFc)),
  measure('import TrainingInput (FC, ReRamESPreset)', 200, () => importTrainingInput(exported.bytes)),
  measure('experimentJsonSchema()', 10, () => experimentJsonSchema()),
];
process.stdout.write(`${JSON.stringify({ node: process.version, results }, null, 2)}\n`);
