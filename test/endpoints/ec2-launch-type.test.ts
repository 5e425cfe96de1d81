/**
 * Issue 10, item 3: on the EC2 launch type, image pulls, secrets and awslogs go out through the
 * container instance's network; only what runs in the task (ECS Exec) uses the task ENI, which
 * never has a public IP.
 */
import {
  DescribeInstancesCommand,
  DescribeNatGatewaysCommand,
  DescribeRouteTablesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVpcAttributeCommand,
  DescribeVpcEndpointServicesCommand,
  DescribeVpcEndpointsCommand,
  EC2Client,
  type DescribeInstancesCommandOutput,
  type RouteTable,
  type SecurityGroup,
  type Subnet,
} from '@aws-sdk/client-ec2'
import {DescribeClustersCommand, DescribeContainerInstancesCommand, DescribeServicesCommand, DescribeTaskDefinitionCommand, ECSClient, ListContainerInstancesCommand, type Service, type TaskDefinition} from '@aws-sdk/client-ecs'
import {Route53Client, ListHostedZonesByVPCCommand} from '@aws-sdk/client-route-53'
import {mockClient} from 'aws-sdk-client-mock'
import {beforeEach, describe, expect, it} from 'vitest'

import {checkEndpoints, type CheckClients} from '../../src/endpoints/check.js'
import {checkEndpointsIam} from '../../src/endpoints/iam.js'
import {splitNeeds} from '../../src/endpoints/instances.js'
import {itSendsOnlyDeclaredActions} from '../helpers/iam-coverage.js'

const ecsMock = mockClient(ECSClient)
const ec2Mock = mockClient(EC2Client)
const r53Mock = mockClient(Route53Client)
const REGION = 'eu-west-1'
const ACCOUNT = '111122223333'
const VPC = 'vpc-ec2'
const clients: CheckClients = {ecs: async () => new ECSClient({region: REGION}), ec2: async () => new EC2Client({region: REGION}), route53: async () => new Route53Client({region: REGION})}

const subnets: Subnet[] = [
  {SubnetId: 'subnet-task', VpcId: VPC, AvailabilityZone: 'eu-west-1a', CidrBlock: '10.0.1.0/24', OwnerId: ACCOUNT},
  {SubnetId: 'subnet-hosts', VpcId: VPC, AvailabilityZone: 'eu-west-1a', CidrBlock: '10.0.2.0/24', OwnerId: ACCOUNT},
]
// Both subnets route to an internet gateway: the instances have public IPs, the task ENI cannot.
const igw: RouteTable = {RouteTableId: 'rtb-igw', VpcId: VPC, Associations: [{SubnetId: 'subnet-task'}, {SubnetId: 'subnet-hosts'}], Routes: [{DestinationCidrBlock: '0.0.0.0/0', GatewayId: 'igw-1'}]}
const groups: SecurityGroup[] = [
  {GroupId: 'sg-task', VpcId: VPC, OwnerId: ACCOUNT, IpPermissions: []},
  {GroupId: 'sg-hosts', VpcId: VPC, OwnerId: ACCOUNT, IpPermissions: []},
]
const service: Service = {
  serviceName: 'worker',
  serviceArn: `arn:aws:ecs:${REGION}:${ACCOUNT}:service/prod/worker`,
  status: 'ACTIVE',
  launchType: 'EC2',
  enableExecuteCommand: true,
  taskDefinition: `arn:aws:ecs:${REGION}:${ACCOUNT}:task-definition/worker:1`,
  networkConfiguration: {awsvpcConfiguration: {subnets: ['subnet-task'], securityGroups: ['sg-task']}},
}
const taskDefinition: TaskDefinition = {
  taskDefinitionArn: service.taskDefinition,
  family: 'worker',
  networkMode: 'awsvpc',
  requiresCompatibilities: ['EC2'],
  containerDefinitions: [{name: 'app', image: `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/worker:1`, logConfiguration: {logDriver: 'awslogs', options: {'awslogs-group': '/ecs/worker'}}}],
}
const instances: DescribeInstancesCommandOutput = {
  $metadata: {},
  Reservations: [{Instances: [{InstanceId: 'i-0host', VpcId: VPC, SubnetId: 'subnet-hosts', PublicIpAddress: '203.0.113.7', SecurityGroups: [{GroupId: 'sg-hosts', GroupName: 'hosts'}]}]}],
}

beforeEach(() => {
  ecsMock.reset()
  ec2Mock.reset()
  r53Mock.reset()
  ecsMock.on(DescribeClustersCommand).resolves({clusters: [{clusterName: 'prod', status: 'ACTIVE'}]})
  ecsMock.on(DescribeServicesCommand).resolves({services: [service]})
  ecsMock.on(DescribeTaskDefinitionCommand).resolves({taskDefinition})
  ecsMock.on(ListContainerInstancesCommand).resolves({containerInstanceArns: [`arn:aws:ecs:${REGION}:${ACCOUNT}:container-instance/prod/ci-1`]})
  ecsMock.on(DescribeContainerInstancesCommand).resolves({containerInstances: [{containerInstanceArn: 'ci-1', ec2InstanceId: 'i-0host'}]})
  ec2Mock.on(DescribeInstancesCommand).resolves(instances)
  ec2Mock.on(DescribeSubnetsCommand).callsFake(async (input) => ({Subnets: input.SubnetIds ? subnets.filter((s) => input.SubnetIds.includes(s.SubnetId)) : subnets}))
  ec2Mock.on(DescribeRouteTablesCommand).resolves({RouteTables: [igw]})
  ec2Mock.on(DescribeVpcEndpointsCommand).resolves({VpcEndpoints: []})
  ec2Mock.on(DescribeSecurityGroupsCommand).resolves({SecurityGroups: groups})
  ec2Mock.on(DescribeVpcAttributeCommand).resolves({EnableDnsSupport: {Value: true}, EnableDnsHostnames: {Value: true}})
  ec2Mock.on(DescribeVpcEndpointServicesCommand).resolves({ServiceDetails: []})
  ec2Mock.on(DescribeNatGatewaysCommand).resolves({NatGateways: []})
  r53Mock.on(ListHostedZonesByVPCCommand).resolves({HostedZoneSummaries: []})
})

describe('check-endpoints on the EC2 launch type', () => {
  it('audits image pulls, awslogs and the agent on the container instances\' network, exec on the task ENI without its internet gateway', async () => {
    const {document, sections} = await checkEndpoints(clients, {region: REGION, cluster: 'prod', services: ['worker']})
    const titles = sections.map((s) => s.title)
    expect(titles).toEqual(['service worker — on its container instances (1) — vpc-ec2', 'service worker — vpc-ec2'])
    const findings = document.vpcs[0]!.findings
    const byService = (name: string) => findings.find((f) => f.service === name)!
    // The instances have a public IP and an internet gateway route: ECR, logs and the agent endpoints are only warnings there.
    for (const name of ['ecr.api', 'ecr.dkr', 'logs', 'ecs', 'ecs-agent', 'ecs-telemetry']) expect(byService(name)).toMatchObject({status: 'missing', severity: 'warning'})
    expect(byService('ecr.api').requiredBy).toEqual([expect.stringMatching(/^worker \(container instances\): container app: image/)])
    // ECS Exec runs in the task: its ENI has no public IP on EC2, so the internet gateway is no way out.
    expect(byService('ssmmessages')).toMatchObject({status: 'missing', severity: 'error'})
    expect(byService('ssmmessages').requiredBy).toEqual(['worker: service: enableExecuteCommand'])
  })

  it('container instances that cannot be read: a note naming the permissions, the instance needs not audited on the task subnets', async () => {
    ecsMock.on(ListContainerInstancesCommand).rejects(Object.assign(new Error('not authorized'), {name: 'AccessDeniedException'}))
    const {document, notes} = await checkEndpoints(clients, {region: REGION, cluster: 'prod', services: ['worker']})
    expect(notes.some((n) => n.includes('container instances of prod could not be read') && n.includes('ec2:DescribeInstances'))).toBe(true)
    expect(document.vpcs[0]!.findings.map((f) => f.service)).toEqual(['ssmmessages'])
  })

  it('splitNeeds: bridge mode puts everything on the instance; awsvpc keeps exec and FireLens outputs on the task', () => {
    const needs = [
      {service: 'ecr.dkr', reason: 'container app: image x'},
      {service: 'ssmmessages', reason: 'service: enableExecuteCommand'},
      {service: 'logs', reason: 'container app: FireLens output cloudwatch_logs'},
      {service: 'logs', reason: 'container app: logConfiguration awslogs'},
    ]
    expect(splitNeeds(needs, false)).toEqual({instance: needs, task: []})
    expect(splitNeeds(needs, true)).toEqual({instance: [needs[0], needs[3]], task: [needs[1], needs[2]]})
  })
})

itSendsOnlyDeclaredActions(checkEndpointsIam, {ecs: ecsMock, ec2: ec2Mock})
