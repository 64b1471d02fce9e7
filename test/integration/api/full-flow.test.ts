/**
 * The whole system through HTTP, with real workers: the validator and cpu workers run in this process,
 * assembled exactly as their entry points assemble them (sim-core compute in worker threads), against
 * the real Temporal server and store. register → login → submit → follow /events to completion →
 * results → rerun → delete; and the CLI as a process: `submit --watch` to completion, `results --csv`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { experimentHarness, type Harness } from '../../helpers/experiments';
import {
  call,
  followEvents,
  freshEmail,
  registerAndLogin,
  runCli,
  startTestApi,
  tinyTraining,
  type ServerEvent,
  type TestApi,
} from './harness';

let api: TestApi;
let h: Harness;

beforeAll(async () => {
  api = await startTestApi({ SSE_POLL_MS: '250' });
  h = await experimentHarness();
  await h.validatorWorker();
  await h.computeWorker('cpu');
}, 180_000);

afterAll(async () => {
  await h?.close();
  await api?.close();
});

/** Enough images that training spans several progress polls (250 ms), so watchers must see it. */
function longEnoughTraining(name: string) {
  return { ...tinyTraining(name), dataset: { name: 'mnist', train_size: 8192, test_size: 64 } };
}

function endOf(events: ServerEvent[]) {
  return events.find((e) => e.event === 'end')?.data as { status: string } | undefined;
}

describe('full flow through HTTP', () => {
  it('register → login → submit → events to completion → results → rerun → delete', async () => {
    const user = await registerAndLogin(api);
    const submitted = await call(api, 'POST', '/api/v1/experiments', {
      token: user.accessToken,
      json: longEnoughTraining('full flow'),
    });
    expect(submitted.status).toBe(202);
    const id: string = submitted.body.id;

    const stream = await followEvents(api, `/api/v1/experiments/${id}/events`, user.accessToken, {
      timeoutMs: 150_000,
    });
    expect(stream.ended).toBe(true);
    const statuses = stream.events
      .filter((e) => e.event === 'status')
      .map((e) => (e.data as { status: string }).status);
    expect(statuses.at(-1)).toBe('completed');
    // Status events come from a poll: a short phase may pass between two polls, the ends may not.
    expect(statuses[0]).toBe('queued');
    const progress = stream.events
      .filter((e) => e.event === 'progress')
      .map((e) => e.data as { phase: string; totalEpochs: number | null });
    expect(progress.some((p) => p.phase === 'training' && p.totalEpochs === 1)).toBe(true);
    expect(endOf(stream.events)).toEqual({ id, status: 'completed' });

    const one = await call(api, 'GET', `/api/v1/experiments/${id}`, { token: user.accessToken });
    expect(one.body).toMatchObject({ status: 'completed', error: null });
    expect(Date.parse(one.body.finishedAt)).toBeGreaterThanOrEqual(Date.parse(one.body.startedAt));

    const results = await call(api, 'GET', `/api/v1/experiments/${id}/results`, { token: user.accessToken });
    expect(results.status).toBe(200);
    expect(results.body.learning_curve).toHaveLength(1);
    const accuracy = results.body.learning_curve[0].test_accuracy;
    // One epoch on 64 images of 10 classes: anything from chance upward is possible; it must be a
    // fraction, measured on the test images.
    expect(accuracy).toBeGreaterThanOrEqual(0);
    expect(accuracy).toBeLessThanOrEqual(1);
    const csv = await call(api, 'GET', `/api/v1/experiments/${id}/results?format=csv`, {
      token: user.accessToken,
    });
    const rows = csv.text.trim().split('\r\n');
    expect(rows[0]).toBe('epoch,train_loss,test_loss,test_accuracy,lr,time_epoch');
    expect(rows).toHaveLength(2);
    expect(rows[1].split(',')[3]).toBe(String(accuracy));

    const rerun = await call(api, 'POST', `/api/v1/experiments/${id}/rerun`, { token: user.accessToken });
    expect(rerun.status).toBe(202);
    expect(rerun.body.rerunOf).toBe(id);
    const again = await followEvents(api, `/api/v1/experiments/${rerun.body.id}/events`, user.accessToken, {
      timeoutMs: 150_000,
    });
    expect(endOf(again.events)?.status).toBe('completed');
    const rerunResults = await call(api, 'GET', `/api/v1/experiments/${rerun.body.id}/results`, {
      token: user.accessToken,
    });
    expect(rerunResults.body.learning_curve).toHaveLength(1);

    expect((await h.checkpoints.list(id)).length).toBeGreaterThan(0);
    expect((await call(api, 'DELETE', `/api/v1/experiments/${id}`, { token: user.accessToken })).status).toBe(
      204,
    );
    expect((await call(api, 'GET', `/api/v1/experiments/${id}`, { token: user.accessToken })).status).toBe(
      404,
    );
    expect(
      (await call(api, 'GET', `/api/v1/experiments/${id}/results`, { token: user.accessToken })).status,
    ).toBe(404);
    expect(await h.checkpoints.list(id)).toEqual([]);
    // The rerun is untouched.
    expect(
      (await call(api, 'GET', `/api/v1/experiments/${rerun.body.id}`, { token: user.accessToken })).body
        .status,
    ).toBe('completed');
  });

  it('the CLI: submit --watch runs to completion and results --csv prints the table', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'analog-cli-flow-'));
    try {
      const email = freshEmail('cli-flow');
      const password = 'a long enough password';
      await call(api, 'POST', '/api/v1/auth/register', { json: { email, password } });
      const env = { ANALOG_CONFIG: path.join(dir, 'config.json'), ANALOG_API_URL: api.url };
      expect(
        (await runCli(['login', '--email', email, '--password-stdin'], { env, stdin: password })).code,
      ).toBe(0);
      const file = path.join(dir, 'experiment.json');
      fs.writeFileSync(file, JSON.stringify(longEnoughTraining('cli full flow')));

      const watched = await runCli(['submit', file, '--watch'], { env, timeoutMs: 150_000 });
      expect(watched.stderr).toBe('');
      expect(watched.code).toBe(0);
      const id = /submitted (\S+)/.exec(watched.stdout)![1];
      expect(watched.stdout).toMatch(/epoch \d\/1/);
      expect(watched.stdout).toContain(`${id} completed`);

      const csv = await runCli(['results', id, '--csv'], { env });
      expect(csv.code).toBe(0);
      const rows = csv.stdout.trim().split(/\r?\n/);
      expect(rows[0]).toBe('epoch,train_loss,test_loss,test_accuracy,lr,time_epoch');
      expect(rows).toHaveLength(2);
      expect(rows[1]).toMatch(/^1,/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
