import {
  DescribeRouteTablesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVpcAttributeCommand,
  DescribeVpcEndpointServicesCommand,
  DescribeVpcEndpointsCommand,
  EC2Client,
} from '@aws-sdk/client-ec2'
import type {Task, TaskDefinition} from '@aws-sdk/client-ecs'
import {ListHostedZonesByVPCCommand, Route53Client} from '@aws-sdk/client-route-53'
import {mockClient} from 'aws-sdk-client-mock'
import {beforeEach, describe, expect, it} from 'vitest'

import {migrateIam} from '../../src/migrate/iam.js'
import {explainWithEndpointAudit} from '../../src/migrate/network.js'
import {itSendsOnlyDeclaredActions} from '../helpers/iam-coverage.js'

const ec2Mock = mockClient(EC2Client)
const route53Mock = mockClient(Route53Client)

const taskDefinition: TaskDefinition = {
  taskDefinitionArn: 'arn:aws:ecs:eu-west-1:123456789012:task-definition/web:42',
  family: 'web',
  networkMode: 'awsvpc',
  containerDefinitions: [{name: 'php', image: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/web:1.2.3', logConfiguration: {logDriver: 'awslogs', options: {'awslogs-group': '/ecs/web', 'awslogs-stream-prefix': 'ecs'}}}],
}
const REASON = 'ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve ecr registry auth: service call has been retried 3 time(s): RequestError: send request failed caused by: Post "https://api.ecr.eu-west-1.amazonaws.com/": dial tcp 10.0.0.1:443: i/o timeout'
const task: Task = {taskArn: 'arn:aws:ecs:eu-west-1:123456789012:task/app/abc', lastStatus: 'STOPPED', stopCode: 'TaskFailedToStart', stoppedReason: REASON, containers: [{name: 'php'}]}

/** A private subnet with no NAT gateway and no endpoint at all. */
function isolatedVpc() {
  ec2Mock.on(DescribeSubnetsCommand).resolves({Subnets: [{SubnetId: 'subnet-a', VpcId: 'vpc-1', AvailabilityZone: 'eu-west-1a', OwnerId: '123456789012'}]})
  ec2Mock.on(DescribeRouteTablesCommand).resolves({RouteTables: [{RouteTableId: 'rtb-1', VpcId: 'vpc-1', Associations: [{Main: true}], Routes: [{DestinationCidrBlock: '10.0.0.0/16', GatewayId: 'local'}]}]})
  ec2Mock.on(DescribeVpcEndpointsCommand).resolves({VpcEndpoints: []})
  ec2Mock.on(DescribeSecurityGroupsCommand).resolves({SecurityGroups: [{GroupId: 'sg-1', VpcId: 'vpc-1', OwnerId: '123456789012', IpPermissionsEgress: [{IpProtocol: '-1', IpRanges: [{CidrIp: '0.0.0.0/0'}]}]}]})
  ec2Mock.on(DescribeVpcAttributeCommand).resolves({EnableDnsSupport: {Value: true}, EnableDnsHostnames: {Value: true}})
  ec2Mock.on(DescribeVpcEndpointServicesCommand).resolves({ServiceDetails: []})
  route53Mock.on(ListHostedZonesByVPCCommand).resolves({HostedZoneSummaries: []})
}

const explain = explainWithEndpointAudit(async () => ({ec2: new EC2Client({region: 'eu-west-1'}), route53: new Route53Client({region: 'eu-west-1'})}), 'eu-west-1')

describe('explainWithEndpointAudit', () => {
  beforeEach(() => {
    ec2Mock.reset()
    route53Mock.reset()
  })

  it('names the missing endpoint that explains an ECR auth timeout', async () => {
    isolatedVpc()
    const lines = await explain({task, stoppedReason: REASON, network: {subnets: ['subnet-a'], securityGroups: ['sg-1']}, taskDefinition, launchType: 'FARGATE', platformVersion: '1.4.0'})
    expect(lines[0]).toBe('The VPC endpoint audit of vpc-1 (subnets subnet-a) points at:')
    expect(lines.some((l) => /ecr\.api \(com\.amazonaws\.eu-west-1\.ecr\.api\): missing/.test(l))).toBe(true)
    expect(ec2Mock.commandCalls(DescribeSubnetsCommand)[0].args[0].input).toMatchObject({SubnetIds: ['subnet-a']})
  })

  it('does nothing without awsvpc subnets', async () => {
    expect(await explain({task, stoppedReason: REASON, taskDefinition})).toEqual([])
    expect(ec2Mock.calls()).toHaveLength(0)
  })

  it('lets an EC2 error through for the caller to report', async () => {
    ec2Mock.on(DescribeSubnetsCommand).rejects(Object.assign(new Error('You are not authorized to perform this operation.'), {name: 'UnauthorizedOperation'}))
    await expect(explain({task, stoppedReason: REASON, network: {subnets: ['subnet-a']}, taskDefinition})).rejects.toThrow(/not authorized/)
  })
})

itSendsOnlyDeclaredActions(migrateIam, {ec2: ec2Mock, route53: route53Mock})
