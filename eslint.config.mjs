// Lint rules: typescript-eslint's recommended set, plus the project's boundary rules.
import tseslint from 'typescript-eslint';
import layers from './scripts/lint/layer-boundaries.mjs';

/** Node built-ins and the store driver: what code for the workflow sandbox and the browser must not load. */
const NODE_AND_STORE = ['fs', 'path', 'node:*', 'mongoose'];

/** A rule forbidding packages in some files (our own folders are the layering table's business). */
function forbidPackages(files, ignores, group, message) {
  return {
    files,
    ignores,
    rules: { 'no-restricted-imports': ['error', { patterns: [{ group, message }] }] },
  };
}

export default tseslint.config(
  {
    ignores: ['node_modules/**', '.tools/**', '.data/**', '.venv/**', 'dist/**', 'coverage/**', 'bin/**'],
  },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // The layering, one entry per top-level folder (docs/architecture.md draws it; each folder's README
    // says the same). `may`: what its code imports of ours; `types`: folders it takes types from only;
    // `tests`: what its tests may import (anything, unless said). Packages are restricted below.
    files: ['**/*.{ts,tsx,mts,cts,js,mjs,cjs}'],
    plugins: { layers },
    rules: {
      'layers/layer-boundaries': [
        'error',
        {
          root: import.meta.dirname,
          layers: {
            'sim-core': { may: [], tests: [] },
            contracts: { may: ['sim-core/configs'], types: ['sim-core'] },
            'experiment-spec': { may: ['sim-core/configs', 'contracts'], types: ['sim-core'] },
            imc: { may: ['sim-core', 'contracts'] },
            config: { may: [] },
            infra: { may: ['config'] },
            persistence: { may: ['contracts', 'config', 'infra'] },
            'temporal-config': { may: ['contracts', 'config', 'infra'] },
            activities: {
              may: [
                'sim-core',
                'imc',
                'experiment-spec',
                'contracts',
                'persistence',
                'temporal-config',
                'config',
              ],
            },
            workflows: {
              // The workflow sandbox: plain-data contracts and Temporal settings; activities as types.
              may: [
                'contracts',
                'temporal-config/timeouts',
                'temporal-config/retry-policies',
                'temporal-config/search-attributes',
              ],
              types: ['activities'],
            },
            'task-queues': {
              may: [
                'activities',
                'workflows',
                'experiment-spec',
                'contracts',
                'persistence',
                'temporal-config',
                'config',
                'infra',
              ],
            },
            api: {
              may: [
                'workflows/client',
                'workflows/definitions',
                'experiment-spec',
                'contracts',
                'persistence',
                'temporal-config',
                'config',
                'infra',
              ],
            },
            cli: { may: ['experiment-spec', 'contracts'] },
            web: { may: ['experiment-spec', 'contracts'] },
            scripts: {
              // `npm start` bundles the workflow code by path and starts workers and the API as processes.
              may: [
                'task-queues',
                'workflows',
                'experiment-spec',
                'contracts',
                'persistence',
                'temporal-config',
                'config',
                'infra',
              ],
            },
            parity: { may: ['sim-core'], tests: ['sim-core'] },
            bench: { may: ['*'] },
            test: { may: ['*'] },
          },
        },
      ],
    },
  },
  // Workflow code is bundled into Temporal's deterministic sandbox (workflows/client.ts is not).
  forbidPackages(
    ['workflows/**/*.ts'],
    ['workflows/**/*.test.ts', 'workflows/client.ts'],
    [...NODE_AND_STORE, '@temporalio/client', '@tensorflow/*'],
    'Workflows are deterministic: no I/O, no Node built-ins.',
  ),
  // The contracts and the experiment schema run in workflows, the API, the CLI and the browser.
  forbidPackages(
    ['contracts/**/*.ts', 'experiment-spec/**/*.ts'],
    ['**/*.test.ts', '**/test-utils/**', 'experiment-spec/aihwkit-cloud/**'],
    [...NODE_AND_STORE, '@temporalio/*', '@tensorflow/*', 'protobufjs', 'protobufjs/*'],
    'contracts and experiment-spec run in workflows and browsers: zod only (protobufjs in experiment-spec/aihwkit-cloud/).',
  ),
  forbidPackages(
    ['experiment-spec/aihwkit-cloud/**/*.ts'],
    ['**/*.test.ts'],
    [...NODE_AND_STORE, '@temporalio/*', '@tensorflow/*'],
    'experiment-spec runs in workflows and browsers: zod and protobufjs only.',
  ),
);
