/**
 * `/api/v1/auth`: register, login, refresh, logout, me, and personal API tokens; `/api/v1/admin/users`
 * for admins. The first admins come from `ADMIN_EMAILS` (see api/README.md).
 */
import { randomUUID } from 'node:crypto';
import { Router } from 'express';
import { z } from 'zod';
import { DuplicateEmailError, type ApiTokenRecord, type UserRecord } from '../../persistence/users';
import type { ApiContext } from '../context';
import { conflict, notFound, unauthorized } from '../errors';
import { parseBody, parseParams } from '../middleware/validate';
import { generateApiToken } from './api-tokens';
import { issueTokens, verifyRefreshToken } from './jwt';
import { principal, requireAuth, requireRole } from './middleware';
import { verifyCredentials } from './credentials';
import { hashPassword } from './passwords';
import { authRateLimits } from './rate-limits';
import {
  CreateApiTokenRequest,
  LoginRequest,
  RefreshRequest,
  RegisterRequest,
  SetRoleRequest,
  type ApiToken,
  type User,
} from './schemas';

export function publicUser(user: UserRecord): z.infer<typeof User> {
  return {
    id: user._id,
    email: user.email,
    name: user.name,
    role: user.role,
    createdAt: new Date(user.createdAt).toISOString(),
  };
}

function publicToken(token: ApiTokenRecord): z.infer<typeof ApiToken> {
  const iso = (d: Date | null | undefined) => (d ? new Date(d).toISOString() : null);
  return {
    id: token._id,
    name: token.name,
    prefix: token.prefix,
    createdAt: new Date(token.createdAt).toISOString(),
    expiresAt: iso(token.expiresAt),
    lastUsedAt: iso(token.lastUsedAt),
  };
}

const idParam = z.object({ id: z.string().min(1).max(64) });

export function authRouter(ctx: ApiContext): Router {
  const router = Router();
  const limits = authRateLimits(ctx.cfg);
  const auth = requireAuth(ctx);
  const admins = new Set(ctx.cfg.ADMIN_EMAILS);

  router.post('/register', limits.register, async (req, res) => {
    const body = parseBody(req, RegisterRequest);
    const { users } = ctx.repos();
    const email = body.email.toLowerCase();
    try {
      const user = await users.createUser({
        id: randomUUID(),
        email,
        name: body.name,
        passwordHash: await hashPassword(body.password, ctx.cfg.PASSWORD_HASH_ROUNDS),
        role: admins.has(email) ? 'admin' : 'user',
      });
      req.log.info({ user: user._id, role: user.role }, 'user registered');
      res.status(201).json({ user: publicUser(user) });
    } catch (err) {
      if (err instanceof DuplicateEmailError) throw conflict('an account with this email already exists');
      throw err;
    }
  });

  router.post('/login', ...limits.login, async (req, res) => {
    const body = parseBody(req, LoginRequest);
    const user = await verifyCredentials(ctx, body.email, body.password);
    if (!user) throw unauthorized('wrong email or password');
    const tokens = issueTokens(ctx.tokens, {
      id: user._id,
      role: user.role,
      tokenVersion: user.tokenVersion,
    });
    res.json({ ...tokens, user: publicUser(user) });
  });

  router.post('/refresh', limits.other, async (req, res) => {
    const body = parseBody(req, RefreshRequest);
    const claims = verifyRefreshToken(ctx.tokens, body.refreshToken);
    if (!claims) throw unauthorized('the refresh token is invalid or expired; log in again');
    const user = await ctx.repos().users.findUserById(claims.userId);
    if (!user || user.tokenVersion !== claims.version) {
      throw unauthorized('the refresh token was revoked; log in again');
    }
    const tokens = issueTokens(ctx.tokens, {
      id: user._id,
      role: user.role,
      tokenVersion: user.tokenVersion,
    });
    res.json({ ...tokens, user: publicUser(user) });
  });

  router.post('/logout', auth, async (req, res) => {
    await ctx.repos().users.bumpTokenVersion(principal(req).userId);
    res.status(204).end();
  });

  router.get('/me', auth, async (req, res) => {
    const user = await ctx.repos().users.findUserById(principal(req).userId);
    if (!user) throw unauthorized('this account no longer exists');
    res.json({ user: publicUser(user) });
  });

  router.post('/tokens', limits.other, auth, async (req, res) => {
    const body = parseBody(req, CreateApiTokenRequest);
    const days = Math.min(body.expiresInDays ?? ctx.cfg.API_TOKEN_MAX_DAYS, ctx.cfg.API_TOKEN_MAX_DAYS);
    const { token, hash, prefix } = generateApiToken();
    const record = await ctx.repos().users.createApiToken({
      id: randomUUID(),
      owner: principal(req).userId,
      name: body.name,
      tokenHash: hash,
      prefix,
      expiresAt: new Date(Date.now() + days * 86_400_000),
    });
    res.status(201).json({ ...publicToken(record), token });
  });

  router.get('/tokens', auth, async (req, res) => {
    const tokens = await ctx.repos().users.listApiTokens(principal(req).userId);
    res.json({ items: tokens.map(publicToken) });
  });

  router.delete('/tokens/:id', limits.other, auth, async (req, res) => {
    const { id } = parseParams(req, idParam);
    const revoked = await ctx.repos().users.revokeApiToken(principal(req).userId, id);
    if (!revoked) throw notFound('no such API token');
    res.status(204).end();
  });

  return router;
}

export function adminUsersRouter(ctx: ApiContext): Router {
  const router = Router();
  router.use(requireAuth(ctx), requireRole('admin'));

  router.get('/', async (_req, res) => {
    const users = await ctx.repos().users.listUsers();
    res.json({ items: users.map(publicUser) });
  });

  router.patch('/:id', async (req, res) => {
    const { id } = parseParams(req, idParam);
    const { role } = parseBody(req, SetRoleRequest);
    const user = await ctx.repos().users.setRole(id, role);
    if (!user) throw notFound('no such user');
    req.log.info({ target: id, role }, 'role changed');
    res.json({ user: publicUser(user) });
  });

  return router;
}
