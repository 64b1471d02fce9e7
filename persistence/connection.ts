/** The store connection: one mongoose connection per process, FerretDB- and MongoDB-compatible. */
import mongoose, { type Connection } from 'mongoose';
import type { AppConfig } from '../config/env';

export function mongoUri(cfg: AppConfig): string {
  return cfg.MONGODB_URI ?? `mongodb://127.0.0.1:${cfg.FERRETDB_PORT}/`;
}

export async function connectStore(cfg: AppConfig): Promise<Connection> {
  const connection = mongoose.createConnection(mongoUri(cfg), {
    dbName: cfg.MONGODB_DATABASE,
    serverSelectionTimeoutMS: 5000,
    // FerretDB has no retryable writes on a standalone server; MongoDB does not need them here.
    retryWrites: false,
  });
  await connection.asPromise();
  return connection;
}

/** True when the store answers a ping. */
export async function storeHealthy(connection: Connection): Promise<boolean> {
  if (connection.readyState !== 1 || !connection.db) return false;
  const result = await connection.db.admin().command({ ping: 1 }, { timeoutMS: 2000 });
  return result.ok === 1;
}

/**
 * A store connection that survives the store being down: the first connect is retried in the
 * background until it succeeds (the driver reconnects by itself after that). `current()` is
 * undefined until then, which health checks report as "down".
 */
export interface ResilientStore {
  current(): Connection | undefined;
  /** Resolves once connected (or rejects after `timeoutMs`). */
  ready(timeoutMs?: number): Promise<Connection>;
  close(): Promise<void>;
}

export function resilientStore(
  cfg: AppConfig,
  onRetry: (err: Error, delayMs: number) => void = () => undefined,
): ResilientStore {
  let connection: Connection | undefined;
  let closed = false;
  let delay = 1000;
  const waiters: Array<(c: Connection) => void> = [];
  const attempt = async (): Promise<void> => {
    while (!closed && !connection) {
      try {
        const c = await connectStore(cfg);
        if (closed) {
          await c.close();
          return;
        }
        connection = c;
        for (const w of waiters.splice(0)) w(c);
      } catch (err) {
        onRetry(err as Error, delay);
        await new Promise((r) => setTimeout(r, delay));
        delay = Math.min(delay * 2, 15000);
      }
    }
  };
  void attempt();
  return {
    current: () => connection,
    ready: (timeoutMs = 60000) =>
      connection
        ? Promise.resolve(connection)
        : new Promise<Connection>((resolve, reject) => {
            const timer = setTimeout(
              () => reject(new Error('the document store did not come up')),
              timeoutMs,
            );
            waiters.push((c) => {
              clearTimeout(timer);
              resolve(c);
            });
          }),
    async close() {
      closed = true;
      await connection?.close();
    },
  };
}
