/** The experiment, preset and schema routes in the OpenAPI document. */
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { describeRoute, errorResponses, json, jsonBody } from '../openapi/registry';
import { experimentJsonSchema } from './catalogue';
import {
  Accepted,
  ControlAccepted,
  ExperimentDetail,
  ExperimentList,
  ListQuery,
  ResultsQuery,
  ValidationReport,
  idParam,
} from './schemas';

const DOCUMENT = 'ExperimentDocument';

/**
 * Registers the experiment document's JSON Schema as components: its `$defs` become sibling
 * components and every `#/$defs/x` reference is rewritten to point at them.
 */
function registerDocumentSchema(registry: OpenAPIRegistry): { $ref: string } {
  const {
    $defs,
    $schema: _s,
    $id: _i,
    ...root
  } = experimentJsonSchema() as Record<string, unknown> & {
    $defs?: Record<string, unknown>;
  };
  const rewrite = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(rewrite);
    if (value && typeof value === 'object') {
      return Object.fromEntries(
        Object.entries(value).map(([k, v]) => [
          k,
          k === '$ref' && typeof v === 'string' && v.startsWith('#/$defs/')
            ? `#/components/schemas/${DOCUMENT}_${v.slice('#/$defs/'.length)}`
            : rewrite(v),
        ]),
      );
    }
    return value;
  };
  for (const [name, schema] of Object.entries($defs ?? {})) {
    registry.registerComponent('schemas', `${DOCUMENT}_${name}`, rewrite(schema) as object);
  }
  registry.registerComponent('schemas', DOCUMENT, rewrite(root) as object);
  return { $ref: `#/components/schemas/${DOCUMENT}` };
}

const Presets = z
  .object({
    items: z.array(
      z.object({
        id: z.string(),
        title: z.string(),
        description: z.string(),
        document: z.record(z.string(), z.unknown()),
        full: z.record(z.string(), z.union([z.number(), z.null()])),
      }),
    ),
  })
  .meta({ id: 'PresetGallery' });

export function describeExperimentRoutes(registry: OpenAPIRegistry): void {
  const document = registerDocumentSchema(registry);
  const tags = ['experiments'];
  const base = '/api/v1/experiments';
  const params = { params: idParam };
  describeRoute(registry, {
    method: 'post',
    path: base,
    tags,
    summary:
      'Submit an experiment; it is validated (every problem reported at once) and its workflow started',
    request: { body: jsonBody(document, 'the experiment document (see GET /api/v1/schema)') },
    responses: {
      202: json(Accepted, 'accepted: the workflow is started'),
      ...errorResponses(400, 413, 503),
    },
  });
  describeRoute(registry, {
    method: 'post',
    path: `${base}/validate`,
    tags,
    summary: 'Validate a document without submitting it',
    request: { body: jsonBody(document) },
    responses: { 200: json(ValidationReport, 'the validation report') },
  });
  describeRoute(registry, {
    method: 'get',
    path: base,
    tags,
    summary: "The caller's experiments (admins: everyone's), paged, filtered and sorted",
    request: { query: ListQuery },
    responses: { 200: json(ExperimentList, 'a page of experiments'), ...errorResponses(400) },
  });
  describeRoute(registry, {
    method: 'get',
    path: `${base}/{id}`,
    tags,
    summary: 'One experiment: its spec with every default, status, timestamps, error',
    request: params,
    responses: { 200: json(ExperimentDetail, 'the experiment'), ...errorResponses(404) },
  });
  describeRoute(registry, {
    method: 'get',
    path: `${base}/{id}/results`,
    tags,
    summary: 'Learning curve, accuracy versus time after programming, histograms; CSV for the tables',
    request: { ...params, query: ResultsQuery },
    responses: {
      200: {
        description: 'the results',
        content: {
          'application/json': { schema: z.record(z.string(), z.unknown()).meta({ id: 'ExperimentResults' }) },
          'text/csv': { schema: z.string() },
        },
      },
      ...errorResponses(404),
    },
  });
  describeRoute(registry, {
    method: 'get',
    path: `${base}/{id}/events`,
    tags,
    summary: 'Server-Sent Events: `status`, `progress`, and `end` when the experiment finishes',
    request: params,
    responses: {
      200: { description: 'an event stream', content: { 'text/event-stream': { schema: z.string() } } },
      ...errorResponses(404),
    },
  });
  for (const action of ['cancel', 'pause', 'resume'] as const) {
    describeRoute(registry, {
      method: 'post',
      path: `${base}/{id}/${action}`,
      tags,
      summary: `Request ${action}; the workflow acts on it (the status follows)`,
      request: params,
      responses: { 202: json(ControlAccepted, 'requested'), ...errorResponses(404, 409) },
    });
  }
  describeRoute(registry, {
    method: 'post',
    path: `${base}/{id}/rerun`,
    tags,
    summary: 'A new experiment from the same spec',
    request: params,
    responses: { 202: json(Accepted, 'accepted'), ...errorResponses(400, 404, 503) },
  });
  describeRoute(registry, {
    method: 'delete',
    path: `${base}/{id}`,
    tags,
    summary: 'Delete a finished experiment with its results and checkpoints',
    request: params,
    responses: { 204: { description: 'deleted' }, ...errorResponses(404, 409) },
  });
  describeRoute(registry, {
    method: 'get',
    path: '/api/v1/presets',
    tags: ['catalogue'],
    auth: false,
    summary: 'The gallery of ready experiments',
    responses: { 200: json(Presets, 'presets') },
  });
  describeRoute(registry, {
    method: 'get',
    path: '/api/v1/schema',
    tags: ['catalogue'],
    auth: false,
    summary: 'The JSON Schema of experiment documents',
    responses: {
      200: { description: 'JSON Schema', content: { 'application/schema+json': { schema: document } } },
    },
  });
}
