/**
 * The embedded document store: FerretDB with its SQLite handler, data in the data folder. Speaks the
 * MongoDB wire protocol on 127.0.0.1, so mongoose connects to it as to MongoDB.
 */
import fs from 'node:fs';
import path from 'node:path';
import mongoose from 'mongoose';
import type { Logger } from '../config/logger';
import { ManagedProcess } from '../infra/managed-process';
import { waitFor } from '../infra/wait';

export interface EmbeddedStoreOptions {
  binary: string;
  dataDir: string;
  port: number;
  logger: Logger;
  name?: string;
}

export function ferretDbServer(opts: EmbeddedStoreOptions): ManagedProcess {
  const dir = path.join(opts.dataDir, 'ferretdb');
  fs.mkdirSync(dir, { recursive: true });
  return new ManagedProcess({
    name: opts.name ?? 'ferretdb',
    command: opts.binary,
    args: [
      '--handler=sqlite',
      `--sqlite-url=file:${dir}/`,
      `--listen-addr=127.0.0.1:${opts.port}`,
      `--state-dir=${dir}`,
      '--debug-addr=-',
      '--telemetry=disable',
      '--log-level=warn',
    ],
    logger: opts.logger,
    pidDir: path.join(opts.dataDir, 'pids'),
    // Only the server's own errors reach our log above debug level.
    loudLines: /level=(ERROR|FATAL|DPANIC|PANIC)|\t(ERROR|FATAL|DPANIC|PANIC)\t|^panic:/,
  });
}

/** Waits until a MongoDB-protocol server at `uri` answers a ping. */
export async function waitForStore(uri: string, timeoutMs = 60000): Promise<void> {
  await waitFor(
    `the document store at ${uri}`,
    async () => {
      const conn = mongoose.createConnection(uri, { serverSelectionTimeoutMS: 1000 });
      try {
        await conn.asPromise();
        const result = await conn.db!.admin().command({ ping: 1 });
        return result.ok === 1;
      } finally {
        await conn.close().catch(() => undefined);
      }
    },
    { timeoutMs, intervalMs: 500 },
  );
}
