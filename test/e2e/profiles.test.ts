/**
 * A named profile that does not exist must never fall through to the next credentials of the
 * chain (environment keys here, the runner's container or instance role in CI), and a failing
 * credential_process must be said with its own words (issue 14, item 1). Built CLI against the
 * local AWS stand-in, whose environment carries static keys: the fall-through would succeed.
 */
import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {startAwsStub, type AwsStub} from '../helpers/aws-stub.js'
import {cleanEnv, runCli} from '../helpers/cli.js'

const AWS_CONFIG = `[profile prod]
region = eu-west-1
aws_access_key_id = AKIDPROD
aws_secret_access_key = prod-secret

[profile staging]
region = eu-west-1

[profile broken]
region = eu-west-1
credential_process = sh -c "echo 'session expired: run corp-login first' >&2; exit 1"
`

describe('named profiles (built CLI)', () => {
  let stub: AwsStub
  let dir: string
  beforeAll(async () => {
    stub = await startAwsStub({
      'sts:GetCallerIdentity': () => ({UserId: 'AIDARUNNER', Account: '999999999999', Arn: 'arn:aws:iam::999999999999:user/runner'}),
    })
    dir = mkdtempSync(join(tmpdir(), 'ecsops-profiles-'))
    writeFileSync(join(dir, 'aws-config'), AWS_CONFIG)
  })
  afterAll(() => stub.close())

  const env = (extra: Record<string, string | undefined> = {}) => cleanEnv(stub.env({AWS_CONFIG_FILE: join(dir, 'aws-config'), ...extra}))

  it('--profile with a typo is exit 2 naming it, the nearest profile and the known ones; no AWS call is made with other credentials', async () => {
    const before = stub.calls.length
    const r = await runCli(['config', '--profile', 'prod-typo'], {cwd: dir, env: env()})
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/^error: Profile "prod-typo" \(from --profile\) is not in ~\/\.aws\/config or ~\/\.aws\/credentials: did you mean "prod"\?$/m)
    expect(r.stderr).toContain('Known profiles: broken, prod, staging.')
    expect(stub.calls.length).toBe(before)
  })

  it('the same for AWS_PROFILE and for a profile named in the config file', async () => {
    const fromEnv = await runCli(['config'], {cwd: dir, env: env({AWS_PROFILE: 'stagign'})})
    expect(fromEnv.code).toBe(2)
    expect(fromEnv.stderr).toMatch(/Profile "stagign" \(from AWS_PROFILE\) .*did you mean "staging"\?/)
    const configDir = mkdtempSync(join(tmpdir(), 'ecsops-profiles-'))
    writeFileSync(join(configDir, '.ecsops.yml'), 'environments:\n  prd: {profile: prod-does-not-exist, cluster: app}\n')
    const fromFile = await runCli(['migrate', '--env', 'prd', '--service', 'web', '--dry-run', '--', 'true'], {cwd: configDir, env: env()})
    expect(fromFile.code).toBe(2)
    expect(fromFile.stderr).toMatch(/Profile "prod-does-not-exist" \(from \.ecsops\.yml \(environments\.prd\)\)/)
    expect(stub.callsOf('ecs:DescribeServices')).toEqual([])
  })

  it('an existing profile is used with its own keys, not the environment\'s', async () => {
    const before = stub.calls.length
    const r = await runCli(['config', '--profile', 'prod'], {cwd: dir, env: env()})
    expect(r.code).toBe(0)
    // Every call of this run, not just the last one the stub saw, is signed with the profile's key.
    expect(stub.calls.slice(before).map((c) => c.accessKeyId)).toEqual(['AKIDPROD'])
  })

  it('environment keys beside a named profile: one line saying the profile wins, not the SDK\'s 9-line warning about AWS_PROFILE', async () => {
    const before = stub.calls.length
    const r = await runCli(['config', '--profile', 'prod'], {cwd: dir, env: env({AWS_ACCESS_KEY_ID: 'AKIDENV', AWS_SECRET_ACCESS_KEY: 'env-secret'})})
    expect(r.code).toBe(0)
    expect(stub.calls.slice(before).map((c) => c.accessKeyId)).toEqual(['AKIDPROD'])
    expect(r.stderr).toBe('warning: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are set but not used: profile prod (from --profile) supplies the credentials, as the AWS SDK prefers a named profile.\n')
  })

  it('the same line names AWS_PROFILE when the user set it, and nothing is said without environment keys', async () => {
    const fromEnv = await runCli(['config'], {cwd: dir, env: env({AWS_PROFILE: 'prod', AWS_ACCESS_KEY_ID: 'AKIDENV', AWS_SECRET_ACCESS_KEY: 'env-secret'})})
    expect(fromEnv.code).toBe(0)
    expect(fromEnv.stderr).toBe('warning: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are set but not used: profile prod (from AWS_PROFILE) supplies the credentials, as the AWS SDK prefers a named profile.\n')
    const keysOnly = await runCli(['config', '--profile', 'prod'], {cwd: dir, env: env({AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined})})
    expect(keysOnly.code).toBe(0)
    expect(keysOnly.stderr).toBe('')
  })

  it('a failing credential_process is exit 3 quoting its stderr and naming the profile, with no sso hint', async () => {
    const r = await runCli(['config', '--profile', 'broken'], {cwd: dir, env: env()})
    expect(r.code).toBe(3)
    expect(r.stderr).toMatch(/^error: The credential_process of profile broken failed: session expired: run corp-login first$/m)
    expect(r.stderr).toMatch(/Run it by hand to see why: sh -c/)
    expect(r.stderr).not.toMatch(/sso login/)
  })
})
