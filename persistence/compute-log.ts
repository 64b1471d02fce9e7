/**
 * The compute attempt log: one document per attempt of a compute step (a training chunk, the
 * programming step, the drift study), written when it starts and when it ends. It shows what ran
 * where and how often: after a worker crash the interrupted chunk has an attempt that never
 * finished and a later one that did, and no chunk before the last checkpoint appears twice.
 */
import { Schema, type Connection, type InferSchemaType, type Model } from 'mongoose';

export const COMPUTE_STEPS = ['train', 'program', 'drift-infer'] as const;
export type ComputeStep = (typeof COMPUTE_STEPS)[number];
export const ATTEMPT_OUTCOMES = ['running', 'completed', 'reused', 'cancelled', 'failed'] as const;
export type AttemptOutcome = (typeof ATTEMPT_OUTCOMES)[number];

const attemptSchema = new Schema(
  {
    /** `<experimentId>/<step>/<sequence>/<attempt>` */
    _id: { type: String, required: true },
    experimentId: { type: String, required: true },
    step: { type: String, enum: COMPUTE_STEPS, required: true },
    /** Training: the chunk index; other steps: 0. */
    sequence: { type: Number, required: true },
    /** Temporal's attempt number (1 for the first try). */
    attempt: { type: Number, required: true },
    queue: { type: String, required: true },
    /** Worker identity (host and pid) and the pid, to tell the workers of a crash test apart. */
    worker: { type: String, required: true },
    pid: { type: Number, required: true },
    /** Training: the checkpoint resumed from (null: a fresh start). */
    resumedFrom: { type: Number, default: null },
    outcome: { type: String, enum: ATTEMPT_OUTCOMES, required: true },
    error: { type: String, default: null },
    /** Small JSON facts (start and end position, batches run). */
    detail: { type: Schema.Types.Mixed, default: {} },
    startedAt: { type: Date, required: true },
    finishedAt: { type: Date, default: null },
  },
  { strict: true, minimize: false },
);
attemptSchema.index({ experimentId: 1, step: 1, sequence: 1, attempt: 1 });

export type ComputeAttemptDoc = InferSchemaType<typeof attemptSchema>;
export type ComputeAttempt = ComputeAttemptDoc & { _id: string };

const cache = new WeakMap<Connection, Model<ComputeAttemptDoc>>();

function model(connection: Connection): Model<ComputeAttemptDoc> {
  let m = cache.get(connection);
  if (!m) {
    m = connection.model<ComputeAttemptDoc>('ComputeAttempt', attemptSchema);
    cache.set(connection, m);
  }
  return m;
}

export interface AttemptStart {
  experimentId: string;
  step: ComputeStep;
  sequence: number;
  attempt: number;
  queue: string;
  worker: string;
  resumedFrom?: number | null;
  detail?: Record<string, unknown>;
}

export function computeLog(connection: Connection) {
  const Attempt = model(connection);
  const idOf = (a: Pick<AttemptStart, 'experimentId' | 'step' | 'sequence' | 'attempt'>) =>
    `${a.experimentId}/${a.step}/${a.sequence}/${a.attempt}`;

  return {
    /** Records the start of an attempt; returns its id for `finish`. */
    async start(a: AttemptStart): Promise<string> {
      const _id = idOf(a);
      await Attempt.replaceOne(
        { _id },
        {
          _id,
          ...a,
          resumedFrom: a.resumedFrom ?? null,
          detail: a.detail ?? {},
          pid: process.pid,
          outcome: 'running',
          error: null,
          startedAt: new Date(),
          finishedAt: null,
        },
        { upsert: true },
      );
      return _id;
    },

    async finish(
      id: string,
      outcome: Exclude<AttemptOutcome, 'running'>,
      extra: { error?: string; detail?: Record<string, unknown> } = {},
    ): Promise<void> {
      const set: Record<string, unknown> = { outcome, finishedAt: new Date() };
      if (extra.error) set.error = extra.error;
      if (extra.detail) for (const [k, v] of Object.entries(extra.detail)) set[`detail.${k}`] = v;
      await Attempt.updateOne({ _id: id }, { $set: set });
    },

    /** Every attempt of an experiment, in the order they started. */
    async list(experimentId: string, step?: ComputeStep): Promise<ComputeAttempt[]> {
      return (await Attempt.find(step ? { experimentId, step } : { experimentId })
        .sort({ startedAt: 1, _id: 1 })
        .lean()) as ComputeAttempt[];
    },

    async remove(experimentId: string): Promise<number> {
      return (await Attempt.deleteMany({ experimentId })).deletedCount;
    },
  };
}

export type ComputeLog = ReturnType<typeof computeLog>;
