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
);
