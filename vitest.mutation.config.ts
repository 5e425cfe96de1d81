import {defineConfig, mergeConfig} from 'vitest/config'

import base from './vitest.config.js'

// For `npm run mutation`: the tests that exercise src/ in-process. Tests that spawn the built CLI
// (dist/) cannot see a mutant of src/ and only cost time.
export default mergeConfig(
  base,
  defineConfig({
    test: {
      exclude: ['test/e2e/**', 'test/**/cli.test.ts', 'node_modules/**'],
      reporters: ['default'],
    },
  }),
)
