import {afterEach, describe, expect, it} from 'vitest'

import {StubError, startAwsStub, type AwsStub, type StubHandlers} from '../helpers/aws-stub.js'
import {cleanEnv, runCli} from '../helpers/cli.js'

/**
 * `ecsops preflight` as users run it: the built bin/run.js (run `npm run build` first) against the
 * local AWS stand-in. ECS, ECR, Secrets Manager, SSM and CloudWatch Logs speak JSON, IAM awsQuery,
 * EC2 raw ec2Query XML.
 */

const REGION = 'eu-west-1'
const ACCOUNT = '123456789012'
const TD_ARN = `arn:aws:ecs:${REGION}:${ACCOUNT}:task-definition/web:7`
const EXECUTION_ROLE = `arn:aws:iam::${ACCOUNT}:role/ecsTaskExecutionRole`
const TASK_ROLE = `arn:aws:iam::${ACCOUNT}:role/web-app`
const SECRET = `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:prod/db-AbCdEf`
const TASK_ARN = `arn:aws:ecs:${REGION}:${ACCOUNT}:task/app/0f1e2d3c4b5a69788796a5b4c3d2e1f0`

const taskDefinition = {
  taskDefinitionArn: TD_ARN,
  family: 'web',
  revision: 7,
  networkMode: 'awsvpc',
  requiresCompatibilities: ['FARGATE'],
  cpu: '256',
  memory: '512',
  executionRoleArn: EXECUTION_ROLE,
  taskRoleArn: TASK_ROLE,
  containerDefinitions: [
    {
      name: 'app',
      image: `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/web:1`,
      secrets: [{name: 'DB_PASSWORD', valueFrom: `${SECRET}:password::`}, {name: 'FLAGS', valueFrom: '/prod/flags'}],
      logConfiguration: {logDriver: 'awslogs', options: {'awslogs-group': '/ecs/web', 'awslogs-region': REGION}},
    },
  ],
}

const xml = (action: string, body: string) => `<?xml version="1.0" encoding="UTF-8"?><${action}Response xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>stub</requestId>${body}</${action}Response>`

/** The IAM query protocol's lists: `ActionNames.member.1`, … */
const members = (input: Record<string, string>, name: string) => Object.keys(input).filter((k) => k.startsWith(`${name}.member.`)).sort((a, b) => Number(a.split('.').pop()) - Number(b.split('.').pop())).map((k) => input[k]!)

function handlers(options: {missingImage?: boolean; secretsOnTaskRole?: boolean; task?: object} = {}): StubHandlers {
  return {
    'ecs:DescribeServices': () => ({services: [{serviceName: 'web', status: 'ACTIVE', taskDefinition: TD_ARN, launchType: 'FARGATE', networkConfiguration: {awsvpcConfiguration: {subnets: ['subnet-a'], securityGroups: ['sg-task'], assignPublicIp: 'DISABLED'}}}], failures: []}),
    'ecs:DescribeTaskDefinition': () => ({taskDefinition}),
    'ecs:DescribeTasks': () => ({tasks: options.task ? [options.task] : [], failures: options.task ? [] : [{arn: 'x', reason: 'MISSING'}]}),
    'ecr:DescribeImages': (input) => {
      if (options.missingImage) throw new StubError('ImageNotFoundException', `The image with imageId {imageDigest:'null', imageTag:'${input.imageIds[0].imageTag}'} does not exist within the repository with name '${input.repositoryName}'`)
      return {imageDetails: [{repositoryName: input.repositoryName, imageDigest: `sha256:${'b'.repeat(64)}`, imageManifestMediaType: 'application/vnd.docker.distribution.manifest.v2+json'}]}
    },
    'secretsmanager:DescribeSecret': (input) => {
      if (input.SecretId !== SECRET) throw new StubError('ResourceNotFoundException', "Secrets Manager can't find the specified secret.")
      return {ARN: SECRET, Name: 'prod/db-AbCdEf'}
    },
    'ssm:DescribeParameters': () => ({Parameters: [{Name: '/prod/flags', Type: 'String', Version: 1}]}),
    'logs:DescribeLogGroups': () => ({logGroups: [{logGroupName: '/ecs/web'}]}),
    'iam:GetRole': () => ({Role: {Path: '/', RoleName: 'ecsTaskExecutionRole', RoleId: 'AROAEXEC', Arn: EXECUTION_ROLE, CreateDate: new Date('2024-01-01'), AssumeRolePolicyDocument: encodeURIComponent(JSON.stringify({Statement: [{Effect: 'Allow', Principal: {Service: 'ecs-tasks.amazonaws.com'}, Action: 'sts:AssumeRole'}]}))}}),
    'iam:SimulatePrincipalPolicy': (input) => {
      const actions = members(input, 'ActionNames')
      const resources = members(input, 'ResourceArns')
      if (!input.PolicySourceArn || actions.length === 0) throw new StubError('InvalidInput', 'PolicySourceArn and ActionNames are required')
      const decide = (action: string) => {
        const secretsAction = action === 'secretsmanager:GetSecretValue'
        if (input.PolicySourceArn === EXECUTION_ROLE) return secretsAction && options.secretsOnTaskRole ? 'implicitDeny' : 'allowed'
        return secretsAction && options.secretsOnTaskRole ? 'allowed' : 'implicitDeny'
      }
      return {
        IsTruncated: false,
        EvaluationResults: actions.map((a) => ({EvalActionName: a, EvalResourceName: '*', EvalDecision: decide(a), ResourceSpecificResults: resources.map((r) => ({EvalResourceName: r, EvalResourceDecision: decide(a)}))})),
      }
    },
    'ec2:DescribeSubnets': () => xml('DescribeSubnets', `<subnetSet><item><subnetId>subnet-a</subnetId><vpcId>vpc-1</vpcId><availabilityZone>eu-west-1a</availabilityZone><cidrBlock>10.0.1.0/24</cidrBlock><ownerId>${ACCOUNT}</ownerId></item></subnetSet>`),
    'ec2:DescribeRouteTables': () =>
      xml('DescribeRouteTables', `<routeTableSet><item><routeTableId>rtb-1</routeTableId><vpcId>vpc-1</vpcId><associationSet><item><routeTableAssociationId>a-1</routeTableAssociationId><routeTableId>rtb-1</routeTableId><main>true</main></item></associationSet><routeSet><item><destinationCidrBlock>0.0.0.0/0</destinationCidrBlock><natGatewayId>nat-1</natGatewayId><state>active</state></item></routeSet></item></routeTableSet>`),
    'ec2:DescribeNatGateways': () => xml('DescribeNatGateways', `<natGatewaySet><item><natGatewayId>nat-1</natGatewayId><vpcId>vpc-1</vpcId><state>available</state><connectivityType>public</connectivityType></item></natGatewaySet>`),
    'ec2:DescribeVpcEndpoints': () => xml('DescribeVpcEndpoints', '<vpcEndpointSet/>'),
    'ec2:DescribeSecurityGroups': () => xml('DescribeSecurityGroups', `<securityGroupInfo><item><ownerId>${ACCOUNT}</ownerId><groupId>sg-task</groupId><groupName>task</groupName><vpcId>vpc-1</vpcId><ipPermissions/></item></securityGroupInfo>`),
    'ec2:DescribeVpcAttribute': (input) =>
      xml('DescribeVpcAttribute', `<vpcId>vpc-1</vpcId>${input.Attribute === 'enableDnsSupport' ? '<enableDnsSupport><value>true</value></enableDnsSupport>' : '<enableDnsHostnames><value>true</value></enableDnsHostnames>'}`),
    'ec2:DescribeVpcEndpointServices': () => xml('DescribeVpcEndpointServices', '<serviceNameSet/><serviceDetailSet/>'),
  }
}

let stub: AwsStub | undefined
afterEach(async () => {
  await stub?.close()
  stub = undefined
})

describe('ecsops preflight: bad input', () => {
  it.each([
    [['--task', 'abc', '--service', 'web'], /--service=web cannot also be provided when using --task/],
    [['--markdown', '--json', '--task-definition', 'web:7', '--subnets', 'subnet-a'], /cannot also be provided when using/],
    [[], /Say what to check: a service, a task definition, or a stopped task\./],
    [['--service', 'web'], /Which cluster\? --service needs one\./],
  ])('%j exits 2 with the reason', async (args, message) => {
    const r = await runCli(['preflight', ...args], {env: cleanEnv({AWS_REGION: REGION, AWS_ACCESS_KEY_ID: 'AKID', AWS_SECRET_ACCESS_KEY: 'x', AWS_ENDPOINT_URL: 'http://127.0.0.1:9'})})
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(message)
    // Under --json the error is the one JSON document on stdout.
    if (args.includes('--json')) expect(JSON.parse(r.stdout).error.exitCode).toBe(2)
    else expect(r.stdout).toBe('')
  })
})

describe('ecsops preflight against the AWS stand-in', () => {
  it('--service --json: one document, exit 0, results in exec check\'s shape with a code, and no secret value read', async () => {
    stub = await startAwsStub(handlers())
    const r = await runCli(['preflight', '--cluster', 'app', '--service', 'web', '--json'], {env: cleanEnv(stub.env())})
    expect(r.code).toBe(0)
    // Progress goes to stderr as plain lines (CI), never onto stdout.
    expect(r.stderr).not.toContain('{')
    const doc = JSON.parse(r.stdout)
    expect(doc).toMatchObject({ok: true, region: REGION, taskDefinitionArn: TD_ARN, source: 'service web (the revision service web runs now)'})
    for (const result of doc.results) expect(Object.keys(result).sort()).toEqual(['code', 'detail', 'fix', 'group', 'id', 'status', 'title'])
    expect(doc.results.map((x: {id: string; status: string}) => `${x.id} ${x.status}`)).toEqual([
      'network.ecr.api ok',
      'network.ecr.dkr ok',
      'network.s3 ok',
      'network.logs ok',
      'network.secretsmanager ok',
      'network.ssm ok',
      'execution-role.present ok',
      'execution-role.trust ok',
      'execution-role.permissions ok',
      'references.image.app ok',
      'references.architecture.app skip',
      'references.secret.app.DB_PASSWORD ok',
      'references.secret.app.FLAGS ok',
      'references.log-group.app ok',
      'references.task-size ok',
    ])
    expect(stub.calls.map((c) => c.action).filter((a) => /GetSecretValue|GetParameter/.test(a))).toEqual([])
    expect(stub.callsOf('secretsmanager:DescribeSecret').map((c) => c.input.SecretId)).toEqual([SECRET])
  })

  it('a missing image and secrets allowed to the task role only: exit 1, the codes and the hint in the report', async () => {
    stub = await startAwsStub(handlers({missingImage: true, secretsOnTaskRole: true}))
    const r = await runCli(['preflight', '--cluster', 'app', '--service', 'web'], {env: cleanEnv(stub.env())})
    expect(r.code).toBe(1)
    // Piped: wrapped to 80 columns at word boundaries, with a hanging indent.
    for (const line of r.stdout.split('\n')) if (line.length > 80) expect(line.trim()).not.toContain(' ')
    const flowed = r.stdout.replace(/\n {9,}/g, ' ')
    expect(flowed).toContain('Image of container app: tag 1 not found in repository web (registry 123456789012, eu-west-1) [IMAGE_NOT_FOUND]')
    expect(flowed).toContain(`the task role ${TASK_ROLE} allows secretsmanager:GetSecretValue, but ECS reads secrets with the execution role [EXECUTION_ROLE_DENIED]`)
    expect(r.stdout).toMatch(/^2 failed, 0 warnings, \d+ ok, 1 skipped\.$/m)
    expect(r.stdout).toContain('The task would not start until the failed checks are fixed.')
  })

  it('--task: the results behind the stop reason carry "explains", and the document an explanation', async () => {
    const task = {
      taskArn: TASK_ARN,
      clusterArn: `arn:aws:ecs:${REGION}:${ACCOUNT}:cluster/app`,
      taskDefinitionArn: TD_ARN,
      group: 'service:web',
      launchType: 'FARGATE',
      lastStatus: 'STOPPED',
      stopCode: 'TaskFailedToStart',
      stoppedReason: "ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve ecr registry auth: service call has been retried 3 time(s): CannotPullContainerError: failed to resolve ref 123456789012.dkr.ecr.eu-west-1.amazonaws.com/web:1: not found",
      attachments: [{type: 'ElasticNetworkInterface', details: [{name: 'subnetId', value: 'subnet-a'}]}],
      containers: [{name: 'app', lastStatus: 'STOPPED'}],
    }
    stub = await startAwsStub(handlers({missingImage: true, task}))
    const r = await runCli(['preflight', '--task', TASK_ARN, '--json'], {env: cleanEnv(stub.env())})
    expect(r.code).toBe(1)
    const doc = JSON.parse(r.stdout)
    expect(doc.results.filter((x: {explains?: boolean}) => x.explains).map((x: {id: string}) => x.id)).toEqual(['references.image.app'])
    expect(doc.explanation).toMatchObject({taskArn: TASK_ARN, stopCode: 'TaskFailedToStart', explainedBy: ['references.image.app'], text: 'Explained by: references.image.app (IMAGE_NOT_FOUND).'})
    expect(stub.callsOf('ecs:DescribeTasks')[0]!.input).toEqual({cluster: 'app', tasks: [TASK_ARN]})
  })

  it('--task-definition with --service: that revision, in the service\'s network; with --subnets and no --service, no service is read', async () => {
    stub = await startAwsStub(handlers())
    const withService = await runCli(['preflight', '--cluster', 'app', '--service', 'web', '--task-definition', 'web:7', '--json'], {env: cleanEnv(stub.env())})
    expect(withService.code).toBe(0)
    expect(JSON.parse(withService.stdout).source).toBe('service web (--task-definition)')
    expect(stub.callsOf('ecs:DescribeTaskDefinition')[0]!.input).toEqual({taskDefinition: 'web:7'})
    expect(stub.callsOf('ec2:DescribeSubnets')[0]!.input).toMatchObject({'SubnetId.1': 'subnet-a'})
    const before = stub.callsOf('ecs:DescribeServices').length
    const alone = await runCli(['preflight', '--task-definition', 'web:7', '--subnets', 'subnet-a', '--security-groups', 'sg-task', '--json'], {env: cleanEnv(stub.env({ECSOPS_SERVICE: 'web', ECSOPS_CLUSTER: 'app'}))})
    expect(alone.code).toBe(0)
    expect(JSON.parse(alone.stdout).source).toBe('--task-definition')
    expect(stub.callsOf('ecs:DescribeServices').length).toBe(before)
  })

  it('iam-policy preflight lists what it sends, and no secret-reading action', async () => {
    const r = await runCli(['iam-policy', 'preflight'], {env: cleanEnv()})
    expect(r.code).toBe(0)
    const actions: string[] = JSON.parse(r.stdout).Statement[0].Action
    expect(actions).toEqual(expect.arrayContaining(['ecr:DescribeImages', 'secretsmanager:DescribeSecret', 'ssm:DescribeParameters', 'iam:SimulatePrincipalPolicy', 'iam:GetRole', 'logs:DescribeLogGroups']))
    expect(actions.filter((a) => /GetSecretValue|ssm:GetParameter/.test(a))).toEqual([])
  })
})

describe('ecsops migrate --preflight against the AWS stand-in', () => {
  const runTask = () => ({tasks: [{taskArn: TASK_ARN, lastStatus: 'PROVISIONING', taskDefinitionArn: TD_ARN, containers: [{name: 'app', lastStatus: 'PENDING'}]}], failures: []})

  it('a failing check: no RunTask, the failing results on stderr, exit 125 and outcome "preflight"', async () => {
    stub = await startAwsStub({...handlers({missingImage: true}), 'ecs:RunTask': runTask})
    const r = await runCli(['migrate', '--cluster', 'app', '--service', 'web', '--preflight', '--json', '--', 'bin/migrate'], {env: cleanEnv(stub.env())})
    expect(r.code, r.stderr).toBe(125)
    expect(stub.callsOf('ecs:RunTask')).toEqual([])
    expect(r.stderr).toContain('no task was started')
    expect(r.stderr).toContain('[IMAGE_NOT_FOUND]')
    const doc = JSON.parse(r.stdout)
    expect(doc).toMatchObject({outcome: 'preflight', exit: 125, taskArn: null})
    expect(doc.reasons.map((x: {code: string}) => x.code)).toEqual(['IMAGE_NOT_FOUND'])
    expect(doc.preflight.find((x: {id: string}) => x.id === 'references.image.app')).toMatchObject({status: 'fail', code: 'IMAGE_NOT_FOUND'})
  })

  it('all checks pass: the task is started with the request the checks saw', async () => {
    stub = await startAwsStub({...handlers(), 'ecs:RunTask': runTask})
    const r = await runCli(['migrate', '--cluster', 'app', '--service', 'web', '--preflight', '--no-wait', '--', 'bin/migrate'], {env: cleanEnv(stub.env())})
    expect(r.code, r.stderr).toBe(0)
    expect(r.stderr).toMatch(/Preflight: \d+ ok, 0 warning\(s\), 1 skipped/)
    expect(stub.callsOf('ecs:RunTask')).toHaveLength(1)
    expect(stub.callsOf('ecs:RunTask')[0]!.input).toMatchObject({taskDefinition: TD_ARN, networkConfiguration: {awsvpcConfiguration: {subnets: ['subnet-a'], securityGroups: ['sg-task']}}})
    // The checks ran before the task was started.
    const actions = stub.calls.map((c) => `${c.service}:${c.action}`)
    expect(actions.indexOf('iam:SimulatePrincipalPolicy')).toBeLessThan(actions.indexOf('ecs:RunTask'))
  })

  it('--dry-run --preflight checks and starts nothing; without --preflight none of its calls are made', async () => {
    stub = await startAwsStub({...handlers({missingImage: true}), 'ecs:RunTask': runTask})
    const checked = await runCli(['migrate', '--cluster', 'app', '--service', 'web', '--preflight', '--dry-run', '--', 'bin/migrate'], {env: cleanEnv(stub.env())})
    expect(checked.code).toBe(125)
    expect(checked.stdout).toBe('')
    const plain = await runCli(['migrate', '--cluster', 'app', '--service', 'web', '--dry-run', '--', 'bin/migrate'], {env: cleanEnv(stub.env())})
    expect(plain.code).toBe(0)
    expect(stub.callsOf('ecs:RunTask')).toEqual([])
    expect(stub.calls.filter((c) => c.service === 'ecr')).toHaveLength(1)
  })
})
