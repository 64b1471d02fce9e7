/**
 * Experiments and their results: the repository the API (create, list, read, delete) and the
 * workflow's activities (status, progress, results) use. Status transitions are guarded so a late
 * write never moves a finished experiment back to running.
 */
import type { Connection } from 'mongoose';
import { experimentResultsSchema, type ExperimentResults } from '../contracts/results';
import { FINISHED_STATUSES, type ExperimentStatus } from '../contracts/status';
import { models, type ExperimentDoc } from './models';

export interface NewExperiment {
  id: string;
  owner: string;
  name: string;
  description?: string;
  tags?: string[];
  kind: 'training' | 'inference';
  queue: string;
  dataset: string;
  spec: unknown;
  workflowId: string;
  rerunOf?: string;
}

export type ExperimentRecord = Omit<ExperimentDoc, 'spec'> & {
  _id: string;
  /** The stored experiment document (every default filled in); absent from list items `withoutSpec`. */
  spec: unknown;
  createdAt: Date;
  updatedAt: Date;
};

export interface ListQuery {
  /** Only this owner's experiments (omit for admins listing everything). */
  owner?: string;
  status?: ExperimentStatus;
  kind?: 'training' | 'inference';
  tag?: string;
  sort?: 'createdAt' | '-createdAt' | 'name' | '-name' | 'status' | '-status';
  page?: number;
  pageSize?: number;
  /** Leave the (large) spec out of each item, for list views. */
  withoutSpec?: boolean;
}

export function experimentRepository(connection: Connection) {
  const { Experiment, ExperimentSpec, Result } = models(connection);

  /** Specs live in their own collection; documents from before that carry theirs inline. */
  async function withSpecs(records: ExperimentRecord[]): Promise<ExperimentRecord[]> {
    const missing = records.filter((r) => r.spec === undefined).map((r) => r._id);
    if (missing.length === 0) return records;
    const specs = await ExperimentSpec.find({ _id: { $in: missing } }).lean();
    const byId = new Map(specs.map((s) => [s._id, s.spec as unknown]));
    return records.map((r) => (r.spec === undefined ? { ...r, spec: byId.get(r._id) ?? null } : r));
  }

  return {
    async create(input: NewExperiment): Promise<ExperimentRecord> {
      const { spec, ...fields } = input;
      // The spec first: an experiment is never visible without it.
      await ExperimentSpec.create({ _id: input.id, spec });
      const doc = await Experiment.create({ _id: input.id, ...fields, status: 'queued' });
      return { ...(doc.toObject() as Omit<ExperimentRecord, 'spec'>), spec } as ExperimentRecord;
    },

    async get(id: string): Promise<ExperimentRecord | null> {
      const [record, spec] = await Promise.all([
        Experiment.findById(id).lean(),
        ExperimentSpec.findById(id).lean(),
      ]);
      if (!record) return null;
      return {
        ...(record as ExperimentRecord),
        spec: spec?.spec ?? (record as ExperimentRecord).spec ?? null,
      };
    },

    async list(query: ListQuery): Promise<{ items: ExperimentRecord[]; total: number }> {
      const filter: Record<string, unknown> = {};
      if (query.owner) filter.owner = query.owner;
      if (query.status) filter.status = query.status;
      if (query.kind) filter.kind = query.kind;
      if (query.tag) filter.tags = query.tag;
      const pageSize = Math.min(Math.max(query.pageSize ?? 20, 1), 100);
      const page = Math.max(query.page ?? 1, 1);
      const sortKey = (query.sort ?? '-createdAt').replace(/^-/, '');
      const direction = (query.sort ?? '-createdAt').startsWith('-') ? -1 : 1;
      const [items, total] = await Promise.all([
        Experiment.find(filter, query.withoutSpec ? { spec: 0 } : undefined)
          .sort({ [sortKey]: direction, _id: direction })
          .skip((page - 1) * pageSize)
          .limit(pageSize)
          .lean(),
        Experiment.countDocuments(filter),
      ]);
      const records = items as ExperimentRecord[];
      return { items: query.withoutSpec ? records : await withSpecs(records), total };
    },

    /**
     * Moves an experiment to `status` unless it already finished (then returns false). `message`
     * explains the state to users; `error` is set on failure.
     */
    async setStatus(
      id: string,
      status: ExperimentStatus,
      extra: { message?: string; error?: { message: string; details?: unknown } | null; runId?: string } = {},
    ): Promise<boolean> {
      const now = new Date();
      const update: Record<string, unknown> = { status, statusMessage: extra.message ?? '' };
      if (extra.error !== undefined) update.error = extra.error;
      if (extra.runId) update.runId = extra.runId;
      if (status === 'running') update.$min = { startedAt: now };
      if (FINISHED_STATUSES.includes(status)) update.finishedAt = now;
      const { $min, ...set } = update;
      const result = await Experiment.updateOne(
        // A finished experiment stays finished; re-writing the same final status is harmless.
        { _id: id, $or: [{ status: { $nin: FINISHED_STATUSES } }, { status }] },
        { $set: set, ...($min ? { $min } : {}) },
      );
      return result.matchedCount === 1;
    },

    async saveProgress(id: string, progress: Record<string, unknown>): Promise<void> {
      await Experiment.updateOne({ _id: id }, { $set: { progress } });
    },

    async saveResults(owner: string, results: ExperimentResults): Promise<void> {
      const valid = experimentResultsSchema.parse(results);
      const { experimentId, ...rest } = valid;
      await Result.replaceOne({ _id: experimentId }, { _id: experimentId, owner, ...rest }, { upsert: true });
    },

    async getResults(id: string): Promise<ExperimentResults | null> {
      const doc = await Result.findById(id).lean();
      if (!doc) return null;
      const { _id, ...rest } = doc as Record<string, unknown>;
      return experimentResultsSchema.parse({ ...rest, experimentId: _id });
    },

    /** Experiments by workflow id, without their specs (the operator dashboard joins them to executions). */
    async findByWorkflowIds(workflowIds: string[]): Promise<ExperimentRecord[]> {
      if (workflowIds.length === 0) return [];
      return (await Experiment.find({ workflowId: { $in: workflowIds } })
        .select({ spec: 0 })
        .lean()) as ExperimentRecord[];
    },

    /** Removes the experiment and its results (checkpoints are removed by the checkpoint store). */
    async remove(id: string): Promise<boolean> {
      const [exp] = await Promise.all([
        Experiment.deleteOne({ _id: id }),
        ExperimentSpec.deleteOne({ _id: id }),
        Result.deleteOne({ _id: id }),
      ]);
      return exp.deletedCount === 1;
    },
  };
}

export type ExperimentRepository = ReturnType<typeof experimentRepository>;
