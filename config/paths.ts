import path from 'node:path';

/** The repository root; every default folder below is relative to it. */
export const PROJECT_ROOT = path.resolve(__dirname, '..');

/** Where `npm start` keeps the embedded servers' data (git-ignored). */
export const DEFAULT_DATA_DIR = path.join(PROJECT_ROOT, '.data');

/** Where the Go-built servers are installed (git-ignored). */
export const DEFAULT_TOOLS_DIR = path.join(PROJECT_ROOT, '.tools');
