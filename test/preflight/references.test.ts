import {describe, expect, it} from 'vitest'

import {
  executionRolePermissions,
  executionRoleReasons,
  kmsKeyArn,
  parseEcrImage,
  parseSecretReference,
  referencesOf,
  resolveSecrets,
} from '../../src/preflight/references.js'
import {ACCOUNT, API_SECRET, APP_IMAGE, DB_KEY, DB_SECRET, DB_SECRET_FULL, FLAGS_PARAMETER, PROXY_IMAGE, REGION, taskDefinition, target} from './fixtures.js'

const context = {container: 'app', field: 'secrets X', region: REGION, account: ACCOUNT}

describe('parseEcrImage', () => {
  it('reads registry, region, repository and tag; no tag is latest', () => {
    expect(parseEcrImage(APP_IMAGE)).toMatchObject({registryId: ACCOUNT, region: REGION, repository: 'team/web', tag: '1.4.2', digest: undefined, repositoryArn: `arn:aws:ecr:${REGION}:${ACCOUNT}:repository/team/web`})
    expect(parseEcrImage(`${ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com/app`)).toMatchObject({region: 'us-east-1', repository: 'app', tag: 'latest'})
  })

  it('reads a digest (no tag then), and a China registry gets the aws-cn partition', () => {
    expect(parseEcrImage(PROXY_IMAGE)).toMatchObject({repository: 'proxy', tag: undefined, digest: `sha256:${'a'.repeat(64)}`})
    expect(parseEcrImage(`${ACCOUNT}.dkr.ecr.cn-north-1.amazonaws.com.cn/app:2`)?.repositoryArn).toBe(`arn:aws-cn:ecr:cn-north-1:${ACCOUNT}:repository/app`)
  })

  it('is undefined for other registries', () => {
    for (const image of ['nginx:1.27', 'public.ecr.aws/nginx/nginx:latest', 'ghcr.io/org/app:1', `${ACCOUNT}.dkr.ecr.eu-west-1.amazonaws.com`]) expect(parseEcrImage(image)).toBeUndefined()
  })
})

describe('parseSecretReference', () => {
  it('drops the :json-key:version-stage:version-id suffixes of a Secrets Manager ARN', () => {
    for (const valueFrom of [`${DB_SECRET}:password::`, `${DB_SECRET}:password:AWSCURRENT:`, `${DB_SECRET}::AWSPREVIOUS:`, `${DB_SECRET}:::0123-abcd`, DB_SECRET]) {
      expect(parseSecretReference(valueFrom, context)).toMatchObject({store: 'secretsmanager', secretId: DB_SECRET, secretArn: DB_SECRET, region: REGION})
    }
  })

  it('takes the region of a secret in another region from its ARN', () => {
    expect(parseSecretReference(`arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:shared-Ab12Cd`, context)).toMatchObject({region: 'us-east-1', secretId: `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:shared-Ab12Cd`})
  })

  it('a parameter ARN with a path is the /path name; without one it may be either', () => {
    expect(parseSecretReference(FLAGS_PARAMETER, context)).toMatchObject({store: 'ssm', parameterNames: ['/prod/flags'], parameterArn: FLAGS_PARAMETER})
    expect(parseSecretReference(`arn:aws:ssm:${REGION}:${ACCOUNT}:parameter/flags`, context)).toMatchObject({parameterNames: ['flags', '/flags']})
  })

  it('a bare parameter name is this region\'s, and its ARN drops the leading slash', () => {
    expect(parseSecretReference('/prod/db-host', context)).toMatchObject({store: 'ssm', region: REGION, parameterNames: ['/prod/db-host'], parameterArn: `arn:aws:ssm:${REGION}:${ACCOUNT}:parameter/prod/db-host`})
    expect(parseSecretReference('db-host', context)).toMatchObject({parameterNames: ['db-host'], parameterArn: `arn:aws:ssm:${REGION}:${ACCOUNT}:parameter/db-host`})
  })

  it('a Secrets Manager secret read through Parameter Store is a secret, with the parameter too', () => {
    expect(parseSecretReference('/aws/reference/secretsmanager/prod/db', context)).toMatchObject({
      store: 'secretsmanager',
      secretId: 'prod/db',
      viaParameterStore: true,
      parameterArn: `arn:aws:ssm:${REGION}:${ACCOUNT}:parameter/aws/reference/secretsmanager/prod/db`,
    })
  })
})

describe('referencesOf', () => {
  it('finds images, secrets of every kind, log groups and environment files per container', () => {
    const td = taskDefinition()
    td.containerDefinitions!.push({
      name: 'sidecar',
      image: 'public.ecr.aws/aws-observability/aws-otel-collector:latest',
      repositoryCredentials: {credentialsParameter: `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:dockerhub-Qw12Er`},
      environmentFiles: [{value: 'arn:aws:s3:::config-bucket/web/prod.env', type: 's3'}],
      logConfiguration: {logDriver: 'awslogs', options: {'awslogs-group': '/ecs/otel', 'awslogs-region': 'us-east-1', 'awslogs-create-group': 'true'}, secretOptions: [{name: 'TOKEN', valueFrom: 'log-token'}]},
    })
    const refs = referencesOf(td, REGION)
    expect(refs.ecrImages.map((i) => [i.container, i.repository])).toEqual([['app', 'team/web'], ['proxy', 'proxy']])
    expect(refs.otherImages).toEqual([{container: 'sidecar', image: 'public.ecr.aws/aws-observability/aws-otel-collector:latest'}])
    expect(refs.secrets.map((s) => [s.container, s.field, s.store])).toEqual([
      ['app', 'secrets DB_PASSWORD', 'secretsmanager'],
      ['app', 'secrets API_KEY', 'secretsmanager'],
      ['app', 'secrets FLAGS', 'ssm'],
      ['sidecar', 'logConfiguration.secretOptions TOKEN', 'ssm'],
      ['sidecar', 'repositoryCredentials', 'secretsmanager'],
    ])
    expect(refs.logs).toEqual([
      {container: 'app', group: '/ecs/web', region: REGION, createGroup: false},
      {container: 'proxy', group: '/ecs/web', region: REGION, createGroup: false},
      {container: 'sidecar', group: '/ecs/otel', region: 'us-east-1', createGroup: true},
    ])
    expect(refs.envFiles).toEqual([{container: 'sidecar', arn: 'arn:aws:s3:::config-bucket/web/prod.env', bucket: 'config-bucket', key: 'web/prod.env'}])
  })
})

describe('executionRoleReasons', () => {
  it('on Fargate, ECR images and awslogs need the role; on EC2 they use the instance role, secrets still need it', () => {
    const refs = referencesOf(taskDefinition(), REGION)
    expect(executionRoleReasons(refs, 'FARGATE')).toEqual([
      `container app pulls ${APP_IMAGE} from ECR`,
      `container proxy pulls ${PROXY_IMAGE} from ECR`,
      'container app logs to /ecs/web with awslogs',
      'container proxy logs to /ecs/web with awslogs',
      'container app reads secrets DB_PASSWORD from Secrets Manager',
      'container app reads secrets API_KEY from Secrets Manager',
      'container app reads secrets FLAGS from Parameter Store',
    ])
    expect(executionRoleReasons(refs, 'EC2')).toEqual(executionRoleReasons(refs, 'FARGATE').slice(4))
  })

  it('nothing to read: no reason', () => {
    expect(executionRoleReasons(referencesOf(taskDefinition({containerDefinitions: [{name: 'a', image: 'nginx'}]}), REGION), 'FARGATE')).toEqual([])
  })
})

describe('kmsKeyArn', () => {
  it('a key id becomes an ARN in the secret\'s account and region; the AWS managed keys need nothing; an alias cannot be simulated', () => {
    expect(kmsKeyArn('1234abcd-12ab-34cd-56ef-1234567890ab', 'us-east-1', '111122223333')).toEqual({arn: 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab'})
    expect(kmsKeyArn(DB_KEY, REGION, ACCOUNT)).toEqual({arn: DB_KEY})
    expect(kmsKeyArn(undefined, REGION, ACCOUNT)).toEqual({managed: true})
    expect(kmsKeyArn('alias/aws/ssm', REGION, ACCOUNT)).toEqual({managed: true})
    expect(kmsKeyArn(`arn:aws:kms:${REGION}:${ACCOUNT}:alias/aws/secretsmanager`, REGION, ACCOUNT)).toEqual({managed: true})
    expect(kmsKeyArn(`arn:aws:kms:${REGION}:${ACCOUNT}:alias/app`, REGION, ACCOUNT)).toEqual({alias: `arn:aws:kms:${REGION}:${ACCOUNT}:alias/app`})
  })
})

describe('executionRolePermissions', () => {
  const refs = referencesOf(taskDefinition(), REGION)

  it('uses the full secret ARN DescribeSecret gave, the customer key, each repository and the log group (once for two containers)', () => {
    const resolved = resolveSecrets(refs, {[DB_SECRET]: {ok: true, value: {arn: DB_SECRET_FULL, kmsKeyId: DB_KEY}}, [API_SECRET]: {ok: true, value: {arn: API_SECRET}}}, {})
    const permissions = executionRolePermissions(refs, target(), resolved).map((p) => `${p.action} ${p.resource}`)
    expect(permissions).toEqual([
      'ecr:GetAuthorizationToken *',
      `ecr:BatchGetImage arn:aws:ecr:${REGION}:${ACCOUNT}:repository/team/web`,
      `ecr:GetDownloadUrlForLayer arn:aws:ecr:${REGION}:${ACCOUNT}:repository/team/web`,
      `ecr:BatchCheckLayerAvailability arn:aws:ecr:${REGION}:${ACCOUNT}:repository/team/web`,
      `ecr:BatchGetImage arn:aws:ecr:${REGION}:${ACCOUNT}:repository/proxy`,
      `ecr:GetDownloadUrlForLayer arn:aws:ecr:${REGION}:${ACCOUNT}:repository/proxy`,
      `ecr:BatchCheckLayerAvailability arn:aws:ecr:${REGION}:${ACCOUNT}:repository/proxy`,
      `logs:CreateLogStream arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/ecs/web:*`,
      `logs:PutLogEvents arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/ecs/web:log-stream:*`,
      `secretsmanager:GetSecretValue ${DB_SECRET_FULL}`,
      `kms:Decrypt ${DB_KEY}`,
      `secretsmanager:GetSecretValue ${API_SECRET}`,
      `ssm:GetParameters ${FLAGS_PARAMETER}`,
    ])
  })

  it('without DescribeSecret\'s answer the ARN of the task definition is simulated; a parameter\'s customer key is added', () => {
    const resolved = {secrets: {}, parameterKeys: {[FLAGS_PARAMETER]: 'arn:aws:kms:eu-west-1:123456789012:key/ffff0000-12ab-34cd-56ef-1234567890ab'}}
    const permissions = executionRolePermissions(refs, {...target(), launchType: 'EC2'}, resolved).map((p) => `${p.action} ${p.resource}`)
    // EC2: no ECR or logs permission (the container instance role pulls and logs).
    expect(permissions).toEqual([
      `secretsmanager:GetSecretValue ${DB_SECRET}`,
      `secretsmanager:GetSecretValue ${API_SECRET}`,
      `ssm:GetParameters ${FLAGS_PARAMETER}`,
      'kms:Decrypt arn:aws:kms:eu-west-1:123456789012:key/ffff0000-12ab-34cd-56ef-1234567890ab',
    ])
  })

  it('awslogs-create-group adds logs:CreateLogGroup; an environment file adds s3:GetObject and s3:GetBucketLocation', () => {
    const td = taskDefinition({
      containerDefinitions: [{name: 'a', image: 'nginx', environmentFiles: [{value: 'arn:aws:s3:::cfg/a.env', type: 's3'}], logConfiguration: {logDriver: 'awslogs', options: {'awslogs-group': 'g', 'awslogs-create-group': 'true'}}}],
    })
    const permissions = executionRolePermissions(referencesOf(td, REGION), target({taskDefinition: td}), {secrets: {}, parameterKeys: {}}).map((p) => `${p.action} ${p.resource}`)
    expect(permissions).toEqual([
      `logs:CreateLogStream arn:aws:logs:${REGION}:${ACCOUNT}:log-group:g:*`,
      `logs:PutLogEvents arn:aws:logs:${REGION}:${ACCOUNT}:log-group:g:log-stream:*`,
      `logs:CreateLogGroup arn:aws:logs:${REGION}:${ACCOUNT}:log-group:g:*`,
      's3:GetObject arn:aws:s3:::cfg/a.env',
      's3:GetBucketLocation arn:aws:s3:::cfg',
    ])
  })
})

/**
 * DescribeParameters' answer in the shape the permissions need: a SecureString parameter's KeyId
 * is the KMS key ecs must be allowed to decrypt with (Systems Manager API, ParameterMetadata:
 * Type String | StringList | SecureString, KeyId "the alias or ARN of the AWS KMS key used to
 * encrypt the parameter", for SecureString only).
 */
describe('resolveSecrets', () => {
  const KEY = `arn:aws:kms:${REGION}:${ACCOUNT}:key/ffff0000-12ab-34cd-56ef-1234567890ab`
  const td = (valueFrom: string) => taskDefinition({containerDefinitions: [{name: 'app', image: 'nginx', secrets: [{name: 'X', valueFrom}]}]})
  const refsOf = (valueFrom: string) => referencesOf(td(valueFrom), REGION)

  it('a SecureString parameter keeps its key, found under whichever of its possible names DescribeParameters answered', () => {
    const arn = `arn:aws:ssm:${REGION}:${ACCOUNT}:parameter/flags`
    // `parameter/flags` may be the parameter `flags` or `/flags`: the answer is under the second.
    const resolved = resolveSecrets(refsOf(arn), {}, {[REGION]: {ok: true, value: {'/flags': {name: '/flags', type: 'SecureString', keyId: KEY}}}})
    expect(resolved).toEqual({secrets: {}, parameterKeys: {[arn]: KEY}})
  })

  it('a String parameter, a parameter DescribeParameters did not list, or a read that failed has no key', () => {
    expect(resolveSecrets(refsOf(FLAGS_PARAMETER), {}, {[REGION]: {ok: true, value: {'/prod/flags': {name: '/prod/flags', type: 'String'}}}}).parameterKeys).toEqual({})
    expect(resolveSecrets(refsOf(FLAGS_PARAMETER), {}, {[REGION]: {ok: true, value: {}}}).parameterKeys).toEqual({})
    expect(resolveSecrets(refsOf(FLAGS_PARAMETER), {}, {[REGION]: {ok: false, code: 'AccessDeniedException', message: 'denied'}}).parameterKeys).toEqual({})
  })

  it('a Secrets Manager secret is never looked up among the parameters', () => {
    const resolved = resolveSecrets(refsOf(DB_SECRET), {}, {[REGION]: {ok: true, value: {'prod/db': {name: 'prod/db', type: 'SecureString', keyId: KEY}}}})
    expect(resolved.parameterKeys).toEqual({})
  })
})

describe('kms:Decrypt for a key given by its id', () => {
  const KEY_ID = '1234abcd-12ab-34cd-56ef-1234567890ab'
  const OTHER = '210987654321'

  it('a secret shared from another account: the key id is made an ARN in the secret\'s account, not the task\'s', () => {
    const secret = `arn:aws:secretsmanager:${REGION}:${OTHER}:secret:shared/db-AbC123`
    const td = taskDefinition({containerDefinitions: [{name: 'app', image: 'nginx', secrets: [{name: 'DB', valueFrom: secret}]}]})
    const refs = referencesOf(td, REGION)
    const resolved = resolveSecrets(refs, {[refs.secrets[0]!.secretId!]: {ok: true, value: {arn: secret, kmsKeyId: KEY_ID}}}, {})
    expect(executionRolePermissions(refs, target({taskDefinition: td}), resolved).filter((p) => p.action === 'kms:Decrypt').map((p) => p.resource)).toEqual([`arn:aws:kms:${REGION}:${OTHER}:key/${KEY_ID}`])
  })

  it('a parameter of another account: its key id is made an ARN in that account', () => {
    const parameter = `arn:aws:ssm:${REGION}:${OTHER}:parameter/shared/flags`
    const td = taskDefinition({containerDefinitions: [{name: 'app', image: 'nginx', secrets: [{name: 'F', valueFrom: parameter}]}]})
    const refs = referencesOf(td, REGION)
    const permissions = executionRolePermissions(refs, target({taskDefinition: td}), {secrets: {}, parameterKeys: {[parameter]: KEY_ID}})
    expect(permissions.filter((p) => p.action === 'kms:Decrypt').map((p) => p.resource)).toEqual([`arn:aws:kms:${REGION}:${OTHER}:key/${KEY_ID}`])
  })
})
