/**
 * The one configuration module: every environment variable the system reads is declared, typed,
 * defaulted and validated here. A wrong value fails at start with a message naming the variable.
 */
import { z } from 'zod';
import { DEFAULT_DATA_DIR, DEFAULT_TOOLS_DIR } from './paths';

const port = z.coerce.number().int().min(1).max(65535);
const csv = z.string().transform((s) =>
  s
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.length > 0),
);
const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => ['true', '1', 'yes'].includes(v));

export const QUEUE_NAMES_FOR_CONFIG = ['validator', 'cpu', 'gpu', 'imc'] as const;

const envSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    /** Pretty, human-readable logs instead of JSON lines (defaults to on for an interactive terminal). */
    LOG_PRETTY: bool.optional(),

    DATA_DIR: z.string().default(DEFAULT_DATA_DIR),
    TOOLS_DIR: z.string().default(DEFAULT_TOOLS_DIR),

    API_HOST: z.string().default('127.0.0.1'),
    API_PORT: port.default(3000),
    /** Origins allowed by CORS; empty means same-origin only. */
    CORS_ORIGINS: csv.default([]),
    /** JSON request body limit, in the form express accepts ('1mb', '200kb'). */
    API_BODY_LIMIT: z.string().default('1mb'),

    /** host:port of an external Temporal frontend. When set, no embedded server is started. */
    TEMPORAL_ADDRESS: z
      .string()
      .regex(/^[^\s:]+:\d+$/, 'expected host:port')
      .optional(),
    TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
    TEMPORAL_PORT: port.default(7233),
    TEMPORAL_UI_PORT: port.default(8233),
    /** Public URL of the Temporal Web UI, used for links (defaults to the embedded UI). */
    TEMPORAL_UI_URL: z.url().optional(),

    /** Connection string of an external MongoDB. When set, no embedded FerretDB is started. */
    MONGODB_URI: z
      .string()
      .regex(/^mongodb(\+srv)?:\/\//, 'expected a mongodb:// or mongodb+srv:// URI')
      .optional(),
    MONGODB_DATABASE: z
      .string()
      .regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, _ and - only')
      .default('analog_composer'),
    FERRETDB_PORT: port.default(27017),

    /** Secret that signs JWT access tokens. Required in production; development generates one. */
    JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
    JWT_ACCESS_TTL_SECONDS: z.coerce.number().int().positive().default(900),
    JWT_REFRESH_TTL_SECONDS: z.coerce
      .number()
      .int()
      .positive()
      .default(7 * 24 * 3600),

    /** Emails that are admins: registering (or logging in) with one of these gives the admin role. */
    ADMIN_EMAILS: csv.pipe(z.array(z.email().transform((e) => e.toLowerCase()))).default([]),
    /** bcrypt cost factor for password hashes (2^n rounds). */
    PASSWORD_HASH_ROUNDS: z.coerce.number().int().min(4).max(15).default(12),
    /** Failed logins allowed per client address and email within the window, before 429. */
    AUTH_LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).default(5),
    /** Registrations allowed per client address within the window, before 429. */
    AUTH_REGISTER_MAX: z.coerce.number().int().min(1).default(20),
    /** Requests to the other auth routes (refresh, tokens) per client address within the window. */
    AUTH_RATE_MAX: z.coerce.number().int().min(1).default(300),
    AUTH_RATE_WINDOW_SECONDS: z.coerce.number().int().min(1).default(900),
    /** Longest life a personal API token may be given, in days. */
    API_TOKEN_MAX_DAYS: z.coerce.number().int().min(1).default(365),
    /** Trust X-Forwarded-For from this many proxies (0: the socket address is the client). */
    API_TRUST_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
    /** How long the operator dashboard reuses Temporal visibility answers, in milliseconds. */
    DASHBOARD_CACHE_MS: z.coerce.number().int().min(0).default(3000),
    /**
     * How long a page of `GET /experiments` is reused, in milliseconds (0: never). The API's own writes
     * (submit, cancel, delete, ...) clear the caller's pages at once; status changes written by workers
     * show up within this time (the events stream is the live view).
     */
    API_LIST_CACHE_MS: z.coerce.number().int().min(0).max(60_000).default(1000),
    /** List queries the API sends the store at once (more wait their turn in the API). */
    API_STORE_LIST_CONCURRENCY: z.coerce.number().int().min(1).max(100).default(8),
    /** How long a request waits for Temporal (start, signal, cancel) before answering 503, in milliseconds. */
    API_TEMPORAL_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5000),
    /** How often an SSE stream asks the workflow for progress, in milliseconds. */
    SSE_POLL_MS: z.coerce.number().int().min(100).default(1000),

    /** Queues `npm start` runs a worker for (default: every queue this machine can serve). */
    WORKER_QUEUES: csv.pipe(z.array(z.enum(QUEUE_NAMES_FOR_CONFIG))).optional(),
    /** Where checkpoints live: the document store (default) or a folder (`CHECKPOINT_DIR`). */
    CHECKPOINT_STORE: z.enum(['document', 'filesystem']).default('document'),
    /** Folder of the filesystem checkpoint store (default `<DATA_DIR>/checkpoints`). */
    CHECKPOINT_DIR: z.string().optional(),
    /** Compute activities one cpu/gpu/imc worker runs at once. */
    WORKER_COMPUTE_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(1),

    /**
     * Experiment resource quotas (experiment-spec/quotas.ts; unset: its defaults). Pass them to the
     * validator with `quotasFromSettings(config())` from experiment-spec/quotas.
     */
    QUOTA_MAX_PARAMETERS: z.coerce.number().int().positive().optional(),
    QUOTA_MAX_LAYERS: z.coerce.number().int().positive().optional(),
    QUOTA_MAX_EPOCHS: z.coerce.number().int().positive().optional(),
    QUOTA_MAX_TRAIN_SAMPLE_EPOCHS: z.coerce.number().int().positive().optional(),
    QUOTA_MAX_TRAIN_MACS: z.coerce.number().positive().optional(),
    QUOTA_MAX_BATCH_SIZE: z.coerce.number().int().positive().optional(),
    QUOTA_MAX_INFERENCE_TIMES: z.coerce.number().int().positive().optional(),
    QUOTA_MAX_INFERENCE_REPEATS: z.coerce.number().int().positive().optional(),
    QUOTA_MAX_INFERENCE_EVALUATIONS: z.coerce.number().int().positive().optional(),
    QUOTA_MAX_INFERENCE_MACS: z.coerce.number().positive().optional(),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV === 'production' && !env.JWT_SECRET) {
      ctx.addIssue({
        code: 'custom',
        path: ['JWT_SECRET'],
        message: 'is required when NODE_ENV=production (there is no default secret in production)',
      });
    }
  });

export type AppConfig = z.infer<typeof envSchema>;

export class ConfigError extends Error {
  constructor(public readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses the environment; unset and empty variables take their defaults. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const raw: Record<string, string> = {};
  for (const key of Object.keys(envSchema.shape)) {
    const value = env[key];
    if (value !== undefined && value.trim() !== '') raw[key] = value.trim();
  }
  const parsed = envSchema.safeParse(raw);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const name = issue.path.length > 0 ? String(issue.path[0]) : 'environment';
        const shown = raw[name] !== undefined ? ` (got ${JSON.stringify(raw[name])})` : '';
        return `${name}${shown}: ${issue.message}`;
      }),
    );
  }
  return parsed.data;
}

let cached: AppConfig | undefined;

/** The process-wide configuration, parsed once. */
export function config(): AppConfig {
  cached ??= loadConfig();
  return cached;
}
