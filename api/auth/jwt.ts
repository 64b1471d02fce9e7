/**
 * JWT access and refresh tokens (HS256 with the configured secret). Access tokens are short-lived and
 * checked without a store lookup; refresh tokens carry the user's token version, which logout bumps.
 */
import { createSecretKey, randomUUID, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { z } from 'zod';
import { USER_ROLES, type UserRole } from '../../persistence/users';

const ISSUER = 'analog-composer';
const AUDIENCE = 'analog-composer-api';

export interface TokenSettings {
  secret: string;
  accessTtlSeconds: number;
  refreshTtlSeconds: number;
}

const accessClaims = z.object({
  sub: z.string().min(1),
  role: z.enum(USER_ROLES),
  typ: z.literal('access'),
});
const refreshClaims = z.object({
  sub: z.string().min(1),
  ver: z.number().int().nonnegative(),
  typ: z.literal('refresh'),
});

const keys = new Map<string, KeyObject>();

/**
 * The secret as a KeyObject, made once: given a string, jsonwebtoken first tries (and fails) to read it
 * as a public key on every call, which costs more than the signature check itself.
 */
function secretKey(secret: string): KeyObject {
  let key = keys.get(secret);
  if (!key) {
    key = createSecretKey(Buffer.from(secret, 'utf8'));
    keys.set(secret, key);
  }
  return key;
}

export interface IssuedTokens {
  accessToken: string;
  refreshToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
  refreshExpiresIn: number;
}

export function issueTokens(
  settings: TokenSettings,
  user: { id: string; role: UserRole; tokenVersion: number },
): IssuedTokens {
  const common = { issuer: ISSUER, audience: AUDIENCE, subject: user.id, algorithm: 'HS256' as const };
  const key = secretKey(settings.secret);
  const accessToken = jwt.sign({ role: user.role, typ: 'access' }, key, {
    ...common,
    expiresIn: settings.accessTtlSeconds,
    jwtid: randomUUID(),
  });
  const refreshToken = jwt.sign({ ver: user.tokenVersion, typ: 'refresh' }, key, {
    ...common,
    expiresIn: settings.refreshTtlSeconds,
    jwtid: randomUUID(),
  });
  return {
    accessToken,
    refreshToken,
    tokenType: 'Bearer',
    expiresIn: settings.accessTtlSeconds,
    refreshExpiresIn: settings.refreshTtlSeconds,
  };
}

function verify(settings: TokenSettings, token: string): unknown {
  // Only HS256: a token claiming `alg: none` or an asymmetric algorithm is refused.
  return jwt.verify(token, secretKey(settings.secret), {
    algorithms: ['HS256'],
    issuer: ISSUER,
    audience: AUDIENCE,
  });
}

/** The access token's subject and role, or null when the token is invalid, forged or expired. */
export function verifyAccessToken(
  settings: TokenSettings,
  token: string,
): { userId: string; role: UserRole } | null {
  try {
    const claims = accessClaims.safeParse(verify(settings, token));
    return claims.success ? { userId: claims.data.sub, role: claims.data.role } : null;
  } catch {
    return null;
  }
}

export function verifyRefreshToken(
  settings: TokenSettings,
  token: string,
): { userId: string; version: number } | null {
  try {
    const claims = refreshClaims.safeParse(verify(settings, token));
    return claims.success ? { userId: claims.data.sub, version: claims.data.ver } : null;
  } catch {
    return null;
  }
}

/** Whether a bearer credential looks like a JWT (three base64url parts) rather than an API token. */
export function looksLikeJwt(token: string): boolean {
  return /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(token);
}
