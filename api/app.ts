/** The express application: routes and middleware, independent of how the server is started. */
import express, { type Express } from 'express';
import { healthReport, type HealthSources } from './health';

export interface AppDependencies {
  health: HealthSources;
}

export function createApp(deps: AppDependencies): Express {
  const app = express();
  app.disable('x-powered-by');

  app.get('/health', async (_req, res) => {
    const report = await healthReport(deps.health);
    res.status(report.status === 'ok' ? 200 : 503).json(report);
  });

  return app;
}
