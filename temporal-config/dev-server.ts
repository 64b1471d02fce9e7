/**
 * The embedded Temporal server: the Temporal CLI's `server start-dev`, with SQLite persistence in the
 * data folder (so workflows survive restarts), the Web UI, and our search attributes registered.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import type { Logger } from '../config/logger';
import { ManagedProcess } from '../infra/managed-process';
import { waitFor } from '../infra/wait';
import { devServerSearchAttributeFlags } from './search-attributes';
import { temporalHealthy } from './connection';

export interface DevServerOptions {
  binary: string;
  dataDir: string;
  port: number;
  uiPort: number;
  /** No Web UI (tests). */
  headless?: boolean;
  namespace: string;
  logger: Logger;
  /** Name for logs and the pid file (default "temporal"). */
  name?: string;
}

export function temporalDevServer(opts: DevServerOptions): ManagedProcess {
  const dir = path.join(opts.dataDir, 'temporal');
  fs.mkdirSync(dir, { recursive: true });
  const args = [
    'server',
    'start-dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(opts.port),
    '--db-filename',
    path.join(dir, 'temporal.db'),
    '--namespace',
    opts.namespace,
    '--log-level',
    'warn',
    '--dynamic-config-value',
    'frontend.enableServerVersionCheck=false',
    // Our workflows list and count executions for the dashboards; allow the visibility calls often.
    '--dynamic-config-value',
    'frontend.namespaceRPS.visibility=1000',
    ...devServerSearchAttributeFlags(),
    ...(opts.headless ? ['--headless'] : ['--ui-ip', '127.0.0.1', '--ui-port', String(opts.uiPort)]),
  ];
  return new ManagedProcess({
    name: opts.name ?? 'temporal',
    command: opts.binary,
    args,
    logger: opts.logger,
    pidDir: path.join(opts.dataDir, 'pids'),
    // Only the server's own errors reach our log above debug level.
    loudLines: /level=(ERROR|FATAL|DPANIC|PANIC)|\t(ERROR|FATAL|DPANIC|PANIC)\t|^panic:/,
  });
}

/** Waits until the frontend at `address` reports SERVING. */
export async function waitForTemporal(address: string, timeoutMs = 60000): Promise<void> {
  await waitFor(
    `Temporal at ${address}`,
    async () => {
      const connection = await Connection.connect({ address, connectTimeout: '1s' });
      try {
        return await temporalHealthy(connection);
      } finally {
        await connection.close();
      }
    },
    { timeoutMs, intervalMs: 500 },
  );
}
