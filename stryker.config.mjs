// `npm run mutation`: StrykerJS puts one plausible bug at a time into the decision modules and runs
// the unit tests against each; a mutant no test notices ("survived") is a bug the suite would let
// through. Not part of `npm test` or .ci/run: it takes minutes, not seconds.
// One module: `npx stryker run --mutate src/exec/plugin.ts`. Report: reports/mutation/mutation.html.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  packageManager: 'npm',
  testRunner: 'vitest',
  // The unit tests only: the built-CLI tests run dist/, which mutants in src/ never reach.
  vitest: {configFile: 'vitest.unit.config.ts', related: false},
  checkers: ['typescript'],
  tsconfigFile: 'tsconfig.stryker.json',
  typescriptChecker: {prioritizePerformanceOverAccuracy: true},
  coverageAnalysis: 'perTest',
  mutate: [
    'src/migrate/outcome.ts',
    'src/migrate/logs.ts',
    'src/endpoints/audit.ts',
    'src/endpoints/policy.ts',
    'src/endpoints/needs.ts',
    'src/exec/checks.ts',
    'src/exec/plugin.ts',
    'src/exec/session.ts',
    'src/config/settings.ts',
    'src/iam/*.ts',
  ],
  ignorePatterns: ['dist', 'coverage', 'reports', '.stryker-tmp', '*.tgz'],
  // The machine's cores are shared: raise with --concurrency where there are more.
  concurrency: 2,
  timeoutMS: 10_000,
  reporters: ['clear-text', 'progress', 'json', 'html'],
  jsonReporter: {fileName: 'reports/mutation/mutation.json'},
  htmlReporter: {fileName: 'reports/mutation/mutation.html'},
  thresholds: {high: 90, low: 80, break: null},
  tempDirName: '.stryker-tmp',
}
