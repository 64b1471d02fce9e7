/**
 * Binary codec for the AIHW Composer messages, on protobufjs reflection built from our own definitions
 * (`proto-definitions.ts`). Decoding never throws: malformed bytes and missing required fields come
 * back as a message naming the problem.
 */
import * as protobuf from 'protobufjs';
import { INFERENCING_PROTO, TRAINING_PROTO } from './proto-definitions';

// ---- Plain-object forms of the messages (what `decode` returns and `encode` takes). ----

export type AttributeType =
  | 'UNDEFINED'
  | 'FLOAT'
  | 'INT'
  | 'STRING'
  | 'TENSOR'
  | 'FLOATS'
  | 'INTS'
  | 'STRINGS'
  | 'TENSORS'
  | 'BOOL'
  | 'BOOLS';

export interface AttributeMessage {
  name?: string;
  type?: AttributeType;
  f?: number;
  i?: number;
  s?: Uint8Array;
  b?: boolean;
  floats?: number[];
  ints?: number[];
  strings?: Uint8Array[];
  bools?: boolean[];
  /** Tensors are part of the format but never used by the Composer's experiments. */
  t?: unknown;
  tensors?: unknown[];
}

export interface FunctionMessage {
  id: string;
  arguments?: AttributeMessage[];
}

export interface LayerMessage extends FunctionMessage {
  state_dict?: AttributeMessage[];
}

export interface LayerOrActivationMessage {
  layer?: LayerMessage;
  activation_function?: FunctionMessage;
}

export interface VersionMessage {
  schema: number;
  opset: number;
}

export interface TrainingInputMessage {
  version: VersionMessage;
  dataset: { dataset_id: string; transforms?: FunctionMessage[]; batch_size?: number };
  network: { layers?: LayerOrActivationMessage[] };
  training: {
    optimizer: FunctionMessage;
    scheduler?: FunctionMessage;
    loss_function?: FunctionMessage;
    epochs?: number;
  };
}

export interface TrainingOutputMessage {
  version: VersionMessage;
  network: { layers?: LayerOrActivationMessage[] };
  epochs?: { epoch: number; metrics?: AttributeMessage[] }[];
  metrics?: AttributeMessage[];
}

export interface NoiseModelFields {
  device_id: string;
  programming_noise_scale: number;
  read_noise_scale: number;
  drift_scale: number;
  drift_compensation: boolean;
  poly_first_order_coef: number;
  poly_second_order_coef: number;
  poly_constant_coef: number;
}

export interface InferenceInputMessage {
  version: VersionMessage;
  dataset: { dataset_id: string; batch_size?: number };
  network: { weight_template_id: string; layers?: LayerOrActivationMessage[] };
  inferencing: {
    inference_repeats: number;
    inference_time: number;
    analog_info: { output_noise_strength: number; adc?: number; dac?: number };
    noise_model_info: {
      pcm?: NoiseModelFields;
      generic?: NoiseModelFields & { drift_mean: number; drift_std: number };
    };
  };
}

export interface InferenceResultMessage {
  t_inference: number;
  avg_accuracy: number;
  std_accuracy: number;
  avg_error: number;
  avg_loss: number;
}

export interface InferencingOutputMessage {
  version: VersionMessage;
  inference_runs: {
    inference_repeat: number;
    is_partial: boolean;
    time_elapsed: number;
    inference_results?: InferenceResultMessage[];
  };
}

export interface CloudMessages {
  TrainingInput: TrainingInputMessage;
  TrainingOutput: TrainingOutputMessage;
  InferenceInput: InferenceInputMessage;
  InferencingOutput: InferencingOutputMessage;
}
export type CloudMessageName = keyof CloudMessages;

const FULL_NAMES: Record<CloudMessageName, string> = {
  TrainingInput: 'aihwx.TrainingInput',
  TrainingOutput: 'aihwx.TrainingOutput',
  InferenceInput: 'aihwx.inferencing.InferenceInput',
  InferencingOutput: 'aihwx.inferencing.InferencingOutput',
};

let roots: { training: protobuf.Root; inferencing: protobuf.Root } | undefined;

function lookup(name: CloudMessageName): protobuf.Type {
  roots ??= {
    training: protobuf.parse(TRAINING_PROTO, { keepCase: true }).root,
    inferencing: protobuf.parse(INFERENCING_PROTO, { keepCase: true }).root,
  };
  const root = name.startsWith('Inferenc') ? roots.inferencing : roots.training;
  return root.lookupType(FULL_NAMES[name]);
}

/** The reflected protobufjs type of a message (for tests that build inputs field by field). */
export function cloudMessageType(name: CloudMessageName): protobuf.Type {
  return lookup(name);
}

export type DecodeResult<T> = { ok: true; message: T } | { ok: false; error: string };

const TO_OBJECT: protobuf.IConversionOptions = {
  longs: Number,
  enums: String,
  bytes: Uint8Array as unknown as protobuf.IConversionOptions['bytes'],
  defaults: false,
  arrays: true,
  oneofs: false,
};

/** Decode binary protobuf into the plain form of `name`. */
export function decodeCloudMessage<N extends CloudMessageName>(
  name: N,
  bytes: Uint8Array,
): DecodeResult<CloudMessages[N]> {
  try {
    const type = lookup(name);
    const decoded = type.decode(bytes);
    const object = type.toObject(decoded, TO_OBJECT);
    normaliseBytes(object);
    return { ok: true, message: object as CloudMessages[N] };
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error);
    return { ok: false, error: `not a valid ${name} message: ${text}` };
  }
}

/** Encode the plain form of `name` to binary protobuf (throws only on a programming error of ours). */
export function encodeCloudMessage<N extends CloudMessageName>(
  name: N,
  message: CloudMessages[N],
): Uint8Array {
  const type = lookup(name);
  const instance = type.fromObject(message as unknown as Record<string, unknown>);
  const problem = type.verify(instance);
  if (problem) throw new Error(`internal: ${name} does not verify: ${problem}`);
  return type.encode(instance).finish();
}

/** protobufjs hands out Buffers under Node; make every bytes field a plain Uint8Array. */
function normaliseBytes(value: unknown): void {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (item instanceof Uint8Array) value[i] = new Uint8Array(item);
      else normaliseBytes(item);
    }
  } else if (typeof value === 'object' && value !== null) {
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      const item = record[key];
      if (item instanceof Uint8Array) record[key] = new Uint8Array(item);
      else normaliseBytes(item);
    }
  }
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: false });

export function utf8(text: string): Uint8Array {
  return encoder.encode(text);
}

export function fromUtf8(bytes: Uint8Array | undefined): string {
  return bytes ? decoder.decode(bytes) : '';
}
