/** Starting our own TypeScript entry points (workers, the API) as supervised child processes. */
import path from 'node:path';
import type { Logger } from '../../config/logger';
import { PROJECT_ROOT } from '../../config/paths';
import { ManagedProcess } from '../../infra/managed-process';

export function tsChild(
  name: string,
  entry: string,
  log: Logger,
  opts: { env?: NodeJS.ProcessEnv; pidDir?: string; restart?: boolean } = {},
): ManagedProcess {
  return new ManagedProcess({
    name,
    command: process.execPath,
    // tsx's loader runs the TypeScript source directly (and in the worker threads it starts).
    args: ['--import', 'tsx', path.join(PROJECT_ROOT, entry)],
    cwd: PROJECT_ROOT,
    env: { ...process.env, ...opts.env, ANALOG_SUPERVISED: '1' },
    logger: log,
    pidDir: opts.pidDir,
    restart: opts.restart,
    passThroughOutput: true,
  });
}
