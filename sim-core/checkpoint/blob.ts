/**
 * Versioned binary checkpoints. Layout (little-endian):
 *
 *   magic "SIMCORE\x01" (8 bytes) · format version u32 · header length u32 · header (UTF-8 JSON) ·
 *   padding to 8 · array data (each array 8-byte aligned) · CRC-32 of everything before (u32)
 *
 * The header holds `kind` (what the blob is, e.g. "training-session"), free JSON `meta`, and an index of
 * the named arrays (dtype, byte offset, length) and numbers. A truncated, corrupted or foreign blob is
 * rejected with an error saying which.
 */
import type { StateRecord, StateValue } from '../devices/device-array';

const MAGIC = Uint8Array.from([0x53, 0x49, 0x4d, 0x43, 0x4f, 0x52, 0x45, 0x01]); // "SIMCORE\x01"
export const CHECKPOINT_FORMAT_VERSION = 1;

type DType = 'f32' | 'f64' | 'i32' | 'u32';

interface ArrayEntry {
  dtype: DType;
  offset: number;
  length: number;
}

interface Header {
  kind: string;
  meta: unknown;
  arrays: Record<string, ArrayEntry>;
  numbers: Record<string, number | 'NaN' | 'Infinity' | '-Infinity'>;
}

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function dtypeOf(v: Exclude<StateValue, number>): DType {
  if (v instanceof Float32Array) return 'f32';
  if (v instanceof Float64Array) return 'f64';
  if (v instanceof Int32Array) return 'i32';
  return 'u32';
}

const align8 = (n: number) => (n + 7) & ~7;

function encodeNumber(v: number): Header['numbers'][string] {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return 'Infinity';
  if (v === -Infinity) return '-Infinity';
  return v;
}

function decodeNumber(v: Header['numbers'][string]): number {
  return v === 'NaN' ? NaN : v === 'Infinity' ? Infinity : v === '-Infinity' ? -Infinity : v;
}

/** Serialise named state plus JSON metadata. */
export function encodeCheckpoint(kind: string, meta: unknown, state: StateRecord): Uint8Array {
  const arrays: Header['arrays'] = {};
  const numbers: Header['numbers'] = {};
  let dataSize = 0;
  const entries: [string, Exclude<StateValue, number>][] = [];
  for (const [name, v] of Object.entries(state)) {
    if (typeof v === 'number') {
      numbers[name] = encodeNumber(v);
      continue;
    }
    arrays[name] = { dtype: dtypeOf(v), offset: dataSize, length: v.length };
    entries.push([name, v]);
    dataSize = align8(dataSize + v.byteLength);
  }
  const header = new TextEncoder().encode(JSON.stringify({ kind, meta, arrays, numbers } satisfies Header));
  const dataStart = align8(16 + header.length);
  const total = dataStart + dataSize + 4;
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  out.set(MAGIC, 0);
  view.setUint32(8, CHECKPOINT_FORMAT_VERSION, true);
  view.setUint32(12, header.length, true);
  out.set(header, 16);
  for (const [name, v] of entries) {
    out.set(new Uint8Array(v.buffer, v.byteOffset, v.byteLength), dataStart + arrays[name].offset);
  }
  view.setUint32(total - 4, crc32(out.subarray(0, total - 4)), true);
  return out;
}

export class CheckpointError extends Error {
  constructor(message: string) {
    super(`Invalid checkpoint: ${message}`);
    this.name = 'CheckpointError';
  }
}

export interface DecodedCheckpoint {
  kind: string;
  meta: unknown;
  state: StateRecord;
}

/** Parse and verify a blob made by encodeCheckpoint (of the expected kind). */
export function decodeCheckpoint(blob: Uint8Array, expectedKind: string): DecodedCheckpoint {
  if (!(blob instanceof Uint8Array)) throw new CheckpointError('expected a Uint8Array');
  if (blob.length < 20)
    throw new CheckpointError(`only ${blob.length} bytes (truncated or not a checkpoint)`);
  for (let k = 0; k < MAGIC.length; k++) {
    if (blob[k] !== MAGIC[k]) throw new CheckpointError('not a sim-core checkpoint (wrong magic bytes)');
  }
  const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  const version = view.getUint32(8, true);
  if (version !== CHECKPOINT_FORMAT_VERSION) {
    throw new CheckpointError(
      `format version ${version}; this sim-core reads version ${CHECKPOINT_FORMAT_VERSION}`,
    );
  }
  const headerLength = view.getUint32(12, true);
  if (16 + headerLength + 4 > blob.length) throw new CheckpointError('truncated (header runs past the end)');
  const stored = view.getUint32(blob.length - 4, true);
  if (crc32(blob.subarray(0, blob.length - 4)) !== stored) {
    throw new CheckpointError('checksum mismatch (truncated or corrupted)');
  }
  let header: Header;
  try {
    header = JSON.parse(
      new TextDecoder('utf-8', { fatal: true }).decode(blob.subarray(16, 16 + headerLength)),
    ) as Header;
  } catch {
    throw new CheckpointError('unreadable header');
  }
  if (header.kind !== expectedKind)
    throw new CheckpointError(`it holds a "${header.kind}", expected "${expectedKind}"`);
  const dataStart = align8(16 + headerLength);
  const dataEnd = blob.length - 4;
  const state: StateRecord = {};
  for (const [name, e] of Object.entries(header.arrays ?? {})) {
    const Ctor = { f32: Float32Array, f64: Float64Array, i32: Int32Array, u32: Uint32Array }[e.dtype];
    if (!Ctor) throw new CheckpointError(`array "${name}" has an unknown type ${String(e.dtype)}`);
    const start = dataStart + e.offset;
    const bytes = e.length * Ctor.BYTES_PER_ELEMENT;
    if (start < dataStart || start + bytes > dataEnd)
      throw new CheckpointError(`array "${name}" runs past the data`);
    // Copy into a fresh, aligned buffer.
    state[name] = new Ctor(blob.slice(start, start + bytes).buffer);
  }
  for (const [name, v] of Object.entries(header.numbers ?? {})) state[name] = decodeNumber(v);
  return { kind: header.kind, meta: header.meta, state };
}
