/**
 * The operator dashboard over the real Temporal server: bull-board lists the workflow executions of
 * each task queue with their status, for admins only.
 */
import { randomUUID } from 'node:crypto';
import { createSystemActivities } from '../../../activities/system';
import { experimentRepository } from '../../../persistence/experiments';
import { TASK_QUEUES } from '../../../contracts/queues';
import { pingWorkflow } from '../../../workflows';
import { testWorker } from '../../helpers/temporal';
import { call, freshEmail, registerAndLogin, startTestApi, type TestApi, type TestUser } from './harness';

let api: TestApi;
const adminEmail = freshEmail('ops');
let admin: TestUser;
let user: TestUser;
const queue = TASK_QUEUES.imc;
const ids = {
  completed: `ping-${randomUUID()}`,
  running: `ping-${randomUUID()}`,
  terminated: `ping-${randomUUID()}`,
  paused: `experiment-${randomUUID()}`,
  waiting: `experiment-${randomUUID()}`,
};

beforeAll(async () => {
  api = await startTestApi({ ADMIN_EMAILS: adminEmail, DASHBOARD_CACHE_MS: '0' });
  admin = await registerAndLogin(api, adminEmail);
  user = await registerAndLogin(api);

  // One execution that completes (a worker serves it), the others stay open: no worker polls meanwhile.
  const { worker, close } = await testWorker({
    taskQueue: queue,
    workflowsPath: require.resolve('../../../workflows'),
    activities: createSystemActivities(queue),
  });
  try {
    await worker.runUntil(
      api.client.workflow.execute(pingWorkflow, {
        taskQueue: queue,
        workflowId: ids.completed,
        args: ['done', queue],
      }),
    );
  } finally {
    await close();
  }
  for (const id of [ids.running, ids.terminated, ids.paused, ids.waiting]) {
    await api.client.workflow.start(pingWorkflow, {
      taskQueue: queue,
      workflowId: id,
      args: ['open', queue],
    });
  }
  await api.client.workflow.getHandle(ids.terminated).terminate('stopped by the dashboard test');
  // Experiments in the store say what Temporal cannot: one is paused by signal, one still waits.
  const repo = experimentRepository(api.store);
  for (const [id, status] of [
    [ids.paused, 'paused'],
    [ids.waiting, 'queued'],
  ] as const) {
    const experimentId = id.replace('experiment-', '');
    await repo.create({
      id: experimentId,
      owner: user.id,
      name: `board-${status}`,
      kind: 'training',
      queue,
      dataset: 'mnist',
      spec: {},
      workflowId: id,
    });
    if (status === 'paused') await repo.setStatus(experimentId, 'paused', { message: 'paused by the user' });
  }
  // Visibility is eventually consistent: wait until all five are listed.
  const query = `WorkflowId IN (${Object.values(ids)
    .map((id) => `"${id}"`)
    .join(',')})`;
  for (let i = 0; i < 50; i++) {
    if ((await api.client.workflow.count(query)).count === 5) break;
    await new Promise((r) => setTimeout(r, 200));
  }
});

afterAll(async () => {
  for (const id of [ids.running, ids.paused, ids.waiting]) {
    await api.client.workflow
      .getHandle(id)
      .terminate('test over')
      .catch(() => undefined);
  }
  const repo = experimentRepository(api.store);
  for (const id of [ids.paused, ids.waiting])
    await repo.setStatus(id.replace('experiment-', ''), 'cancelled');
  await api.close();
});

interface BoardJob {
  id: string;
  name: string;
  data: { temporalStatus: string; temporalUrl: string; experiment: { status: string } | null };
  externalUrl?: { href: string };
  failedReason?: string;
}

async function boardJobs(token: string, status: string): Promise<BoardJob[]> {
  const reply = await call(
    api,
    'GET',
    `/admin/queues/api/queues?activeQueue=${queue}&status=${status}&page=1&jobsPerPage=200`,
    {
      token,
    },
  );
  expect(reply.status).toBe(200);
  const board = (reply.body.queues as Array<{ name: string; jobs: BoardJob[] }>).find(
    (q) => q.name === queue,
  )!;
  return board.jobs;
}

describe('bull-board over Temporal', () => {
  it('has one board queue per task queue, with counts', async () => {
    const reply = await call(api, 'GET', '/admin/queues/api/queues', { token: admin.accessToken });
    expect(reply.status).toBe(200);
    const names = reply.body.queues.map((q: { name: string }) => q.name).sort();
    expect(names).toEqual(['cpu', 'gpu', 'imc', 'validator']);
    const imc = reply.body.queues.find((q: { name: string }) => q.name === queue);
    expect(imc.readOnlyMode).toBe(true);
    for (const status of ['active', 'waiting', 'paused', 'completed', 'failed']) {
      expect(imc.counts[status]).toBeGreaterThanOrEqual(1);
    }
  });

  it('lists each execution under its status, linked to the Temporal UI', async () => {
    const expected: Record<string, string> = {
      [ids.running]: 'active',
      [ids.completed]: 'completed',
      [ids.terminated]: 'failed',
      [ids.paused]: 'paused',
      [ids.waiting]: 'waiting',
    };
    for (const status of ['active', 'completed', 'failed', 'paused', 'waiting']) {
      const jobs = await boardJobs(admin.accessToken, status);
      const listed = Object.entries(expected).filter(([id]) => jobs.some((j) => j.id === id));
      expect(listed).toEqual(Object.entries(expected).filter(([, s]) => s === status));
    }
    const latest = await boardJobs(admin.accessToken, 'latest');
    const terminated = latest.find((j) => j.id === ids.terminated)!;
    expect(terminated.data.temporalStatus).toBe('Terminated');
    expect(terminated.failedReason).toBe('the workflow was terminated');
    expect(terminated.externalUrl?.href).toContain(`/workflows/${ids.terminated}`);
    const paused = latest.find((j) => j.id === ids.paused)!;
    expect(paused.name).toBe('board-paused (training)');
    expect(paused.data.experiment?.status).toBe('paused');
  });

  it('is refused to users (403) and anonymous callers (401), and sends browsers to the login form', async () => {
    expect((await call(api, 'GET', '/admin/queues/api/queues', { token: user.accessToken })).status).toBe(
      403,
    );
    expect((await call(api, 'GET', '/admin/queues/api/queues')).status).toBe(401);
    const browser = await call(api, 'GET', '/admin/queues', { headers: { accept: 'text/html' } });
    expect(browser.status).toBe(303);
    expect(browser.headers.get('location')).toBe('/admin/login');
  });

  it('refuses mutations even to admins', async () => {
    const reply = await call(api, 'PUT', `/admin/queues/api/queues/${queue}/pause`, {
      token: admin.accessToken,
    });
    expect(reply.status).toBeGreaterThanOrEqual(400);
    const still = await api.client.workflow.getHandle(ids.running).describe();
    expect(still.status.name).toBe('RUNNING');
  });

  it('gives an admin browser a session cookie through the login form', async () => {
    const form = (email: string, password: string) =>
      fetch(`${api.url}/admin/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ email, password }).toString(),
        redirect: 'manual',
      });
    expect((await form(user.email, user.password)).status).toBe(403);
    expect((await form(admin.email, 'wrong password')).status).toBe(401);
    const ok = await form(admin.email, admin.password);
    expect(ok.status).toBe(303);
    const cookie = ok.headers.get('set-cookie')!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const session = cookie.split(';')[0];
    const page = await call(api, 'GET', '/admin/queues', {
      headers: { cookie: session, accept: 'text/html' },
    });
    expect(page.status).toBe(200);
    expect(page.text).toContain('__UI_CONFIG__');
    const apiCall = await call(api, 'GET', '/admin/queues/api/queues', { headers: { cookie: session } });
    expect(apiCall.status).toBe(200);
  });
});
