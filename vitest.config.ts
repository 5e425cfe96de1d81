import {defineConfig} from 'vitest/config'

// A developer's own AWS, ecsops, CI and terminal settings (AWS_ENDPOINT_URL, AWS_PROFILE,
// ECSOPS_CLUSTER, GITHUB_ACTIONS, CI, FORCE_COLOR, TERM=dumb, DEBUG …) must not reach the tests:
// they would change what ecsops does and make tests pass or fail by machine. The workers inherit
// this process's environment, so the variables are removed here; each test sets what it needs.
const INHERITED = /^(AWS_|ECSOPS_|GITHUB_|GITLAB_|OCLIF_)|^(DEBUG|FORCE_COLOR|NO_COLOR|TERM|CI)$/
for (const key of Object.keys(process.env)) {
  if (INHERITED.test(key) && key !== 'ECSOPS_TEST_REPORT') delete process.env[key]
}

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 20_000,
    hookTimeout: 20_000,
    pool: 'forks',
    globalSetup: ['test/helpers/temp-root.ts'],
    // No AWS config or credentials file of the machine either: a test that needs one sets its own.
    env: {
      NO_COLOR: '1',
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_CONFIG_FILE: '/nonexistent/aws-config',
      AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/aws-credentials',
      // The SDK's Node 20 support notice, which the CLI silences too (src/aws/clients.ts), is noise in a test log.
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    },
    reporters: process.env.ECSOPS_TEST_REPORT ? ['default', ['json', {outputFile: process.env.ECSOPS_TEST_REPORT}]] : ['default'],
  },
})
