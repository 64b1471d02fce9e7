import { RPU_CONFIG_PRESETS } from '../sim-core/configs';
import { PRESET_EXPERIMENTS } from './gallery';
import { Experiment } from './schema';
import { missingKeys } from './test-helpers';
import { validateExperiment } from './validate';

function setPath(target: Record<string, unknown>, dotted: string, value: unknown): void {
  const keys = dotted.split('.');
  let node = target;
  for (const key of keys.slice(0, -1)) node = node[key] as Record<string, unknown>;
  node[keys[keys.length - 1]] = value;
}

describe('presets gallery', () => {
  it('has unique ids, titles and descriptions', () => {
    const ids = PRESET_EXPERIMENTS.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const preset of PRESET_EXPERIMENTS) {
      expect(preset.id).toMatch(/^[a-z0-9-]+$/);
      expect(preset.title.length).toBeGreaterThan(5);
      expect(preset.description).toMatch(/full/i);
    }
  });

  it('covers the FC network with every single-device preset, LeNet5, HWA with a PCM drift study, and Tiki-Taka', () => {
    const fcPresets = PRESET_EXPERIMENTS.filter((p) => p.id.startsWith('fc-fashion-mnist-')).map(
      (p) => p.document.rpu_config,
    );
    expect(fcPresets).toEqual([
      'ReRamESPreset',
      'ReRamSBPreset',
      'CapacitorPreset',
      'EcRamPreset',
      'EcRamMOPreset',
      'IdealizedPreset',
      'GokmenVlasovPreset',
      'PCMPreset',
    ]);
    const ids = PRESET_EXPERIMENTS.map((p) => p.id);
    expect(ids).toEqual(
      expect.arrayContaining([
        'lenet5-mnist',
        'hwa-fc-fashion-mnist-pcm-drift',
        'tiki-taka-fc-fashion-mnist-reram-sb',
      ]),
    );
    const hwa = PRESET_EXPERIMENTS.find((p) => p.id === 'hwa-fc-fashion-mnist-pcm-drift');
    expect(hwa?.document).toMatchObject({ inference: { t_inference: [0, 1, 20, 1000, 1e5] } });
  });

  describe.each(PRESET_EXPERIMENTS.map((p) => [p.id, p] as const))('%s', (_id, preset) => {
    const result = validateExperiment(preset.document);

    it('validates without errors or warnings', () => {
      expect(result.issues).toEqual([]);
      expect(result.ok).toBe(true);
    });

    it('stores every default: no key of any object schema is missing, presets are expanded', () => {
      if (!result.ok) throw new Error('invalid preset');
      expect(missingKeys(Experiment, result.spec)).toEqual([]);
      expect(typeof result.spec.rpu_config).toBe('object');
      const name = preset.document.rpu_config;
      if (typeof name === 'string') {
        expect(result.spec.rpu_config).toEqual(RPU_CONFIG_PRESETS[name as keyof typeof RPU_CONFIG_PRESETS]());
      }
    });

    it('is a fixed point: the stored form parses (as stored schema and as input) to itself', () => {
      if (!result.ok) throw new Error('invalid preset');
      const json = JSON.parse(JSON.stringify(result.spec)) as unknown;
      expect(Experiment.parse(json)).toEqual(result.spec);
      const again = validateExperiment(json);
      expect(again.ok && again.spec).toEqual(result.spec);
    });

    it('stays small enough to run in minutes, and its full-size variant is within the default quotas', () => {
      if (!result.ok) throw new Error('invalid preset');
      // The runnable size: at most 20,000 sample presentations and 5·10⁹ multiply-accumulates of training
      // (the largest, the HWA preset, trained in 72 s on a loaded two-core machine; see gallery.ts).
      expect(result.estimate.trainSampleEpochs).toBeLessThanOrEqual(20_000);
      expect(result.estimate.trainMacs).toBeLessThanOrEqual(5e9);
      const full = structuredClone(preset.document) as unknown as Record<string, unknown>;
      for (const [path, value] of Object.entries(preset.full)) setPath(full, path, value);
      const fullResult = validateExperiment(full);
      expect(fullResult.issues).toEqual([]);
      expect(fullResult.estimate.trainSampleEpochs).toBe(60_000 * 30);
    });
  });
});
