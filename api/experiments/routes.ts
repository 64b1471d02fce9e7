/** `/api/v1/experiments`: submit, list, read, follow, control, rerun and delete experiments. */
import { Router, type Request } from 'express';
import { z } from 'zod';
import type { ApiContext } from '../context';
import { notFound } from '../errors';
import { principal, requireAuth } from '../auth/middleware';
import { parseParams, parseQuery } from '../middleware/validate';
import { resultsCsv, type ResultsTable } from './csv';
import { experimentEventHub, type ExperimentEventHub } from './events';
import { ListQuery, ResultsQuery } from './schemas';
import { experimentService } from './service';

const idParam = z.object({ id: z.string().min(1) });

export function experimentsRouter(ctx: ApiContext): { router: Router; events: ExperimentEventHub } {
  const router = Router();
  const service = experimentService(ctx);
  const events = experimentEventHub(ctx, service);
  router.use(requireAuth(ctx));

  const visible = (req: Request) => service.findVisible(principal(req), parseParams(req, idParam).id);

  router.post('/', async (req, res) => {
    const accepted = await service.submit(principal(req), req.body);
    res.status(202).location(accepted.links.self).json(accepted);
  });

  router.post('/validate', async (req, res) => {
    const result = await service.validate(principal(req), req.body);
    res.json({
      valid: result.ok,
      issues: result.issues,
      ...(result.ok ? { spec: result.spec } : {}),
      estimate: result.estimate,
    });
  });

  router.get('/', async (req, res) => {
    const query = parseQuery(req, ListQuery);
    const who = principal(req);
    // Users see their own experiments; admins see everyone's, or one user's with ?owner=.
    const owner = who.role === 'admin' ? query.owner : who.userId;
    const body = await service.listBody({
      owner,
      status: query.status,
      kind: query.kind,
      tag: query.tag,
      sort: query.sort,
      page: query.page,
      pageSize: query.pageSize,
      withoutSpec: true,
    });
    res.type('application/json').send(body);
  });

  router.get('/:id', async (req, res) => {
    const record = await service.reconciled(await visible(req));
    res.json(service.detailView(record));
  });

  router.get('/:id/results', async (req, res) => {
    const record = await visible(req);
    const query = parseQuery(req, ResultsQuery);
    const results = await ctx.repos().experiments.getResults(record._id);
    if (!results) {
      throw notFound(`experiment "${record._id}" has no results yet (it is ${record.status})`);
    }
    const wantsCsv =
      query.format === 'csv' || (query.format === undefined && req.accepts(['json', 'csv']) === 'csv');
    if (wantsCsv) {
      const table: ResultsTable =
        query.table ?? (record.kind === 'training' ? 'learning_curve' : 'inference');
      res
        .type('text/csv; charset=utf-8')
        .setHeader('Content-Disposition', `attachment; filename="${record._id}-${table}.csv"`)
        .send(resultsCsv(results, table));
      return;
    }
    res.json({ ...results, status: record.status });
  });

  router.get('/:id/events', async (req, res) => {
    const record = await visible(req);
    events.serve(res, record);
  });

  router.post('/:id/cancel', async (req, res) => {
    const record = await visible(req);
    res.status(202).json({ id: record._id, requested: 'cancel', status: await service.cancel(record) });
  });

  router.post('/:id/pause', async (req, res) => {
    const record = await visible(req);
    res.status(202).json({ id: record._id, requested: 'pause', status: await service.pause(record) });
  });

  router.post('/:id/resume', async (req, res) => {
    const record = await visible(req);
    res.status(202).json({ id: record._id, requested: 'resume', status: await service.resume(record) });
  });

  router.post('/:id/rerun', async (req, res) => {
    const record = await visible(req);
    const accepted = await service.submit(principal(req), record.spec, { rerunOf: record._id });
    res
      .status(202)
      .location(accepted.links.self)
      .json({ ...accepted, rerunOf: record._id });
  });

  router.delete('/:id', async (req, res) => {
    const record = await visible(req);
    await service.remove(record);
    res.status(204).end();
  });

  return { router, events };
}
