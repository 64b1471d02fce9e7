// Lint rules: typescript-eslint's recommended set, plus the project's boundary rules.
import tseslint from 'typescript-eslint';

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
    // sim-core is a pure library: it may import only external packages and itself.
    files: ['sim-core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                '**/activities/**',
                '**/api/**',
                '**/workflows/**',
                '**/persistence/**',
                '**/task-queues/**',
                '**/temporal-config/**',
                '**/config/**',
                '**/experiment-spec/**',
              ],
              message: 'sim-core imports nothing else of ours.',
            },
          ],
        },
      ],
    },
  },
  {
    // Workflow code is bundled into Temporal's deterministic sandbox: no I/O, no Node built-ins.
    files: ['workflows/**/*.ts'],
    ignores: ['workflows/**/*.test.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              allowTypeImports: true,
              group: [
                '**/activities/*',
                '**/activities',
                '**/persistence/**',
                '**/sim-core/**',
                '**/api/**',
                'fs',
                'node:*',
                'mongoose',
              ],
              message:
                'Workflows are deterministic: they reach activities only through proxyActivities types.',
            },
          ],
        },
      ],
    },
  },
  ...['experiment-spec', 'experiment-spec/aihwkit-cloud'].map((folder) => ({
    // The experiment schema is imported by workflows (deterministic sandbox), the API, the CLI and the web:
    // only zod, sim-core's pure config schemas, and (in the cloud-format folder) protobufjs.
    files:
      folder === 'experiment-spec'
        ? ['experiment-spec/*.ts', 'experiment-spec/docs/*.ts']
        : ['experiment-spec/aihwkit-cloud/**/*.ts'],
    ignores: ['experiment-spec/**/*.test.ts', 'experiment-spec/test-helpers.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                '**/activities/**',
                '**/api/**',
                '**/workflows/**',
                '**/persistence/**',
                '**/task-queues/**',
                '!**/task-queues/names',
                '!**/task-queues/capabilities',
                '**/temporal-config/**',
                '**/config/**',
                '**/infra/**',
                '**/sim-core/**',
                '!**/sim-core/configs',
                'fs',
                'path',
                'node:*',
                'mongoose',
                '@temporalio/*',
                '@tensorflow/*',
                ...(folder === 'experiment-spec' ? ['protobufjs', 'protobufjs/*'] : []),
              ],
              message:
                'experiment-spec may import only zod, sim-core/configs and the queue names/capabilities of task-queues (protobufjs in aihwkit-cloud/): workflows import it.',
            },
          ],
        },
      ],
    },
  })),
);
