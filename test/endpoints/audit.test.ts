import type {RouteTable} from '@aws-sdk/client-ec2'
import {describe, expect, it} from 'vitest'

import {auditVpc, internetRouteOf, routeTableOf, securityGroupsAdmit, zoneServing} from '../../src/endpoints/audit.js'
import type {Finding} from '../../src/endpoints/types.js'
import {ACCOUNT, REGION, VPC, endpointSg, healthyVpc, interfaceEndpoint, mainTable, natTable, privateTable, s3Gateway, subnetA, subnetB, subnetC, taskSg, workload} from './fixtures.js'

const ECR_LOGS = ['ecr.api', 'ecr.dkr', 's3', 'logs']
const find = (findings: Finding[], service: string) => {
  const f = findings.find((x) => x.service === service)
  if (!f) throw new Error(`no finding for ${service}`)
  return f
}
const codes = (f: Finding) => f.problems.map((p) => p.code)

describe('auditVpc: healthy VPC', () => {
  it('reports every needed endpoint ok with provider vpc and no fix', () => {
    const {report} = auditVpc(healthyVpc(), [workload(ECR_LOGS)])
    const needed = report.findings.filter((f) => f.status !== 'unused')
    expect(needed.map((f) => [f.service, f.status, f.severity, f.provider])).toEqual([
      ['ecr.api', 'ok', 'info', 'vpc'],
      ['ecr.dkr', 'ok', 'info', 'vpc'],
      ['s3', 'ok', 'info', 'vpc'],
      ['logs', 'ok', 'info', 'vpc'],
    ])
    expect(find(report.findings, 'ecr.dkr')).toMatchObject({endpointId: 'vpce-ecrdkr', endpointService: `com.amazonaws.${REGION}.ecr.dkr`, type: 'Interface', requiredBy: ['container app: ecr.dkr']})
    expect(find(report.findings, 's3').type).toBe('Gateway')
    expect(needed.every((f) => f.fix === undefined && f.problems.length === 0)).toBe(true)
  })

  it('lists the task subnets with their AZ and internet route', () => {
    const {report} = auditVpc(healthyVpc(), [workload(['logs'])])
    expect(report.subnets).toEqual([
      {subnetId: 'subnet-a', availabilityZone: 'eu-west-1a', internetRoute: 'none'},
      {subnetId: 'subnet-b', availabilityZone: 'eu-west-1b', internetRoute: 'none'},
    ])
  })

  it('lists endpoints no workload needs as unused info, and can leave them out', () => {
    const {report} = auditVpc(healthyVpc(), [workload(['logs'])])
    const unused = report.findings.filter((f) => f.status === 'unused')
    expect(unused.map((f) => f.service).sort()).toEqual(['ecr.api', 'ecr.dkr', 's3', 'secretsmanager'])
    expect(unused.every((f) => f.severity === 'info' && f.requiredBy.length === 0)).toBe(true)
    expect(find(unused, 'secretsmanager').problems[0]!.detail).toMatch(/billed per hour/)
    expect(find(unused, 's3').problems[0]!.detail).toMatch(/gateway endpoints cost nothing/)
    expect(auditVpc(healthyVpc(), [workload(['logs'])], {reportUnused: false}).report.findings.map((f) => f.service)).toEqual(['logs'])
  })
})

describe('auditVpc: MISSING and severity', () => {
  it('a missing endpoint without NAT is an error naming the symptom, with a create-vpc-endpoint fix', () => {
    const vpc = healthyVpc({endpoints: [s3Gateway()]})
    const f = find(auditVpc(vpc, [workload(['ecr.dkr'])]).report.findings, 'ecr.dkr')
    expect(f).toMatchObject({status: 'missing', severity: 'error', endpointId: null, provider: null})
    expect(codes(f)).toEqual(['MISSING'])
    expect(f.problems[0]!.detail).toMatch(/CannotPullContainerError/)
    // No existing endpoint security group to reuse: the fix creates one admitting the task SG.
    expect(f.fix).toContain('aws ec2 create-security-group --region eu-west-1 --vpc-id vpc-0app')
    expect(f.fix).toContain('--protocol tcp --port 443 --source-group sg-task')
    expect(f.fix).toContain(
      'aws ec2 create-vpc-endpoint --region eu-west-1 --vpc-id vpc-0app --vpc-endpoint-type Interface --service-name com.amazonaws.eu-west-1.ecr.dkr --subnet-ids subnet-a subnet-b --security-group-ids <endpoint-sg-id> --private-dns-enabled',
    )
  })

  it('reuses the security group of an existing endpoint that admits the tasks, and picks one subnet per AZ', () => {
    const extra = {...subnetA, SubnetId: 'subnet-a2', CidrBlock: '10.0.11.0/24'}
    const vpc = healthyVpc({subnets: [subnetA, extra, subnetB, subnetC]})
    const f = find(auditVpc(vpc, [workload(['ssm'], {subnetIds: ['subnet-a', 'subnet-a2', 'subnet-b']})]).report.findings, 'ssm')
    expect(f.fix).toBe(
      'aws ec2 create-vpc-endpoint --region eu-west-1 --vpc-id vpc-0app --vpc-endpoint-type Interface --service-name com.amazonaws.eu-west-1.ssm --subnet-ids subnet-a subnet-b --security-group-ids sg-endpoints --private-dns-enabled',
    )
  })

  it('a missing endpoint is only a warning when every task subnet routes to a NAT gateway', () => {
    const vpc = healthyVpc({endpoints: [], routeTables: [natTable(['subnet-a', 'subnet-b']), mainTable]})
    const f = find(auditVpc(vpc, [workload(['logs'])]).report.findings, 'logs')
    expect(f).toMatchObject({status: 'missing', severity: 'warning'})
    expect(f.problems[0]!.detail).toMatch(/NAT billed per GB/)
  })

  it('an internet gateway default route also makes it a warning', () => {
    const igw: RouteTable = {...privateTable, Routes: [{DestinationCidrBlock: '0.0.0.0/0', GatewayId: 'igw-1'}]}
    const vpc = healthyVpc({endpoints: [], routeTables: [igw]})
    const {report} = auditVpc(vpc, [workload(['logs'])])
    expect(report.subnets[0]!.internetRoute).toBe('igw')
    expect(find(report.findings, 'logs').severity).toBe('warning')
  })

  it('stays an error when only some task subnets have a NAT route', () => {
    const vpc = healthyVpc({endpoints: [], routeTables: [natTable(['subnet-a']), {...privateTable, Associations: [{SubnetId: 'subnet-b'}]}]})
    const {report} = auditVpc(vpc, [workload(['logs'])])
    expect(report.subnets.map((s) => s.internetRoute)).toEqual(['nat', 'none'])
    expect(find(report.findings, 'logs').severity).toBe('error')
  })

  it('a default route to a transit gateway stays an error (no NAT seen) but says traffic may flow elsewhere', () => {
    const tgw: RouteTable = {...privateTable, Routes: [{DestinationCidrBlock: '0.0.0.0/0', TransitGatewayId: 'tgw-hub'}]}
    const {report} = auditVpc(healthyVpc({endpoints: [], routeTables: [tgw]}), [workload(['logs'])])
    expect(report.subnets[0]!.internetRoute).toBe('none')
    const f = find(report.findings, 'logs')
    expect(f.severity).toBe('error')
    expect(f.problems[0]!.detail).toContain('the default route goes to tgw-hub')
  })

  it('a missing S3 gateway fix names the task subnets\' route tables', () => {
    const vpc = healthyVpc({endpoints: []})
    const f = find(auditVpc(vpc, [workload(['s3'])]).report.findings, 's3')
    expect(f).toMatchObject({status: 'missing', type: 'Gateway', severity: 'error'})
    expect(f.fix).toBe('aws ec2 create-vpc-endpoint --region eu-west-1 --vpc-id vpc-0app --vpc-endpoint-type Gateway --service-name com.amazonaws.eu-west-1.s3 --route-table-ids rtb-private')
  })

  it('says when Route 53 could not be read, so a central endpoint may be unseen', () => {
    const vpc = healthyVpc({endpoints: [], hostedZones: null, hostedZonesError: 'AccessDenied: not authorized to perform route53:ListHostedZonesByVPC'})
    const f = find(auditVpc(vpc, [workload(['logs'])]).report.findings, 'logs')
    expect(f.status).toBe('missing')
    expect(f.problems[0]!.detail).toMatch(/Route 53 private hosted zones could not be read: AccessDenied/)
  })
})

describe('auditVpc: problem codes of an existing endpoint', () => {
  it('NOT_AVAILABLE when the endpoint is not available', () => {
    const vpc = healthyVpc({endpoints: [interfaceEndpoint('logs', {State: 'pending' as never})]})
    const f = find(auditVpc(vpc, [workload(['logs'])]).report.findings, 'logs')
    expect(f).toMatchObject({status: 'misconfigured', severity: 'error', endpointId: 'vpce-logs'})
    expect(codes(f)).toEqual(['NOT_AVAILABLE'])
    expect(f.problems[0]!.detail).toMatch(/vpce-logs is pending/)
  })

  it('PRIVATE_DNS_DISABLED with the modify-vpc-endpoint fix', () => {
    const vpc = healthyVpc({endpoints: [interfaceEndpoint('ecr.dkr', {PrivateDnsEnabled: false})]})
    const f = find(auditVpc(vpc, [workload(['ecr.dkr'])]).report.findings, 'ecr.dkr')
    expect(codes(f)).toEqual(['PRIVATE_DNS_DISABLED'])
    expect(f.severity).toBe('error')
    expect(f.problems[0]!.detail).toContain('*.dkr.ecr.eu-west-1.amazonaws.com')
    expect(f.fix).toBe('aws ec2 modify-vpc-endpoint --region eu-west-1 --vpc-endpoint-id vpce-ecrdkr --private-dns-enabled')
  })

  it('PRIVATE_DNS_DISABLED is a warning behind a NAT (traffic goes around the endpoint)', () => {
    const vpc = healthyVpc({endpoints: [interfaceEndpoint('logs', {PrivateDnsEnabled: false})], routeTables: [natTable(['subnet-a', 'subnet-b'])]})
    expect(find(auditVpc(vpc, [workload(['logs'])]).report.findings, 'logs').severity).toBe('warning')
  })

  it('VPC_DNS_DISABLED names the attribute that is off', () => {
    const vpc = healthyVpc({dnsHostnames: false})
    const f = find(auditVpc(vpc, [workload(['logs'])]).report.findings, 'logs')
    expect(codes(f)).toEqual(['VPC_DNS_DISABLED'])
    expect(f.problems[0]!.detail).toMatch(/enableDnsHostnames off/)
    expect(f.fix).toBe(`aws ec2 modify-vpc-attribute --region eu-west-1 --vpc-id ${VPC} --enable-dns-hostnames '{"Value":true}'`)
  })

  it('AZ_NOT_COVERED names the AZs and task subnets, as a warning', () => {
    const vpc = healthyVpc({endpoints: [interfaceEndpoint('logs', {SubnetIds: ['subnet-a']})]})
    const f = find(auditVpc(vpc, [workload(['logs'], {subnetIds: ['subnet-a', 'subnet-b', 'subnet-c']})]).report.findings, 'logs')
    expect(codes(f)).toEqual(['AZ_NOT_COVERED'])
    expect(f.severity).toBe('warning')
    expect(f.problems[0]!.detail).toContain('eu-west-1b, eu-west-1c')
    expect(f.problems[0]!.detail).toContain('subnet-b, subnet-c')
    expect(f.fix).toBe('aws ec2 modify-vpc-endpoint --region eu-west-1 --vpc-endpoint-id vpce-logs --add-subnet-ids subnet-b subnet-c')
  })

  it('SG_BLOCKS_443 when no endpoint group admits the task group on 443', () => {
    const closed = {...endpointSg, IpPermissions: [{IpProtocol: 'tcp', FromPort: 80, ToPort: 80, UserIdGroupPairs: [{GroupId: 'sg-task'}]}]}
    const vpc = healthyVpc({securityGroups: [taskSg, closed]})
    const f = find(auditVpc(vpc, [workload(['logs'])]).report.findings, 'logs')
    expect(codes(f)).toEqual(['SG_BLOCKS_443'])
    expect(f.severity).toBe('error')
    expect(f.fix).toBe('aws ec2 authorize-security-group-ingress --region eu-west-1 --group-id sg-endpoints --protocol tcp --port 443 --source-group sg-task')
  })

  it('SG_BLOCKS_443 stays an error behind a NAT, since private DNS sends traffic to the endpoint', () => {
    const closed = {...endpointSg, IpPermissions: []}
    const vpc = healthyVpc({securityGroups: [taskSg, closed], routeTables: [natTable(['subnet-a', 'subnet-b'])]})
    expect(find(auditVpc(vpc, [workload(['logs'])]).report.findings, 'logs').severity).toBe('error')
  })

  it('a CIDR rule covering the task subnets admits them', () => {
    const byCidr = {...endpointSg, IpPermissions: [{IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{CidrIp: '10.0.0.0/16'}]}]}
    const vpc = healthyVpc({securityGroups: [taskSg, byCidr]})
    expect(find(auditVpc(vpc, [workload(['logs'])]).report.findings, 'logs').status).toBe('ok')
  })

  it('ROUTE_TABLE_NOT_ASSOCIATED when the S3 gateway is not on a task subnet\'s route table', () => {
    const vpc = healthyVpc({endpoints: [s3Gateway({RouteTableIds: ['rtb-other']})]})
    const f = find(auditVpc(vpc, [workload(['s3'])]).report.findings, 's3')
    expect(codes(f)).toEqual(['ROUTE_TABLE_NOT_ASSOCIATED'])
    expect(f.severity).toBe('error')
    expect(f.fix).toBe('aws ec2 modify-vpc-endpoint --region eu-west-1 --vpc-endpoint-id vpce-s3gw --add-route-table-ids rtb-private')
  })

  it('falls back to the main route table for a subnet without an explicit association', () => {
    const onlyA: RouteTable = {...privateTable, Associations: [{SubnetId: 'subnet-a'}]}
    const vpc = healthyVpc({routeTables: [onlyA, mainTable], endpoints: [s3Gateway({RouteTableIds: ['rtb-private']})]})
    const f = find(auditVpc(vpc, [workload(['s3'])]).report.findings, 's3')
    expect(codes(f)).toEqual(['ROUTE_TABLE_NOT_ASSOCIATED'])
    expect(f.problems[0]!.detail).toContain('subnet-b → rtb-main (main route table')
    expect(f.fix).toContain('--add-route-table-ids rtb-main')
    // …and is ok once the main route table carries the gateway.
    const fixed = healthyVpc({routeTables: [onlyA, mainTable], endpoints: [s3Gateway({RouteTableIds: ['rtb-private', 'rtb-main']})]})
    expect(find(auditVpc(fixed, [workload(['s3'])]).report.findings, 's3').status).toBe('ok')
  })

  it('POLICY_RESTRICTIVE when the S3 gateway policy does not allow the starport layer bucket', () => {
    const policy = JSON.stringify({Statement: [{Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::my-app-bucket/*'}]})
    const vpc = healthyVpc({endpoints: [s3Gateway({PolicyDocument: policy})]})
    const f = find(auditVpc(vpc, [workload(['s3'])]).report.findings, 's3')
    expect(codes(f)).toEqual(['POLICY_RESTRICTIVE'])
    expect(f.severity).toBe('error')
    expect(f.problems[0]!.detail).toContain('arn:aws:s3:::prod-eu-west-1-starport-layer-bucket/*')
    expect(f.fix).toContain('--policy-document')
    expect(f.fix).toContain('prod-eu-west-1-starport-layer-bucket')
  })

  it('checks the S3 gateway policy against what the tasks really read: the layer bucket, an environment file', () => {
    const LAYERS = `arn:aws:s3:::prod-${REGION}-starport-layer-bucket/*`
    const ENV_FILE = 'arn:aws:s3:::my-app-bucket/app.env'
    const onlyAppBucket = JSON.stringify({Statement: [{Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::my-app-bucket/*'}]})
    const vpc = healthyVpc({endpoints: [s3Gateway({PolicyDocument: onlyAppBucket})]})
    const envFileOnly = workload([], {needs: [{service: 's3', reason: 'container app: environmentFiles', resource: ENV_FILE}]})
    expect(find(auditVpc(vpc, [envFileOnly]).report.findings, 's3')).toMatchObject({status: 'ok', problems: []})

    const both = workload([], {needs: [{service: 's3', reason: 'container app: image layers', resource: LAYERS}, {service: 's3', reason: 'container app: environmentFiles', resource: ENV_FILE}]})
    const f = find(auditVpc(vpc, [both]).report.findings, 's3')
    expect(codes(f)).toEqual(['POLICY_RESTRICTIVE'])
    expect(f.problems[0]!.detail).toContain(LAYERS)
    expect(f.problems[0]!.detail).not.toContain(ENV_FILE)

    const onlyLayers = JSON.stringify({Statement: [{Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: LAYERS}]})
    const g = find(auditVpc(healthyVpc({endpoints: [s3Gateway({PolicyDocument: onlyLayers})]}), [envFileOnly]).report.findings, 's3')
    expect(codes(g)).toEqual(['POLICY_RESTRICTIVE'])
    expect(g.problems[0]!.detail).toContain(ENV_FILE)
  })

  it('POLICY_RESTRICTIVE for an explicit Deny on what ECS needs', () => {
    const policy = JSON.stringify({Statement: [{Effect: 'Allow', Principal: '*', Action: '*', Resource: '*'}, {Sid: 'NoLogs', Effect: 'Deny', Principal: '*', Action: 'logs:Put*', Resource: '*'}]})
    const vpc = healthyVpc({endpoints: [interfaceEndpoint('logs', {PolicyDocument: policy})]})
    const f = find(auditVpc(vpc, [workload(['logs'])]).report.findings, 'logs')
    expect(codes(f)).toEqual(['POLICY_RESTRICTIVE'])
    expect(f.problems[0]!.detail).toContain('logs:PutLogEvents (denied by statement "NoLogs")')
  })

  it('S3_INTERFACE_ONLY when the VPC has an S3 interface endpoint but no gateway', () => {
    const vpc = healthyVpc({endpoints: [interfaceEndpoint('s3', {VpcEndpointId: 'vpce-s3if'})]})
    const f = find(auditVpc(vpc, [workload(['s3'])]).report.findings, 's3')
    expect(f).toMatchObject({status: 'misconfigured', severity: 'error', endpointId: 'vpce-s3if'})
    expect(codes(f)).toEqual(['S3_INTERFACE_ONLY'])
    expect(f.fix).toContain('--vpc-endpoint-type Gateway')
  })

  it('collects several problems of one endpoint, the worst severity winning', () => {
    const vpc = healthyVpc({endpoints: [interfaceEndpoint('logs', {SubnetIds: ['subnet-a'], PrivateDnsEnabled: false})]})
    const f = find(auditVpc(vpc, [workload(['logs'])]).report.findings, 'logs')
    expect(codes(f)).toEqual(['PRIVATE_DNS_DISABLED', 'AZ_NOT_COVERED'])
    expect(f.severity).toBe('error')
    expect(f.fix!.split('\n')).toHaveLength(2)
  })
})

describe('auditVpc: endpoints outside the task VPC', () => {
  it('a Route 53 private hosted zone for the private DNS name means a central endpoint: ok, provider central', () => {
    const vpc = healthyVpc({
      endpoints: [],
      hostedZones: [
        {id: 'Z-DKR', name: 'dkr.ecr.eu-west-1.amazonaws.com'},
        {id: 'Z-API', name: 'api.ecr.eu-west-1.amazonaws.com'},
        {id: 'Z-LOGS', name: 'logs.eu-west-1.amazonaws.com'},
      ],
    })
    const {report} = auditVpc(vpc, [workload(['ecr.api', 'ecr.dkr', 'logs'])])
    expect(report.findings.map((f) => [f.service, f.status, f.provider, f.hostedZoneId, f.endpointId])).toEqual([
      ['ecr.api', 'ok', 'central', 'Z-API', null],
      ['ecr.dkr', 'ok', 'central', 'Z-DKR', null],
      ['logs', 'ok', 'central', 'Z-LOGS', null],
    ])
  })

  it('uses the private DNS name DescribeVpcEndpointServices gave', () => {
    const vpc = healthyVpc({endpoints: [], privateDnsNames: {logs: 'logs.custom.example'}, hostedZones: [{id: 'Z-C', name: 'logs.custom.example'}]})
    expect(find(auditVpc(vpc, [workload(['logs'])]).report.findings, 'logs').provider).toBe('central')
  })

  it('a central endpoint still needs the VPC\'s DNS attributes', () => {
    const vpc = healthyVpc({endpoints: [], dnsSupport: false, hostedZones: [{id: 'Z-LOGS', name: 'logs.eu-west-1.amazonaws.com'}]})
    const f = find(auditVpc(vpc, [workload(['logs'])]).report.findings, 'logs')
    expect(f).toMatchObject({status: 'misconfigured', provider: 'central', severity: 'error'})
    expect(codes(f)).toEqual(['VPC_DNS_DISABLED'])
  })

  it('subnets shared from another account (RAM) are unknown, never missing, and say what to run there', () => {
    const owner = '999988887777'
    const shared = [subnetA, subnetB].map((s) => ({...s, OwnerId: owner}))
    const vpc = healthyVpc({endpoints: [], subnets: [...shared, subnetC]})
    const f = find(auditVpc(vpc, [workload(['ecr.dkr'])]).report.findings, 'ecr.dkr')
    expect(f).toMatchObject({status: 'unknown', severity: 'warning', provider: null})
    expect(f.problems[0]!.detail).toContain(`belong to account ${owner}`)
    expect(f.problems[0]!.detail).toContain(ACCOUNT)
    expect(f.fix).toContain(`ecsops check-endpoints --region eu-west-1 --vpc ${VPC} --subnets subnet-a,subnet-b --needs ecr.dkr`)
  })
})

describe('auditVpc: several workloads in one VPC', () => {
  it('merges requiredBy per endpoint and keeps each workload\'s own view', () => {
    const vpc = healthyVpc({endpoints: [interfaceEndpoint('logs', {SubnetIds: ['subnet-a', 'subnet-b']})]})
    const api = workload(['logs'], {name: 'api', subnetIds: ['subnet-a', 'subnet-b']})
    const worker = workload(['logs', 'ssm'], {name: 'worker', subnetIds: ['subnet-c']})
    const {report, byWorkload} = auditVpc(vpc, [api, worker])
    const logs = find(report.findings, 'logs')
    expect(logs.requiredBy).toEqual(['api: container app: logs', 'worker: container app: logs'])
    expect(logs.status).toBe('misconfigured')
    expect(codes(logs)).toEqual(['AZ_NOT_COVERED'])
    expect(find(byWorkload[0]!.findings, 'logs').status).toBe('ok')
    expect(find(byWorkload[1]!.findings, 'logs').status).toBe('misconfigured')
    expect(find(report.findings, 'ssm').requiredBy).toEqual(['worker: container app: ssm'])
    expect(report.subnets.map((s) => s.subnetId)).toEqual(['subnet-a', 'subnet-b', 'subnet-c'])
  })
})

describe('helpers', () => {
  it('routeTableOf prefers the explicit association, else the main table', () => {
    const snapshot = {routeTables: [mainTable, privateTable]}
    expect(routeTableOf(snapshot, 'subnet-a')).toEqual({table: privateTable, main: false})
    expect(routeTableOf(snapshot, 'subnet-z')).toEqual({table: mainTable, main: true})
  })

  it('internetRouteOf ignores blackhole routes and reads NAT instances as nat', () => {
    expect(internetRouteOf({Routes: [{DestinationCidrBlock: '0.0.0.0/0', NatGatewayId: 'nat-1', State: 'blackhole'}]})).toBe('none')
    expect(internetRouteOf({Routes: [{DestinationCidrBlock: '0.0.0.0/0', InstanceId: 'i-1'}]})).toBe('nat')
    // No route table at all (a subnet shared through RAM: the owner's tables are not visible): unknown, not 'none'.
    expect(internetRouteOf(undefined)).toBe('unknown')
  })

  it('securityGroupsAdmit: all traffic, port ranges, CIDRs that do not cover every subnet', () => {
    expect(securityGroupsAdmit([{IpPermissions: [{IpProtocol: '-1', UserIdGroupPairs: [{GroupId: 'sg-task'}]}]}], ['sg-task'], [])).toBe(true)
    expect(securityGroupsAdmit([{IpPermissions: [{IpProtocol: 'tcp', FromPort: 0, ToPort: 1024, UserIdGroupPairs: [{GroupId: 'sg-task'}]}]}], ['sg-task'], [])).toBe(true)
    expect(securityGroupsAdmit([{IpPermissions: [{IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{CidrIp: '10.0.1.0/24'}]}]}], [], [subnetA, subnetB])).toBe(false)
    expect(securityGroupsAdmit(undefined, ['sg-task'], [subnetA])).toBeUndefined()
    expect(securityGroupsAdmit([{IpPermissions: [{IpProtocol: 'tcp', FromPort: 443, ToPort: 443, PrefixListIds: [{PrefixListId: 'pl-1'}]}]}], ['sg-task'], [subnetA])).toBeUndefined()
  })

  it('zoneServing strips the wildcard and the trailing dot', () => {
    expect(zoneServing('*.dkr.ecr.eu-west-1.amazonaws.com', [{id: 'Z1', name: 'dkr.ecr.eu-west-1.amazonaws.com'}])?.id).toBe('Z1')
    expect(zoneServing('logs.eu-west-1.amazonaws.com', [{id: 'Z2', name: 'eu-west-1.amazonaws.com'}])).toBeUndefined()
    expect(zoneServing('logs.eu-west-1.amazonaws.com', null)).toBeUndefined()
  })
})
