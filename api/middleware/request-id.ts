/**
 * Request ids: a well-formed `X-Request-Id` from the caller (or a proxy) is kept, anything else is
 * replaced by a fresh one. The id goes back in the response header and into every log line of the
 * request; one line per request is logged when it ends (at info level).
 */
import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { Logger } from '../../config/logger';
import '../request-context';

const WELL_FORMED = /^[A-Za-z0-9._:-]{8,128}$/;

export function requestContext(log: Logger): RequestHandler {
  return (req, res, next) => {
    const incoming = req.get('x-request-id');
    const id = incoming && WELL_FORMED.test(incoming) ? incoming : randomUUID();
    req.id = id;
    // The child logger is made on first use: most requests never log anything but their summary line.
    let child: Logger | undefined;
    Object.defineProperty(req, 'log', {
      configurable: true,
      enumerable: false,
      get: () => (child ??= log.child({ requestId: id })),
    });
    res.setHeader('X-Request-Id', id);
    if (!log.isLevelEnabled('info')) {
      next();
      return;
    }
    const started = process.hrtime.bigint();
    res.once('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const line = {
        method: req.method,
        path: req.originalUrl.split('?')[0],
        status: res.statusCode,
        ms: Math.round(ms * 10) / 10,
        user: req.principal?.userId,
      };
      if (res.statusCode >= 500) req.log.error(line, 'request failed');
      else req.log.info(line, 'request');
    });
    next();
  };
}
