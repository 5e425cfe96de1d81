import {defineConfig, mergeConfig} from 'vitest/config'

import base from './vitest.config.js'

/**
 * The tests that need no build: everything except the ones that spawn the built CLI
 * (`cli.test.ts`, `test/e2e/`), which would otherwise run against whatever `dist/` holds.
 * Used by `npm run test:unit` and by the mutation run (`npm run mutation`), whose mutants live in
 * `src/` and never reach `dist/`.
 */
export default mergeConfig(base, defineConfig({test: {exclude: ['**/node_modules/**', 'test/e2e/**', 'test/**/cli.test.ts']}}))
