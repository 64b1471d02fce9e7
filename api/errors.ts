/**
 * The one error format every API route answers with: `{ error: { code, message, details } }`.
 * Messages written here are for clients; anything unexpected becomes a plain 500 whose real cause
 * goes only to the log (with the request id the client sees in `X-Request-Id`).
 */
import type { ErrorRequestHandler, RequestHandler } from 'express';

export const ERROR_CODES = [
  'bad_request',
  'invalid_json',
  'validation_failed',
  'forbidden_operator',
  'unauthorized',
  'forbidden',
  'not_found',
  'method_not_allowed',
  'conflict',
  'payload_too_large',
  'unsupported_media_type',
  'rate_limited',
  'service_unavailable',
  'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: unknown };
}

export class ApiError extends Error {
  constructor(
    public readonly status: number,
    public readonly code: ErrorCode,
    message: string,
    public readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export const badRequest = (message: string, details?: unknown) =>
  new ApiError(400, 'bad_request', message, details);
export const validationFailed = (message: string, details: unknown) =>
  new ApiError(400, 'validation_failed', message, details);
export const unauthorized = (message = 'authentication required') =>
  new ApiError(401, 'unauthorized', message);
export const forbidden = (message = 'you are not allowed to do this') =>
  new ApiError(403, 'forbidden', message);
export const notFound = (message = 'not found') => new ApiError(404, 'not_found', message);
export const conflict = (message: string, details?: unknown) =>
  new ApiError(409, 'conflict', message, details);
export const serviceUnavailable = (message: string) => new ApiError(503, 'service_unavailable', message);

export function errorBody(code: ErrorCode, message: string, details?: unknown): ErrorBody {
  return { error: details === undefined ? { code, message } : { code, message, details } };
}

/** Errors thrown by body-parser carry a `type` and a `status`; map the ones clients can cause. */
function fromBodyParser(err: { type?: unknown; status?: unknown; limit?: unknown }): ApiError | undefined {
  switch (err.type) {
    case 'entity.parse.failed':
      return new ApiError(400, 'invalid_json', 'the request body is not valid JSON');
    case 'entity.too.large':
      return new ApiError(
        413,
        'payload_too_large',
        `the request body is larger than the limit (${String(err.limit)} bytes)`,
      );
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new ApiError(415, 'unsupported_media_type', 'unsupported body encoding or charset');
    case 'request.aborted':
      return new ApiError(400, 'bad_request', 'the request was aborted');
    default:
      if (typeof err.status === 'number' && err.status >= 400 && err.status < 500) {
        return new ApiError(err.status, 'bad_request', 'the request could not be read');
      }
      return undefined;
  }
}

export const errorHandler: ErrorRequestHandler = (err: unknown, req, res, next) => {
  if (res.headersSent) {
    next(err);
    return;
  }
  // The client left before the answer (e.g. a load generator stopping, or shutdown cutting a request
  // whose client is gone): nobody reads this response, so it is no error of ours to report loudly.
  if (req.socket.destroyed) {
    req.log.debug({ err }, 'request failed after its client disconnected');
    return;
  }
  const known =
    err instanceof ApiError
      ? err
      : typeof err === 'object' && err !== null
        ? fromBodyParser(err as { type?: unknown; status?: unknown })
        : undefined;
  if (known) {
    if (known.status >= 500) req.log.error({ err }, known.message);
    res.status(known.status).json(errorBody(known.code, known.message, known.details));
    return;
  }
  req.log.error({ err }, 'unhandled error');
  res
    .status(500)
    .json(errorBody('internal', 'internal error; quote the X-Request-Id header when reporting it'));
};

export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(notFound(`no route for ${req.method} ${req.path}`));
};
