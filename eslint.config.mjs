// @ts-check
// Lint rules that catch what the compiler does not (unawaited promises, non-exhaustive switches) and keep
// the module boundaries: apps reach Kafka, Redis, PostgreSQL and the OpenTelemetry SDK only through libs/.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

const THROUGH_LIBS = 'apps reach infrastructure only through libs/ (messaging, order-view, postgres, tracing, service-kit)';

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '.fanout/**', 'bench/results/**', 'apps/console/public/**', '**/*.js', '**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { parserOptions: { project: './tsconfig.test.json', tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
    },
  },
  {
    files: ['apps/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['kafkajs', 'ioredis', 'pg', 'prom-client'].map((name) => ({ name, message: THROUGH_LIBS })),
          patterns: [{ group: ['@opentelemetry/*'], message: THROUGH_LIBS }],
        },
      ],
    },
  },
  prettier,
);
