/** Experiment specs in their own collection (list queries never read them), behind the same repository. */
import { randomUUID } from 'node:crypto';
import type { Connection } from 'mongoose';
import { loadConfig } from '../../../config/env';
import { connectStore } from '../../../persistence/connection';
import { experimentRepository, type ExperimentRepository } from '../../../persistence/experiments';
import { models } from '../../../persistence/models';

let connection: Connection;
let repo: ExperimentRepository;
beforeAll(async () => {
  connection = await connectStore(loadConfig());
  repo = experimentRepository(connection);
});
afterAll(() => connection.close());

const input = (owner: string, spec: unknown) => {
  const id = randomUUID();
  return {
    id,
    owner,
    name: 'n',
    kind: 'training' as const,
    queue: 'cpu',
    dataset: 'mnist',
    spec,
    workflowId: `experiment-${id}`,
  };
};

describe('experiment specs', () => {
  it('are stored apart, read back by get and list, left out of lists that ask, and removed with the experiment', async () => {
    const owner = randomUUID();
    const spec = { kind: 'training', model: { layers: [{ type: 'Flatten' }] }, nested: { deep: [1, 2] } };
    const created = await repo.create(input(owner, spec));
    expect(created.spec).toEqual(spec);
    const { Experiment, ExperimentSpec } = models(connection);
    expect((await Experiment.findById(created._id).lean())?.spec).toBeUndefined();
    expect((await ExperimentSpec.findById(created._id).lean())?.spec).toEqual(spec);

    expect((await repo.get(created._id))?.spec).toEqual(spec);
    expect((await repo.list({ owner })).items[0].spec).toEqual(spec);
    expect((await repo.list({ owner, withoutSpec: true })).items[0].spec).toBeUndefined();

    expect(await repo.remove(created._id)).toBe(true);
    expect(await ExperimentSpec.findById(created._id).lean()).toBeNull();
  });

  it('still reads experiments written with the spec inline', async () => {
    const owner = randomUUID();
    const legacy = input(owner, { old: true });
    await models(connection).Experiment.create({ _id: legacy.id, ...legacy, status: 'completed' });
    expect((await repo.get(legacy.id))?.spec).toEqual({ old: true });
    expect((await repo.list({ owner })).items[0].spec).toEqual({ old: true });
    expect(await repo.remove(legacy.id)).toBe(true);
  });
});
