/**
 * `GET /presets` (the gallery of ready experiments) and `GET /schema` (the experiment document's JSON
 * Schema). Public: they describe what may be submitted, nothing about anyone's experiments.
 */
import { Router } from 'express';
import { z } from 'zod';
import { PRESET_EXPERIMENTS } from '../../experiment-spec/gallery';
import { ExperimentInput } from '../../experiment-spec/schema';

type JsonSchema = Record<string, unknown>;
let cachedSchema: JsonSchema | undefined;

/**
 * The JSON Schema of what users submit (preset names allowed where an RPU configuration goes). Shared
 * sub-schemas become `$defs` (without them the document is over a megabyte).
 */
export function experimentJsonSchema(): JsonSchema {
  cachedSchema ??= {
    ...z.toJSONSchema(ExperimentInput, { io: 'input', unrepresentable: 'any', reused: 'ref' }),
    $id: '/api/v1/schema',
    title: 'Analog Composer experiment',
  };
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
