/**
 * Model-level access to the inference tiles of a sequential model: every tile of every AnalogLinear
 * and AnalogConv2d whose RPU config is an InferenceRPUConfig, with its InferenceTileExtras (which the
 * layer created with the tile).
 */
import { AnalogLinear, type TileSlot } from '../layers/analog-linear';
import { AnalogConv2d } from '../layers/conv2d';
import type { Layer } from '../layers/layer';
import type { InferenceTileExtras } from './inference-tile';

/** The tile grid of an analog layer (AnalogConv2d runs on an AnalogLinear grid), or null. */
export function tileGrid(layer: Layer): AnalogLinear | null {
  if (layer instanceof AnalogLinear) return layer;
  if (layer instanceof AnalogConv2d) return layer.core;
  return null;
}

export interface InferenceTileEntry {
  /** Index of the layer in the model. */
  layer: number;
  grid: AnalogLinear;
  slot: TileSlot;
  extras: InferenceTileExtras;
}

/** Every inference tile of the model, in layer order. */
export function inferenceTiles(layers: readonly Layer[]): InferenceTileEntry[] {
  const out: InferenceTileEntry[] = [];
  layers.forEach((layer, index) => {
    const grid = tileGrid(layer);
    if (!grid) return;
    for (const row of grid.tiles) {
      for (const slot of row)
        if (slot.inference) out.push({ layer: index, grid, slot, extras: slot.inference });
    }
  });
  return out;
}
