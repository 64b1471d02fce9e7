/**
 * The `analog` CLI, spawned as a process against the API (in this test process, on the real store and
 * Temporal): login and its config file, listing, status, control, presets, schema, exit codes. The run
 * to completion (`submit --watch`, `results --csv`) is in full-flow.test.ts.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { experimentRepository } from '../../../persistence/experiments';
import { TASK_QUEUES } from '../../../contracts/queues';
import { experimentWorkflowId } from '../../../workflows/definitions';
import { call, freshEmail, runCli, startTestApi, tinyTraining, type TestApi } from './harness';

let api: TestApi;
let dir: string;
let env: Record<string, string>;
const email = freshEmail('cli');
const password = 'a long enough password';
const started: string[] = [];

beforeAll(async () => {
  api = await startTestApi();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'analog-cli-'));
  env = { ANALOG_CONFIG: path.join(dir, 'conf', 'config.json'), ANALOG_API_URL: api.url };
  await call(api, 'POST', '/api/v1/auth/register', { json: { email, password } });
});

afterAll(async () => {
  const repo = experimentRepository(api.store);
  for (const id of started) {
    await api.client.workflow
      .getHandle(experimentWorkflowId(id))
      .terminate('test over')
      .catch(() => undefined);
    await repo.setStatus(id, 'cancelled', { message: 'test over' });
  }
  await api.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('analog CLI', () => {
  it('exits 2 on usage errors, 0 for --help on every command, 1 when not logged in', async () => {
    expect((await runCli(['no-such-command'], { env })).code).toBe(2);
    expect((await runCli(['submit'], { env })).code).toBe(2);
    expect((await runCli(['list', '--status', 'sideways'], { env })).code).toBe(2);
    for (const command of [
      'login',
      'submit',
      'list',
      'status',
      'watch',
      'results',
      'cancel',
      'pause',
      'resume',
      'presets',
      'schema',
    ]) {
      const help = await runCli([command, '--help'], { env });
      expect([command, help.code]).toEqual([command, 0]);
      expect(help.stdout).toContain(`Usage: analog ${command}`);
    }
    const notLoggedIn = await runCli(['list'], { env });
    expect(notLoggedIn.code).toBe(1);
    expect(notLoggedIn.stderr).toMatch(/not logged in/);
  });

  it('logs in with a personal API token kept in a user-only file', async () => {
    const wrong = await runCli(['login', '--email', email, '--password-stdin'], { env, stdin: 'wrong\n' });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/wrong email or password/);

    const login = await runCli(['login', '--email', email, '--password-stdin'], {
      env,
      stdin: `${password}\n`,
    });
    expect(login.stderr).toBe('');
    expect(login.code).toBe(0);
    expect(login.stdout).toContain(`logged in as ${email}`);
    const stat = fs.statSync(env.ANALOG_CONFIG);
    expect(stat.mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.dirname(env.ANALOG_CONFIG)).mode & 0o777).toBe(0o700);
    const saved = JSON.parse(fs.readFileSync(env.ANALOG_CONFIG, 'utf8'));
    expect(saved.token).toMatch(/^acp_/);
    expect(saved.apiUrl).toBe(api.url);
  });

  it('submits, lists, shows status, and controls experiments', async () => {
    const file = path.join(dir, 'experiment.json');
    fs.writeFileSync(file, JSON.stringify(tinyTraining('from the CLI', ['cli'], TASK_QUEUES.gpu)));
    const submitted = await runCli(['submit', file], { env });
    expect(submitted.code).toBe(0);
    const id = /submitted (\S+)/.exec(submitted.stdout)![1];
    started.push(id);

    const list = await runCli(['list', '--tag', 'cli'], { env });
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(new RegExp(`${id}\\s+from the CLI\\s+training\\s+queued\\s+gpu`));
    const json = JSON.parse((await runCli(['list', '--json'], { env })).stdout);
    expect(json.items.map((e: { id: string }) => e.id)).toContain(id);

    const status = await runCli(['status', id], { env });
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/status\s+queued \(waiting: no worker polls the gpu queue\)/);

    const pause = await runCli(['pause', id], { env });
    expect(pause.code).toBe(0);
    expect(pause.stdout).toContain(`pause requested for ${id}`);

    const cancel = await runCli(['cancel', id], { env });
    expect(cancel.code).toBe(0);
    const after = JSON.parse((await runCli(['status', id, '--json'], { env })).stdout);
    expect(after.status).toBe('cancelled');
    const again = await runCli(['cancel', id], { env });
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/cancelled; it cannot be cancelled/);

    const missing = await runCli(['status', 'no-such-experiment'], { env });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/no experiment/);
    const noResults = await runCli(['results', id, '--csv'], { env });
    expect(noResults.code).toBe(1);
    expect(noResults.stderr).toMatch(/no results yet/);
  });

  it('reports every problem of a rejected document, and unreadable files', async () => {
    const file = path.join(dir, 'bad.json');
    fs.writeFileSync(file, JSON.stringify({ ...tinyTraining(), training: { epochs: 0, batch_size: -2 } }));
    const bad = await runCli(['submit', file], { env });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('error $.training.epochs');
    expect(bad.stderr).toContain('error $.training.batch_size');

    fs.writeFileSync(file, '{ not json');
    const broken = await runCli(['submit', file], { env });
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(/not valid JSON/);
    expect((await runCli(['submit', path.join(dir, 'absent.json')], { env })).code).toBe(1);
  });

  it('prints the presets, one preset as a document, and the schema', async () => {
    const presets = await runCli(['presets'], { env });
    expect(presets.code).toBe(0);
    const firstId = presets.stdout.split('\n')[1].split(/\s+/)[0];
    const document = await runCli(['presets', firstId], { env });
    expect(JSON.parse(document.stdout).apiVersion).toBe('analog-composer/v1');
    const schema = await runCli(['schema'], { env });
    expect(JSON.parse(schema.stdout).oneOf).toHaveLength(2);
  });

  it('logs out by revoking the token: it stops working at once', async () => {
    const token = JSON.parse(fs.readFileSync(env.ANALOG_CONFIG, 'utf8')).token as string;
    const logout = await runCli(['logout'], { env });
    expect(logout.code).toBe(0);
    expect((await call(api, 'GET', '/api/v1/auth/me', { token })).status).toBe(401);
    expect((await runCli(['list'], { env })).code).toBe(1);
    const viaEnv = await runCli(['list'], { env: { ...env, ANALOG_TOKEN: token } });
    expect(viaEnv.code).toBe(1);
    expect(viaEnv.stderr).toMatch(/invalid, expired or revoked/);
  });
});
