// ESLint: Next.js's rule sets (core web vitals, TypeScript) over the whole project, run by `npm test`.
import nextVitals from 'eslint-config-next/core-web-vitals';
import nextTs from 'eslint-config-next/typescript';

export default [
  ...nextVitals,
  ...nextTs,
  {
    ignores: ['node_modules/**', '.next/**', '.next-*/**', '.data/**', 'test-results/**', 'e2e/screenshots/**', 'next-env.d.ts'],
  },
];
