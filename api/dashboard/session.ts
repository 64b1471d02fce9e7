/**
 * How an admin's browser reaches the dashboard: the bull-board UI calls its JSON routes without an
 * Authorization header, so after a login form the access token travels in an HttpOnly, SameSite=Strict
 * cookie scoped to `/admin`. Bearer credentials (JWT or API token) work as well, for scripts and tests.
 */
import type { Request, Response } from 'express';

export const SESSION_COOKIE = 'analog_dashboard';

export function readCookie(req: Request, name: string): string | undefined {
  const header = req.get('cookie');
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

export function setSessionCookie(req: Request, res: Response, token: string, maxAgeSeconds: number): void {
  const attributes = ['Path=/admin', 'HttpOnly', 'SameSite=Strict', `Max-Age=${maxAgeSeconds}`];
  if (req.secure) attributes.push('Secure');
  res.append('Set-Cookie', `${SESSION_COOKIE}=${encodeURIComponent(token)}; ${attributes.join('; ')}`);
}

export function clearSessionCookie(res: Response): void {
  res.append('Set-Cookie', `${SESSION_COOKIE}=; Path=/admin; HttpOnly; SameSite=Strict; Max-Age=0`);
}
