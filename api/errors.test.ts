import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import pino from 'pino';
import { ApiError, errorHandler, notFoundHandler } from './errors';
import { requestContext } from './middleware/request-id';
import { jsonBody } from './middleware/security';
import { loadConfig } from '../config/env';

async function serve(app: express.Express) {
  const server = http.createServer(app);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, close: () => new Promise<void>((r) => server.close(() => r())) };
}

describe('errorHandler', () => {
  it('answers unexpected errors with a bare 500: no message, no stack; logs them with the request id', async () => {
    const lines: string[] = [];
    const log = pino({ level: 'error' }, { write: (line: string) => lines.push(line) });
    const app = express();
    app.use(requestContext(log), jsonBody(loadConfig({ API_BODY_LIMIT: '1kb' })));
    app.get('/boom', () => {
      throw new Error('connection string mongodb://admin:hunter2@db');
    });
    app.get('/known', () => {
      throw new ApiError(409, 'conflict', 'the experiment is running', { status: 'running' });
    });
    app.use(notFoundHandler, errorHandler);
    const { url, close } = await serve(app);
    try {
      const boom = await fetch(`${url}/boom`);
      const text = await boom.text();
      expect(boom.status).toBe(500);
      expect(JSON.parse(text)).toEqual({
        error: {
          code: 'internal',
          message: 'internal error; quote the X-Request-Id header when reporting it',
        },
      });
      expect(text).not.toContain('hunter2');
      expect(text).not.toContain('at ');
      const requestId = boom.headers.get('x-request-id')!;
      expect(lines.some((l) => l.includes(requestId) && l.includes('hunter2'))).toBe(true);

      const known = await fetch(`${url}/known`);
      expect(known.status).toBe(409);
      expect(await known.json()).toEqual({
        error: { code: 'conflict', message: 'the experiment is running', details: { status: 'running' } },
      });
      const big = await fetch(`${url}/known`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ x: 'y'.repeat(5000) }),
      });
      expect(big.status).toBe(413);
      expect((await big.json()).error.code).toBe('payload_too_large');
    } finally {
      await close();
    }
  });
});
