// Shared Jest configuration. Tests run as native ES modules (inversify 8 and commander are
// ESM-only), TypeScript is compiled by swc with legacy decorators (inversify's parameter
// decorators), and workspace packages resolve to their TypeScript sources through the
// "@bq-sftp-export/source" export condition, so tests never need a build first.
import path from 'node:path';

const swc = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: false },
    target: 'es2023',
  },
  module: { type: 'es6' },
  sourceMaps: 'inline',
};

/** @param {{ rootDir: string, kind: 'unit' | 'int' }} options */
export function jestConfig({ rootDir, kind }) {
  const isInt = kind === 'int';
  return {
    rootDir: path.resolve(rootDir),
    displayName: path.basename(rootDir),
    testEnvironment: 'node',
    testEnvironmentOptions: {
      customExportConditions: ['@bq-sftp-export/source', 'node', 'node-addons'],
    },
    extensionsToTreatAsEsm: ['.ts'],
    moduleFileExtensions: ['ts', 'js', 'mjs', 'cjs', 'json', 'node'],
    moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
    transform: { '^.+\\.ts$': ['@swc/jest', swc] },
    testMatch: isInt ? ['<rootDir>/**/*.int.spec.ts'] : ['<rootDir>/**/*.spec.ts'],
    testPathIgnorePatterns: ['/node_modules/', '/dist/', ...(isInt ? [] : ['\\.int\\.spec\\.ts$'])],
    testTimeout: isInt ? 120_000 : 30_000,
    maxWorkers: isInt ? 1 : 2,
  };
}
