/**
 * Secrets the API needs, from configuration only. In production `JWT_SECRET` must be set (the config
 * schema refuses to start without it). Outside production a missing secret is generated once and
 * kept in the data folder (user-only permissions), so tokens survive restarts of `npm start`.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { AppConfig } from './env';

export const DEV_SECRET_FILE = 'jwt-secret';

export function jwtSecret(cfg: AppConfig): string {
  if (cfg.JWT_SECRET) return cfg.JWT_SECRET;
  if (cfg.NODE_ENV === 'production') {
    // Unreachable through loadConfig(); kept so a hand-built config cannot slip through.
    throw new Error('JWT_SECRET is required when NODE_ENV=production');
  }
  const dir = path.join(cfg.DATA_DIR, 'secrets');
  const file = path.join(dir, DEV_SECRET_FILE);
  try {
    const existing = fs.readFileSync(file, 'utf8').trim();
    if (existing.length >= 32) return existing;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const secret = randomBytes(32).toString('hex');
  try {
    // 'wx': when two processes race, the first write wins and the second reads it back.
    fs.writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
    return secret;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    return fs.readFileSync(file, 'utf8').trim();
  }
}
