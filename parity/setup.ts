/**
 * `npm run parity:setup`: a project-local Python virtual environment (`.venv`) with AIHWKit 1.1.0 from
 * PyPI, for the parity harness. Does nothing when `.venv` already imports AIHWKit; never deletes or
 * recreates an existing venv (it only installs what is missing into it).
 *
 * Pins: AIHWKit 1.1.0's compiled extension is built against torch 2.10.0 exactly (with another torch it
 * fails to load with an undefined symbol), and PyPI's aihwkit 1.2.0 is a source-only release.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { probePython, REPO_ROOT, VENV_DIR } from './python-env';

export const PINNED_PACKAGES = ['aihwkit==1.1.0', 'torch==2.10.0', 'torchvision==0.25.0', 'numpy', 'scipy'];
/** Python versions AIHWKit 1.1.0 publishes wheels for (we try the newest first). */
const PYTHON_CANDIDATES = ['python3.11', 'python3.12', 'python3.10', 'python3'];

function pythonVersion(cmd: string): string | null {
  try {
    return execFileSync(cmd, ['-c', 'import sys; print("%d.%d" % sys.version_info[:2])'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return null;
  }
}

function findPython(): { cmd: string; version: string } | null {
  for (const cmd of [process.env.PARITY_BASE_PYTHON, ...PYTHON_CANDIDATES].filter(Boolean) as string[]) {
    const version = pythonVersion(cmd);
    if (version && /^3\.(1[0-2])$/.test(version)) return { cmd, version };
  }
  return null;
}

function run(cmd: string, args: string[]): void {
  console.log(`$ ${cmd} ${args.join(' ')}`);
  const result = spawnSync(cmd, args, { cwd: REPO_ROOT, stdio: 'inherit' });
  if (result.status !== 0) {
    throw new Error(`\`${cmd} ${args.join(' ')}\` failed (exit ${result.status ?? result.signal})`);
  }
}

async function main(): Promise<void> {
  const before = await probePython(join(VENV_DIR, 'bin', 'python'));
  if (before.available) {
    const v = before.versions;
    console.log(
      `parity:setup: .venv already has AIHWKit ${v?.aihwkit} (torch ${v?.torch}, Python ${v?.python}); nothing to do.`,
    );
    return;
  }
  if (!existsSync(join(VENV_DIR, 'bin', 'python'))) {
    const base = findPython();
    if (!base) {
      throw new Error(
        'parity:setup: no Python 3.10–3.12 found (AIHWKit 1.1.0 wheels need one). Install Python, or set ' +
          'PARITY_BASE_PYTHON to an interpreter; `npm run parity` skips the AIHWKit side until then.',
      );
    }
    console.log(`parity:setup: creating .venv with ${base.cmd} (Python ${base.version})`);
    run(base.cmd, ['-m', 'venv', VENV_DIR]);
  } else {
    console.log(
      `parity:setup: .venv exists but cannot import AIHWKit (${before.reason}); installing into it`,
    );
  }
  const pip = join(VENV_DIR, 'bin', 'python');
  run(pip, ['-m', 'pip', 'install', '--upgrade', 'pip']);
  run(pip, ['-m', 'pip', 'install', ...PINNED_PACKAGES]);
  const after = await probePython(pip);
  if (!after.available) throw new Error(`parity:setup: installed, but ${after.reason}`);
  console.log(`parity:setup: ready — AIHWKit ${after.versions?.aihwkit}, torch ${after.versions?.torch}`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
