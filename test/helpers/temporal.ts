/** Temporal clients and workers for integration tests, against the server the global setup started. */
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { loadConfig } from '../../config/env';
import { temporalAddress } from '../../temporal-config/connection';

export async function testClient(): Promise<{ client: Client; close(): Promise<void> }> {
  const cfg = loadConfig();
  const connection = await Connection.connect({ address: temporalAddress(cfg) });
  return {
    client: new Client({ connection, namespace: cfg.TEMPORAL_NAMESPACE }),
    close: () => connection.close(),
  };
}

export async function testWorker(
  options: Omit<WorkerOptions, 'connection' | 'namespace'>,
): Promise<{ worker: Worker; close(): Promise<void> }> {
  const cfg = loadConfig();
  const connection = await NativeConnection.connect({ address: temporalAddress(cfg) });
  const worker = await Worker.create({ ...options, connection, namespace: cfg.TEMPORAL_NAMESPACE });
  return { worker, close: () => connection.close() };
}
