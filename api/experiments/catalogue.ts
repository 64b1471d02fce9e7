/**
 * `GET /presets` (the gallery of ready experiments) and `GET /schema` (the experiment document's JSON
 * Schema). Public: they describe what may be submitted, nothing about anyone's experiments.
 */
import { Router } from 'express';
import { PRESET_EXPERIMENTS } from '../../experiment-spec/gallery';
import {
  experimentJsonSchema as generateJsonSchema,
  type JsonSchema,
} from '../../experiment-spec/json-schema';

let cachedSchema: JsonSchema | undefined;

/** The JSON Schema of what users submit (generated once per process). */
export function experimentJsonSchema(): JsonSchema {
  cachedSchema ??= generateJsonSchema('input');
  return cachedSchema;
}

export function catalogueRouter(): Router {
  const router = Router();
  router.get('/presets', (_req, res) => {
    res.json({
      items: PRESET_EXPERIMENTS.map((p) => ({
        id: p.id,
        title: p.title,
        description: p.description,
        document: p.document,
        full: p.full,
      })),
    });
  });
  router.get('/schema', (_req, res) => {
    res.type('application/schema+json').send(JSON.stringify(experimentJsonSchema()));
  });
  return router;
}
