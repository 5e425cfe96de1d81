import {defineConfig} from 'vitest/config'

// A developer's own AWS, ecsops and CI settings (AWS_ENDPOINT_URL, AWS_PROFILE, ECSOPS_CLUSTER,
// GITHUB_ACTIONS …) must not reach the tests: the workers inherit this process's environment.
for (const key of Object.keys(process.env)) {
  if (/^(AWS_|ECSOPS_|GITHUB_|GITLAB_)/.test(key) && key !== 'ECSOPS_TEST_REPORT') delete process.env[key]
}

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 20_000,
    hookTimeout: 20_000,
    pool: 'forks',
    // The CLI's own environment must not leak into tests: each test sets what it needs.
    // The SDK's Node 20 support notice, which the CLI silences too (src/aws/clients.ts), is noise in a test log.
    env: {NO_COLOR: '1', AWS_EC2_METADATA_DISABLED: 'true', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true'},
    reporters: process.env.ECSOPS_TEST_REPORT ? ['default', ['json', {outputFile: process.env.ECSOPS_TEST_REPORT}]] : ['default'],
  },
})
