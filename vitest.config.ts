import {defineConfig} from 'vitest/config'

const report = process.env.ECSOPS_TEST_REPORT

/**
 * The developer's own settings must not reach the tests: an AWS_ENDPOINT_URL, AWS_PROFILE or
 * ECSOPS_CLUSTER in the shell, or running inside GitHub Actions, would change what ecsops does
 * and make tests pass or fail by machine. The test workers inherit this process's environment,
 * so the variables are removed here, before any worker starts; each test sets what it needs.
 */
const INHERITED = /^(AWS_|ECSOPS_|GITHUB_|OCLIF_)|^(DEBUG|FORCE_COLOR|NO_COLOR|TERM|CI)$/
for (const name of Object.keys(process.env)) if (INHERITED.test(name)) delete process.env[name]

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 20_000,
    hookTimeout: 20_000,
    pool: 'forks',
    env: {NO_COLOR: '1', AWS_EC2_METADATA_DISABLED: 'true', AWS_CONFIG_FILE: '/nonexistent/aws-config', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/aws-credentials'},
    reporters: report ? ['default', ['json', {outputFile: report}]] : ['default'],
  },
})
