/** The experiment repository against the real store: status guards and results round trip. */
import { randomUUID } from 'node:crypto';
import type { Connection } from 'mongoose';
import { loadConfig } from '../../config/env';
import { connectStore } from '../../persistence/connection';
import { experimentRepository, type ExperimentRepository } from '../../persistence/experiments';

let connection: Connection;
let repo: ExperimentRepository;

beforeAll(async () => {
  connection = await connectStore(loadConfig());
  repo = experimentRepository(connection);
});
afterAll(() => connection.close());

function newExperiment(owner = 'user-1') {
  const id = randomUUID();
  return {
    id,
    owner,
    name: 'probe',
    kind: 'training' as const,
    queue: 'cpu',
    dataset: 'fashion_mnist',
    spec: { apiVersion: 'v1', layers: [{ type: 'AnalogLinear', in_features: 4 }] },
    workflowId: `experiment-${id}`,
    tags: ['a', 'b'],
  };
}

describe('experiment repository', () => {
  it('keeps a finished experiment finished', async () => {
    const exp = await repo.create(newExperiment());
    expect(exp.status).toBe('queued');
    expect(await repo.setStatus(exp._id, 'running')).toBe(true);
    const running = await repo.get(exp._id);
    expect(running?.startedAt).toBeInstanceOf(Date);
    expect(await repo.setStatus(exp._id, 'cancelled', { message: 'cancelled by the user' })).toBe(true);
    expect(await repo.setStatus(exp._id, 'running')).toBe(false);
    const final = await repo.get(exp._id);
    expect(final).toMatchObject({ status: 'cancelled', statusMessage: 'cancelled by the user' });
    expect(final?.finishedAt).toBeInstanceOf(Date);
  });

  it('stores results with histograms and nulls for diverged values', async () => {
    const exp = await repo.create(newExperiment());
    const results = {
      experimentId: exp._id,
      learning_curve: [
        { epoch: 1, train_loss: 0.5, test_loss: null, test_accuracy: 0.81, lr: 0.05, time_epoch: 12.5 },
      ],
      inference: [
        {
          t_inference: 3600,
          drift_compensation: true,
          repeats: 3,
          accuracy_mean: 0.8,
          accuracy_std: 0.01,
          accuracy_min: 0.79,
          accuracy_max: 0.81,
          loss_mean: 0.6,
        },
      ],
      histograms: [
        {
          label: 'weights after programming, layer 0',
          quantity: 'weight' as const,
          stage: 'programmed' as const,
          layer: '0',
          edges: [-1, 0, 1],
          counts: [3, 4],
        },
      ],
      timings: { train_s: 12.5 },
      backend: 'wasm',
    };
    await repo.saveResults(exp.owner, results);
    expect(await repo.getResults(exp._id)).toEqual(results);
    expect(await repo.remove(exp._id)).toBe(true);
    expect(await repo.getResults(exp._id)).toBeNull();
  });

  it('lists by owner, status and tag with paging', async () => {
    const owner = `owner-${randomUUID()}`;
    for (let i = 0; i < 3; i++) await repo.create(newExperiment(owner));
    const page1 = await repo.list({ owner, pageSize: 2, page: 1 });
    const page2 = await repo.list({ owner, pageSize: 2, page: 2 });
    expect(page1.total).toBe(3);
    expect(page1.items).toHaveLength(2);
    expect(page2.items).toHaveLength(1);
    expect((await repo.list({ owner, tag: 'a' })).total).toBe(3);
    expect((await repo.list({ owner, status: 'completed' })).total).toBe(0);
  });
});
