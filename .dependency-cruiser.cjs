// The walls of the architecture (see README "Layout"), checked by `npm test` with dependency-cruiser.
// A rule broken on purpose (say, `import … from '../sim/store'` in server/) fails the run naming the rule.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'console-never-imports-sim',
      comment:
        'server/, app/ and components/ reach the simulator only over the Kubernetes API, as they reach a real cluster.',
      severity: 'error',
      from: { path: '^(server|app|components)/' },
      to: { path: '^sim/' },
    },
    {
      name: 'lib-is-pure-no-node-builtins',
      comment: 'lib/ is the same code in the browser, the server and the simulator: no Node built-in modules.',
      severity: 'error',
      from: { path: '^lib/', pathNot: '\\.test\\.ts$' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'lib-is-pure-no-react',
      comment: 'lib/ holds no UI: no React, no Next.',
      severity: 'error',
      from: { path: '^lib/' },
      to: { path: 'node_modules/(react|react-dom|next|@monaco-editor|monaco-editor)/' },
    },
    {
      name: 'lib-imports-no-layer-above',
      comment: 'lib/ is the bottom layer: nothing from server/, components/, app/, sim/ or scripts/.',
      severity: 'error',
      from: { path: '^lib/' },
      to: { path: '^(server|components|app|sim|scripts)/' },
    },
    {
      name: 'lib-domain-never-imports-api-contract',
      comment:
        'lib/mco and lib/diff are the domain; lib/api is the /api contract built on them. A shape both need lives in the domain and lib/api re-exports it.',
      severity: 'error',
      from: { path: '^lib/', pathNot: ['^lib/api/', '\\.test\\.ts$'] },
      to: { path: '^lib/api/' },
    },
    {
      name: 'components-never-import-server',
      comment: 'components/ get data from /api through react-query hooks; they never import server-only code.',
      severity: 'error',
      from: { path: '^components/' },
      to: { path: '^server/' },
    },
    {
      name: 'no-circular',
      comment:
        'Import cycles make layers meaningless and modules hard to test alone (type-only imports are erased at build and do not count).',
      severity: 'error',
      from: { path: '^(lib|server|components|app|sim)/' },
      to: { circular: true, dependencyTypesNot: ['type-only'], viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|\\.next[^/]*|\\.data|test-results)/' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
