/** Helpers for describing routes in the OpenAPI registry with the common parts filled in. */
import type { OpenAPIRegistry, ResponseConfig, RouteConfig } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { ERROR_CODES } from '../errors';

export const ErrorResponse = z
  .object({
    error: z.object({
      code: z.enum(ERROR_CODES),
      message: z.string(),
      details: z
        .unknown()
        .optional()
        .meta({ description: 'e.g. the list of validation problems, each with its JSON path' }),
    }),
  })
  .meta({ id: 'Error', description: 'Every error response has this shape.' });

const errorDescriptions: Record<number, string> = {
  400: 'invalid input (malformed JSON, validation problems, query operators)',
  401: 'missing, invalid, expired or revoked credentials',
  403: 'the caller lacks the needed role',
  404: 'not found (or not visible to the caller)',
  409: 'conflict with the current state',
  413: 'request body over the limit',
  429: 'rate limit reached',
  503: 'a dependency (store or Temporal) is unreachable',
};

export function errorResponses(...statuses: number[]): Record<number, ResponseConfig> {
  return Object.fromEntries(
    statuses.map((status) => [
      status,
      {
        description: errorDescriptions[status] ?? 'error',
        content: { 'application/json': { schema: ErrorResponse } },
      },
    ]),
  );
}

export const json = (schema: z.ZodType, description: string): ResponseConfig => ({
  description,
  content: { 'application/json': { schema } },
});

export const jsonBody = (schema: z.ZodType | { $ref: string }, description?: string) => ({
  description,
  required: true,
  content: { 'application/json': { schema } },
});

export const BEARER = [{ bearerAuth: [] }];

/** Registers a route; authenticated routes get the 401 response and the bearer requirement. */
export function describeRoute(registry: OpenAPIRegistry, route: RouteConfig & { auth?: boolean }): void {
  const { auth = true, ...rest } = route;
  registry.registerPath({
    ...rest,
    security: auth ? BEARER : [],
    responses: { ...(auth ? errorResponses(401) : {}), ...rest.responses },
  });
}
