/**
 * Describing an in-memory-computing chip: its crossbar tiles, its converters and its devices, and how a
 * network's analog layers map onto its tiles. Plain data and pure functions (no tfjs), so the
 * validator and the API can use them too.
 */
import { z } from 'zod';
import { InferenceRPUConfig, type ExperimentLayerLike } from './layer-shapes';

export type { ExperimentLayerLike };

export const ImcChipDescription = z.strictObject({
  /** A name users see in results ("PCM chip emulator (256×256 tiles)"). */
  name: z.string().min(1),
  /** Whether this is real silicon or an emulator of it. */
  kind: z.enum(['hardware', 'emulator']),
  /** Crossbar size: inputs (word lines) × outputs (bit lines) of one tile. */
  tile_rows: z.number().int().positive(),
  tile_cols: z.number().int().positive(),
  /** Tiles on the chip; a network needing more does not fit. */
  tiles: z.number().int().positive(),
  /** Resolution of the input DACs and output ADCs, in bits. */
  dac_bits: z.number().int().min(1).max(16),
  adc_bits: z.number().int().min(1).max(16),
  /** The memory device and the noise model that describes it (AIHWKit names). */
  device_type: z.enum(['PCM', 'ReRAM', 'Flash', 'SRAM', 'other']),
  noise_model: z.string(),
  /** Largest conductance of a device, µS. */
  g_max_uS: z.number().positive(),
  /** What the chip can do: programming and reading, never training. */
  capabilities: z.strictObject({ program: z.literal(true), read: z.literal(true), train: z.boolean() }),
});
export type ImcChipDescription = z.infer<typeof ImcChipDescription>;

/** How one analog layer lies on the chip. */
export interface ImcLayerMapping {
  /** Index of the layer in the model's layer list. */
  layer: number;
  type: string;
  /** The weight matrix as the crossbar sees it: inputs (rows) × outputs (cols). */
  inputs: number;
  outputs: number;
  /** Tiles across inputs and outputs, and in all. */
  tilesDown: number;
  tilesAcross: number;
  tiles: number;
}

/** The crossbar-facing size of an analog layer (conv: in_channels·kh·kw inputs per out channel). */
function crossbarSize(layer: ExperimentLayerLike): { inputs: number; outputs: number } | null {
  if (layer.type === 'AnalogLinear' && layer.in_features && layer.out_features) {
    return { inputs: layer.in_features, outputs: layer.out_features };
  }
  if (layer.type === 'AnalogConv2d' && layer.in_channels && layer.out_channels && layer.kernel_size) {
    const k = layer.kernel_size;
    const [kh, kw] = typeof k === 'number' ? [k, k] : k;
    return { inputs: layer.in_channels * kh * kw, outputs: layer.out_channels };
  }
  return null;
}

/** Maps every analog layer onto tiles (split along inputs and outputs, as AIHWKit's tile arrays do). */
export function mapLayers(
  chip: Pick<ImcChipDescription, 'tile_rows' | 'tile_cols'>,
  layers: readonly ExperimentLayerLike[],
): ImcLayerMapping[] {
  const out: ImcLayerMapping[] = [];
  layers.forEach((layer, index) => {
    const size = crossbarSize(layer);
    if (!size) return;
    const tilesDown = Math.ceil(size.inputs / chip.tile_rows);
    const tilesAcross = Math.ceil(size.outputs / chip.tile_cols);
    out.push({
      layer: index,
      type: layer.type,
      ...size,
      tilesDown,
      tilesAcross,
      tiles: tilesDown * tilesAcross,
    });
  });
  return out;
}

/** Problems that keep a network off this chip (none: it fits). */
export function fitProblems(chip: ImcChipDescription, layers: readonly ExperimentLayerLike[]): string[] {
  const mapping = mapLayers(chip, layers);
  const needed = mapping.reduce((sum, m) => sum + m.tiles, 0);
  if (mapping.length === 0) return ['the model has no analog layer to program onto the chip'];
  if (needed > chip.tiles) {
    return [
      `the model needs ${needed} tiles of ${chip.tile_rows}×${chip.tile_cols} but ${chip.name} has ${chip.tiles}`,
    ];
  }
  return [];
}

/**
 * The simulator configuration that reproduces a chip's behaviour (AIHWKit semantics): tiles of the
 * chip's size, DAC/ADC resolution from its bits (2^bits − 2 steps, AIHWKit's convention for a signed
 * converter), its noise model, and the drift compensation the experiment asks for.
 */
export function chipRpuConfig(
  chip: ImcChipDescription,
  driftCompensation: InferenceRPUConfig['drift_compensation'],
): InferenceRPUConfig {
  return InferenceRPUConfig.parse({
    type: 'InferenceRPUConfig',
    forward: {
      inp_res: 1 / (2 ** chip.dac_bits - 2),
      out_res: 1 / (2 ** chip.adc_bits - 2),
      // StandardIOParameters' converter range and output noise, for an 8-bit macro.
      out_bound: 10.0,
      out_noise: 0.04,
    },
    noise_model: { type: chip.noise_model, g_max: chip.g_max_uS },
    drift_compensation: driftCompensation,
    mapping: { max_input_size: chip.tile_rows, max_output_size: chip.tile_cols },
  });
}
