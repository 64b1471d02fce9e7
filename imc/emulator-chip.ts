/**
 * The chip the bundled emulator plays: 256×256 PCM crossbar tiles read through 8-bit DACs and ADCs,
 * PCM devices as AIHWKit's PCMLikeNoiseModel describes them (25 µS g_max), 64 tiles (enough for the
 * FC and LeNet5 networks of the gallery). A real chip's backend brings its own description.
 */
import type { ImcChipDescription } from './chip';

export const EMULATOR_CHIP: ImcChipDescription = {
  name: 'PCM chip emulator (64 tiles of 256×256)',
  kind: 'emulator',
  tile_rows: 256,
  tile_cols: 256,
  tiles: 64,
  dac_bits: 8,
  adc_bits: 8,
  device_type: 'PCM',
  noise_model: 'PCMLikeNoiseModel',
  g_max_uS: 25,
  capabilities: { program: true, read: true, train: false },
};
