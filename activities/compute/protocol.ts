/** Messages between a compute pool (worker's main thread) and its compute threads. */

/** A catalog of job kinds: what each takes, returns and reports as progress. */
export type JobCatalog = Record<string, { payload: unknown; result: unknown; progress: unknown }>;

export interface SerializedError {
  name: string;
  message: string;
  stack?: string;
  /** Set when the job stopped because it was asked to (its AbortSignal fired). */
  aborted?: boolean;
}

export type ToThread =
  { type: 'run'; id: number; kind: string; payload: unknown } | { type: 'abort'; id: number };

export type FromThread =
  | { type: 'ready'; info: Record<string, unknown> }
  | { type: 'init-error'; error: SerializedError }
  | { type: 'progress'; id: number; progress: unknown }
  | { type: 'done'; id: number; result: unknown }
  | { type: 'error'; id: number; error: SerializedError };

export function serializeError(err: unknown, aborted = false): SerializedError {
  if (err instanceof Error) {
    return { name: err.name, message: err.message, stack: err.stack, ...(aborted ? { aborted } : {}) };
  }
  return { name: 'Error', message: String(err), ...(aborted ? { aborted } : {}) };
}
