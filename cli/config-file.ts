/**
 * The CLI's own settings file: the API's URL and a personal API token. Kept with user-only permissions
 * (0600 in a 0700 folder), because the token acts as the user. Location: `$ANALOG_CONFIG`, else
 * `$XDG_CONFIG_HOME/analog-composer/config.json`, else `~/.config/analog-composer/config.json`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { CliError } from './errors';

export const DEFAULT_API_URL = 'http://127.0.0.1:3000';

const fileSchema = z.object({
  apiUrl: z.string().url().optional(),
  token: z.string().optional(),
  tokenId: z.string().optional(),
  email: z.string().optional(),
});
export type CliSettings = z.infer<typeof fileSchema>;

export function configPath(env: NodeJS.ProcessEnv = process.env): string {
  if (env.ANALOG_CONFIG) return path.resolve(env.ANALOG_CONFIG);
  const base = env.XDG_CONFIG_HOME || path.join(os.homedir(), '.config');
  return path.join(base, 'analog-composer', 'config.json');
}

export function readSettings(file = configPath()): CliSettings {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new CliError(`cannot read ${file}: ${(err as Error).message}`);
  }
  if (process.platform !== 'win32' && (fs.statSync(file).mode & 0o077) !== 0) {
    // Someone widened the permissions: narrow them again rather than keep a readable token around.
    fs.chmodSync(file, 0o600);
    process.stderr.write(`warning: ${file} was readable by others; its permissions are now 0600\n`);
  }
  try {
    return fileSchema.parse(JSON.parse(text));
  } catch {
    throw new CliError(`${file} is not a valid analog settings file; delete it and run "analog login" again`);
  }
}

export function writeSettings(settings: CliSettings, file = configPath()): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, `${JSON.stringify(settings, null, 2)}\n`, { mode: 0o600 });
  fs.chmodSync(temporary, 0o600);
  fs.renameSync(temporary, file);
}
