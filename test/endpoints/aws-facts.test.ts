/**
 * Rules that real AWS contradicted in review (issue 10): each case has the shape the AWS guide
 * documents, and fails if the rule goes back to what was assumed before.
 */
import {
  DescribeNatGatewaysCommand,
  DescribeRouteTablesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVpcAttributeCommand,
  DescribeVpcEndpointServicesCommand,
  DescribeVpcEndpointsCommand,
  EC2Client,
  type DescribeNatGatewaysCommandOutput,
  type DescribeVpcEndpointServicesCommandOutput,
  type NatGateway,
  type RouteTable,
} from '@aws-sdk/client-ec2'
import {mockClient} from 'aws-sdk-client-mock'
import {beforeEach, describe, expect, it} from 'vitest'

import {auditVpc, internetRouteOf} from '../../src/endpoints/audit.js'
import {candidateServiceNames, partitionOf, serviceKeyOf, starportLayerObjects} from '../../src/endpoints/catalog.js'
import {gatherNetworks} from '../../src/endpoints/gather.js'
import {checkEndpointsIam} from '../../src/endpoints/iam.js'
import type {Finding} from '../../src/endpoints/types.js'
import {execLoggingNeeds, requiredEndpoints} from '../../src/endpoints/needs.js'
import type {Workload} from '../../src/endpoints/snapshot.js'
import {itSendsOnlyDeclaredActions} from '../helpers/iam-coverage.js'
import {ACCOUNT, REGION, VPC, healthyVpc, interfaceEndpoint, mainTable, natTable, s3Gateway, subnetA, subnetB, workload} from './fixtures.js'

const find = (findings: Finding[], service: string) => {
  const f = findings.find((x) => x.service === service)
  if (!f) throw new Error(`no finding for ${service}`)
  return f
}
const codes = (f: Finding) => f.problems.map((p) => p.code)

describe('partitions', () => {
  it('names the partition of a Region', () => {
    expect(['eu-west-1', 'cn-north-1', 'cn-northwest-1', 'us-gov-west-1', 'us-iso-east-1', 'us-isob-east-1'].map(partitionOf)).toEqual(['aws', 'aws-cn', 'aws-cn', 'aws-us-gov', 'aws-iso', 'aws-iso-b'])
    expect(starportLayerObjects('cn-northwest-1')).toBe('arn:aws-cn:s3:::prod-cn-northwest-1-starport-layer-bucket/*')
  })

  it('asks for both name forms in China, one elsewhere, and reads either back to its key', () => {
    expect(candidateServiceNames('cn-north-1', 'ecr.dkr')).toEqual(['com.amazonaws.cn-north-1.ecr.dkr', 'cn.com.amazonaws.cn-north-1.ecr.dkr'])
    expect(candidateServiceNames(REGION, 'ecr.dkr')).toEqual([`com.amazonaws.${REGION}.ecr.dkr`])
    expect(serviceKeyOf('cn.com.amazonaws.cn-north-1.ecr.api', 'cn-north-1')).toBe('ecr.api')
    expect(serviceKeyOf('com.amazonaws.vpce.eu-west-1.vpce-svc-0abc', REGION)).toBe('com.amazonaws.vpce.eu-west-1.vpce-svc-0abc')
  })

  it('a cn.com.amazonaws endpoint serves the need, and a missing one is created under the name DescribeVpcEndpointServices gave', () => {
    const region = 'cn-north-1'
    const cn = (service: string) => interfaceEndpoint(service, {ServiceName: `cn.com.amazonaws.${region}.${service}`})
    const vpc = healthyVpc({
      region,
      subnets: [subnetA, subnetB],
      endpoints: [cn('ecr.dkr'), s3Gateway({ServiceName: `com.amazonaws.${region}.s3`})],
      serviceNames: {'ecr.dkr': `cn.com.amazonaws.${region}.ecr.dkr`, 'ecr.api': `cn.com.amazonaws.${region}.ecr.api`},
    })
    const {findings} = auditVpc(vpc, [workload(['ecr.dkr', 'ecr.api'])]).report
    expect(find(findings, 'ecr.dkr')).toMatchObject({status: 'ok', endpointId: 'vpce-ecrdkr', endpointService: `cn.com.amazonaws.${region}.ecr.dkr`})
    const api = find(findings, 'ecr.api')
    expect(api.status).toBe('missing')
    expect(api.fix).toContain(`--service-name cn.com.amazonaws.${region}.ecr.api `)
    expect(findings.some((f) => f.status === 'unused' && f.service.startsWith('cn.'))).toBe(false)
  })

  it('checks the S3 gateway policy against the aws-cn starport bucket in China', () => {
    const region = 'cn-northwest-1'
    const policy = JSON.stringify({Statement: [{Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws-cn:s3:::prod-${region}-starport-layer-bucket/*`}]})
    const vpc = healthyVpc({region, endpoints: [s3Gateway({ServiceName: `com.amazonaws.${region}.s3`, PolicyDocument: policy})]})
    const needs = [{service: 's3', reason: 'container app: image layers', resource: starportLayerObjects(region)}]
    expect(find(auditVpc(vpc, [workload([], {needs})]).report.findings, 's3')).toMatchObject({status: 'ok', problems: []})
  })
})

describe('NAT gateways and route tables', () => {
  const privateNat: NatGateway = {NatGatewayId: 'nat-1', VpcId: VPC, SubnetId: 'subnet-c', State: 'available', ConnectivityType: 'private'}
  const publicNat: NatGateway = {NatGatewayId: 'nat-1', VpcId: VPC, SubnetId: 'subnet-c', State: 'available', ConnectivityType: 'public'}

  it('a private NAT gateway is no internet route; a public one is', () => {
    const table = natTable(['subnet-a'])
    expect(internetRouteOf(table, [privateNat])).toBe('none')
    expect(internetRouteOf(table, [publicNat])).toBe('nat')
    expect(internetRouteOf(table, undefined)).toBe('nat')
  })

  it('behind a private NAT a missing endpoint is an error that says why', () => {
    const vpc = healthyVpc({endpoints: [], routeTables: [natTable(['subnet-a', 'subnet-b']), mainTable], natGateways: [privateNat]})
    const {report} = auditVpc(vpc, [workload(['logs'])])
    expect(report.subnets.map((s) => s.internetRoute)).toEqual(['none', 'none'])
    const f = find(report.findings, 'logs')
    expect(f).toMatchObject({status: 'missing', severity: 'error'})
    expect(f.problems[0]!.detail).toMatch(/private NAT gateway nat-1, which cannot reach the internet/)
    // The same VPC with a public NAT: a warning (traffic goes through the NAT).
    expect(find(auditVpc({...vpc, natGateways: [publicNat]}, [workload(['logs'])]).report.findings, 'logs').severity).toBe('warning')
  })

  it('a subnet whose route table is not visible (shared through RAM) has an unknown route: a missing endpoint is a warning, not a "no NAT" error', () => {
    const shared = {...subnetA, SubnetId: 'subnet-shared', OwnerId: '999988887777'}
    const vpc = healthyVpc({subnets: [shared], routeTables: [], endpoints: [interfaceEndpoint('logs', {SubnetIds: ['subnet-shared']})], accountId: ACCOUNT})
    const {report} = auditVpc(vpc, [workload(['logs', 'ssm'], {subnetIds: ['subnet-shared']})])
    expect(report.subnets).toEqual([{subnetId: 'subnet-shared', availabilityZone: 'eu-west-1a', internetRoute: 'unknown'}])
    const ssm = find(report.findings, 'ssm')
    expect(ssm.severity).toBe('warning')
    expect(ssm.problems.map((p) => p.detail).join(' ')).not.toMatch(/no NAT or internet gateway route/)
  })

  it('an own subnet with no default route is still "none" (an error)', () => {
    const {report} = auditVpc(healthyVpc({endpoints: []}), [workload(['ssm'])])
    expect(report.subnets.every((s) => s.internetRoute === 'none')).toBe(true)
    expect(find(report.findings, 'ssm').severity).toBe('error')
  })
})

describe('ECS endpoints in Regions introduced after 2023-12-23', () => {
  const region = 'ca-west-1'
  const ecsEndpoint = (service: string) => interfaceEndpoint(service, {ServiceName: `com.amazonaws.${region}.${service}`})

  it('one or two of ecs, ecs-agent, ecs-telemetry: the absent ones are findings with a create command', () => {
    const vpc = healthyVpc({region, endpoints: [ecsEndpoint('ecs'), ecsEndpoint('ecs-agent')]})
    const {findings} = auditVpc(vpc, [workload(['logs'])]).report
    const telemetry = find(findings, 'ecs-telemetry')
    expect(telemetry).toMatchObject({status: 'missing', severity: 'warning'})
    expect(codes(telemetry)).toEqual(['ECS_ENDPOINTS_INCOMPLETE'])
    expect(telemetry.fix).toBe(
      `aws ec2 create-vpc-endpoint --region ${region} --vpc-id ${VPC} --vpc-endpoint-type Interface --service-name com.amazonaws.${region}.ecs-telemetry --subnet-ids subnet-a subnet-b subnet-c --security-group-ids sg-endpoints --private-dns-enabled`,
    )
  })

  it('none or all three: no such finding; nor in an older Region', () => {
    const incomplete = (f: Finding) => codes(f).includes('ECS_ENDPOINTS_INCOMPLETE')
    expect(auditVpc(healthyVpc({region}), [workload(['logs'])]).report.findings.some(incomplete)).toBe(false)
    const all = healthyVpc({region, endpoints: ['ecs', 'ecs-agent', 'ecs-telemetry'].map(ecsEndpoint)})
    expect(auditVpc(all, [workload(['logs'])]).report.findings.some(incomplete)).toBe(false)
    const old = healthyVpc({endpoints: [interfaceEndpoint('ecs')]})
    expect(auditVpc(old, [workload(['logs'])]).report.findings.some(incomplete)).toBe(false)
  })
})

describe('FireLens destinations', () => {
  it('a missing Firehose endpoint is created as kinesis-firehose, and an existing one is matched', () => {
    const {findings} = auditVpc(healthyVpc(), [workload(['kinesis-firehose'])]).report
    expect(find(findings, 'kinesis-firehose').fix).toContain(`--service-name com.amazonaws.${REGION}.kinesis-firehose `)
    const present = healthyVpc({endpoints: [interfaceEndpoint('kinesis-streams')]})
    expect(find(auditVpc(present, [workload(['kinesis-streams'])]).report.findings, 'kinesis-streams').status).toBe('ok')
  })
})

describe('gatherNetworks: names and NAT gateways from EC2', () => {
  const ec2Mock = mockClient(EC2Client)
  const table: RouteTable = natTable(['subnet-a'])
  beforeEach(() => {
    ec2Mock.reset()
    ec2Mock.on(DescribeSubnetsCommand).resolves({Subnets: [{...subnetA, VpcId: VPC}]})
    ec2Mock.on(DescribeRouteTablesCommand).resolves({RouteTables: [table]})
    ec2Mock.on(DescribeVpcEndpointsCommand).resolves({VpcEndpoints: []})
    ec2Mock.on(DescribeSecurityGroupsCommand).resolves({SecurityGroups: []})
    ec2Mock.on(DescribeVpcAttributeCommand).resolves({EnableDnsSupport: {Value: true}, EnableDnsHostnames: {Value: true}})
  })

  it('takes the exact service names from DescribeVpcEndpointServices (service-name filter with both China forms)', async () => {
    const region = 'cn-north-1'
    const out: DescribeVpcEndpointServicesCommandOutput = {
      $metadata: {},
      ServiceDetails: [
        {ServiceName: `cn.com.amazonaws.${region}.ecr.dkr`, PrivateDnsName: `*.dkr.ecr.${region}.amazonaws.com.cn`},
        {ServiceName: `com.amazonaws.${region}.logs`, PrivateDnsName: `logs.${region}.amazonaws.com.cn`},
      ],
    }
    ec2Mock.on(DescribeVpcEndpointServicesCommand).resolves(out)
    ec2Mock.on(DescribeNatGatewaysCommand).resolves({NatGateways: []})
    const gathered = await gatherNetworks({ec2: new EC2Client({region})}, {region, targets: [{subnetIds: ['subnet-a'], securityGroupIds: []}], services: ['ecr.dkr', 'logs']})
    const filter = ec2Mock.commandCalls(DescribeVpcEndpointServicesCommand)[0]!.args[0].input.Filters
    expect(filter).toEqual([{Name: 'service-name', Values: [`com.amazonaws.${region}.ecr.dkr`, `cn.com.amazonaws.${region}.ecr.dkr`, `com.amazonaws.${region}.logs`, `cn.com.amazonaws.${region}.logs`]}])
    const snapshot = gathered.snapshots.get(VPC)!
    expect(snapshot.serviceNames).toEqual({'ecr.dkr': `cn.com.amazonaws.${region}.ecr.dkr`, logs: `com.amazonaws.${region}.logs`})
    expect(snapshot.privateDnsNames['ecr.dkr']).toBe(`*.dkr.ecr.${region}.amazonaws.com.cn`)
  })

  it('reads the NAT gateways of the VPC; when that fails, NAT routes count as public', async () => {
    ec2Mock.on(DescribeVpcEndpointServicesCommand).resolves({ServiceDetails: []})
    const nat: DescribeNatGatewaysCommandOutput = {$metadata: {}, NatGateways: [{NatGatewayId: 'nat-1', VpcId: VPC, ConnectivityType: 'private'}]}
    ec2Mock.on(DescribeNatGatewaysCommand).resolves(nat)
    const input = {region: REGION, targets: [{subnetIds: ['subnet-a'], securityGroupIds: []}], services: ['logs']}
    const gathered = await gatherNetworks({ec2: new EC2Client({region: REGION})}, input)
    expect(ec2Mock.commandCalls(DescribeNatGatewaysCommand)[0]!.args[0].input.Filter).toEqual([{Name: 'vpc-id', Values: [VPC]}])
    expect(gathered.snapshots.get(VPC)!.natGateways).toEqual(nat.NatGateways)
    ec2Mock.on(DescribeNatGatewaysCommand).rejects(Object.assign(new Error('not authorized'), {name: 'UnauthorizedOperation'}))
    const denied = await gatherNetworks({ec2: new EC2Client({region: REGION})}, input)
    expect(denied.snapshots.get(VPC)!.natGateways).toBeUndefined()
  })

  itSendsOnlyDeclaredActions(checkEndpointsIam, {ec2: ec2Mock})
})

describe('endpoint policies: what AWS evaluates', () => {
  const gateway = (statement: object) => s3Gateway({PolicyDocument: JSON.stringify({Version: '2012-10-17', Statement: [statement]})})
  const layers = [{service: 's3', reason: 'container app: image layers', resource: starportLayerObjects(REGION)}]
  const audit = (endpoint: ReturnType<typeof s3Gateway>, needs: Workload['needs'] = layers) => find(auditVpc(healthyVpc({endpoints: [endpoint]}), [workload([], {needs})]).report.findings, 's3')

  it('an S3 Allow conditioned on the caller\'s account or organization is a block for the AWS-owned layer bucket, not a maybe', () => {
    for (const key of ['aws:PrincipalAccount', 'aws:PrincipalOrgID', 'aws:ResourceAccount', 'aws:ResourceOrgID']) {
      const f = audit(gateway({Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: '*', Condition: {StringEquals: {[key]: ACCOUNT}}}))
      expect(codes(f)).toEqual(['POLICY_RESTRICTIVE'])
      expect(f.problems[0]!.detail).toMatch(/never holds for the AWS-owned layer bucket/)
    }
  })

  it('a data-perimeter Deny (StringNotEquals aws:ResourceAccount) blocks the layers; the same Deny on another key is unknown', () => {
    const allowAll = {Effect: 'Allow', Principal: '*', Action: '*', Resource: '*'}
    const perimeter = (key: string) => s3Gateway({PolicyDocument: JSON.stringify({Statement: [allowAll, {Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: '*', Condition: {StringNotEquals: {[key]: ACCOUNT}}}]})})
    expect(codes(audit(perimeter('aws:ResourceAccount')))).toEqual(['POLICY_RESTRICTIVE'])
    expect(codes(audit(perimeter('aws:SourceVpc')))).toEqual(['POLICY_UNVERIFIED'])
  })

  it('the same account condition on an environment file in the customer\'s bucket stays unknown (it may hold)', () => {
    const object = 'arn:aws:s3:::my-config/app.env'
    const needs = [{service: 's3', reason: 'container app: environmentFiles', resource: object, access: [{actions: ['s3:GetObject'], resource: object}, {actions: ['s3:GetBucketLocation'], resource: 'arn:aws:s3:::my-config'}]}]
    const f = audit(gateway({Effect: 'Allow', Principal: '*', Action: ['s3:GetObject', 's3:GetBucketLocation'], Resource: '*', Condition: {StringEquals: {'aws:ResourceAccount': ACCOUNT}}}), needs)
    expect(codes(f)).toEqual(['POLICY_UNVERIFIED', 'POLICY_UNVERIFIED'])
  })

  it('an environment file needs s3:GetBucketLocation on its bucket through the endpoint too', () => {
    const object = 'arn:aws:s3:::my-config/app.env'
    const needs = [{service: 's3', reason: 'container app: environmentFiles', resource: object, access: [{actions: ['s3:GetObject'], resource: object}, {actions: ['s3:GetBucketLocation'], resource: 'arn:aws:s3:::my-config'}]}]
    const f = audit(gateway({Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::my-config/*'}), needs)
    expect(codes(f)).toEqual(['POLICY_RESTRICTIVE'])
    expect(f.problems[0]!.detail).toContain('s3:GetBucketLocation on arn:aws:s3:::my-config')
  })

  it('ecr:GetAuthorizationToken allowed only on repository ARNs is a block (its resource is always *)', () => {
    const policy = JSON.stringify({Statement: [{Effect: 'Allow', Principal: '*', Action: 'ecr:*', Resource: `arn:aws:ecr:${REGION}:${ACCOUNT}:repository/app`}]})
    const vpc = healthyVpc({endpoints: [interfaceEndpoint('ecr.api', {PolicyDocument: policy}), interfaceEndpoint('ecr.dkr'), s3Gateway()]})
    const f = find(auditVpc(vpc, [workload(['ecr.api'])]).report.findings, 'ecr.api')
    expect(codes(f)).toEqual(['POLICY_RESTRICTIVE'])
    expect(f.problems[0]!.detail).toContain('ecr:GetAuthorizationToken on *')
  })

  it('awslogs-create-group needs logs:CreateLogGroup through the logs endpoint', () => {
    const policy = JSON.stringify({Statement: [{Effect: 'Allow', Principal: '*', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: '*'}]})
    const vpc = healthyVpc({endpoints: [interfaceEndpoint('logs', {PolicyDocument: policy})]})
    const needs = requiredEndpoints({taskDefinition: {containerDefinitions: [{name: 'app', logConfiguration: {logDriver: 'awslogs', options: {'awslogs-group': '/ecs/app', 'awslogs-create-group': 'true'}}}]}, region: REGION})
    const f = find(auditVpc(vpc, [workload([], {needs})]).report.findings, 'logs')
    expect(f.problems.map((p) => p.detail).join(' ')).toContain('logs:CreateLogGroup')
    const without = requiredEndpoints({taskDefinition: {containerDefinitions: [{name: 'app', logConfiguration: {logDriver: 'awslogs', options: {'awslogs-group': '/ecs/app'}}}]}, region: REGION})
    expect(find(auditVpc(vpc, [workload([], {needs: without})]).report.findings, 'logs').problems).toEqual([])
  })

  it('ECS Exec session logs to S3 need s3:PutObject on that bucket (and GetEncryptionConfiguration when encrypted), not the layer bucket', () => {
    const needs = execLoggingNeeds({configuration: {executeCommandConfiguration: {logging: 'OVERRIDE', logConfiguration: {s3BucketName: 'exec-logs', s3KeyPrefix: 'sessions/', s3EncryptionEnabled: true}}}}, true, 'cn-north-1')
    expect(needs).toEqual([
      {
        service: 's3',
        reason: 'cluster: executeCommandConfiguration logs ECS Exec sessions to S3 bucket exec-logs',
        resource: 'arn:aws-cn:s3:::exec-logs/sessions/*',
        access: [
          {actions: ['s3:PutObject'], resource: 'arn:aws-cn:s3:::exec-logs/sessions/*'},
          {actions: ['s3:GetEncryptionConfiguration'], resource: 'arn:aws-cn:s3:::exec-logs'},
        ],
      },
    ])
  })
})

describe('EFS', () => {
  it('a missing elasticfilesystem endpoint is info, never an error: mounting goes to the mount targets, not the EFS API', () => {
    const f = find(auditVpc(healthyVpc({endpoints: []}), [workload(['elasticfilesystem'])]).report.findings, 'elasticfilesystem')
    expect(f).toMatchObject({status: 'missing', severity: 'info'})
    expect(f.problems[0]!.detail).toMatch(/mount target .* TCP 2049/)
  })
})
