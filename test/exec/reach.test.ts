import {
  DescribeNatGatewaysCommand,
  DescribeNetworkInterfacesCommand,
  DescribeRouteTablesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVpcAttributeCommand,
  DescribeVpcEndpointServicesCommand,
  DescribeVpcEndpointsCommand,
  EC2Client,
} from '@aws-sdk/client-ec2'
import {ListHostedZonesByVPCCommand, Route53Client} from '@aws-sdk/client-route-53'
import {mockClient} from 'aws-sdk-client-mock'
import {beforeEach, describe, expect, it} from 'vitest'

import {execIam, execPortForwardIam} from '../../src/exec/iam.js'
import {loadNetworkAuditor} from '../../src/exec/network.js'
import {ssmmessagesRoute, type RouteDeps} from '../../src/exec/reach.js'
import {itSendsOnlyDeclaredActions} from '../helpers/iam-coverage.js'
import {task} from './fixtures.js'

const ec2Mock = mockClient(EC2Client)
const route53Mock = mockClient(Route53Client)

const deps = (extra: Partial<RouteDeps> = {}): RouteDeps => ({
  ec2: async () => new EC2Client({region: 'eu-west-1'}),
  route53: async () => new Route53Client({region: 'eu-west-1'}),
  auditNetwork: loadNetworkAuditor,
  region: 'eu-west-1',
  budgetMs: 60_000,
  ...extra,
})

/** A private subnet: the route table has only the local route (no NAT, no internet gateway). */
function privateSubnet(route: Array<{DestinationCidrBlock: string; NatGatewayId?: string; GatewayId?: string; State: 'active'}> = []) {
  ec2Mock.on(DescribeNetworkInterfacesCommand).resolves({NetworkInterfaces: [{NetworkInterfaceId: 'eni-0a', VpcId: 'vpc-1', SubnetId: 'subnet-a', AvailabilityZone: 'eu-west-1a', Groups: [{GroupId: 'sg-task'}]}]})
  ec2Mock.on(DescribeSubnetsCommand).resolves({Subnets: [{SubnetId: 'subnet-a', VpcId: 'vpc-1', AvailabilityZone: 'eu-west-1a', OwnerId: '123456789012', CidrBlock: '10.0.1.0/24'}]})
  ec2Mock.on(DescribeRouteTablesCommand).resolves({RouteTables: [{RouteTableId: 'rtb-1', VpcId: 'vpc-1', Associations: [{Main: true, RouteTableId: 'rtb-1'}], Routes: [{DestinationCidrBlock: '10.0.0.0/16', GatewayId: 'local', State: 'active'}, ...route]}]})
  ec2Mock.on(DescribeNatGatewaysCommand).resolves({NatGateways: [{NatGatewayId: 'nat-1', ConnectivityType: 'public', State: 'available', VpcId: 'vpc-1'}]})
  ec2Mock.on(DescribeVpcEndpointsCommand).resolves({VpcEndpoints: []})
  ec2Mock.on(DescribeSecurityGroupsCommand).resolves({SecurityGroups: [{GroupId: 'sg-task', VpcId: 'vpc-1', OwnerId: '123456789012'}]})
  ec2Mock.on(DescribeVpcAttributeCommand).resolves({EnableDnsSupport: {Value: true}, EnableDnsHostnames: {Value: true}})
  ec2Mock.on(DescribeVpcEndpointServicesCommand).resolves({ServiceDetails: []})
  route53Mock.on(ListHostedZonesByVPCCommand).resolves({HostedZoneSummaries: []})
}

beforeEach(() => {
  ec2Mock.reset()
  route53Mock.reset()
})

describe('the pre-flight\'s route to ssmmessages', () => {
  it('a private subnet without NAT and without an ssmmessages endpoint fails, with the endpoint to create', async () => {
    privateSubnet()
    const verdict = await ssmmessagesRoute(deps(), task())
    expect(verdict).toMatchObject({
      check: {
        id: 'network.ssmmessages',
        title: 'Route to ssmmessages',
        status: 'fail',
        detail: 'no route: the subnet has no NAT or internet gateway route and vpc-1 has no com.amazonaws.eu-west-1.ssmmessages endpoint',
        fix: expect.stringContaining('Create an interface endpoint com.amazonaws.eu-west-1.ssmmessages in vpc-1'),
      },
    })
    // The ENI is found by type: the fixture's first attachment is Service Connect's.
    expect(ec2Mock.commandCalls(DescribeNetworkInterfacesCommand)[0].args[0].input).toEqual({NetworkInterfaceIds: ['eni-0a']})
    // Only ssmmessages is audited: no other endpoint service is asked about.
    const asked = ec2Mock.commandCalls(DescribeVpcEndpointServicesCommand).flatMap((c) => c.args[0].input.ServiceNames ?? [])
    expect(asked.filter((name) => !name.endsWith('.ssmmessages'))).toEqual([])
  })

  it('a subnet routed through a NAT gateway is ok', async () => {
    privateSubnet([{DestinationCidrBlock: '0.0.0.0/0', NatGatewayId: 'nat-1', State: 'active'}])
    const verdict = await ssmmessagesRoute(deps(), task())
    expect(verdict).toMatchObject({check: {status: 'ok', detail: 'through a NAT gateway (subnet-a)'}})
  })

  it('a denied read is a warning naming the permission source, never a stop', async () => {
    privateSubnet()
    ec2Mock.on(DescribeNetworkInterfacesCommand).rejects(Object.assign(new Error('You are not authorized to perform this operation.'), {name: 'UnauthorizedOperation', $metadata: {}}))
    expect(await ssmmessagesRoute(deps(), task())).toEqual({
      level: 'warn',
      note: 'The route to ssmmessages was not checked (`ecsops iam-policy exec` lists the ec2:Describe* reads it needs): UnauthorizedOperation: You are not authorized to perform this operation. Going on.',
    })
    ec2Mock.on(DescribeNetworkInterfacesCommand).resolves({NetworkInterfaces: [{NetworkInterfaceId: 'eni-0a', VpcId: 'vpc-1', SubnetId: 'subnet-a', Groups: [{GroupId: 'sg-task'}]}]})
    ec2Mock.on(DescribeRouteTablesCommand).rejects(Object.assign(new Error('not authorized'), {name: 'UnauthorizedOperation', $metadata: {}}))
    const verdict = await ssmmessagesRoute(deps(), task())
    expect(verdict && 'check' in verdict ? verdict.check.status : verdict).not.toBe('fail')
  })

  it('a task without an awsvpc interface (bridge/host on EC2) is not read here', async () => {
    expect(await ssmmessagesRoute(deps(), task({attachments: []}))).toBeUndefined()
    expect(ec2Mock.calls()).toHaveLength(0)
  })

  it('an audit that does not answer within the budget is left behind with a note', async () => {
    privateSubnet()
    const verdict = await ssmmessagesRoute(deps({budgetMs: 5, auditNetwork: async () => () => new Promise(() => {})}), task())
    expect(verdict).toEqual({level: 'info', note: 'The route to ssmmessages was not verified within 0.005 s; going on without it.'})
  })
})

itSendsOnlyDeclaredActions(execIam, {ec2: ec2Mock, route53: route53Mock})
itSendsOnlyDeclaredActions(execPortForwardIam, {ec2: ec2Mock, route53: route53Mock})
