/**
 * Builds the Go servers the embedded infrastructure needs (the Temporal CLI dev server and FerretDB)
 * from the Go module proxy into the git-ignored tools folder, only when a binary is missing. Go's own
 * module and build caches stay where Go keeps them, so a second build is quick.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface GoTool {
  /** Binary name under `<tools>/bin`. */
  name: string;
  module: string;
  version: string;
  /** Package path of the main package, relative to the module root. */
  mainPackage: string;
  /**
   * Files to write into a copy of the module before building. FerretDB reads its version from a
   * generated file that the published module omits, so a plain `go install` builds a binary that
   * panics at start; we build a copy with that file written, as its build documentation asks.
   */
  generatedFiles?: Record<string, string>;
  /**
   * Build from a copy of the module with `go build` instead of `go install pkg@version`: needed when
   * the module's go.mod has directives `go install` refuses (replace/exclude) or files must be added.
   */
  buildFromCopy?: boolean;
  /** Minimum Go version, "1.25". */
  minGo: string;
}

export const TEMPORAL_CLI: GoTool = {
  name: 'temporal',
  module: 'github.com/temporalio/cli',
  // v1.5.1 is the newest release `go install` accepts (later ones carry a replace directive).
  version: 'v1.5.1',
  mainPackage: 'cmd/temporal',
  minGo: '1.25',
};

export const FERRETDB: GoTool = {
  name: 'ferretdb',
  module: 'github.com/FerretDB/FerretDB',
  version: 'v1.24.2',
  mainPackage: 'cmd/ferretdb',
  generatedFiles: { 'build/version/version.txt': 'v1.24.2\n' },
  buildFromCopy: true,
  minGo: '1.24',
};

/**
 * Docker Compose v2, only to check `docker-compose.yml` (`docker-compose config`) where no Docker
 * engine or compose plugin is installed (CI). Its go.mod has exclude directives, so it is built from
 * a copy of the module.
 */
export const DOCKER_COMPOSE: GoTool = {
  name: 'docker-compose',
  module: 'github.com/docker/compose/v2',
  version: 'v2.40.3',
  mainPackage: 'cmd',
  buildFromCopy: true,
  minGo: '1.24',
};

export class GoMissingError extends Error {
  constructor(detail: string) {
    super(
      `${detail}\n` +
        'The embedded Temporal server and document store are built from source with Go.\n' +
        'Ways out:\n' +
        '  1. install Go >= 1.25 (https://go.dev/dl/) and run again, or\n' +
        '  2. use servers you already have: set TEMPORAL_ADDRESS (host:port) and MONGODB_URI,\n' +
        '     for example after `docker compose up -d temporal mongo`:\n' +
        '       TEMPORAL_ADDRESS=127.0.0.1:7233 MONGODB_URI=mongodb://127.0.0.1:27017 npm start',
    );
    this.name = 'GoMissingError';
  }
}

export function toolPath(toolsDir: string, tool: GoTool): string {
  return path.join(toolsDir, 'bin', tool.name);
}

function goVersion(): string | undefined {
  const result = spawnSync('go', ['env', 'GOVERSION'], { encoding: 'utf8', env: goEnv() });
  if (result.error || result.status !== 0) return undefined;
  return result.stdout.trim().replace(/^go/, '');
}

function versionAtLeast(have: string, want: string): boolean {
  const a = have.split('.').map((x) => parseInt(x, 10) || 0);
  const b = want.split('.').map((x) => parseInt(x, 10) || 0);
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0);
  }
  return true;
}

function goEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  // GOTOOLCHAIN=local: never try to download another Go toolchain (that needs the internet).
  return { ...process.env, GOTOOLCHAIN: 'local', CGO_ENABLED: '0', ...extra };
}

type Progress = (line: string) => void;

function run(
  cmd: string,
  args: string[],
  opts: { cwd?: string; env: NodeJS.ProcessEnv },
  progress: Progress,
) {
  return new Promise<string>((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let tail = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => {
      const text = chunk.toString();
      tail = (tail + text).slice(-4000);
      for (const line of text.split('\n')) if (line.trim()) progress(line.trim());
    });
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0
        ? resolve(stdout)
        : reject(new Error(`${cmd} ${args.join(' ')} failed (exit ${code}):\n${tail}`)),
    );
  });
}

/**
 * Returns the path of the tool's binary, building it first when it is missing.
 * `progress` receives one line per step (module downloads, build start, elapsed time).
 */
export async function ensureGoTool(toolsDir: string, tool: GoTool, progress: Progress): Promise<string> {
  const target = toolPath(toolsDir, tool);
  if (fs.existsSync(target)) return target;

  const have = goVersion();
  if (!have) throw new GoMissingError(`Go was not found on PATH, and ${target} is missing.`);
  if (!versionAtLeast(have, tool.minGo)) {
    throw new GoMissingError(
      `Go ${have} is too old to build ${tool.name} ${tool.version} (needs >= ${tool.minGo}).`,
    );
  }

  fs.mkdirSync(path.dirname(target), { recursive: true });
  const started = Date.now();
  const ticker = setInterval(
    () =>
      progress(
        `still building ${tool.name} ${tool.version} (${Math.round((Date.now() - started) / 1000)} s)`,
      ),
    15000,
  );
  try {
    progress(`building ${tool.name} ${tool.version} with Go ${have} (first run only; several minutes)`);
    const tmpBin = `${target}.partial-${process.pid}`;
    if (!tool.buildFromCopy) {
      await run(
        'go',
        ['install', `${tool.module}/${tool.mainPackage}@${tool.version}`],
        { env: goEnv({ GOBIN: path.dirname(tmpBin) + path.sep + `.gobin-${process.pid}` }) },
        progress,
      );
      fs.renameSync(path.join(path.dirname(tmpBin), `.gobin-${process.pid}`, tool.name), tmpBin);
      fs.rmSync(path.join(path.dirname(tmpBin), `.gobin-${process.pid}`), { recursive: true, force: true });
    } else {
      const info = JSON.parse(
        await run(
          'go',
          ['mod', 'download', '-json', `${tool.module}@${tool.version}`],
          { env: goEnv() },
          progress,
        ),
      ) as { Dir?: string; Error?: string };
      if (!info.Dir)
        throw new Error(`go mod download ${tool.module}@${tool.version}: ${info.Error ?? 'no Dir'}`);
      const work = fs.mkdtempSync(path.join(os.tmpdir(), `${tool.name}-src-`));
      try {
        fs.cpSync(info.Dir, work, { recursive: true });
        makeWritable(work);
        for (const [rel, content] of Object.entries(tool.generatedFiles ?? {})) {
          fs.writeFileSync(path.join(work, rel), content);
        }
        await run(
          'go',
          ['build', '-o', tmpBin, `./${tool.mainPackage}`],
          { cwd: work, env: goEnv() },
          progress,
        );
      } finally {
        fs.rmSync(work, { recursive: true, force: true });
      }
    }
    fs.renameSync(tmpBin, target);
    progress(`built ${target} in ${Math.round((Date.now() - started) / 1000)} s`);
    return target;
  } finally {
    clearInterval(ticker);
  }
}

function makeWritable(dir: string): void {
  // Module-cache copies are read-only; make the copy writable so it can be edited and removed.
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    fs.chmodSync(p, entry.isDirectory() ? 0o755 : 0o644);
    if (entry.isDirectory()) makeWritable(p);
  }
}
