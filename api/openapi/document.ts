/**
 * The OpenAPI 3.1 document, generated from the same zod schemas the routes validate with. Built once
 * per process (it does not change while running).
 */
import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';

type OpenAPIObject = ReturnType<OpenApiGeneratorV31['generateDocument']>;
import { describeAuthRoutes } from '../auth/openapi';
import { describeExperimentRoutes } from '../experiments/openapi';
import { describeRoute, json } from './registry';
import { z } from 'zod';

/** Each route module adds its paths through one of these. */
export type RouteDescriber = (registry: OpenAPIRegistry) => void;

const HealthReport = z
  .object({
    status: z.enum(['ok', 'degraded']),
    dependencies: z.record(
      z.string(),
      z.object({ status: z.enum(['up', 'down']), error: z.string().optional() }),
    ),
    queues: z.record(
      z.string(),
      z.object({ workflowPollers: z.number(), activityPollers: z.number(), served: z.boolean() }),
    ),
  })
  .meta({ id: 'HealthReport' });

const describers: RouteDescriber[] = [
  (registry) => {
    registry.registerComponent('securitySchemes', 'bearerAuth', {
      type: 'http',
      scheme: 'bearer',
      description: 'A JWT access token from /auth/login, or a personal API token (acp_...) from /auth/tokens',
    });
    describeRoute(registry, {
      method: 'get',
      path: '/api/v1/health',
      tags: ['system'],
      summary: 'Whether Temporal and the store are up, and who polls each task queue',
      auth: false,
      responses: { 200: json(HealthReport, 'all up'), 503: json(HealthReport, 'a dependency is down') },
    });
  },
  describeAuthRoutes,
  describeExperimentRoutes,
];

let cached: OpenAPIObject | undefined;

export function openApiDocument(): OpenAPIObject {
  if (cached) return cached;
  const registry = new OpenAPIRegistry();
  for (const describe of describers) describe(registry);
  cached = new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Analog Composer API',
      version: '1',
      description:
        'Analog in-memory-computing experiments as data. Submit an experiment, follow it, read its results. ' +
        'Errors always have the shape `{ error: { code, message, details } }`; every response carries `X-Request-Id`.',
    },
    servers: [{ url: '/' }],
    tags: [
      { name: 'auth', description: 'accounts, logins and personal API tokens' },
      { name: 'experiments', description: 'submit, follow and manage experiments' },
      { name: 'catalogue', description: 'presets and the experiment JSON Schema' },
      { name: 'admin', description: 'admins only' },
      { name: 'system' },
    ],
  });
  return cached;
}
