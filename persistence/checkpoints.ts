/**
 * Checkpoint storage behind one interface: versioned binary blobs (sim-core session checkpoints,
 * exported weights, programmed inference state) keyed by experiment, kind and sequence number.
 *
 * - `document` (default): the document store, bytes split into binary chunks (see checkpoint-models).
 * - `filesystem`: one file per checkpoint under a folder, written to a temporary name and renamed,
 *   so a crash never leaves a half-written checkpoint behind.
 *
 * Every load verifies the SHA-256 written with the checkpoint; a mismatch throws
 * `CheckpointCorruptError`, which compute activities treat as non-retryable.
 */
import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Connection } from 'mongoose';
import type { AppConfig } from '../config/env';
import { CHECKPOINT_KINDS, checkpointModels } from './checkpoint-models';

export type CheckpointKind = (typeof CHECKPOINT_KINDS)[number];
export { CHECKPOINT_KINDS };

/** JSON facts stored beside a checkpoint. Values must be storable in FerretDB (see `storableMeta`). */
export type CheckpointMeta = Record<string, unknown>;

export interface CheckpointKey {
  experimentId: string;
  kind: CheckpointKind;
  sequence: number;
}

export interface CheckpointInfo extends CheckpointKey {
  size: number;
  sha256: string;
  meta: CheckpointMeta;
  createdAt: Date;
}

export interface StoredCheckpoint {
  info: CheckpointInfo;
  data: Uint8Array;
}

export interface CheckpointStore {
  readonly backend: 'document' | 'filesystem';
  /** Writes (or replaces) one checkpoint; readers see the old or the new bytes, never a mix. */
  save(key: CheckpointKey, data: Uint8Array, meta?: CheckpointMeta): Promise<CheckpointInfo>;
  load(key: CheckpointKey): Promise<StoredCheckpoint | null>;
  /** The checkpoint of this kind with the highest sequence number. */
  latest(experimentId: string, kind: CheckpointKind): Promise<CheckpointInfo | null>;
  /** Checkpoints of an experiment (optionally of one kind), ascending by kind then sequence. */
  list(experimentId: string, kind?: CheckpointKind): Promise<CheckpointInfo[]>;
  /** Removes checkpoints of this kind with a sequence number below `below`; returns how many. */
  prune(experimentId: string, kind: CheckpointKind, below: number): Promise<number>;
  /** Removes every checkpoint of the experiment of the given kinds (all kinds when omitted). */
  remove(experimentId: string, kinds?: readonly CheckpointKind[]): Promise<number>;
}

export class CheckpointCorruptError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CheckpointCorrupt';
  }
}

/** Experiment ids become file names and document ids: letters, digits, `_` and `-` only. */
const SAFE_ID = /^[A-Za-z0-9_-]{1,128}$/;

function checkKey(key: CheckpointKey): void {
  if (!SAFE_ID.test(key.experimentId)) {
    throw new Error(`checkpoint key: experimentId ${JSON.stringify(key.experimentId)} is not a safe id`);
  }
  if (!CHECKPOINT_KINDS.includes(key.kind)) {
    throw new Error(`checkpoint key: kind ${JSON.stringify(key.kind)} is not one of ${CHECKPOINT_KINDS}`);
  }
  if (!Number.isSafeInteger(key.sequence) || key.sequence < 0) {
    throw new Error(`checkpoint key: sequence ${key.sequence} is not a non-negative integer`);
  }
}

function sha256(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * A copy of `value` the document store can hold: non-finite numbers become null (FerretDB stores no
 * NaN or ±Infinity), `undefined` fields are dropped; nested arrays and keys with `.` or a leading `$`
 * are refused with the path that holds them.
 */
export function storableMeta(value: unknown, where = 'meta', insideArray = false): unknown {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (value instanceof Date) return value;
  if (Array.isArray(value)) {
    if (insideArray) throw new Error(`${where}: nested arrays cannot be stored (FerretDB)`);
    return value.map((v, i) => storableMeta(v, `${where}[${i}]`, true));
  }
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (k.includes('.') || k.startsWith('$'))
        throw new Error(`${where}: key ${JSON.stringify(k)} is not storable`);
      if (v !== undefined) out[k] = storableMeta(v, `${where}.${k}`, false);
    }
    return out;
  }
  throw new Error(`${where}: a ${typeof value} cannot be stored`);
}

// ---------------------------------------------------------------------------------------------------
// Document store

export interface DocumentCheckpointOptions {
  /** Bytes per chunk document (default 1 MiB, well under the 16 MiB document limit). */
  chunkBytes?: number;
}

export function documentCheckpointStore(
  connection: Connection,
  { chunkBytes = 1024 * 1024 }: DocumentCheckpointOptions = {},
): CheckpointStore {
  const { Checkpoint, CheckpointChunk } = checkpointModels(connection);
  const idOf = (key: CheckpointKey) => `${key.experimentId}/${key.kind}/${key.sequence}`;
  const toInfo = (doc: {
    experimentId: string;
    kind: string;
    sequence: number;
    size: number;
    sha256: string;
    meta?: unknown;
    updatedAt?: Date;
    createdAt?: Date;
  }): CheckpointInfo => ({
    experimentId: doc.experimentId,
    kind: doc.kind as CheckpointKind,
    sequence: doc.sequence,
    size: doc.size,
    sha256: doc.sha256,
    meta: (doc.meta ?? {}) as CheckpointMeta,
    createdAt: doc.updatedAt ?? doc.createdAt ?? new Date(0),
  });
  const removeHeaders = async (filter: Record<string, unknown>): Promise<number> => {
    const docs = await Checkpoint.find(filter, { _id: 1 }).lean();
    if (docs.length === 0) return 0;
    const ids = docs.map((d) => d._id);
    // Header first: once it is gone no reader looks for the chunks.
    await Checkpoint.deleteMany({ _id: { $in: ids } });
    await CheckpointChunk.deleteMany({ checkpointId: { $in: ids } });
    return ids.length;
  };

  return {
    backend: 'document',

    async save(key, data, meta = {}) {
      checkKey(key);
      const id = idOf(key);
      const version = randomUUID();
      const chunkCount = Math.ceil(data.byteLength / chunkBytes);
      for (let index = 0; index < chunkCount; index++) {
        const slice = data.subarray(index * chunkBytes, (index + 1) * chunkBytes);
        await CheckpointChunk.create({
          _id: `${id}/${version}/${index}`,
          checkpointId: id,
          experimentId: key.experimentId,
          version,
          index,
          data: Buffer.from(slice.buffer, slice.byteOffset, slice.byteLength),
        });
      }
      const header = {
        experimentId: key.experimentId,
        kind: key.kind,
        sequence: key.sequence,
        version,
        size: data.byteLength,
        sha256: sha256(data),
        chunkCount,
        meta: storableMeta(meta) as CheckpointMeta,
      };
      // The commit point: from here on readers follow the new version.
      await Checkpoint.replaceOne({ _id: id }, { _id: id, ...header }, { upsert: true });
      await CheckpointChunk.deleteMany({ checkpointId: id, version: { $ne: version } });
      const saved = await Checkpoint.findById(id).lean();
      return toInfo(saved ?? header);
    },

    async load(key) {
      checkKey(key);
      const header = await Checkpoint.findById(idOf(key)).lean();
      if (!header) return null;
      const chunks = await CheckpointChunk.find({ checkpointId: header._id, version: header.version })
        .sort({ index: 1 })
        .lean();
      if (chunks.length !== header.chunkCount) {
        throw new CheckpointCorruptError(
          `checkpoint ${header._id}: ${chunks.length} of ${header.chunkCount} chunks are present`,
        );
      }
      const data = new Uint8Array(header.size);
      let offset = 0;
      for (const chunk of chunks) {
        // The driver hands back BSON Binary; `.buffer` is its bytes.
        const raw = chunk.data as unknown as { buffer: Uint8Array } | Buffer;
        const bytes = Buffer.isBuffer(raw) ? raw : Buffer.from(raw.buffer);
        if (offset + bytes.byteLength > data.byteLength) {
          throw new CheckpointCorruptError(
            `checkpoint ${header._id}: chunks hold more than ${header.size} bytes`,
          );
        }
        data.set(bytes, offset);
        offset += bytes.byteLength;
      }
      if (offset !== header.size || sha256(data) !== header.sha256) {
        throw new CheckpointCorruptError(`checkpoint ${header._id}: content does not match its SHA-256`);
      }
      return { info: toInfo(header), data };
    },

    async latest(experimentId, kind) {
      const doc = await Checkpoint.findOne({ experimentId, kind }).sort({ sequence: -1 }).lean();
      return doc ? toInfo(doc) : null;
    },

    async list(experimentId, kind) {
      const docs = await Checkpoint.find(kind ? { experimentId, kind } : { experimentId })
        .sort({ kind: 1, sequence: 1 })
        .lean();
      return docs.map(toInfo);
    },

    prune(experimentId, kind, below) {
      return removeHeaders({ experimentId, kind, sequence: { $lt: below } });
    },

    async remove(experimentId, kinds) {
      const removed = await removeHeaders(kinds ? { experimentId, kind: { $in: kinds } } : { experimentId });
      if (!kinds) await CheckpointChunk.deleteMany({ experimentId }); // orphans of interrupted saves
      return removed;
    },
  };
}

// ---------------------------------------------------------------------------------------------------
// Filesystem

/**
 * File layout: `<root>/<experimentId>/<kind>-<sequence>.ckpt`, holding a 4-byte big-endian header
 * length, the header as JSON (sizes, SHA-256, meta, time) and the bytes.
 */
export function filesystemCheckpointStore(root: string): CheckpointStore {
  const dirOf = (experimentId: string) => path.join(root, experimentId);
  const fileOf = (key: CheckpointKey) =>
    path.join(dirOf(key.experimentId), `${key.kind}-${String(key.sequence).padStart(8, '0')}.ckpt`);
  const NAME = /^([a-z]+)-(\d{8,})\.ckpt$/;

  async function readHeader(file: string): Promise<CheckpointInfo & { offset: number }> {
    const handle = await fs.open(file, 'r');
    try {
      const lengthBytes = Buffer.alloc(4);
      await handle.read(lengthBytes, 0, 4, 0);
      const length = lengthBytes.readUInt32BE(0);
      const headerBytes = Buffer.alloc(length);
      await handle.read(headerBytes, 0, length, 4);
      const header = JSON.parse(headerBytes.toString('utf8')) as CheckpointInfo & { createdAt: string };
      return { ...header, createdAt: new Date(header.createdAt), offset: 4 + length };
    } catch (err) {
      throw new CheckpointCorruptError(
        `checkpoint file ${file}: unreadable header (${(err as Error).message})`,
      );
    } finally {
      await handle.close();
    }
  }

  async function filesOf(experimentId: string, kind?: CheckpointKind): Promise<string[]> {
    let names: string[];
    try {
      names = await fs.readdir(dirOf(experimentId));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    return names
      .filter((n) => {
        const m = NAME.exec(n);
        return m !== null && (!kind || m[1] === kind);
      })
      .sort()
      .map((n) => path.join(dirOf(experimentId), n));
  }

  const strip = ({ offset: _offset, ...info }: CheckpointInfo & { offset: number }): CheckpointInfo => info;

  return {
    backend: 'filesystem',

    async save(key, data, meta = {}) {
      checkKey(key);
      const info: CheckpointInfo = {
        ...key,
        size: data.byteLength,
        sha256: sha256(data),
        meta: storableMeta(meta) as CheckpointMeta,
        createdAt: new Date(),
      };
      const header = Buffer.from(JSON.stringify(info), 'utf8');
      const length = Buffer.alloc(4);
      length.writeUInt32BE(header.byteLength, 0);
      const file = fileOf(key);
      await fs.mkdir(path.dirname(file), { recursive: true });
      const tmp = `${file}.${randomUUID()}.tmp`;
      const handle = await fs.open(tmp, 'w');
      try {
        await handle.writev([length, header, data]);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await fs.rename(tmp, file); // atomic on one file system
      return info;
    },

    async load(key) {
      checkKey(key);
      const file = fileOf(key);
      try {
        await fs.access(file);
      } catch {
        return null;
      }
      const header = await readHeader(file);
      const all = await fs.readFile(file);
      const data = new Uint8Array(all.buffer, all.byteOffset + header.offset, all.byteLength - header.offset);
      if (data.byteLength !== header.size || sha256(data) !== header.sha256) {
        throw new CheckpointCorruptError(`checkpoint file ${file}: content does not match its SHA-256`);
      }
      return { info: strip(header), data: new Uint8Array(data) };
    },

    async latest(experimentId, kind) {
      const files = await filesOf(experimentId, kind);
      const last = files.at(-1);
      return last ? strip(await readHeader(last)) : null;
    },

    async list(experimentId, kind) {
      const files = await filesOf(experimentId, kind);
      return Promise.all(files.map(async (f) => strip(await readHeader(f))));
    },

    async prune(experimentId, kind, below) {
      let removed = 0;
      for (const file of await filesOf(experimentId, kind)) {
        const sequence = Number(NAME.exec(path.basename(file))![2]);
        if (sequence < below) {
          await fs.rm(file, { force: true });
          removed++;
        }
      }
      return removed;
    },

    async remove(experimentId, kinds) {
      let removed = 0;
      for (const kind of kinds ?? CHECKPOINT_KINDS) {
        for (const file of await filesOf(experimentId, kind)) {
          await fs.rm(file, { force: true });
          removed++;
        }
      }
      if (!kinds) await fs.rm(dirOf(experimentId), { recursive: true, force: true });
      return removed;
    },
  };
}

// ---------------------------------------------------------------------------------------------------

/** The store the configuration asks for (`CHECKPOINT_STORE`, `CHECKPOINT_DIR`). */
export function checkpointStoreFor(
  cfg: Pick<AppConfig, 'CHECKPOINT_STORE' | 'CHECKPOINT_DIR' | 'DATA_DIR'>,
  connection: Connection,
): CheckpointStore {
  return cfg.CHECKPOINT_STORE === 'filesystem'
    ? filesystemCheckpointStore(cfg.CHECKPOINT_DIR ?? path.join(cfg.DATA_DIR, 'checkpoints'))
    : documentCheckpointStore(connection);
}
