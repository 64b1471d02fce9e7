/** What each `analog` command does. Everything goes through the REST API. */
import fs from 'node:fs';
import os from 'node:os';
import readline from 'node:readline';
import { ApiCallError, ApiClient, apiRoot } from './api-client';
import { configPath, DEFAULT_API_URL, readSettings, writeSettings, type CliSettings } from './config-file';
import { CliError, EXIT_FAILURE, EXIT_OK, usageError } from './errors';
import { followExperiment } from './events';
import { duration, localTime, percent, table } from './format';
import { ProgressPrinter, type ProgressView } from './progress';

export interface GlobalOptions {
  api?: string;
}

export interface Io {
  out: NodeJS.WriteStream;
  err: NodeJS.WriteStream;
  env: NodeJS.ProcessEnv;
}

function apiUrl(global: GlobalOptions, settings: CliSettings, env: NodeJS.ProcessEnv): string {
  return apiRoot(global.api ?? env.ANALOG_API_URL ?? settings.apiUrl ?? DEFAULT_API_URL);
}

/** A client with the stored token (or ANALOG_TOKEN); fails with a hint when there is none. */
function authedClient(global: GlobalOptions, io: Io): ApiClient {
  const settings = readSettings(configPath(io.env));
  const token = io.env.ANALOG_TOKEN ?? settings.token;
  if (!token) throw new CliError('not logged in: run "analog login" first');
  return new ApiClient({ baseUrl: apiUrl(global, settings, io.env), token });
}

function publicClient(global: GlobalOptions, io: Io): ApiClient {
  const settings = readSettings(configPath(io.env));
  return new ApiClient({ baseUrl: apiUrl(global, settings, io.env) });
}

const print = (io: Io, text: string) => io.out.write(text.endsWith('\n') ? text : `${text}\n`);
const printJson = (io: Io, value: unknown) => print(io, JSON.stringify(value, null, 2));
const path = (id: string) => `/api/v1/experiments/${encodeURIComponent(id)}`;

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Asks on the terminal; the password is not echoed. */
async function prompt(question: string, { hidden = false } = {}): Promise<string> {
  if (!process.stdin.isTTY)
    throw usageError(`${question.replace(/:\s*$/, '')} is needed: pass it as an option`);
  const rl = readline.createInterface({ input: process.stdin, output: process.stderr, terminal: true });
  if (hidden) {
    const writer = rl as unknown as { _writeToOutput: (s: string) => void; output: NodeJS.WriteStream };
    writer._writeToOutput = (s: string) => {
      if (s.startsWith(question)) writer.output.write(s);
    };
  }
  try {
    return await new Promise<string>((resolve) => rl.question(question, resolve));
  } finally {
    if (hidden) process.stderr.write('\n');
    rl.close();
  }
}

export async function login(
  global: GlobalOptions,
  options: { email?: string; passwordStdin?: boolean; token?: string; tokenName?: string },
  io: Io,
): Promise<number> {
  const file = configPath(io.env);
  const settings = readSettings(file);
  const baseUrl = apiUrl(global, settings, io.env);
  if (options.token) {
    const client = new ApiClient({ baseUrl, token: options.token });
    const me = await client.json<{ user: { email: string } }>('GET', '/api/v1/auth/me');
    writeSettings({ apiUrl: baseUrl, token: options.token, email: me.user.email }, file);
    print(io, `logged in as ${me.user.email} (token saved in ${file})`);
    return EXIT_OK;
  }
  const email = options.email ?? (await prompt('Email: '));
  const password = options.passwordStdin
    ? (await readStdin()).replace(/\r?\n$/, '')
    : (io.env.ANALOG_PASSWORD ?? (await prompt('Password: ', { hidden: true })));
  const anonymous = new ApiClient({ baseUrl });
  const session = await anonymous.json<{ accessToken: string; user: { email: string } }>(
    'POST',
    '/api/v1/auth/login',
    {
      email,
      password,
    },
  );
  // A personal API token, not the short-lived access token: the CLI keeps working for months and the
  // token can be revoked on its own (analog logout, or DELETE /api/v1/auth/tokens/:id).
  const withSession = new ApiClient({ baseUrl, token: session.accessToken });
  const created = await withSession.json<{ id: string; token: string }>('POST', '/api/v1/auth/tokens', {
    name: options.tokenName ?? `analog CLI on ${os.hostname()}`.slice(0, 100),
  });
  writeSettings(
    { apiUrl: baseUrl, token: created.token, tokenId: created.id, email: session.user.email },
    file,
  );
  print(io, `logged in as ${session.user.email} (token saved in ${file})`);
  return EXIT_OK;
}

export async function logout(global: GlobalOptions, io: Io): Promise<number> {
  const file = configPath(io.env);
  const settings = readSettings(file);
  if (!settings.token) {
    print(io, 'not logged in');
    return EXIT_OK;
  }
  if (settings.tokenId) {
    const client = new ApiClient({ baseUrl: apiUrl(global, settings, io.env), token: settings.token });
    await client.json('DELETE', `/api/v1/auth/tokens/${settings.tokenId}`).catch((err: unknown) => {
      if (!(err instanceof ApiCallError && (err.status === 401 || err.status === 404))) throw err;
    });
  }
  writeSettings({ apiUrl: settings.apiUrl }, file);
  print(io, 'logged out (the token was revoked)');
  return EXIT_OK;
}

interface SpecIssueView {
  path: string;
  message: string;
  severity?: string;
}

function printIssues(io: Io, issues: SpecIssueView[]): void {
  for (const issue of issues)
    io.err.write(`  ${issue.severity === 'warning' ? 'warning' : 'error'} ${issue.path}: ${issue.message}\n`);
}

export async function submit(
  global: GlobalOptions,
  file: string,
  options: { watch?: boolean },
  io: Io,
): Promise<number> {
  let text: string;
  try {
    text = file === '-' ? await readStdin() : fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new CliError(
      `cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
    );
  }
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (err) {
    throw new CliError(`${file} is not valid JSON: ${(err as Error).message}`);
  }
  const client = authedClient(global, io);
  let accepted: { id: string; workflowId: string; warnings: SpecIssueView[] };
  try {
    accepted = await client.json('POST', '/api/v1/experiments', document);
  } catch (err) {
    if (err instanceof ApiCallError && err.code === 'validation_failed' && Array.isArray(err.details)) {
      io.err.write(`${file} was not accepted:\n`);
      printIssues(io, err.details as SpecIssueView[]);
      return EXIT_FAILURE;
    }
    throw err;
  }
  if (accepted.warnings.length > 0) printIssues(io, accepted.warnings);
  print(io, `submitted ${accepted.id} (workflow ${accepted.workflowId})`);
  if (!options.watch) return EXIT_OK;
  return watchExperiment(client, accepted.id, io);
}

interface StatusEvent {
  status: string;
  statusMessage?: string;
  error?: { message: string } | null;
}

async function watchExperiment(client: ApiClient, id: string, io: Io): Promise<number> {
  const printer = new ProgressPrinter(io.out);
  let lastStatus = '';
  let finalError: string | undefined;
  const end = (await followExperiment(client, id, (event) => {
    if (event.event === 'status') {
      const s = event.data as StatusEvent;
      const line = `status: ${s.status}${s.statusMessage ? ` (${s.statusMessage})` : ''}`;
      if (line !== lastStatus) printer.message(line);
      lastStatus = line;
      if (s.error?.message) finalError = s.error.message;
    } else if (event.event === 'progress') {
      printer.progress(event.data as ProgressView);
    }
  })) as { status?: string } | undefined;
  printer.done();
  const status = end?.status ?? 'unknown';
  if (status === 'completed') {
    print(io, `${id} completed; results: analog results ${id}`);
    return EXIT_OK;
  }
  io.err.write(`${id} ${status}${finalError ? `: ${finalError}` : ''}\n`);
  return EXIT_FAILURE;
}

export async function watch(global: GlobalOptions, id: string, io: Io): Promise<number> {
  return watchExperiment(authedClient(global, io), id, io);
}

interface Summary {
  id: string;
  name: string;
  kind: string;
  status: string;
  statusMessage: string;
  queue: string;
  dataset: string;
  tags: string[];
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  progress: ProgressView | null;
}

export async function list(
  global: GlobalOptions,
  options: {
    status?: string;
    kind?: string;
    tag?: string;
    sort?: string;
    page?: string;
    pageSize?: string;
    json?: boolean;
  },
  io: Io,
): Promise<number> {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries({
    status: options.status,
    kind: options.kind,
    tag: options.tag,
    sort: options.sort,
    page: options.page,
    pageSize: options.pageSize,
  })) {
    if (value !== undefined) query.set(key, value);
  }
  const page = await authedClient(global, io).json<{
    items: Summary[];
    page: number;
    pageSize: number;
    total: number;
  }>('GET', `/api/v1/experiments${query.size > 0 ? `?${query}` : ''}`);
  if (options.json) {
    printJson(io, page);
    return EXIT_OK;
  }
  if (page.items.length === 0) {
    print(io, 'no experiments');
    return EXIT_OK;
  }
  print(
    io,
    table(
      ['ID', 'NAME', 'KIND', 'STATUS', 'QUEUE', 'CREATED'],
      page.items.map((e) => [e.id, e.name, e.kind, e.status, e.queue, localTime(e.createdAt)]),
    ),
  );
  const pages = Math.max(1, Math.ceil(page.total / page.pageSize));
  print(io, `page ${page.page} of ${pages} (${page.total} experiments)`);
  return EXIT_OK;
}

export async function status(
  global: GlobalOptions,
  id: string,
  options: { json?: boolean },
  io: Io,
): Promise<number> {
  const e = await authedClient(global, io).json<
    Summary & { error: { message: string } | null; description: string }
  >('GET', path(id));
  if (options.json) {
    printJson(io, e);
    return EXIT_OK;
  }
  const p = e.progress;
  const lines = [
    ['id', e.id],
    ['name', e.name],
    ['kind', `${e.kind} on ${e.dataset} (queue ${e.queue})`],
    ['status', `${e.status}${e.statusMessage ? ` (${e.statusMessage})` : ''}`],
    ['created', localTime(e.createdAt)],
    ['started', localTime(e.startedAt)],
    ['finished', localTime(e.finishedAt)],
  ];
  if (p?.totalEpochs) lines.push(['epoch', `${p.epoch ?? 0}/${p.totalEpochs}`]);
  if (p?.metrics?.test_accuracy !== undefined && p.metrics.test_accuracy !== null) {
    lines.push(['accuracy', percent(p.metrics.test_accuracy)]);
  }
  if (p?.etaSeconds !== undefined && p.etaSeconds !== null && !e.finishedAt)
    lines.push(['eta', duration(p.etaSeconds)]);
  if (e.tags.length > 0) lines.push(['tags', e.tags.join(', ')]);
  if (e.error) lines.push(['error', e.error.message]);
  print(io, table(['', ''], lines).split('\n').slice(1).join('\n'));
  return EXIT_OK;
}

interface Results {
  learning_curve: Array<{
    epoch: number;
    train_loss: number | null;
    test_loss: number | null;
    test_accuracy: number | null;
    time_epoch: number;
  }>;
  inference: Array<{
    t_inference: number;
    accuracy_mean: number | null;
    accuracy_std: number | null;
    repeats: number;
  }>;
  histograms: unknown[];
  timings: { total_s?: number };
}

export async function results(
  global: GlobalOptions,
  id: string,
  options: { json?: boolean; csv?: boolean; table?: string },
  io: Io,
): Promise<number> {
  if (options.json && options.csv) throw usageError('choose one of --json and --csv');
  const client = authedClient(global, io);
  if (options.csv) {
    const query = new URLSearchParams({ format: 'csv', ...(options.table ? { table: options.table } : {}) });
    io.out.write(await client.text(`${path(id)}/results?${query}`, 'text/csv'));
    return EXIT_OK;
  }
  const r = await client.json<Results>('GET', `${path(id)}/results`);
  if (options.json) {
    printJson(io, r);
    return EXIT_OK;
  }
  const num = (v: number | null, digits = 4) => (v === null ? 'diverged' : v.toFixed(digits));
  if (r.learning_curve.length > 0) {
    print(io, 'learning curve');
    print(
      io,
      table(
        ['EPOCH', 'TRAIN LOSS', 'TEST LOSS', 'TEST ACC', 'TIME'],
        r.learning_curve.map((row) => [
          row.epoch,
          num(row.train_loss),
          num(row.test_loss),
          percent(row.test_accuracy, 2),
          duration(row.time_epoch),
        ]),
      ),
    );
  }
  if (r.inference.length > 0) {
    print(io, '\naccuracy after programming');
    print(
      io,
      table(
        ['T_INFERENCE', 'ACC MEAN', 'ACC STD', 'REPEATS'],
        r.inference.map((row) => [
          `${row.t_inference} s`,
          percent(row.accuracy_mean, 2),
          percent(row.accuracy_std, 2),
          row.repeats,
        ]),
      ),
    );
  }
  if (r.histograms.length > 0) print(io, `\n${r.histograms.length} histograms (see --json)`);
  if (r.timings.total_s !== undefined) print(io, `total time ${duration(r.timings.total_s)}`);
  return EXIT_OK;
}

export async function control(
  global: GlobalOptions,
  action: 'cancel' | 'pause' | 'resume',
  id: string,
  io: Io,
): Promise<number> {
  const reply = await authedClient(global, io).json<{ status: string }>('POST', `${path(id)}/${action}`);
  print(io, `${action} requested for ${id} (status now ${reply.status})`);
  return EXIT_OK;
}

interface Preset {
  id: string;
  title: string;
  description: string;
  document: unknown;
}

export async function presets(
  global: GlobalOptions,
  id: string | undefined,
  options: { json?: boolean },
  io: Io,
): Promise<number> {
  const { items } = await publicClient(global, io).json<{ items: Preset[] }>('GET', '/api/v1/presets');
  if (id) {
    const preset = items.find((p) => p.id === id);
    if (!preset) throw new CliError(`no preset "${id}"; "analog presets" lists them`);
    printJson(io, preset.document);
    return EXIT_OK;
  }
  if (options.json) {
    printJson(io, items);
    return EXIT_OK;
  }
  print(
    io,
    table(
      ['ID', 'TITLE'],
      items.map((p) => [p.id, p.title]),
    ),
  );
  print(
    io,
    '\n"analog presets <id> > experiment.json" writes one out; "analog submit experiment.json" runs it.',
  );
  return EXIT_OK;
}

export async function schema(global: GlobalOptions, io: Io): Promise<number> {
  io.out.write(`${await publicClient(global, io).text('/api/v1/schema', 'application/schema+json')}\n`);
  return EXIT_OK;
}
