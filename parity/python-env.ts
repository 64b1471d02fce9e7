/**
 * The Python side of the parity harness: where the project-local virtual environment lives, whether
 * AIHWKit can be imported from it, and how one Python runner is called (a case JSON in, a results
 * JSON out). AIHWKit is only a reference to compare against; nothing else in the project uses Python.
 */
import { execFile, execFileSync, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const REPO_ROOT = resolve(__dirname, '..');
export const VENV_DIR = join(REPO_ROOT, '.venv');
export const PYTHON_DIR = join(__dirname, 'python');

/** The interpreter the harness uses: `PARITY_PYTHON` if set, else the project venv's. */
export function venvPython(): string {
  return process.env.PARITY_PYTHON ?? join(VENV_DIR, 'bin', 'python');
}

export interface PythonProbe {
  available: boolean;
  python: string;
  /** Versions when available. */
  versions?: { python: string; aihwkit: string; torch: string; numpy: string };
  /** Why not, in words a user can act on. */
  reason?: string;
}

const PROBE = [
  'import sys, json',
  'import aihwkit, torch, numpy',
  'from aihwkit.simulator.rpu_base import tiles',
  'print(json.dumps({"python": sys.version.split()[0], "aihwkit": aihwkit.__version__,',
  ' "torch": torch.__version__, "numpy": numpy.__version__}))',
].join('\n');

/** Whether the venv's Python can import AIHWKit with its compiled engine (and torch, numpy). */
export function probePython(python = venvPython()): Promise<PythonProbe> {
  if (!existsSync(python)) {
    return Promise.resolve({
      available: false,
      python,
      reason: `no Python at ${python} (run \`npm run parity:setup\`, or set PARITY_PYTHON)`,
    });
  }
  return new Promise((done) => {
    execFile(python, ['-c', PROBE], { timeout: 120_000 }, (error, stdout, stderr) => {
      if (error) {
        const last = stderr.trim().split('\n').pop() ?? error.message;
        done({ available: false, python, reason: `AIHWKit cannot be imported by ${python}: ${last}` });
        return;
      }
      done({ available: true, python, versions: JSON.parse(stdout.trim()) as PythonProbe['versions'] });
    });
  });
}

/** The same, synchronously (for deciding at test-definition time whether to skip). */
export function probePythonSync(python = venvPython()): PythonProbe {
  if (!existsSync(python)) {
    return {
      available: false,
      python,
      reason: `no Python at ${python} (run \`npm run parity:setup\`, or set PARITY_PYTHON)`,
    };
  }
  try {
    const out = execFileSync(python, ['-c', PROBE], { timeout: 120_000, encoding: 'utf8', stdio: 'pipe' });
    return { available: true, python, versions: JSON.parse(out.trim()) as PythonProbe['versions'] };
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? '';
    const last = stderr.trim().split('\n').pop() || (error as Error).message;
    return { available: false, python, reason: `AIHWKit cannot be imported by ${python}: ${last}` };
  }
}

export interface PythonWorkerOptions {
  /** Torch CPU threads for AIHWKit (`torch.set_num_threads`; OpenMP and MKL likewise). */
  threads: number;
  /** Progress lines from the runners (their stderr) go here. */
  onLog?: (line: string) => void;
}

/**
 * One long-lived Python process (`python/worker.py`) that runs the AIHWKit side of case after case, so
 * torch and AIHWKit are imported once per parity run. Jobs run one at a time; a job that exceeds its
 * time limit kills the process (the next job starts a new one).
 */
export class PythonWorker {
  private child: ChildProcessWithoutNullStreams | null = null;
  private pending: { done: (line: string) => void; fail: (err: Error) => void } | null = null;
  private buffered = '';
  private stderrTail: string[] = [];
  private readyWaiter: Promise<void> | null = null;

  constructor(private readonly options: PythonWorkerOptions) {}

  private start(): Promise<void> {
    const python = venvPython();
    const child = spawn(python, [join(PYTHON_DIR, 'worker.py')], {
      cwd: PYTHON_DIR,
      env: {
        ...process.env,
        PARITY_TORCH_THREADS: String(this.options.threads),
        OMP_NUM_THREADS: String(this.options.threads),
        MKL_NUM_THREADS: String(this.options.threads),
        PYTHONUNBUFFERED: '1',
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.child = child;
    this.buffered = '';
    this.stderrTail = [];
    child.stderr.on('data', (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n')) {
        if (!line.trim()) continue;
        this.stderrTail.push(line);
        if (this.stderrTail.length > 40) this.stderrTail.shift();
        this.options.onLog?.(line);
      }
    });
    const ready = new Promise<void>((resolveReady, rejectReady) => {
      this.pending = { done: () => resolveReady(), fail: rejectReady };
    });
    child.stdout.on('data', (chunk: Buffer) => {
      this.buffered += chunk.toString();
      let nl: number;
      while ((nl = this.buffered.indexOf('\n')) >= 0) {
        const line = this.buffered.slice(0, nl).trim();
        this.buffered = this.buffered.slice(nl + 1);
        if (!line) continue;
        const p = this.pending;
        this.pending = null;
        p?.done(line);
      }
    });
    const onEnd = (why: string) => {
      if (this.child === child) this.child = null;
      const p = this.pending;
      this.pending = null;
      p?.fail(new Error(`the AIHWKit worker ${why}:\n${this.stderrTail.join('\n')}`));
    };
    child.on('error', (err) => onEnd(`could not start (${python}: ${err.message})`));
    child.on('exit', (code, signal) => onEnd(signal ? `was killed (${signal})` : `exited with ${code}`));
    return ready;
  }

  /** Run one job: the runner `script` on `inputPath`, writing `outputPath`. */
  async run(script: string, inputPath: string, outputPath: string, timeoutMs: number): Promise<void> {
    if (!this.child) {
      this.readyWaiter = this.start();
    }
    await this.readyWaiter;
    const child = this.child;
    if (!child) throw new Error('the AIHWKit worker is not running');
    const line = await new Promise<string>((done, fail) => {
      const timer = setTimeout(() => {
        fail(new Error(`AIHWKit side of the case took longer than ${timeoutMs / 1000} s; stopped`));
        this.pending = null;
        child.kill('SIGKILL');
      }, timeoutMs);
      this.pending = {
        done: (l) => {
          clearTimeout(timer);
          done(l);
        },
        fail: (e) => {
          clearTimeout(timer);
          fail(e);
        },
      };
      child.stdin.write(JSON.stringify({ script, input: inputPath, output: outputPath }) + '\n');
    });
    const answer = JSON.parse(line) as { ok: boolean; error?: string };
    if (!answer.ok) throw new Error(`AIHWKit side failed:\n${answer.error ?? '(no message)'}`);
  }

  /** End the process: closing its input lets it finish on its own (killed if it has not within 10 s). */
  close(): Promise<void> {
    const child = this.child;
    this.child = null;
    if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
    return new Promise((done) => {
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      child.once('exit', () => {
        clearTimeout(timer);
        done();
      });
      child.stdin.end();
    });
  }
}
