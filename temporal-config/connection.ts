/** Where the Temporal frontend is, and connections to it for clients, workers and health probes. */
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { temporal } from '@temporalio/proto';
import type { AppConfig } from '../config/env';
import { SEARCH_ATTRIBUTES } from './search-attributes';

export function temporalAddress(cfg: AppConfig): string {
  return cfg.TEMPORAL_ADDRESS ?? `127.0.0.1:${cfg.TEMPORAL_PORT}`;
}

/** Base URL of the Temporal Web UI, for links in logs, the API and the dashboard. */
export function temporalUiUrl(cfg: AppConfig): string {
  return cfg.TEMPORAL_UI_URL ?? `http://127.0.0.1:${cfg.TEMPORAL_UI_PORT}`;
}

/** A link to one workflow execution in the Temporal UI. */
export function workflowUiLink(cfg: AppConfig, workflowId: string, runId?: string): string {
  const base = `${temporalUiUrl(cfg)}/namespaces/${encodeURIComponent(cfg.TEMPORAL_NAMESPACE)}/workflows/${encodeURIComponent(workflowId)}`;
  return runId ? `${base}/${encodeURIComponent(runId)}` : base;
}

export async function connectClient(cfg: AppConfig): Promise<Client> {
  const connection = await Connection.connect({ address: temporalAddress(cfg), connectTimeout: '5s' });
  return new Client({ connection, namespace: cfg.TEMPORAL_NAMESPACE });
}

export function connectWorker(cfg: AppConfig): Promise<NativeConnection> {
  return NativeConnection.connect({ address: temporalAddress(cfg) });
}

// grpc.health.v1.HealthCheckResponse.ServingStatus.SERVING
const SERVING = 1;

/** True when the frontend answers its gRPC health check as SERVING. */
export async function temporalHealthy(connection: Connection): Promise<boolean> {
  const response = await connection.withDeadline(Date.now() + 2000, () => connection.healthService.check({}));
  return response.status === SERVING;
}

/**
 * Registers our search attributes on a server we did not start (the embedded one gets them as
 * start flags). Idempotent: attributes already present are left alone.
 */
export async function ensureSearchAttributes(connection: Connection, namespace: string): Promise<void> {
  const existing = await connection.operatorService.listSearchAttributes({ namespace });
  const missing = SEARCH_ATTRIBUTES.filter((key) => !(key.name in (existing.customAttributes ?? {})));
  if (missing.length === 0) return;
  await connection.operatorService.addSearchAttributes({
    namespace,
    searchAttributes: Object.fromEntries(
      missing.map((key) => [key.name, temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD]),
    ),
  });
}
