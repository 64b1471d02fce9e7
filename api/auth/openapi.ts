/** The auth and admin-user routes in the OpenAPI document. */
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { describeRoute, errorResponses, json, jsonBody } from '../openapi/registry';
import {
  ApiTokenList,
  CreateApiTokenRequest,
  CreatedApiToken,
  LoginRequest,
  RefreshRequest,
  RegisterRequest,
  SetRoleRequest,
  TokenPair,
  User,
  UserList,
} from './schemas';

const idParam = z.object({ id: z.string().meta({ description: 'the id' }) });
const UserEnvelope = z.object({ user: User }).meta({ id: 'UserEnvelope' });

export function describeAuthRoutes(registry: OpenAPIRegistry): void {
  const tags = ['auth'];
  describeRoute(registry, {
    method: 'post',
    path: '/api/v1/auth/register',
    tags,
    auth: false,
    summary: 'Create an account (emails listed in ADMIN_EMAILS become admins)',
    request: { body: jsonBody(RegisterRequest) },
    responses: { 201: json(UserEnvelope, 'created'), ...errorResponses(400, 409, 413, 429) },
  });
  describeRoute(registry, {
    method: 'post',
    path: '/api/v1/auth/login',
    tags,
    auth: false,
    summary: 'Exchange email and password for an access token and a refresh token',
    request: { body: jsonBody(LoginRequest) },
    responses: { 200: json(TokenPair, 'logged in'), ...errorResponses(400, 401, 429) },
  });
  describeRoute(registry, {
    method: 'post',
    path: '/api/v1/auth/refresh',
    tags,
    auth: false,
    summary: 'Exchange a refresh token for a new token pair',
    request: { body: jsonBody(RefreshRequest) },
    responses: { 200: json(TokenPair, 'new tokens'), ...errorResponses(400, 401, 429) },
  });
  describeRoute(registry, {
    method: 'post',
    path: '/api/v1/auth/logout',
    tags,
    summary: 'Revoke every refresh token of the caller (access tokens run out by themselves)',
    responses: { 204: { description: 'logged out' } },
  });
  describeRoute(registry, {
    method: 'get',
    path: '/api/v1/auth/me',
    tags,
    summary: 'The caller',
    responses: { 200: json(UserEnvelope, 'the caller') },
  });
  describeRoute(registry, {
    method: 'post',
    path: '/api/v1/auth/tokens',
    tags,
    summary: 'Create a personal API token (for the CLI); the secret is shown only in this response',
    request: { body: jsonBody(CreateApiTokenRequest) },
    responses: { 201: json(CreatedApiToken, 'created'), ...errorResponses(400, 429) },
  });
  describeRoute(registry, {
    method: 'get',
    path: '/api/v1/auth/tokens',
    tags,
    summary: "The caller's live API tokens (without secrets)",
    responses: { 200: json(ApiTokenList, 'tokens') },
  });
  describeRoute(registry, {
    method: 'delete',
    path: '/api/v1/auth/tokens/{id}',
    tags,
    summary: 'Revoke an API token; it stops working at once',
    request: { params: idParam },
    responses: { 204: { description: 'revoked' }, ...errorResponses(404) },
  });
  describeRoute(registry, {
    method: 'get',
    path: '/api/v1/admin/users',
    tags: ['admin'],
    summary: 'Every user',
    responses: { 200: json(UserList, 'users'), ...errorResponses(403) },
  });
  describeRoute(registry, {
    method: 'patch',
    path: '/api/v1/admin/users/{id}',
    tags: ['admin'],
    summary: "Change a user's role",
    request: { params: idParam, body: jsonBody(SetRoleRequest) },
    responses: { 200: json(UserEnvelope, 'updated'), ...errorResponses(400, 403, 404) },
  });
}
