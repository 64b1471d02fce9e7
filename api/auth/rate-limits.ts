/**
 * Rate limits on the auth routes (in-process memory store: one API process; behind several, put a
 * shared limit at the proxy as well). Failed logins are counted per client address and email, and
 * per address across emails, so one account cannot be guessed at and one client cannot sweep many.
 */
import type { Request, RequestHandler } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import type { AppConfig } from '../../config/env';
import { ApiError } from '../errors';

function clientKey(req: Request): string {
  return ipKeyGenerator(req.ip ?? req.socket.remoteAddress ?? 'unknown');
}

function limiter(
  cfg: AppConfig,
  limit: number,
  what: string,
  extra: { key?: (req: Request) => string; onlyFailures?: boolean } = {},
): RequestHandler {
  return rateLimit({
    windowMs: cfg.AUTH_RATE_WINDOW_SECONDS * 1000,
    limit,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    skipSuccessfulRequests: extra.onlyFailures ?? false,
    keyGenerator: extra.key ?? clientKey,
    handler: (_req, _res, next, options) => {
      next(
        new ApiError(429, 'rate_limited', `too many ${what}; try again later`, {
          retryAfterSeconds: Math.ceil(options.windowMs / 1000),
        }),
      );
    },
  });
}

export interface AuthLimits {
  login: RequestHandler[];
  register: RequestHandler;
  other: RequestHandler;
}

export function authRateLimits(cfg: AppConfig): AuthLimits {
  const perEmail = (req: Request) => {
    const email: unknown = (req.body as { email?: unknown } | undefined)?.email;
    return `${clientKey(req)}|${typeof email === 'string' ? email.trim().toLowerCase() : ''}`;
  };
  return {
    login: [
      limiter(cfg, cfg.AUTH_LOGIN_MAX_FAILURES * 10, 'failed logins from this address', {
        onlyFailures: true,
      }),
      limiter(cfg, cfg.AUTH_LOGIN_MAX_FAILURES, 'failed logins for this account', {
        key: perEmail,
        onlyFailures: true,
      }),
    ],
    register: limiter(cfg, cfg.AUTH_REGISTER_MAX, 'registrations from this address'),
    other: limiter(cfg, cfg.AUTH_RATE_MAX, 'requests to the auth routes'),
  };
}
