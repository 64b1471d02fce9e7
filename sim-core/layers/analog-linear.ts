/**
 * AnalogLinear (reference §6.1, §6.4, §1.10): a fully connected layer on analog tiles. Layers larger than
 * mapping.max_input_size / max_output_size are split over a grid of tiles (balanced splits); partial sums
 * over input splits are added digitally. The bias is digital (mapping.digital_bias, always when split)
 * or an extra tile column fed with 1. Optional weight scaling (mapping.weight_scaling_omega): per-row
 * (or global) mapping scales m, tile weights W/m, output × m, backward d·m, update d/m.
 * InferenceRPUConfig tiles carry their inference behaviour (sim-core/inference/inference-tile.ts:
 * weight modifier, clip, remap, programming and drift); the layer calls it around each tile's forward,
 * update and post-update step.
 */
import * as tf from '@tensorflow/tfjs-core';
import { readSync } from '../backend/read';
import type { RPUConfig } from '../configs/rpu-config';
import type { MappingParameter } from '../configs/mapping';
import { prefixState, unprefixState, type StateRecord } from '../devices/device-array';
import type { Rng } from '../random/rng';
import { AnalogTile } from '../tile/analog-tile';
import { InferenceTileExtras } from '../inference/inference-tile';
import { needsPeriphery, TilePeriphery } from '../hwa/periphery';
import {
  parameterState,
  restoreParameters,
  type AnalogUpdatable,
  type DigitalParameter,
  type ExportedLayerWeights,
  type ForwardContext,
  type Layer,
} from './layer';
import { check2d, kaimingUniform } from './linear';
import { balancedSplits, offsets } from './splits';

/** One tile of the grid with its place in the logical weight matrix. */
export interface TileSlot {
  tile: AnalogTile;
  /** First logical output row / input column of this tile. */
  rowOffset: number;
  colOffset: number;
  /** Mapping scale per tile row (null: none). */
  mappingScales: Float32Array | null;
  /** The inference behaviour of an InferenceRPUConfig tile (null for other configs). */
  inference: InferenceTileExtras | null;
  /** Learned input range and out-scales (null when the config uses neither). */
  periphery: TilePeriphery | null;
}

export class AnalogLinear implements Layer, AnalogUpdatable {
  readonly type: string = 'AnalogLinear';
  readonly analog: AnalogUpdatable = this;
  readonly inSplits: number[];
  readonly outSplits: number[];
  /** tiles[a][b]: input split a, output split b. */
  readonly tiles: TileSlot[][];
  readonly bias: DigitalParameter | null;
  readonly analogBias: boolean;
  readonly mapping: MappingParameter;
  /** The input each tile saw in the last training forward, [input split][output split]. */
  private inputs: tf.Tensor2D[][] | null = null;
  private grad: tf.Tensor2D | null = null;

  constructor(
    readonly inFeatures: number,
    readonly outFeatures: number,
    hasBias: boolean,
    readonly rpuConfig: RPUConfig,
    private readonly rng: Rng,
  ) {
    this.mapping = rpuConfig.mapping;
    this.inSplits = balancedSplits(inFeatures, this.mapping.max_input_size);
    this.outSplits = balancedSplits(outFeatures, this.mapping.max_output_size);
    const split = this.inSplits.length > 1 || this.outSplits.length > 1;
    this.analogBias =
      hasBias && !this.mapping.digital_bias && !split && rpuConfig.type !== 'FloatingPointRPUConfig';
    const inOff = offsets(this.inSplits);
    const outOff = offsets(this.outSplits);
    this.tiles = this.inSplits.map((inSize, a) =>
      this.outSplits.map((outSize, b) => {
        const tile = AnalogTile.fromRPUConfig(rpuConfig, outSize, inSize + (this.analogBias ? 1 : 0), rng, {
          analogBiasColumn: this.analogBias,
        });
        return {
          tile,
          rowOffset: outOff[b],
          colOffset: inOff[a],
          mappingScales: null,
          inference:
            rpuConfig.type === 'InferenceRPUConfig' ? new InferenceTileExtras(tile, rpuConfig, rng) : null,
          periphery: needsPeriphery(this.mapping, rpuConfig.pre_post.input_range)
            ? new TilePeriphery(this.mapping, rpuConfig.pre_post.input_range, outSize, `tile${a}.${b}.`)
            : null,
        };
      }),
    );
    const w = kaimingUniform(rng, outFeatures * inFeatures, inFeatures);
    const b = hasBias ? kaimingUniform(rng, outFeatures, inFeatures) : null;
    this.bias =
      b && !this.analogBias
        ? { name: 'bias', values: b, grad: new Float32Array(outFeatures), momentum: null }
        : null;
    this.setWeights(w, this.analogBias ? b : null);
  }

  /**
   * Program logical weights W [out, in] (and an analog bias): with weight_scaling_omega ω > 0 the mapping
   * scales become max|W|/ω per row (columnwise) or for the whole tile, and the tiles get W/m.
   */
  setWeights(weights: ArrayLike<number>, analogBias: ArrayLike<number> | null = null): void {
    if (weights.length !== this.outFeatures * this.inFeatures) {
      throw new Error(
        `AnalogLinear.setWeights: ${weights.length} values for ${this.outFeatures}×${this.inFeatures}`,
      );
    }
    const I = this.inFeatures;
    const omega = this.mapping.weight_scaling_omega;
    for (const row of this.tiles) {
      for (const slot of row) {
        const { tile, rowOffset, colOffset } = slot;
        const cols = tile.inSize;
        const values = new Float32Array(tile.outSize * cols);
        for (let i = 0; i < tile.outSize; i++) {
          for (let j = 0; j < cols; j++) {
            values[i * cols + j] =
              this.analogBias && j === cols - 1
                ? (analogBias?.[rowOffset + i] ?? 0)
                : weights[(rowOffset + i) * I + colOffset + j];
          }
        }
        slot.mappingScales = omega > 0 ? this.mappingScalesFor(values, tile.outSize, cols, omega) : null;
        if (slot.mappingScales) {
          const m = slot.mappingScales;
          for (let i = 0; i < tile.outSize; i++) for (let j = 0; j < cols; j++) values[i * cols + j] /= m[i];
        }
        if (slot.inference) slot.inference.setReferenceWeights(values);
        else tile.setWeights(values);
      }
    }
  }

  private mappingScalesFor(values: Float32Array, rows: number, cols: number, omega: number): Float32Array {
    const m = new Float32Array(rows);
    if (this.mapping.weight_scaling_columnwise) {
      for (let i = 0; i < rows; i++) {
        let a = 0;
        for (let j = 0; j < cols; j++) a = Math.max(a, Math.abs(values[i * cols + j]));
        m[i] = a > 0 ? a / omega : 1;
      }
    } else {
      let a = 0;
      for (let k = 0; k < values.length; k++) a = Math.max(a, Math.abs(values[k]));
      m.fill(a > 0 ? a / omega : 1);
    }
    return m;
  }

  /** The logical weights (tile weights × mapping scales) and the bias (digital, or the analog column). */
  getWeights(): { weights: Float32Array; bias: Float32Array | null } {
    const I = this.inFeatures;
    const weights = new Float32Array(this.outFeatures * I);
    const analogBias = this.analogBias ? new Float32Array(this.outFeatures) : null;
    for (const row of this.tiles) {
      for (const { tile, rowOffset, colOffset, mappingScales, inference } of row) {
        // Inference tiles: the trained weights, not a modified or programmed copy.
        const w = inference ? inference.referenceWeights() : tile.getWeights();
        const cols = tile.inSize;
        for (let i = 0; i < tile.outSize; i++) {
          const m = mappingScales ? mappingScales[i] : 1;
          const dataCols = this.analogBias ? cols - 1 : cols;
          for (let j = 0; j < dataCols; j++)
            weights[(rowOffset + i) * I + colOffset + j] = w[i * cols + j] * m;
          if (analogBias) analogBias[rowOffset + i] = w[i * cols + cols - 1] * m;
        }
      }
    }
    return { weights, bias: this.bias ? this.bias.values.slice() : analogBias };
  }

  exportWeights(): ExportedLayerWeights {
    const { weights, bias } = this.getWeights();
    return {
      weights,
      shape: [this.outFeatures, this.inFeatures],
      bias,
      tiles: this.tiles.flat().map((slot) => ({
        rowOffset: slot.rowOffset,
        colOffset: slot.colOffset,
        rows: slot.tile.outSize,
        cols: slot.tile.inSize,
        mappingScales: slot.mappingScales?.slice() ?? null,
        state: slot.tile.getState(),
      })),
    };
  }

  private scaleRows(t: tf.Tensor2D, scales: Float32Array | null, invert: boolean): tf.Tensor2D {
    if (!scales) return t;
    return tf.tidy(() => {
      const s = tf.tensor2d(scales, [1, scales.length]);
      return (invert ? tf.div(t, s) : tf.mul(t, s)) as tf.Tensor2D;
    });
  }

  forward(x: tf.Tensor, ctx: ForwardContext): tf.Tensor {
    check2d(x, this.inFeatures, this.type);
    this.clearCache();
    const B = x.shape[0];
    const raw = this.inSplits.map((size, a) =>
      this.inSplits.length === 1
        ? (x as tf.Tensor2D)
        : (tf.slice(x as tf.Tensor2D, [0, this.tiles[a][0].colOffset], [B, size]) as tf.Tensor2D),
    );
    /** What each tile sees (after input range and analog-bias column), kept for the update. */
    const seen: tf.Tensor2D[][] = this.tiles.map((row, a) =>
      row.map((slot) => {
        const pre = slot.periphery ? slot.periphery.preForward(raw[a], ctx.training) : raw[a];
        const part = pre === raw[a] ? tf.clone(raw[a]) : pre;
        if (!this.analogBias) return part;
        const withOnes = tf.concat([part, tf.ones([B, 1])], 1) as tf.Tensor2D;
        part.dispose();
        return withOnes;
      }),
    );
    if (this.inSplits.length > 1) tf.dispose(raw);
    let out: tf.Tensor2D | null = null;
    for (let a = 0; a < this.inSplits.length; a++) {
      const parts = this.tiles[a].map((slot, b) => {
        slot.inference?.prepareForward(ctx.training);
        const y = slot.tile.forward(seen[a][b]);
        if (ctx.training && slot.periphery && slot.tile.forwardPipeline) {
          slot.periphery.recordTileOutput(y, slot.tile.forwardPipeline.io.out_bound);
        }
        const scaled = this.scaleRows(y, slot.mappingScales, false);
        if (scaled !== y) y.dispose();
        return slot.periphery ? slot.periphery.postForward(scaled, ctx.training) : scaled;
      });
      const row = parts.length === 1 ? parts[0] : (tf.concat(parts, 1) as tf.Tensor2D);
      if (parts.length > 1) tf.dispose(parts);
      if (out === null) out = row;
      else {
        const sum = tf.add(out, row) as tf.Tensor2D;
        tf.dispose([out, row]);
        out = sum;
      }
    }
    if (ctx.training) this.inputs = seen.map((row) => row.map((t) => tf.keep(t)));
    else tf.dispose(seen.flat());
    const result = out as tf.Tensor2D;
    if (!this.bias) return result;
    const withBias = tf.tidy(() => tf.add(result, tf.tensor1d(this.bias!.values)));
    result.dispose();
    return withBias;
  }

  backward(grad: tf.Tensor): tf.Tensor {
    return this.backwardPass(grad, true) as tf.Tensor;
  }

  /** The bias gradient and what the update needs, without the input gradient (see Layer). */
  backwardParameters(grad: tf.Tensor): void {
    this.backwardPass(grad, false);
  }

  /**
   * Keeps the output gradient for the update, computes the bias and periphery gradients and, when
   * `inputGradient`, the input gradient through the tiles' backward passes (else returns null). A tile
   * with a learned input range runs its backward pass anyway: ∂L/∂r needs the tile's input gradient
   * (in torch the clipped input depends on r, so the analog backward runs there too).
   */
  private backwardPass(grad: tf.Tensor, inputGradient: boolean): tf.Tensor | null {
    if (!this.inputs) throw new Error('AnalogLinear.backward called without a training forward');
    const g = grad as tf.Tensor2D;
    check2d(g, this.outFeatures, `${this.type} gradient`);
    this.grad?.dispose();
    this.grad = tf.keep(tf.clone(g));
    if (this.bias) this.bias.grad.set(readSync(() => tf.sum(g, 0)));
    const B = g.shape[0];
    const parts = this.tiles.map((row) => {
      let acc: tf.Tensor2D | null = null;
      for (const slot of row) {
        const needTileBackward = inputGradient || slot.periphery?.inputRange;
        if (!needTileBackward && !slot.periphery?.outScale) continue;
        const d =
          this.outSplits.length === 1
            ? tf.clone(g)
            : tf.slice(g, [0, slot.rowOffset], [B, slot.tile.outSize]);
        const dOut = slot.periphery ? slot.periphery.preBackward(d) : d;
        if (dOut !== d) d.dispose();
        if (!needTileBackward) {
          dOut.dispose();
          continue;
        }
        const dScaled = this.scaleRows(dOut, slot.mappingScales, false);
        if (dScaled !== dOut) dOut.dispose();
        let dx = slot.tile.backward(dScaled);
        dScaled.dispose();
        if (this.analogBias) {
          const trimmed = tf.slice(dx, [0, 0], [B, dx.shape[1] - 1]) as tf.Tensor2D;
          dx.dispose();
          dx = trimmed;
        }
        slot.periphery?.postBackward(dx);
        if (!inputGradient) {
          dx.dispose();
          continue;
        }
        if (acc === null) acc = dx;
        else {
          const sum = tf.add(acc, dx) as tf.Tensor2D;
          tf.dispose([acc, dx]);
          acc = sum;
        }
      }
      return acc;
    });
    if (!inputGradient) return null;
    const dxParts = parts as tf.Tensor2D[];
    if (dxParts.length === 1) return dxParts[0];
    const dx = tf.concat(dxParts, 1);
    tf.dispose(dxParts);
    return dx;
  }

  /** The tiles' updates with the layer input and the (unmasked) output gradient of this mini-batch. */
  applyAnalogUpdate(lr: number): void {
    const inputs = this.inputs;
    const g = this.grad;
    if (!inputs || !g) return;
    const B = g.shape[0];
    const compensation = this.mapping.weight_scaling_lr_compensation;
    this.tiles.forEach((row, a) =>
      row.forEach((slot, b) => {
        const dSlice =
          this.outSplits.length === 1
            ? tf.clone(g)
            : (tf.slice(g, [0, slot.rowOffset], [B, slot.tile.outSize]) as tf.Tensor2D);
        const d = slot.periphery ? slot.periphery.updateGradient(dSlice) : dSlice;
        if (d !== dSlice) dSlice.dispose();
        let dScaled = this.scaleRows(d, slot.mappingScales, true);
        if (slot.mappingScales && compensation) {
          // mapping_lr_scale = 1/mean(m): d̃ = d/(m·mapping_lr_scale) = d·mean(m)/m.
          const mean = slot.mappingScales.reduce((s, v) => s + v, 0) / slot.mappingScales.length;
          const c = tf.mul(dScaled, mean) as tf.Tensor2D;
          dScaled.dispose();
          dScaled = c;
        }
        slot.inference?.prepareUpdate();
        slot.tile.update(inputs[a][b], dScaled, lr);
        if (dScaled !== d) dScaled.dispose();
        d.dispose();
      }),
    );
  }

  postUpdateStep(): void {
    for (const row of this.tiles) {
      for (const slot of row) {
        slot.tile.postUpdateStep();
        // Inference tiles: clip → remap (which may change the mapping scales) → weight modifier.
        if (slot.inference) slot.mappingScales = slot.inference.postUpdateStep(slot.mappingScales);
      }
    }
  }

  parameters(): DigitalParameter[] {
    const periphery = this.tiles.flat().flatMap((slot) => slot.periphery?.parameters() ?? []);
    return this.bias ? [this.bias, ...periphery] : periphery;
  }

  getState(): StateRecord {
    let s: StateRecord = parameterState(this.parameters());
    this.tiles.forEach((row, a) =>
      row.forEach((slot, b) => {
        s = { ...s, ...prefixState(`tile${a}.${b}.`, slot.tile.getState()) };
        if (slot.mappingScales) s[`tile${a}.${b}.mappingScales`] = slot.mappingScales.slice();
        if (slot.inference) s = { ...s, ...prefixState(`inference${a}.${b}.`, slot.inference.getState()) };
        if (slot.periphery?.inputRange)
          s[`tile${a}.${b}.input_range_update_idx`] = slot.periphery.inputRangeUpdateIndex;
      }),
    );
    return s;
  }

  setState(state: StateRecord): void {
    restoreParameters(this.parameters(), state);
    this.tiles.forEach((row, a) =>
      row.forEach((slot, b) => {
        const prefix = `tile${a}.${b}.`;
        slot.tile.setState(unprefixState(prefix, state));
        const m = state[`${prefix}mappingScales`];
        slot.mappingScales = m instanceof Float32Array ? m.slice() : null;
        slot.inference?.setState(unprefixState(`inference${a}.${b}.`, state));
        const k = state[`tile${a}.${b}.input_range_update_idx`];
        if (slot.periphery?.inputRange) {
          if (typeof k !== 'number')
            throw new Error(`layer state: tile${a}.${b}.input_range_update_idx is missing`);
          slot.periphery.inputRangeUpdateIndex = k;
        }
      }),
    );
  }

  clearCache(): void {
    if (this.inputs) tf.dispose(this.inputs.flat());
    for (const row of this.tiles) for (const slot of row) slot.periphery?.clearCache();
    this.inputs = null;
    this.grad?.dispose();
    this.grad = null;
  }

  dispose(): void {
    this.clearCache();
    for (const row of this.tiles) for (const slot of row) slot.tile.dispose();
  }

  get rngStream(): Rng {
    return this.rng;
  }
}
