/**
 * Brings up what the system depends on: the Temporal server and the document store. Each is the
 * embedded one (built with Go on first use, started here) unless the configuration names an external
 * one. A server already answering on the embedded port is reused rather than started twice.
 */
import { Connection } from '@temporalio/client';
import type { AppConfig } from '../../config/env';
import type { Logger } from '../../config/logger';
import { ensureGoTool, FERRETDB, TEMPORAL_CLI } from '../../infra/go-tools';
import type { ManagedProcess } from '../../infra/managed-process';
import { portOpen } from '../../infra/wait';
import { mongoUri } from '../../persistence/connection';
import { ferretDbServer, waitForStore } from '../../persistence/embedded-store';
import { ensureSearchAttributes, temporalAddress } from '../../temporal-config/connection';
import { temporalDevServer, waitForTemporal } from '../../temporal-config/dev-server';

export interface Infrastructure {
  temporalAddress: string;
  mongoUri: string;
  /** The processes we started (none for external or reused servers). */
  temporal?: ManagedProcess;
  store?: ManagedProcess;
  stop(): Promise<void>;
}

export async function startInfrastructure(
  cfg: AppConfig,
  log: Logger,
  { headless = false }: { headless?: boolean } = {},
): Promise<Infrastructure> {
  const infra: Infrastructure = {
    temporalAddress: temporalAddress(cfg),
    mongoUri: mongoUri(cfg),
    async stop() {
      await Promise.all([infra.temporal?.stop(), infra.store?.stop()]);
    },
  };
  const progress = (line: string) => log.info({ component: 'go-build' }, line);
  const starts: Promise<void>[] = [];

  if (cfg.MONGODB_URI) {
    log.info(`using the external document store (MONGODB_URI)`);
    starts.push(waitForStore(infra.mongoUri, 30000));
  } else if (await portOpen('127.0.0.1', cfg.FERRETDB_PORT)) {
    log.info(`a document store already answers on 127.0.0.1:${cfg.FERRETDB_PORT}; reusing it`);
    starts.push(waitForStore(infra.mongoUri, 30000));
  } else {
    const binary = await ensureGoTool(cfg.TOOLS_DIR, FERRETDB, progress);
    infra.store = ferretDbServer({ binary, dataDir: cfg.DATA_DIR, port: cfg.FERRETDB_PORT, logger: log });
    infra.store.start();
    starts.push(waitForStore(infra.mongoUri));
  }

  if (cfg.TEMPORAL_ADDRESS) {
    log.info(`using the external Temporal server at ${cfg.TEMPORAL_ADDRESS}`);
    starts.push(
      waitForTemporal(infra.temporalAddress, 30000).then(async () => {
        const connection = await Connection.connect({ address: infra.temporalAddress });
        try {
          await ensureSearchAttributes(connection, cfg.TEMPORAL_NAMESPACE);
        } finally {
          await connection.close();
        }
      }),
    );
  } else if (await portOpen('127.0.0.1', cfg.TEMPORAL_PORT)) {
    log.info(`a Temporal server already answers on 127.0.0.1:${cfg.TEMPORAL_PORT}; reusing it`);
    starts.push(waitForTemporal(infra.temporalAddress, 30000));
  } else {
    const binary = await ensureGoTool(cfg.TOOLS_DIR, TEMPORAL_CLI, progress);
    infra.temporal = temporalDevServer({
      binary,
      dataDir: cfg.DATA_DIR,
      port: cfg.TEMPORAL_PORT,
      uiPort: cfg.TEMPORAL_UI_PORT,
      headless,
      namespace: cfg.TEMPORAL_NAMESPACE,
      logger: log,
    });
    infra.temporal.start();
    starts.push(waitForTemporal(infra.temporalAddress));
  }

  try {
    await Promise.all(starts);
  } catch (err) {
    await infra.stop();
    throw err;
  }
  return infra;
}
