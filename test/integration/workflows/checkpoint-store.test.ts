/** Both checkpoint stores against real storage: the document store (FerretDB) and a folder. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import type { Connection } from 'mongoose';
import { loadConfig } from '../../../config/env';
import { connectStore } from '../../../persistence/connection';
import { checkpointModels } from '../../../persistence/checkpoint-models';
import {
  CheckpointCorruptError,
  documentCheckpointStore,
  filesystemCheckpointStore,
  type CheckpointStore,
} from '../../../persistence/checkpoints';

let connection: Connection;
let dir: string;

beforeAll(async () => {
  connection = await connectStore(loadConfig());
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ckpt-'));
});
afterAll(async () => {
  await connection.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const stores: Array<[string, () => CheckpointStore]> = [
  // 1000-byte chunks so a few kilobytes already span several chunk documents.
  ['document', () => documentCheckpointStore(connection, { chunkBytes: 1000 })],
  ['filesystem', () => filesystemCheckpointStore(dir)],
];

describe.each(stores)('%s checkpoint store', (_name, make) => {
  it('round-trips bytes and meta, replaces, lists, prunes and removes', async () => {
    const store = make();
    const experimentId = randomUUID();
    const blobs = [0, 1, 2, 3].map((i) => new Uint8Array(randomBytes(2500 + i)));
    for (const [sequence, blob] of blobs.entries()) {
      await store.save({ experimentId, kind: 'training', sequence }, blob, {
        epoch: sequence,
        loss: sequence === 0 ? Number.NaN : 0.5,
        curve: [1, 2, 3],
      });
    }
    const two = await store.load({ experimentId, kind: 'training', sequence: 2 });
    expect(Buffer.from(two!.data).equals(Buffer.from(blobs[2]))).toBe(true);
    expect(two!.info).toMatchObject({ experimentId, kind: 'training', sequence: 2, size: 2502 });
    expect(two!.info.meta).toEqual({ epoch: 2, loss: 0.5, curve: [1, 2, 3] });
    // NaN is not storable in FerretDB: it comes back as null.
    expect((await store.load({ experimentId, kind: 'training', sequence: 0 }))!.info.meta.loss).toBeNull();

    // Replacing a checkpoint (a retried chunk) leaves exactly the new bytes.
    const replacement = new Uint8Array(randomBytes(1200));
    await store.save({ experimentId, kind: 'training', sequence: 2 }, replacement, { epoch: 2 });
    const replaced = await store.load({ experimentId, kind: 'training', sequence: 2 });
    expect(Buffer.from(replaced!.data).equals(Buffer.from(replacement))).toBe(true);

    await store.save({ experimentId, kind: 'weights', sequence: 0 }, new Uint8Array([1, 2, 3]));
    expect((await store.latest(experimentId, 'training'))!.sequence).toBe(3);
    expect((await store.list(experimentId, 'training')).map((c) => c.sequence)).toEqual([0, 1, 2, 3]);

    expect(await store.prune(experimentId, 'training', 2)).toBe(2);
    expect((await store.list(experimentId)).map((c) => `${c.kind}:${c.sequence}`)).toEqual([
      'training:2',
      'training:3',
      'weights:0',
    ]);
    expect(await store.load({ experimentId, kind: 'training', sequence: 0 })).toBeNull();

    expect(await store.remove(experimentId, ['training'])).toBe(2);
    expect((await store.list(experimentId)).map((c) => c.kind)).toEqual(['weights']);
    await store.remove(experimentId);
    expect(await store.list(experimentId)).toEqual([]);
    expect(await store.latest(experimentId, 'weights')).toBeNull();
  });

  it('stores an empty checkpoint', async () => {
    const store = make();
    const key = { experimentId: randomUUID(), kind: 'inference' as const, sequence: 0 };
    await store.save(key, new Uint8Array(0));
    expect((await store.load(key))!.data.byteLength).toBe(0);
    await store.remove(key.experimentId);
  });

  it('refuses unsafe ids and meta it cannot store, naming the problem', async () => {
    const store = make();
    await expect(
      store.save({ experimentId: '../etc', kind: 'training', sequence: 0 }, new Uint8Array(1)),
    ).rejects.toThrow(/experimentId "..\/etc" is not a safe id/);
    await expect(
      store.save({ experimentId: randomUUID(), kind: 'training', sequence: 0 }, new Uint8Array(1), {
        grid: [[1, 2]],
      }),
    ).rejects.toThrow(/meta.grid\[0\]: nested arrays cannot be stored/);
  });
});

describe('corruption', () => {
  it('the document store detects a damaged chunk', async () => {
    const store = documentCheckpointStore(connection, { chunkBytes: 1000 });
    const key = { experimentId: randomUUID(), kind: 'training' as const, sequence: 0 };
    await store.save(key, new Uint8Array(randomBytes(3000)));
    const { CheckpointChunk } = checkpointModels(connection);
    const chunk = await CheckpointChunk.findOne({ experimentId: key.experimentId, index: 1 });
    await CheckpointChunk.updateOne({ _id: chunk!._id }, { $set: { data: Buffer.alloc(1000) } });
    await expect(store.load(key)).rejects.toThrow(CheckpointCorruptError);
    await CheckpointChunk.deleteOne({ _id: chunk!._id });
    await expect(store.load(key)).rejects.toThrow(/2 of 3 chunks are present/);
    await store.remove(key.experimentId);
  });

  it('the filesystem store detects a damaged file', async () => {
    const store = filesystemCheckpointStore(dir);
    const key = { experimentId: randomUUID(), kind: 'training' as const, sequence: 7 };
    await store.save(key, new Uint8Array(randomBytes(3000)));
    const file = path.join(dir, key.experimentId, 'training-00000007.ckpt');
    const bytes = fs.readFileSync(file);
    bytes[bytes.length - 1] ^= 0xff;
    fs.writeFileSync(file, bytes);
    await expect(store.load(key)).rejects.toThrow(/does not match its SHA-256/);
    await store.remove(key.experimentId);
  });
});
