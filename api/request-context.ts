/**
 * What the middleware attaches to every request: its id, a logger carrying that id, and (after the
 * auth middleware) who is calling.
 */
import type { Logger } from '../config/logger';
import type { UserRole } from '../persistence/users';

export interface Principal {
  userId: string;
  role: UserRole;
  /** How the caller authenticated: a JWT access token, or a personal API token (its id). */
  via: { kind: 'jwt' } | { kind: 'api-token'; tokenId: string };
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      id: string;
      log: Logger;
      principal?: Principal;
    }
  }
}

export {};
