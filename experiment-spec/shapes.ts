/**
 * Shape inference through a layer list, with torch's size rules (the layers are torch/AIHWKit layers):
 * output sizes of convolutions and pooling, Flatten, and the final layer against the number of classes.
 * Also counts parameters and forward multiply-accumulates per sample, for the resource quotas.
 *
 * Works on plain layer objects `{ type, ...fields }` as the layer schemas of sim-core produce them
 * (AIHWKit/torch field names and defaults); a field that is missing or malformed is reported by the
 * schema, so here it only stops the inference at that layer.
 */
import { type PathSegment, type SpecIssue, issue } from './issues';

/** A per-sample tensor shape (no batch dimension): [features] or [channels, height, width]. */
export type Shape = readonly number[];

export interface LayerShapeInfo {
  index: number;
  type: string;
  input: Shape;
  output: Shape;
  parameters: number;
  /** Forward multiply-accumulates per sample. */
  macs: number;
}

export interface ShapeReport {
  layers: LayerShapeInfo[];
  /** Undefined when inference stopped early. */
  output?: Shape;
  parameters: number;
  macs: number;
  issues: SpecIssue[];
}

export const LINEAR_TYPES = ['AnalogLinear', 'Linear', 'AnalogLinearMapped'] as const;
export const CONV_TYPES = ['AnalogConv2d', 'Conv2d', 'AnalogConv2dMapped'] as const;
export const ACTIVATION_TYPES = [
  'ReLU',
  'Sigmoid',
  'Tanh',
  'LeakyReLU',
  'LogSoftmax',
  'Softmax',
  'LogSigmoid',
  'GELU',
  'ELU',
  'Hardtanh',
  'Softplus',
  'Identity',
] as const;

type Layer = Record<string, unknown>;

function isLayer(value: unknown): value is Layer {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function intField(layer: Layer, key: string, fallback?: number): number | undefined {
  const value = layer[key] ?? fallback;
  return typeof value === 'number' && Number.isSafeInteger(value) ? value : undefined;
}

/** A torch "int or pair" argument as [h, w]. */
function pairField(layer: Layer, key: string, fallback?: number): [number, number] | undefined {
  const value = layer[key] ?? fallback;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return [value, value];
  if (
    Array.isArray(value) &&
    value.length === 2 &&
    value.every((v) => typeof v === 'number' && Number.isSafeInteger(v))
  )
    return [value[0] as number, value[1] as number];
  if (
    Array.isArray(value) &&
    value.length === 1 &&
    typeof value[0] === 'number' &&
    Number.isSafeInteger(value[0])
  )
    return [value[0], value[0]];
  return undefined;
}

function boolField(layer: Layer, key: string, fallback: boolean): boolean {
  const value = layer[key];
  return typeof value === 'boolean' ? value : fallback;
}

function product(shape: Shape): number {
  return shape.reduce((a, b) => a * b, 1);
}

export function formatShape(shape: Shape): string {
  return `[${shape.join(', ')}]`;
}

/** torch's output-size rule for convolutions and pooling along one dimension. */
export function convOutputSize(
  size: number,
  kernel: number,
  stride: number,
  padding: number,
  dilation: number,
  ceilMode = false,
): number {
  const effective = size + 2 * padding - dilation * (kernel - 1) - 1;
  let out = (ceilMode ? Math.ceil(effective / stride) : Math.floor(effective / stride)) + 1;
  // torch: with ceil_mode, the last pooling window must start inside the input or the left padding.
  if (ceilMode && (out - 1) * stride >= size + padding) out -= 1;
  return out;
}

export interface ShapeContext {
  /** Per-sample input shape of the data set, e.g. [1, 28, 28]. */
  inputShape: Shape;
  /** Number of classes the final layer must produce. */
  numClasses?: number;
  /** Path of the layer list in the document, for issue paths. */
  layersPath?: readonly PathSegment[];
}

/** Infer shapes through `layers`; never throws. */
export function inferShapes(layers: readonly unknown[], context: ShapeContext): ShapeReport {
  const base = context.layersPath ?? ['model', 'layers'];
  const report: ShapeReport = { layers: [], parameters: 0, macs: 0, issues: [] };
  let shape: Shape = context.inputShape;
  for (let index = 0; index < layers.length; index++) {
    const layer = layers[index];
    const at = (...rest: PathSegment[]): PathSegment[] => [...base, index, ...rest];
    if (!isLayer(layer) || typeof layer.type !== 'string') return report;
    const result = step(layer, shape, at, report.issues);
    if (!result) return report;
    report.layers.push({ index, type: layer.type, input: shape, ...result });
    report.parameters += result.parameters;
    report.macs += result.macs;
    shape = result.output;
  }
  report.output = shape;
  if (context.numClasses !== undefined) {
    const flat = shape.length === 1;
    if (!flat || shape[0] !== context.numClasses) {
      const last = layers.length - 1;
      report.issues.push(
        issue(
          last >= 0 ? [...base, last] : base,
          'shape',
          `the model's output is ${formatShape(shape)} per sample, but the data set has ${context.numClasses} classes: ` +
            `the last layer must produce [${context.numClasses}]` +
            (flat ? ` (set its out_features to ${context.numClasses})` : ' (add Flatten and a Linear layer)'),
          { allowed: { values: [context.numClasses] } },
        ),
      );
    }
  }
  return report;
}

interface StepResult {
  output: Shape;
  parameters: number;
  macs: number;
}

function step(
  layer: Layer,
  shape: Shape,
  at: (...rest: PathSegment[]) => PathSegment[],
  issues: SpecIssue[],
): StepResult | undefined {
  const type = layer.type as string;
  const name = `${type} (layer ${at().at(-1) as number})`;

  if ((LINEAR_TYPES as readonly string[]).includes(type)) {
    const inF = intField(layer, 'in_features');
    const outF = intField(layer, 'out_features');
    if (inF === undefined || outF === undefined || inF < 1 || outF < 1) return undefined;
    if (shape.length !== 1) {
      const flatHint =
        product(shape) === inF
          ? ` Add a Flatten layer before it (the flattened size ${product(shape)} matches).`
          : '';
      issues.push(
        issue(
          at(),
          'shape',
          `${name} needs a flat input of ${inF} features, but receives ${formatShape(shape)}.${flatHint}`,
        ),
      );
      return undefined;
    }
    if (shape[0] !== inF) {
      issues.push(
        issue(
          at('in_features'),
          'shape',
          `${name} has in_features ${inF}, but the previous layer produces ${shape[0]} features`,
          { allowed: { values: [shape[0]] } },
        ),
      );
      return undefined;
    }
    const bias = boolField(layer, 'bias', true);
    return { output: [outF], parameters: inF * outF + (bias ? outF : 0), macs: inF * outF };
  }

  if ((CONV_TYPES as readonly string[]).includes(type)) {
    const inC = intField(layer, 'in_channels');
    const outC = intField(layer, 'out_channels');
    const kernel = pairField(layer, 'kernel_size');
    const stride = pairField(layer, 'stride', 1);
    const padding = pairField(layer, 'padding', 0);
    const dilation = pairField(layer, 'dilation', 1);
    const groups = intField(layer, 'groups', 1) ?? 1;
    if (!inC || !outC || !kernel || !stride || !padding || !dilation) return undefined;
    if (shape.length !== 3) {
      issues.push(
        issue(
          at(),
          'shape',
          `${name} needs an image input [channels, height, width], but receives ${formatShape(shape)}`,
        ),
      );
      return undefined;
    }
    if (shape[0] !== inC) {
      issues.push(
        issue(
          at('in_channels'),
          'shape',
          `${name} has in_channels ${inC}, but its input has ${shape[0]} channels (input ${formatShape(shape)})`,
          { allowed: { values: [shape[0]] } },
        ),
      );
      return undefined;
    }
    if (groups < 1 || inC % groups !== 0 || outC % groups !== 0) return undefined;
    const h = convOutputSize(shape[1], kernel[0], stride[0], padding[0], dilation[0]);
    const w = convOutputSize(shape[2], kernel[1], stride[1], padding[1], dilation[1]);
    if (h < 1 || w < 1) {
      issues.push(
        issue(
          at('kernel_size'),
          'shape',
          `${name}: the kernel ${kernel[0]}×${kernel[1]} (dilation ${dilation[0]}×${dilation[1]}, padding ` +
            `${padding[0]}×${padding[1]}) does not fit the ${shape[1]}×${shape[2]} input`,
        ),
      );
      return undefined;
    }
    const bias = boolField(layer, 'bias', true);
    const perOutput = (inC / groups) * kernel[0] * kernel[1];
    return {
      output: [outC, h, w],
      parameters: outC * perOutput + (bias ? outC : 0),
      macs: outC * h * w * perOutput,
    };
  }

  if (type === 'MaxPool2d' || type === 'AvgPool2d') {
    const kernel = pairField(layer, 'kernel_size');
    const strideRaw = layer.stride;
    const stride = strideRaw === null || strideRaw === undefined ? kernel : pairField(layer, 'stride');
    const padding = pairField(layer, 'padding', 0);
    const dilation = type === 'MaxPool2d' ? pairField(layer, 'dilation', 1) : ([1, 1] as [number, number]);
    const ceil = boolField(layer, 'ceil_mode', false);
    if (!kernel || !stride || !padding || !dilation) return undefined;
    if (shape.length !== 3) {
      issues.push(
        issue(
          at(),
          'shape',
          `${name} needs an image input [channels, height, width], but receives ${formatShape(shape)}`,
        ),
      );
      return undefined;
    }
    for (let d = 0; d < 2; d++) {
      // torch: "pad should be at most half of effective kernel size".
      if (padding[d] * 2 > dilation[d] * (kernel[d] - 1) + 1) {
        issues.push(
          issue(
            at('padding'),
            'shape',
            `${name}: padding ${padding[d]} is more than half the kernel size ${kernel[d]}`,
            {
              allowed: { min: 0, max: Math.floor((dilation[d] * (kernel[d] - 1) + 1) / 2), integer: true },
            },
          ),
        );
        return undefined;
      }
    }
    const h = convOutputSize(shape[1], kernel[0], stride[0], padding[0], dilation[0], ceil);
    const w = convOutputSize(shape[2], kernel[1], stride[1], padding[1], dilation[1], ceil);
    if (h < 1 || w < 1) {
      issues.push(
        issue(
          at('kernel_size'),
          'shape',
          `${name}: the pooling window ${kernel[0]}×${kernel[1]} does not fit the ${shape[1]}×${shape[2]} input`,
        ),
      );
      return undefined;
    }
    return { output: [shape[0], h, w], parameters: 0, macs: 0 };
  }

  if (type === 'BatchNorm2d') {
    const features = intField(layer, 'num_features');
    if (features === undefined) return undefined;
    if (shape.length !== 3) {
      issues.push(
        issue(
          at(),
          'shape',
          `${name} needs an image input [channels, height, width], but receives ${formatShape(shape)}`,
        ),
      );
      return undefined;
    }
    if (shape[0] !== features) {
      issues.push(
        issue(
          at('num_features'),
          'shape',
          `${name} has num_features ${features}, but its input has ${shape[0]} channels`,
          {
            allowed: { values: [shape[0]] },
          },
        ),
      );
      return undefined;
    }
    const affine = boolField(layer, 'affine', true);
    return { output: shape, parameters: affine ? 2 * features : 0, macs: 0 };
  }

  if (type === 'Flatten') {
    // torch dims count the batch dimension: start_dim 1 (default) flattens everything per sample.
    const start = intField(layer, 'start_dim', 1) ?? 1;
    const end = intField(layer, 'end_dim', -1) ?? -1;
    const rank = shape.length + 1;
    const s = start < 0 ? start + rank : start;
    const e = end < 0 ? end + rank : end;
    if (s < 1 || e >= rank || s > e) {
      issues.push(
        issue(
          at('start_dim'),
          'shape',
          `${name}: start_dim ${start} / end_dim ${end} do not fit an input ${formatShape(shape)} (batch dimension 0 must stay)`,
        ),
      );
      return undefined;
    }
    const before = shape.slice(0, s - 1);
    const middle = product(shape.slice(s - 1, e));
    const after = shape.slice(e);
    return { output: [...before, middle, ...after], parameters: 0, macs: 0 };
  }

  if (type === 'Dropout' || (ACTIVATION_TYPES as readonly string[]).includes(type)) {
    return { output: shape, parameters: 0, macs: 0 };
  }

  // A layer type shape inference does not know: the schema reports unknown types; stop here.
  return undefined;
}
