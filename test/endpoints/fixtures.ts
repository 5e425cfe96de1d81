import type {RouteTable, SecurityGroup, Subnet, VpcEndpoint} from '@aws-sdk/client-ec2'

import type {VpcSnapshot, Workload} from '../../src/endpoints/snapshot.js'

export const REGION = 'eu-west-1'
export const ACCOUNT = '111122223333'
export const VPC = 'vpc-0app'

export const subnetA: Subnet = {SubnetId: 'subnet-a', VpcId: VPC, AvailabilityZone: 'eu-west-1a', CidrBlock: '10.0.1.0/24', OwnerId: ACCOUNT}
export const subnetB: Subnet = {SubnetId: 'subnet-b', VpcId: VPC, AvailabilityZone: 'eu-west-1b', CidrBlock: '10.0.2.0/24', OwnerId: ACCOUNT}
export const subnetC: Subnet = {SubnetId: 'subnet-c', VpcId: VPC, AvailabilityZone: 'eu-west-1c', CidrBlock: '10.0.3.0/24', OwnerId: ACCOUNT}

export const taskSg: SecurityGroup = {GroupId: 'sg-task', VpcId: VPC, OwnerId: ACCOUNT, IpPermissions: []}
export const endpointSg: SecurityGroup = {
  GroupId: 'sg-endpoints',
  VpcId: VPC,
  OwnerId: ACCOUNT,
  IpPermissions: [{IpProtocol: 'tcp', FromPort: 443, ToPort: 443, UserIdGroupPairs: [{GroupId: 'sg-task'}]}],
}

export const privateTable: RouteTable = {
  RouteTableId: 'rtb-private',
  VpcId: VPC,
  Associations: [{SubnetId: 'subnet-a'}, {SubnetId: 'subnet-b'}, {SubnetId: 'subnet-c'}],
  Routes: [{DestinationCidrBlock: '10.0.0.0/16', GatewayId: 'local'}],
}
export const mainTable: RouteTable = {RouteTableId: 'rtb-main', VpcId: VPC, Associations: [{Main: true}], Routes: [{DestinationCidrBlock: '10.0.0.0/16', GatewayId: 'local'}]}

export function interfaceEndpoint(service: string, overrides: Partial<VpcEndpoint> = {}): VpcEndpoint {
  return {
    VpcEndpointId: `vpce-${service.replace(/\W/g, '')}`,
    VpcEndpointType: 'Interface',
    VpcId: VPC,
    ServiceName: `com.amazonaws.${REGION}.${service}`,
    State: 'available' as VpcEndpoint['State'],
    PrivateDnsEnabled: true,
    SubnetIds: ['subnet-a', 'subnet-b', 'subnet-c'],
    Groups: [{GroupId: 'sg-endpoints', GroupName: 'endpoints'}],
    PolicyDocument: '{"Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}',
    ...overrides,
  }
}

export function s3Gateway(overrides: Partial<VpcEndpoint> = {}): VpcEndpoint {
  return {
    VpcEndpointId: 'vpce-s3gw',
    VpcEndpointType: 'Gateway',
    VpcId: VPC,
    ServiceName: `com.amazonaws.${REGION}.s3`,
    State: 'available' as VpcEndpoint['State'],
    RouteTableIds: ['rtb-private'],
    PolicyDocument: '{"Version":"2008-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}',
    ...overrides,
  }
}

/** A private VPC (no NAT) with every endpoint an ECR + awslogs + Secrets Manager service needs, all healthy. */
export function healthyVpc(overrides: Partial<VpcSnapshot> = {}): VpcSnapshot {
  return {
    vpcId: VPC,
    region: REGION,
    accountId: ACCOUNT,
    dnsSupport: true,
    dnsHostnames: true,
    subnets: [subnetA, subnetB, subnetC],
    routeTables: [privateTable, mainTable],
    endpoints: [interfaceEndpoint('ecr.api'), interfaceEndpoint('ecr.dkr'), interfaceEndpoint('logs'), interfaceEndpoint('secretsmanager'), s3Gateway()],
    securityGroups: [taskSg, endpointSg],
    hostedZones: [],
    privateDnsNames: {},
    ...overrides,
  }
}

export function workload(needs: string[], overrides: Partial<Workload> = {}): Workload {
  return {
    subnetIds: ['subnet-a', 'subnet-b'],
    securityGroupIds: ['sg-task'],
    needs: needs.map((service) => ({service, reason: `container app: ${service}`})),
    ...overrides,
  }
}

export const natTable = (subnets: string[]): RouteTable => ({
  RouteTableId: 'rtb-nat',
  VpcId: VPC,
  Associations: subnets.map((SubnetId) => ({SubnetId})),
  Routes: [
    {DestinationCidrBlock: '10.0.0.0/16', GatewayId: 'local'},
    {DestinationCidrBlock: '0.0.0.0/0', NatGatewayId: 'nat-1'},
  ],
})
