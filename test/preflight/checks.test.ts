import {describe, expect, it} from 'vitest'

import type {Finding} from '../../src/endpoints/api.js'
import {findingResult, networkChecks, preflightChecks, summarize, taskSizeCheck, trustVerdict} from '../../src/preflight/checks.js'
import type {PreflightFacts, PreflightResult} from '../../src/preflight/model.js'
import {ACCOUNT, API_SECRET, APP_IMAGE, DB_KEY, DB_SECRET, DB_SECRET_FULL, decisionsFor, EXECUTION_ROLE, healthyFacts, PROXY_IMAGE, REGION, TASK_ROLE, target, taskDefinition, trustPolicy} from './fixtures.js'

const byId = (results: PreflightResult[], id: string) => {
  const r = results.find((x) => x.id === id)
  if (!r) throw new Error(`no result ${id} in ${results.map((x) => x.id).join(', ')}`)
  return r
}
const check = (facts: PreflightFacts, id: string) => byId(preflightChecks(facts), id)
const denied = {ok: false as const, code: 'AccessDeniedException', message: 'User: arn:aws:iam::123456789012:user/ci is not authorized to perform this action'}

describe('all healthy', () => {
  it('every result is ok except the single-platform architecture (skip), and no code is set', () => {
    const results = preflightChecks(healthyFacts())
    expect(results.filter((r) => r.status !== 'ok').map((r) => [r.id, r.status])).toEqual([
      ['references.architecture.app', 'skip'],
      ['references.architecture.proxy', 'skip'],
    ])
    expect(results.every((r) => r.code === null)).toBe(true)
    expect(summarize(results)).toEqual({ok: results.length - 2, warn: 0, fail: 0, skip: 2})
    expect(results.map((r) => r.id)).toEqual([
      'network',
      'execution-role.present',
      'execution-role.trust',
      'execution-role.permissions',
      'references.image.app',
      'references.image.proxy',
      'references.architecture.app',
      'references.architecture.proxy',
      'references.secret.app.DB_PASSWORD',
      'references.secret.app.API_KEY',
      'references.secret.app.FLAGS',
      'references.log-group.app',
      'references.log-group.proxy',
      'references.task-size',
    ])
  })

  it('an ok from the simulator says what the simulator cannot see', () => {
    const r = check(healthyFacts(), 'execution-role.permissions')
    expect(r.detail).toBe(
      "allowed by the role's policies: 9 actions on 9 resources (the simulator does not see resource-based policies (the secret's, the repository's, the bucket's), KMS key policies, VPC endpoint policies, and not every SCP)",
    )
  })
})

describe('EXECUTION_ROLE_MISSING', () => {
  it('no executionRoleArn while the task pulls from ECR, logs and reads secrets: fail naming why', () => {
    const facts = healthyFacts({target: target({taskDefinition: taskDefinition({executionRoleArn: undefined})}), executionRole: undefined, executionDecisions: undefined})
    const r = check(facts, 'execution-role.present')
    expect(r).toMatchObject({status: 'fail', code: 'EXECUTION_ROLE_MISSING'})
    expect(r.detail).toBe(`the task definition has no executionRoleArn, and ECS needs one: container app pulls ${APP_IMAGE} from ECR, container proxy pulls ${PROXY_IMAGE} from ECR, container app logs to /ecs/web with awslogs and 4 more`)
    expect(check(facts, 'execution-role.trust')).toMatchObject({status: 'skip', detail: 'there is no execution role'})
    expect(check(facts, 'execution-role.permissions')).toMatchObject({status: 'skip', code: null})
  })

  it('no execution role but the task role allows the secrets: says ECS reads them with the execution role', () => {
    const base = healthyFacts({target: target({taskDefinition: taskDefinition({executionRoleArn: undefined})}), executionRole: undefined, executionDecisions: undefined})
    const facts = {...base, taskRoleDecisions: {ok: true as const, value: decisionsFor(base, (action) => (action.startsWith('secretsmanager:') ? 'allowed' : 'implicitDeny'))}}
    expect(check(facts, 'execution-role.present').detail).toMatch(new RegExp(`; the task role ${TASK_ROLE} allows secretsmanager:GetSecretValue, but ECS reads secrets with the execution role$`))
  })

  it('nothing that needs one and none set: ok', () => {
    const td = taskDefinition({executionRoleArn: undefined, containerDefinitions: [{name: 'web', image: 'nginx:1.27'}]})
    const facts = healthyFacts({target: target({taskDefinition: td}), executionRole: undefined, executionDecisions: undefined})
    expect(check(facts, 'execution-role.present')).toMatchObject({status: 'ok', detail: 'none, and none is needed', code: null})
  })

  it('on EC2 with only ECR and awslogs, no role is needed (the instance role pulls)', () => {
    const td = taskDefinition({executionRoleArn: undefined, containerDefinitions: [{name: 'web', image: APP_IMAGE, logConfiguration: {logDriver: 'awslogs', options: {'awslogs-group': '/ecs/web'}}}]})
    const facts = healthyFacts({target: target({taskDefinition: td, launchType: 'EC2'}), executionRole: undefined, executionDecisions: undefined})
    expect(check(facts, 'execution-role.present').status).toBe('ok')
  })

  it('a role ARN that iam:GetRole does not find: fail', () => {
    const facts = healthyFacts({executionRole: {ok: false, code: 'NoSuchEntityException', message: 'The role with name ecsTaskExecutionRole cannot be found.'}})
    expect(check(facts, 'execution-role.present')).toMatchObject({status: 'fail', code: 'EXECUTION_ROLE_MISSING', detail: `${EXECUTION_ROLE} does not exist (NoSuchEntityException)`})
    expect(check(facts, 'execution-role.trust')).toMatchObject({status: 'skip', detail: 'the role does not exist'})
  })

  it('an override of the execution role (migrate, a task) is the one checked', () => {
    const facts = healthyFacts({target: target({overrides: {executionRoleArn: `arn:aws:iam::${ACCOUNT}:role/other`}})})
    expect(check(facts, 'execution-role.present').detail).toBe(`arn:aws:iam::${ACCOUNT}:role/other`)
  })
})

describe('EXECUTION_ROLE_TRUST', () => {
  const withTrust = (statement: object) => healthyFacts({executionRole: {ok: true, value: {arn: EXECUTION_ROLE, trustPolicy: decodeURIComponent(trustPolicy(statement))}}})

  it('a trust policy for another service: fail with the command that fixes it', () => {
    const r = check(withTrust({Effect: 'Allow', Principal: {Service: 'ec2.amazonaws.com'}, Action: 'sts:AssumeRole'}), 'execution-role.trust')
    expect(r).toMatchObject({status: 'fail', code: 'EXECUTION_ROLE_TRUST', detail: 'the trust policy does not let ecs-tasks.amazonaws.com call sts:AssumeRole'})
    expect(r.fix).toContain('aws iam update-assume-role-policy --role-name ecsTaskExecutionRole')
  })

  it('a Deny for ecs-tasks beats an Allow', () => {
    const policy = JSON.stringify({Statement: [{Effect: 'Allow', Principal: {Service: ['ec2.amazonaws.com', 'ecs-tasks.amazonaws.com']}, Action: ['sts:AssumeRole']}, {Effect: 'Deny', Principal: {Service: 'ecs-tasks.amazonaws.com'}, Action: 'sts:*'}]})
    expect(trustVerdict(policy)).toEqual({allowed: true, denied: true, conditions: []})
    const facts = healthyFacts({executionRole: {ok: true, value: {arn: EXECUTION_ROLE, trustPolicy: policy}}})
    expect(check(facts, 'execution-role.trust')).toMatchObject({status: 'fail', detail: 'the trust policy denies sts:AssumeRole to ecs-tasks.amazonaws.com'})
  })

  it('an Allow with conditions is ok, and says the conditions are not evaluated', () => {
    const r = check(withTrust({Effect: 'Allow', Principal: {Service: ['ecs-tasks.amazonaws.com']}, Action: 'sts:AssumeRole', Condition: {StringEquals: {'aws:SourceAccount': ACCOUNT}}}), 'execution-role.trust')
    expect(r).toMatchObject({status: 'ok', detail: 'allowed (conditions not evaluated: StringEquals aws:SourceAccount)', code: null})
  })

  it('sts:TagSession alone does not let ECS assume the role; a policy that is not JSON is no trust', () => {
    expect(trustVerdict(JSON.stringify({Statement: {Effect: 'Allow', Principal: {Service: 'ecs-tasks.amazonaws.com'}, Action: 'sts:TagSession'}})).allowed).toBe(false)
    expect(trustVerdict('%7Bnot json')).toEqual({allowed: false, denied: false, conditions: []})
  })

  it('iam:GetRole denied: skip naming the permission, never a fail', () => {
    const r = check(healthyFacts({executionRole: denied}), 'execution-role.trust')
    expect(r).toMatchObject({status: 'skip', code: null, fix: 'Grant iam:GetRole on the execution role to the caller (`ecsops iam-policy preflight`).'})
    expect(check(healthyFacts({executionRole: denied}), 'execution-role.present').status).toBe('ok')
  })
})

describe('EXECUTION_ROLE_DENIED', () => {
  const onlyDenying = (deny: (action: string, resource: string) => boolean) => {
    const base = healthyFacts()
    return {...base, executionDecisions: {ok: true as const, value: decisionsFor(base, (a, r) => (deny(a, r) ? 'implicitDeny' : 'allowed'))}}
  }

  it('names each denied action and resource, with why it is needed', () => {
    const facts = onlyDenying((a) => a === 'secretsmanager:GetSecretValue' || a === 'kms:Decrypt')
    const r = check(facts, 'execution-role.permissions')
    expect(r).toMatchObject({status: 'fail', code: 'EXECUTION_ROLE_DENIED'})
    expect(r.detail).toBe(
      `secretsmanager:GetSecretValue on ${DB_SECRET_FULL} (implicitDeny; secrets DB_PASSWORD of container app); kms:Decrypt on ${DB_KEY} (implicitDeny; the customer managed key of secrets DB_PASSWORD of container app); secretsmanager:GetSecretValue on ${API_SECRET} (implicitDeny; secrets API_KEY of container app)`,
    )
    expect(r.fix).toBe(`Allow secretsmanager:GetSecretValue, kms:Decrypt on ${DB_SECRET_FULL}, ${DB_KEY}, ${API_SECRET} in the policies of ${EXECUTION_ROLE}.`)
  })

  it('the task role allows what the execution role lacks: says so by name', () => {
    const base = onlyDenying((a) => a === 'secretsmanager:GetSecretValue')
    const facts = {...base, taskRoleDecisions: {ok: true as const, value: decisionsFor(base, (a) => (a === 'secretsmanager:GetSecretValue' ? 'allowed' : 'implicitDeny'))}}
    const r = check(facts, 'execution-role.permissions')
    expect(r.detail).toMatch(new RegExp(`; the task role ${TASK_ROLE} allows secretsmanager:GetSecretValue, but ECS reads secrets with the execution role$`))
    expect(r.fix).toBe(`Allow secretsmanager:GetSecretValue on ${DB_SECRET_FULL}, ${API_SECRET} in the policies of ${EXECUTION_ROLE} (the task role has them: add them to the execution role; the task role needs them only if the application itself calls these APIs).`)
  })

  it('the task role allowing nothing of it: no hint', () => {
    const r = check(onlyDenying((a) => a === 'logs:PutLogEvents'), 'execution-role.permissions')
    expect(r.detail).toBe(`logs:PutLogEvents on arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/ecs/web:log-stream:* (implicitDeny; awslogs of container app)`)
  })

  it('a deny on one repository of two', () => {
    const facts = onlyDenying((a, r) => a === 'ecr:BatchGetImage' && r.endsWith('repository/proxy'))
    expect(check(facts, 'execution-role.permissions').detail).toBe(`ecr:BatchGetImage on arn:aws:ecr:${REGION}:${ACCOUNT}:repository/proxy (implicitDeny; pull ${PROXY_IMAGE})`)
  })

  it('a pair the simulator did not answer: warn, not ok', () => {
    const base = healthyFacts()
    const decisions = decisionsFor(base)
    delete decisions['ssm:GetParameters']
    const r = check({...base, executionDecisions: {ok: true, value: decisions}}, 'execution-role.permissions')
    expect(r).toMatchObject({status: 'warn', code: 'SIMULATION_INCOMPLETE'})
  })

  it('iam:SimulatePrincipalPolicy denied: skip naming it', () => {
    expect(check(healthyFacts({executionDecisions: denied}), 'execution-role.permissions')).toMatchObject({status: 'skip', fix: 'Grant iam:SimulatePrincipalPolicy on the execution role to the caller (`ecsops iam-policy preflight`).'})
  })

  it('a secret encrypted with a key alias: kms:Decrypt is said not to be simulated', () => {
    const base = healthyFacts({secrets: {[DB_SECRET]: {ok: true, value: {arn: DB_SECRET_FULL, kmsKeyId: `arn:aws:kms:${REGION}:${ACCOUNT}:alias/db`}}, [API_SECRET]: {ok: true, value: {arn: API_SECRET}}}})
    const facts = {...base, executionDecisions: {ok: true as const, value: decisionsFor(base)}}
    expect(check(facts, 'execution-role.permissions').detail).toMatch(/; kms:Decrypt not simulated for arn:aws:kms:eu-west-1:123456789012:alias\/db \(a key alias: the simulator needs the key ARN\)$/)
  })
})

describe('IMAGE_NOT_FOUND', () => {
  it('a tag that DescribeImages does not find names the repository and tag', () => {
    const facts = healthyFacts()
    facts.images[APP_IMAGE] = {ok: false, code: 'ImageNotFoundException', message: "The image with imageId {imageDigest:'null', imageTag:'1.4.2'} does not exist within the repository"}
    const r = check(facts, 'references.image.app')
    expect(r).toMatchObject({status: 'fail', code: 'IMAGE_NOT_FOUND', detail: `tag 1.4.2 not found in repository team/web (registry ${ACCOUNT}, ${REGION})`})
    expect(check(facts, 'references.image.proxy').status).toBe('ok')
    expect(check(facts, 'references.architecture.app')).toMatchObject({status: 'skip', detail: 'the image could not be read'})
  })

  it('a digest, and a repository that does not exist', () => {
    const facts = healthyFacts()
    facts.images[PROXY_IMAGE] = {ok: false, code: 'ImageNotFoundException', message: 'not found'}
    facts.images[APP_IMAGE] = {ok: false, code: 'RepositoryNotFoundException', message: "The repository with name 'team/web' does not exist"}
    expect(check(facts, 'references.image.proxy').detail).toBe(`digest sha256:${'a'.repeat(64)} not found in repository proxy (registry ${ACCOUNT}, ${REGION})`)
    expect(check(facts, 'references.image.app')).toMatchObject({status: 'fail', code: 'IMAGE_NOT_FOUND', detail: `repository team/web does not exist (registry ${ACCOUNT}, ${REGION})`})
  })

  it('DescribeImages denied: skip naming ecr:DescribeImages on the repository', () => {
    const facts = healthyFacts()
    facts.images[APP_IMAGE] = denied
    expect(check(facts, 'references.image.app')).toMatchObject({status: 'skip', code: null, fix: `Grant ecr:DescribeImages on arn:aws:ecr:${REGION}:${ACCOUNT}:repository/team/web to the caller (\`ecsops iam-policy preflight\`).`})
  })

  it('an image of another registry is a skip with a note', () => {
    const td = taskDefinition({containerDefinitions: [{name: 'web', image: 'nginx:1.27'}]})
    expect(check(healthyFacts({target: target({taskDefinition: td})}), 'references.image.web')).toMatchObject({status: 'skip', detail: 'nginx:1.27 is not in a private ECR registry: ecsops does not check other registries'})
  })
})

describe('CPU_ARCHITECTURE', () => {
  const index = (architectures: string[]) => {
    const facts = healthyFacts({target: target({taskDefinition: taskDefinition({runtimePlatform: {cpuArchitecture: 'ARM64', operatingSystemFamily: 'LINUX'}})})})
    facts.images[APP_IMAGE] = {ok: true, value: {mediaType: 'application/vnd.oci.image.index.v1+json', architectures: {ok: true, value: architectures}}}
    return facts
  }

  it('an index without the task\'s architecture fails; with it passes', () => {
    expect(check(index(['amd64']), 'references.architecture.app')).toMatchObject({status: 'fail', code: 'CPU_ARCHITECTURE', detail: 'the image index offers amd64, not arm64 (runtimePlatform.cpuArchitecture ARM64)'})
    expect(check(index(['amd64', 'arm64']), 'references.architecture.app')).toMatchObject({status: 'ok', detail: 'the image index offers amd64, arm64'})
  })

  it('X86_64 by default on Fargate; not checked off Fargate', () => {
    const facts = healthyFacts()
    facts.images[APP_IMAGE] = {ok: true, value: {mediaType: 'application/vnd.docker.distribution.manifest.list.v2+json', architectures: {ok: true, value: ['arm64']}}}
    expect(check(facts, 'references.architecture.app')).toMatchObject({status: 'fail', detail: 'the image index offers arm64, not amd64 (runtimePlatform.cpuArchitecture X86_64)'})
    expect(preflightChecks({...facts, target: target({launchType: 'EC2'})}).some((r) => r.id.startsWith('references.architecture.'))).toBe(false)
  })

  it('BatchGetImage denied: skip naming it', () => {
    const facts = index([])
    facts.images[APP_IMAGE] = {ok: true, value: {mediaType: 'application/vnd.oci.image.index.v1+json', architectures: denied}}
    expect(check(facts, 'references.architecture.app').fix).toBe(`Grant ecr:BatchGetImage on arn:aws:ecr:${REGION}:${ACCOUNT}:repository/team/web to the caller (\`ecsops iam-policy preflight\`).`)
  })
})

describe('SECRET_NOT_FOUND', () => {
  it('a Secrets Manager secret DescribeSecret does not find', () => {
    const facts = healthyFacts()
    facts.secrets[DB_SECRET] = {ok: false, code: 'ResourceNotFoundException', message: "Secrets Manager can't find the specified secret."}
    expect(check(facts, 'references.secret.app.DB_PASSWORD')).toMatchObject({status: 'fail', code: 'SECRET_NOT_FOUND', detail: `Secrets Manager secret ${DB_SECRET} does not exist in ${REGION}`})
    expect(check(facts, 'references.secret.app.API_KEY').status).toBe('ok')
  })

  it('a parameter DescribeParameters does not list', () => {
    const facts = healthyFacts({parameters: {[REGION]: {ok: true, value: {}}}})
    expect(check(facts, 'references.secret.app.FLAGS')).toMatchObject({status: 'fail', code: 'SECRET_NOT_FOUND', detail: `parameter /prod/flags does not exist in ${REGION}`})
  })

  it('DescribeSecret or DescribeParameters denied: skip, never a fail', () => {
    const facts = healthyFacts({parameters: {[REGION]: denied}})
    facts.secrets[API_SECRET] = denied
    expect(check(facts, 'references.secret.app.API_KEY')).toMatchObject({status: 'skip', fix: `Grant secretsmanager:DescribeSecret on ${API_SECRET} to the caller (\`ecsops iam-policy preflight\`).`})
    expect(check(facts, 'references.secret.app.FLAGS')).toMatchObject({status: 'skip', fix: 'Grant ssm:DescribeParameters to the caller (`ecsops iam-policy preflight`).'})
  })
})

describe('LOG_GROUP_NOT_FOUND', () => {
  it('a missing group without awslogs-create-group fails for each container that logs there', () => {
    const facts = healthyFacts({logGroups: {[`${REGION}|/ecs/web`]: {ok: true, value: false}}})
    for (const c of ['app', 'proxy']) expect(check(facts, `references.log-group.${c}`)).toMatchObject({status: 'fail', code: 'LOG_GROUP_NOT_FOUND', detail: `log group /ecs/web does not exist in ${REGION}, and awslogs-create-group is not "true"`})
  })

  it('with awslogs-create-group "true" a missing group is ok (created at start)', () => {
    const td = taskDefinition({containerDefinitions: [{name: 'a', image: 'nginx', logConfiguration: {logDriver: 'awslogs', options: {'awslogs-group': 'g', 'awslogs-create-group': 'true'}}}]})
    const facts = healthyFacts({target: target({taskDefinition: td}), logGroups: {[`${REGION}|g`]: {ok: true, value: false}}})
    expect(check(facts, 'references.log-group.a')).toMatchObject({status: 'ok', code: null})
  })

  it('DescribeLogGroups denied: skip', () => {
    expect(check(healthyFacts({logGroups: {[`${REGION}|/ecs/web`]: denied}}), 'references.log-group.app')).toMatchObject({status: 'skip', fix: 'Grant logs:DescribeLogGroups to the caller (`ecsops iam-policy preflight`).'})
  })
})

describe('FARGATE_TASK_SIZE', () => {
  const size = (cpu: string | undefined, memory: string | undefined, extra: Parameters<typeof target>[0] = {}) => taskSizeCheck(healthyFacts({target: target({taskDefinition: taskDefinition({cpu, memory}), ...extra})}))

  it('the table of valid combinations, at its boundaries', () => {
    expect(size('256', '512').status).toBe('ok')
    expect(size('256', '2048').status).toBe('ok')
    expect(size('256', '3072')).toMatchObject({status: 'fail', code: 'FARGATE_TASK_SIZE', detail: 'Fargate does not run 256 CPU units with 3072 MiB'})
    expect(size('4096', '30720').status).toBe('ok')
    expect(size('4096', '31744').status).toBe('fail')
    expect(size('8192', '20480').status).toBe('ok')
    expect(size('8192', '18432').status).toBe('fail')
    expect(size('1 vCPU', '2 GB').detail).toBe('1024 CPU units, 2048 MiB')
    expect(size('384', '1024')).toMatchObject({status: 'fail', detail: '384 CPU units is not a Fargate size'})
  })

  it('an override (RunTask) is what counts; no task-level memory fails; not Fargate is a skip', () => {
    expect(size('256', '512', {overrides: {cpu: '1024', memory: '512'}}).status).toBe('fail')
    expect(size('256', undefined).detail).toBe('the task has no task-level memory, which Fargate requires')
    expect(size('256', '3072', {launchType: 'EC2'})).toMatchObject({status: 'skip', code: null})
  })

  it('16 vCPU on platform 1.3.0 fails; Windows needs 1 vCPU', () => {
    expect(size('16384', '32768', {platformVersion: '1.3.0'}).detail).toBe('16384 CPU units need Linux platform version 1.4.0 or later, not 1.3.0')
    expect(size('16384', '32768', {platformVersion: '1.4.0'}).status).toBe('ok')
    expect(taskSizeCheck(healthyFacts({target: target({taskDefinition: taskDefinition({cpu: '512', memory: '1024', runtimePlatform: {operatingSystemFamily: 'WINDOWS_SERVER_2022_CORE'}})})})).status).toBe('fail')
  })
})

describe('network', () => {
  const finding = (extra: Partial<Finding>): Finding => ({service: 'secretsmanager', endpointService: `com.amazonaws.${REGION}.secretsmanager`, type: 'Interface', requiredBy: ['container app: secrets DB_PASSWORD'], status: 'ok', severity: 'info', endpointId: 'vpce-1', provider: 'vpc', problems: [], ...extra})

  it('maps each finding: ok, missing behind a NAT (ok), an error (fail with its code), a warning (warn)', () => {
    expect(findingResult(finding({}))).toMatchObject({id: 'network.secretsmanager', status: 'ok', detail: 'through vpce-1 (for container app: secrets DB_PASSWORD)', code: null})
    expect(findingResult(finding({status: 'missing', severity: 'warning', endpointId: null, problems: [{code: 'MISSING', detail: 'no interface endpoint'}]})).status).toBe('ok')
    expect(findingResult(finding({status: 'missing', severity: 'error', endpointId: null, problems: [{code: 'MISSING', detail: 'no interface endpoint for com.amazonaws.eu-west-1.secretsmanager in vpc-1: no NAT or internet gateway route'}], fix: 'aws ec2 create-vpc-endpoint …'}))).toMatchObject({
      status: 'fail',
      code: 'MISSING',
      fix: 'aws ec2 create-vpc-endpoint …',
    })
    expect(findingResult(finding({status: 'unknown', severity: 'warning', problems: [{code: 'POLICY_UNVERIFIED', detail: 'the endpoint policy has conditions'}]}))).toMatchObject({status: 'warn', code: 'POLICY_UNVERIFIED'})
  })

  it('skips say why: EC2, no network, the audit denied', () => {
    expect(networkChecks(healthyFacts({target: target({launchType: 'EC2'}), network: undefined, networkSkipped: 'EC2 launch type: …'}))[0]).toMatchObject({status: 'skip', detail: 'EC2 launch type: …'})
    expect(networkChecks(healthyFacts({network: {ok: false, code: 'UnauthorizedOperation', message: 'You are not authorized to perform this operation.'}}))[0]).toMatchObject({
      status: 'skip',
      fix: 'Grant the ec2:Describe* permissions to the caller (`ecsops iam-policy preflight`).',
    })
  })
})
