/**
 * Authentication: `Authorization: Bearer <credential>`, where the credential is either a JWT access
 * token (checked by signature, no store lookup) or a personal API token (looked up by hash on every
 * request, so revoking one takes effect at once).
 */
import type { Request, RequestHandler } from 'express';
import type { ApiContext } from '../context';
import { forbidden, unauthorized } from '../errors';
import type { Principal } from '../request-context';
import type { UserRole } from '../../persistence/users';
import { hashApiToken, looksLikeApiToken } from './api-tokens';
import { looksLikeJwt, verifyAccessToken } from './jwt';

export function bearerCredential(req: Request): string | undefined {
  const header = req.get('authorization');
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match ? match[1] : undefined;
}

/** Who the credential belongs to, or undefined when it is missing, malformed, forged, expired or revoked. */
export async function authenticate(ctx: ApiContext, credential: string): Promise<Principal | undefined> {
  if (looksLikeApiToken(credential)) {
    const { users } = ctx.repos();
    const token = await users.findLiveApiToken(hashApiToken(credential));
    if (!token) return undefined;
    const user = await users.findUserById(token.owner);
    if (!user) return undefined;
    return { userId: user._id, role: user.role, via: { kind: 'api-token', tokenId: token._id } };
  }
  if (looksLikeJwt(credential)) {
    const claims = verifyAccessToken(ctx.tokens, credential);
    return claims ? { ...claims, via: { kind: 'jwt' } } : undefined;
  }
  return undefined;
}

export function requireAuth(ctx: ApiContext): RequestHandler {
  return async (req, res, next) => {
    const credential = bearerCredential(req);
    if (!credential) {
      res.setHeader('WWW-Authenticate', 'Bearer realm="analog-composer"');
      throw unauthorized('authentication required: send "Authorization: Bearer <token>"');
    }
    const principal = await authenticate(ctx, credential);
    if (!principal) {
      res.setHeader('WWW-Authenticate', 'Bearer realm="analog-composer", error="invalid_token"');
      throw unauthorized('the token is invalid, expired or revoked');
    }
    req.principal = principal;
    next();
  };
}

export function requireRole(role: UserRole): RequestHandler {
  return (req, _res, next) => {
    if (!req.principal) throw unauthorized();
    if (req.principal.role !== role) throw forbidden(`this needs the ${role} role`);
    next();
  };
}

/** The authenticated caller; only for handlers mounted behind `requireAuth`. */
export function principal(req: Request): Principal {
  if (!req.principal) throw unauthorized();
  return req.principal;
}
