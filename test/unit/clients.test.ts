import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterEach, beforeEach, describe, expect, it, vi} from 'vitest'

import {createAwsClients, describeCall} from '../../src/aws/clients.js'
import {UsageError} from '../../src/errors.js'

describe('createAwsClients', () => {
  // createAwsClients sets AWS_PROFILE (as the AWS CLI's --profile does); stubbing it first restores it after each test.
  beforeEach(() => vi.stubEnv('AWS_PROFILE', undefined))
  afterEach(() => vi.unstubAllEnvs())

  it('creates each client once, in the region, with adaptive retries and the shared credentials', async () => {
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIDTEST')
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'secret')
    const aws = createAwsClients({region: 'eu-west-3', version: '1.2.3'})
    const ecs = await aws.ecs()
    expect(await aws.ecs()).toBe(ecs)
    expect(await ecs.config.region()).toBe('eu-west-3')
    expect(await ecs.config.retryStrategy()).toMatchObject({mode: 'adaptive'})
    const logs = await aws.logs()
    expect(await logs.config.credentials()).toBe(await ecs.config.credentials())
    expect((await aws.credentials()).accessKeyId).toBe('AKIDTEST')
    const logsElsewhere = await aws.logs('us-east-1')
    expect(await logsElsewhere.config.region()).toBe('us-east-1')
    expect(await aws.logs('us-east-1')).toBe(logsElsewhere)
    expect(logsElsewhere).not.toBe(logs)
  })

  it('names the ECS endpoint, honouring AWS_ENDPOINT_URL_ECS', async () => {
    expect(await createAwsClients({region: 'eu-west-1', version: '0'}).ecsEndpointUrl()).toBe('https://ecs.eu-west-1.amazonaws.com')
    expect(await createAwsClients({region: 'cn-north-1', version: '0'}).ecsEndpointUrl()).toBe('https://ecs.cn-north-1.amazonaws.com.cn')
    vi.stubEnv('AWS_ENDPOINT_URL_ECS', 'http://localhost:4566/')
    expect(await createAwsClients({region: 'eu-west-1', version: '0'}).ecsEndpointUrl()).toBe('http://localhost:4566')
  })

  it('names the SSM endpoint (port forwarding hands it to the plugin), honouring AWS_ENDPOINT_URL_SSM and not ECS\'s', async () => {
    expect(await createAwsClients({region: 'eu-west-1', version: '0'}).ssmEndpointUrl()).toBe('https://ssm.eu-west-1.amazonaws.com')
    expect(await createAwsClients({region: 'cn-north-1', version: '0'}).ssmEndpointUrl()).toBe('https://ssm.cn-north-1.amazonaws.com.cn')
    vi.stubEnv('AWS_ENDPOINT_URL_ECS', 'http://localhost:4566/')
    vi.stubEnv('AWS_ENDPOINT_URL_SSM', 'http://localhost:4583/')
    expect(await createAwsClients({region: 'eu-west-1', version: '0'}).ssmEndpointUrl()).toBe('http://localhost:4583')
  })

  it('fails clearly when an assume-role profile needs MFA and there is no terminal', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ecsops-mfa-'))
    writeFileSync(join(dir, 'config'), '[profile base]\nregion = eu-west-1\n[profile admin]\nrole_arn = arn:aws:iam::123456789012:role/Admin\nsource_profile = base\nmfa_serial = arn:aws:iam::123456789012:mfa/alice\n')
    writeFileSync(join(dir, 'credentials'), '[base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = s\n')
    vi.stubEnv('AWS_CONFIG_FILE', join(dir, 'config'))
    vi.stubEnv('AWS_SHARED_CREDENTIALS_FILE', join(dir, 'credentials'))
    vi.stubEnv('AWS_ACCESS_KEY_ID', '')
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', '')
    const err = await createAwsClients({region: 'eu-west-1', profile: 'admin', version: '0'}).credentials().catch((e) => e)
    expect(process.env.AWS_PROFILE).toBe('admin')
    expect(err).toBeInstanceOf(UsageError)
    expect(err.message).toBe('Profile admin needs an MFA code (arn:aws:iam::123456789012:mfa/alice), and there is no terminal to ask for it.')
  })

  it('asks the MFA prompt when one is given', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ecsops-mfa-'))
    writeFileSync(join(dir, 'config'), '[profile admin]\nrole_arn = arn:aws:iam::123456789012:role/Admin\nsource_profile = base\nmfa_serial = arn:aws:iam::123456789012:mfa/alice\n')
    writeFileSync(join(dir, 'credentials'), '[base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = s\n')
    vi.stubEnv('AWS_CONFIG_FILE', join(dir, 'config'))
    vi.stubEnv('AWS_SHARED_CREDENTIALS_FILE', join(dir, 'credentials'))
    const asked: string[] = []
    const aws = createAwsClients({
      region: 'eu-west-1',
      profile: 'admin',
      version: '0',
      mfaCode: async (serial) => {
        asked.push(serial)
        throw new Error('stop here: no STS in unit tests')
      },
    })
    await aws.credentials().catch(() => undefined)
    expect(asked).toEqual(['arn:aws:iam::123456789012:mfa/alice'])
  })
})

describe('describeCall (--debug)', () => {
  it('names the service, operation, input, status and retries of one AWS call', () => {
    expect(describeCall({clientName: 'ECSClient', commandName: 'DescribeTasksCommand', input: {cluster: 'app', tasks: ['t']}, metadata: {httpStatusCode: 200, attempts: 1}}, 'ok')).toBe(
      'ECS.DescribeTasks {"cluster":"app","tasks":["t"]} → ok HTTP 200',
    )
    expect(describeCall({clientName: 'ECSClient', commandName: 'RunTaskCommand', input: {}, metadata: {httpStatusCode: 400, attempts: 3, totalRetryDelay: 450}}, 'failed: ThrottlingException')).toBe(
      'ECS.RunTask {} → failed: ThrottlingException HTTP 400, 3 attempts, 450 ms retry delay',
    )
  })
})
