/**
 * The API in-process on an ephemeral port, against the real store and the real Temporal server the
 * global setup started; plus small HTTP helpers. Every test uses fresh emails, so test files never see
 * each other's users.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { Client, Connection } from '@temporalio/client';
import type { Connection as StoreConnection } from 'mongoose';
import { createApp } from '../../../api/app';
import { loadConfig, type AppConfig } from '../../../config/env';
import { logger } from '../../../config/logger';
import { PROJECT_ROOT } from '../../../config/paths';
import { connectStore } from '../../../persistence/connection';
import { temporalAddress } from '../../../temporal-config/connection';

export interface TestApi {
  url: string;
  cfg: AppConfig;
  store: StoreConnection;
  client: Client;
  close(): Promise<void>;
}

/** The API with test-friendly settings (cheap password hashes); `overrides` are environment variables. */
export async function startTestApi(overrides: Record<string, string> = {}): Promise<TestApi> {
  const cfg = loadConfig({ ...process.env, PASSWORD_HASH_ROUNDS: '4', ...overrides });
  const store = await connectStore(cfg);
  const connection = await Connection.connect({ address: temporalAddress(cfg) });
  const client = new Client({ connection, namespace: cfg.TEMPORAL_NAMESPACE });
  const app = createApp({
    cfg,
    log: logger('api-test'),
    health: { temporal: () => connection, store: () => store, namespace: cfg.TEMPORAL_NAMESPACE },
    store: () => store,
    temporal: () => client,
  });
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    cfg,
    store,
    client,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await Promise.all([store.close(), connection.close()]);
    },
  };
}

export interface Reply {
  status: number;
  headers: Headers;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- test assertions read arbitrary JSON
  body: any;
  text: string;
}

export async function call(
  api: { url: string },
  method: string,
  path: string,
  options: { token?: string; json?: unknown; rawBody?: string; headers?: Record<string, string> } = {},
): Promise<Reply> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let body: string | undefined;
  if (options.json !== undefined) {
    body = JSON.stringify(options.json);
    headers['content-type'] ??= 'application/json';
  } else if (options.rawBody !== undefined) {
    body = options.rawBody;
    headers['content-type'] ??= 'application/json';
  }
  const res = await fetch(`${api.url}${path}`, { method, headers, body, redirect: 'manual' });
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  return { status: res.status, headers: res.headers, body: parsed, text };
}

export const freshEmail = (label = 'user') => `${label}-${randomUUID().slice(0, 8)}@example.org`;

export interface TestUser {
  id: string;
  email: string;
  password: string;
  accessToken: string;
  refreshToken: string;
}

export async function registerAndLogin(api: { url: string }, email = freshEmail()): Promise<TestUser> {
  const password = `pw-${randomUUID()}`;
  const registered = await call(api, 'POST', '/api/v1/auth/register', { json: { email, password } });
  if (registered.status !== 201) throw new Error(`register failed: ${registered.status} ${registered.text}`);
  const login = await call(api, 'POST', '/api/v1/auth/login', { json: { email, password } });
  if (login.status !== 200) throw new Error(`login failed: ${login.status} ${login.text}`);
  return {
    id: login.body.user.id,
    email,
    password,
    accessToken: login.body.accessToken,
    refreshToken: login.body.refreshToken,
  };
}

/** Asserts the one error format and returns its code. */
export function errorCode(reply: Reply): string {
  expect(reply.body).toEqual({
    error: expect.objectContaining({ code: expect.any(String), message: expect.any(String) }),
  });
  expect(Object.keys(reply.body.error).every((k) => ['code', 'message', 'details'].includes(k))).toBe(true);
  return reply.body.error.code;
}

export interface ServerEvent {
  id?: string;
  event: string;
  data: unknown;
}

/**
 * Follows an SSE stream until the server ends it (or `timeoutMs` passes, then aborts), calling
 * `onEvent` for each event; returns every event received.
 */
export async function followEvents(
  api: { url: string },
  path: string,
  token: string,
  {
    timeoutMs = 60_000,
    onEvent,
  }: { timeoutMs?: number; onEvent?: (e: ServerEvent) => void | Promise<void> } = {},
): Promise<{ status: number; contentType: string | null; events: ServerEvent[]; ended: boolean }> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  const events: ServerEvent[] = [];
  let ended = false;
  try {
    const res = await fetch(`${api.url}${path}`, {
      headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' },
      signal: controller.signal,
    });
    if (!res.body || res.status !== 200)
      return { status: res.status, contentType: res.headers.get('content-type'), events, ended };
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      const reader = res.body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let split: number;
        while ((split = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, split);
          buffer = buffer.slice(split + 2);
          const fields: Record<string, string> = {};
          for (const line of block.split('\n')) {
            if (line.startsWith(':') || !line.includes(':')) continue;
            const at = line.indexOf(':');
            fields[line.slice(0, at)] = line.slice(at + 1).trimStart();
          }
          if (fields.data === undefined) continue;
          const event = {
            id: fields.id,
            event: fields.event ?? 'message',
            data: JSON.parse(fields.data) as unknown,
          };
          events.push(event);
          await onEvent?.(event);
        }
      }
      ended = true;
    } catch (err) {
      if ((err as Error).name !== 'AbortError') throw err;
    }
    return { status: res.status, contentType: res.headers.get('content-type'), events, ended };
  } finally {
    clearTimeout(timer);
  }
}

/** A training experiment small enough to finish in seconds (64 MNIST images, one epoch). */
export function tinyTraining(name = 'tiny', tags: string[] = [], queue: 'cpu' | 'gpu' | 'imc' = 'cpu') {
  return {
    apiVersion: 'analog-composer/v1',
    kind: 'training',
    name,
    tags,
    execution: { queue },
    dataset: { name: 'mnist', train_size: 64, test_size: 64 },
    model: {
      layers: [
        { type: 'Flatten' },
        { type: 'AnalogLinear', in_features: 784, out_features: 10 },
        { type: 'LogSoftmax', dim: 1 },
      ],
    },
    training: {
      epochs: 1,
      batch_size: 16,
      optimizer: { type: 'AnalogSGD', lr: 0.05 },
      loss: { type: 'NLLLoss' },
    },
  };
}

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the `analog` CLI as its own process (the package's bin), as a user would. */
export function runCli(
  args: string[],
  {
    env = {},
    stdin,
    timeoutMs = 120_000,
  }: { env?: Record<string, string>; stdin?: string; timeoutMs?: number } = {},
): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(PROJECT_ROOT, 'bin/analog.js'), ...args], {
      cwd: os.tmpdir(),
      env: { ...process.env, LOG_LEVEL: 'silent', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(stdin ?? '');
  });
}
