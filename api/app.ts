/** The express application: routes and middleware, independent of how the server is started. */
import type { Client } from '@temporalio/client';
import express, { type Express } from 'express';
import type { Connection } from 'mongoose';
import type { AppConfig } from '../config/env';
import { logger as rootLogger, type Logger } from '../config/logger';
import { jwtSecret } from '../config/secrets';
import { adminUsersRouter, authRouter } from './auth/routes';
import { storeRepositories, type ApiContext } from './context';
import { dashboardRouter } from './dashboard/router';
import { catalogueRouter } from './experiments/catalogue';
import { experimentsRouter } from './experiments/routes';
import { errorHandler, notFoundHandler } from './errors';
import { healthReport, type HealthSources } from './health';
import { corsAllowList, jsonBody, rejectQueryOperators, securityHeaders } from './middleware/security';
import { requestContext } from './middleware/request-id';
import { docsRouter } from './openapi/docs';

export interface AppDependencies {
  cfg: AppConfig;
  health: HealthSources;
  /** The store connection, undefined while the store is not (yet) reachable. */
  store: () => Connection | undefined;
  /** The Temporal client. */
  temporal: () => Client;
  log?: Logger;
}

export function createApp(deps: AppDependencies): Express {
  const { cfg } = deps;
  const log = deps.log ?? rootLogger('api');
  const ctx: ApiContext = {
    cfg,
    log,
    tokens: {
      secret: jwtSecret(cfg),
      accessTtlSeconds: cfg.JWT_ACCESS_TTL_SECONDS,
      refreshTtlSeconds: cfg.JWT_REFRESH_TTL_SECONDS,
    },
    repos: storeRepositories(cfg, deps.store),
    temporal: deps.temporal,
  };

  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', cfg.API_TRUST_PROXY_HOPS);
  app.set('etag', false);
  app.use(requestContext(log));

  const health: express.RequestHandler = async (_req, res) => {
    const report = await healthReport(deps.health);
    res.status(report.status === 'ok' ? 200 : 503).json(report);
  };
  app.get('/health', securityHeaders(), health);

  // The JSON API: strict headers, the CORS allow-list, bounded JSON bodies, no query operators.
  const api = express.Router();
  api.use(securityHeaders(), corsAllowList(cfg), jsonBody(cfg), rejectQueryOperators);
  api.get('/health', health);
  api.use('/auth', authRouter(ctx));
  api.use('/admin/users', adminUsersRouter(ctx));
  api.use('/experiments', experimentsRouter(ctx).router);
  api.use(catalogueRouter());
  app.use('/api/v1', api);

  app.use('/api', docsRouter(ctx));
  app.use('/admin', jsonBody(cfg), rejectQueryOperators, dashboardRouter(ctx));

  app.use(notFoundHandler);
  app.use(errorHandler);
  return app;
}
