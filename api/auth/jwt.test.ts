import jwt from 'jsonwebtoken';
import { issueTokens, verifyAccessToken, verifyRefreshToken } from './jwt';
import { generateApiToken, hashApiToken, looksLikeApiToken } from './api-tokens';

const settings = { secret: 's'.repeat(40), accessTtlSeconds: 60, refreshTtlSeconds: 3600 };

describe('JWT tokens', () => {
  it('round-trips access and refresh tokens and keeps their kinds apart', () => {
    const t = issueTokens(settings, { id: 'u1', role: 'admin', tokenVersion: 3 });
    expect(verifyAccessToken(settings, t.accessToken)).toEqual({ userId: 'u1', role: 'admin' });
    expect(verifyRefreshToken(settings, t.refreshToken)).toEqual({ userId: 'u1', version: 3 });
    expect(verifyAccessToken(settings, t.refreshToken)).toBeNull();
    expect(verifyRefreshToken(settings, t.accessToken)).toBeNull();
  });

  it('refuses other secrets, other algorithms and expired tokens', () => {
    const t = issueTokens(
      { ...settings, secret: 'o'.repeat(40) },
      { id: 'u1', role: 'user', tokenVersion: 0 },
    );
    expect(verifyAccessToken(settings, t.accessToken)).toBeNull();
    const claims = { role: 'admin', typ: 'access' };
    const opts = { issuer: 'analog-composer', audience: 'analog-composer-api', subject: 'u1' };
    expect(verifyAccessToken(settings, jwt.sign(claims, '', { ...opts, algorithm: 'none' }))).toBeNull();
    expect(
      verifyAccessToken(settings, jwt.sign(claims, settings.secret, { ...opts, algorithm: 'HS512' })),
    ).toBeNull();
    const expired = jwt.sign({ ...claims, exp: Math.floor(Date.now() / 1000) - 1 }, settings.secret, opts);
    expect(verifyAccessToken(settings, expired)).toBeNull();
    expect(verifyAccessToken(settings, jwt.sign(claims, settings.secret, opts))).toEqual({
      userId: 'u1',
      role: 'admin',
    });
  });
});

describe('API tokens', () => {
  it('are random, recognisable, and stored only as a hash', () => {
    const a = generateApiToken();
    const b = generateApiToken();
    expect(a.token).not.toBe(b.token);
    expect(looksLikeApiToken(a.token)).toBe(true);
    expect(a.hash).toBe(hashApiToken(a.token));
    expect(a.hash).not.toContain(a.token.slice(4));
    expect(a.token.startsWith(a.prefix)).toBe(true);
  });
});
