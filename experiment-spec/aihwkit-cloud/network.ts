/**
 * Layer lists ↔ the format's `Network.layers` (LayerProto / ActivationFunctionProto with typed
 * arguments). Shared by the training and inference conversions; the RPU configuration arguments of
 * analog layers are left to them.
 */
import { type PathSegment, type SpecIssue, issue } from '../issues';
import type { ExperimentLayer } from '../schema';
import type { AttributeMessage, AttributeType, LayerOrActivationMessage } from './codec';
import { fromUtf8, utf8 } from './codec';
import { float32Exact, fromFloat32 } from './floats';
import { ACTIVATIONS, ATTRIBUTE_TYPE_OF, type ArgumentKind, UNSUPPORTED_LAYERS } from './mappings';

type ArgValue = number | boolean | string | number[];

/** A layer as read from the format, before our schema fills defaults; analog arguments kept aside. */
export interface ImportedLayer {
  layer: Record<string, unknown>;
  /** For analog layers: the RPU configuration name the layer names (undefined if none). */
  rpuConfigName?: string;
  /** For analog training layers: the weight_scaling_omega argument, if given. */
  weightScalingOmega?: number;
}

function readArgument(
  attribute: AttributeMessage,
  kind: ArgumentKind,
  path: PathSegment[],
  issues: SpecIssue[],
): ArgValue | undefined {
  const expected = ATTRIBUTE_TYPE_OF[kind];
  if (attribute.type !== undefined && attribute.type !== expected) {
    issues.push(
      issue(
        [...path, 'type'],
        'invalid_value',
        `argument "${attribute.name ?? ''}" has type ${attribute.type}; AIHWKit writes it as ${expected}`,
        {
          allowed: { values: [expected] },
        },
      ),
    );
    return undefined;
  }
  // An absent field reads as the protobuf default, exactly as AIHWKit's converter reads it.
  switch (kind) {
    case 'int':
      return attribute.i ?? 0;
    case 'bool':
      return attribute.b ?? false;
    case 'str':
      return fromUtf8(attribute.s);
    case 'float':
      return fromFloat32(attribute.f ?? 0);
    case 'ints':
      return attribute.ints ?? [];
  }
}

/** torch's `_pair`: [a, a] and [a] become a, [a, b] stays. */
function pairFromInts(
  values: number[],
  path: PathSegment[],
  issues: SpecIssue[],
): number | [number, number] | undefined {
  if (values.length === 1 || (values.length === 2 && values[0] === values[1])) return values[0];
  if (values.length === 2) return [values[0], values[1]];
  issues.push(issue(path, 'invalid_value', `expected one or two integers, got ${values.length}`));
  return undefined;
}

function readArguments(
  attributes: AttributeMessage[] | undefined,
  spec: Record<string, ArgumentKind>,
  owner: string,
  path: PathSegment[],
  issues: SpecIssue[],
): Record<string, ArgValue> {
  const values: Record<string, ArgValue> = {};
  (attributes ?? []).forEach((attribute, i) => {
    const at = [...path, 'arguments', i];
    const name = attribute.name ?? '';
    const kind = spec[name];
    if (!kind) {
      const known = Object.keys(spec);
      issues.push(
        issue(
          [...at, 'name'],
          'not_expressible',
          `${owner} has no argument "${name}"${known.length > 0 ? ` (it takes ${known.join(', ')})` : ' (it takes none)'}`,
          {
            allowed: { values: known },
          },
        ),
      );
      return;
    }
    if (name in values) {
      issues.push(issue([...at, 'name'], 'invalid_value', `${owner} argument "${name}" is given twice`));
      return;
    }
    const value = readArgument(attribute, kind, at, issues);
    if (value !== undefined) values[name] = value;
  });
  return values;
}

const CONV_LIKE = new Set(['AnalogConv2d', 'Conv2d']);

/** Read `layers` of a Network message into our layer objects; problems are added to `issues`. */
export function importLayers(
  items: LayerOrActivationMessage[] | undefined,
  layerSpecs: Record<string, Record<string, ArgumentKind>>,
  path: PathSegment[],
  issues: SpecIssue[],
): ImportedLayer[] {
  const out: ImportedLayer[] = [];
  (items ?? []).forEach((item, index) => {
    const at: PathSegment[] = [...path, index];
    if (item.layer) {
      const { id } = item.layer;
      const lp = [...at, 'layer'];
      if (UNSUPPORTED_LAYERS[id]) {
        issues.push(
          issue(
            [...lp, 'id'],
            'not_expressible',
            `layer ${id} cannot be imported: ${UNSUPPORTED_LAYERS[id]}`,
          ),
        );
        return;
      }
      const spec = layerSpecs[id];
      if (!spec) {
        issues.push(
          issue([...lp, 'id'], 'invalid_value', `unknown layer "${id}"`, {
            allowed: { values: Object.keys(layerSpecs) },
          }),
        );
        return;
      }
      if ((item.layer.state_dict ?? []).length > 0) {
        issues.push(
          issue(
            [...lp, 'state_dict'],
            'not_expressible',
            `weights inside the network (state_dict) are not imported; an experiment takes weights from a training experiment`,
          ),
        );
      }
      const args = readArguments(item.layer.arguments, spec, id, lp, issues);
      const layer: Record<string, unknown> = { type: id };
      const imported: ImportedLayer = { layer };
      for (const [name, value] of Object.entries(args)) {
        if (name === 'rpu_config') imported.rpuConfigName = value as string;
        else if (name === 'weight_scaling_omega') imported.weightScalingOmega = value as number;
        else if (CONV_LIKE.has(id) && Array.isArray(value)) {
          const pair = pairFromInts(value, [...lp, 'arguments'], issues);
          if (pair !== undefined) layer[name] = pair;
        } else layer[name] = value;
      }
      // torch's MaxPool2d stores stride = kernel_size when none was given; our schema says null for that.
      if (id === 'MaxPool2d' && layer.stride !== undefined && layer.stride === layer.kernel_size)
        layer.stride = null;
      out.push(imported);
    } else if (item.activation_function) {
      const { id } = item.activation_function;
      const ap = [...at, 'activation_function'];
      const spec = ACTIVATIONS[id];
      if (!spec) {
        issues.push(
          issue([...ap, 'id'], 'invalid_value', `unknown activation "${id}"`, {
            allowed: { values: Object.keys(ACTIVATIONS) },
          }),
        );
        return;
      }
      const args = readArguments(item.activation_function.arguments, spec, id, ap, issues);
      out.push({ layer: { type: id, ...args } });
    } else {
      issues.push(issue(at, 'invalid_value', 'an entry with neither a layer nor an activation function'));
    }
  });
  return out;
}

// ---- export ----

function attribute(name: string, kind: ArgumentKind, value: ArgValue): AttributeMessage {
  const type: AttributeType = ATTRIBUTE_TYPE_OF[kind];
  switch (kind) {
    case 'int':
      return { name, i: value as number, type };
    case 'bool':
      return { name, type, b: value as boolean };
    case 'str':
      return { name, s: utf8(value as string), type };
    case 'float':
      return { name, f: value as number, type };
    case 'ints':
      return { name, ints: value as number[], type };
  }
}

function pairToInts(value: unknown): number[] {
  return Array.isArray(value) ? (value as number[]) : [value as number, value as number];
}

/** A number where AIHWKit writes an int for a torch "int or pair" (MaxPool2d): a pair must be equal. */
function singleInt(value: unknown, at: PathSegment[], what: string, issues: SpecIssue[]): number | undefined {
  if (typeof value === 'number') return value;
  if (Array.isArray(value) && value[0] === value[1]) return value[0] as number;
  issues.push(
    issue(
      at,
      'not_expressible',
      `${what} ${JSON.stringify(value)}: the format writes MaxPool2d arguments as single integers`,
    ),
  );
  return undefined;
}

function checkFloat(value: number, at: PathSegment[], name: string, issues: SpecIssue[]): boolean {
  if (float32Exact(value)) return true;
  issues.push(
    issue(
      at,
      'not_expressible',
      `${name} ${value} cannot be carried exactly: the format stores 32-bit floats (it would become ${fromFloat32(Math.fround(value))})`,
    ),
  );
  return false;
}

function requireDefault(
  layer: Record<string, unknown>,
  key: string,
  expected: unknown,
  at: PathSegment[],
  issues: SpecIssue[],
): void {
  if (JSON.stringify(layer[key]) !== JSON.stringify(expected)) {
    issues.push(
      issue(
        [...at, key],
        'not_expressible',
        `${String(layer.type)} ${key} ${JSON.stringify(layer[key])}: the format has no ${key}; only the default ${JSON.stringify(expected)} can be carried`,
      ),
    );
  }
}

/**
 * Our layers → `Network.layers`. `analogArguments(index)` supplies the arguments that follow `bias` on
 * analog layers (the RPU configuration name, and for training the weight_scaling_omega).
 */
export function exportLayers(
  layers: readonly ExperimentLayer[],
  analogArguments: (index: number) => AttributeMessage[],
  issues: SpecIssue[],
): LayerOrActivationMessage[] {
  const out: LayerOrActivationMessage[] = [];
  layers.forEach((layer, index) => {
    const at: PathSegment[] = ['model', 'layers', index];
    const record = layer as unknown as Record<string, unknown>;
    switch (layer.type) {
      case 'AnalogLinear':
      case 'Linear': {
        const args = [
          attribute('in_features', 'int', layer.in_features),
          attribute('out_features', 'int', layer.out_features),
          attribute('bias', 'bool', layer.bias),
        ];
        if (layer.type === 'AnalogLinear') args.push(...analogArguments(index));
        out.push({ layer: { id: layer.type, arguments: args } });
        return;
      }
      case 'AnalogConv2d':
      case 'Conv2d': {
        const args = [
          attribute('in_channels', 'int', layer.in_channels),
          attribute('out_channels', 'int', layer.out_channels),
          attribute('kernel_size', 'ints', pairToInts(layer.kernel_size)),
          attribute('stride', 'ints', pairToInts(layer.stride)),
          attribute('padding', 'ints', pairToInts(layer.padding)),
          attribute('dilation', 'ints', pairToInts(layer.dilation)),
          attribute('bias', 'bool', layer.bias),
        ];
        if (layer.type === 'AnalogConv2d') args.push(...analogArguments(index));
        out.push({ layer: { id: layer.type, arguments: args } });
        return;
      }
      case 'MaxPool2d': {
        const kernel = singleInt(layer.kernel_size, [...at, 'kernel_size'], 'kernel_size', issues);
        const stride =
          layer.stride === null ? kernel : singleInt(layer.stride, [...at, 'stride'], 'stride', issues);
        const padding = singleInt(layer.padding, [...at, 'padding'], 'padding', issues);
        const dilation = singleInt(layer.dilation, [...at, 'dilation'], 'dilation', issues);
        if (kernel === undefined || stride === undefined || padding === undefined || dilation === undefined)
          return;
        out.push({
          layer: {
            id: 'MaxPool2d',
            arguments: [
              attribute('kernel_size', 'int', kernel),
              attribute('stride', 'int', stride),
              attribute('padding', 'int', padding),
              attribute('dilation', 'int', dilation),
              attribute('ceil_mode', 'bool', layer.ceil_mode),
            ],
          },
        });
        return;
      }
      case 'BatchNorm2d':
        requireDefault(record, 'eps', 1e-5, at, issues);
        requireDefault(record, 'momentum', 0.1, at, issues);
        requireDefault(record, 'affine', true, at, issues);
        out.push({
          layer: { id: 'BatchNorm2d', arguments: [attribute('num_features', 'int', layer.num_features)] },
        });
        return;
      case 'Flatten':
        requireDefault(record, 'start_dim', 1, at, issues);
        requireDefault(record, 'end_dim', -1, at, issues);
        out.push({ layer: { id: 'Flatten', arguments: [] } });
        return;
      case 'LeakyReLU':
        if (!checkFloat(layer.negative_slope, [...at, 'negative_slope'], 'negative_slope', issues)) return;
        out.push({
          activation_function: {
            id: 'LeakyReLU',
            arguments: [attribute('negative_slope', 'float', layer.negative_slope)],
          },
        });
        return;
      case 'Softmax':
      case 'LogSoftmax':
        out.push({
          activation_function: { id: layer.type, arguments: [attribute('dim', 'int', layer.dim)] },
        });
        return;
      case 'ReLU':
      case 'Sigmoid':
      case 'Tanh':
      case 'LogSigmoid':
        out.push({ activation_function: { id: layer.type, arguments: [] } });
        return;
      default:
        issues.push(
          issue(
            [...at, 'type'],
            'not_expressible',
            `the format has no ${layer.type} layer (it knows AnalogLinear, AnalogConv2d, Linear, Conv2d, MaxPool2d, BatchNorm2d, Flatten and the activations ${Object.keys(ACTIVATIONS).join(', ')})`,
          ),
        );
    }
  });
  return out;
}

export { checkFloat };
