/**
 * `/admin`: the operator dashboard. bull-board at `/admin/queues` (admins only) shows one board queue
 * per Temporal task queue, read-only, each job linking to its run in the Temporal UI; `/admin/login`
 * is a plain form that gives an admin's browser a session cookie for it.
 */
import { createBullBoard } from '@bull-board/api';
import { ExpressAdapter } from '@bull-board/express';
import express, { Router, type Request, type RequestHandler } from 'express';
import { ALL_TASK_QUEUES } from '../../contracts/queues';
import { temporalUiUrl, workflowUiLink } from '../../temporal-config/connection';
import { authenticate, bearerCredential } from '../auth/middleware';
import { issueTokens } from '../auth/jwt';
import { verifyCredentials } from '../auth/credentials';
import { authRateLimits } from '../auth/rate-limits';
import type { ApiContext } from '../context';
import { errorBody } from '../errors';
import { pageSecurityHeaders } from '../middleware/security';
import { loginPage, refusalPage } from './pages';
import { clearSessionCookie, readCookie, SESSION_COOKIE, setSessionCookie } from './session';
import { TemporalQueueAdapter } from './temporal-queue-adapter';
import { cachedVisibility, type VisibilitySource } from './visibility';

export const DASHBOARD_BASE = '/admin/queues';

function wantsHtml(req: Request): boolean {
  return !req.path.startsWith('/api/') && req.accepts(['json', 'html']) === 'html';
}

/** Admins only: a bearer credential or the dashboard cookie; browsers without one go to the login form. */
function adminGuard(ctx: ApiContext): RequestHandler {
  return async (req, res, next) => {
    const credential = bearerCredential(req) ?? readCookie(req, SESSION_COOKIE);
    const who = credential ? await authenticate(ctx, credential) : undefined;
    if (!who) {
      if (wantsHtml(req)) {
        res.redirect(303, '/admin/login');
        return;
      }
      res
        .status(401)
        .json(errorBody('unauthorized', 'sign in as an admin: /admin/login, or send a bearer token'));
      return;
    }
    req.principal = who;
    if (who.role !== 'admin') {
      if (wantsHtml(req)) {
        res
          .status(403)
          .type('html')
          .send(refusalPage('Admins only', 'The operator dashboard is for admins.'));
        return;
      }
      res.status(403).json(errorBody('forbidden', 'the operator dashboard is for admins'));
      return;
    }
    next();
  };
}

export function dashboardRouter(ctx: ApiContext, visibility?: VisibilitySource): Router {
  const router = Router();
  const source =
    visibility ??
    cachedVisibility(
      () => ctx.temporal(),
      () => {
        try {
          return ctx.repos().experiments;
        } catch {
          return undefined; // the store is down: the board still shows Temporal's view
        }
      },
      ctx.cfg.TEMPORAL_NAMESPACE,
      ctx.cfg.DASHBOARD_CACHE_MS,
    );
  const limits = authRateLimits(ctx.cfg);

  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(DASHBOARD_BASE);
  createBullBoard({
    queues: ALL_TASK_QUEUES.map(
      (queue) =>
        new TemporalQueueAdapter(queue, source, {
          uiLink: (id, runId) => workflowUiLink(ctx.cfg, id, runId),
        }),
    ),
    serverAdapter,
    options: {
      uiConfig: {
        boardTitle: 'Analog Composer: task queues',
        hideRedisDetails: true,
        showMetrics: false,
        hideDocsLink: true,
        miscLinks: [
          { text: 'Temporal UI', url: temporalUiUrl(ctx.cfg) },
          { text: 'API docs', url: '/api/docs' },
          { text: 'Sign out', url: '/admin/logout' },
        ],
      },
    },
  });
  // Replaces bull-board's default, which sends the thrown message (and in development the stack).
  serverAdapter.setErrorHandler((err: Error) => {
    ctx.log.error({ err }, 'dashboard request failed');
    return {
      status: 500,
      body: { error: { key: 'ERRORS.INTERNAL_SERVER_ERROR' }, message: 'internal error' },
    };
  });

  router.use(pageSecurityHeaders());

  router.get('/login', (_req, res) => {
    res.type('html').send(loginPage());
  });

  router.post(
    '/login',
    express.urlencoded({ extended: false, limit: '10kb' }),
    ...limits.login,
    async (req, res) => {
      const { email, password } = (req.body ?? {}) as { email?: unknown; password?: unknown };
      if (typeof email !== 'string' || typeof password !== 'string' || !email || !password) {
        res.status(400).type('html').send(loginPage('Enter an email and a password.'));
        return;
      }
      const user = await verifyCredentials(ctx, email.slice(0, 254), password.slice(0, 1024));
      if (!user) {
        res.status(401).type('html').send(loginPage('Wrong email or password.'));
        return;
      }
      if (user.role !== 'admin') {
        res.status(403).type('html').send(refusalPage('Admins only', 'This account is not an admin.'));
        return;
      }
      const { accessToken, expiresIn } = issueTokens(ctx.tokens, {
        id: user._id,
        role: user.role,
        tokenVersion: user.tokenVersion,
      });
      setSessionCookie(req, res, accessToken, expiresIn);
      res.redirect(303, DASHBOARD_BASE);
    },
  );

  router.get('/logout', (_req, res) => {
    clearSessionCookie(res);
    res.redirect(303, '/admin/login');
  });

  router.use('/queues', adminGuard(ctx), serverAdapter.getRouter() as RequestHandler);
  return router;
}
