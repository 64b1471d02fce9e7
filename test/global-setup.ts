import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../config/env';
import { logger } from '../config/logger';
import { startInfrastructure, type Infrastructure } from '../scripts/lib/infrastructure';
import { TEST_ENV } from './test-env';

declare global {
  var __ANALOG_TEST_INFRA__: Infrastructure | undefined;
}

export default async function globalSetup(): Promise<void> {
  for (const [key, value] of Object.entries(TEST_ENV)) process.env[key] ??= value;
  process.env.DATA_DIR ??= fs.mkdtempSync(path.join(os.tmpdir(), 'analog-test-'));
  const cfg = loadConfig();
  const started = Date.now();
  globalThis.__ANALOG_TEST_INFRA__ = await startInfrastructure(cfg, logger('test-setup'), { headless: true });
  if (Date.now() - started > 5000) {
    process.stdout.write(`\n[test-setup] servers up in ${Math.round((Date.now() - started) / 1000)} s\n`);
  }
}
