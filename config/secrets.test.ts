import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, loadConfig } from './env';
import { jwtSecret } from './secrets';

describe('JWT secret', () => {
  it('is required in production: there is no default secret', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(ConfigError);
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/JWT_SECRET/);
    const cfg = loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(40) });
    expect(jwtSecret(cfg)).toBe('x'.repeat(40));
  });

  it('is generated once in development, kept in the data folder with user-only permissions', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'secret-test-'));
    try {
      const cfg = loadConfig({ NODE_ENV: 'development', DATA_DIR: dir });
      const first = jwtSecret(cfg);
      expect(first).toMatch(/^[0-9a-f]{64}$/);
      expect(jwtSecret(cfg)).toBe(first); // survives a restart
      const file = path.join(dir, 'secrets', 'jwt-secret');
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);
      expect(fs.readFileSync(file, 'utf8').trim()).toBe(first);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
