/** Accounts, logins, refresh, logout, personal API tokens and admin bootstrap, over HTTP. */
import { call, errorCode, freshEmail, registerAndLogin, startTestApi, type TestApi } from './harness';

let api: TestApi;
const adminEmail = freshEmail('admin');

beforeAll(async () => {
  api = await startTestApi({ ADMIN_EMAILS: adminEmail });
});
afterAll(() => api.close());

describe('accounts and logins', () => {
  it('registers, refuses a duplicate email, and reports every invalid field at once', async () => {
    const email = freshEmail();
    const created = await call(api, 'POST', '/api/v1/auth/register', {
      json: { email: email.toUpperCase(), password: 'correct horse battery', name: 'Ada' },
    });
    expect(created.status).toBe(201);
    expect(created.body.user).toMatchObject({ email, name: 'Ada', role: 'user' });
    expect(created.body.user).not.toHaveProperty('passwordHash');

    const again = await call(api, 'POST', '/api/v1/auth/register', {
      json: { email, password: 'another password' },
    });
    expect(again.status).toBe(409);
    expect(errorCode(again)).toBe('conflict');

    const bad = await call(api, 'POST', '/api/v1/auth/register', {
      json: { email: 'not-an-email', password: 'short', extra: 1 },
    });
    expect(bad.status).toBe(400);
    expect(errorCode(bad)).toBe('validation_failed');
    const paths = (bad.body.error.details as Array<{ path: string }>).map((d) => d.path).sort();
    expect(paths).toEqual(expect.arrayContaining(['$.email', '$.password']));
    expect(bad.body.error.details.length).toBeGreaterThanOrEqual(3); // the unknown key too
  });

  it('logs in, answers /me, and gives the same answer for an unknown email and a wrong password', async () => {
    const user = await registerAndLogin(api);
    const me = await call(api, 'GET', '/api/v1/auth/me', { token: user.accessToken });
    expect(me.status).toBe(200);
    expect(me.body.user).toMatchObject({ id: user.id, email: user.email, role: 'user' });

    const wrong = await call(api, 'POST', '/api/v1/auth/login', {
      json: { email: user.email, password: 'nope-nope' },
    });
    const unknown = await call(api, 'POST', '/api/v1/auth/login', {
      json: { email: freshEmail('ghost'), password: 'nope-nope' },
    });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body).toEqual(unknown.body);
  });

  it('refreshes tokens until logout revokes the refresh tokens', async () => {
    const user = await registerAndLogin(api);
    const refreshed = await call(api, 'POST', '/api/v1/auth/refresh', {
      json: { refreshToken: user.refreshToken },
    });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.accessToken).toEqual(expect.any(String));
    const me = await call(api, 'GET', '/api/v1/auth/me', { token: refreshed.body.accessToken });
    expect(me.status).toBe(200);

    // An access token is not a refresh token, and the reverse.
    expect(
      (await call(api, 'POST', '/api/v1/auth/refresh', { json: { refreshToken: user.accessToken } })).status,
    ).toBe(401);
    expect((await call(api, 'GET', '/api/v1/auth/me', { token: user.refreshToken })).status).toBe(401);

    expect((await call(api, 'POST', '/api/v1/auth/logout', { token: user.accessToken })).status).toBe(204);
    const after = await call(api, 'POST', '/api/v1/auth/refresh', {
      json: { refreshToken: refreshed.body.refreshToken },
    });
    expect(after.status).toBe(401);
    expect(errorCode(after)).toBe('unauthorized');
  });
});

describe('personal API tokens', () => {
  it('creates, lists without secrets, authenticates, and stops working at once when revoked', async () => {
    const user = await registerAndLogin(api);
    const created = await call(api, 'POST', '/api/v1/auth/tokens', {
      token: user.accessToken,
      json: { name: 'laptop' },
    });
    expect(created.status).toBe(201);
    const secret: string = created.body.token;
    expect(secret).toMatch(/^acp_[A-Za-z0-9_-]{43}$/);
    expect(secret.startsWith(created.body.prefix)).toBe(true);

    const list = await call(api, 'GET', '/api/v1/auth/tokens', { token: secret });
    expect(list.status).toBe(200);
    expect(list.body.items).toEqual([expect.objectContaining({ id: created.body.id, name: 'laptop' })]);
    expect(JSON.stringify(list.body)).not.toContain(secret);

    const me = await call(api, 'GET', '/api/v1/auth/me', { token: secret });
    expect(me.body.user.id).toBe(user.id);

    // Someone else cannot revoke it, and learns nothing about it.
    const other = await registerAndLogin(api);
    const foreign = await call(api, 'DELETE', `/api/v1/auth/tokens/${created.body.id}`, {
      token: other.accessToken,
    });
    expect(foreign.status).toBe(404);

    expect(
      (await call(api, 'DELETE', `/api/v1/auth/tokens/${created.body.id}`, { token: user.accessToken }))
        .status,
    ).toBe(204);
    const revoked = await call(api, 'GET', '/api/v1/auth/me', { token: secret });
    expect(revoked.status).toBe(401);
    expect(errorCode(revoked)).toBe('unauthorized');
    expect(
      (await call(api, 'DELETE', `/api/v1/auth/tokens/${created.body.id}`, { token: user.accessToken }))
        .status,
    ).toBe(404);
  });

  it('refuses a well-formed token that was never issued', async () => {
    const fake = `acp_${'A'.repeat(43)}`;
    expect((await call(api, 'GET', '/api/v1/auth/me', { token: fake })).status).toBe(401);
  });
});

describe('roles', () => {
  it('makes ADMIN_EMAILS admins; admins manage roles, users get 403', async () => {
    const admin = await registerAndLogin(api, adminEmail);
    const user = await registerAndLogin(api);
    const me = await call(api, 'GET', '/api/v1/auth/me', { token: admin.accessToken });
    expect(me.body.user.role).toBe('admin');

    const denied = await call(api, 'GET', '/api/v1/admin/users', { token: user.accessToken });
    expect(denied.status).toBe(403);
    expect(errorCode(denied)).toBe('forbidden');

    const users = await call(api, 'GET', '/api/v1/admin/users', { token: admin.accessToken });
    expect(users.status).toBe(200);
    expect(users.body.items.map((u: { id: string }) => u.id)).toEqual(
      expect.arrayContaining([admin.id, user.id]),
    );

    const promoted = await call(api, 'PATCH', `/api/v1/admin/users/${user.id}`, {
      token: admin.accessToken,
      json: { role: 'admin' },
    });
    expect(promoted.status).toBe(200);
    expect(promoted.body.user.role).toBe('admin');
    // The role is in the access token: a new login carries it.
    const relogin = await call(api, 'POST', '/api/v1/auth/login', {
      json: { email: user.email, password: user.password },
    });
    expect((await call(api, 'GET', '/api/v1/admin/users', { token: relogin.body.accessToken })).status).toBe(
      200,
    );
  });
});
