/**
 * Mongoose models of the document checkpoint store. A checkpoint is a header document plus its
 * bytes split into binary chunks (FerretDB has no nested arrays and no NaN, and a document is capped
 * at 16 MiB, so tensors travel as opaque binary, never as numbers). The header is written last and
 * names the `version` of its chunks: a reader sees either the old or the new checkpoint, never a mix
 * (FerretDB has no transactions).
 */
import { Schema, type Connection, type InferSchemaType, type Model } from 'mongoose';

export const CHECKPOINT_KINDS = ['training', 'weights', 'inference'] as const;

const checkpointSchema = new Schema(
  {
    /** `<experimentId>/<kind>/<sequence>` */
    _id: { type: String, required: true },
    experimentId: { type: String, required: true },
    kind: { type: String, enum: CHECKPOINT_KINDS, required: true },
    /** Position in the experiment's series of this kind (training: the chunk index). */
    sequence: { type: Number, required: true },
    /** Random id of the chunk set this header commits to. */
    version: { type: String, required: true },
    size: { type: Number, required: true },
    sha256: { type: String, required: true },
    chunkCount: { type: Number, required: true },
    /** Small JSON facts about the checkpoint (position, metrics); FerretDB-safe values only. */
    meta: { type: Schema.Types.Mixed, default: {} },
  },
  { timestamps: true, strict: true, minimize: false },
);
checkpointSchema.index({ experimentId: 1, kind: 1, sequence: -1 });

const chunkSchema = new Schema(
  {
    /** `<checkpointId>/<version>/<index>` */
    _id: { type: String, required: true },
    checkpointId: { type: String, required: true },
    experimentId: { type: String, required: true },
    version: { type: String, required: true },
    index: { type: Number, required: true },
    data: { type: Buffer, required: true },
  },
  { strict: true },
);
chunkSchema.index({ checkpointId: 1, version: 1, index: 1 });
chunkSchema.index({ experimentId: 1 });

export type CheckpointHeaderDoc = InferSchemaType<typeof checkpointSchema>;
export type CheckpointChunkDoc = InferSchemaType<typeof chunkSchema>;

export interface CheckpointModels {
  Checkpoint: Model<CheckpointHeaderDoc>;
  CheckpointChunk: Model<CheckpointChunkDoc>;
}

const cache = new WeakMap<Connection, CheckpointModels>();

export function checkpointModels(connection: Connection): CheckpointModels {
  let m = cache.get(connection);
  if (!m) {
    m = {
      Checkpoint: connection.model<CheckpointHeaderDoc>('Checkpoint', checkpointSchema),
      CheckpointChunk: connection.model<CheckpointChunkDoc>('CheckpointChunk', chunkSchema),
    };
    cache.set(connection, m);
  }
  return m;
}
