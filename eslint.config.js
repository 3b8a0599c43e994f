import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', '.wrangler/', '.data/', '.assets/', 'test/out/', 'bench/out/', 'workers/worker-configuration.d.ts', 'client/src/schema.d.ts', 'client/node_modules/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-console': 'off',
    },
  },
  {
    // Handlers never reach the database directly (STYLE.md §2): SQL lives in service.ts files.
    files: ['workers/**/index.ts', 'workers/**/routes.ts', 'workers/**/schemas.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['drizzle-orm', 'drizzle-orm/*'], message: 'Handlers call service verbs; SQL belongs in service.ts.' }] }],
    },
  },
);
