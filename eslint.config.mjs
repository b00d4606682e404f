// ESLint: Next.js's rule sets (core web vitals, TypeScript) over the whole project, run by `npm test`.
import nextVitals from 'eslint-config-next/core-web-vitals';
import nextTs from 'eslint-config-next/typescript';

const config = [
  ...nextVitals,
  ...nextTs,
  {
    // Tests poke raw API JSON of any kind; strict typing there buys little.
    files: ['**/*.test.ts', 'tests/**', 'e2e/**', 'bench/**', 'sim/apiserver/test-harness.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // Leaving out fields by destructuring ({ metadata: _m, ...rest }) and `_`-named unused parameters are deliberate.
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'warn',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
    },
  },
  {
    ignores: [
      'node_modules/**',
      '.next/**',
      '.next-*/**',
      '.data/**',
      'test-results/**',
      'e2e/screenshots/**',
      'next-env.d.ts',
    ],
  },
];

export default config;
