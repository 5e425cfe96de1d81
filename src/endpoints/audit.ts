/**
 * The audit: a VPC snapshot + the workloads running in it → findings. Pure (types only from
 * the SDK): every decision about endpoints lives here and is tested over plain data.
 */
import type {IpPermission, NatGateway, RouteTable, SecurityGroup, Subnet, VpcEndpoint} from '@aws-sdk/client-ec2'

import {ECS_AGENT_ENDPOINTS, endpointServiceName, REGIONS_WITH_ALL_OR_NO_ECS_ENDPOINTS, serviceInfo, serviceKeyOf, withRegion} from './catalog.js'
import {cidr6Contains, cidrContains} from './cidr.js'
import {evaluatePolicy} from './policy.js'
import type {HostedZone, VpcSnapshot, Workload} from './snapshot.js'
import {SEVERITY_RANK, type Access, type EndpointNeed, type Finding, type SubnetRoute, type VpcReport} from './types.js'

type Severity = Finding['severity']

interface RatedProblem {
  code: string
  detail: string
  severity: Severity
  fix?: string
  /** The problem is that something could not be verified (not that it is wrong): alone, such problems make the status `unknown`. Each is rated `warning`, so an `unknown` finding is always at least a warning. */
  unverified?: boolean
}

export interface AuditOptions {
  /** List endpoints no workload needs as `unused` (default true). */
  reportUnused?: boolean
}

export interface WorkloadFindings {
  name?: string
  findings: Finding[]
}

export interface AuditResult {
  report: VpcReport
  /** The same findings seen from each workload (for the per-service tables). */
  byWorkload: WorkloadFindings[]
}

const GONE = /^(deleted|deleting)$/i
const STATUS_RANK: Record<Finding['status'], number> = {unused: 0, ok: 1, unknown: 2, misconfigured: 3, missing: 4}

const maxSeverity = (a: Severity, b: Severity): Severity => (SEVERITY_RANK[a] >= SEVERITY_RANK[b] ? a : b)
const unique = <T>(items: T[]): T[] => [...new Set(items)]

/** The route table a subnet uses: its explicit association, else the VPC's main route table. */
export function routeTableOf(snapshot: Pick<VpcSnapshot, 'routeTables'>, subnetId: string): {table?: RouteTable; main: boolean} {
  const explicit = snapshot.routeTables.find((t) => t.Associations?.some((a) => a.SubnetId === subnetId))
  if (explicit) return {table: explicit, main: false}
  return {table: snapshot.routeTables.find((t) => t.Associations?.some((a) => a.Main)), main: true}
}

/**
 * A private NAT gateway (ConnectivityType `private`) cannot reach the internet: "Private – … You
 * can route traffic from the NAT gateway through a transit gateway or a virtual private gateway
 * … if you route traffic from the private NAT gateway to the internet gateway, the internet
 * gateway drops the traffic" (Amazon VPC user guide, "NAT gateways", Connectivity type).
 */
export function isPrivateNat(natGatewayId: string | undefined, natGateways: NatGateway[] | undefined): boolean {
  return Boolean(natGatewayId) && (natGateways ?? []).some((n) => n.NatGatewayId === natGatewayId && n.ConnectivityType === 'private')
}

function defaultRoute(table: RouteTable | undefined) {
  return table?.Routes?.find((r) => r.DestinationCidrBlock === '0.0.0.0/0' && r.State !== 'blackhole')
}

/** The default route's target when it is neither a public NAT nor an internet gateway (transit gateway, peering, private NAT …). */
export function otherDefaultRoute(table: RouteTable | undefined, natGateways?: NatGateway[]): string | undefined {
  const route = defaultRoute(table)
  if (!route) return undefined
  if (route.NatGatewayId && isPrivateNat(route.NatGatewayId, natGateways)) return `private NAT gateway ${route.NatGatewayId}, which cannot reach the internet itself`
  if (route.NatGatewayId || route.InstanceId || route.GatewayId?.startsWith('igw-')) return undefined
  return route.TransitGatewayId ?? route.VpcPeeringConnectionId ?? route.NetworkInterfaceId ?? route.CoreNetworkArn ?? route.GatewayId
}

/**
 * Where a route table's default route (0.0.0.0/0) goes: a public NAT gateway (or NAT instance),
 * an internet gateway, or nowhere (a private NAT gateway goes nowhere on the internet). `unknown`
 * when the subnet's route table is not visible: a participant of a VPC shared through AWS RAM
 * cannot describe the owner's route tables ("Work with shared VPCs", Amazon VPC user guide,
 * Responsibilities and permissions for participants).
 */
export function internetRouteOf(table: RouteTable | undefined, natGateways?: NatGateway[]): SubnetRoute['internetRoute'] {
  if (!table) return 'unknown'
  const route = defaultRoute(table)
  if (!route) return 'none'
  if (route.NatGatewayId) return isPrivateNat(route.NatGatewayId, natGateways) ? 'none' : 'nat'
  if (route.InstanceId) return 'nat'
  if (route.GatewayId?.startsWith('igw-')) return 'igw'
  return 'none'
}

function admits443(permission: IpPermission): boolean {
  if (permission.IpProtocol === '-1') return true
  if (permission.IpProtocol !== 'tcp' && permission.IpProtocol !== '6') return false
  return (permission.FromPort ?? 0) <= 443 && 443 <= (permission.ToPort ?? 65_535)
}

/**
 * Whether the endpoint's security groups admit TCP 443 from the workload: a rule naming one of
 * the task security groups, or address rules covering every task subnet (its IPv4 CIDR, or, when
 * the endpoint answers over IPv6 (`ipv6`), its IPv6 CIDR). undefined when it cannot be told: an
 * endpoint group is not visible, a prefix-list rule might admit them (its entries are not read),
 * or a rule names security groups while the task groups are not known (--vpc without
 * --security-groups).
 */
export function securityGroupsAdmit(groups: SecurityGroup[] | undefined, taskGroupIds: string[], taskSubnets: Subnet[], options: {ipv6?: boolean} = {}): boolean | undefined {
  if (!groups) return undefined
  const rules = groups.flatMap((g) => g.IpPermissions ?? []).filter(admits443)
  if (rules.some((r) => r.UserIdGroupPairs?.some((p) => p.GroupId && taskGroupIds.includes(p.GroupId)))) return true
  const cidrs = rules.flatMap((r) => (r.IpRanges ?? []).map((range) => range.CidrIp ?? '')).filter(Boolean)
  const cidrs6 = options.ipv6 ? rules.flatMap((r) => (r.Ipv6Ranges ?? []).map((range) => range.CidrIpv6 ?? '')).filter(Boolean) : []
  const subnetAdmitted = (s: Subnet) =>
    (s.CidrBlock !== undefined && cidrs.some((c) => cidrContains(c, s.CidrBlock!))) ||
    (s.Ipv6CidrBlockAssociationSet ?? []).some((a) => a.Ipv6CidrBlock !== undefined && cidrs6.some((c) => cidr6Contains(c, a.Ipv6CidrBlock!)))
  const covered = taskSubnets.length > 0 && taskSubnets.every(subnetAdmitted)
  if (covered) return true
  if (rules.some((r) => (r.PrefixListIds ?? []).length > 0)) return undefined
  if (taskGroupIds.length === 0 && rules.some((r) => (r.UserIdGroupPairs ?? []).length > 0)) return undefined
  if (taskSubnets.length === 0) return taskGroupIds.length === 0 ? undefined : false
  return false
}

/** The private hosted zone serving a service's private DNS name (`*.dkr.ecr.r.amazonaws.com` → zone `dkr.ecr.r.amazonaws.com`). */
export function zoneServing(dnsName: string | undefined, zones: HostedZone[] | null): HostedZone | undefined {
  if (!dnsName || !zones) return undefined
  const name = dnsName.toLowerCase().replace(/^\*\./, '').replace(/\.$/, '')
  return zones.find((z) => {
    const zone = z.name.toLowerCase().replace(/\.$/, '')
    if (name.includes('*')) {
      const pattern = new RegExp(`^${name.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^.]+')}$`)
      return pattern.test(zone) || zone === name.slice(name.indexOf('.') + 1)
    }
    return zone === name
  })
}

export function privateDnsNameOf(snapshot: Pick<VpcSnapshot, 'privateDnsNames' | 'region'>, service: string): string | undefined {
  const known = snapshot.privateDnsNames[service]
  if (known) return known
  const fallback = serviceInfo(service).privateDnsName
  return fallback ? withRegion(fallback, snapshot.region) : undefined
}

/** Audits one VPC for the workloads running in it. */
export function auditVpc(snapshot: VpcSnapshot, workloads: Workload[], options: AuditOptions = {}): AuditResult {
  const subnetById = new Map(snapshot.subnets.map((s) => [s.SubnetId ?? '', s]))
  const sgById = new Map(snapshot.securityGroups.map((g) => [g.GroupId ?? '', g]))
  const live = snapshot.endpoints.filter((e) => !GONE.test(e.State ?? ''))

  const subnets: SubnetRoute[] = []
  for (const id of unique(workloads.flatMap((w) => w.subnetIds))) {
    subnets.push({subnetId: id, availabilityZone: subnetById.get(id)?.AvailabilityZone ?? 'unknown', internetRoute: internetRouteOf(routeTableOf(snapshot, id).table, snapshot.natGateways)})
  }
  const routeOf = new Map(subnets.map((s) => [s.subnetId, s]))

  const ctx: Context = {snapshot, subnetById, sgById, live, routeOf}
  const byWorkload: WorkloadFindings[] = workloads.map((w) => ({name: w.name, findings: findingsFor(ctx, w)}))

  // One finding per endpoint service for the VPC: the workloads' views merged.
  const merged = new Map<string, Finding>()
  for (const {findings} of byWorkload) {
    for (const f of findings) {
      const seen = merged.get(f.service)
      if (!seen) {
        merged.set(f.service, {...f, requiredBy: [...f.requiredBy], problems: [...f.problems]})
        continue
      }
      seen.requiredBy = unique([...seen.requiredBy, ...f.requiredBy])
      for (const p of f.problems) if (!seen.problems.some((q) => q.code === p.code && q.detail === p.detail)) seen.problems.push(p)
      if (STATUS_RANK[f.status] > STATUS_RANK[seen.status]) seen.status = f.status
      seen.severity = maxSeverity(seen.severity, f.severity)
      const fixes = unique([...(seen.fix?.split('\n') ?? []), ...(f.fix?.split('\n') ?? [])])
      if (fixes.length > 0) seen.fix = fixes.join('\n')
    }
  }
  const findings = [...merged.values()]

  if (options.reportUnused ?? true) {
    const used = new Set(findings.map((f) => f.endpointId).filter(Boolean))
    const needed = new Set(findings.map((f) => f.service))
    for (const e of live) {
      if (used.has(e.VpcEndpointId ?? '')) continue
      const service = serviceKeyOf(e.ServiceName ?? '', snapshot.region)
      const type = e.VpcEndpointType === 'Gateway' ? 'Gateway' : 'Interface'
      if (needed.has(service) && type === serviceInfo(service).type) continue
      const azs = unique((e.SubnetIds ?? []).map((id) => subnetById.get(id)?.AvailabilityZone ?? id))
      findings.push({
        service,
        endpointService: e.ServiceName ?? service,
        type,
        requiredBy: [],
        status: 'unused',
        severity: 'info',
        endpointId: e.VpcEndpointId ?? null,
        provider: 'vpc',
        problems: [
          {
            code: 'UNUSED',
            detail:
              type === 'Gateway'
                ? `no audited service needs ${e.VpcEndpointId} (gateway endpoints cost nothing)`
                : `no audited service needs ${e.VpcEndpointId}; an interface endpoint is billed per hour in each of its ${azs.length} AZ(s) and per GB`,
          },
        ],
      })
    }
  }
  findings.push(...incompleteEcsEndpoints(snapshot, live, findings))
  return {report: {vpcId: snapshot.vpcId, subnets, findings}, byWorkload}
}

/**
 * In Regions introduced on or after 2023-12-23, whoever creates one of the ecs, ecs-agent and
 * ecs-telemetry endpoints must create all three, or the agent's traffic goes to the public
 * endpoints (ECS developer guide, "Amazon ECS interface VPC endpoints", Considerations for
 * endpoints in Regions introduced starting on December 23, 2023). A finding for each one absent
 * (unless a workload's need already reports it missing).
 */
export function incompleteEcsEndpoints(snapshot: VpcSnapshot, live: VpcEndpoint[], findings: Finding[]): Finding[] {
  const {region} = snapshot
  if (!REGIONS_WITH_ALL_OR_NO_ECS_ENDPOINTS.has(region)) return []
  const ecsEndpoints = live.filter((e) => e.VpcEndpointType !== 'Gateway' && (ECS_AGENT_ENDPOINTS as readonly string[]).includes(serviceKeyOf(e.ServiceName ?? '', region)))
  const present = ECS_AGENT_ENDPOINTS.filter((k) => ecsEndpoints.some((e) => serviceKeyOf(e.ServiceName ?? '', region) === k))
  if (present.length === 0 || present.length === ECS_AGENT_ENDPOINTS.length) return []
  const model = ecsEndpoints[0]!
  const absent = ECS_AGENT_ENDPOINTS.filter((k) => !present.includes(k) && !findings.some((f) => f.service === k && f.status === 'missing'))
  return absent.map((service) => {
    const endpointService = endpointServiceName(region, service, snapshot.serviceNames)
    const groups = (model.Groups ?? []).map((g) => g.GroupId).filter(Boolean)
    return {
      service,
      endpointService,
      type: 'Interface',
      requiredBy: [`${present.join(', ')} endpoint(s) in ${region}: there the three ECS endpoints go together`],
      status: 'missing',
      severity: 'warning',
      endpointId: null,
      provider: null,
      problems: [
        {
          code: 'ECS_ENDPOINTS_INCOMPLETE',
          detail: `${snapshot.vpcId} has ${present.map((k) => `com.amazonaws.${region}.${k}`).join(' and ')} but no ${endpointService}: in ${region} (a Region introduced after 2023-12-23) the ECS container agent then uses the public ECS endpoints for all three, through NAT or not at all`,
        },
      ],
      fix: `aws ec2 create-vpc-endpoint --region ${region} --vpc-id ${snapshot.vpcId} --vpc-endpoint-type Interface --service-name ${endpointService} --subnet-ids ${(model.SubnetIds ?? []).join(' ') || '<subnet-ids>'}${groups.length > 0 ? ` --security-group-ids ${groups.join(' ')}` : ''} --private-dns-enabled`,
    } satisfies Finding
  })
}

interface Context {
  snapshot: VpcSnapshot
  subnetById: Map<string, Subnet>
  sgById: Map<string, SecurityGroup>
  live: VpcEndpoint[]
  routeOf: Map<string, SubnetRoute>
}

function findingsFor(ctx: Context, workload: Workload): Finding[] {
  const reasons = new Map<string, string[]>()
  const accesses = new Map<string, Access[]>()
  for (const need of workload.needs) {
    const list = reasons.get(need.service) ?? []
    list.push(workload.name ? `${workload.name}: ${need.reason}` : need.reason)
    reasons.set(need.service, list)
    accesses.set(need.service, [...(accesses.get(need.service) ?? []), ...accessOf(need)])
  }
  return [...reasons].map(([service, requiredBy]) => findingFor(ctx, workload, service, unique(requiredBy), uniqueAccesses(accesses.get(service) ?? [])))
}

/** What a need does through the endpoint: its own list, else the catalog's actions on its resource (or the service's usual one). */
function accessOf(need: EndpointNeed): Access[] {
  if (need.access) return need.access
  const info = serviceInfo(need.service)
  return info.policyNeeds ? [{actions: info.policyNeeds.actions, resource: need.resource}] : []
}

const uniqueAccesses = (list: Access[]): Access[] => [...new Map(list.map((a) => [JSON.stringify([a.actions, a.resource ?? null]), a])).values()]

/** `accesses`: what the needs do through the endpoint (a resource left out: the service's usual one). */
function findingFor(ctx: Context, workload: Workload, service: string, requiredBy: string[], accesses: Access[] = []): Finding {
  const scope = scopeOf(ctx, workload, service, requiredBy, accesses)
  const {region, info, endpointService, rate, consequence, problems, finish, cli, r} = scope
  // Matched by service key, so that `cn.com.amazonaws.…` and `com.amazonaws.…` names both count.
  const candidates = ctx.live.filter((e) => e.ServiceName === endpointService || serviceKeyOf(e.ServiceName ?? '', region) === service)
  const ofType = candidates.filter((e) => (e.VpcEndpointType === 'Gateway' ? 'Gateway' : 'Interface') === info.type)
  const endpoint = ofType.find((e) => /^available$/i.test(e.State ?? '')) ?? ofType[0]

  if (!endpoint) return missingFinding(scope, candidates)

  const id = endpoint.VpcEndpointId ?? '?'
  if (!/^available$/i.test(endpoint.State ?? '')) {
    const severity = rate(false)
    problems.push({
      code: 'NOT_AVAILABLE',
      detail: `${id} is ${endpoint.State ?? 'in an unknown state'}${endpoint.LastError?.Message ? ` (${endpoint.LastError.Message})` : ''}: ${consequence(severity)}`,
      severity,
      fix: /pendingacceptance/i.test(endpoint.State ?? '') ? `# the endpoint service owner must accept ${id}` : `${cli} describe-vpc-endpoints ${r} --vpc-endpoint-ids ${id}`,
    })
  }
  const trafficUsesEndpoint = info.type === 'Interface' ? interfaceProblems(scope, endpoint, id) : gatewayProblems(scope, endpoint, id)
  policyProblems(scope, endpoint, id, trafficUsesEndpoint)
  return finish('ok', id, 'vpc')
}

/** What every check of one needed service shares: the workload's routes, how to rate and word a problem, and the problems found so far. */
function scopeOf(ctx: Context, workload: Workload, service: string, requiredBy: string[], accesses: Access[]) {
  const {snapshot} = ctx
  const region = snapshot.region
  const info = serviceInfo(service)
  const endpointService = endpointServiceName(region, service, snapshot.serviceNames)
  const taskSubnets = workload.subnetIds.map((id) => ctx.subnetById.get(id)).filter((s): s is Subnet => s !== undefined)
  const routes = workload.subnetIds.map((id) => ctx.routeOf.get(id)?.internetRoute ?? 'none')
  // An internet gateway carries a task's traffic only when the task has a public IP (assignPublicIp ENABLED).
  const noPublicIp = workload.assignPublicIp === false && routes.includes('igw')
  const egress = routes.length > 0 && routes.every((r) => r === 'nat' || (r === 'igw' && workload.assignPublicIp !== false))
  // Route tables not visible (subnets shared through RAM): whether a NAT routes around a problem cannot be told.
  const routeUnknown = !egress && routes.includes('unknown')
  const symptom = withRegion(info.symptom, region)
  /** Severity of a problem: `breaksAnyway` when a NAT cannot route around it (DNS already points at the endpoint). */
  const rate = (breaksAnyway: boolean): Severity => (info.advisory ? 'info' : breaksAnyway || (!egress && !routeUnknown) ? 'error' : 'warning')
  const elsewhere = unique(workload.subnetIds.map((id) => otherDefaultRoute(routeTableOf(snapshot, id).table, snapshot.natGateways)).filter((t): t is string => Boolean(t)))
  const caveat = elsewhere.length > 0 ? ` (the default route goes to ${elsewhere.join(', ')}: if that leads to a NAT elsewhere, traffic may still flow, billed there)` : ''
  const unseen = workload.subnetIds.filter((id) => ctx.routeOf.get(id)?.internetRoute === 'unknown')
  const consequence = (severity: Severity) =>
    info.advisory
      ? symptom
      : routeUnknown && severity === 'warning'
      ? `the route table of subnet(s) ${unseen.join(', ')} is not visible (a subnet shared through AWS RAM: its owner's route tables cannot be described), so whether a NAT carries this traffic is unknown; without one, ${symptom}`
      : severity === 'error'
      ? `${egress && routes.length > 0 ? '' : noPublicIp ? 'no NAT route, and the internet gateway route is of no use to tasks without a public IP (assignPublicIp DISABLED): ' : 'no NAT or internet gateway route: '}${symptom}${egress ? '' : caveat}`
      : 'traffic goes through the NAT/internet gateway instead (NAT billed per GB)'
  const problems: RatedProblem[] = []
  const base = {service, endpointService, type: info.type, requiredBy}
  const finish = (status: Finding['status'], endpointId: string | null, provider: Finding['provider'], extra: Partial<Finding> = {}): Finding => {
    const severity = problems.reduce<Severity>((s, p) => maxSeverity(s, p.severity), 'info')
    const fixes = unique(problems.map((p) => p.fix).filter((f): f is string => Boolean(f)))
    const finalStatus = status === 'ok' && problems.length > 0 ? (problems.every((p) => p.unverified) ? 'unknown' : 'misconfigured') : status
    return {
      ...base,
      status: finalStatus,
      severity,
      endpointId,
      provider,
      problems: problems.map(({code, detail}) => ({code, detail})),
      ...(fixes.length > 0 ? {fix: fixes.join('\n')} : {}),
      ...extra,
    }
  }
  const cli = `aws ec2`
  const r = `--region ${region}`
  const vpcDnsOff = snapshot.dnsSupport === false || snapshot.dnsHostnames === false
  const vpcDnsProblem = (): RatedProblem => {
    const off = [snapshot.dnsSupport === false ? 'enableDnsSupport' : '', snapshot.dnsHostnames === false ? 'enableDnsHostnames' : ''].filter(Boolean)
    const severity = rate(false)
    return {
      code: 'VPC_DNS_DISABLED',
      detail: `${snapshot.vpcId} has ${off.join(' and ')} off: private DNS names do not resolve to the endpoint; ${consequence(severity)}`,
      severity,
      fix: off.map((a) => `${cli} modify-vpc-attribute ${r} --vpc-id ${snapshot.vpcId} --${a === 'enableDnsSupport' ? 'enable-dns-support' : 'enable-dns-hostnames'} '{"Value":true}'`).join('\n'),
    }
  }

  // DescribeVpcAttribute failed (AccessDenied …): the DNS check could not be done; say so rather than skip it.
  const vpcDnsUnread = snapshot.dnsError !== undefined && (snapshot.dnsSupport === undefined || snapshot.dnsHostnames === undefined) && !vpcDnsOff
  const vpcDnsUnverified = (): RatedProblem => ({
    code: 'VPC_DNS_UNVERIFIED',
    detail: `the DNS attributes of ${snapshot.vpcId} could not be read (${snapshot.dnsError}): whether enableDnsSupport and enableDnsHostnames are on, which private DNS needs, is not checked; allow ec2:DescribeVpcAttribute to check it`,
    severity: 'warning',
    unverified: true,
    fix: `${cli} describe-vpc-attribute ${r} --vpc-id ${snapshot.vpcId} --attribute enableDnsSupport\n${cli} describe-vpc-attribute ${r} --vpc-id ${snapshot.vpcId} --attribute enableDnsHostnames`,
  })

  return {ctx, workload, service, requiredBy, accesses, snapshot, region, info, endpointService, taskSubnets, routes, noPublicIp, egress, routeUnknown, symptom, rate, elsewhere, caveat, unseen, consequence, problems, base, finish, cli, r, vpcDnsOff, vpcDnsProblem, vpcDnsUnread, vpcDnsUnverified}
}

type Scope = ReturnType<typeof scopeOf>

/** No endpoint of the needed type in the VPC: an S3 interface-only VPC, a central hosted zone, a shared subnet, or missing. */
function missingFinding(scope: Scope, candidates: VpcEndpoint[]): Finding {
  const {ctx, workload, service, snapshot, info, endpointService, taskSubnets, rate, consequence, problems, finish, r, vpcDnsOff, vpcDnsProblem, vpcDnsUnread, vpcDnsUnverified} = scope
  if (info.type === 'Gateway' && service === 's3' && candidates.length > 0) {
    const severity = rate(false)
    problems.push({
      code: 'S3_INTERFACE_ONLY',
      detail: `${snapshot.vpcId} has an S3 interface endpoint (${candidates.map((e) => e.VpcEndpointId).join(', ')}) but no S3 gateway endpoint: ECR image layers are only served through the gateway; ${consequence(severity)}`,
      severity,
      fix: createGatewayFix(ctx, workload, endpointService),
    })
    return finish('misconfigured', candidates[0]!.VpcEndpointId ?? null, 'vpc')
  }
  const zone = info.type === 'Interface' ? zoneServing(privateDnsNameOf(snapshot, service), snapshot.hostedZones) : undefined
  if (zone) {
    if (vpcDnsOff) problems.push(vpcDnsProblem())
    else if (vpcDnsUnread) problems.push(vpcDnsUnverified())
    return finish('ok', null, 'central', {hostedZoneId: zone.id})
  }
  const foreign = snapshot.accountId ? taskSubnets.filter((s) => s.OwnerId && s.OwnerId !== snapshot.accountId) : []
  if (foreign.length > 0) {
    const owner = foreign[0]!.OwnerId!
    problems.push({
      code: 'SHARED_SUBNET',
      detail: `subnet(s) ${foreign.map((s) => s.SubnetId).join(', ')} belong to account ${owner} (shared through AWS RAM): its endpoints are not visible from account ${snapshot.accountId}; audit ${snapshot.vpcId} from account ${owner}`,
      severity: 'warning',
      fix: `# with credentials of account ${owner}:\necsops check-endpoints ${r} --vpc ${snapshot.vpcId} --subnets ${workload.subnetIds.join(',')} --needs ${service}`,
    })
    return finish('unknown', null, null)
  }
  const severity = rate(false)
  const blind = snapshot.hostedZonesError ? ` (Route 53 private hosted zones could not be read: ${snapshot.hostedZonesError}; an endpoint centralised in a hub VPC would not be seen)` : ''
  problems.push({
    code: 'MISSING',
    detail: `no ${info.type.toLowerCase()} endpoint for ${endpointService} in ${snapshot.vpcId}: ${consequence(severity)}${blind}`,
    severity,
    fix: info.type === 'Gateway' ? createGatewayFix(ctx, workload, endpointService) : createInterfaceFix(ctx, workload, endpointService),
  })
  return finish('missing', null, null)
}

/** An interface endpoint: its state, private DNS, AZ coverage and security groups. Returns whether the tasks' traffic uses it. */
function interfaceProblems(scope: Scope, endpoint: VpcEndpoint, id: string): boolean {
  const {ctx, workload, service, snapshot, taskSubnets, symptom, rate, consequence, problems, cli, r, vpcDnsOff, vpcDnsProblem, vpcDnsUnread, vpcDnsUnverified} = scope
  let trafficUsesEndpoint = true
  if (endpoint.PrivateDnsEnabled !== true) {
    trafficUsesEndpoint = false
    const severity = rate(false)
    problems.push({
      code: 'PRIVATE_DNS_DISABLED',
      detail: `${id} has private DNS disabled: ${privateDnsNameOf(snapshot, service) ?? service} resolves to public addresses, so tasks do not use the endpoint; ${consequence(severity)}`,
      severity,
      fix: `${cli} modify-vpc-endpoint ${r} --vpc-endpoint-id ${id} --private-dns-enabled`,
    })
  }
  if (vpcDnsOff) {
    trafficUsesEndpoint = false
    problems.push(vpcDnsProblem())
  } else if (vpcDnsUnread && endpoint.PrivateDnsEnabled === true) {
    problems.push(vpcDnsUnverified())
  }
  const endpointSubnets = (endpoint.SubnetIds ?? []).map((s) => ctx.subnetById.get(s))
  if (endpointSubnets.every((s) => s !== undefined)) {
    const covered = new Set(endpointSubnets.map((s) => s!.AvailabilityZone))
    const uncovered = taskSubnets.filter((s) => !covered.has(s.AvailabilityZone))
    if (uncovered.length > 0) {
      const azs = unique(uncovered.map((s) => s.AvailabilityZone ?? '?'))
      const addSubnets = unique(azs.map((az) => uncovered.find((s) => s.AvailabilityZone === az)!.SubnetId ?? '?'))
      problems.push({
        code: 'AZ_NOT_COVERED',
        detail: `${id} has no subnet in ${azs.join(', ')} where task subnet(s) ${uncovered.map((s) => s.SubnetId).join(', ')} are: those tasks cross AZs to reach it (cross-AZ charges, and lost if that AZ fails)`,
        severity: 'warning',
        fix: `${cli} modify-vpc-endpoint ${r} --vpc-endpoint-id ${id} --add-subnet-ids ${addSubnets.join(' ')}`,
      })
    }
  }
  const groupIds = (endpoint.Groups ?? []).map((g) => g.GroupId ?? '')
  const groups = groupIds.map((g) => ctx.sgById.get(g))
  const ipv6 = endpoint.IpAddressType === 'dualstack' || endpoint.IpAddressType === 'ipv6'
  const verdict = securityGroupsAdmit(groups.every((g) => g !== undefined) ? (groups as SecurityGroup[]) : undefined, workload.securityGroupIds, taskSubnets, {ipv6})
  if (verdict === undefined) {
    const visible = groups.every((g) => g !== undefined)
    const rules = visible ? (groups as SecurityGroup[]).flatMap((g) => g.IpPermissions ?? []).filter(admits443) : []
    const why = !visible
      ? `security group(s) ${groupIds.filter((_, i) => groups[i] === undefined).join(', ')} of ${id} are not visible from this account`
      : rules.some((p) => (p.PrefixListIds ?? []).length > 0)
        ? `a rule of ${groupIds.join(', ')} admits a prefix list (${unique(rules.flatMap((p) => (p.PrefixListIds ?? []).map((l) => l.PrefixListId ?? '?'))).join(', ')}), whose entries are not read`
        : `a rule of ${groupIds.join(', ')} admits security groups, and the tasks' security groups are not known (pass --security-groups)`
    problems.push({
      code: 'SG_UNVERIFIED',
      detail: `whether ${id} admits TCP 443 from the tasks cannot be told: ${why}`,
      severity: 'warning',
      unverified: true,
    })
  } else if (verdict === false) {
    const severity = rate(trafficUsesEndpoint)
    const source = workload.securityGroupIds.length > 0 ? `task security group(s) ${workload.securityGroupIds.join(', ')}` : `task subnet(s) ${taskSubnets.map((s) => `${s.SubnetId} (${s.CidrBlock})`).join(', ')}`
    const target = groupIds[0] ?? '?'
    const fix =
      workload.securityGroupIds.length > 0
        ? `${cli} authorize-security-group-ingress ${r} --group-id ${target} --protocol tcp --port 443 --source-group ${workload.securityGroupIds[0]}`
        : taskSubnets.map((s) => `${cli} authorize-security-group-ingress ${r} --group-id ${target} --protocol tcp --port 443 --cidr ${s.CidrBlock}`).join('\n')
    problems.push({
      code: 'SG_BLOCKS_443',
      detail: `none of ${id}'s security groups (${groupIds.join(', ') || 'none'}) admits TCP 443 from ${source}: ${severity === 'error' ? symptom : consequence(severity)}`,
      severity,
      fix,
    })
  }
  return trafficUsesEndpoint
}

/** A gateway endpoint: its route tables. Returns whether the tasks' traffic uses it. */
function gatewayProblems(scope: Scope, endpoint: VpcEndpoint, id: string): boolean {
  const {workload, snapshot, rate, consequence, problems, cli, r} = scope
  let trafficUsesEndpoint = true
  const unassociated: string[] = []
  const tables: string[] = []
  for (const subnetId of workload.subnetIds) {
    const {table, main} = routeTableOf(snapshot, subnetId)
    const tableId = table?.RouteTableId ?? '?'
    if (!(endpoint.RouteTableIds ?? []).includes(tableId)) {
      unassociated.push(`${subnetId} → ${tableId}${main ? ' (main route table: no explicit association)' : ''}`)
      if (table?.RouteTableId) tables.push(table.RouteTableId)
    }
  }
  if (unassociated.length > 0) {
    trafficUsesEndpoint = false
    const severity = rate(false)
    problems.push({
      code: 'ROUTE_TABLE_NOT_ASSOCIATED',
      detail: `${id} is not on the route table of task subnet(s) ${unassociated.join(', ')}: ${consequence(severity)}`,
      severity,
      fix: tables.length > 0 ? `${cli} modify-vpc-endpoint ${r} --vpc-endpoint-id ${id} --add-route-table-ids ${unique(tables).join(' ')}` : undefined,
    })
  }
  return trafficUsesEndpoint
}

/** The endpoint policy against what the tasks do through the endpoint. */
function policyProblems(scope: Scope, endpoint: VpcEndpoint, id: string, trafficUsesEndpoint: boolean): void {
  const {accesses, region, info, symptom, rate, consequence, problems, cli, r} = scope
  const usual = info.policyNeeds?.resource && withRegion(info.policyNeeds.resource, region)
  for (const access of accesses) {
    const needs = {actions: access.actions, resource: access.resource ?? usual}
    const verdict = evaluatePolicy(endpoint.PolicyDocument, needs)
    if (verdict.blocked.length > 0) {
      const severity = rate(trafficUsesEndpoint)
      problems.push({
        code: 'POLICY_RESTRICTIVE',
        detail: `${id}'s endpoint policy blocks ${byReason(verdict.blocked, needs.resource)}: ${severity === 'error' ? symptom : consequence(severity)}`,
        severity,
        fix: verdict.fixedPolicy ? `${cli} modify-vpc-endpoint ${r} --vpc-endpoint-id ${id} --policy-document '${verdict.fixedPolicy}'` : undefined,
      })
    } else if (verdict.unknown.length > 0) {
      problems.push({
        code: 'POLICY_UNVERIFIED',
        detail: `${id}'s endpoint policy may block ${byReason(verdict.unknown, needs.resource)}: check it against the tasks' roles; if it does block, ${symptom}`,
        severity: 'warning',
        unverified: true,
        fix: `${cli} describe-vpc-endpoints ${r} --vpc-endpoint-ids ${id} --query 'VpcEndpoints[0].PolicyDocument' --output text`,
      })
    }
  }
}

/** `a, b on R (why)`: actions that share a reason are named together. */
function byReason(items: Array<{action: string; why: string}>, resource: string | undefined): string {
  const groups = new Map<string, string[]>()
  for (const {action, why} of items) groups.set(why, [...(groups.get(why) ?? []), action])
  return [...groups].map(([why, actions]) => `${actions.join(', ')}${resource ? ` on ${resource}` : ''} (${why})`).join('; ')
}

/** One task subnet per Availability Zone, in the workload's order. */
function subnetPerAz(ctx: Context, workload: Workload): string[] {
  const seen = new Map<string, string>()
  for (const id of workload.subnetIds) {
    const az = ctx.subnetById.get(id)?.AvailabilityZone ?? id
    if (!seen.has(az)) seen.set(az, id)
  }
  return [...seen.values()]
}

function createInterfaceFix(ctx: Context, workload: Workload, endpointService: string): string {
  const {snapshot} = ctx
  const r = `--region ${snapshot.region}`
  const taskSubnets = workload.subnetIds.map((id) => ctx.subnetById.get(id)).filter((s): s is Subnet => s !== undefined)
  // Reuse the security group of an existing interface endpoint that already admits the tasks.
  const reusable = ctx.live
    .filter((e) => e.VpcEndpointType !== 'Gateway')
    .flatMap((e) => (e.Groups ?? []).map((g) => g.GroupId ?? ''))
    .find((g) => {
      const group = ctx.sgById.get(g)
      return group !== undefined && securityGroupsAdmit([group], workload.securityGroupIds, taskSubnets) === true
    })
  const lines: string[] = []
  let sg = reusable
  if (!sg) {
    sg = '<endpoint-sg-id>'
    lines.push(`${'aws ec2'} create-security-group ${r} --vpc-id ${snapshot.vpcId} --group-name ecs-vpc-endpoints --description "VPC endpoints for ECS tasks" --query GroupId --output text  # prints <endpoint-sg-id>`)
    if (workload.securityGroupIds.length > 0) lines.push(`aws ec2 authorize-security-group-ingress ${r} --group-id ${sg} --protocol tcp --port 443 --source-group ${workload.securityGroupIds[0]}`)
    else for (const s of taskSubnets) lines.push(`aws ec2 authorize-security-group-ingress ${r} --group-id ${sg} --protocol tcp --port 443 --cidr ${s.CidrBlock}`)
  }
  lines.push(
    `aws ec2 create-vpc-endpoint ${r} --vpc-id ${snapshot.vpcId} --vpc-endpoint-type Interface --service-name ${endpointService} --subnet-ids ${subnetPerAz(ctx, workload).join(' ')} --security-group-ids ${sg} --private-dns-enabled`,
  )
  return lines.join('\n')
}

function createGatewayFix(ctx: Context, workload: Workload, endpointService: string): string {
  const tables = unique(workload.subnetIds.map((id) => routeTableOf(ctx.snapshot, id).table?.RouteTableId).filter((t): t is string => Boolean(t)))
  return `aws ec2 create-vpc-endpoint --region ${ctx.snapshot.region} --vpc-id ${ctx.snapshot.vpcId} --vpc-endpoint-type Gateway --service-name ${endpointService} --route-table-ids ${tables.join(' ') || '<route-table-ids>'}`
}
