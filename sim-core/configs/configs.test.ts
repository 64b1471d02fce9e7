/**
 * The config schemas against AIHWKit 1.1.0's own defaults: `__fixtures__/aihwkit-defaults.json` is a
 * dump of every dataclass and preset (bench/sim/aihwkit/dump_defaults.py), converted to our format.
 */
import fixture from './__fixtures__/aihwkit-defaults.json';
import * as C from './index';

const classes = fixture.classes as Record<string, unknown>;

/** Fields we add that have no Python counterpart (C++-only parameters). */
const EXTRA_FIELDS = new Set(['nm_assumed_wmax', 'nm_decay']);

function withoutExtras(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutExtras);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([k]) => !EXTRA_FIELDS.has(k))
        .map(([k, v]) => [k, withoutExtras(v)]),
    );
  }
  return value;
}

const typed = (type: string) => ({ type });

const SCHEMA_DEFAULTS: Record<string, () => unknown> = {
  IOParameters: () => C.IOParameters.parse({}),
  UpdateParameters: () => C.UpdateParameters.parse({}),
  DriftParameter: () => C.DriftParameter.parse({}),
  SimpleDriftParameter: () => C.SimpleDriftParameter.parse({}),
  WeightClipParameter: () => C.WeightClipParameter.parse({}),
  WeightModifierParameter: () => C.WeightModifierParameter.parse({}),
  WeightRemapParameter: () => C.WeightRemapParameter.parse({}),
  MappingParameter: () => C.MappingParameter.parse({}),
  InputRangeParameter: () => C.InputRangeParameter.parse({}),
  PrePostProcessingParameter: () => C.PrePostProcessingParameter.parse({}),
  RuntimeParameter: () => C.RuntimeParameter.parse({}),
  PresetIOParameters: () => C.PresetIOParameters(),
  StandardIOParameters: () => C.StandardIOParameters(),
  WebComposerIOParameters: () => C.WebComposerIOParameters(),
  PresetUpdateParameters: () => C.PresetUpdateParameters(),
  PCMPresetUnitCell: () => C.PCMPresetUnitCell(),
};
for (const t of [
  'IdealDevice',
  'FloatingPointDevice',
  'ConstantStepDevice',
  'LinearStepDevice',
  'SoftBoundsDevice',
  'SoftBoundsPmaxDevice',
  'SoftBoundsReferenceDevice',
  'ExpStepDevice',
  'PowStepDevice',
  'PiecewiseStepDevice',
]) {
  SCHEMA_DEFAULTS[t] = () => C.Device.parse(typed(t));
}
for (const t of [
  'VectorUnitCell',
  'ReferenceUnitCell',
  'OneSidedUnitCell',
  'TransferCompound',
  'BufferedTransferCompound',
  'ChoppedTransferCompound',
  'DynamicTransferCompound',
]) {
  SCHEMA_DEFAULTS[t] = () => C.UnitCell.parse(typed(t));
}
SCHEMA_DEFAULTS.MixedPrecisionCompound = () =>
  C.MixedPrecisionCompound.parse(typed('MixedPrecisionCompound'));
for (const t of ['FloatingPointRPUConfig', 'SingleRPUConfig', 'InferenceRPUConfig']) {
  SCHEMA_DEFAULTS[t] = () => C.RPUConfig.parse(typed(t));
}
// The default device of these two is AIHWKit's abstract cell (not in the fixture; see rpu-config.ts).
for (const t of ['UnitCellRPUConfig', 'DigitalRankUpdateRPUConfig']) {
  SCHEMA_DEFAULTS[t] = () => {
    const { device: _device, ...rest } = C.RPUConfig.parse(typed(t)) as Record<string, unknown>;
    return rest;
  };
}
for (const name of C.DEVICE_PRESET_NAMES) SCHEMA_DEFAULTS[name] = () => C.DEVICE_PRESETS[name]();

/** Inference presets: the fixture leaves out the noise model and drift compensation objects. */
function withoutInferenceObjects(config: C.RPUConfig): unknown {
  if (config.type !== 'InferenceRPUConfig') return config;
  const { noise_model: _n, drift_compensation: _d, ...rest } = config;
  return rest;
}
for (const name of C.RPU_CONFIG_PRESET_NAMES) {
  if (name === 'FloatingPointPreset') continue; // a TorchInferenceRPUConfig in AIHWKit; checked below
  SCHEMA_DEFAULTS[name] = () => withoutInferenceObjects(C.RPU_CONFIG_PRESETS[name]());
}
SCHEMA_DEFAULTS.InferenceRPUConfig = () =>
  withoutInferenceObjects(C.RPUConfig.parse(typed('InferenceRPUConfig')));

describe('config defaults equal AIHWKit 1.1.0 (Python defaults)', () => {
  it('covers every class of the fixture', () => {
    expect(Object.keys(SCHEMA_DEFAULTS).sort()).toEqual(Object.keys(classes).sort());
  });

  it.each(Object.keys(classes).sort())('%s', (name) => {
    expect(withoutExtras(SCHEMA_DEFAULTS[name]())).toEqual(classes[name]);
  });

  it('keeps the C++-only IO fields at their C++ defaults', () => {
    const io = C.IOParameters.parse({});
    expect(io.nm_assumed_wmax).toBe(0.6);
    expect(io.nm_decay).toBe(1e-3);
  });

  it('fills the inference defaults: PCM noise model, global drift compensation, fixed parts', () => {
    const cfg = C.RPUConfig.parse({ type: 'InferenceRPUConfig' });
    if (cfg.type !== 'InferenceRPUConfig') throw new Error('unreachable');
    expect(cfg.noise_model).toEqual({
      type: 'PCMLikeNoiseModel',
      prog_coeff: [0.26348, 1.965, -1.1731],
      g_converter: { type: 'SinglePairConductanceConverter', g_max: 25, g_min: 0 },
      g_max: null,
      t_read: 250e-9,
      t_0: 20,
      prog_noise_scale: 1,
      read_noise_scale: 1,
      drift_scale: 1,
      prog_coeff_g_max_reference: null,
    });
    expect(cfg.drift_compensation).toEqual({ type: 'GlobalDriftCompensation' });
    expect(C.RPUConfig.parse({ type: 'InferenceRPUConfig', drift_compensation: null })).toMatchObject({
      drift_compensation: null,
    });
    expect(C.INFERENCE_FIXED_BACKWARD.is_perfect).toBe(true);
    expect(C.INFERENCE_FIXED_UPDATE.pulse_type).toBe('NONE');
    expect(C.INFERENCE_FIXED_DEVICE.type).toBe('IdealDevice');
  });

  it('FloatingPointPreset is a perfect, untiled inference config', () => {
    const cfg = C.rpuConfigPreset('FloatingPointPreset');
    expect(cfg).toMatchObject({
      type: 'InferenceRPUConfig',
      forward: { is_perfect: true },
      mapping: { max_input_size: 0, max_output_size: 0 },
    });
  });
});

describe('config schemas reject bad input with a path', () => {
  it('rejects unknown keys (strict)', () => {
    const r = C.RPUConfig.safeParse({ type: 'SingleRPUConfig', forward: { inp_ress: 0.1 } });
    expect(r.success).toBe(false);
    expect(JSON.stringify(r.error?.issues)).toContain('inp_ress');
  });

  it('rejects an unknown device type', () => {
    const r = C.RPUConfig.safeParse({ type: 'SingleRPUConfig', device: { type: 'FooDevice' } });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0].path).toEqual(['device', 'type']);
  });

  it('rejects wrong value types and names the field', () => {
    const r = C.IOParameters.safeParse({ out_noise: -1 });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0].path).toEqual(['out_noise']);
  });

  it('rejects an unknown preset name clearly', () => {
    expect(() => C.rpuConfigPreset('NoSuchPreset')).toThrow(/Unknown RPU config preset "NoSuchPreset"/);
  });
});

describe('layer, training and data-set specs', () => {
  it('fills layer defaults', () => {
    expect(C.LayerSpec.parse({ type: 'AnalogLinear', in_features: 4, out_features: 2 })).toEqual({
      type: 'AnalogLinear',
      in_features: 4,
      out_features: 2,
      bias: true,
    });
    expect(
      C.LayerSpec.parse({ type: 'AnalogConv2d', in_channels: 1, out_channels: 16, kernel_size: 5 }),
    ).toEqual({
      type: 'AnalogConv2d',
      in_channels: 1,
      out_channels: 16,
      kernel_size: 5,
      stride: 1,
      padding: 0,
      dilation: 1,
      bias: true,
    });
    expect(C.LayerSpec.parse({ type: 'MaxPool2d', kernel_size: 2 })).toEqual({
      type: 'MaxPool2d',
      kernel_size: 2,
      stride: null,
      padding: 0,
      dilation: 1,
      ceil_mode: false,
    });
    expect(C.LayerSpec.parse({ type: 'LogSoftmax' })).toEqual({ type: 'LogSoftmax', dim: 1 });
    expect(C.LayerSpec.parse({ type: 'LeakyReLU' })).toEqual({ type: 'LeakyReLU', negative_slope: 0.01 });
    expect(C.LayerSpec.parse({ type: 'Dropout' })).toEqual({ type: 'Dropout', p: 0.5 });
  });

  it('parses a nested rpu_config with all its defaults', () => {
    const layer = C.LayerSpec.parse({
      type: 'AnalogLinear',
      in_features: 4,
      out_features: 2,
      rpu_config: { type: 'SingleRPUConfig', device: { type: 'SoftBoundsDevice', dw_min: 0.01 } },
    });
    expect(layer).toMatchObject({
      rpu_config: {
        device: { type: 'SoftBoundsDevice', dw_min: 0.01, w_max: 0.6 },
        forward: { out_noise: 0.06 },
      },
    });
  });

  it('fills training defaults as BasicTraining', () => {
    expect(C.TrainingSpec.parse({})).toEqual({
      batch_size: 64,
      epochs: 30,
      optimizer: { type: 'AnalogSGD', lr: 0.05, momentum: 0, dampening: 0, weight_decay: 0, nesterov: false },
      scheduler: null,
      loss: { type: 'NLLLoss' },
    });
    expect(C.SchedulerSpec.parse({ type: 'StepLR', step_size: 10 })).toEqual({
      type: 'StepLR',
      step_size: 10,
      gamma: 0.1,
    });
  });

  it('fills per-data-set normalization defaults', () => {
    expect(C.DatasetSpec.parse({ name: 'fashion_mnist' })).toEqual({
      name: 'fashion_mnist',
      train_size: null,
      test_size: null,
      normalize: { mean: 0.286, std: 0.3205 },
    });
    expect(C.DatasetSpec.parse({ name: 'mnist', normalize: null }).normalize).toBeNull();
    expect(C.DatasetSpec.parse({ name: 'mnist' }).normalize).toEqual({ mean: 0.1307, std: 0.3081 });
  });
});

describe('semantic validation (rpuConfigProblems)', () => {
  it('accepts every simulated preset', () => {
    for (const name of C.RPU_CONFIG_PRESET_NAMES) {
      const cfg = C.RPU_CONFIG_PRESETS[name]();
      const problems = C.rpuConfigProblems(cfg);
      const unsimulated =
        cfg.type === 'UnitCellRPUConfig' &&
        (C.UNSIMULATED_DEVICE_TYPES as readonly string[]).includes(cfg.device.type);
      if (unsimulated) {
        expect(problems).toEqual([expect.objectContaining({ path: ['device', 'type'] })]);
      } else {
        expect({ name, problems }).toEqual({ name, problems: [] });
      }
    }
  });

  it('names what is wrong and where', () => {
    const cfg = C.RPUConfig.parse({
      type: 'UnitCellRPUConfig',
      forward: { inp_bound: 2 },
      device: { type: 'TransferCompound', unit_cell_devices: [{ type: 'ConstantStepDevice', w_min: 0.1 }] },
    });
    const problems = C.rpuConfigProblems(cfg);
    expect(problems.map((p) => p.path)).toEqual([
      ['forward', 'inp_bound'],
      ['device', 'unit_cell_devices', 0, 'w_min'],
      ['device', 'unit_cell_devices'],
    ]);
  });
});

describe('workflow-sandbox safety', () => {
  it('config files import only zod and each other', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const fs = require('node:fs') as typeof import('node:fs');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const path = require('node:path') as typeof import('node:path');
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(full);
        else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) files.push(full);
      }
    };
    walk(__dirname);
    expect(files.length).toBeGreaterThan(10);
    for (const file of files) {
      const source = fs.readFileSync(file, 'utf8');
      for (const m of source.matchAll(/from\s+'([^']+)'/g)) {
        const spec = m[1];
        const ok =
          spec === 'zod' ||
          (spec.startsWith('.') && path.resolve(path.dirname(file), spec).startsWith(__dirname));
        expect({ file: path.relative(__dirname, file), spec, ok }).toEqual({
          file: path.relative(__dirname, file),
          spec,
          ok: true,
        });
      }
    }
  });
});
