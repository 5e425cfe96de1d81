/**
 * Each result of `ecsops preflight` as the operator reads it, whole: id, group, title, status,
 * detail, fix and code, branch by branch. checks.test.ts says which problems are found; this file
 * says what the report then says about them.
 */
import type {ContainerDefinition, LogConfiguration, OSFamily} from '@aws-sdk/client-ecs'
import {describe, expect, it} from 'vitest'

import type {Finding} from '../../src/endpoints/api.js'
import {findingResult, networkChecks, preflightChecks, taskRoleHint, taskSizeCheck, trustVerdict} from '../../src/preflight/checks.js'
import type {PreflightFacts, PreflightResult} from '../../src/preflight/model.js'
import {ACCOUNT, API_SECRET, APP_IMAGE, DB_SECRET, DB_SECRET_FULL, decisionsFor, EXECUTION_ROLE, healthyFacts, PROXY_IMAGE, REGION, TASK_ROLE, target, taskDefinition, trustPolicy} from './fixtures.js'

const byId = (results: PreflightResult[], id: string) => {
  const r = results.find((x) => x.id === id)
  if (!r) throw new Error(`no result ${id} in ${results.map((x) => x.id).join(', ')}`)
  return r
}
const check = (facts: PreflightFacts, id: string) => byId(preflightChecks(facts), id)
const denied = {ok: false as const, code: 'AccessDeniedException', message: 'User: arn:aws:iam::123456789012:user/ci is not authorized to perform this action'}
/** A read that failed for another reason than a denial: no permission would help. */
const throttled = {ok: false as const, code: 'ThrottlingException', message: 'Rate exceeded'}
const grant = (permission: string) => `Grant ${permission} to the caller (\`ecsops iam-policy preflight\`).`

const APP_REPOSITORY = `arn:aws:ecr:${REGION}:${ACCOUNT}:repository/team/web`
const PROXY_REPOSITORY = `arn:aws:ecr:${REGION}:${ACCOUNT}:repository/proxy`
const ENV_FILE = 'arn:aws:s3:::config-bucket/web/prod.env'

// ---------------------------------------------------------------- network

describe('network: one result per endpoint the task reaches', () => {
  const finding = (extra: Partial<Finding>): Finding => ({service: 'secretsmanager', endpointService: `com.amazonaws.${REGION}.secretsmanager`, type: 'Interface', requiredBy: ['container app: secrets DB_PASSWORD'], status: 'ok', severity: 'info', endpointId: 'vpce-1', provider: 'vpc', problems: [], ...extra})
  const route = (status: PreflightResult['status'], detail: string, fix: string | null = null, code: string | null = null): PreflightResult => ({id: 'network.secretsmanager', group: 'network', title: 'Route to secretsmanager', status, detail, fix, code})
  const FOR = ' (for container app: secrets DB_PASSWORD)'
  const EXPLAINS = '`ecsops check-endpoints` explains each problem.'

  it('an endpoint of the VPC: ok, through it, for what needs it', () => {
    expect(findingResult(finding({}))).toEqual(route('ok', `through vpce-1${FOR}`))
  })

  it('a central endpoint without an id here: through "the VPC endpoint", said to be central; nothing needing it names nothing', () => {
    expect(findingResult(finding({endpointId: null, provider: 'central', requiredBy: []}))).toEqual(route('ok', 'through the VPC endpoint (a central endpoint, through a private hosted zone)'))
  })

  it('more than two things needing it: the first two and how many more', () => {
    const r = findingResult(finding({requiredBy: ['container app: secrets DB_PASSWORD', 'container app: secrets API_KEY', 'container proxy: secrets TOKEN']}))
    expect(r.detail).toBe('through vpce-1 (for container app: secrets DB_PASSWORD, container app: secrets API_KEY and 1 more)')
  })

  it('a missing endpoint with a NAT route (only MISSING problems, not an error): ok, through the NAT', () => {
    const r = findingResult(finding({status: 'missing', severity: 'warning', endpointId: null, provider: null, problems: [{code: 'MISSING', detail: 'no interface endpoint: traffic goes through the NAT/internet gateway instead (NAT billed per GB)'}]}))
    expect(r).toEqual(route('ok', `no com.amazonaws.${REGION}.secretsmanager endpoint: through the NAT or internet gateway${FOR}`))
  })

  it('a missing endpoint with another problem besides MISSING: warn, with both problems', () => {
    const problems = [
      {code: 'MISSING', detail: 'no interface endpoint'},
      {code: 'ECS_ENDPOINTS_INCOMPLETE', detail: 'the three ECS endpoints go together'},
    ]
    const r = findingResult(finding({status: 'missing', severity: 'warning', endpointId: null, provider: null, problems, fix: 'aws ec2 create-vpc-endpoint …'}))
    expect(r).toEqual(route('warn', `no interface endpoint; the three ECS endpoints go together${FOR}`, 'aws ec2 create-vpc-endpoint …', 'MISSING'))
  })

  it('a missing endpoint whose only problem is not MISSING: warn with that problem', () => {
    const problems = [{code: 'ECS_ENDPOINTS_INCOMPLETE', detail: 'the three ECS endpoints go together'}]
    expect(findingResult(finding({status: 'missing', severity: 'warning', endpointId: null, provider: null, requiredBy: [], problems}))).toEqual(route('warn', 'the three ECS endpoints go together', EXPLAINS, 'ECS_ENDPOINTS_INCOMPLETE'))
  })

  it('an error: fail with every problem, the finding\'s own fix and the first problem\'s code', () => {
    const problems = [
      {code: 'SG_BLOCKS_443', detail: 'no security group admits TCP 443'},
      {code: 'PRIVATE_DNS_DISABLED', detail: 'private DNS disabled'},
    ]
    const r = findingResult(finding({status: 'misconfigured', severity: 'error', problems, fix: 'aws ec2 modify-vpc-endpoint …'}))
    expect(r).toEqual(route('fail', `no security group admits TCP 443; private DNS disabled${FOR}`, 'aws ec2 modify-vpc-endpoint …', 'SG_BLOCKS_443'))
  })

  it('an error without problems or fix: the status says what, its code is the status, check-endpoints explains', () => {
    expect(findingResult(finding({status: 'misconfigured', severity: 'error'}))).toEqual(route('fail', `misconfigured${FOR}`, EXPLAINS, 'MISCONFIGURED'))
  })

  it('a warning on an endpoint that exists: warn', () => {
    const problems = [{code: 'AZ_NOT_COVERED', detail: 'eu-west-1c has no subnet of vpce-1'}]
    expect(findingResult(finding({status: 'misconfigured', severity: 'warning', problems}))).toEqual(route('warn', `eu-west-1c has no subnet of vpce-1${FOR}`, EXPLAINS, 'AZ_NOT_COVERED'))
  })

  it('an unknown status is a warn even when rated info; with no problem the status is the detail and the code', () => {
    expect(findingResult(finding({status: 'unknown', severity: 'info'}))).toEqual(route('warn', `unknown${FOR}`, EXPLAINS, 'UNKNOWN'))
    expect(findingResult(finding({status: 'unknown', severity: 'warning'}))).toEqual(route('warn', `unknown${FOR}`, EXPLAINS, 'UNKNOWN'))
  })

  it('an advisory problem (info) on an endpoint that exists: ok, the problem (or the status) as detail, no fix, no code', () => {
    const problems = [{code: 'POLICY_UNVERIFIED', detail: 'the endpoint policy has conditions'}]
    expect(findingResult(finding({status: 'misconfigured', severity: 'info', problems, fix: 'aws ec2 modify-vpc-endpoint …'}))).toEqual(route('ok', `the endpoint policy has conditions${FOR}`))
    expect(findingResult(finding({status: 'misconfigured', severity: 'info'}))).toEqual(route('ok', `misconfigured${FOR}`))
  })
})

describe('network: the whole group', () => {
  const TITLE = 'Network: VPC endpoints or NAT for what the task reaches before it starts'
  const network = (findings: Finding[]) => healthyFacts({network: {ok: true, value: {vpcId: 'vpc-1', subnets: [{subnetId: 'subnet-a', availabilityZone: `${REGION}a`, internetRoute: 'nat'}], findings}}})
  const secrets: Finding = {service: 'secretsmanager', endpointService: `com.amazonaws.${REGION}.secretsmanager`, type: 'Interface', requiredBy: ['container app: secrets DB_PASSWORD'], status: 'ok', severity: 'info', endpointId: 'vpce-1', provider: 'vpc', problems: []}
  const unused: Finding = {service: 'sqs', endpointService: `com.amazonaws.${REGION}.sqs`, type: 'Interface', requiredBy: [], status: 'unused', severity: 'info', endpointId: 'vpce-9', provider: 'vpc', problems: [{code: 'UNUSED', detail: 'nothing of the task needs it'}]}

  it('no finding: one ok result naming the VPC', () => {
    expect(networkChecks(network([]))).toEqual([{id: 'network', group: 'network', title: TITLE, status: 'ok', detail: 'vpc-1: the task reaches no AWS service before it starts', fix: null, code: null}])
  })

  it('an endpoint nothing uses is no result of its own', () => {
    expect(networkChecks(network([unused])).map((r) => r.id)).toEqual(['network'])
    expect(networkChecks(network([unused, secrets])).map((r) => r.id)).toEqual(['network.secretsmanager'])
  })

  it('skipped (EC2), not audited, the audit denied, the audit failed otherwise', () => {
    expect(networkChecks(healthyFacts({network: undefined, networkSkipped: 'EC2 launch type: the network is the container instance\'s'}))).toEqual([
      {id: 'network', group: 'network', title: TITLE, status: 'skip', detail: "EC2 launch type: the network is the container instance's", fix: null, code: null},
    ])
    expect(networkChecks(healthyFacts({network: undefined}))).toEqual([{id: 'network', group: 'network', title: TITLE, status: 'skip', detail: 'the network was not audited', fix: null, code: null}])
    const unauthorized = {ok: false as const, code: 'UnauthorizedOperation', message: 'You are not authorized to perform this operation.'}
    expect(networkChecks(healthyFacts({network: unauthorized}))).toEqual([
      {id: 'network', group: 'network', title: TITLE, status: 'skip', detail: 'could not be checked: UnauthorizedOperation: You are not authorized to perform this operation.', fix: grant('the ec2:Describe* permissions'), code: null},
    ])
    expect(networkChecks(healthyFacts({network: throttled}))).toEqual([{id: 'network', group: 'network', title: TITLE, status: 'skip', detail: 'could not be checked: ThrottlingException: Rate exceeded', fix: null, code: null}])
  })
})

// ---------------------------------------------------------------- execution role

describe('execution role: the trust policy', () => {
  // "IAM JSON policy elements: Statement": a single statement or an array of them. "AWS JSON policy
  // elements: Principal": "*" (or {"AWS": "*"}) is everyone; Action is a string or an array ("Grammar
  // of the IAM JSON policy language": an array of one value may be written without brackets).
  const verdict = (statement: object | object[]) => trustVerdict(JSON.stringify({Version: '2012-10-17', Statement: statement}))
  const ecsTasks = {Service: 'ecs-tasks.amazonaws.com'}
  const ALLOWED = {allowed: true, denied: false, conditions: []}
  const NOT_ALLOWED = {allowed: false, denied: false, conditions: []}

  it('a Statement given as one object, not an array, is read', () => {
    expect(verdict({Effect: 'Allow', Principal: ecsTasks, Action: 'sts:AssumeRole'})).toEqual(ALLOWED)
  })

  it('no Statement at all, or a document that is not an object: no trust', () => {
    expect(trustVerdict(JSON.stringify({Version: '2012-10-17'}))).toEqual(NOT_ALLOWED)
    expect(trustVerdict('null')).toEqual(NOT_ALLOWED)
  })

  it('Principal "*" and {"AWS": "*"} name everyone, ecs-tasks included', () => {
    expect(verdict({Effect: 'Allow', Principal: '*', Action: 'sts:AssumeRole'})).toEqual(ALLOWED)
    expect(verdict({Effect: 'Allow', Principal: {AWS: '*'}, Action: 'sts:AssumeRole'})).toEqual(ALLOWED)
    expect(verdict({Effect: 'Allow', Principal: {AWS: `arn:aws:iam::${ACCOUNT}:root`}, Action: 'sts:AssumeRole'})).toEqual(NOT_ALLOWED)
  })

  it('the China partition service principal counts; a principal that is a bare string or null does not', () => {
    expect(verdict({Effect: 'Allow', Principal: {Service: 'ecs-tasks.amazonaws.com.cn'}, Action: 'sts:AssumeRole'})).toEqual(ALLOWED)
    expect(verdict({Effect: 'Allow', Principal: 'ecs-tasks.amazonaws.com', Action: 'sts:AssumeRole'})).toEqual(NOT_ALLOWED)
    expect(verdict({Effect: 'Allow', Principal: null, Action: 'sts:AssumeRole'})).toEqual(NOT_ALLOWED)
    expect(verdict({Effect: 'Allow', Action: 'sts:AssumeRole'})).toEqual(NOT_ALLOWED)
  })

  it('sts:* and * let ECS assume the role; one of several actions is enough', () => {
    expect(verdict({Effect: 'Allow', Principal: ecsTasks, Action: 'sts:*'})).toEqual(ALLOWED)
    expect(verdict({Effect: 'Allow', Principal: ecsTasks, Action: '*'})).toEqual(ALLOWED)
    expect(verdict({Effect: 'Allow', Principal: ecsTasks, Action: ['sts:TagSession', 'sts:AssumeRole']})).toEqual(ALLOWED)
  })

  it('actions that only look alike do not: another service\'s wildcard, AssumeRoleWithSAML, no action', () => {
    expect(verdict({Effect: 'Allow', Principal: ecsTasks, Action: 'ec2:*'})).toEqual(NOT_ALLOWED)
    expect(verdict({Effect: 'Allow', Principal: ecsTasks, Action: 'sts:AssumeRoleWithSAML'})).toEqual(NOT_ALLOWED)
    expect(verdict({Effect: 'Allow', Principal: ecsTasks})).toEqual(NOT_ALLOWED)
  })

  it('a Deny alone denies and allows nothing; its conditions are not listed as those of an Allow', () => {
    expect(verdict({Effect: 'Deny', Principal: ecsTasks, Action: 'sts:AssumeRole', Condition: {Bool: {'aws:SecureTransport': 'false'}}})).toEqual({allowed: false, denied: true, conditions: []})
  })

  it('the conditions of each Allow, operator and key', () => {
    const statements = [
      {Effect: 'Allow', Principal: ecsTasks, Action: 'sts:AssumeRole', Condition: {StringEquals: {'aws:SourceAccount': ACCOUNT}, ArnLike: {'aws:SourceArn': `arn:aws:ecs:${REGION}:${ACCOUNT}:*`}}},
      {Effect: 'Allow', Principal: ecsTasks, Action: 'sts:AssumeRole'},
    ]
    expect(verdict(statements)).toEqual({allowed: true, denied: false, conditions: ['StringEquals aws:SourceAccount', 'ArnLike aws:SourceArn']})
  })
})

describe('execution role: the three results, whole', () => {
  const PRESENT = {id: 'execution-role.present', group: 'execution-role', title: 'Task execution role'} as const
  const TRUST = {id: 'execution-role.trust', group: 'execution-role', title: 'Execution role trusts ecs-tasks.amazonaws.com'} as const
  const PERMISSIONS = {id: 'execution-role.permissions', group: 'execution-role', title: 'Execution role may do what ECS does before the task starts'} as const
  const TRUST_FIX = `Let ecs-tasks.amazonaws.com assume ${EXECUTION_ROLE}: \`aws iam update-assume-role-policy --role-name ecsTaskExecutionRole --policy-document '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":"sts:AssumeRole"}]}'\``
  const noSuchRole = {ok: false as const, code: 'NoSuchEntityException', message: 'The role with name ecsTaskExecutionRole cannot be found.'}
  const withTrust = (statement: object) => healthyFacts({executionRole: {ok: true, value: {arn: EXECUTION_ROLE, trustPolicy: decodeURIComponent(trustPolicy(statement))}}})
  const results = (facts: PreflightFacts) => preflightChecks(facts).filter((r) => r.group === 'execution-role')

  it('healthy: the role, allowed, and what the simulator answered', () => {
    expect(results(healthyFacts())).toEqual([
      {...PRESENT, status: 'ok', detail: EXECUTION_ROLE, fix: null, code: null},
      {...TRUST, status: 'ok', detail: 'allowed', fix: null, code: null},
      {
        ...PERMISSIONS,
        status: 'ok',
        detail: "allowed by the role's policies: 9 actions on 9 resources (the simulator does not see resource-based policies (the secret's, the repository's, the bucket's), KMS key policies, VPC endpoint policies, and not every SCP)",
        fix: null,
        code: null,
      },
    ])
  })

  it('no execution role and none needed: ok, and the two others skip', () => {
    const td = taskDefinition({executionRoleArn: undefined, containerDefinitions: [{name: 'web', image: 'nginx:1.27'}]})
    expect(results(healthyFacts({target: target({taskDefinition: td}), executionRole: undefined, executionDecisions: undefined}))).toEqual([
      {...PRESENT, status: 'ok', detail: 'none, and none is needed', fix: null, code: null},
      {...TRUST, status: 'skip', detail: 'there is no execution role', fix: null, code: null},
      {...PERMISSIONS, status: 'skip', detail: 'there is no execution role', fix: null, code: null},
    ])
  })

  it('no execution role while one is needed: fail with exactly three reasons listed in full, and the fix', () => {
    const td = taskDefinition({executionRoleArn: undefined, containerDefinitions: [{name: 'web', image: APP_IMAGE, secrets: [{name: 'API_KEY', valueFrom: API_SECRET}], logConfiguration: {logDriver: 'awslogs', options: {'awslogs-group': '/ecs/web'}}}]})
    const facts = healthyFacts({target: target({taskDefinition: td}), executionRole: undefined, executionDecisions: undefined, taskRoleDecisions: undefined})
    expect(check(facts, 'execution-role.present')).toEqual({
      ...PRESENT,
      status: 'fail',
      detail: `the task definition has no executionRoleArn, and ECS needs one: container web pulls ${APP_IMAGE} from ECR, container web logs to /ecs/web with awslogs, container web reads secrets API_KEY from Secrets Manager`,
      fix: 'Set executionRoleArn to a role that ecs-tasks.amazonaws.com may assume, with AmazonECSTaskExecutionRolePolicy (ECR, logs) and read access to the secrets.',
      code: 'EXECUTION_ROLE_MISSING',
    })
  })

  it('a role that does not exist: fail on presence, the trust and the permissions skip', () => {
    expect(results(healthyFacts({executionRole: noSuchRole}))).toEqual([
      {...PRESENT, status: 'fail', detail: `${EXECUTION_ROLE} does not exist (NoSuchEntityException)`, fix: 'Create the role, or point executionRoleArn at one that exists.', code: 'EXECUTION_ROLE_MISSING'},
      {...TRUST, status: 'skip', detail: 'the role does not exist', fix: null, code: null},
      {...PERMISSIONS, status: 'skip', detail: 'the role does not exist', fix: null, code: null},
    ])
  })

  it('a role named but not read (no GetRole answer): present ok, trust skips, permissions still judged', () => {
    expect(results(healthyFacts({executionRole: undefined})).map((r) => [r.id, r.status, r.detail])).toEqual([
      ['execution-role.present', 'ok', EXECUTION_ROLE],
      ['execution-role.trust', 'skip', 'there is no execution role'],
      ['execution-role.permissions', 'ok', expect.stringMatching(/^allowed by the role's policies: 9 actions on 9 resources/)],
    ])
  })

  it('GetRole denied: trust skips naming iam:GetRole; throttled: skips without a fix', () => {
    expect(check(healthyFacts({executionRole: denied}), 'execution-role.trust')).toEqual({
      ...TRUST,
      status: 'skip',
      detail: `could not be checked: AccessDeniedException: ${denied.message}`,
      fix: grant('iam:GetRole on the execution role'),
      code: null,
    })
    expect(check(healthyFacts({executionRole: throttled}), 'execution-role.trust')).toEqual({...TRUST, status: 'skip', detail: 'could not be checked: ThrottlingException: Rate exceeded', fix: null, code: null})
  })

  it('a trust policy that denies, or does not allow: fail with the command that lets ECS assume the role', () => {
    expect(check(withTrust({Effect: 'Deny', Principal: {Service: 'ecs-tasks.amazonaws.com'}, Action: 'sts:AssumeRole'}), 'execution-role.trust')).toEqual({
      ...TRUST,
      status: 'fail',
      detail: 'the trust policy denies sts:AssumeRole to ecs-tasks.amazonaws.com',
      fix: TRUST_FIX,
      code: 'EXECUTION_ROLE_TRUST',
    })
    expect(check(withTrust({Effect: 'Allow', Principal: {Service: 'ec2.amazonaws.com'}, Action: 'sts:AssumeRole'}), 'execution-role.trust')).toEqual({
      ...TRUST,
      status: 'fail',
      detail: 'the trust policy does not let ecs-tasks.amazonaws.com call sts:AssumeRole',
      fix: TRUST_FIX,
      code: 'EXECUTION_ROLE_TRUST',
    })
  })

  it('conditions: four listed in full, a fifth counted', () => {
    const four = {StringEquals: {'aws:SourceAccount': ACCOUNT, 'aws:PrincipalTag/team': 'web'}, ArnLike: {'aws:SourceArn': `arn:aws:ecs:${REGION}:${ACCOUNT}:*`}, Bool: {'aws:SecureTransport': 'true'}}
    expect(check(withTrust({Effect: 'Allow', Principal: {Service: 'ecs-tasks.amazonaws.com'}, Action: 'sts:AssumeRole', Condition: four}), 'execution-role.trust').detail).toBe(
      'allowed (conditions not evaluated: StringEquals aws:SourceAccount, StringEquals aws:PrincipalTag/team, ArnLike aws:SourceArn, Bool aws:SecureTransport)',
    )
    const five = {...four, IpAddress: {'aws:SourceIp': '10.0.0.0/8'}}
    expect(check(withTrust({Effect: 'Allow', Principal: {Service: 'ecs-tasks.amazonaws.com'}, Action: 'sts:AssumeRole', Condition: five}), 'execution-role.trust').detail).toBe(
      'allowed (conditions not evaluated: StringEquals aws:SourceAccount, StringEquals aws:PrincipalTag/team, ArnLike aws:SourceArn, Bool aws:SecureTransport and 1 more)',
    )
  })
})

describe('execution role: what it may do', () => {
  const PERMISSIONS = {id: 'execution-role.permissions', group: 'execution-role', title: 'Execution role may do what ECS does before the task starts'} as const
  const permissions = (facts: PreflightFacts) => check(facts, 'execution-role.permissions')
  const ON_EC2 = '; on EC2 the image pulls and awslogs use the container instance role (not checked)'
  const BLIND = "(the simulator does not see resource-based policies (the secret's, the repository's, the bucket's), KMS key policies, VPC endpoint policies, and not every SCP)"
  const awslogs: LogConfiguration = {logDriver: 'awslogs', options: {'awslogs-group': '/ecs/web'}}
  const onEc2 = (containerDefinitions: ContainerDefinition[]) => {
    const base = healthyFacts({target: target({launchType: 'EC2', taskDefinition: taskDefinition({containerDefinitions})})})
    return {...base, executionDecisions: {ok: true as const, value: decisionsFor(base)}}
  }

  // "Amazon ECS task execution IAM role": on EC2 the container instance role pulls from ECR and sends awslogs.
  it('on EC2 an ECR image, or awslogs, is the instance role\'s business: said so; neither: nothing said', () => {
    expect(permissions(onEc2([{name: 'web', image: APP_IMAGE}]))).toEqual({...PERMISSIONS, status: 'ok', detail: `the task needs no permission of it${ON_EC2}`, fix: null, code: null})
    expect(permissions(onEc2([{name: 'web', image: 'nginx:1.27', logConfiguration: awslogs}])).detail).toBe(`the task needs no permission of it${ON_EC2}`)
    expect(permissions(onEc2([{name: 'web', image: 'nginx:1.27'}])).detail).toBe('the task needs no permission of it')
  })

  it('on Fargate nothing is said about the instance role', () => {
    const td = taskDefinition({containerDefinitions: [{name: 'web', image: 'nginx:1.27'}]})
    expect(permissions(healthyFacts({target: target({taskDefinition: td})}))).toEqual({...PERMISSIONS, status: 'ok', detail: 'the task needs no permission of it', fix: null, code: null})
  })

  it('one action on one resource is said in the singular; the EC2 note follows', () => {
    const facts = onEc2([{name: 'web', image: APP_IMAGE, secrets: [{name: 'API_KEY', valueFrom: API_SECRET}]}])
    expect(permissions(facts).detail).toBe(`allowed by the role's policies: 1 action on 1 resource ${BLIND}${ON_EC2}`)
  })

  it('not simulated, the simulation denied, the simulation failed otherwise', () => {
    expect(permissions(healthyFacts({executionDecisions: undefined}))).toEqual({...PERMISSIONS, status: 'skip', detail: 'not simulated', fix: null, code: null})
    expect(permissions(healthyFacts({executionDecisions: denied}))).toEqual({
      ...PERMISSIONS,
      status: 'skip',
      detail: `could not be checked: AccessDeniedException: ${denied.message}`,
      fix: grant('iam:SimulatePrincipalPolicy on the execution role'),
      code: null,
    })
    expect(permissions(healthyFacts({executionDecisions: throttled})).fix).toBeNull()
  })

  it('pairs the simulator did not answer: warn naming each, with the key aliases it could not be asked about', () => {
    const base = healthyFacts({secrets: {[DB_SECRET]: {ok: true, value: {arn: DB_SECRET_FULL, kmsKeyId: `arn:aws:kms:${REGION}:${ACCOUNT}:alias/db`}}, [API_SECRET]: {ok: true, value: {arn: API_SECRET}}}})
    const decisions = decisionsFor(base)
    delete decisions['ssm:GetParameters']
    delete decisions['logs:CreateLogStream']
    expect(permissions({...base, executionDecisions: {ok: true, value: decisions}})).toEqual({
      ...PERMISSIONS,
      status: 'warn',
      detail: `the simulator gave no answer for logs:CreateLogStream on arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/ecs/web:*; ssm:GetParameters on arn:aws:ssm:${REGION}:${ACCOUNT}:parameter/prod/flags; kms:Decrypt not simulated for arn:aws:kms:${REGION}:${ACCOUNT}:alias/db (a key alias: the simulator needs the key ARN)`,
      fix: 'Check these permissions by hand (IAM policy simulator).',
      code: 'SIMULATION_INCOMPLETE',
    })
  })

  it('a denied permission: fail naming the role, its code, and the EC2 note', () => {
    const base = onEc2([{name: 'web', image: APP_IMAGE, secrets: [{name: 'API_KEY', valueFrom: API_SECRET}]}])
    const facts = {...base, executionDecisions: {ok: true as const, value: decisionsFor(base, () => 'explicitDeny')}}
    expect(permissions(facts)).toEqual({
      ...PERMISSIONS,
      status: 'fail',
      detail: `secretsmanager:GetSecretValue on ${API_SECRET} (explicitDeny; secrets API_KEY of container web)${ON_EC2}`,
      fix: `Allow secretsmanager:GetSecretValue on ${API_SECRET} in the policies of ${EXECUTION_ROLE}.`,
      code: 'EXECUTION_ROLE_DENIED',
    })
  })
})

describe('execution role: the task role has what the execution role lacks', () => {
  /** The healthy task, plus an environment file in S3, with nothing allowed to the execution role and everything to the task role. */
  const everythingOnTheWrongRole = (extra: Partial<PreflightFacts> = {}) => {
    const td = taskDefinition()
    const [app, proxy] = td.containerDefinitions!
    const base = healthyFacts({target: target({taskDefinition: {...td, containerDefinitions: [{...app!, environmentFiles: [{type: 's3', value: ENV_FILE}]}, proxy!]}}), ...extra})
    return {...base, executionDecisions: {ok: true as const, value: decisionsFor(base, () => 'implicitDeny')}, taskRoleDecisions: {ok: true as const, value: decisionsFor(base)}}
  }
  const ALL_ACTIONS = 'ecr:GetAuthorizationToken, ecr:BatchGetImage, ecr:GetDownloadUrlForLayer, ecr:BatchCheckLayerAvailability and 7 more'
  const HINT = `the task role ${TASK_ROLE} allows ${ALL_ACTIONS}, but ECS pulls images, writes awslogs, reads secrets, reads environment files with the execution role`

  it('the hint names the task role, the first four actions, and what ECS does with each kind', () => {
    const facts = everythingOnTheWrongRole()
    const r = check(facts, 'execution-role.permissions')
    expect(r.detail.endsWith(`; ${HINT}`)).toBe(true)
    expect(r.fix).toBe(
      `Allow ecr:GetAuthorizationToken, ecr:BatchGetImage, ecr:GetDownloadUrlForLayer, ecr:BatchCheckLayerAvailability, logs:CreateLogStream, logs:PutLogEvents and 5 more on *, ${APP_REPOSITORY}, ${PROXY_REPOSITORY}, arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/ecs/web:*, arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/ecs/web:log-stream:*, ${DB_SECRET_FULL} and 5 more in the policies of ${EXECUTION_ROLE} (the task role has them: add them to the execution role; the task role needs them only if the application itself calls these APIs).`,
    )
  })

  it('one kind at a time: images, logs, environment files, secrets', () => {
    const facts = everythingOnTheWrongRole()
    const hint = (action: string, resource: string) => taskRoleHint({...facts, taskRoleDecisions: {ok: true, value: {[action]: {[resource]: 'allowed'}}}}, [{action, resource, why: 'test'}])
    expect(hint('ecr:BatchGetImage', APP_REPOSITORY)).toBe(`the task role ${TASK_ROLE} allows ecr:BatchGetImage, but ECS pulls images with the execution role`)
    expect(hint('logs:PutLogEvents', `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/ecs/web:log-stream:*`)).toBe(`the task role ${TASK_ROLE} allows logs:PutLogEvents, but ECS writes awslogs with the execution role`)
    expect(hint('s3:GetObject', ENV_FILE)).toBe(`the task role ${TASK_ROLE} allows s3:GetObject, but ECS reads environment files with the execution role`)
    expect(hint('ssm:GetParameters', `arn:aws:ssm:${REGION}:${ACCOUNT}:parameter/prod/flags`)).toBe(`the task role ${TASK_ROLE} allows ssm:GetParameters, but ECS reads secrets with the execution role`)
  })

  it('no hint without a task role, or without its decisions, or when they could not be read', () => {
    const noTaskRole = everythingOnTheWrongRole()
    const td = noTaskRole.target.taskDefinition
    const withoutTaskRole = {...noTaskRole, target: {...noTaskRole.target, taskDefinition: {...td, taskRoleArn: undefined}}}
    expect(check(withoutTaskRole, 'execution-role.permissions').detail).not.toContain('the task role')
    expect(check({...noTaskRole, taskRoleDecisions: undefined}, 'execution-role.permissions').detail).not.toContain('the task role')
    expect(check({...noTaskRole, taskRoleDecisions: denied}, 'execution-role.permissions').detail).not.toContain('the task role')
    const lacking = [{action: 'secretsmanager:GetSecretValue', resource: API_SECRET, why: 'secrets API_KEY of container app'}]
    expect(taskRoleHint(withoutTaskRole, lacking)).toBe('')
    expect(taskRoleHint({...noTaskRole, taskRoleDecisions: undefined}, lacking)).toBe('')
  })

  it('the task role of a RunTask override is the one named', () => {
    const other = `arn:aws:iam::${ACCOUNT}:role/other-app`
    const facts = everythingOnTheWrongRole()
    const overridden = {...facts, target: {...facts.target, overrides: {taskRoleArn: other}}}
    expect(check(overridden, 'execution-role.permissions').detail).toContain(`; the task role ${other} allows `)
  })

  it('no execution role at all: the presence fail carries the hint', () => {
    const facts = everythingOnTheWrongRole()
    const td = facts.target.taskDefinition
    const r = check({...facts, target: {...facts.target, taskDefinition: {...td, executionRoleArn: undefined}}, executionRole: undefined, executionDecisions: undefined}, 'execution-role.present')
    expect(r.detail).toBe(
      `the task definition has no executionRoleArn, and ECS needs one: container app pulls ${APP_IMAGE} from ECR, container proxy pulls ${PROXY_IMAGE} from ECR, container app logs to /ecs/web with awslogs and 5 more; ${HINT}`,
    )
  })
})

// ---------------------------------------------------------------- references

describe('references: images', () => {
  const image = (container: string) => ({id: `references.image.${container}`, group: 'references', title: `Image of container ${container}`}) as const
  const DESCRIBE_APP = `\`aws ecr describe-images --registry-id ${ACCOUNT} --repository-name team/web --region ${REGION}\` lists what exists`

  it('found: the tag with the start of the digest it resolves to; a digest as it is', () => {
    const results = preflightChecks(healthyFacts())
    expect(byId(results, 'references.image.app')).toEqual({...image('app'), status: 'ok', detail: 'team/web:1.4.2 exists (sha256:bbbbbbbbbbbb…)', fix: null, code: null})
    expect(byId(results, 'references.image.proxy')).toEqual({...image('proxy'), status: 'ok', detail: `proxy@sha256:${'a'.repeat(64)} exists`, fix: null, code: null})
  })

  it('found without a digest in the answer: the tag alone', () => {
    const facts = healthyFacts()
    facts.images[APP_IMAGE] = {ok: true, value: {}}
    expect(check(facts, 'references.image.app').detail).toBe('team/web:1.4.2 exists')
  })

  it('not read: skip', () => {
    const facts = healthyFacts()
    delete facts.images[APP_IMAGE]
    expect(check(facts, 'references.image.app')).toEqual({...image('app'), status: 'skip', detail: 'not read', fix: null, code: null})
  })

  it('a tag not found: fail with the command that lists what exists', () => {
    const facts = healthyFacts()
    facts.images[APP_IMAGE] = {ok: false, code: 'ImageNotFoundException', message: 'not found'}
    expect(check(facts, 'references.image.app')).toEqual({
      ...image('app'),
      status: 'fail',
      detail: `tag 1.4.2 not found in repository team/web (registry ${ACCOUNT}, ${REGION})`,
      fix: `Push the image, or point the task definition at a tag that exists: ${DESCRIBE_APP}.`,
      code: 'IMAGE_NOT_FOUND',
    })
  })

  it('a repository not found: fail', () => {
    const facts = healthyFacts()
    facts.images[APP_IMAGE] = {ok: false, code: 'RepositoryNotFoundException', message: "The repository with name 'team/web' does not exist"}
    expect(check(facts, 'references.image.app')).toEqual({
      ...image('app'),
      status: 'fail',
      detail: `repository team/web does not exist (registry ${ACCOUNT}, ${REGION})`,
      fix: 'Create the repository and push the image, or fix the image name.',
      code: 'IMAGE_NOT_FOUND',
    })
  })

  it('DescribeImages denied, or failed otherwise: skip, the fix only for the denial', () => {
    const facts = healthyFacts()
    facts.images[APP_IMAGE] = denied
    facts.images[PROXY_IMAGE] = throttled
    const results = preflightChecks(facts)
    expect(byId(results, 'references.image.app')).toEqual({...image('app'), status: 'skip', detail: `could not be checked: AccessDeniedException: ${denied.message}`, fix: grant(`ecr:DescribeImages on ${APP_REPOSITORY}`), code: null})
    expect(byId(results, 'references.image.proxy')).toEqual({...image('proxy'), status: 'skip', detail: 'could not be checked: ThrottlingException: Rate exceeded', fix: null, code: null})
  })

  it('an image of another registry: skip, whole', () => {
    const td = taskDefinition({containerDefinitions: [{name: 'web', image: 'nginx:1.27'}]})
    expect(check(healthyFacts({target: target({taskDefinition: td})}), 'references.image.web')).toEqual({
      ...image('web'),
      status: 'skip',
      detail: 'nginx:1.27 is not in a private ECR registry: ecsops does not check other registries',
      fix: null,
      code: null,
    })
  })
})

describe('references: the architectures of an image index', () => {
  const arch = (wanted: string) => ({id: 'references.architecture.app', group: 'references', title: `Image of container app offers ${wanted}`}) as const
  const arm64 = (architectures: PreflightFacts['images'][string]) => {
    const facts = healthyFacts({target: target({taskDefinition: taskDefinition({runtimePlatform: {cpuArchitecture: 'ARM64', operatingSystemFamily: 'LINUX'}})})})
    facts.images[APP_IMAGE] = architectures
    return check(facts, 'references.architecture.app')
  }
  const index = 'application/vnd.oci.image.index.v1+json'

  it('offered: ok, naming what the index offers', () => {
    expect(arm64({ok: true, value: {mediaType: index, architectures: {ok: true, value: ['amd64', 'arm64']}}})).toEqual({...arch('ARM64'), status: 'ok', detail: 'the image index offers amd64, arm64', fix: null, code: null})
  })

  it('not offered: fail with the build command for the architecture', () => {
    expect(arm64({ok: true, value: {mediaType: index, architectures: {ok: true, value: ['amd64', '386']}}})).toEqual({
      ...arch('ARM64'),
      status: 'fail',
      detail: 'the image index offers amd64, 386, not arm64 (runtimePlatform.cpuArchitecture ARM64)',
      fix: 'Push an image for arm64 into the index (docker buildx build --platform linux/arm64 …), or set runtimePlatform.cpuArchitecture to one it offers.',
      code: 'CPU_ARCHITECTURE',
    })
  })

  it('an index listing no platform: said so', () => {
    expect(arm64({ok: true, value: {mediaType: index, architectures: {ok: true, value: []}}}).detail).toBe('the image index offers no platform, not arm64 (runtimePlatform.cpuArchitecture ARM64)')
  })

  it('a single-platform image: skip naming its media type, or that it is unknown', () => {
    expect(arm64({ok: true, value: {mediaType: 'application/vnd.docker.distribution.manifest.v2+json'}})).toEqual({
      ...arch('ARM64'),
      status: 'skip',
      detail: 'a single-platform image (application/vnd.docker.distribution.manifest.v2+json): its architecture is in its configuration, which ecsops does not read',
      fix: null,
      code: null,
    })
    expect(arm64({ok: true, value: {}}).detail).toBe('a single-platform image (media type unknown): its architecture is in its configuration, which ecsops does not read')
  })

  it('the image not read, or not found: skip', () => {
    expect(arm64({ok: false, code: 'ImageNotFoundException', message: 'not found'})).toEqual({...arch('ARM64'), status: 'skip', detail: 'the image could not be read', fix: null, code: null})
    const facts = healthyFacts()
    delete facts.images[APP_IMAGE]
    expect(check(facts, 'references.architecture.app')).toEqual({...arch('X86_64'), status: 'skip', detail: 'the image could not be read', fix: null, code: null})
  })

  it('BatchGetImage denied: skip naming it, whole', () => {
    expect(arm64({ok: true, value: {mediaType: index, architectures: denied}})).toEqual({
      ...arch('ARM64'),
      status: 'skip',
      detail: `could not be checked: AccessDeniedException: ${denied.message}`,
      fix: grant(`ecr:BatchGetImage on ${APP_REPOSITORY}`),
      code: null,
    })
  })
})

describe('references: secrets and parameters', () => {
  const secret = (id: string, title: string) => ({id, group: 'references', title}) as const
  const DB = secret('references.secret.app.DB_PASSWORD', 'secrets DB_PASSWORD of container app')
  const FLAGS = secret('references.secret.app.FLAGS', 'secrets FLAGS of container app')

  it('healthy: the secret by its full ARN, the parameter with its type', () => {
    const results = preflightChecks(healthyFacts())
    expect(byId(results, DB.id)).toEqual({...DB, status: 'ok', detail: `Secrets Manager secret ${DB_SECRET_FULL} exists`, fix: null, code: null})
    expect(byId(results, FLAGS.id)).toEqual({...FLAGS, status: 'ok', detail: 'parameter /prod/flags exists (SecureString)', fix: null, code: null})
  })

  it('a parameter listed without its type: no type said', () => {
    expect(check(healthyFacts({parameters: {[REGION]: {ok: true, value: {'/prod/flags': {name: '/prod/flags'}}}}}), FLAGS.id).detail).toBe('parameter /prod/flags exists')
  })

  it('a secret that does not exist: fail with the command that lists secrets', () => {
    const facts = healthyFacts()
    facts.secrets[DB_SECRET] = {ok: false, code: 'ResourceNotFoundException', message: "Secrets Manager can't find the specified secret."}
    expect(check(facts, DB.id)).toEqual({
      ...DB,
      status: 'fail',
      detail: `Secrets Manager secret ${DB_SECRET} does not exist in ${REGION}`,
      fix: `Create the secret, or fix valueFrom (${DB_SECRET}:password::): \`aws secretsmanager list-secrets --region ${REGION}\` lists what exists.`,
      code: 'SECRET_NOT_FOUND',
    })
  })

  it('a parameter that does not exist: fail with the put-parameter command', () => {
    expect(check(healthyFacts({parameters: {[REGION]: {ok: true, value: {}}}}), FLAGS.id)).toEqual({
      ...FLAGS,
      status: 'fail',
      detail: `parameter /prod/flags does not exist in ${REGION}`,
      fix: `Create the parameter (\`aws ssm put-parameter --name /prod/flags --type SecureString --region ${REGION} …\`), or fix valueFrom (arn:aws:ssm:${REGION}:${ACCOUNT}:parameter/prod/flags).`,
      code: 'SECRET_NOT_FOUND',
    })
  })

  it('not read: skip, for a secret and for the parameters of a Region', () => {
    const facts = healthyFacts({parameters: {}})
    delete facts.secrets[DB_SECRET]
    const results = preflightChecks(facts)
    expect(byId(results, DB.id)).toEqual({...DB, status: 'skip', detail: 'not read', fix: null, code: null})
    expect(byId(results, FLAGS.id)).toEqual({...FLAGS, status: 'skip', detail: 'not read', fix: null, code: null})
  })

  it('DescribeSecret or DescribeParameters denied: skip, whole', () => {
    const facts = healthyFacts({parameters: {[REGION]: denied}})
    facts.secrets[DB_SECRET] = denied
    const results = preflightChecks(facts)
    expect(byId(results, DB.id)).toEqual({...DB, status: 'skip', detail: `could not be checked: AccessDeniedException: ${denied.message}`, fix: grant(`secretsmanager:DescribeSecret on ${DB_SECRET}`), code: null})
    expect(byId(results, FLAGS.id)).toEqual({...FLAGS, status: 'skip', detail: `could not be checked: AccessDeniedException: ${denied.message}`, fix: grant('ssm:DescribeParameters'), code: null})
  })

  // "Pass Secrets Manager secrets through Amazon ECS environment variables" / Parameter Store:
  // /aws/reference/secretsmanager/<name> reads a Secrets Manager secret through Parameter Store.
  it('a secret read through Parameter Store: said so, found or not', () => {
    const td = taskDefinition({containerDefinitions: [{name: 'app', image: 'nginx:1.27', secrets: [{name: 'TOKEN', valueFrom: '/aws/reference/secretsmanager/prod/token'}]}]})
    const TOKEN = secret('references.secret.app.TOKEN', 'secrets TOKEN of container app')
    const arn = `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:prod/token-Ab12Cd`
    expect(check(healthyFacts({target: target({taskDefinition: td}), secrets: {'prod/token': {ok: true, value: {arn}}}}), TOKEN.id)).toEqual({
      ...TOKEN,
      status: 'ok',
      detail: `Secrets Manager secret ${arn} exists (read through Parameter Store)`,
      fix: null,
      code: null,
    })
    const missing = healthyFacts({target: target({taskDefinition: td}), secrets: {'prod/token': {ok: false, code: 'ResourceNotFoundException', message: "Secrets Manager can't find the specified secret."}}})
    expect(check(missing, TOKEN.id).detail).toBe(`Secrets Manager secret prod/token does not exist in ${REGION} (read through Parameter Store)`)
  })

  it('a log driver secret option: its id joins the field\'s words with dots', () => {
    const td = taskDefinition({
      containerDefinitions: [{name: 'app', image: 'nginx:1.27', logConfiguration: {logDriver: 'splunk', options: {'splunk-url': 'https://splunk.example.com:8088'}, secretOptions: [{name: 'splunk-token', valueFrom: API_SECRET}]}}],
    })
    expect(check(healthyFacts({target: target({taskDefinition: td})}), 'references.secret.app.logConfiguration.secretOptions.splunk-token')).toEqual({
      ...secret('references.secret.app.logConfiguration.secretOptions.splunk-token', 'logConfiguration.secretOptions splunk-token of container app'),
      status: 'ok',
      detail: `Secrets Manager secret ${API_SECRET} exists`,
      fix: null,
      code: null,
    })
  })

  it('a parameter ARN with a one-level name (`a` or `/a`): the missing one is named as /a', () => {
    const td = taskDefinition({containerDefinitions: [{name: 'app', image: 'nginx:1.27', secrets: [{name: 'FLAGS', valueFrom: `arn:aws:ssm:${REGION}:${ACCOUNT}:parameter/flags`}]}]})
    expect(check(healthyFacts({target: target({taskDefinition: td}), parameters: {[REGION]: {ok: true, value: {}}}}), FLAGS.id).detail).toBe(`parameter /flags does not exist in ${REGION}`)
    const found = healthyFacts({target: target({taskDefinition: td}), parameters: {[REGION]: {ok: true, value: {flags: {name: 'flags', type: 'String'}}}}})
    expect(check(found, FLAGS.id).detail).toBe('parameter flags exists (String)')
  })
})

describe('references: awslogs groups', () => {
  const LOG = {id: 'references.log-group.app', group: 'references', title: 'awslogs group of container app'} as const
  const log = (fact: PreflightFacts['logGroups'][string] | undefined, createGroup = false) => {
    const options: Record<string, string> = {'awslogs-group': '/ecs/web', 'awslogs-region': REGION, ...(createGroup ? {'awslogs-create-group': 'true'} : {})}
    const td = taskDefinition({containerDefinitions: [{name: 'app', image: 'nginx:1.27', logConfiguration: {logDriver: 'awslogs', options}}]})
    return check(healthyFacts({target: target({taskDefinition: td}), logGroups: fact ? {[`${REGION}|/ecs/web`]: fact} : {}}), LOG.id)
  }

  it('exists: ok with its Region', () => {
    expect(log({ok: true, value: true})).toEqual({...LOG, status: 'ok', detail: `/ecs/web exists (${REGION})`, fix: null, code: null})
  })

  it('missing, created at start: ok saying which permission that takes', () => {
    expect(log({ok: true, value: false}, true)).toEqual({
      ...LOG,
      status: 'ok',
      detail: '/ecs/web does not exist yet; awslogs-create-group "true" creates it (with logs:CreateLogGroup, checked under the execution role)',
      fix: null,
      code: null,
    })
  })

  it('missing: fail with the command that creates it', () => {
    expect(log({ok: true, value: false})).toEqual({
      ...LOG,
      status: 'fail',
      detail: `log group /ecs/web does not exist in ${REGION}, and awslogs-create-group is not "true"`,
      fix: `Create it (\`aws logs create-log-group --log-group-name /ecs/web --region ${REGION}\`), or set awslogs-create-group to "true" (the execution role then needs logs:CreateLogGroup).`,
      code: 'LOG_GROUP_NOT_FOUND',
    })
  })

  it('not read, or denied: skip', () => {
    expect(log(undefined)).toEqual({...LOG, status: 'skip', detail: 'not read', fix: null, code: null})
    expect(log(denied)).toEqual({...LOG, status: 'skip', detail: `could not be checked: AccessDeniedException: ${denied.message}`, fix: grant('logs:DescribeLogGroups'), code: null})
  })
})

describe('references: Fargate task size', () => {
  // "Amazon ECS task definition parameters for Fargate", Task size: the valid CPU and memory
  // combinations; 8192 and 16384 "require Linux platform 1.4.0 or later"; "The CPU units cannot be
  // less than 1 vCPU when you use Windows containers on Fargate". "Fargate Windows platform
  // versions": Windows platform versions (1.0.0) are numbered apart from Linux ones.
  const SIZE = {id: 'references.task-size', group: 'references', title: 'Fargate task CPU and memory'} as const
  const size = (cpu: string | undefined, memory: string | undefined, extra: Parameters<typeof target>[0] = {}, os?: OSFamily) =>
    taskSizeCheck(healthyFacts({target: target({taskDefinition: taskDefinition({cpu, memory, ...(os ? {runtimePlatform: {operatingSystemFamily: os}} : {})}), ...extra})}))
  const fail = (detail: string, fix: string) => ({...SIZE, status: 'fail', detail, fix, code: 'FARGATE_TASK_SIZE'})

  it('a valid size: ok, in CPU units and MiB', () => {
    expect(size('512', '1024')).toEqual({...SIZE, status: 'ok', detail: '512 CPU units, 1024 MiB', fix: null, code: null})
  })

  it('not Fargate: skip naming the launch type', () => {
    expect(size('512', '1024', {launchType: 'EXTERNAL'})).toEqual({...SIZE, status: 'skip', detail: 'not Fargate (EXTERNAL)', fix: null, code: null})
  })

  it('no task-level cpu, or memory: fail naming which', () => {
    expect(size(undefined, '1024')).toEqual(fail('the task has no task-level cpu, which Fargate requires', 'Set the task-level cpu and memory in the task definition.'))
    expect(size('512', undefined)).toEqual(fail('the task has no task-level memory, which Fargate requires', 'Set the task-level cpu and memory in the task definition.'))
  })

  it('cpu or memory that are no Fargate value: fail quoting both', () => {
    expect(size('half', '1024')).toEqual(fail('cpu "half" / memory "1024" are not Fargate values', 'Use CPU units (256 … 16384) and MiB.'))
    expect(size('512', '1 TB')).toEqual(fail('cpu "512" / memory "1 TB" are not Fargate values', 'Use CPU units (256 … 16384) and MiB.'))
  })

  it('a CPU value Fargate does not offer: fail listing those it does', () => {
    expect(size('3072', '8192')).toEqual(fail('3072 CPU units is not a Fargate size', 'Fargate CPU values: 256, 512, 1024, 2048, 4096, 8192, 16384.'))
  })

  it('memory outside the CPU value\'s range: the range, and its values (four in full, more counted)', () => {
    expect(size('512', '8192')).toEqual(fail('Fargate does not run 512 CPU units with 8192 MiB', 'With 512 CPU units the memory is one of 1024–4096 MiB (1024, 2048, 3072, 4096).'))
    expect(size('1024', '1024').fix).toBe('With 1024 CPU units the memory is one of 2048–8192 MiB (2048, 3072, 4096, 5120 and 3 more).')
  })

  it('Windows: 1 vCPU is enough, less fails', () => {
    expect(size('1024', '2048', {}, 'WINDOWS_SERVER_2022_CORE').status).toBe('ok')
    expect(size('512', '1024', {}, 'WINDOWS_SERVER_2022_CORE')).toEqual(fail('512 CPU units: Windows containers on Fargate need at least 1 vCPU', 'Use 1024 CPU units or more.'))
  })

  it('Windows platform version 1.0.0 is no old Linux platform version', () => {
    expect(size('1024', '2048', {platformVersion: '1.0.0'}, 'WINDOWS_SERVER_2019_FULL').status).toBe('ok')
    expect(size('8192', '16384', {platformVersion: '1.0.0'}, 'WINDOWS_SERVER_2019_FULL').detail).not.toMatch(/Linux platform version/)
  })

  it('8 vCPU and more on a Linux platform version before 1.4.0: fail; 4 vCPU there, or 8 vCPU on LATEST or an unnamed version: ok', () => {
    expect(size('8192', '16384', {platformVersion: '1.3.0'})).toEqual(fail('8192 CPU units need Linux platform version 1.4.0 or later, not 1.3.0', 'Run on platform version LATEST (1.4.0 or later).'))
    expect(size('4096', '8192', {platformVersion: '1.3.0'}).status).toBe('ok')
    expect(size('8192', '16384', {platformVersion: 'LATEST'}).status).toBe('ok')
    expect(size('8192', '16384', {platformVersion: undefined}).status).toBe('ok')
  })
})
