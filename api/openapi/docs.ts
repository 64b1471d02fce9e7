/** `/api/openapi.json` (the generated document) and `/api/docs` (Swagger UI over it). */
import { Router } from 'express';
import swaggerUi from 'swagger-ui-express';
import type { ApiContext } from '../context';
import { pageSecurityHeaders, securityHeaders } from '../middleware/security';
import { openApiDocument } from './document';

export function docsRouter(_ctx: ApiContext): Router {
  const router = Router();
  router.get('/openapi.json', securityHeaders(), (_req, res) => {
    res.json(openApiDocument());
  });
  // Swagger UI loads its assets relative to the page: the page must be /api/docs/ (with the slash).
  router.get('/docs', (req, res, next) => {
    if (req.originalUrl.split('?')[0].endsWith('/docs')) res.redirect(301, '/api/docs/');
    else next();
  });
  router.use(
    '/docs',
    pageSecurityHeaders(),
    swaggerUi.serveFiles(undefined, { swaggerOptions: { url: '/api/openapi.json', validatorUrl: null } }),
    swaggerUi.setup(undefined, {
      customSiteTitle: 'Analog Composer API',
      swaggerOptions: { url: '/api/openapi.json', validatorUrl: null, persistAuthorization: true },
    }),
  );
  return router;
}
