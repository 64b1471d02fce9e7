/**
 * Structured logging (pino). Every process creates its root logger here; components take a child
 * with their own bindings (`component`, `requestId`, `workflowId`, `activityId`, ...).
 */
import pino, { type Logger } from 'pino';
import { config } from './env';

export type { Logger } from 'pino';

let root: Logger | undefined;

export function rootLogger(): Logger {
  if (!root) {
    const { LOG_LEVEL, LOG_PRETTY } = config();
    const pretty = LOG_PRETTY ?? Boolean(process.stdout.isTTY);
    root = pino({
      level: LOG_LEVEL,
      base: { pid: process.pid },
      transport: pretty
        ? {
            target: 'pino-pretty',
            options: { colorize: true, translateTime: 'HH:MM:ss.l', ignore: 'pid,hostname' },
          }
        : undefined,
    });
  }
  return root;
}

/** A logger for one component, e.g. `logger('api')` or `logger('worker', { queue: 'cpu' })`. */
export function logger(component: string, bindings: Record<string, unknown> = {}): Logger {
  return rootLogger().child({ component, ...bindings });
}
