import type {SecurityGroup, Subnet} from '@aws-sdk/client-ec2'
import {describe, expect, it} from 'vitest'

import {auditVpc, securityGroupsAdmit} from '../../src/endpoints/audit.js'
import {cidr6Contains} from '../../src/endpoints/cidr.js'
import {evaluatePolicy} from '../../src/endpoints/policy.js'
import type {Finding} from '../../src/endpoints/types.js'
import {healthyVpc, interfaceEndpoint, natTable, s3Gateway, subnetA, subnetB, workload} from './fixtures.js'

const LOGS = {actions: ['logs:CreateLogStream', 'logs:PutLogEvents']}
const LAYERS = {actions: ['s3:GetObject'], resource: 'arn:aws:s3:::prod-eu-west-1-starport-layer-bucket/*'}
const policy = (...Statement: object[]) => JSON.stringify({Version: '2012-10-17', Statement})
const allowAll = {Effect: 'Allow', Principal: '*', Action: '*', Resource: '*'}
const find = (findings: Finding[], service: string) => findings.find((f) => f.service === service)!

describe('evaluatePolicy: blocked, unknown or allowed, never guessed', () => {
  it('an unconditional Deny for everyone blocks, also through NotAction', () => {
    const v = evaluatePolicy(policy(allowAll, {Sid: 'OnlyEcr', Effect: 'Deny', Principal: '*', NotAction: 'ecr:*', Resource: '*'}), LOGS)
    expect(v.blocked.map((b) => b.why)).toEqual(['denied by statement "OnlyEcr"', 'denied by statement "OnlyEcr"'])
    expect(JSON.parse(v.fixedPolicy!).Statement.map((s: {Sid?: string}) => s.Sid)).toEqual([undefined, 'AllowEcsTasks'])
  })

  it('a Deny with a Condition, a specific Principal or a NotPrincipal is unknown, not ignored', () => {
    const conditional = evaluatePolicy(policy(allowAll, {Sid: 'OrgOnly', Effect: 'Deny', Principal: '*', Action: '*', Resource: '*', Condition: {StringNotEquals: {'aws:PrincipalOrgID': 'o-1'}}}), LOGS)
    expect(conditional.blocked).toEqual([])
    expect(conditional.unknown.map((u) => u.action)).toEqual(LOGS.actions)
    expect(conditional.unknown[0]!.why).toContain('Deny statement "OrgOnly" may apply')
    expect(conditional.unknown[0]!.why).toContain('aws:PrincipalOrgID')
    expect(conditional.fixedPolicy).toBeUndefined()
    const named = evaluatePolicy(policy(allowAll, {Effect: 'Deny', Principal: {AWS: 'arn:aws:iam::1:role/x'}, Action: 'logs:*', Resource: '*'}), LOGS)
    expect(named.unknown[0]!.why).toContain('Deny statement 2 may apply: its Principal is {"AWS":"arn:aws:iam::1:role/x"}')
    const notPrincipal = evaluatePolicy(policy(allowAll, {Effect: 'Deny', NotPrincipal: {AWS: 'arn:aws:iam::1:root'}, Action: '*', Resource: '*'}), LOGS)
    expect(notPrincipal.unknown[0]!.why).toContain('NotPrincipal')
  })

  it('an Allow only for specific principals or under a condition is unknown', () => {
    const v = evaluatePolicy(policy({Effect: 'Allow', Principal: {AWS: ['arn:aws:iam::1:role/exec']}, Action: 'logs:*', Resource: '*'}), LOGS)
    expect(v.blocked).toEqual([])
    expect(v.unknown[0]!.why).toContain('only Allow statement 1 may apply')
    const c = evaluatePolicy(policy({Effect: 'Allow', Principal: '*', Action: 'logs:*', Resource: '*', Condition: {StringEquals: {'aws:SourceVpc': 'vpc-1'}}}), LOGS)
    expect(c.unknown).toHaveLength(2)
  })

  it('{"AWS": "*"} is everyone; an Allow for everyone next to a conditional one is enough', () => {
    expect(evaluatePolicy(policy({Effect: 'Allow', Principal: {AWS: '*'}, Action: 'logs:*', Resource: '*'}), LOGS)).toEqual({blocked: [], unknown: []})
    expect(evaluatePolicy(policy({Effect: 'Allow', Principal: '*', Action: 'logs:*', Resource: '*', Condition: {Bool: {'aws:SecureTransport': 'true'}}}, allowAll), LOGS)).toEqual({blocked: [], unknown: []})
  })

  it('wildcard resources: matched against a known resource, unknown when ECS\'s resource is not known', () => {
    expect(evaluatePolicy(policy({Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::prod-*-starport-layer-bucket/*'}), LAYERS)).toEqual({blocked: [], unknown: []})
    expect(evaluatePolicy(policy({Effect: 'Allow', Principal: '*', Action: 's3:*', Resource: 'arn:aws:s3:::other/*'}), LAYERS).blocked[0]!.why).toBe('not allowed by any statement')
    expect(evaluatePolicy(policy(allowAll, {Effect: 'Deny', Principal: '*', Action: 's3:*', NotResource: 'arn:aws:s3:::prod-eu-west-1-starport-layer-bucket/*'}), LAYERS)).toEqual({blocked: [], unknown: []})
    const narrow = evaluatePolicy(policy({Effect: 'Allow', Principal: '*', Action: 'logs:*', Resource: 'arn:aws:logs:eu-west-1:1:log-group:/ecs/*'}), LOGS)
    expect(narrow.unknown[0]!.why).toContain('limited to Resource arn:aws:logs:eu-west-1:1:log-group:/ecs/*')
    const deny = evaluatePolicy(policy(allowAll, {Effect: 'Deny', Principal: '*', Action: 'logs:*', Resource: 'arn:aws:logs:*:*:log-group:secret*'}), LOGS)
    expect(deny.blocked).toEqual([])
    expect(deny.unknown).toHaveLength(2)
  })

  it('an unreadable policy is unknown; no policy is full access', () => {
    expect(evaluatePolicy('{not json', LOGS).unknown).toHaveLength(2)
    expect(evaluatePolicy(undefined, LOGS)).toEqual({blocked: [], unknown: []})
  })
})

describe('auditVpc: what cannot be verified is said, as unknown', () => {
  it('POLICY_UNVERIFIED: a conditional Deny makes the endpoint unknown (warning), with how to read the policy', () => {
    const doc = policy(allowAll, {Effect: 'Deny', Principal: '*', Action: '*', Resource: '*', Condition: {StringNotEquals: {'aws:PrincipalOrgID': 'o-1'}}})
    const f = find(auditVpc(healthyVpc({endpoints: [interfaceEndpoint('logs', {PolicyDocument: doc})]}), [workload(['logs'])]).report.findings, 'logs')
    expect(f).toMatchObject({status: 'unknown', severity: 'warning', endpointId: 'vpce-logs'})
    expect(f.problems.map((p) => p.code)).toEqual(['POLICY_UNVERIFIED'])
    expect(f.problems[0]!.detail).toContain('may block logs:CreateLogStream')
    expect(f.fix).toContain('describe-vpc-endpoints --region eu-west-1 --vpc-endpoint-ids vpce-logs')
  })

  it('a sure problem next to an unverified one makes it misconfigured', () => {
    const doc = policy({Effect: 'Allow', Principal: {AWS: 'arn:aws:iam::1:role/x'}, Action: '*', Resource: '*'})
    const f = find(auditVpc(healthyVpc({endpoints: [interfaceEndpoint('logs', {PolicyDocument: doc, PrivateDnsEnabled: false})]}), [workload(['logs'])]).report.findings, 'logs')
    expect(f.status).toBe('misconfigured')
    expect(f.problems.map((p) => p.code)).toEqual(['PRIVATE_DNS_DISABLED', 'POLICY_UNVERIFIED'])
  })

  it('VPC_DNS_UNVERIFIED when DescribeVpcAttribute was denied: the DNS check is not silently skipped', () => {
    const vpc = healthyVpc({dnsSupport: undefined, dnsHostnames: undefined, dnsError: 'UnauthorizedOperation: You are not authorized to perform this operation.'})
    const f = find(auditVpc(vpc, [workload(['logs'])]).report.findings, 'logs')
    expect(f).toMatchObject({status: 'unknown', severity: 'warning'})
    expect(f.problems[0]!.code).toBe('VPC_DNS_UNVERIFIED')
    expect(f.problems[0]!.detail).toContain('UnauthorizedOperation')
    expect(f.problems[0]!.detail).toContain('ec2:DescribeVpcAttribute')
    // The S3 gateway does not depend on DNS.
    expect(find(auditVpc(vpc, [workload(['s3'])]).report.findings, 's3').status).toBe('ok')
    // A central endpoint depends on it too.
    const central = healthyVpc({endpoints: [], dnsSupport: undefined, dnsError: 'UnauthorizedOperation', hostedZones: [{id: 'Z1', name: 'logs.eu-west-1.amazonaws.com'}]})
    expect(find(auditVpc(central, [workload(['logs'])]).report.findings, 'logs')).toMatchObject({status: 'unknown', provider: 'central', hostedZoneId: 'Z1'})
  })

  it('SG_UNVERIFIED when the endpoint admits security groups and the task groups are not known (--vpc without --security-groups)', () => {
    const f = find(auditVpc(healthyVpc(), [workload(['logs'], {securityGroupIds: []})]).report.findings, 'logs')
    expect(f.status).toBe('unknown')
    expect(f.problems.map((p) => p.code)).toEqual(['SG_UNVERIFIED'])
    expect(f.problems[0]!.detail).toContain('pass --security-groups')
  })
})

describe('security groups: referenced groups, prefix lists, IPv6, protocols, port ranges', () => {
  const v6Subnet: Subnet = {...subnetA, Ipv6CidrBlockAssociationSet: [{Ipv6CidrBlock: '2001:db8:0:1::/64'}]}
  const rule = (p: object): SecurityGroup[] => [{GroupId: 'sg-e', IpPermissions: [{IpProtocol: 'tcp', FromPort: 443, ToPort: 443, ...p}]}]

  it('IPv6 ranges admit the tasks only when the endpoint answers over IPv6', () => {
    const groups = rule({Ipv6Ranges: [{CidrIpv6: '2001:db8::/56'}]})
    expect(securityGroupsAdmit(groups, [], [v6Subnet], {ipv6: true})).toBe(true)
    expect(securityGroupsAdmit(groups, [], [v6Subnet])).toBe(false)
    expect(securityGroupsAdmit(rule({Ipv6Ranges: [{CidrIpv6: '::/0'}]}), [], [v6Subnet], {ipv6: true})).toBe(true)
    expect(securityGroupsAdmit(rule({Ipv6Ranges: [{CidrIpv6: '2001:db9::/56'}]}), [], [v6Subnet], {ipv6: true})).toBe(false)
  })

  it('protocol numbers, all traffic, port ranges that miss 443, other protocols', () => {
    expect(securityGroupsAdmit([{IpPermissions: [{IpProtocol: '6', FromPort: 1, ToPort: 65535, IpRanges: [{CidrIp: '0.0.0.0/0'}]}]}], [], [subnetA])).toBe(true)
    expect(securityGroupsAdmit([{IpPermissions: [{IpProtocol: '-1', IpRanges: [{CidrIp: '10.0.0.0/16'}]}]}], [], [subnetA, subnetB])).toBe(true)
    expect(securityGroupsAdmit(rule({FromPort: 444, ToPort: 8443, IpRanges: [{CidrIp: '0.0.0.0/0'}]}), [], [subnetA])).toBe(false)
    expect(securityGroupsAdmit([{IpPermissions: [{IpProtocol: 'udp', FromPort: 443, ToPort: 443, IpRanges: [{CidrIp: '0.0.0.0/0'}]}]}], [], [subnetA])).toBe(false)
  })

  it('a referenced group admits when it is one of the task groups; unknown task groups make it undecidable', () => {
    const groups = rule({UserIdGroupPairs: [{GroupId: 'sg-task', UserId: '111122223333'}]})
    expect(securityGroupsAdmit(groups, ['sg-other', 'sg-task'], [subnetA])).toBe(true)
    expect(securityGroupsAdmit(groups, ['sg-other'], [subnetA])).toBe(false)
    expect(securityGroupsAdmit(groups, [], [subnetA])).toBeUndefined()
  })

  it('a dual-stack endpoint admitting the IPv6 CIDR of the task subnets is not SG_BLOCKS_443', () => {
    const v6b: Subnet = {...subnetB, Ipv6CidrBlockAssociationSet: [{Ipv6CidrBlock: '2001:db8:0:2::/64'}]}
    const sg: SecurityGroup = {GroupId: 'sg-endpoints', VpcId: subnetA.VpcId, IpPermissions: [{IpProtocol: 'tcp', FromPort: 443, ToPort: 443, Ipv6Ranges: [{CidrIpv6: '2001:db8::/48'}]}]}
    const vpc = (type: 'dualstack' | 'ipv4') => healthyVpc({subnets: [v6Subnet, v6b], securityGroups: [sg], endpoints: [interfaceEndpoint('logs', {IpAddressType: type})]})
    expect(find(auditVpc(vpc('dualstack'), [workload(['logs'], {securityGroupIds: []})]).report.findings, 'logs').status).toBe('ok')
    expect(find(auditVpc(vpc('ipv4'), [workload(['logs'], {securityGroupIds: []})]).report.findings, 'logs').problems.map((p) => p.code)).toEqual(['SG_BLOCKS_443'])
  })

  it('cidr6Contains', () => {
    expect(cidr6Contains('2001:db8::/32', '2001:db8:ab::/48')).toBe(true)
    expect(cidr6Contains('2001:db8:ab::/48', '2001:db8::/32')).toBe(false)
    expect(cidr6Contains('::/0', '2600:1f18::/64')).toBe(true)
    expect(cidr6Contains('10.0.0.0/8', '2001:db8::/64')).toBe(false)
  })
})

describe('severity: an internet gateway serves only tasks with a public IP', () => {
  const igw = {...natTable(['subnet-a', 'subnet-b']), Routes: [{DestinationCidrBlock: '0.0.0.0/0', GatewayId: 'igw-1'}]}
  it('missing endpoint behind an internet gateway: warning with a public IP, error without one', () => {
    const vpc = healthyVpc({endpoints: [s3Gateway()], routeTables: [igw]})
    expect(find(auditVpc(vpc, [workload(['logs'], {assignPublicIp: true})]).report.findings, 'logs').severity).toBe('warning')
    const f = find(auditVpc(vpc, [workload(['logs'], {assignPublicIp: false})]).report.findings, 'logs')
    expect(f.severity).toBe('error')
    expect(f.problems[0]!.detail).toContain('assignPublicIp DISABLED')
    expect(f.problems[0]!.detail).toContain('failed to create Cloudwatch log stream')
    // A NAT gateway does not care about public IPs.
    const nat = healthyVpc({endpoints: [s3Gateway()], routeTables: [natTable(['subnet-a', 'subnet-b'])]})
    expect(find(auditVpc(nat, [workload(['logs'], {assignPublicIp: false})]).report.findings, 'logs').severity).toBe('warning')
  })
})

describe('needs: details the review added', () => {
  it('awslogs to another Region needs no endpoint here; FireLens config from S3 needs s3', async () => {
    const {requiredEndpoints} = await import('../../src/endpoints/needs.js')
    const needs = requiredEndpoints({
      region: 'eu-west-1',
      taskDefinition: {
        containerDefinitions: [
          {name: 'app', image: 'nginx:1', logConfiguration: {logDriver: 'awslogs', options: {'awslogs-group': '/ecs/app', 'awslogs-region': 'us-east-1'}}},
          {name: 'log_router', image: 'public.ecr.aws/aws-observability/aws-for-fluent-bit:stable', firelensConfiguration: {type: 'fluentbit', options: {'config-file-type': 's3', 'config-file-value': 'arn:aws:s3:::cfg/extra.conf'}}},
        ],
      },
    })
    expect(needs.map((n) => n.service)).toEqual(['s3'])
    expect(needs[0]!.reason).toBe('container log_router: firelensConfiguration config-file-value arn:aws:s3:::cfg/extra.conf')
  })

  it('--needs with a name ecsops does not know is a usage error (exit 2) with a did-you-mean and the known names, before any AWS call', async () => {
    const {EC2Client} = await import('@aws-sdk/client-ec2')
    const {checkEndpoints} = await import('../../src/endpoints/check.js')
    const {mockClient} = await import('aws-sdk-client-mock')
    const ec2 = mockClient(EC2Client)
    ec2.onAnyCommand().resolves({})
    const clients = {ecs: async () => ({}) as never, ec2: async () => new EC2Client({region: 'eu-west-1'}), route53: async () => ({send: async () => ({HostedZoneSummaries: []})}) as never}
    const error = await checkEndpoints(clients, {region: 'eu-west-1', network: {vpcId: 'vpc-0app', subnetIds: [], securityGroupIds: [], needs: ['secretmanager', 'logs', 'notaservice']}}).catch((e: unknown) => e)
    const calls = ec2.calls().length
    ec2.restore()
    expect(error).toMatchObject({exitCode: 2, code: 'UnknownNeed'})
    expect((error as Error).message).toContain('secretmanager (did you mean secretsmanager?)')
    expect((error as Error).message).toContain('notaservice (did you mean')
    expect((error as {hint: string}).hint).toMatch(/^Known names: ecr, exec, ecs-ec2, ecr\.api, /)
    expect(calls).toBe(0)
  })
})
