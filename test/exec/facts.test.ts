import {
  DescribeInstancesCommand,
  DescribeNetworkInterfacesCommand,
  DescribeRouteTablesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVpcAttributeCommand,
  DescribeVpcEndpointServicesCommand,
  DescribeVpcEndpointsCommand,
  EC2Client,
} from '@aws-sdk/client-ec2'
import {
  DescribeClustersCommand,
  DescribeContainerInstancesCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ECSClient,
  ListTasksCommand,
  type DescribeClustersCommandOutput,
} from '@aws-sdk/client-ecs'
import {GetInstanceProfileCommand, IAMClient, ListInstanceProfilesCommand, ListRolesCommand, SimulatePrincipalPolicyCommand, type SimulatePrincipalPolicyCommandInput} from '@aws-sdk/client-iam'
import {DescribeKeyCommand, KMSClient} from '@aws-sdk/client-kms'
import {ListHostedZonesByVPCCommand, Route53Client} from '@aws-sdk/client-route-53'
import {GetCallerIdentityCommand, STSClient} from '@aws-sdk/client-sts'
import {mockClient} from 'aws-sdk-client-mock'
import {beforeEach, describe, expect, it} from 'vitest'

import {execCheckIam} from '../../src/exec/iam.js'
import {gatherExecFacts} from '../../src/exec/facts.js'
import {checkReport} from '../../src/exec/checks.js'
import {loadNetworkAuditor} from '../../src/exec/network.js'
import {itSendsOnlyDeclaredActions} from '../helpers/iam-coverage.js'
import {checkClients, CLUSTER_ARN, KEY_ARN, TASK_ARN, TASK_ID, TASK_ROLE, task, taskDefinition} from './fixtures.js'

const ecsMock = mockClient(ECSClient)
const ec2Mock = mockClient(EC2Client)
const iamMock = mockClient(IAMClient)
const stsMock = mockClient(STSClient)
const kmsMock = mockClient(KMSClient)
const route53Mock = mockClient(Route53Client)

const region = 'eu-west-1'
const clients = checkClients(region)

const cluster = (exec?: NonNullable<NonNullable<DescribeClustersCommandOutput['clusters']>[number]['configuration']>['executeCommandConfiguration']): DescribeClustersCommandOutput =>
  ({$metadata: {}, clusters: [{clusterArn: CLUSTER_ARN, clusterName: 'prod', configuration: exec ? {executeCommandConfiguration: exec} : undefined}]})

function allowAll() {
  iamMock.on(SimulatePrincipalPolicyCommand).callsFake((input: SimulatePrincipalPolicyCommandInput) => ({
    EvaluationResults: (input.ActionNames ?? []).map((a) => ({EvalActionName: a, EvalDecision: a === 'ssm:StartSession' ? 'implicitDeny' : 'allowed'})),
  }))
}

function natNetwork() {
  ec2Mock.on(DescribeNetworkInterfacesCommand).resolves({NetworkInterfaces: [{NetworkInterfaceId: 'eni-0a', VpcId: 'vpc-1', SubnetId: 'subnet-a', AvailabilityZone: 'eu-west-1a', Groups: [{GroupId: 'sg-task'}]}]})
  ec2Mock.on(DescribeSubnetsCommand).resolves({Subnets: [{SubnetId: 'subnet-a', VpcId: 'vpc-1', AvailabilityZone: 'eu-west-1a', OwnerId: '123456789012', CidrBlock: '10.0.1.0/24'}]})
  ec2Mock.on(DescribeRouteTablesCommand).resolves({RouteTables: [{RouteTableId: 'rtb-1', VpcId: 'vpc-1', Associations: [{Main: true, RouteTableId: 'rtb-1'}], Routes: [{DestinationCidrBlock: '0.0.0.0/0', NatGatewayId: 'nat-1', State: 'active'}]}]})
  ec2Mock.on(DescribeVpcEndpointsCommand).resolves({VpcEndpoints: []})
  ec2Mock.on(DescribeSecurityGroupsCommand).resolves({SecurityGroups: [{GroupId: 'sg-task', VpcId: 'vpc-1', OwnerId: '123456789012'}]})
  ec2Mock.on(DescribeVpcAttributeCommand).resolves({EnableDnsSupport: {Value: true}, EnableDnsHostnames: {Value: true}})
  ec2Mock.on(DescribeVpcEndpointServicesCommand).resolves({ServiceDetails: []})
  route53Mock.on(ListHostedZonesByVPCCommand).resolves({HostedZoneSummaries: []})
}

const options = async (extra: Partial<Parameters<typeof gatherExecFacts>[1]> = {}) => ({
  region: {name: region, source: 'AWS_REGION'},
  cluster: 'prod',
  task: TASK_ID,
  probe: async () => ({installed: true, version: '1.2.650.0'}),
  auditNetwork: await loadNetworkAuditor(),
  ...extra,
})

beforeEach(() => {
  for (const m of [ecsMock, ec2Mock, iamMock, stsMock, kmsMock, route53Mock]) m.reset()
  stsMock.on(GetCallerIdentityCommand).resolves({Account: '123456789012', Arn: 'arn:aws:sts::123456789012:assumed-role/Dev/alice', UserId: 'AROAEXAMPLE:alice'})
  iamMock.on(ListRolesCommand).resolves({Roles: [{RoleId: 'AROAEXAMPLE', Arn: 'arn:aws:iam::123456789012:role/team/Dev', RoleName: 'Dev', Path: '/team/', CreateDate: new Date()}]})
  allowAll()
  natNetwork()
})

describe('gatherExecFacts on Fargate', () => {
  it('gathers every fact, simulating the caller and the task role with the right resources', async () => {
    ecsMock.on(DescribeClustersCommand).resolves(cluster({kmsKeyId: 'alias/exec', logging: 'OVERRIDE', logConfiguration: {s3BucketName: 'audit', s3KeyPrefix: 'exec/', s3EncryptionEnabled: true, cloudWatchLogGroupName: '/ecs/exec'}}))
    ecsMock.on(DescribeTasksCommand).resolves({tasks: [task()]})
    ecsMock.on(DescribeTaskDefinitionCommand).resolves({taskDefinition: taskDefinition()})
    kmsMock.on(DescribeKeyCommand).resolves({KeyMetadata: {KeyId: 'k', Arn: KEY_ARN}})

    const facts = await gatherExecFacts(clients, await options())

    expect(facts.task.ok && facts.task.value.taskArn).toBe(TASK_ARN)
    expect(facts.kmsKeyArn).toEqual({ok: true, value: KEY_ARN})
    expect(facts.role).toEqual({ok: true, value: {arn: TASK_ROLE, source: 'task definition'}})
    expect(ecsMock.commandCalls(DescribeClustersCommand)[0].args[0].input).toEqual({clusters: ['prod'], include: ['CONFIGURATIONS']})
    // The network interface comes from the ENI attachment, not attachments[0] (Service Connect).
    expect(ec2Mock.commandCalls(DescribeNetworkInterfacesCommand)[0].args[0].input).toEqual({NetworkInterfaceIds: ['eni-0a']})

    const sims = iamMock.commandCalls(SimulatePrincipalPolicyCommand).map((c) => c.args[0].input)
    const caller = sims.filter((s) => s.PolicySourceArn === 'arn:aws:iam::123456789012:role/team/Dev')
    expect(caller).toEqual(
      expect.arrayContaining([
        {PolicySourceArn: 'arn:aws:iam::123456789012:role/team/Dev', ActionNames: ['ecs:ExecuteCommand', 'ssm:StartSession'], ResourceArns: [TASK_ARN]},
        {PolicySourceArn: 'arn:aws:iam::123456789012:role/team/Dev', ActionNames: ['kms:GenerateDataKey'], ResourceArns: [KEY_ARN]},
      ]),
    )
    const role = sims.filter((s) => s.PolicySourceArn === TASK_ROLE)
    expect(role.map((s) => [s.ActionNames, s.ResourceArns])).toEqual(
      expect.arrayContaining([
        [['ssmmessages:CreateControlChannel', 'ssmmessages:CreateDataChannel', 'ssmmessages:OpenControlChannel', 'ssmmessages:OpenDataChannel'], undefined],
        [['kms:Decrypt'], [KEY_ARN]],
        [['s3:PutObject'], ['arn:aws:s3:::audit/exec/*']],
        [['s3:GetEncryptionConfiguration'], ['arn:aws:s3:::audit']],
        [['logs:DescribeLogGroups'], undefined],
        [['logs:CreateLogStream', 'logs:DescribeLogStreams', 'logs:PutLogEvents'], ['arn:aws:logs:eu-west-1:123456789012:log-group:/ecs/exec:*']],
      ]),
    )

    const report = checkReport(facts, {cluster: 'prod', task: TASK_ID}, 'linux')
    const byId = Object.fromEntries(report.results.map((r) => [r.id, r.status]))
    expect(byId).toMatchObject({'caller.execute-command': 'ok', 'caller.kms-generate-data-key': 'ok', 'role.ssmmessages': 'ok', 'role.s3-logging': 'ok', 'role.cloudwatch-logging': 'ok', 'network.ssmmessages': 'ok', 'network.kms': 'skip'})
    expect(report.summary.fail).toBe(0)
  })

  it('uses the task override\'s role and reports a private subnet without an ssmmessages endpoint', async () => {
    ecsMock.on(DescribeClustersCommand).resolves(cluster())
    ecsMock.on(DescribeTasksCommand).resolves({tasks: [task({overrides: {taskRoleArn: 'arn:aws:iam::123456789012:role/override', containerOverrides: []}})]})
    ecsMock.on(DescribeTaskDefinitionCommand).resolves({taskDefinition: taskDefinition()})
    ec2Mock.on(DescribeRouteTablesCommand).resolves({RouteTables: [{RouteTableId: 'rtb-1', VpcId: 'vpc-1', Associations: [{Main: true, RouteTableId: 'rtb-1'}], Routes: [{DestinationCidrBlock: '10.0.0.0/16', GatewayId: 'local', State: 'active'}]}]})

    const facts = await gatherExecFacts(clients, await options())
    expect(facts.role).toEqual({ok: true, value: {arn: 'arn:aws:iam::123456789012:role/override', source: 'task override'}})
    const report = checkReport(facts, {cluster: 'prod', task: TASK_ID}, 'linux')
    expect(report.results.find((r) => r.id === 'network.ssmmessages')).toMatchObject({status: 'fail'})
  })

  it('finds the newest RUNNING task of a service, auditing the network from the service\'s configuration', async () => {
    ecsMock.on(DescribeClustersCommand).resolves(cluster())
    ecsMock.on(DescribeServicesCommand).resolves({services: [{serviceName: 'web', networkConfiguration: {awsvpcConfiguration: {subnets: ['subnet-a', 'subnet-b'], securityGroups: ['sg-task'], assignPublicIp: 'DISABLED'}}}]})
    ecsMock.on(ListTasksCommand).resolves({taskArns: ['arn:old', 'arn:new']})
    ecsMock.on(DescribeTasksCommand).resolves({
      tasks: [task({taskArn: 'arn:aws:ecs:eu-west-1:123456789012:task/prod/old', startedAt: new Date('2026-11-25T08:00:00Z')}), task({taskArn: 'arn:aws:ecs:eu-west-1:123456789012:task/prod/new', startedAt: new Date('2026-11-25T09:00:00Z')})],
    })
    ecsMock.on(DescribeTaskDefinitionCommand).resolves({taskDefinition: taskDefinition()})
    const facts = await gatherExecFacts(clients, await options({task: undefined, service: 'web'}))
    expect(facts.task.ok && facts.task.value.taskArn).toBe('arn:aws:ecs:eu-west-1:123456789012:task/prod/new')
    expect(ecsMock.commandCalls(ListTasksCommand)[0].args[0].input).toEqual({cluster: 'prod', serviceName: 'web', desiredStatus: 'RUNNING'})
    expect(ec2Mock.commandCalls(DescribeNetworkInterfacesCommand)).toHaveLength(0)
    expect(ec2Mock.commandCalls(DescribeSubnetsCommand)[0].args[0].input).toEqual({SubnetIds: ['subnet-a', 'subnet-b']})
    expect(facts.network?.ok && facts.network.value.task).toMatchObject({subnetIds: ['subnet-a'], securityGroupIds: ['sg-task'], publicIp: false})
    expect(facts.network?.ok && facts.network.value.report.vpcId).toBe('vpc-1')
  })

  it('stops after round 1 for a task ECS does not know', async () => {
    ecsMock.on(DescribeClustersCommand).resolves(cluster())
    ecsMock.on(DescribeTasksCommand).resolves({tasks: [], failures: [{arn: TASK_ID, reason: 'MISSING'}]})
    const facts = await gatherExecFacts(clients, await options())
    expect(facts.task).toMatchObject({ok: false, code: 'MISSING'})
    expect(ecsMock.commandCalls(DescribeTaskDefinitionCommand)).toHaveLength(0)
    expect(ec2Mock.calls()).toHaveLength(0)
  })

  it('turns a denied simulator into a fact error, not a crash', async () => {
    ecsMock.on(DescribeClustersCommand).resolves(cluster())
    ecsMock.on(DescribeTasksCommand).resolves({tasks: [task()]})
    ecsMock.on(DescribeTaskDefinitionCommand).resolves({taskDefinition: taskDefinition()})
    iamMock.on(SimulatePrincipalPolicyCommand).rejects(Object.assign(new Error('User is not authorized to perform: iam:SimulatePrincipalPolicy'), {name: 'AccessDenied'}))
    const facts = await gatherExecFacts(clients, await options())
    expect(facts.callerDecisions).toMatchObject({ok: false, code: 'AccessDenied'})
    expect(facts.roleDecisions).toMatchObject({ok: false, code: 'AccessDenied'})
  })
})

describe('gatherExecFacts on EC2 without a task role', () => {
  const NODE_ROLE = 'arn:aws:iam::123456789012:role/ecs-node'
  const PROFILE_ARN = 'arn:aws:iam::123456789012:instance-profile/ecs-node'
  const onEc2 = () => {
    ecsMock.on(DescribeClustersCommand).resolves(cluster())
    ecsMock.on(DescribeTasksCommand).resolves({tasks: [task({launchType: 'EC2', platformVersion: undefined, attachments: [], containerInstanceArn: 'arn:aws:ecs:eu-west-1:123456789012:container-instance/prod/ci1'})]})
    ecsMock.on(DescribeTaskDefinitionCommand).resolves({taskDefinition: taskDefinition({taskRoleArn: undefined, networkMode: 'bridge'})})
    ecsMock.on(DescribeContainerInstancesCommand).resolves({
      containerInstances: [{ec2InstanceId: 'i-1', versionInfo: {agentVersion: '1.88.0'}, attributes: [{name: 'ecs.vpc-id', value: 'vpc-1'}, {name: 'ecs.subnet-id', value: 'subnet-a'}]}],
    })
    ec2Mock.on(DescribeInstancesCommand).resolves({Reservations: [{Instances: [{InstanceId: 'i-1', IamInstanceProfile: {Arn: PROFILE_ARN, Id: 'AIPANODE'}, SecurityGroups: [{GroupId: 'sg-node'}]}]}]})
  }

  it('lists no instance profile when the task has a task role', async () => {
    onEc2()
    ecsMock.on(DescribeTaskDefinitionCommand).resolves({taskDefinition: taskDefinition({networkMode: 'bridge'})})
    const facts = await gatherExecFacts(clients, await options())
    expect(facts.role).toMatchObject({ok: true, value: {source: 'task definition'}})
    expect(iamMock.commandCalls(ListInstanceProfilesCommand)).toHaveLength(0)
    expect(iamMock.commandCalls(GetInstanceProfileCommand)).toHaveLength(0)
  })

  it('maps the instance profile to its role from iam:ListInstanceProfiles, listed beside DescribeInstances (no GetInstanceProfile round)', async () => {
    onEc2()
    iamMock.on(ListInstanceProfilesCommand).resolves({
      InstanceProfiles: [
        {InstanceProfileName: 'other', InstanceProfileId: 'AIPAOTHER', Arn: 'arn:aws:iam::123456789012:instance-profile/other', Path: '/', CreateDate: new Date(), Roles: [{Arn: 'arn:aws:iam::123456789012:role/other', RoleName: 'other', RoleId: 'o', Path: '/', CreateDate: new Date()}]},
        {InstanceProfileName: 'ecs-node', InstanceProfileId: 'AIPANODE', Arn: PROFILE_ARN, Path: '/', CreateDate: new Date(), Roles: [{Arn: NODE_ROLE, RoleName: 'ecs-node', RoleId: 'r', Path: '/', CreateDate: new Date()}]},
      ],
    })
    const facts = await gatherExecFacts(clients, await options())
    expect(facts.role).toEqual({ok: true, value: {arn: NODE_ROLE, source: 'instance profile'}})
    expect(iamMock.commandCalls(GetInstanceProfileCommand)).toHaveLength(0)
    const simulatedFor = iamMock.commandCalls(SimulatePrincipalPolicyCommand).map((c) => c.args[0].input.PolicySourceArn)
    expect(simulatedFor).toContain(NODE_ROLE)
  })

  it('an instance profile without a role is no role', async () => {
    onEc2()
    iamMock.on(ListInstanceProfilesCommand).resolves({InstanceProfiles: [{InstanceProfileName: 'ecs-node', InstanceProfileId: 'AIPANODE', Arn: PROFILE_ARN, Path: '/', CreateDate: new Date(), Roles: []}]})
    const facts = await gatherExecFacts(clients, await options())
    expect(facts.role).toEqual({ok: true, value: null})
    expect(checkReport(facts, {cluster: 'prod', task: TASK_ID}, 'linux').results.find((r) => r.id === 'role.found')).toMatchObject({status: 'fail'})
  })

  it('falls back to iam:GetInstanceProfile when iam:ListInstanceProfiles is denied', async () => {
    onEc2()
    iamMock.on(ListInstanceProfilesCommand).rejects(Object.assign(new Error('not authorized to perform: iam:ListInstanceProfiles'), {name: 'AccessDenied', $metadata: {}}))
    iamMock.on(GetInstanceProfileCommand).resolves({InstanceProfile: {InstanceProfileName: 'ecs-node', InstanceProfileId: 'AIPANODE', Arn: PROFILE_ARN, Path: '/', CreateDate: new Date(), Roles: [{Arn: NODE_ROLE, RoleName: 'ecs-node', RoleId: 'r', Path: '/', CreateDate: new Date()}]}})
    const facts = await gatherExecFacts(clients, await options())
    expect(facts.role).toEqual({ok: true, value: {arn: NODE_ROLE, source: 'instance profile'}})
    expect(iamMock.commandCalls(GetInstanceProfileCommand)[0].args[0].input).toEqual({InstanceProfileName: 'ecs-node'})
  })

  it('falls back to the instance profile role and reads the network from the container instance', async () => {
    ecsMock.on(DescribeClustersCommand).resolves(cluster())
    ecsMock.on(DescribeTasksCommand).resolves({tasks: [task({launchType: 'EC2', platformVersion: undefined, attachments: [], containerInstanceArn: 'arn:aws:ecs:eu-west-1:123456789012:container-instance/prod/ci1'})]})
    ecsMock.on(DescribeTaskDefinitionCommand).resolves({taskDefinition: taskDefinition({taskRoleArn: undefined, networkMode: 'bridge'})})
    ecsMock.on(DescribeContainerInstancesCommand).resolves({
      containerInstances: [{ec2InstanceId: 'i-1', versionInfo: {agentVersion: '1.88.0'}, attributes: [{name: 'ecs.vpc-id', value: 'vpc-1'}, {name: 'ecs.subnet-id', value: 'subnet-a'}]}],
    })
    ec2Mock.on(DescribeInstancesCommand).resolves({Reservations: [{Instances: [{InstanceId: 'i-1', IamInstanceProfile: {Arn: 'arn:aws:iam::123456789012:instance-profile/ecs-node'}, SecurityGroups: [{GroupId: 'sg-node'}]}]}]})
    iamMock.on(GetInstanceProfileCommand).resolves({InstanceProfile: {InstanceProfileName: 'ecs-node', InstanceProfileId: 'x', Arn: 'a', Path: '/', CreateDate: new Date(), Roles: [{Arn: 'arn:aws:iam::123456789012:role/ecs-node', RoleName: 'ecs-node', RoleId: 'r', Path: '/', CreateDate: new Date()}]}})

    const facts = await gatherExecFacts(clients, await options())
    expect(facts.role).toEqual({ok: true, value: {arn: 'arn:aws:iam::123456789012:role/ecs-node', source: 'instance profile'}})
    expect(iamMock.commandCalls(GetInstanceProfileCommand)[0].args[0].input).toEqual({InstanceProfileName: 'ecs-node'})
    expect(facts.containerInstance).toEqual({ok: true, value: {agentVersion: '1.88.0', ec2InstanceId: 'i-1'}})
    expect(facts.network?.ok && facts.network.value.task).toMatchObject({mode: 'bridge/host', vpcId: 'vpc-1', subnetIds: ['subnet-a'], securityGroupIds: ['sg-node']})
    const report = checkReport(facts, {cluster: 'prod', task: TASK_ID}, 'linux')
    expect(report.results.find((r) => r.id === 'task.agent-version')).toMatchObject({status: 'ok', detail: '1.88.0'})
  })
})

itSendsOnlyDeclaredActions(execCheckIam, {ecs: ecsMock, ec2: ec2Mock, iam: iamMock, sts: stsMock, kms: kmsMock, route53: route53Mock})
