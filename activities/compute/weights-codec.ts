/**
 * Exported weights (sim-core `TrainingSession.exportWeights()`) as bytes for the checkpoint store, in
 * sim-core's versioned checkpoint blob format (CRC-checked): arrays travel as binary, the layout as
 * JSON meta.
 */
import { decodeCheckpoint, encodeCheckpoint } from '../../sim-core/checkpoint/blob';
import type { StateRecord } from '../../sim-core/devices/device-array';
import type { ExportedWeights } from '../../sim-core/experiment/training-session';

const KIND = 'exported-weights';

interface LayerLayout {
  index: number;
  type: string;
  shape: number[];
  bias: boolean;
  buffers: string[];
  tiles:
    | { rowOffset: number; colOffset: number; rows: number; cols: number; scales: boolean; state: string[] }[]
    | null;
}

export function encodeWeights(weights: ExportedWeights): Uint8Array {
  const state: StateRecord = {};
  const layers: LayerLayout[] = weights.layers.map((layer, l) => {
    state[`l${l}.weights`] = layer.weights;
    if (layer.bias) state[`l${l}.bias`] = layer.bias;
    for (const [key, value] of Object.entries(layer.buffers ?? {})) state[`l${l}.b.${key}`] = value;
    const tiles =
      layer.tiles?.map((tile, t) => {
        if (tile.mappingScales) state[`l${l}.t${t}.scales`] = tile.mappingScales;
        for (const [key, value] of Object.entries(tile.state)) state[`l${l}.t${t}.s.${key}`] = value;
        return {
          rowOffset: tile.rowOffset,
          colOffset: tile.colOffset,
          rows: tile.rows,
          cols: tile.cols,
          scales: tile.mappingScales !== null,
          state: Object.keys(tile.state),
        };
      }) ?? null;
    return {
      index: layer.index,
      type: layer.type,
      shape: layer.shape,
      bias: layer.bias !== null,
      buffers: Object.keys(layer.buffers ?? {}),
      tiles,
    };
  });
  return encodeCheckpoint(KIND, { sim_core_version: weights.sim_core_version, layers }, state);
}

export function decodeWeights(bytes: Uint8Array): ExportedWeights {
  const { meta, state } = decodeCheckpoint(bytes, KIND);
  const { sim_core_version, layers } = meta as { sim_core_version: string; layers: LayerLayout[] };
  const array = (key: string): Float32Array => {
    const value = state[key];
    if (!(value instanceof Float32Array)) throw new Error(`exported weights: "${key}" is missing`);
    return value;
  };
  return {
    sim_core_version,
    layers: layers.map((layer, l) => ({
      index: layer.index,
      type: layer.type,
      shape: layer.shape,
      weights: array(`l${l}.weights`),
      bias: layer.bias ? array(`l${l}.bias`) : null,
      ...(layer.buffers.length > 0
        ? { buffers: Object.fromEntries(layer.buffers.map((key) => [key, array(`l${l}.b.${key}`)])) }
        : {}),
      ...(layer.tiles
        ? {
            tiles: layer.tiles.map((tile, t) => ({
              rowOffset: tile.rowOffset,
              colOffset: tile.colOffset,
              rows: tile.rows,
              cols: tile.cols,
              mappingScales: tile.scales ? array(`l${l}.t${t}.scales`) : null,
              state: Object.fromEntries(tile.state.map((key) => [key, state[`l${l}.t${t}.s.${key}`]])),
            })),
          }
        : {}),
    })),
  };
}
