/** The REST API, as the CLI uses it: JSON in and out, the one error format turned into messages. */
import { CliError } from './errors';

export interface ApiErrorBody {
  error?: { code?: string; message?: string; details?: unknown };
}

export class ApiCallError extends CliError {
  constructor(
    public readonly status: number,
    public readonly code: string,
    message: string,
    public readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiCallError';
  }
}

export interface ApiClientOptions {
  baseUrl: string;
  token?: string;
  /** Per-request timeout (streams excepted). */
  timeoutMs?: number;
}

/**
 * The server's root from what a user gave: `npm start` prints the API as `…/api/v1`, and that is the
 * URL people paste, while the CLI's paths carry the version themselves.
 */
export function apiRoot(url: string): string {
  return url.replace(/\/+$/, '').replace(/\/api\/v1$/, '');
}

export class ApiClient {
  constructor(private readonly options: ApiClientOptions) {}

  get baseUrl(): string {
    return apiRoot(this.options.baseUrl);
  }

  headers(extra: Record<string, string> = {}): Record<string, string> {
    return {
      ...(this.options.token ? { authorization: `Bearer ${this.options.token}` } : {}),
      'user-agent': 'analog-cli',
      ...extra,
    };
  }

  async raw(
    method: string,
    path: string,
    init: { json?: unknown; accept?: string; stream?: boolean } = {},
  ): Promise<Response> {
    const headers = this.headers({ accept: init.accept ?? 'application/json' });
    if (init.json !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers,
        body: init.json === undefined ? undefined : JSON.stringify(init.json),
        signal: init.stream ? undefined : AbortSignal.timeout(this.options.timeoutMs ?? 30_000),
      });
    } catch (err) {
      const cause = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).message;
      throw new CliError(
        `cannot reach the API at ${this.baseUrl} (${cause}); is it running? (set it with --api or ANALOG_API_URL)`,
      );
    }
    if (!response.ok) throw await this.errorFrom(response);
    return response;
  }

  async json<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await this.raw(method, path, { json: body });
    if (response.status === 204) return undefined as T;
    return (await response.json()) as T;
  }

  async text(path: string, accept: string): Promise<string> {
    return (await this.raw('GET', path, { accept })).text();
  }

  private async errorFrom(response: Response): Promise<ApiCallError> {
    let body: ApiErrorBody = {};
    try {
      body = (await response.json()) as ApiErrorBody;
    } catch {
      // not JSON (a proxy's page): the status says enough
    }
    const code = body.error?.code ?? `http_${response.status}`;
    let message = body.error?.message ?? `the API answered ${response.status} ${response.statusText}`;
    if (response.status === 401) message = `${message} (run "analog login")`;
    return new ApiCallError(response.status, code, message, body.error?.details);
  }
}
