/**
 * The API while Temporal is unreachable (a client pointed at a port nobody serves; the store is up):
 * health says so, submissions answer 503 and leave nothing behind, reads still answer from the store.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client, Connection } from '@temporalio/client';
import type { Connection as StoreConnection } from 'mongoose';
import { createApp } from '../../../api/app';
import { loadConfig } from '../../../config/env';
import { logger } from '../../../config/logger';
import { connectStore } from '../../../persistence/connection';
import { experimentRepository } from '../../../persistence/experiments';
import { call, registerAndLogin, tinyTraining } from './harness';

let server: http.Server;
let store: StoreConnection;
let temporal: Connection;
let api: { url: string };

beforeAll(async () => {
  const cfg = loadConfig({ ...process.env, PASSWORD_HASH_ROUNDS: '4', API_TEMPORAL_TIMEOUT_MS: '800' });
  store = await connectStore(cfg);
  temporal = Connection.lazy({ address: '127.0.0.1:1', connectTimeout: '1s' });
  const client = new Client({ connection: temporal, namespace: cfg.TEMPORAL_NAMESPACE });
  const app = createApp({
    cfg,
    log: logger('api-test', { temporal: 'down' }),
    health: { temporal: () => temporal, store: () => store, namespace: cfg.TEMPORAL_NAMESPACE },
    store: () => store,
    temporal: () => client,
  });
  server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  api = { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await store.close();
  await temporal.close().catch(() => undefined);
});

describe('with Temporal unreachable', () => {
  it('reports it in /health, refuses submissions with 503, and still serves what the store knows', async () => {
    const health = await call(api, 'GET', '/health');
    expect(health.status).toBe(503);
    expect(health.body.dependencies).toMatchObject({ temporal: { status: 'down' }, store: { status: 'up' } });

    const user = await registerAndLogin(api);
    const submitted = await call(api, 'POST', '/api/v1/experiments', {
      token: user.accessToken,
      json: tinyTraining(),
    });
    expect(submitted.status).toBe(503);
    expect(submitted.body.error.code).toBe('service_unavailable');
    const list = await call(api, 'GET', '/api/v1/experiments', { token: user.accessToken });
    expect(list.body.total).toBe(0);

    // An experiment stored earlier is still readable; control needs Temporal and says so.
    const id = `stored-${Date.now()}`;
    await experimentRepository(store).create({
      id,
      owner: user.id,
      name: 'stored',
      kind: 'training',
      queue: 'cpu',
      dataset: 'mnist',
      spec: {},
      workflowId: `experiment-${id}`,
    });
    const one = await call(api, 'GET', `/api/v1/experiments/${id}`, { token: user.accessToken });
    expect(one.status).toBe(200);
    expect(one.body.status).toBe('queued');
    const pause = await call(api, 'POST', `/api/v1/experiments/${id}/pause`, { token: user.accessToken });
    expect(pause.status).toBe(503);
    expect(pause.body.error).toEqual({
      code: 'service_unavailable',
      message: 'Temporal is not reachable; try again shortly',
    });
    await experimentRepository(store).remove(id);
  });
});
