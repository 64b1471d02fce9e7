/**
 * Hardening in front of every route: security headers (helmet), the CORS allow-list, a bounded JSON
 * body parser, and the refusal of inputs that carry MongoDB query operators.
 */
import cors from 'cors';
import express, { type RequestHandler } from 'express';
import helmet from 'helmet';
import type { AppConfig } from '../../config/env';
import { ApiError } from '../errors';

/** Strict headers for the JSON API; the HTML pages (docs, dashboard) set their own CSP. */
export function securityHeaders(): RequestHandler {
  return helmet({
    contentSecurityPolicy: { directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
    crossOriginResourcePolicy: { policy: 'same-origin' },
  });
}

/** CSP for the HTML pages we serve from our own origin (Swagger UI, bull-board, the login form). */
export function pageSecurityHeaders(): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        // Swagger UI and bull-board set inline styles on elements.
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        frameAncestors: ["'none'"],
        formAction: ["'self'"],
        // Not upgraded: the embedded deployment serves plain HTTP on 127.0.0.1 (TLS ends at a proxy).
        upgradeInsecureRequests: null,
      },
    },
  });
}

/**
 * Only the configured origins get CORS headers; requests without an Origin (CLI, curl, same-origin)
 * are unaffected. Credentials are bearer tokens, never cookies, for cross-origin callers.
 */
export function corsAllowList(cfg: AppConfig): RequestHandler {
  const allowed = new Set(cfg.CORS_ORIGINS);
  return cors({
    origin: (origin, callback) => callback(null, origin !== undefined && allowed.has(origin)),
    methods: ['GET', 'POST', 'PATCH', 'DELETE'],
    allowedHeaders: ['Authorization', 'Content-Type', 'X-Request-Id', 'Last-Event-ID'],
    exposedHeaders: ['X-Request-Id', 'RateLimit', 'RateLimit-Policy', 'Retry-After'],
    maxAge: 600,
  });
}

/** JSON bodies only, up to `API_BODY_LIMIT`; objects and arrays at the top level (strict). */
export function jsonBody(cfg: AppConfig): RequestHandler {
  return express.json({
    limit: cfg.API_BODY_LIMIT,
    strict: true,
    type: ['application/json', 'application/*+json'],
  });
}

const MAX_DEPTH = 64;

/**
 * Finds the first key that MongoDB would read as an operator (`$gt`, `$where`, ...) or as a path
 * (`a.b`), or nesting deeper than any of our documents, in a parsed JSON value. Iterative, so a hostile
 * document cannot overflow the stack.
 */
export function findForbiddenKey(value: unknown): { path: string; reason: string } | undefined {
  const stack: Array<{ value: unknown; path: string; depth: number }> = [{ value, path: '$', depth: 0 }];
  while (stack.length > 0) {
    const { value: current, path, depth } = stack.pop()!;
    if (current === null || typeof current !== 'object') continue;
    if (depth > MAX_DEPTH) return { path, reason: `nested deeper than ${MAX_DEPTH} levels` };
    if (Array.isArray(current)) {
      current.forEach((item, i) => stack.push({ value: item, path: `${path}[${i}]`, depth: depth + 1 }));
      continue;
    }
    for (const [key, item] of Object.entries(current)) {
      const keyPath = `${path}${/^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`}`;
      if (key.startsWith('$')) return { path: keyPath, reason: `keys starting with "$" are not accepted` };
      if (key.includes('\u0000')) return { path: keyPath, reason: 'keys must not contain NUL characters' };
      stack.push({ value: item, path: keyPath, depth: depth + 1 });
    }
  }
  return undefined;
}

/** Rejects bodies and query strings that carry query operators, before any route sees them. */
export const rejectQueryOperators: RequestHandler = (req, _res, next) => {
  for (const [where, value] of [
    ['body', req.body],
    ['query', req.query],
  ] as const) {
    const found = findForbiddenKey(value);
    if (found) {
      next(
        new ApiError(
          400,
          'forbidden_operator',
          `the request ${where} has a forbidden key at ${found.path}: ${found.reason}`,
          {
            location: where,
            path: found.path,
          },
        ),
      );
      return;
    }
  }
  // Query values may arrive as arrays or objects (`?a=1&a=2`, `?a[b]=1`); our routes take plain strings.
  for (const [key, value] of Object.entries(req.query)) {
    if (typeof value !== 'string') {
      next(new ApiError(400, 'bad_request', `query parameter "${key}" must be given once, as a plain value`));
      return;
    }
    if (key.includes('[') || key.includes('$')) {
      next(new ApiError(400, 'forbidden_operator', `query parameter "${key}" is not accepted`));
      return;
    }
  }
  next();
};
