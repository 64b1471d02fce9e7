import { fitProblems, ImcChipDescription, mapLayers, chipRpuConfig } from './chip';
import { EMULATOR_CHIP } from './emulator-chip';

describe('IMC chip description', () => {
  it('describes the bundled emulator as a 256×256 PCM chip with 8-bit converters that cannot train', () => {
    expect(ImcChipDescription.parse(EMULATOR_CHIP)).toMatchObject({
      tile_rows: 256,
      tile_cols: 256,
      dac_bits: 8,
      adc_bits: 8,
      device_type: 'PCM',
      noise_model: 'PCMLikeNoiseModel',
      capabilities: { program: true, read: true, train: false },
    });
  });

  it('maps linear and convolution layers onto tiles, splitting along inputs and outputs', () => {
    const layers = [
      { type: 'Flatten' },
      { type: 'AnalogLinear', in_features: 784, out_features: 256 },
      { type: 'Sigmoid' },
      { type: 'AnalogLinear', in_features: 256, out_features: 300 },
      { type: 'AnalogConv2d', in_channels: 16, out_channels: 32, kernel_size: [5, 5] as const },
    ];
    expect(mapLayers(EMULATOR_CHIP, layers)).toEqual([
      // 784 inputs need 4 tiles of 256 rows; 256 outputs fit one tile's columns.
      { layer: 1, type: 'AnalogLinear', inputs: 784, outputs: 256, tilesDown: 4, tilesAcross: 1, tiles: 4 },
      { layer: 3, type: 'AnalogLinear', inputs: 256, outputs: 300, tilesDown: 1, tilesAcross: 2, tiles: 2 },
      // A 5×5 kernel over 16 channels: 400 inputs per output channel.
      { layer: 4, type: 'AnalogConv2d', inputs: 400, outputs: 32, tilesDown: 2, tilesAcross: 1, tiles: 2 },
    ]);
  });

  it('says when a network does not fit the chip, or has nothing analog', () => {
    const big = [{ type: 'AnalogLinear', in_features: 4096, out_features: 4096 }];
    expect(fitProblems(EMULATOR_CHIP, big)).toEqual([
      `the model needs 256 tiles of 256×256 but ${EMULATOR_CHIP.name} has ${EMULATOR_CHIP.tiles}`,
    ]);
    expect(fitProblems(EMULATOR_CHIP, [{ type: 'Linear', in_features: 4, out_features: 2 }])).toEqual([
      'the model has no analog layer to program onto the chip',
    ]);
  });

  it('turns the chip into the InferenceRPUConfig that simulates it', () => {
    const config = chipRpuConfig(EMULATOR_CHIP, { type: 'GlobalDriftCompensation' });
    // 8-bit signed converters: 2^8 − 2 = 254 steps (AIHWKit's convention, e.g. StandardIOParameters).
    expect(config.forward.inp_res).toBeCloseTo(1 / 254, 12);
    expect(config.forward.out_res).toBeCloseTo(1 / 254, 12);
    expect(config.mapping).toMatchObject({ max_input_size: 256, max_output_size: 256 });
    expect(config.noise_model).toMatchObject({ type: 'PCMLikeNoiseModel', g_max: 25 });
    expect(config.drift_compensation).toEqual({ type: 'GlobalDriftCompensation' });
  });
});
