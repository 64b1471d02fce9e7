/**
 * A child process the system owns: started in its own process group, its output turned into log
 * lines, restarted with a growing back-off when it dies unexpectedly (never a tight crash loop), and
 * stopped as a whole group on shutdown. A pid file lets the next start clean up after a hard kill,
 * so no orphan survives.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from '../config/logger';

export interface ManagedProcessOptions {
  name: string;
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  logger: Logger;
  /** Folder for the pid file; omit to keep none. */
  pidDir?: string;
  /** Restart after an unexpected exit (default true). */
  restart?: boolean;
  /** Output lines matching this are logged at warn level instead of debug. */
  loudLines?: RegExp;
  /** Log every output line at info level (workers, the API). */
  passThroughOutput?: boolean;
}

const live = new Set<ManagedProcess>();

/** Last resort on exit: kill whatever is still running, synchronously. */
process.on('exit', () => {
  for (const p of live) p.killNow();
});

export class ManagedProcess {
  private child: ChildProcess | undefined;
  private stopping = false;
  private backoffMs = 1000;
  private restartTimer: NodeJS.Timeout | undefined;
  private startedAt = 0;
  private exitListeners: Array<(code: number | null, signal: NodeJS.Signals | null) => void> = [];

  constructor(private readonly opts: ManagedProcessOptions) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  onExit(listener: (code: number | null, signal: NodeJS.Signals | null) => void): void {
    this.exitListeners.push(listener);
  }

  start(): void {
    this.stopping = false;
    this.killStale();
    const { name, command, args, env, cwd, logger } = this.opts;
    const child = spawn(command, args, {
      cwd,
      env: env ?? process.env,
      detached: true, // own process group: we stop it (and its children) deliberately, in order
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    this.startedAt = Date.now();
    live.add(this);
    this.writePidFile(child.pid);
    logger.debug({ pid: child.pid, command, args }, `${name} started`);

    for (const stream of [child.stdout, child.stderr]) {
      let buffered = '';
      stream?.on('data', (chunk: Buffer) => {
        buffered += chunk.toString();
        const lines = buffered.split('\n');
        buffered = lines.pop() ?? '';
        for (const line of lines) this.logLine(line);
      });
    }
    child.on('error', (err) => logger.error({ err }, `${name} could not be started`));
    child.on('exit', (code, signal) => {
      live.delete(this);
      this.removePidFile();
      for (const l of this.exitListeners) l(code, signal);
      if (this.stopping) return;
      const upFor = Date.now() - this.startedAt;
      if (upFor > 60000) this.backoffMs = 1000; // it ran fine for a while: start the back-off afresh
      if (this.opts.restart === false) {
        logger.error({ code, signal }, `${name} exited unexpectedly`);
        return;
      }
      logger.warn(
        { code, signal },
        `${name} exited unexpectedly (code ${code ?? '-'}, signal ${signal ?? '-'}); restarting in ${this.backoffMs / 1000} s`,
      );
      this.restartTimer = setTimeout(() => {
        this.restartTimer = undefined;
        if (!this.stopping) this.start();
      }, this.backoffMs);
      this.backoffMs = Math.min(this.backoffMs * 2, 30000);
    });
  }

  /** Stops the whole process group: SIGTERM, then SIGKILL after `graceMs`. */
  async stop(graceMs = 10000): Promise<void> {
    this.stopping = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    const child = this.child;
    if (!child || !this.running) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    this.signalGroup('SIGTERM');
    const timer = setTimeout(() => {
      this.opts.logger.warn(`${this.opts.name} did not stop within ${graceMs / 1000} s; killing it`);
      this.signalGroup('SIGKILL');
    }, graceMs);
    await exited;
    clearTimeout(timer);
    // Children of the group leader (if any) go with it.
    this.signalGroup('SIGKILL');
  }

  /** Synchronous kill, for process exit. */
  killNow(): void {
    this.stopping = true;
    this.signalGroup('SIGKILL');
    this.removePidFile();
  }

  private signalGroup(signal: NodeJS.Signals): void {
    const pid = this.child?.pid;
    if (!pid) return;
    try {
      process.kill(-pid, signal);
    } catch {
      // already gone
    }
  }

  private logLine(line: string): void {
    if (!line.trim()) return;
    const { logger, name, loudLines, passThroughOutput } = this.opts;
    if (passThroughOutput) process.stdout.write(line + '\n');
    else if (!this.stopping && loudLines?.test(line)) logger.warn({ source: name }, line);
    else logger.debug({ source: name }, line);
  }

  private pidFile(): string | undefined {
    return this.opts.pidDir ? path.join(this.opts.pidDir, `${this.opts.name}.pid`) : undefined;
  }

  private writePidFile(pid: number | undefined): void {
    const file = this.pidFile();
    if (!file || !pid) return;
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, JSON.stringify({ pid, command: this.opts.command }));
  }

  private removePidFile(): void {
    const file = this.pidFile();
    if (file) fs.rmSync(file, { force: true });
  }

  /** A pid file left by a hard-killed run: stop that process if it still runs our command. */
  private killStale(): void {
    const file = this.pidFile();
    if (!file || !fs.existsSync(file)) return;
    try {
      const { pid, command } = JSON.parse(fs.readFileSync(file, 'utf8')) as { pid: number; command: string };
      const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0];
      if (cmdline === command) {
        this.opts.logger.warn({ pid }, `stopping ${this.opts.name} left over from an earlier run`);
        try {
          process.kill(-pid, 'SIGKILL');
        } catch {
          process.kill(pid, 'SIGKILL');
        }
      }
    } catch {
      // no such process, or unreadable: nothing to clean up
    }
    fs.rmSync(file, { force: true });
  }
}
