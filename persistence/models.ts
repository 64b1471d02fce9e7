/**
 * Mongoose models. Schemas stay inside FerretDB's subset of MongoDB: no nested arrays (histograms are
 * arrays of sub-documents holding flat arrays), no NaN/±Infinity (validated before writing), string
 * ids we generate, plain single-field and compound indexes (no TTL, no partial indexes).
 */
import { Schema, type Connection, type InferSchemaType, type Model } from 'mongoose';
import { EXPERIMENT_STATUSES } from '../contracts/status';

const experimentSchema = new Schema(
  {
    _id: { type: String, required: true },
    owner: { type: String, required: true },
    name: { type: String, required: true },
    description: { type: String, default: '' },
    tags: { type: [String], default: [] },
    kind: { type: String, enum: ['training', 'inference'], required: true },
    queue: { type: String, required: true },
    dataset: { type: String, required: true },
    /**
     * Only in documents written before specs moved to their own collection (`ExperimentSpec`): the
     * repository reads it as a fallback and never writes it.
     */
    spec: { type: Schema.Types.Mixed },
    status: { type: String, enum: EXPERIMENT_STATUSES, required: true, default: 'queued' },
    /** Why the experiment is where it is, e.g. "waiting: no worker polls the gpu queue". */
    statusMessage: { type: String, default: '' },
    workflowId: { type: String, required: true },
    runId: { type: String },
    error: {
      type: new Schema({ message: String, details: Schema.Types.Mixed }, { _id: false }),
      default: null,
    },
    /** Latest progress snapshot written by the workflow (phase, epoch, metrics, ETA). */
    progress: { type: Schema.Types.Mixed, default: null },
    rerunOf: { type: String },
    startedAt: { type: Date },
    finishedAt: { type: Date },
  },
  { timestamps: true, strict: true, minimize: false },
);
experimentSchema.index({ owner: 1, createdAt: -1 });
experimentSchema.index({ owner: 1, status: 1, createdAt: -1 });
experimentSchema.index({ owner: 1, kind: 1, createdAt: -1 });
experimentSchema.index({ tags: 1 });
experimentSchema.index({ status: 1 });
// The operator dashboard joins workflow executions to experiments and counts a queue's experiments.
experimentSchema.index({ workflowId: 1 });
experimentSchema.index({ queue: 1, status: 1 });

/**
 * The experiment document with every default filled in (what it ran with), one per experiment
 * (`_id` = experiment id). Kept apart from `Experiment` because FerretDB reads whole documents to
 * filter, sort and count: with the spec inside, a list page of 100 experiments cost half a second.
 */
const experimentSpecSchema = new Schema(
  {
    _id: { type: String, required: true },
    spec: { type: Schema.Types.Mixed, required: true },
  },
  { strict: true, minimize: false },
);

const histogramSchema = new Schema(
  {
    label: String,
    quantity: String,
    stage: String,
    t_inference: Number,
    layer: String,
    edges: [Number],
    counts: [Number],
  },
  { _id: false },
);

const resultSchema = new Schema(
  {
    _id: { type: String, required: true }, // = experimentId
    owner: { type: String, required: true },
    learning_curve: { type: [Schema.Types.Mixed], default: [] },
    inference: { type: [Schema.Types.Mixed], default: [] },
    histograms: { type: [histogramSchema], default: [] },
    timings: { type: Schema.Types.Mixed, default: {} },
    backend: String,
    queue: String,
    sim_core_version: String,
  },
  { timestamps: true, strict: true, minimize: false },
);
resultSchema.index({ owner: 1 });

export type ExperimentDoc = InferSchemaType<typeof experimentSchema>;
export type ResultDoc = InferSchemaType<typeof resultSchema>;

export type ExperimentSpecDoc = InferSchemaType<typeof experimentSpecSchema>;

export interface Models {
  Experiment: Model<ExperimentDoc>;
  ExperimentSpec: Model<ExperimentSpecDoc>;
  Result: Model<ResultDoc>;
}

const cache = new WeakMap<Connection, Models>();

/** The models bound to one connection (created once per connection). */
export function models(connection: Connection): Models {
  let m = cache.get(connection);
  if (!m) {
    m = {
      Experiment: connection.model<ExperimentDoc>('Experiment', experimentSchema),
      ExperimentSpec: connection.model<ExperimentSpecDoc>('ExperimentSpec', experimentSpecSchema),
      Result: connection.model<ResultDoc>('Result', resultSchema),
    };
    cache.set(connection, m);
  }
  return m;
}
