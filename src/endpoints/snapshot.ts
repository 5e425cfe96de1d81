import type {NatGateway, RouteTable, SecurityGroup, Subnet, VpcEndpoint} from '@aws-sdk/client-ec2'

import type {EndpointNeed} from './types.js'

/** A Route 53 private hosted zone associated with the VPC. */
export interface HostedZone {
  id: string
  /** Without the trailing dot: `dkr.ecr.eu-west-1.amazonaws.com`. */
  name: string
}

/**
 * Plain facts about one VPC, as gathered from EC2 and Route 53 (gather.ts builds it; the pure
 * audit reads it). The EC2 records keep the SDK's shapes so fixtures are type-checked.
 */
export interface VpcSnapshot {
  vpcId: string
  region: string
  /** The account running the audit (owner of the services / task security groups), when known. */
  accountId?: string
  /** enableDnsSupport / enableDnsHostnames; undefined when they could not be read. */
  dnsSupport?: boolean
  dnsHostnames?: boolean
  /** Why enableDnsSupport / enableDnsHostnames could not be read (e.g. UnauthorizedOperation). */
  dnsError?: string
  /** Every subnet of the VPC the caller can see (task subnets and endpoint subnets). */
  subnets: Subnet[]
  routeTables: RouteTable[]
  /** The VPC's NAT gateways (a private one is no route to the internet); undefined when they could not be read. */
  natGateways?: NatGateway[]
  endpoints: VpcEndpoint[]
  securityGroups: SecurityGroup[]
  /** Private hosted zones associated with the VPC; null when they were not (or could not be) read. */
  hostedZones: HostedZone[] | null
  /** Why the hosted zones could not be read (e.g. AccessDenied). */
  hostedZonesError?: string
  /** Service key → PrivateDnsName from DescribeVpcEndpointServices (defaults from the catalog otherwise). */
  privateDnsNames: Record<string, string>
  /** Service key → ServiceName from DescribeVpcEndpointServices (`cn.com.amazonaws.…` for some services in China); absent or partial when it could not be read. */
  serviceNames?: Record<string, string>
}

/** What runs in the VPC: a service (or a --needs list) with its subnets, security groups and needs. */
export interface Workload {
  /** Service name; omitted for a single anonymous workload (requiredBy then holds the bare reasons). */
  name?: string
  subnetIds: string[]
  securityGroupIds: string[]
  /** The service's assignPublicIp (true for ENABLED); undefined when unknown (an internet gateway route then counts as egress). */
  assignPublicIp?: boolean
  needs: EndpointNeed[]
}
