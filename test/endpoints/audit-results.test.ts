/**
 * What an operator reads in a check-endpoints report, finding by finding: the exact detail and
 * fix of each problem code in the situations that change its wording (NAT or not, task security
 * groups known or not, route tables visible or not), unused endpoints, the ECS trio of the newer
 * Regions, and how the views of several workloads merge.
 */
import type {RouteTable} from '@aws-sdk/client-ec2'
import {describe, expect, it} from 'vitest'

import {auditVpc, internetRouteOf, isPrivateNat, otherDefaultRoute, routeTableOf, securityGroupsAdmit, zoneServing} from '../../src/endpoints/audit.js'
import type {Finding} from '../../src/endpoints/types.js'
import {VPC, endpointSg, healthyVpc, interfaceEndpoint, mainTable, natTable, privateTable, s3Gateway, subnetA, taskSg, workload} from './fixtures.js'

const find = (findings: Finding[], service: string) => {
  const f = findings.find((x) => x.service === service)
  if (!f) throw new Error(`no finding for ${service}`)
  return f
}
const LOGS_SYMPTOM = 'tasks fail to start: "ResourceInitializationError: failed to validate logger args: ... failed to create Cloudwatch log stream"'
const S3_SYMPTOM = 'tasks fail to start: "CannotPullContainerError" while downloading image layers from prod-eu-west-1-starport-layer-bucket (and environment files in S3 cannot be read)'
const VIA_NAT = 'traffic goes through the NAT/internet gateway instead (NAT billed per GB)'
const NO_ROUTE = 'no NAT or internet gateway route: '
const behindNat = {routeTables: [natTable(['subnet-a', 'subnet-b'])]}
const logsOf = (vpc: Parameters<typeof auditVpc>[0], w = workload(['logs'])) => find(auditVpc(vpc, [w]).report.findings, 'logs')
const logsFinding = (extra: Partial<Finding>): Finding => ({
  service: 'logs',
  endpointService: 'com.amazonaws.eu-west-1.logs',
  type: 'Interface',
  requiredBy: ['container app: logs'],
  status: 'misconfigured',
  severity: 'error',
  endpointId: 'vpce-logs',
  provider: 'vpc',
  problems: [],
  ...extra,
})
const NEW_SG = 'aws ec2 create-security-group --region eu-west-1 --vpc-id vpc-0app --group-name ecs-vpc-endpoints --description "VPC endpoints for ECS tasks" --query GroupId --output text  # prints <endpoint-sg-id>'
const CREATE_LOGS = 'aws ec2 create-vpc-endpoint --region eu-west-1 --vpc-id vpc-0app --vpc-endpoint-type Interface --service-name com.amazonaws.eu-west-1.logs --subnet-ids subnet-a subnet-b --security-group-ids <endpoint-sg-id> --private-dns-enabled'

describe('unused endpoints: what each one costs', () => {
  it('an interface endpoint counts its AZs (an unknown subnet by its id); an S3 interface beside the gateway the tasks use is unused too; deleted ones are left out', () => {
    const vpc = healthyVpc({
      endpoints: [
        interfaceEndpoint('sqs', {SubnetIds: ['subnet-a', 'subnet-x', 'subnet-a']}),
        s3Gateway(),
        interfaceEndpoint('s3', {VpcEndpointId: 'vpce-s3if', SubnetIds: ['subnet-b']}),
        interfaceEndpoint('sns', {State: 'Deleted' as never}),
        interfaceEndpoint('kms', {State: 'deleting' as never}),
      ],
    })
    const {findings} = auditVpc(vpc, [workload(['s3'])]).report
    const unused = (service: string, endpointId: string, type: Finding['type'], detail: string): Finding => ({
      service,
      endpointService: `com.amazonaws.eu-west-1.${service}`,
      type,
      requiredBy: [],
      status: 'unused',
      severity: 'info',
      endpointId,
      provider: 'vpc',
      problems: [{code: 'UNUSED', detail}],
    })
    expect(findings).toEqual([
      {service: 's3', endpointService: 'com.amazonaws.eu-west-1.s3', type: 'Gateway', requiredBy: ['container app: s3'], status: 'ok', severity: 'info', endpointId: 'vpce-s3gw', provider: 'vpc', problems: []},
      unused('sqs', 'vpce-sqs', 'Interface', 'no audited service needs vpce-sqs; an interface endpoint is billed per hour in each of its 2 AZ(s) and per GB'),
      unused('s3', 'vpce-s3if', 'Interface', 'no audited service needs vpce-s3if; an interface endpoint is billed per hour in each of its 1 AZ(s) and per GB'),
    ])
  })

  it('an unneeded gateway endpoint costs nothing', () => {
    const {findings} = auditVpc(healthyVpc({endpoints: [s3Gateway()]}), [workload([])]).report
    expect(findings).toEqual([
      {service: 's3', endpointService: 'com.amazonaws.eu-west-1.s3', type: 'Gateway', requiredBy: [], status: 'unused', severity: 'info', endpointId: 'vpce-s3gw', provider: 'vpc', problems: [{code: 'UNUSED', detail: 'no audited service needs vpce-s3gw (gateway endpoints cost nothing)'}]},
    ])
  })
})

describe('ECS_ENDPOINTS_INCOMPLETE: the ecs trio in a Region introduced after 2023-12-23', () => {
  const region = 'ca-west-1'
  const ecs = (service: string, overrides = {}) => interfaceEndpoint(service, {ServiceName: `com.amazonaws.${region}.${service}`, ...overrides})
  const incomplete = (service: string, present: string, fix: string): Finding => ({
    service,
    endpointService: `com.amazonaws.${region}.${service}`,
    type: 'Interface',
    requiredBy: [`${present} endpoint(s) in ${region}: there the three ECS endpoints go together`],
    status: 'missing',
    severity: 'warning',
    endpointId: null,
    provider: null,
    problems: [
      {
        code: 'ECS_ENDPOINTS_INCOMPLETE',
        detail: `vpc-0app has ${present.split(', ').map((k) => `com.amazonaws.${region}.${k}`).join(' and ')} but no com.amazonaws.${region}.${service}: in ${region} (a Region introduced after 2023-12-23) the ECS container agent then uses the public ECS endpoints for all three, through NAT or not at all`,
      },
    ],
    fix,
  })

  it('names each absent one, and creates it like the present one (its security groups; placeholders when it has no subnets)', () => {
    const vpc = healthyVpc({region, endpoints: [ecs('ecs-agent', {Groups: [{GroupId: 'sg-a'}, {GroupName: 'no-id'}], SubnetIds: []})]})
    const found = auditVpc(vpc, [workload([])]).report.findings.filter((f) => f.status === 'missing')
    const create = (service: string) => `aws ec2 create-vpc-endpoint --region ${region} --vpc-id ${VPC} --vpc-endpoint-type Interface --service-name com.amazonaws.${region}.${service} --subnet-ids <subnet-ids> --security-group-ids sg-a --private-dns-enabled`
    expect(found).toEqual([incomplete('ecs', 'ecs-agent', create('ecs')), incomplete('ecs-telemetry', 'ecs-agent', create('ecs-telemetry'))])
  })

  it('two present: both named; a model without security groups gives a command without --security-group-ids', () => {
    const vpc = healthyVpc({region, endpoints: [ecs('ecs', {Groups: []}), ecs('ecs-telemetry', {Groups: []})]})
    const found = auditVpc(vpc, [workload([])]).report.findings.filter((f) => f.status === 'missing')
    expect(found).toEqual([
      incomplete('ecs-agent', 'ecs, ecs-telemetry', `aws ec2 create-vpc-endpoint --region ${region} --vpc-id ${VPC} --vpc-endpoint-type Interface --service-name com.amazonaws.${region}.ecs-agent --subnet-ids subnet-a subnet-b subnet-c --private-dns-enabled`),
    ])
  })

  it('a gateway endpoint under an ECS name does not count; an absent one a workload already reports missing is not reported twice', () => {
    const vpc = healthyVpc({region, endpoints: [ecs('ecs'), s3Gateway({ServiceName: `com.amazonaws.${region}.ecs-agent`})]})
    const {findings} = auditVpc(vpc, [workload(['ecs-telemetry'])]).report
    expect(findings.filter((f) => f.status === 'missing').map((f) => [f.service, f.problems.map((p) => p.code)])).toEqual([
      ['ecs-telemetry', ['MISSING']],
      ['ecs-agent', ['ECS_ENDPOINTS_INCOMPLETE']],
    ])
    expect(find(findings.filter((f) => f.status === 'missing'), 'ecs-agent').requiredBy).toEqual([`ecs endpoint(s) in ${region}: there the three ECS endpoints go together`])
  })
})

describe('SG_BLOCKS_443: what the operator reads', () => {
  const closed = {...endpointSg, IpPermissions: []}

  it('without task security groups: names the task subnets with their CIDRs and opens 443 to each', () => {
    const f = logsOf(healthyVpc({securityGroups: [taskSg, closed]}), workload(['logs'], {securityGroupIds: []}))
    expect(f).toEqual(
      logsFinding({
        problems: [{code: 'SG_BLOCKS_443', detail: `none of vpce-logs's security groups (sg-endpoints) admits TCP 443 from task subnet(s) subnet-a (10.0.1.0/24), subnet-b (10.0.2.0/24): ${LOGS_SYMPTOM}`}],
        fix: [
          'aws ec2 authorize-security-group-ingress --region eu-west-1 --group-id sg-endpoints --protocol tcp --port 443 --cidr 10.0.1.0/24',
          'aws ec2 authorize-security-group-ingress --region eu-west-1 --group-id sg-endpoints --protocol tcp --port 443 --cidr 10.0.2.0/24',
        ].join('\n'),
      }),
    )
  })

  it('with task security groups: names them; behind a NAT with private DNS off it is a warning that says the NAT carries the traffic', () => {
    const f = logsOf(healthyVpc({...behindNat, securityGroups: [taskSg, closed], endpoints: [interfaceEndpoint('logs', {PrivateDnsEnabled: false})]}))
    expect(f).toEqual(
      logsFinding({
        severity: 'warning',
        problems: [
          {code: 'PRIVATE_DNS_DISABLED', detail: `vpce-logs has private DNS disabled: logs.eu-west-1.amazonaws.com resolves to public addresses, so tasks do not use the endpoint; ${VIA_NAT}`},
          {code: 'SG_BLOCKS_443', detail: `none of vpce-logs's security groups (sg-endpoints) admits TCP 443 from task security group(s) sg-task: ${VIA_NAT}`},
        ],
        fix: 'aws ec2 modify-vpc-endpoint --region eu-west-1 --vpc-endpoint-id vpce-logs --private-dns-enabled\naws ec2 authorize-security-group-ingress --region eu-west-1 --group-id sg-endpoints --protocol tcp --port 443 --source-group sg-task',
      }),
    )
  })

  it('an endpoint without security groups says "none"', () => {
    const f = logsOf(healthyVpc({endpoints: [interfaceEndpoint('logs', {Groups: []})]}))
    expect(f.problems).toEqual([{code: 'SG_BLOCKS_443', detail: `none of vpce-logs's security groups (none) admits TCP 443 from task security group(s) sg-task: ${LOGS_SYMPTOM}`}])
  })
})

describe('SG_UNVERIFIED: why the security groups cannot be judged', () => {
  const unverified = (why: string) => logsFinding({status: 'unknown', severity: 'warning', problems: [{code: 'SG_UNVERIFIED', detail: `whether vpce-logs admits TCP 443 from the tasks cannot be told: ${why}`}]})

  it('names only the groups that are not visible', () => {
    const vpc = healthyVpc({endpoints: [interfaceEndpoint('logs', {Groups: [{GroupId: 'sg-endpoints'}, {GroupId: 'sg-hub'}, {GroupId: 'sg-hub2'}]})]})
    expect(logsOf(vpc)).toEqual(unverified('security group(s) sg-hub, sg-hub2 of vpce-logs are not visible from this account'))
  })

  it('names each prefix list once', () => {
    const byPrefixList = {
      ...endpointSg,
      IpPermissions: [
        {IpProtocol: 'tcp', FromPort: 443, ToPort: 443, PrefixListIds: [{PrefixListId: 'pl-1'}, {PrefixListId: 'pl-2'}]},
        {IpProtocol: 'tcp', FromPort: 443, ToPort: 443, PrefixListIds: [{PrefixListId: 'pl-1'}]},
        {IpProtocol: 'tcp', FromPort: 22, ToPort: 22, PrefixListIds: [{PrefixListId: 'pl-ssh'}]},
      ],
    }
    expect(logsOf(healthyVpc({securityGroups: [taskSg, byPrefixList]}))).toEqual(unverified('a rule of sg-endpoints admits a prefix list (pl-1, pl-2), whose entries are not read'))
  })

  it('asks for --security-groups when a rule names groups and the task groups are not known', () => {
    expect(logsOf(healthyVpc(), workload(['logs'], {securityGroupIds: []}))).toEqual(unverified("a rule of sg-endpoints admits security groups, and the tasks' security groups are not known (pass --security-groups)"))
  })
})

describe('NOT_AVAILABLE: the state, the error and what to do', () => {
  it('pendingAcceptance: the service owner must accept it', () => {
    const f = logsOf(healthyVpc({endpoints: [interfaceEndpoint('logs', {State: 'pendingAcceptance' as never})]}))
    expect(f).toEqual(logsFinding({problems: [{code: 'NOT_AVAILABLE', detail: `vpce-logs is pendingAcceptance: ${NO_ROUTE}${LOGS_SYMPTOM}`}], fix: '# the endpoint service owner must accept vpce-logs'}))
  })

  it('failed with an error message behind a NAT: a warning quoting the error, with a describe command', () => {
    const f = logsOf(healthyVpc({...behindNat, endpoints: [interfaceEndpoint('logs', {State: 'failed' as never, LastError: {Code: 'x', Message: 'quota exceeded'}})]}))
    expect(f).toEqual(
      logsFinding({severity: 'warning', problems: [{code: 'NOT_AVAILABLE', detail: `vpce-logs is failed (quota exceeded): ${VIA_NAT}`}], fix: 'aws ec2 describe-vpc-endpoints --region eu-west-1 --vpc-endpoint-ids vpce-logs'}),
    )
  })

  it('no state at all: "in an unknown state"', () => {
    const f = logsOf(healthyVpc({...behindNat, endpoints: [interfaceEndpoint('logs', {State: undefined})]}))
    expect(f.problems).toEqual([{code: 'NOT_AVAILABLE', detail: `vpce-logs is in an unknown state: ${VIA_NAT}`}])
  })

  it('of two endpoints for the service, the available one (any case) is audited', () => {
    const vpc = healthyVpc({endpoints: [interfaceEndpoint('logs', {State: 'failed' as never}), interfaceEndpoint('logs', {VpcEndpointId: 'vpce-logs2', State: 'Available' as never})]})
    expect(logsOf(vpc)).toEqual(logsFinding({status: 'ok', severity: 'info', endpointId: 'vpce-logs2'}))
    // The other one is not listed as unused: it serves a needed service.
    expect(auditVpc(vpc, [workload(['logs'])]).report.findings.map((f) => [f.service, f.status])).toEqual([['logs', 'ok']])
  })
})

describe('VPC DNS attributes', () => {
  it('both off behind a NAT: a warning naming both, with one command each', () => {
    const f = logsOf(healthyVpc({...behindNat, dnsSupport: false, dnsHostnames: false}))
    expect(f).toEqual(
      logsFinding({
        severity: 'warning',
        problems: [{code: 'VPC_DNS_DISABLED', detail: `vpc-0app has enableDnsSupport and enableDnsHostnames off: private DNS names do not resolve to the endpoint; ${VIA_NAT}`}],
        fix: `aws ec2 modify-vpc-attribute --region eu-west-1 --vpc-id vpc-0app --enable-dns-support '{"Value":true}'\naws ec2 modify-vpc-attribute --region eu-west-1 --vpc-id vpc-0app --enable-dns-hostnames '{"Value":true}'`,
      }),
    )
  })

  it('only enableDnsSupport off: an error naming it alone', () => {
    const f = logsOf(healthyVpc({dnsSupport: false}))
    expect(f).toEqual(
      logsFinding({
        problems: [{code: 'VPC_DNS_DISABLED', detail: `vpc-0app has enableDnsSupport off: private DNS names do not resolve to the endpoint; ${NO_ROUTE}${LOGS_SYMPTOM}`}],
        fix: `aws ec2 modify-vpc-attribute --region eu-west-1 --vpc-id vpc-0app --enable-dns-support '{"Value":true}'`,
      }),
    )
  })

  const UNREAD = {code: 'VPC_DNS_UNVERIFIED', detail: 'the DNS attributes of vpc-0app could not be read (UnauthorizedOperation): whether enableDnsSupport and enableDnsHostnames are on, which private DNS needs, is not checked; allow ec2:DescribeVpcAttribute to check it'}
  const DESCRIBE = 'aws ec2 describe-vpc-attribute --region eu-west-1 --vpc-id vpc-0app --attribute enableDnsSupport\naws ec2 describe-vpc-attribute --region eu-west-1 --vpc-id vpc-0app --attribute enableDnsHostnames'

  it('one attribute unread: unknown (a warning) with the commands to read them', () => {
    expect(logsOf(healthyVpc({dnsHostnames: undefined, dnsError: 'UnauthorizedOperation'}))).toEqual(logsFinding({status: 'unknown', severity: 'warning', problems: [UNREAD], fix: DESCRIBE}))
    const central = healthyVpc({endpoints: [], dnsSupport: undefined, dnsError: 'UnauthorizedOperation', hostedZones: [{id: 'Z-LOGS', name: 'logs.eu-west-1.amazonaws.com'}]})
    expect(logsOf(central)).toEqual(logsFinding({status: 'unknown', severity: 'warning', endpointId: null, provider: 'central', hostedZoneId: 'Z-LOGS', problems: [UNREAD], fix: DESCRIBE}))
  })

  it('both attributes read despite an error: nothing to report; an endpoint with private DNS off does not need them checked', () => {
    expect(logsOf(healthyVpc({dnsError: 'UnauthorizedOperation'}))).toEqual(logsFinding({status: 'ok', severity: 'info'}))
    const f = logsOf(healthyVpc({endpoints: [interfaceEndpoint('logs', {PrivateDnsEnabled: false})], dnsHostnames: undefined, dnsError: 'UnauthorizedOperation'}))
    expect(f.problems.map((p) => p.code)).toEqual(['PRIVATE_DNS_DISABLED'])
  })
})

describe('the route the tasks have, in the detail', () => {
  it('S3_INTERFACE_ONLY names every S3 interface endpoint; behind a NAT a warning', () => {
    const vpc = healthyVpc({...behindNat, endpoints: [interfaceEndpoint('s3', {VpcEndpointId: 'vpce-s3if'}), interfaceEndpoint('s3', {VpcEndpointId: 'vpce-s3if2'})]})
    expect(find(auditVpc(vpc, [workload(['s3'])]).report.findings, 's3')).toEqual({
      service: 's3',
      endpointService: 'com.amazonaws.eu-west-1.s3',
      type: 'Gateway',
      requiredBy: ['container app: s3'],
      status: 'misconfigured',
      severity: 'warning',
      endpointId: 'vpce-s3if',
      provider: 'vpc',
      problems: [{code: 'S3_INTERFACE_ONLY', detail: `vpc-0app has an S3 interface endpoint (vpce-s3if, vpce-s3if2) but no S3 gateway endpoint: ECR image layers are only served through the gateway; ${VIA_NAT}`}],
      fix: 'aws ec2 create-vpc-endpoint --region eu-west-1 --vpc-id vpc-0app --vpc-endpoint-type Gateway --service-name com.amazonaws.eu-west-1.s3 --route-table-ids rtb-nat',
    })
  })

  it('an interface endpoint of another service is no S3 interface endpoint: S3 is missing', () => {
    const f = find(auditVpc(healthyVpc({endpoints: [interfaceEndpoint('logs')]}), [workload(['s3'])]).report.findings, 's3')
    expect(f.problems.map((p) => p.code)).toEqual(['MISSING'])
  })

  it('one task subnet with an unseen route table: a warning naming that subnet only', () => {
    const onlyA: RouteTable = {...privateTable, Associations: [{SubnetId: 'subnet-a'}]}
    const f = logsOf(healthyVpc({routeTables: [onlyA], endpoints: []}))
    expect(f).toEqual(
      logsFinding({
        status: 'missing',
        severity: 'warning',
        endpointId: null,
        provider: null,
        problems: [
          {
            code: 'MISSING',
            detail: `no interface endpoint for com.amazonaws.eu-west-1.logs in vpc-0app: the route table of subnet(s) subnet-b is not visible (a subnet shared through AWS RAM: its owner's route tables cannot be described), so whether a NAT carries this traffic is unknown; without one, ${LOGS_SYMPTOM}`,
          },
        ],
        fix: [NEW_SG, 'aws ec2 authorize-security-group-ingress --region eu-west-1 --group-id <endpoint-sg-id> --protocol tcp --port 443 --source-group sg-task', CREATE_LOGS].join('\n'),
      }),
    )
  })

  it('an internet gateway without a public IP: an error that says why the internet gateway does not help', () => {
    const igw: RouteTable = {...privateTable, Routes: [{DestinationCidrBlock: '0.0.0.0/0', GatewayId: 'igw-1'}]}
    const f = logsOf(healthyVpc({endpoints: [], routeTables: [igw]}), workload(['logs'], {assignPublicIp: false}))
    expect(f.severity).toBe('error')
    expect(f.problems).toEqual([
      {code: 'MISSING', detail: `no interface endpoint for com.amazonaws.eu-west-1.logs in vpc-0app: no NAT route, and the internet gateway route is of no use to tasks without a public IP (assignPublicIp DISABLED): ${LOGS_SYMPTOM}`},
    ])
    // With a public IP the same route carries the traffic.
    expect(logsOf(healthyVpc({endpoints: [], routeTables: [igw]}), workload(['logs'], {assignPublicIp: true})).problems[0]!.detail).toBe(`no interface endpoint for com.amazonaws.eu-west-1.logs in vpc-0app: ${VIA_NAT}`)
  })

  it('S3 gateway with no route table visible: unknown route, no fix to add tables it cannot name', () => {
    const f = find(auditVpc(healthyVpc({routeTables: [], endpoints: [s3Gateway()]}), [workload(['s3'])]).report.findings, 's3')
    expect(f).toEqual({
      service: 's3',
      endpointService: 'com.amazonaws.eu-west-1.s3',
      type: 'Gateway',
      requiredBy: ['container app: s3'],
      status: 'misconfigured',
      severity: 'warning',
      endpointId: 'vpce-s3gw',
      provider: 'vpc',
      problems: [
        {
          code: 'ROUTE_TABLE_NOT_ASSOCIATED',
          detail: `vpce-s3gw is not on the route table of task subnet(s) subnet-a → ? (main route table: no explicit association), subnet-b → ? (main route table: no explicit association): the route table of subnet(s) subnet-a, subnet-b is not visible (a subnet shared through AWS RAM: its owner's route tables cannot be described), so whether a NAT carries this traffic is unknown; without one, ${S3_SYMPTOM}`,
        },
      ],
    })
    const missing = find(auditVpc(healthyVpc({routeTables: [], endpoints: []}), [workload(['s3'])]).report.findings, 's3')
    expect(missing.fix).toBe('aws ec2 create-vpc-endpoint --region eu-west-1 --vpc-id vpc-0app --vpc-endpoint-type Gateway --service-name com.amazonaws.eu-west-1.s3 --route-table-ids <route-table-ids>')
  })

  it('a missing interface endpoint for tasks without security groups: the new group admits each task subnet it knows', () => {
    const f = logsOf(healthyVpc({endpoints: [s3Gateway()]}), workload(['logs'], {securityGroupIds: [], subnetIds: ['subnet-a', 'subnet-x', 'subnet-b']}))
    expect(f.fix).toBe(
      [
        NEW_SG,
        'aws ec2 authorize-security-group-ingress --region eu-west-1 --group-id <endpoint-sg-id> --protocol tcp --port 443 --cidr 10.0.1.0/24',
        'aws ec2 authorize-security-group-ingress --region eu-west-1 --group-id <endpoint-sg-id> --protocol tcp --port 443 --cidr 10.0.2.0/24',
        'aws ec2 create-vpc-endpoint --region eu-west-1 --vpc-id vpc-0app --vpc-endpoint-type Interface --service-name com.amazonaws.eu-west-1.logs --subnet-ids subnet-a subnet-x subnet-b --security-group-ids <endpoint-sg-id> --private-dns-enabled',
      ].join('\n'),
    )
  })
})

describe('zoneServing: wildcard private DNS names', () => {
  it('matches the zone under the wildcard in any case and with a trailing dot; a wildcard in the middle matches one label', () => {
    expect(zoneServing('*.dkr.ecr.eu-west-1.amazonaws.com.', [{id: 'Z2', name: 'DKR.ecr.eu-west-1.amazonaws.com.'}])?.id).toBe('Z2')
    expect(zoneServing('*.dkr.ecr.eu-west-1.amazonaws.com', [{id: 'Z1', name: 'x.dkr.ecr.eu-west-1.amazonaws.com'}])).toBeUndefined()
    expect(zoneServing('a.*.example.com', [{id: 'Z3', name: 'example.com'}])).toBeUndefined()
    expect(zoneServing('a.*.example.com', [{id: 'Z4', name: 'a.b.example.com'}])?.id).toBe('Z4')
    expect(zoneServing('a.*.example.com', [{id: 'Z5', name: 'a.b.c.example.com'}])).toBeUndefined()
  })
})

describe('several workloads: one finding per endpoint', () => {
  const vpc = healthyVpc({endpoints: [interfaceEndpoint('logs', {SubnetIds: ['subnet-a']})]})
  const api = workload(['logs'], {name: 'api', subnetIds: ['subnet-a']})
  const worker = workload(['logs'], {name: 'worker', subnetIds: ['subnet-b']})
  const batch = workload(['logs'], {name: 'batch', subnetIds: ['subnet-c']})
  const notCovered = (subnet: string, az: string) => ({code: 'AZ_NOT_COVERED', detail: `vpce-logs has no subnet in ${az} where task subnet(s) ${subnet} are: those tasks cross AZs to reach it (cross-AZ charges, and lost if that AZ fails)`})
  const addSubnet = (subnet: string) => `aws ec2 modify-vpc-endpoint --region eu-west-1 --vpc-endpoint-id vpce-logs --add-subnet-ids ${subnet}`

  it('a problem seen first keeps the finding misconfigured when a later workload is fine; each problem and fix is listed once', () => {
    const {report} = auditVpc(vpc, [worker, api, {...worker, name: 'worker-2'}, batch])
    expect(find(report.findings, 'logs')).toEqual(
      logsFinding({
        severity: 'warning',
        requiredBy: ['worker: container app: logs', 'api: container app: logs', 'worker-2: container app: logs', 'batch: container app: logs'],
        problems: [notCovered('subnet-b', 'eu-west-1b'), notCovered('subnet-c', 'eu-west-1c')],
        fix: `${addSubnet('subnet-b')}\n${addSubnet('subnet-c')}`,
      }),
    )
  })

  it('a fix first brought by a later workload is kept; healthy workloads give no fix at all', () => {
    expect(find(auditVpc(vpc, [api, worker]).report.findings, 'logs')).toEqual(
      logsFinding({severity: 'warning', requiredBy: ['api: container app: logs', 'worker: container app: logs'], problems: [notCovered('subnet-b', 'eu-west-1b')], fix: addSubnet('subnet-b')}),
    )
    const healthy = find(auditVpc(vpc, [api, {...api, name: 'api-2'}]).report.findings, 'logs')
    expect(healthy).toEqual(logsFinding({status: 'ok', severity: 'info', requiredBy: ['api: container app: logs', 'api-2: container app: logs']}))
    expect('fix' in healthy).toBe(false)
  })

  it('the worse status and severity win whichever workload comes first', () => {
    const closed = {...endpointSg, IpPermissions: [{IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{CidrIp: '10.0.1.0/24'}]}]}
    const sgVpc = healthyVpc({securityGroups: [taskSg, closed], endpoints: [interfaceEndpoint('logs', {SubnetIds: ['subnet-a', 'subnet-b']})]})
    const byCidr = (name: string, subnet: string) => workload(['logs'], {name, subnetIds: [subnet], securityGroupIds: []})
    for (const order of [[byCidr('b', 'subnet-b'), byCidr('a', 'subnet-a')], [byCidr('a', 'subnet-a'), byCidr('b', 'subnet-b')]]) {
      const f = find(auditVpc(sgVpc, order).report.findings, 'logs')
      expect([f.status, f.severity, f.problems.map((p) => p.code)]).toEqual(['misconfigured', 'error', ['SG_BLOCKS_443']])
    }
  })
})

describe('POLICY_RESTRICTIVE wording', () => {
  const DENY_LOGS = JSON.stringify({Statement: [{Effect: 'Allow', Principal: '*', Action: '*', Resource: '*'}, {Sid: 'NoLogs', Effect: 'Deny', Principal: '*', Action: 'logs:Put*', Resource: '*'}]})

  it('without a NAT: the symptom itself, with the fixed policy', () => {
    const f = logsOf(healthyVpc({endpoints: [interfaceEndpoint('logs', {PolicyDocument: DENY_LOGS})]}))
    expect(f.problems).toEqual([{code: 'POLICY_RESTRICTIVE', detail: `vpce-logs's endpoint policy blocks logs:PutLogEvents (denied by statement "NoLogs"): ${LOGS_SYMPTOM}`}])
  })

  it('traffic around the endpoint (private DNS off, behind a NAT): a warning saying so', () => {
    const f = logsOf(healthyVpc({...behindNat, endpoints: [interfaceEndpoint('logs', {PolicyDocument: DENY_LOGS, PrivateDnsEnabled: false})]}))
    expect(f.problems[1]).toEqual({code: 'POLICY_RESTRICTIVE', detail: `vpce-logs's endpoint policy blocks logs:PutLogEvents (denied by statement "NoLogs"): ${VIA_NAT}`})
  })
})

describe('securityGroupsAdmit: which rules admit the tasks', () => {
  const rule = (extra: object) => [{IpPermissions: [{IpProtocol: 'tcp', FromPort: 443, ToPort: 443, ...extra}]}]

  it('one of several groups named in a rule is enough', () => {
    expect(securityGroupsAdmit(rule({UserIdGroupPairs: [{GroupId: 'sg-other'}, {GroupId: 'sg-task'}]}), ['sg-task'], [subnetA])).toBe(true)
  })

  it('an address range without a CIDR, or a subnet without one, admits nothing', () => {
    expect(securityGroupsAdmit(rule({IpRanges: [{Description: 'no cidr'}]}), ['sg-task'], [subnetA])).toBe(false)
    expect(securityGroupsAdmit(rule({IpRanges: [{CidrIp: '10.0.0.0/16'}]}), ['sg-task'], [{...subnetA, CidrBlock: undefined}])).toBe(false)
  })

  it('IPv6 ranges count only for an endpoint that answers over IPv6, and only when they cover the subnet\'s IPv6 CIDR', () => {
    const v6 = {...subnetA, CidrBlock: '10.9.0.0/24', Ipv6CidrBlockAssociationSet: [{Ipv6CidrBlock: '2001:db8:0:1::/64'}]}
    const groups = rule({Ipv6Ranges: [{CidrIpv6: '2001:db8::/56'}, {Description: 'no cidr'}]})
    expect(securityGroupsAdmit(groups, ['sg-task'], [v6], {ipv6: true})).toBe(true)
    expect(securityGroupsAdmit(groups, ['sg-task'], [v6])).toBe(false)
    expect(securityGroupsAdmit(rule({Ipv6Ranges: [{CidrIpv6: '2001:db9::/56'}]}), ['sg-task'], [v6], {ipv6: true})).toBe(false)
    expect(securityGroupsAdmit(groups, ['sg-task'], [{...v6, Ipv6CidrBlockAssociationSet: [{}]}], {ipv6: true})).toBe(false)
  })

  it('without task subnets an address rule proves nothing: false when the task groups are known, undefined when not', () => {
    expect(securityGroupsAdmit(rule({IpRanges: [{CidrIp: '0.0.0.0/0'}]}), ['sg-task'], [])).toBe(false)
    expect(securityGroupsAdmit(rule({IpRanges: [{CidrIp: '0.0.0.0/0'}]}), [], [])).toBeUndefined()
  })

  it('a rule for other protocols or ports does not count', () => {
    expect(securityGroupsAdmit([{IpPermissions: [{IpProtocol: 'udp', FromPort: 443, ToPort: 443, IpRanges: [{CidrIp: '10.0.0.0/16'}]}]}], [], [subnetA])).toBe(false)
    expect(securityGroupsAdmit([{IpPermissions: [{IpProtocol: '6', FromPort: 444, ToPort: 500, IpRanges: [{CidrIp: '10.0.0.0/16'}]}]}], [], [subnetA])).toBe(false)
    expect(securityGroupsAdmit([{IpPermissions: [{IpProtocol: '6', IpRanges: [{CidrIp: '10.0.0.0/16'}]}]}], [], [subnetA])).toBe(true)
  })
})

describe('route tables and default routes', () => {
  const table = (route: object): RouteTable => ({RouteTableId: 'rtb-x', Routes: [{DestinationCidrBlock: '0.0.0.0/0', ...route}]})

  it('routeTableOf: tables without associations are skipped; the main table is the one marked Main', () => {
    const bare: RouteTable = {RouteTableId: 'rtb-bare'}
    const explicitAndMain: RouteTable = {RouteTableId: 'rtb-both', Associations: [{SubnetId: 'subnet-q'}, {Main: true}]}
    expect(routeTableOf({routeTables: [bare, privateTable, mainTable]}, 'subnet-a')).toEqual({table: privateTable, main: false})
    expect(routeTableOf({routeTables: [bare, explicitAndMain]}, 'subnet-z')).toEqual({table: explicitAndMain, main: true})
    expect(routeTableOf({routeTables: [bare]}, 'subnet-z')).toEqual({table: undefined, main: true})
  })

  it('internetRouteOf: no routes is none; an igw- gateway is igw, a virtual private gateway is none', () => {
    expect(internetRouteOf({RouteTableId: 'rtb-empty'})).toBe('none')
    expect(internetRouteOf(table({GatewayId: 'igw-1'}))).toBe('igw')
    expect(internetRouteOf(table({GatewayId: 'vgw-1'}))).toBe('none')
  })

  it('isPrivateNat: only the NAT gateway named, and only when it is private', () => {
    const nats = [{NatGatewayId: 'nat-priv', ConnectivityType: 'private' as const}, {NatGatewayId: 'nat-pub', ConnectivityType: 'public' as const}]
    expect(isPrivateNat('nat-priv', nats)).toBe(true)
    expect(isPrivateNat('nat-pub', nats)).toBe(false)
    expect(isPrivateNat('nat-other', nats)).toBe(false)
    expect(isPrivateNat(undefined, [{ConnectivityType: 'private'}])).toBe(false)
  })

  it('otherDefaultRoute: public NAT, NAT instance and internet gateway are no "elsewhere"; a private NAT or a virtual gateway is', () => {
    const nats = [{NatGatewayId: 'nat-priv', ConnectivityType: 'private' as const}]
    expect(otherDefaultRoute(table({NatGatewayId: 'nat-pub'}), nats)).toBeUndefined()
    expect(otherDefaultRoute(table({InstanceId: 'i-1'}))).toBeUndefined()
    expect(otherDefaultRoute(table({GatewayId: 'igw-1'}))).toBeUndefined()
    expect(otherDefaultRoute(table({NatGatewayId: 'nat-priv'}), nats)).toBe('private NAT gateway nat-priv, which cannot reach the internet itself')
    expect(otherDefaultRoute(table({GatewayId: 'vgw-1'}))).toBe('vgw-1')
    expect(otherDefaultRoute(table({VpcPeeringConnectionId: 'pcx-1'}))).toBe('pcx-1')
    expect(otherDefaultRoute({RouteTableId: 'rtb-empty'})).toBeUndefined()
  })

  it('a workload whose subnets are not known has no route: a missing endpoint is an error', () => {
    const f = logsOf(healthyVpc({endpoints: []}), workload(['logs'], {subnetIds: []}))
    expect([f.status, f.severity]).toEqual(['missing', 'error'])
  })

  it('a task subnet not in the snapshot is listed in an unknown AZ', () => {
    const {report} = auditVpc(healthyVpc(), [workload(['logs'], {subnetIds: ['subnet-gone']})])
    expect(report.subnets).toEqual([{subnetId: 'subnet-gone', availabilityZone: 'unknown', internetRoute: 'none'}])
  })
})

describe('the create commands for a missing interface endpoint', () => {
  it('reuses no gateway endpoint\'s group, nor a group that does not admit the tasks', () => {
    const closed = {...endpointSg, GroupId: 'sg-closed', IpPermissions: []}
    const vpc = healthyVpc({securityGroups: [taskSg, endpointSg, closed], endpoints: [interfaceEndpoint('ecr.api', {Groups: [{GroupId: 'sg-closed'}, {GroupId: 'sg-unseen'}]}), s3Gateway({Groups: [{GroupId: 'sg-endpoints'}]} as never)]})
    const f = logsOf(vpc)
    expect(f.fix!.split('\n')[0]).toBe(NEW_SG)
  })

  it('reuses a group admitting the task subnets by CIDR, judged on the subnets it knows', () => {
    const byCidr = {...endpointSg, IpPermissions: [{IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{CidrIp: '10.0.0.0/16'}]}]}
    const vpc = healthyVpc({securityGroups: [taskSg, byCidr], endpoints: [interfaceEndpoint('ecr.api')]})
    expect(logsOf(vpc, workload(['logs'], {securityGroupIds: [], subnetIds: ['subnet-a', 'subnet-x']})).fix).toBe(
      'aws ec2 create-vpc-endpoint --region eu-west-1 --vpc-id vpc-0app --vpc-endpoint-type Interface --service-name com.amazonaws.eu-west-1.logs --subnet-ids subnet-a subnet-x --security-group-ids sg-endpoints --private-dns-enabled',
    )
  })
})
