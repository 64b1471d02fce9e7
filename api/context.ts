/**
 * What the routes share: configuration, token settings, the store's repositories (while the store is
 * up) and the Temporal client. Routes ask for the store per request, so the API starts and answers
 * `/health` while the store is still down, and answers 503 on routes that need it.
 */
import type { Client } from '@temporalio/client';
import type { Connection } from 'mongoose';
import type { AppConfig } from '../config/env';
import type { Logger } from '../config/logger';
import { checkpointStoreFor, type CheckpointStore } from '../persistence/checkpoints';
import { computeLog, type ComputeLog } from '../persistence/compute-log';
import { experimentRepository, type ExperimentRepository } from '../persistence/experiments';
import { userRepository, type UserRepository } from '../persistence/users';
import type { TokenSettings } from './auth/jwt';
import { serviceUnavailable } from './errors';

export interface Repositories {
  users: UserRepository;
  experiments: ExperimentRepository;
  checkpoints: CheckpointStore;
  computeLog: ComputeLog;
}

export interface ApiContext {
  cfg: AppConfig;
  tokens: TokenSettings;
  log: Logger;
  /** The repositories; throws a 503 ApiError while the store is not connected. */
  repos(): Repositories;
  /** The Temporal client (its connection reconnects by itself). */
  temporal(): Client;
}

export function storeRepositories(cfg: AppConfig, current: () => Connection | undefined): () => Repositories {
  const cache = new WeakMap<Connection, Repositories>();
  return () => {
    const connection = current();
    if (!connection || connection.readyState !== 1) {
      throw serviceUnavailable('the document store is not reachable; try again shortly');
    }
    let repos = cache.get(connection);
    if (!repos) {
      repos = {
        users: userRepository(connection),
        experiments: experimentRepository(connection),
        checkpoints: checkpointStoreFor(cfg, connection),
        computeLog: computeLog(connection),
      };
      cache.set(connection, repos);
    }
    return repos;
  };
}
