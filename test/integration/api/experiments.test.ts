/**
 * The experiment routes against the real store and Temporal server: validation, listing, visibility,
 * results, events, control, rerun and delete. The experiments here ask for the gpu queue, which no
 * test worker polls, so they stay queued (other test files leave cpu and imc pollers that Temporal
 * still lists for a while). The run to completion with real workers is in full-flow.test.ts.
 */
import { TASK_QUEUES } from '../../../contracts/queues';
import { experimentRepository } from '../../../persistence/experiments';
import { experimentWorkflowId } from '../../../workflows/definitions';
import {
  call,
  errorCode,
  followEvents,
  freshEmail,
  registerAndLogin,
  startTestApi,
  tinyTraining,
  type TestApi,
  type TestUser,
} from './harness';

let api: TestApi;
let alice: TestUser;
let bob: TestUser;
let admin: TestUser;
const adminEmail = freshEmail('admin');

const tinyTrainingOnGpu = (name?: string, tags: string[] = []) => tinyTraining(name, tags, TASK_QUEUES.gpu);

async function submit(user: TestUser, doc: unknown) {
  const reply = await call(api, 'POST', '/api/v1/experiments', { token: user.accessToken, json: doc });
  expect(reply.status).toBe(202);
  return reply.body as { id: string; workflowId: string };
}

beforeAll(async () => {
  api = await startTestApi({ ADMIN_EMAILS: adminEmail, SSE_POLL_MS: '200' });
  [alice, bob, admin] = await Promise.all([
    registerAndLogin(api),
    registerAndLogin(api),
    registerAndLogin(api, adminEmail),
  ]);
});

const started: string[] = [];
afterAll(async () => {
  // Stop what is still open (so no later test's worker runs it) and say so in the store.
  const repo = experimentRepository(api.store);
  for (const id of started) {
    await api.client.workflow
      .getHandle(experimentWorkflowId(id))
      .terminate('test over')
      .catch(() => undefined);
    await repo.setStatus(id, 'cancelled', { message: 'test over' });
  }
  await api.close();
});

describe('submission', () => {
  it('answers 400 with every problem of the document, each at its JSON path', async () => {
    const doc = {
      ...tinyTrainingOnGpu(),
      dataset: { name: 'mnistt' },
      training: { epochs: -1, batch_size: 0 },
    };
    const reply = await call(api, 'POST', '/api/v1/experiments', { token: alice.accessToken, json: doc });
    expect(reply.status).toBe(400);
    expect(errorCode(reply)).toBe('validation_failed');
    const paths = reply.body.error.details.map((i: { path: string }) => i.path);
    expect(paths).toEqual(
      expect.arrayContaining(['$.dataset.name', '$.training.epochs', '$.training.batch_size']),
    );
    expect(reply.body.error.message).toMatch(/3 problems/);
  });

  it('refuses training on the imc queue at submission, saying where to train instead', async () => {
    const doc = { ...tinyTrainingOnGpu(), execution: { queue: 'imc' } };
    const reply = await call(api, 'POST', '/api/v1/experiments', { token: alice.accessToken, json: doc });
    expect(reply.status).toBe(400);
    expect(reply.body.error.details).toContainEqual(
      expect.objectContaining({
        path: '$.execution.queue',
        message: expect.stringMatching(/cannot run on the imc queue: .*train on the cpu or gpu queue/),
      }),
    );
  });

  it('needs authentication', async () => {
    expect((await call(api, 'POST', '/api/v1/experiments', { json: tinyTrainingOnGpu() })).status).toBe(401);
    expect((await call(api, 'GET', '/api/v1/experiments')).status).toBe(401);
  });

  it('accepts a valid document: 202, the stored spec has every default, the workflow is started', async () => {
    const accepted = await submit(alice, tinyTrainingOnGpu('accepted'));
    started.push(accepted.id);
    expect(accepted.workflowId).toBe(`experiment-${accepted.id}`);
    const one = await call(api, 'GET', `/api/v1/experiments/${accepted.id}`, { token: alice.accessToken });
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({
      id: accepted.id,
      name: 'accepted',
      kind: 'training',
      status: 'queued',
      owner: alice.id,
    });
    // Defaults the user left out are stated in the stored spec.
    expect(one.body.spec.execution).toEqual({ queue: 'gpu', priority: 3 });
    expect(one.body.spec.rpu_config.type).toBe('SingleRPUConfig');
    expect(one.body.spec.training.seed).toBe(0);
    // No worker polls the gpu queue: reading the experiment explains why it waits.
    expect(one.body.statusMessage).toBe('waiting: no worker polls the gpu queue');
    expect(one.body.links.temporal).toContain(accepted.workflowId);
    const execution = await api.client.workflow.getHandle(accepted.workflowId).describe();
    expect(execution.status.name).toBe('RUNNING');
    expect(execution.taskQueue).toBe('gpu');
  });

  it('validates without submitting', async () => {
    const reply = await call(api, 'POST', '/api/v1/experiments/validate', {
      token: alice.accessToken,
      json: tinyTrainingOnGpu(),
    });
    expect(reply.status).toBe(200);
    expect(reply.body.valid).toBe(true);
    expect(reply.body.spec.training.checkpoint_every).toBe(1);
  });
});

describe('listing and visibility', () => {
  let ids: string[];
  let carolUser: TestUser;
  const carol = () => carolUser;
  beforeAll(async () => {
    const carol = await registerAndLogin(api);
    carolUser = carol;
    ids = [];
    for (const [name, tags] of [
      ['b-first', ['red']],
      ['a-second', ['blue']],
      ['c-third', ['red', 'blue']],
    ] as const) {
      const accepted = await submit(carol, tinyTrainingOnGpu(name, [...tags]));
      ids.push(accepted.id);
      started.push(accepted.id);
    }
    // Finish one by hand, as the report step would.
    await experimentRepository(api.store).setStatus(ids[0], 'completed');
  });

  it('pages, filters by status, kind and tag, and sorts', async () => {
    const all = await call(api, 'GET', '/api/v1/experiments', { token: carol().accessToken });
    expect(all.body.total).toBe(3);
    expect(all.body.items.map((i: { id: string }) => i.id)).toEqual([...ids].reverse()); // newest first
    expect(all.body.items[0]).not.toHaveProperty('spec');

    const page2 = await call(api, 'GET', '/api/v1/experiments?pageSize=2&page=2', {
      token: carol().accessToken,
    });
    expect(page2.body).toMatchObject({ page: 2, pageSize: 2, total: 3 });
    expect(page2.body.items.map((i: { id: string }) => i.id)).toEqual([ids[0]]);

    const red = await call(api, 'GET', '/api/v1/experiments?tag=red&sort=name', {
      token: carol().accessToken,
    });
    expect(red.body.items.map((i: { name: string }) => i.name)).toEqual(['b-first', 'c-third']);

    const done = await call(api, 'GET', '/api/v1/experiments?status=completed', {
      token: carol().accessToken,
    });
    expect(done.body.items.map((i: { id: string }) => i.id)).toEqual([ids[0]]);
    const inference = await call(api, 'GET', '/api/v1/experiments?kind=inference', {
      token: carol().accessToken,
    });
    expect(inference.body.total).toBe(0);

    const bad = await call(api, 'GET', '/api/v1/experiments?status=bogus&pageSize=1000', {
      token: carol().accessToken,
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual([
      '$.pageSize',
      '$.status',
    ]);
  });

  it('lists a new submission at once, although list pages are cached', async () => {
    const before = await call(api, 'GET', '/api/v1/experiments', { token: carol().accessToken });
    const { id } = await submit(carol(), tinyTrainingOnGpu('d-fourth'));
    started.push(id);
    ids.push(id);
    const after = await call(api, 'GET', '/api/v1/experiments', { token: carol().accessToken });
    expect(after.body.total).toBe(before.body.total + 1);
    expect(after.body.items[0].id).toBe(id);
  });

  it("hides other users' experiments: not listed, and 404 (never 403) on every route", async () => {
    const list = await call(api, 'GET', '/api/v1/experiments', { token: bob.accessToken });
    expect(list.body.items.some((i: { id: string }) => ids.includes(i.id))).toBe(false);
    const id = ids[1];
    const missing = await call(api, 'GET', '/api/v1/experiments/no-such-id', { token: bob.accessToken });
    for (const [method, path] of [
      ['GET', `/api/v1/experiments/${id}`],
      ['GET', `/api/v1/experiments/${id}/results`],
      ['GET', `/api/v1/experiments/${id}/events`],
      ['POST', `/api/v1/experiments/${id}/cancel`],
      ['POST', `/api/v1/experiments/${id}/pause`],
      ['POST', `/api/v1/experiments/${id}/resume`],
      ['POST', `/api/v1/experiments/${id}/rerun`],
      ['DELETE', `/api/v1/experiments/${id}`],
    ] as const) {
      const reply = await call(api, method, path, { token: bob.accessToken });
      expect([method, path, reply.status]).toEqual([method, path, 404]);
      // The same answer as for an id that does not exist, apart from the id itself.
      expect(reply.body.error.code).toBe(missing.body.error.code);
    }
    const stillThere = await api.client.workflow.getHandle(experimentWorkflowId(id)).describe();
    expect(stillThere.status.name).toBe('RUNNING');
  });

  it("takes inference weights only from the user's own completed training experiments", async () => {
    const inference = (experimentId: string) => ({
      apiVersion: 'analog-composer/v1',
      kind: 'inference',
      name: 'drift study',
      execution: { queue: 'gpu' },
      dataset: { name: 'mnist', test_size: 64 },
      model: tinyTraining().model,
      weights: { source: 'experiment', experiment_id: experimentId },
      inference: { t_inference: [0, 3600], repeats: 1 },
    });
    const check = (user: TestUser, id: string) =>
      call(api, 'POST', '/api/v1/experiments/validate', { token: user.accessToken, json: inference(id) });
    const own = await check(carol(), ids[0]);
    expect(own.body.issues.filter((i: { severity: string }) => i.severity === 'error')).toEqual([]);
    expect(own.body.valid).toBe(true);
    // Another user's completed experiment reads exactly like one that does not exist.
    const foreign = await check(bob, ids[0]);
    const missing = await check(bob, 'no-such-experiment');
    expect(foreign.body.valid).toBe(false);
    expect(foreign.body.issues[0]).toMatchObject({ path: '$.weights.experiment_id', code: 'weights' });
    expect(foreign.body.issues[0].message.replace(ids[0], 'X')).toBe(
      missing.body.issues[0].message.replace('no-such-experiment', 'X'),
    );
    // A training experiment that has not completed has no weights yet.
    const unfinished = await check(carol(), ids[1]);
    expect(unfinished.body.valid).toBe(false);
    expect(unfinished.body.issues[0].message).toMatch(/completed/);
  });

  it("shows admins everyone's experiments, or one user's", async () => {
    const one = await call(api, 'GET', `/api/v1/experiments/${ids[1]}`, { token: admin.accessToken });
    expect(one.status).toBe(200);
    const theirs = await call(api, 'GET', `/api/v1/experiments?owner=${carol().id}`, {
      token: admin.accessToken,
    });
    expect(theirs.body.total).toBe(4);
    // `owner` is ignored for users: they always get their own.
    const mine = await call(api, 'GET', `/api/v1/experiments?owner=${carol().id}`, {
      token: bob.accessToken,
    });
    expect(mine.body.items.every((i: { owner: string }) => i.owner === bob.id)).toBe(true);
  });
});

describe('results', () => {
  it('answers 404 before there are results, then JSON, and CSV for the tables', async () => {
    const { id } = await submit(alice, tinyTrainingOnGpu('with results'));
    started.push(id);
    const none = await call(api, 'GET', `/api/v1/experiments/${id}/results`, { token: alice.accessToken });
    expect(none.status).toBe(404);
    expect(none.body.error.message).toMatch(/no results yet/);

    // Results written through the repository, as the report activity writes them.
    await experimentRepository(api.store).saveResults(alice.id, {
      experimentId: id,
      learning_curve: [
        { epoch: 1, train_loss: 0.9, test_loss: 0.7, test_accuracy: 0.75, lr: 0.05, time_epoch: 1.5 },
        { epoch: 2, train_loss: null, test_loss: 0.5, test_accuracy: 0.81, lr: 0.05, time_epoch: 1.25 },
      ],
      inference: [
        {
          t_inference: 3600,
          drift_compensation: true,
          repeats: 2,
          accuracy_mean: 0.8,
          accuracy_std: 0.01,
          accuracy_min: 0.79,
          accuracy_max: 0.81,
          loss_mean: 0.6,
        },
      ],
      histograms: [
        { label: 'w', quantity: 'weight', stage: 'trained', layer: '1', edges: [0, 1], counts: [7] },
      ],
      timings: { total_s: 3 },
    });
    const json = await call(api, 'GET', `/api/v1/experiments/${id}/results`, { token: alice.accessToken });
    expect(json.status).toBe(200);
    expect(json.body.learning_curve).toHaveLength(2);
    expect(json.body.histograms[0].counts).toEqual([7]);

    const csv = await call(api, 'GET', `/api/v1/experiments/${id}/results?format=csv`, {
      token: alice.accessToken,
    });
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(csv.text).toBe(
      'epoch,train_loss,test_loss,test_accuracy,lr,time_epoch\r\n1,0.9,0.7,0.75,0.05,1.5\r\n2,,0.5,0.81,0.05,1.25\r\n',
    );
    const drift = await call(api, 'GET', `/api/v1/experiments/${id}/results?format=csv&table=inference`, {
      token: alice.accessToken,
    });
    expect(drift.text.split('\r\n')[0]).toBe(
      't_inference,drift_compensation,repeats,accuracy_mean,accuracy_std,accuracy_min,accuracy_max,loss_mean',
    );
    expect(drift.text.split('\r\n')[1]).toBe('3600,true,2,0.8,0.01,0.79,0.81,0.6');
  });
});

describe('events, control, rerun and delete', () => {
  it('streams the status, and ends the stream when the experiment is cancelled', async () => {
    const { id } = await submit(alice, tinyTrainingOnGpu('followed'));
    started.push(id);
    let cancelled = false;
    const stream = await followEvents(api, `/api/v1/experiments/${id}/events`, alice.accessToken, {
      timeoutMs: 30_000,
      onEvent: async (e) => {
        if (e.event === 'status' && !cancelled) {
          cancelled = true;
          const reply = await call(api, 'POST', `/api/v1/experiments/${id}/cancel`, {
            token: alice.accessToken,
          });
          expect(reply.status).toBe(202);
        }
      },
    });
    expect(stream.contentType).toMatch(/^text\/event-stream/);
    expect(stream.ended).toBe(true);
    expect(stream.events[0]).toMatchObject({ event: 'status', data: { id, status: 'queued' } });
    expect(stream.events.at(-2)).toMatchObject({ event: 'status', data: { status: 'cancelled' } });
    expect(stream.events.at(-1)).toEqual({
      id: expect.any(String),
      event: 'end',
      data: { id, status: 'cancelled' },
    });
    // Nobody polled the queue, so the workflow was stopped by the API itself.
    const execution = await api.client.workflow.getHandle(experimentWorkflowId(id)).describe();
    expect(execution.status.name).toBe('TERMINATED');

    // A finished experiment: the stream says so and ends at once; control is refused.
    const again = await followEvents(api, `/api/v1/experiments/${id}/events`, alice.accessToken, {
      timeoutMs: 5000,
    });
    expect(again.events.map((e) => e.event)).toEqual(['status', 'end']);
    const pause = await call(api, 'POST', `/api/v1/experiments/${id}/pause`, { token: alice.accessToken });
    expect(pause.status).toBe(409);
    expect(errorCode(pause)).toBe('conflict');
  });

  it('sends pause and resume to the workflow', async () => {
    const { id } = await submit(alice, tinyTrainingOnGpu('controlled'));
    started.push(id);
    const pause = await call(api, 'POST', `/api/v1/experiments/${id}/pause`, { token: alice.accessToken });
    expect(pause.status).toBe(202);
    expect(pause.body).toEqual({ id, requested: 'pause', status: 'queued' });
    const resume = await call(api, 'POST', `/api/v1/experiments/${id}/resume`, { token: alice.accessToken });
    expect(resume.status).toBe(202);
    const history = await api.client.workflow.getHandle(experimentWorkflowId(id)).fetchHistory();
    const signals = (history.events ?? [])
      .map((e) => e.workflowExecutionSignaledEventAttributes?.signalName)
      .filter(Boolean);
    expect(signals).toEqual(['pause', 'resume']);
  });

  it('reruns the same spec as a new experiment, and deletes only finished experiments', async () => {
    const { id } = await submit(alice, tinyTrainingOnGpu('original'));
    started.push(id);
    const rerun = await call(api, 'POST', `/api/v1/experiments/${id}/rerun`, { token: alice.accessToken });
    expect(rerun.status).toBe(202);
    started.push(rerun.body.id);
    expect(rerun.body.id).not.toBe(id);
    expect(rerun.body.rerunOf).toBe(id);
    const [a, b] = await Promise.all(
      [id, rerun.body.id].map((x) =>
        call(api, 'GET', `/api/v1/experiments/${x}`, { token: alice.accessToken }),
      ),
    );
    expect(b.body.spec).toEqual(a.body.spec);
    expect(b.body.rerunOf).toBe(id);

    const refused = await call(api, 'DELETE', `/api/v1/experiments/${id}`, { token: alice.accessToken });
    expect(refused.status).toBe(409);
    expect(
      (await call(api, 'POST', `/api/v1/experiments/${id}/cancel`, { token: alice.accessToken })).status,
    ).toBe(202);
    expect(
      (await call(api, 'DELETE', `/api/v1/experiments/${id}`, { token: alice.accessToken })).status,
    ).toBe(204);
    expect((await call(api, 'GET', `/api/v1/experiments/${id}`, { token: alice.accessToken })).status).toBe(
      404,
    );
  });
});

describe('catalogue', () => {
  it('serves the presets gallery and the JSON Schema without authentication', async () => {
    const presets = await call(api, 'GET', '/api/v1/presets');
    expect(presets.status).toBe(200);
    expect(presets.body.items.length).toBeGreaterThan(0);
    for (const preset of presets.body.items) {
      const check = await call(api, 'POST', '/api/v1/experiments/validate', {
        token: alice.accessToken,
        json: preset.document,
      });
      expect([preset.id, check.body.valid]).toEqual([preset.id, true]);
    }
    const schema = await call(api, 'GET', '/api/v1/schema');
    expect(schema.headers.get('content-type')).toMatch(/application\/schema\+json/);
    expect(schema.body.oneOf).toHaveLength(2);
    const doc = await call(api, 'GET', '/api/openapi.json');
    expect(doc.body.paths['/api/v1/experiments/{id}/events']).toBeDefined();
    expect(doc.body.components.schemas.ExperimentDocument).toBeDefined();
    // Every reference in the document resolves.
    const refs = JSON.stringify(doc.body).match(/"\$ref":"[^"]+"/g) ?? [];
    for (const ref of new Set(refs)) {
      const name = ref.slice('"$ref":"#/components/schemas/'.length, -1);
      expect([ref, doc.body.components.schemas[name] !== undefined]).toEqual([ref, true]);
    }
  });
});
