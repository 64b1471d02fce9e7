/**
 * The API process: connects to Temporal and the store (and keeps trying while either is down), serves
 * the express app, and shuts down cleanly on SIGINT/SIGTERM.
 */
import http from 'node:http';
import { Client, Connection } from '@temporalio/client';
import { config } from '../config/env';
import { logger } from '../config/logger';
import { exitWhenOrphaned } from '../infra/orphan-watch';
import { waitFor } from '../infra/wait';
import { resilientStore } from '../persistence/connection';
import { temporalAddress } from '../temporal-config/connection';
import { createApp } from './app';

export async function startApiServer(): Promise<{ server: http.Server; close(): Promise<void> }> {
  const cfg = config();
  const log = logger('api');
  // A lazy connection never fails up front; gRPC reconnects by itself when Temporal comes back.
  const temporalConnection = Connection.lazy({ address: temporalAddress(cfg) });
  const store = resilientStore(cfg, (err, delay) =>
    log.warn({ err: err.message }, `document store unreachable; retrying in ${delay / 1000} s`),
  );
  const temporalClient = new Client({ connection: temporalConnection, namespace: cfg.TEMPORAL_NAMESPACE });
  const app = createApp({
    cfg,
    log,
    health: { temporal: () => temporalConnection, store: store.current, namespace: cfg.TEMPORAL_NAMESPACE },
    store: store.current,
    temporal: () => temporalClient,
  });
  const server = http.createServer(app);
  // Requests still being answered: shutdown lets them finish before the store goes away.
  let inFlight = 0;
  server.on('request', (_req, res: http.ServerResponse) => {
    inFlight++;
    res.once('close', () => inFlight--);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(cfg.API_PORT, cfg.API_HOST, () => resolve());
  });
  log.info(`API listening on http://${cfg.API_HOST}:${cfg.API_PORT}`);
  return {
    server,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      // Let answers in progress finish (event streams never do: they are cut after the grace period).
      await waitFor('requests in flight to finish', async () => inFlight === 0, {
        timeoutMs: 5000,
        intervalMs: 50,
      }).catch(() => undefined);
      server.closeAllConnections();
      await closed;
      await Promise.all([store.close(), temporalConnection.close()]);
    },
  };
}

if (require.main === module) {
  startApiServer()
    .then(({ close }) => {
      const stop = () => {
        logger('api').info('shutting down');
        void close().then(() => process.exit(0));
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      exitWhenOrphaned(stop);
    })
    .catch((err) => {
      logger('api').fatal({ err }, 'the API could not start');
      process.exit(1);
    });
}
