/**
 * Personal API tokens for the CLI and scripts: `acp_` followed by 32 random bytes (base64url). Only the
 * SHA-256 of a token is stored; the token itself is shown once, when it is created.
 */
import { createHash, randomBytes } from 'node:crypto';

export const API_TOKEN_PREFIX = 'acp_';
const SHAPE = /^acp_[A-Za-z0-9_-]{43}$/;

export function generateApiToken(): { token: string; hash: string; prefix: string } {
  const token = `${API_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
  return { token, hash: hashApiToken(token), prefix: token.slice(0, API_TOKEN_PREFIX.length + 6) };
}

export function hashApiToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function looksLikeApiToken(token: string): boolean {
  return SHAPE.test(token);
}
