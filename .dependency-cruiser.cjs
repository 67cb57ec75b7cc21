/**
 * Layer rules, checked by `pnpm lint:layers` (part of `pnpm lint`):
 * - domain code is pure: no SDK, no Node I/O module, no adapter, no application code;
 * - a service never imports another service;
 * - packages never import services.
 * @type {import('dependency-cruiser').IConfiguration}
 */
module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      comment:
        'domain/ holds pure logic: it may import only other domain code, the contracts, the export domain and zod.',
      severity: 'error',
      from: { path: '/domain/' },
      to: {
        pathNot: [
          '/domain/',
          '^packages/contracts/',
          '^packages/export-domain/',
          'node_modules/zod/',
          'node_modules/@bq-sftp-export/contracts/',
          'node_modules/@bq-sftp-export/export-domain/',
        ],
        dependencyTypesNot: ['type-only'],
      },
    },
    {
      name: 'domain-not-to-adapters',
      severity: 'error',
      from: { path: '/domain/' },
      to: { path: '/(adapters|application)/' },
    },
    {
      name: 'no-service-to-other-service',
      comment: 'Services share code through packages/, never by importing each other.',
      severity: 'error',
      from: { path: '^services/([^/]+)/' },
      to: { path: '^services/([^/]+)/', pathNot: '^services/$1/' },
    },
    {
      name: 'packages-not-to-services',
      comment: 'The benchmark measures the services themselves, so it alone may import them.',
      severity: 'error',
      from: { path: '^packages/', pathNot: '^packages/bench/' },
      to: { path: '^services/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(dist|node_modules|\\.turbo)/' },
    tsPreCompilationDeps: true,
    combinedDependencies: true,
    tsConfig: { fileName: 'tsconfig.depcruise.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['@bq-sftp-export/source', 'import', 'require', 'node', 'default'],
      mainFields: ['module', 'main', 'types'],
    },
  },
};
