/**
 * `npm start` as a user runs it: everything comes up, /health reports all dependencies, the Temporal
 * UI answers; killing the store or Temporal is reported on /health and recovered from; Ctrl-C
 * (SIGINT to the process group) leaves no process behind.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../../config/paths';
import { waitFor } from '../../infra/wait';
import { testPort } from '../test-env';

const ports = {
  api: testPort(13250),
  temporal: testPort(17250),
  ui: testPort(18250),
  store: testPort(37250),
};
const apiUrl = `http://127.0.0.1:${ports.api}`;

interface Health {
  status: string;
  dependencies: { temporal: { status: string }; store: { status: string } };
  queues: Record<string, { served: boolean }>;
}

async function health(): Promise<Health | undefined> {
  try {
    return (await (await fetch(`${apiUrl}/health`)).json()) as Health;
  } catch {
    return undefined;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function readPids(dir: string): Record<string, number> {
  const out: Record<string, number> = {};
  if (!fs.existsSync(dir)) return out;
  for (const file of fs.readdirSync(dir)) {
    out[file.replace(/\.pid$/, '')] = (
      JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as { pid: number }
    ).pid;
  }
  return out;
}

describe('npm start', () => {
  let child: ChildProcess | undefined;
  let output = '';
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'analog-start-'));

  afterAll(() => {
    // If the test failed midway, leave nothing running: the supervisor's group and every child it
    // recorded (the servers run in process groups of their own).
    for (const pid of [child?.pid, ...Object.values(readPids(path.join(dataDir, 'pids')))]) {
      if (pid && alive(pid)) {
        try {
          process.kill(-pid, 'SIGKILL');
        } catch {
          process.kill(pid, 'SIGKILL');
        }
      }
    }
  });

  it('runs the whole system, survives a dependency restart, and stops cleanly on Ctrl-C', async () => {
    child = spawn(process.execPath, ['--import', 'tsx', path.join(PROJECT_ROOT, 'scripts/start.ts')], {
      cwd: PROJECT_ROOT,
      detached: true, // its own process group, as a terminal gives it
      env: {
        ...process.env,
        NODE_ENV: 'development',
        LOG_PRETTY: 'false',
        LOG_LEVEL: 'info',
        DATA_DIR: dataDir,
        API_PORT: String(ports.api),
        TEMPORAL_PORT: String(ports.temporal),
        TEMPORAL_UI_PORT: String(ports.ui),
        FERRETDB_PORT: String(ports.store),
        TEMPORAL_ADDRESS: '',
        MONGODB_URI: '',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr!.on('data', (c: Buffer) => (output += c.toString()));

    await waitFor('the start banner', async () => output.includes('Analog Composer is running'), {
      timeoutMs: 150000,
    });
    expect(output).toContain(`Temporal UI       http://127.0.0.1:${ports.ui}`);
    await waitFor(
      'all dependencies and the validator, cpu and imc queues to be served',
      async () => {
        const h = await health();
        return h?.status === 'ok' && ['validator', 'cpu', 'imc'].every((q) => h.queues[q]?.served);
      },
      { timeoutMs: 60000 },
    );
    expect((await fetch(`http://127.0.0.1:${ports.ui}/`)).status).toBe(200);

    const pids = readPids(path.join(dataDir, 'pids'));
    expect(Object.keys(pids).sort()).toEqual(
      expect.arrayContaining(['api', 'ferretdb', 'temporal', 'worker-cpu', 'worker-imc', 'worker-validator']),
    );

    // The store goes away: /health names it, the supervisor says so and brings it back.
    process.kill(pids.ferretdb, 'SIGKILL');
    await waitFor(
      '/health to report the store down',
      async () => (await health())?.dependencies.store.status === 'down',
      {
        timeoutMs: 10000,
        intervalMs: 50,
      },
    );
    await waitFor('the store to recover', async () => (await health())?.status === 'ok', {
      timeoutMs: 60000,
    });
    expect(output).toMatch(/ferretdb exited unexpectedly .*restarting/);

    // Same for Temporal.
    process.kill(pids.temporal, 'SIGKILL');
    await waitFor('Temporal to recover', async () => (await health())?.status === 'ok', { timeoutMs: 90000 });
    expect(output).toMatch(/temporal exited unexpectedly .*restarting/);

    // Ctrl-C: the terminal signals the whole foreground process group.
    const allPids = { ...pids, ...readPids(path.join(dataDir, 'pids')) };
    const exited = new Promise<number | null>((resolve) => child!.once('exit', (code) => resolve(code)));
    process.kill(-child.pid!, 'SIGINT');
    expect(await exited).toBe(0);
    for (const [name, pid] of Object.entries(allPids)) {
      expect({ name, alive: alive(pid) }).toEqual({ name, alive: false });
    }
  });
});
