import {defineConfig} from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 20_000,
    hookTimeout: 20_000,
    pool: 'forks',
    // The CLI's own environment must not leak into tests: each test sets what it needs.
    env: {NO_COLOR: '1', AWS_EC2_METADATA_DISABLED: 'true'},
    reporters: process.env.ECSOPS_TEST_REPORT ? ['default', ['json', {outputFile: process.env.ECSOPS_TEST_REPORT}]] : ['default'],
  },
})
