/**
 * Loads trained weights (`TrainingSession.exportWeights()`) into a model built for inference. The
 * logical weights carry over, so a network trained with one configuration can be deployed with
 * another — a layer may change between digital and analog (Linear ↔ AnalogLinear, Conv2d ↔
 * AnalogConv2d) as long as the shapes agree. Analog layers map the weights onto their tiles as
 * their RPU config says (weight_scaling_omega; remapping for InferenceRPUConfig tiles, as the last
 * post-update step of hardware-aware training leaves them).
 */
import type { ExportedWeights } from '../experiment/training-session';
import { remapWeightsInPlace } from '../hwa/clip-remap-js';
import { AnalogLinear } from '../layers/analog-linear';
import { BatchNorm2d } from '../layers/batchnorm2d';
import { AnalogConv2d, Conv2d } from '../layers/conv2d';
import type { ExportedLayerWeights, Layer } from '../layers/layer';
import { Linear } from '../layers/linear';
import type { Sequential } from '../layers/sequential';

const COMPATIBLE: Record<string, string[]> = {
  Linear: ['Linear', 'AnalogLinear'],
  AnalogLinear: ['Linear', 'AnalogLinear'],
  Conv2d: ['Conv2d', 'AnalogConv2d'],
  AnalogConv2d: ['Conv2d', 'AnalogConv2d'],
  BatchNorm2d: ['BatchNorm2d'],
};

function checkLength(where: string, what: string, got: number, expected: number): void {
  if (got !== expected)
    throw new Error(`${where}: ${what} has ${got} values, the model layer needs ${expected}`);
}

/** After loading logical weights into an inference grid with remapping, remap once (scales from 1). */
function remapOnLoad(grid: AnalogLinear): void {
  const config = grid.rpuConfig;
  if (config.type !== 'InferenceRPUConfig' || config.remap.type === 'NONE') return;
  for (const row of grid.tiles) {
    for (const slot of row) {
      const { tile } = slot;
      const w = tile.getWeights();
      const scales = slot.mappingScales ?? new Float32Array(tile.outSize).fill(1);
      remapWeightsInPlace(w, scales, tile.outSize, tile.inSize, config.remap);
      if (slot.inference) slot.inference.setReferenceWeights(w);
      else tile.setWeights(w);
      slot.mappingScales = scales;
    }
  }
}

function loadInto(layer: Layer, w: ExportedLayerWeights, where: string): void {
  if (layer instanceof AnalogLinear || layer instanceof AnalogConv2d) {
    const grid = layer instanceof AnalogLinear ? layer : layer.core;
    checkLength(where, 'weights', w.weights.length, grid.outFeatures * grid.inFeatures);
    grid.setWeights(w.weights, grid.analogBias ? w.bias : null);
    if (w.bias && grid.bias) {
      checkLength(where, 'bias', w.bias.length, grid.outFeatures);
      grid.bias.values.set(w.bias);
    }
    remapOnLoad(grid);
    return;
  }
  if (layer instanceof Linear || layer instanceof Conv2d) {
    checkLength(where, 'weights', w.weights.length, layer.weight.values.length);
    layer.weight.values.set(w.weights);
    if (w.bias && layer.bias) {
      checkLength(where, 'bias', w.bias.length, layer.bias.values.length);
      layer.bias.values.set(w.bias);
    }
    return;
  }
  if (layer instanceof BatchNorm2d) {
    layer.loadWeights(w);
    return;
  }
  throw new Error(`${where}: a ${layer.type} layer takes no weights`);
}

export function loadExportedWeights(model: Sequential, exported: ExportedWeights): void {
  for (const entry of exported.layers) {
    const where = `weights of layer ${entry.index} (${entry.type})`;
    const layer = model.layers[entry.index];
    if (!layer) throw new Error(`${where}: the model has ${model.layers.length} layers`);
    if (!(COMPATIBLE[entry.type] ?? []).includes(layer.type)) {
      throw new Error(`${where}: the model's layer ${entry.index} is a ${layer.type}`);
    }
    loadInto(layer, entry, where);
  }
}
