/** Hardening over HTTP: credentials, malformed and hostile input, limits, headers, error format. */
import jwt from 'jsonwebtoken';
import { call, errorCode, freshEmail, registerAndLogin, startTestApi, type TestApi } from './harness';

let api: TestApi;

beforeAll(async () => {
  api = await startTestApi({
    API_BODY_LIMIT: '4kb',
    AUTH_LOGIN_MAX_FAILURES: '3',
    CORS_ORIGINS: 'https://composer.example.org',
  });
});
afterAll(() => api.close());

describe('credentials', () => {
  it('answers 401 with no token, a malformed one, a forged one, an expired one, and alg=none', async () => {
    const user = await registerAndLogin(api);
    const secret = api.cfg.JWT_SECRET!;
    const claims = { role: 'admin', typ: 'access' };
    const common = { issuer: 'analog-composer', audience: 'analog-composer-api', subject: user.id };
    const forged = jwt.sign(claims, 'some-other-secret-that-is-long-enough-123456', {
      ...common,
      expiresIn: 60,
    });
    const expired = jwt.sign({ ...claims, exp: Math.floor(Date.now() / 1000) - 10 }, secret, common);
    const unsigned = jwt.sign(claims, '', { ...common, algorithm: 'none', expiresIn: 60 });

    const none = await call(api, 'GET', '/api/v1/auth/me');
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(errorCode(none)).toBe('unauthorized');
    for (const token of ['garbage', forged, expired, unsigned, `${user.accessToken}x`]) {
      const reply = await call(api, 'GET', '/api/v1/auth/me', { token });
      expect(reply.status).toBe(401);
      expect(errorCode(reply)).toBe('unauthorized');
    }
    // The genuine token still works.
    expect((await call(api, 'GET', '/api/v1/auth/me', { token: user.accessToken })).status).toBe(200);
  });
});

describe('hostile and malformed input', () => {
  it('answers 400 to malformed JSON', async () => {
    const reply = await call(api, 'POST', '/api/v1/auth/login', { rawBody: '{"email": "a@b.c", ' });
    expect(reply.status).toBe(400);
    expect(errorCode(reply)).toBe('invalid_json');
  });

  it('answers 413 to a body over the limit', async () => {
    const reply = await call(api, 'POST', '/api/v1/auth/register', {
      json: { email: freshEmail(), password: 'x'.repeat(10_000) },
    });
    expect(reply.status).toBe(413);
    expect(errorCode(reply)).toBe('payload_too_large');
  });

  it('answers 400 to query operators in a body, at any depth, and in a query string', async () => {
    const login = await call(api, 'POST', '/api/v1/auth/login', {
      json: { email: { $gt: '' }, password: 'x' },
    });
    expect(login.status).toBe(400);
    expect(errorCode(login)).toBe('forbidden_operator');
    expect(login.body.error.details).toEqual({ location: 'body', path: '$.email["$gt"]' });

    const deep = await call(api, 'POST', '/api/v1/auth/register', {
      json: { email: freshEmail(), password: 'long enough', name: 'x', nested: [{ a: { $where: '1' } }] },
    });
    expect(deep.status).toBe(400);
    expect(errorCode(deep)).toBe('forbidden_operator');

    const user = await registerAndLogin(api);
    const query = await call(api, 'GET', '/api/v1/auth/tokens?name[$ne]=x', { token: user.accessToken });
    expect(query.status).toBe(400);
    expect(errorCode(query)).toBe('forbidden_operator');
  });

  it('rate-limits repeated failed logins, and only failures count', async () => {
    const user = await registerAndLogin(api);
    for (let i = 0; i < 3; i++) {
      expect(
        (await call(api, 'POST', '/api/v1/auth/login', { json: { email: user.email, password: 'wrong' } }))
          .status,
      ).toBe(401);
    }
    const limited = await call(api, 'POST', '/api/v1/auth/login', {
      json: { email: user.email, password: 'wrong' },
    });
    expect(limited.status).toBe(429);
    expect(errorCode(limited)).toBe('rate_limited');
    // Even the right password waits for the window now.
    const right = await call(api, 'POST', '/api/v1/auth/login', {
      json: { email: user.email, password: user.password },
    });
    expect(right.status).toBe(429);
    // Another account from the same address is not locked by these failures.
    const other = await registerAndLogin(api);
    expect(other.accessToken).toEqual(expect.any(String));
  });
});

describe('responses', () => {
  it('carries a request id (kept when the caller sends a well-formed one) and security headers', async () => {
    const fresh = await call(api, 'GET', '/api/v1/health');
    expect(fresh.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(fresh.headers.get('x-content-type-options')).toBe('nosniff');
    expect(fresh.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(fresh.headers.get('x-powered-by')).toBeNull();

    const kept = await call(api, 'GET', '/api/v1/health', { headers: { 'x-request-id': 'trace-abc-12345' } });
    expect(kept.headers.get('x-request-id')).toBe('trace-abc-12345');
    const replaced = await call(api, 'GET', '/api/v1/health', {
      headers: { 'x-request-id': 'bad id <script>' },
    });
    expect(replaced.headers.get('x-request-id')).not.toBe('bad id <script>');
  });

  it('sends CORS headers only to allowed origins', async () => {
    const allowed = await call(api, 'GET', '/api/v1/health', {
      headers: { origin: 'https://composer.example.org' },
    });
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://composer.example.org');
    const other = await call(api, 'GET', '/api/v1/health', {
      headers: { origin: 'https://evil.example.com' },
    });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('answers unknown routes with 404 in the error format', async () => {
    const reply = await call(api, 'GET', '/api/v1/nothing-here');
    expect(reply.status).toBe(404);
    expect(errorCode(reply)).toBe('not_found');
  });

  it('serves the OpenAPI document and the docs UI', async () => {
    const doc = await call(api, 'GET', '/api/openapi.json');
    expect(doc.status).toBe(200);
    expect(doc.body.openapi).toBe('3.1.0');
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining(['/api/v1/auth/login', '/api/v1/auth/tokens/{id}']),
    );
    expect(doc.body.components.schemas.Error).toBeDefined();
    const redirect = await call(api, 'GET', '/api/docs');
    expect(redirect.status).toBe(301);
    const page = await call(api, 'GET', '/api/docs/');
    expect(page.status).toBe(200);
    expect(page.text).toContain('swagger-ui');
    const init = await call(api, 'GET', '/api/docs/swagger-ui-init.js');
    expect(init.text).toContain('/api/openapi.json');
  });
});
