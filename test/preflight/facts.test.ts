import {CloudWatchLogsClient, DescribeLogGroupsCommand} from '@aws-sdk/client-cloudwatch-logs'
import {
  DescribeNatGatewaysCommand,
  DescribeRouteTablesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVpcAttributeCommand,
  DescribeVpcEndpointServicesCommand,
  DescribeVpcEndpointsCommand,
  EC2Client,
} from '@aws-sdk/client-ec2'
import {BatchGetImageCommand, DescribeImagesCommand, ECRClient, ImageNotFoundException, type DescribeImagesCommandInput} from '@aws-sdk/client-ecr'
import {DescribeServicesCommand, DescribeTaskDefinitionCommand, DescribeTasksCommand, ECSClient, type RunTaskCommandInput} from '@aws-sdk/client-ecs'
import {GetRoleCommand, IAMClient, NoSuchEntityException, SimulatePrincipalPolicyCommand} from '@aws-sdk/client-iam'
import {ListHostedZonesByVPCCommand, Route53Client} from '@aws-sdk/client-route-53'
import {DescribeSecretCommand, ResourceNotFoundException, SecretsManagerClient, type DescribeSecretCommandInput} from '@aws-sdk/client-secrets-manager'
import {DescribeParametersCommand, SSMClient} from '@aws-sdk/client-ssm'
import {mockClient} from 'aws-sdk-client-mock'
import {beforeEach, describe, expect, it} from 'vitest'

import {preflightIam} from '../../src/preflight/iam.js'
import {explainWithPreflight, preflightForMigrate, runPreflight, targetOfRunTask} from '../../src/preflight/run.js'
import {itSendsOnlyDeclaredActions} from '../helpers/iam-coverage.js'
import {
  ACCOUNT,
  API_SECRET,
  DB_KEY,
  DB_SECRET,
  DB_SECRET_FULL,
  describedService,
  describedTaskDefinition,
  EXECUTION_ROLE,
  FLAGS_PARAMETER,
  image,
  parameters,
  REGION,
  role,
  runClients,
  secret,
  simulator,
  stoppedTask,
  TASK_ROLE,
  taskDefinition,
  TD_ARN,
} from './fixtures.js'

const ecsMock = mockClient(ECSClient)
const ec2Mock = mockClient(EC2Client)
const route53Mock = mockClient(Route53Client)
const iamMock = mockClient(IAMClient)
const ecrMock = mockClient(ECRClient)
const smMock = mockClient(SecretsManagerClient)
const ssmMock = mockClient(SSMClient)
const logsMock = mockClient(CloudWatchLogsClient)
const mocks = [ecsMock, ec2Mock, route53Mock, iamMock, ecrMock, smMock, ssmMock, logsMock]
const clients = runClients()

/** A NAT-routed private subnet: every endpoint the task needs is reached through the NAT. */
function natNetwork() {
  ec2Mock.on(DescribeSubnetsCommand).resolves({Subnets: [{SubnetId: 'subnet-a', VpcId: 'vpc-1', AvailabilityZone: 'eu-west-1a', OwnerId: ACCOUNT, CidrBlock: '10.0.1.0/24'}]})
  ec2Mock.on(DescribeRouteTablesCommand).resolves({RouteTables: [{RouteTableId: 'rtb-1', VpcId: 'vpc-1', Associations: [{Main: true, RouteTableId: 'rtb-1'}], Routes: [{DestinationCidrBlock: '0.0.0.0/0', NatGatewayId: 'nat-1', State: 'active'}]}]})
  ec2Mock.on(DescribeVpcEndpointsCommand).resolves({VpcEndpoints: []})
  ec2Mock.on(DescribeSecurityGroupsCommand).resolves({SecurityGroups: [{GroupId: 'sg-task', VpcId: 'vpc-1', OwnerId: ACCOUNT}]})
  ec2Mock.on(DescribeVpcAttributeCommand).resolves({EnableDnsSupport: {Value: true}, EnableDnsHostnames: {Value: true}})
  ec2Mock.on(DescribeVpcEndpointServicesCommand).resolves({ServiceDetails: []})
  ec2Mock.on(DescribeNatGatewaysCommand).resolves({NatGateways: [{NatGatewayId: 'nat-1', VpcId: 'vpc-1', ConnectivityType: 'public', State: 'available'}]})
  route53Mock.on(ListHostedZonesByVPCCommand).resolves({HostedZoneSummaries: []})
}

/** DescribeImages as ECR answers: the image, or ImageNotFoundException for a tag it does not have. */
function images(missingTag?: string) {
  ecrMock.on(DescribeImagesCommand).callsFake((input: DescribeImagesCommandInput) => {
    const id = input.imageIds?.[0]
    if (!input.repositoryName || !id) throw Object.assign(new Error('repositoryName and imageIds are required'), {name: 'InvalidParameterException'})
    if (id.imageTag && id.imageTag === missingTag) throw new ImageNotFoundException({message: `The image with imageId {imageDigest:'null', imageTag:'${id.imageTag}'} does not exist within the repository with name '${input.repositoryName}'`, $metadata: {}})
    return image(id.imageDigest)
  })
}

/** DescribeSecret as Secrets Manager answers: by full ARN, partial ARN or name; never with the random suffix of another. */
function secrets(known: Array<{arn: string; kmsKeyId?: string}>) {
  smMock.on(DescribeSecretCommand).callsFake((input: DescribeSecretCommandInput) => {
    const found = known.find((s) => s.arn === input.SecretId || s.arn.replace(/-[A-Za-z0-9]{6}$/, '') === input.SecretId)
    if (!found) throw new ResourceNotFoundException({message: "Secrets Manager can't find the specified secret.", $metadata: {}})
    return secret(found.arn, found.kmsKeyId)
  })
}

beforeEach(() => {
  for (const m of mocks) m.reset()
  natNetwork()
  ecsMock.on(DescribeServicesCommand).resolves(describedService())
  ecsMock.on(DescribeTaskDefinitionCommand).resolves(describedTaskDefinition())
  iamMock.on(GetRoleCommand).resolves(role())
  iamMock.on(SimulatePrincipalPolicyCommand).callsFake(simulator((r) => (r === EXECUTION_ROLE ? 'allowed' : 'implicitDeny')))
  images()
  secrets([{arn: DB_SECRET_FULL, kmsKeyId: DB_KEY}, {arn: API_SECRET}])
  ssmMock.on(DescribeParametersCommand).resolves(parameters([{name: '/prod/flags'}]))
  logsMock.on(DescribeLogGroupsCommand).resolves({logGroups: [{logGroupName: '/ecs/web', arn: `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/ecs/web:*`}]})
})

const sentCommands = () => mocks.flatMap((m) => m.calls().map((c) => (c.args[0] as object).constructor.name))

describe('runPreflight --service', () => {
  it('resolves the service\'s revision and network, reads every reference once, simulates both roles on the real ARNs', async () => {
    const report = await runPreflight(clients, {region: REGION, cluster: 'prod', service: 'web'})

    expect(report).toMatchObject({ok: true, taskDefinitionArn: TD_ARN, source: 'service web (the revision service web runs now)'})
    expect(report.summary).toEqual({ok: report.results.length - 2, warn: 0, fail: 0, skip: 2})
    expect(ecsMock.commandCalls(DescribeTaskDefinitionCommand)[0]!.args[0].input).toEqual({taskDefinition: TD_ARN})
    expect(ec2Mock.commandCalls(DescribeSubnetsCommand)[0]!.args[0].input).toEqual({SubnetIds: ['subnet-a']})
    // The secret is asked for without its ":password::" suffix; the parameter by its name.
    expect(smMock.commandCalls(DescribeSecretCommand).map((c) => c.args[0].input.SecretId)).toEqual([DB_SECRET, API_SECRET])
    expect(ssmMock.commandCalls(DescribeParametersCommand)[0]!.args[0].input).toEqual({ParameterFilters: [{Key: 'Name', Option: 'Equals', Values: ['/prod/flags']}], MaxResults: 50, NextToken: undefined})
    // Two containers share one log group: read once.
    expect(logsMock.commandCalls(DescribeLogGroupsCommand).map((c) => c.args[0].input)).toEqual([{logGroupNamePrefix: '/ecs/web', limit: 5}])
    expect(ecrMock.commandCalls(DescribeImagesCommand).map((c) => c.args[0].input)).toEqual([
      {registryId: ACCOUNT, repositoryName: 'team/web', imageIds: [{imageTag: '1.4.2'}]},
      {registryId: ACCOUNT, repositoryName: 'proxy', imageIds: [{imageDigest: `sha256:${'a'.repeat(64)}`}]},
    ])
    const sims = iamMock.commandCalls(SimulatePrincipalPolicyCommand).map((c) => c.args[0].input)
    expect(sims.map((s) => s.PolicySourceArn)).toEqual([EXECUTION_ROLE, TASK_ROLE])
    expect(sims[0]!.ResourceArns).toEqual([
      '*',
      `arn:aws:ecr:${REGION}:${ACCOUNT}:repository/team/web`,
      `arn:aws:ecr:${REGION}:${ACCOUNT}:repository/proxy`,
      `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/ecs/web:*`,
      `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/ecs/web:log-stream:*`,
      DB_SECRET_FULL,
      DB_KEY,
      API_SECRET,
      FLAGS_PARAMETER,
    ])
    // Never a secret's value.
    expect(sentCommands().filter((n) => /GetSecretValue|GetParameter/.test(n))).toEqual([])
  })

  it('an image tag and a secret that do not exist, and a role whose trust is for EC2', async () => {
    images('1.4.2')
    secrets([{arn: API_SECRET}])
    iamMock.on(GetRoleCommand).resolves(role(EXECUTION_ROLE, encodeURIComponent(JSON.stringify({Statement: [{Effect: 'Allow', Principal: {Service: 'ec2.amazonaws.com'}, Action: 'sts:AssumeRole'}]}))))
    const report = await runPreflight(clients, {region: REGION, cluster: 'prod', service: 'web'})
    expect(report.ok).toBe(false)
    expect(report.results.filter((r) => r.status === 'fail').map((r) => [r.id, r.code])).toEqual([
      ['execution-role.trust', 'EXECUTION_ROLE_TRUST'],
      ['references.image.app', 'IMAGE_NOT_FOUND'],
      ['references.secret.app.DB_PASSWORD', 'SECRET_NOT_FOUND'],
    ])
    // Without DescribeSecret's ARN, the simulator is asked about the ARN of the task definition.
    expect(iamMock.commandCalls(SimulatePrincipalPolicyCommand)[0]!.args[0].input.ResourceArns).toContain(DB_SECRET)
  })

  it('an execution role that does not exist: EXECUTION_ROLE_MISSING', async () => {
    iamMock.on(GetRoleCommand).rejects(new NoSuchEntityException({message: 'The role with name ecsTaskExecutionRole cannot be found.', $metadata: {}}))
    const report = await runPreflight(clients, {region: REGION, cluster: 'prod', service: 'web'})
    expect(report.results.find((r) => r.id === 'execution-role.present')).toMatchObject({status: 'fail', code: 'EXECUTION_ROLE_MISSING'})
  })

  it('an execution role of another account: its trust policy is not looked up in this one', async () => {
    const foreign = 'arn:aws:iam::999988887777:role/shared-exec'
    ecsMock.on(DescribeTaskDefinitionCommand).resolves(describedTaskDefinition(taskDefinition({executionRoleArn: foreign})))
    const report = await runPreflight(clients, {region: REGION, cluster: 'prod', service: 'web'})
    expect(iamMock.commandCalls(GetRoleCommand)).toEqual([])
    expect(report.results.find((r) => r.id === 'execution-role.trust')).toMatchObject({status: 'skip', detail: `could not be checked: CrossAccountRole: the role is in account 999988887777, the task definition in ${ACCOUNT}: its trust policy is not read`})
    expect(iamMock.commandCalls(SimulatePrincipalPolicyCommand)[0]!.args[0].input.PolicySourceArn).toBe(foreign)
  })

  it('reads a multi-arch index on Fargate with BatchGetImage and checks the architecture', async () => {
    ecrMock.on(DescribeImagesCommand).resolves(image(`sha256:${'c'.repeat(64)}`, 'application/vnd.oci.image.index.v1+json'))
    ecrMock.on(BatchGetImageCommand).resolves({
      images: [{imageId: {imageDigest: `sha256:${'c'.repeat(64)}`}, imageManifestMediaType: 'application/vnd.oci.image.index.v1+json', imageManifest: JSON.stringify({schemaVersion: 2, manifests: [{platform: {architecture: 'arm64', os: 'linux'}}, {platform: {architecture: 'unknown', os: 'unknown'}}]})}],
      failures: [],
    })
    const report = await runPreflight(clients, {region: REGION, cluster: 'prod', service: 'web'})
    expect(ecrMock.commandCalls(BatchGetImageCommand)[0]!.args[0].input).toEqual({
      registryId: ACCOUNT,
      repositoryName: 'team/web',
      imageIds: [{imageDigest: `sha256:${'c'.repeat(64)}`}],
      acceptedMediaTypes: ['application/vnd.docker.distribution.manifest.list.v2+json', 'application/vnd.oci.image.index.v1+json'],
    })
    expect(report.results.find((r) => r.id === 'references.architecture.app')).toMatchObject({status: 'fail', code: 'CPU_ARCHITECTURE', detail: 'the image index offers arm64, not amd64 (runtimePlatform.cpuArchitecture X86_64)'})
  })

  it('every read denied: skips naming permissions, no fail, no throw', async () => {
    const denied = Object.assign(new Error('User: arn:aws:iam::123456789012:user/ci is not authorized'), {name: 'AccessDeniedException'})
    for (const m of [ecrMock, smMock, ssmMock, logsMock]) m.rejects(denied)
    iamMock.rejects(denied)
    ec2Mock.rejects(Object.assign(new Error('You are not authorized to perform this operation.'), {name: 'UnauthorizedOperation'}))
    const report = await runPreflight(clients, {region: REGION, cluster: 'prod', service: 'web'})
    expect(report.results.filter((r) => r.status === 'fail')).toEqual([])
    expect(report.results.filter((r) => r.status === 'skip' && r.fix?.startsWith('Grant ')).map((r) => r.id)).toEqual([
      'network',
      'execution-role.trust',
      'execution-role.permissions',
      'references.image.app',
      'references.image.proxy',
      'references.secret.app.DB_PASSWORD',
      'references.secret.app.API_KEY',
      'references.secret.app.FLAGS',
      'references.log-group.app',
      'references.log-group.proxy',
    ])
  })
})

describe('runPreflight --task', () => {
  it('a stopped task: its subnet first, the service\'s security groups, its overrides, and the explanation', async () => {
    ecsMock.on(DescribeTasksCommand).resolves({
      tasks: [
        stoppedTask({
          stoppedReason: 'ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secret from asm: AccessDeniedException: User: arn:aws:sts::123456789012:assumed-role/ecsTaskExecutionRole/x is not authorized to perform: secretsmanager:GetSecretValue',
          overrides: {taskRoleArn: `arn:aws:iam::${ACCOUNT}:role/override`},
        }),
      ],
      failures: [],
    })
    ec2Mock.on(DescribeSubnetsCommand).resolves({Subnets: [{SubnetId: 'subnet-b', VpcId: 'vpc-1', AvailabilityZone: 'eu-west-1b', OwnerId: ACCOUNT}, {SubnetId: 'subnet-a', VpcId: 'vpc-1', AvailabilityZone: 'eu-west-1a', OwnerId: ACCOUNT}]})
    iamMock.on(SimulatePrincipalPolicyCommand).callsFake(simulator((r, action) => (r === EXECUTION_ROLE && action === 'secretsmanager:GetSecretValue' ? 'implicitDeny' : 'allowed')))

    const report = await runPreflight(clients, {region: REGION, task: `arn:aws:ecs:${REGION}:${ACCOUNT}:task/prod/0f1e2d3c4b5a69788796a5b4c3d2e1f0`})

    expect(ecsMock.commandCalls(DescribeTasksCommand)[0]!.args[0].input).toEqual({cluster: 'prod', tasks: [`arn:aws:ecs:${REGION}:${ACCOUNT}:task/prod/0f1e2d3c4b5a69788796a5b4c3d2e1f0`]})
    expect(ec2Mock.commandCalls(DescribeSubnetsCommand)[0]!.args[0].input).toEqual({SubnetIds: ['subnet-b', 'subnet-a']})
    expect(iamMock.commandCalls(SimulatePrincipalPolicyCommand).map((c) => c.args[0].input.PolicySourceArn)).toEqual([EXECUTION_ROLE, `arn:aws:iam::${ACCOUNT}:role/override`])
    const permissions = report.results.find((r) => r.id === 'execution-role.permissions')!
    expect(permissions).toMatchObject({status: 'fail', code: 'EXECUTION_ROLE_DENIED', explains: true})
    expect(permissions.detail).toContain(`the task role arn:aws:iam::${ACCOUNT}:role/override allows secretsmanager:GetSecretValue, but ECS reads secrets with the execution role`)
    expect(report.explanation).toMatchObject({explainedBy: ['execution-role.permissions'], stopCode: 'TaskFailedToStart', lastStatus: 'STOPPED'})
    expect(report.source).toBe('stopped task 0f1e2d3c4b5a69788796a5b4c3d2e1f0 of service web')
  })

  it('a task that is not found: an error naming the cluster', async () => {
    ecsMock.on(DescribeTasksCommand).resolves({tasks: [], failures: [{arn: 'x', reason: 'MISSING'}]})
    await expect(runPreflight(clients, {region: REGION, cluster: 'prod', task: 'abc'})).rejects.toThrow('Task abc was not found in cluster prod (MISSING).')
  })
})

describe('migrate', () => {
  const request: RunTaskCommandInput = {
    cluster: 'prod',
    taskDefinition: TD_ARN,
    capacityProviderStrategy: [{capacityProvider: 'FARGATE', weight: 1}],
    platformVersion: '1.4.0',
    networkConfiguration: {awsvpcConfiguration: {subnets: ['subnet-a'], securityGroups: ['sg-task'], assignPublicIp: 'DISABLED'}},
    overrides: {taskRoleArn: `arn:aws:iam::${ACCOUNT}:role/migrator`, cpu: '1024', memory: '512', containerOverrides: [{name: 'app', command: ['php', 'artisan', 'migrate']}]},
  }

  it('targetOfRunTask: the request\'s network, capacity (Fargate), platform version and overrides', () => {
    expect(targetOfRunTask({region: REGION, taskDefinition: taskDefinition(), request})).toMatchObject({
      launchType: 'FARGATE',
      platformVersion: '1.4.0',
      network: {subnetIds: ['subnet-a'], securityGroupIds: ['sg-task'], assignPublicIp: false},
      overrides: {taskRoleArn: `arn:aws:iam::${ACCOUNT}:role/migrator`, cpu: '1024', memory: '512'},
    })
    expect(targetOfRunTask({region: REGION, taskDefinition: taskDefinition(), request: {...request, capacityProviderStrategy: [{capacityProvider: 'asg-provider'}]}}).launchType).toBe('EC2')
  })

  it('preflightForMigrate: not ok, the failing results as lines for stderr (the overridden task size)', async () => {
    const outcome = await preflightForMigrate(clients, {region: REGION, taskDefinition: taskDefinition(), request})
    expect(outcome.ok).toBe(false)
    expect(outcome.results.filter((r) => r.status === 'fail').map((r) => r.code)).toEqual(['FARGATE_TASK_SIZE'])
    expect(outcome.lines).toEqual([
      'Preflight: the task would not start:',
      '  ✖ Fargate task CPU and memory: Fargate does not run 1024 CPU units with 512 MiB [FARGATE_TASK_SIZE]',
      '    fix: With 1024 CPU units the memory is one of 2048–8192 MiB (2048, 3072, 4096, 5120 and 3 more).',
    ])
    expect(iamMock.commandCalls(SimulatePrincipalPolicyCommand).map((c) => c.args[0].input.PolicySourceArn)).toEqual([EXECUTION_ROLE, `arn:aws:iam::${ACCOUNT}:role/migrator`])
  })

  it('preflightForMigrate: ok with nothing to print when everything passes', async () => {
    const outcome = await preflightForMigrate(clients, {region: REGION, taskDefinition: taskDefinition(), request: {...request, overrides: {}}})
    expect(outcome).toMatchObject({ok: true, lines: []})
  })

  it('explainWithPreflight: the lines under a start failure, from the whole preflight', async () => {
    secrets([{arn: API_SECRET}])
    const explain = explainWithPreflight(clients, REGION)
    const task = stoppedTask({stoppedReason: "ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secret from asm: ResourceNotFoundException: Secrets Manager can't find the specified secret."})
    const lines = await explain({task, stoppedReason: task.stoppedReason!, network: request.networkConfiguration!.awsvpcConfiguration, taskDefinition: taskDefinition(), launchType: 'FARGATE', platformVersion: '1.4.0'})
    expect(lines).toEqual([
      'Preflight: Explained by: references.secret.app.DB_PASSWORD (SECRET_NOT_FOUND).',
      `  ✖ secrets DB_PASSWORD of container app: Secrets Manager secret ${DB_SECRET} does not exist in ${REGION} [SECRET_NOT_FOUND]`,
      `    fix: Create the secret, or fix valueFrom (${DB_SECRET}:password::): \`aws secretsmanager list-secrets --region ${REGION}\` lists what exists.`,
    ])
  })
})

itSendsOnlyDeclaredActions(preflightIam, {ecs: ecsMock, ec2: ec2Mock, route53: route53Mock, iam: iamMock, ecr: ecrMock, secretsmanager: smMock, ssm: ssmMock, logs: logsMock})
