/** Request and response shapes of the auth routes (also the source of the OpenAPI document). */
import { z } from 'zod';
import { USER_ROLES } from '../../persistence/users';
import { MAX_PASSWORD_BYTES } from './passwords';

export const emailField = z.email().max(254).meta({ example: 'ada@example.org' });

const password = z
  .string()
  .min(8, 'must be at least 8 characters')
  .refine(
    (p) => Buffer.byteLength(p, 'utf8') <= MAX_PASSWORD_BYTES,
    `must be at most ${MAX_PASSWORD_BYTES} bytes`,
  );

export const RegisterRequest = z
  .strictObject({ email: emailField, password, name: z.string().trim().max(100).optional() })
  .meta({ id: 'RegisterRequest' });

export const LoginRequest = z
  .strictObject({ email: emailField, password: z.string().min(1).max(1024) })
  .meta({ id: 'LoginRequest' });

export const RefreshRequest = z
  .strictObject({ refreshToken: z.string().min(1).max(4096) })
  .meta({ id: 'RefreshRequest' });

export const User = z
  .object({
    id: z.string(),
    email: z.string(),
    name: z.string(),
    role: z.enum(USER_ROLES),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'User' });

export const TokenPair = z
  .object({
    accessToken: z.string(),
    refreshToken: z.string(),
    tokenType: z.literal('Bearer'),
    expiresIn: z.number().int().meta({ description: 'seconds until the access token expires' }),
    refreshExpiresIn: z.number().int(),
    user: User,
  })
  .meta({ id: 'TokenPair' });

export const CreateApiTokenRequest = z
  .strictObject({
    name: z.string().trim().min(1).max(100),
    expiresInDays: z
      .number()
      .int()
      .min(1)
      .optional()
      .meta({ description: 'omit for the longest allowed life' }),
  })
  .meta({ id: 'CreateApiTokenRequest' });

export const ApiToken = z
  .object({
    id: z.string(),
    name: z.string(),
    prefix: z.string().meta({ description: 'the first characters of the token' }),
    createdAt: z.iso.datetime(),
    expiresAt: z.iso.datetime().nullable(),
    lastUsedAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'ApiToken' });

export const CreatedApiToken = ApiToken.extend({
  token: z.string().meta({ description: 'the secret, shown only in this response' }),
}).meta({ id: 'CreatedApiToken' });

export const ApiTokenList = z.object({ items: z.array(ApiToken) }).meta({ id: 'ApiTokenList' });

export const SetRoleRequest = z.strictObject({ role: z.enum(USER_ROLES) }).meta({ id: 'SetRoleRequest' });
export const UserList = z.object({ items: z.array(User) }).meta({ id: 'UserList' });
