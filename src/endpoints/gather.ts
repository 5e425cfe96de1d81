/**
 * Gathering: EC2 and Route 53 calls → plain VPC snapshots for the pure audit. Each VPC's
 * subnets, route tables, endpoints and security groups are read once (all VPCs in one call
 * per resource type, filtered by vpc-id), and independent calls run concurrently.
 */
import {
  DescribeNatGatewaysCommand,
  DescribeRouteTablesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVpcAttributeCommand,
  DescribeVpcEndpointServicesCommand,
  DescribeVpcEndpointsCommand,
  type EC2Client,
  type Filter,
  type NatGateway,
  type RouteTable,
  type SecurityGroup,
  type Subnet,
  type VpcEndpoint,
} from '@aws-sdk/client-ec2'
import type {Route53Client} from '@aws-sdk/client-route-53'

import {candidateServiceNames, serviceKeyOf} from './catalog.js'
import type {HostedZone, VpcSnapshot} from './snapshot.js'
import type {NetworkTarget} from './types.js'
import {chunk} from '../aws/chunk.js'

export interface NetworkClients {
  ec2: EC2Client
  route53?: Route53Client
}

export interface GatherInput {
  region: string
  targets: NetworkTarget[]
  /** Endpoint service keys whose private DNS names to look up (`ecr.dkr`, `logs` …). */
  services: string[]
  /** The account running the audit, when known (else: the owner of the task security groups). */
  accountId?: string
  /**
   * Every subnet of the account and Region, already being listed (--all-services starts this at
   * once, saving one round trip); otherwise the task subnets are described by id.
   */
  allSubnets?: Promise<Subnet[]>
  /** Progress callback ("reading 3 VPCs"). */
  onProgress?: (text: string) => void
}

export interface GatheredNetworks {
  snapshots: Map<string, VpcSnapshot>
  /** Each target with its VPC and subnets resolved (a target with only a VPC gets all its subnets). */
  targets: Array<NetworkTarget & {vpcId: string}>
}


/** Follows NextToken until the last page. */
async function allPages<T>(fetch: (token: string | undefined) => Promise<{items: T[]; next?: string}>): Promise<T[]> {
  const items: T[] = []
  let token: string | undefined
  do {
    const page = await fetch(token)
    items.push(...page.items)
    token = page.next
  } while (token)
  return items
}

function errorText(error: unknown): string {
  const e = error as {name?: string; Code?: string; message?: string}
  return `${e.name ?? e.Code ?? 'Error'}${e.message ? `: ${e.message}` : ''}`
}

/** Every subnet the caller sees in the Region (own and shared), all pages. */
export function listAllSubnets(ec2: EC2Client): Promise<Subnet[]> {
  return allPages<Subnet>(async (token) => {
    const out = await ec2.send(new DescribeSubnetsCommand({NextToken: token, MaxResults: 1000}))
    return {items: out.Subnets ?? [], next: out.NextToken}
  })
}

/**
 * The subnets of these ids that exist. DescribeSubnets with SubnetIds fails whole with
 * InvalidSubnetID.NotFound when a single id does not exist ("Error codes for the Amazon EC2
 * API"), so one service with a deleted subnet would abort the audit of all: then the `subnet-id`
 * filter (DescribeSubnets, Filters), which leaves unknown ids out, reads the others.
 */
export async function describeSubnetsById(ec2: EC2Client, subnetIds: string[]): Promise<Subnet[]> {
  const byFilter = (ids: string[]) =>
    allPages<Subnet>(async (token) => {
      const out = await ec2.send(new DescribeSubnetsCommand({Filters: [{Name: 'subnet-id', Values: ids}], NextToken: token}))
      return {items: out.Subnets ?? [], next: out.NextToken}
    })
  const pages = await Promise.all(
    chunk(subnetIds, 200).map(async (ids) => {
      try {
        return (await ec2.send(new DescribeSubnetsCommand({SubnetIds: ids}))).Subnets ?? []
      } catch (error) {
        if ((error as {name?: string}).name !== 'InvalidSubnetID.NotFound') throw error
        return byFilter(ids)
      }
    }),
  )
  return pages.flat()
}

/** What DescribeVpcEndpointServices says of the needed services: their exact names and private DNS names. */
export interface EndpointServiceFacts {
  /** Service key → ServiceName (`cn.com.amazonaws.cn-north-1.ecr.dkr` in China for some services). */
  serviceNames: Record<string, string>
  /** Service key → PrivateDnsName. */
  privateDnsNames: Record<string, string>
}

/**
 * The services' names and private DNS names, from DescribeVpcEndpointServices with a service-name
 * filter holding every name the service may have in the partition (a filter, unlike ServiceNames,
 * does not fail on a name the Region does not have). Empty when the call fails: the catalog's
 * defaults apply then.
 */
async function endpointServiceFacts(ec2: EC2Client, region: string, services: string[]): Promise<EndpointServiceFacts> {
  const facts: EndpointServiceFacts = {serviceNames: {}, privateDnsNames: {}}
  if (services.length === 0) return facts
  try {
    const values = services.flatMap((s) => candidateServiceNames(region, s))
    const details = await allPages(async (token) => {
      const out = await ec2.send(new DescribeVpcEndpointServicesCommand({Filters: [{Name: 'service-name', Values: values}], NextToken: token}))
      return {items: out.ServiceDetails ?? [], next: out.NextToken}
    })
    for (const detail of details) {
      if (!detail.ServiceName) continue
      const key = serviceKeyOf(detail.ServiceName, region)
      // S3 has a gateway and an interface service under one name; the gateway has no private DNS name, the interface's is not what ECR uses.
      facts.serviceNames[key] ??= detail.ServiceName
      if (detail.PrivateDnsName) facts.privateDnsNames[key] ??= detail.PrivateDnsName
    }
  } catch {
    // The catalog's defaults apply.
  }
  return facts
}

async function vpcAttribute(ec2: EC2Client, vpcId: string, attribute: 'enableDnsSupport' | 'enableDnsHostnames'): Promise<{value?: boolean; error?: string}> {
  try {
    const out = await ec2.send(new DescribeVpcAttributeCommand({VpcId: vpcId, Attribute: attribute}))
    return {value: (attribute === 'enableDnsSupport' ? out.EnableDnsSupport : out.EnableDnsHostnames)?.Value}
  } catch (error) {
    // The audit says the DNS check could not be done (VPC_DNS_UNVERIFIED) instead of skipping it.
    return {error: errorText(error)}
  }
}

async function hostedZones(route53: Route53Client | undefined, vpcId: string, region: string): Promise<{zones: HostedZone[] | null; error?: string}> {
  if (!route53) return {zones: null, error: 'Route 53 was not queried'}
  try {
    const {ListHostedZonesByVPCCommand} = await import('@aws-sdk/client-route-53')
    const zones = await allPages(async (token) => {
      const out = await route53.send(new ListHostedZonesByVPCCommand({VPCId: vpcId, VPCRegion: region as never, NextToken: token}))
      return {items: out.HostedZoneSummaries ?? [], next: out.NextToken}
    })
    return {zones: zones.map((z) => ({id: z.HostedZoneId ?? '', name: (z.Name ?? '').replace(/\.$/, '')}))}
  } catch (error) {
    return {zones: null, error: errorText(error)}
  }
}

/** Reads every VPC the targets run in, once each, concurrently. */
export async function gatherNetworks(clients: NetworkClients, input: GatherInput): Promise<GatheredNetworks> {
  const {ec2} = clients
  const {region} = input
  const subnetIds = [...new Set(input.targets.flatMap((t) => t.subnetIds))]
  const serviceFacts = endpointServiceFacts(ec2, region, input.services)
  const known = input.allSubnets ? await input.allSubnets : undefined
  const taskSubnetsRead: Promise<Subnet[]> = known ? Promise.resolve(known.filter((s) => subnetIds.includes(s.SubnetId ?? ''))) : subnetIds.length > 0 ? describeSubnetsById(ec2, subnetIds) : Promise.resolve([])
  // When every target names its VPC, the task subnets are read alongside the VPC (one round less).
  const vpcsKnown = input.targets.every((t) => t.vpcId)
  const earlySubnets = vpcsKnown ? [] : await taskSubnetsRead
  const vpcOfSubnet = new Map(earlySubnets.map((s) => [s.SubnetId ?? '', s.VpcId ?? '']))
  const targets = input.targets.map((t) => {
    const vpcId = t.vpcId ?? vpcOfSubnet.get(t.subnetIds[0] ?? '') ?? ''
    return {...t, vpcId}
  })
  const vpcIds = [...new Set(targets.map((t) => t.vpcId).filter(Boolean))]
  input.onProgress?.(`Reading ${vpcIds.length} VPC${vpcIds.length === 1 ? '' : 's'}: subnets, route tables, endpoints, security groups`)
  if (vpcIds.length === 0) {
    await taskSubnetsRead.catch(() => undefined)
    return {snapshots: new Map(), targets}
  }
  const byVpc: Filter[] = [{Name: 'vpc-id', Values: vpcIds}]

  const [taskSubnets, subnets, routeTables, endpoints, securityGroups, perVpc, facts, natGateways] = await Promise.all([
    taskSubnetsRead,
    known ??
      allPages<Subnet>(async (token) => {
        const out = await ec2.send(new DescribeSubnetsCommand({Filters: byVpc, NextToken: token}))
        return {items: out.Subnets ?? [], next: out.NextToken}
      }),
    allPages<RouteTable>(async (token) => {
      const out = await ec2.send(new DescribeRouteTablesCommand({Filters: byVpc, NextToken: token}))
      return {items: out.RouteTables ?? [], next: out.NextToken}
    }),
    allPages<VpcEndpoint>(async (token) => {
      const out = await ec2.send(new DescribeVpcEndpointsCommand({Filters: byVpc, NextToken: token}))
      return {items: out.VpcEndpoints ?? [], next: out.NextToken}
    }),
    allPages<SecurityGroup>(async (token) => {
      const out = await ec2.send(new DescribeSecurityGroupsCommand({Filters: byVpc, NextToken: token}))
      return {items: out.SecurityGroups ?? [], next: out.NextToken}
    }),
    Promise.all(
      vpcIds.map(async (vpcId) => {
        const [dnsSupport, dnsHostnames, zones] = await Promise.all([
          vpcAttribute(ec2, vpcId, 'enableDnsSupport'),
          vpcAttribute(ec2, vpcId, 'enableDnsHostnames'),
          hostedZones(clients.route53, vpcId, region),
        ])
        return {vpcId, dnsSupport, dnsHostnames, zones}
      }),
    ),
    serviceFacts,
    // A private NAT gateway is no internet route; if they cannot be read, every NAT counts as public (the usual kind).
    allPages<NatGateway>(async (token) => {
      const out = await ec2.send(new DescribeNatGatewaysCommand({Filter: byVpc, NextToken: token}))
      return {items: out.NatGateways ?? [], next: out.NextToken}
    }).catch(() => undefined),
  ])

  const taskGroupIds = new Set(input.targets.flatMap((t) => t.securityGroupIds))
  const accountId = input.accountId ?? securityGroups.find((g) => g.GroupId && taskGroupIds.has(g.GroupId))?.OwnerId

  const snapshots = new Map<string, VpcSnapshot>()
  for (const {vpcId, dnsSupport: support, dnsHostnames: hostnames, zones} of perVpc) {
    const dnsSupport = support.value
    const dnsHostnames = hostnames.value
    const dnsError = support.error ?? hostnames.error
    // Task subnets shared from another account may be absent from the vpc-id listing: keep them.
    const vpcSubnets = subnets.filter((s) => s.VpcId === vpcId)
    for (const s of taskSubnets) if (s.VpcId === vpcId && !vpcSubnets.some((v) => v.SubnetId === s.SubnetId)) vpcSubnets.push(s)
    snapshots.set(vpcId, {
      vpcId,
      region,
      accountId,
      dnsSupport,
      dnsHostnames,
      ...(dnsError ? {dnsError} : {}),
      subnets: vpcSubnets,
      routeTables: routeTables.filter((t) => t.VpcId === vpcId),
      ...(natGateways ? {natGateways: natGateways.filter((n) => n.VpcId === vpcId)} : {}),
      endpoints: endpoints.filter((e) => e.VpcId === vpcId),
      securityGroups: securityGroups.filter((g) => g.VpcId === vpcId),
      hostedZones: zones.zones,
      hostedZonesError: zones.error,
      privateDnsNames: facts.privateDnsNames,
      serviceNames: facts.serviceNames,
    })
  }
  const resolved = targets.map((t) => ({...t, subnetIds: t.subnetIds.length > 0 ? t.subnetIds : (snapshots.get(t.vpcId)?.subnets ?? []).map((s) => s.SubnetId ?? '')}))
  return {snapshots, targets: resolved}
}
