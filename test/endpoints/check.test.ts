import {
  DescribeRouteTablesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVpcAttributeCommand,
  DescribeVpcEndpointServicesCommand,
  DescribeVpcEndpointsCommand,
  EC2Client,
  type DescribeVpcEndpointServicesCommandOutput,
  type RouteTable,
  type SecurityGroup,
  type Subnet,
  type VpcEndpoint,
} from '@aws-sdk/client-ec2'
import {
  DescribeClustersCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ECSClient,
  ListServicesCommand,
  type Cluster,
  type Service,
  type Task,
  type TaskDefinition,
} from '@aws-sdk/client-ecs'
import {ListHostedZonesByVPCCommand, Route53Client, type ListHostedZonesByVPCCommandOutput} from '@aws-sdk/client-route-53'
import {GetCallerIdentityCommand, STSClient} from '@aws-sdk/client-sts'
import {mockClient} from 'aws-sdk-client-mock'
import {beforeEach, describe, expect, it} from 'vitest'

import {auditNetwork, requiredEndpoints} from '../../src/endpoints/api.js'
import {accountOf, checkEndpoints, limiter, NOT_EVALUATED, parseTaskRef, passes, type CheckClients} from '../../src/endpoints/check.js'
import {checkEndpointsIam} from '../../src/endpoints/iam.js'
import type {Finding} from '../../src/endpoints/types.js'
import {itSendsOnlyDeclaredActions} from '../helpers/iam-coverage.js'

const ecsMock = mockClient(ECSClient)
const ec2Mock = mockClient(EC2Client)
const r53Mock = mockClient(Route53Client)
const stsMock = mockClient(STSClient)

const REGION = 'eu-west-1'
const ACCOUNT = '111122223333'
const CLUSTER_ARN = `arn:aws:ecs:${REGION}:${ACCOUNT}:cluster/prod`
const IMAGE = `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/app:1`

const clients: CheckClients = {
  ecs: async () => new ECSClient({region: REGION}),
  ec2: async () => new EC2Client({region: REGION}),
  route53: async () => new Route53Client({region: REGION}),
}

/** A world of VPCs: vpc-N has subnet-N-a/b, a private route table, and (optionally) endpoints. */
interface World {
  subnets: Subnet[]
  routeTables: RouteTable[]
  endpoints: VpcEndpoint[]
  groups: SecurityGroup[]
}

/** The policies DescribeVpcEndpoints reports for endpoints created without one (full access). */
const DEFAULT_INTERFACE_POLICY = '{\n  "Statement": [\n    {\n      "Action": "*",\n      "Effect": "Allow",\n      "Principal": "*",\n      "Resource": "*"\n    }\n  ]\n}'
const DEFAULT_GATEWAY_POLICY = '{"Version":"2008-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}'

function vpcWorld(n: number, endpointServices: string[], options: {nat?: boolean} = {}): World {
  const vpc = `vpc-${n}`
  const subnets: Subnet[] = ['a', 'b'].map((az) => ({SubnetId: `subnet-${n}-${az}`, VpcId: vpc, AvailabilityZone: `${REGION}${az}`, CidrBlock: `10.${n}.${az === 'a' ? 1 : 2}.0/24`, OwnerId: ACCOUNT}))
  const routeTables: RouteTable[] = [
    {
      RouteTableId: `rtb-${n}`,
      VpcId: vpc,
      Associations: subnets.map((s) => ({SubnetId: s.SubnetId})),
      Routes: options.nat ? [{DestinationCidrBlock: '0.0.0.0/0', NatGatewayId: `nat-${n}`}] : [],
    },
  ]
  const groups: SecurityGroup[] = [
    {GroupId: `sg-task-${n}`, VpcId: vpc, OwnerId: ACCOUNT, IpPermissions: []},
    {GroupId: `sg-vpce-${n}`, VpcId: vpc, OwnerId: ACCOUNT, IpPermissions: [{IpProtocol: 'tcp', FromPort: 443, ToPort: 443, UserIdGroupPairs: [{GroupId: `sg-task-${n}`}]}]},
  ]
  const endpoints: VpcEndpoint[] = endpointServices.map((service) =>
    service === 's3'
      ? {VpcEndpointId: `vpce-${n}-s3`, VpcEndpointType: 'Gateway', VpcId: vpc, ServiceName: `com.amazonaws.${REGION}.s3`, State: 'available' as never, RouteTableIds: [`rtb-${n}`], PolicyDocument: DEFAULT_GATEWAY_POLICY}
      : {
          VpcEndpointId: `vpce-${n}-${service}`,
          VpcEndpointType: 'Interface',
          VpcId: vpc,
          ServiceName: `com.amazonaws.${REGION}.${service}`,
          State: 'available' as never,
          PrivateDnsEnabled: true,
          SubnetIds: subnets.map((s) => s.SubnetId!),
          Groups: [{GroupId: `sg-vpce-${n}`}],
          PolicyDocument: DEFAULT_INTERFACE_POLICY,
        },
  )
  return {subnets, routeTables, endpoints, groups}
}

function merge(...worlds: World[]): World {
  return {subnets: worlds.flatMap((w) => w.subnets), routeTables: worlds.flatMap((w) => w.routeTables), endpoints: worlds.flatMap((w) => w.endpoints), groups: worlds.flatMap((w) => w.groups)}
}

function serveEc2(world: World, options: {dns?: boolean} = {}) {
  const inVpcs = <T extends {VpcId?: string}>(items: T[], input: {Filters?: {Name?: string; Values?: string[]}[]}) => {
    const vpcs = input.Filters?.find((f) => f.Name === 'vpc-id')?.Values
    return vpcs ? items.filter((i) => vpcs.includes(i.VpcId ?? '')) : items
  }
  // As EC2 does: SubnetIds with one unknown id fails the whole call (InvalidSubnetID.NotFound); the subnet-id filter leaves unknown ids out.
  ec2Mock.on(DescribeSubnetsCommand).callsFake(async (input: {SubnetIds?: string[]; Filters?: Array<{Name?: string; Values?: string[]}>}) => {
    const unknown = (input.SubnetIds ?? []).filter((id) => !world.subnets.some((s) => s.SubnetId === id))
    if (unknown.length > 0) throw Object.assign(new Error(`The subnet ID '${unknown.join("', '")}' does not exist`), {name: 'InvalidSubnetID.NotFound', $fault: 'client', $metadata: {httpStatusCode: 400}})
    if (input.SubnetIds) return {Subnets: world.subnets.filter((s) => input.SubnetIds!.includes(s.SubnetId!))}
    const ids = input.Filters?.find((f) => f.Name === 'subnet-id')?.Values
    return {Subnets: inVpcs(ids ? world.subnets.filter((s) => ids.includes(s.SubnetId!)) : world.subnets, input)}
  })
  ec2Mock.on(DescribeRouteTablesCommand).callsFake(async (input) => ({RouteTables: inVpcs(world.routeTables, input)}))
  ec2Mock.on(DescribeVpcEndpointsCommand).callsFake(async (input) => ({VpcEndpoints: inVpcs(world.endpoints, input)}))
  ec2Mock.on(DescribeSecurityGroupsCommand).callsFake(async (input) => ({SecurityGroups: inVpcs(world.groups, input)}))
  ec2Mock.on(DescribeVpcAttributeCommand).callsFake(async (input) =>
    input.Attribute === 'enableDnsSupport' ? {EnableDnsSupport: {Value: options.dns ?? true}} : {EnableDnsHostnames: {Value: options.dns ?? true}},
  )
  const services: DescribeVpcEndpointServicesCommandOutput = {
    $metadata: {},
    ServiceDetails: [{ServiceName: `com.amazonaws.${REGION}.ecr.dkr`, PrivateDnsName: `*.dkr.ecr.${REGION}.amazonaws.com`}],
  }
  ec2Mock.on(DescribeVpcEndpointServicesCommand).resolves(services)
}

const taskDefinition = (family: string, extra: Partial<TaskDefinition> = {}): TaskDefinition => ({
  taskDefinitionArn: `arn:aws:ecs:${REGION}:${ACCOUNT}:task-definition/${family}:1`,
  family,
  requiresCompatibilities: ['FARGATE'],
  networkMode: 'awsvpc',
  containerDefinitions: [{name: 'app', image: IMAGE, logConfiguration: {logDriver: 'awslogs', options: {'awslogs-group': `/ecs/${family}`}}}],
  ...extra,
})

const service = (name: string, vpc: number, family: string, extra: Partial<Service> = {}): Service => ({
  serviceName: name,
  serviceArn: `arn:aws:ecs:${REGION}:${ACCOUNT}:service/prod/${name}`,
  clusterArn: CLUSTER_ARN,
  status: 'ACTIVE',
  launchType: 'FARGATE',
  taskDefinition: `arn:aws:ecs:${REGION}:${ACCOUNT}:task-definition/${family}:1`,
  networkConfiguration: {awsvpcConfiguration: {subnets: [`subnet-${vpc}-a`, `subnet-${vpc}-b`], securityGroups: [`sg-task-${vpc}`], assignPublicIp: 'DISABLED'}},
  ...extra,
})

function serveEcs(services: Service[], definitions: TaskDefinition[], cluster: Cluster = {clusterArn: CLUSTER_ARN, clusterName: 'prod', status: 'ACTIVE'}) {
  ecsMock.on(DescribeClustersCommand).resolves({clusters: [cluster]})
  ecsMock.on(ListServicesCommand).callsFake(async (input) => {
    const start = input.nextToken ? Number(input.nextToken) : 0
    const page = services.slice(start, start + (input.maxResults ?? 10))
    const next = start + page.length < services.length ? String(start + page.length) : undefined
    return {serviceArns: page.map((s) => s.serviceArn!), nextToken: next}
  })
  ecsMock.on(DescribeServicesCommand).callsFake(async (input) => {
    const wanted: string[] = input.services
    const found = services.filter((s) => wanted.includes(s.serviceArn!) || wanted.includes(s.serviceName!))
    const failures = wanted.filter((w) => !found.some((s) => s.serviceArn === w || s.serviceName === w)).map((arn) => ({arn, reason: 'MISSING'}))
    return {services: found, failures}
  })
  ecsMock.on(DescribeTaskDefinitionCommand).callsFake(async (input) => ({taskDefinition: definitions.find((d) => d.taskDefinitionArn === input.taskDefinition || d.family === input.taskDefinition)}))
}

const hostedZones = (zones: {id: string; name: string}[]): ListHostedZonesByVPCCommandOutput => ({
  $metadata: {},
  HostedZoneSummaries: zones.map((z) => ({HostedZoneId: z.id, Name: `${z.name}.`, Owner: {OwningAccount: ACCOUNT}})),
  MaxItems: 100,
})

const byService = (findings: Finding[], service: string) => findings.find((f) => f.service === service)

beforeEach(() => {
  ecsMock.reset()
  ec2Mock.reset()
  r53Mock.reset()
  stsMock.reset()
  r53Mock.on(ListHostedZonesByVPCCommand).resolves(hostedZones([]))
})

describe('checkEndpoints: one service', () => {
  it('derives the needs from the task definition and reports missing endpoints as errors in a private VPC', async () => {
    serveEcs([service('api', 1, 'api')], [taskDefinition('api')])
    serveEc2(vpcWorld(1, ['ecr.api', 's3']))
    const {document, sections} = await checkEndpoints(clients, {region: REGION, cluster: 'prod', services: ['api']})
    expect(document.ok).toBe(false)
    expect(document.region).toBe(REGION)
    expect(document.vpcs).toHaveLength(1)
    const [vpc] = document.vpcs
    expect(vpc!.vpcId).toBe('vpc-1')
    expect(vpc!.subnets).toEqual([
      {subnetId: 'subnet-1-a', availabilityZone: 'eu-west-1a', internetRoute: 'none'},
      {subnetId: 'subnet-1-b', availabilityZone: 'eu-west-1b', internetRoute: 'none'},
    ])
    expect(vpc!.findings.map((f) => [f.service, f.status, f.severity])).toEqual([
      ['ecr.api', 'ok', 'info'],
      ['ecr.dkr', 'missing', 'error'],
      ['s3', 'ok', 'info'],
      ['logs', 'missing', 'error'],
    ])
    expect(byService(vpc!.findings, 'ecr.dkr')!.requiredBy).toEqual([`api: container app: image ${IMAGE}`])
    expect(byService(vpc!.findings, 'ecr.dkr')!.fix).toContain('--security-group-ids sg-vpce-1')
    expect(sections.map((s) => s.title)).toEqual(['service api — vpc-1'])
  })

  it('passes with every endpoint present, and --fail-on warning catches warnings', async () => {
    serveEcs([service('api', 1, 'api')], [taskDefinition('api')])
    serveEc2(vpcWorld(1, ['ecr.api', 'ecr.dkr', 's3', 'logs']))
    const {document} = await checkEndpoints(clients, {region: REGION, cluster: 'prod', services: ['api']})
    expect(document.ok).toBe(true)
    expect(document.vpcs[0]!.findings.every((f) => f.status === 'ok')).toBe(true)
    const warn = {vpcId: 'v', subnets: [], findings: [{...document.vpcs[0]!.findings[0]!, status: 'misconfigured' as const, severity: 'warning' as const}]}
    expect(passes([warn], 'error')).toBe(true)
    expect(passes([warn], 'warning')).toBe(false)
  })

  it('behind a NAT gateway, missing endpoints are warnings and ok stays true', async () => {
    serveEcs([service('api', 1, 'api')], [taskDefinition('api')])
    serveEc2(vpcWorld(1, [], {nat: true}))
    const {document} = await checkEndpoints(clients, {region: REGION, cluster: 'prod', services: ['api']})
    expect(document.vpcs[0]!.subnets.every((s) => s.internetRoute === 'nat')).toBe(true)
    expect(document.vpcs[0]!.findings.every((f) => f.status === 'missing' && f.severity === 'warning')).toBe(true)
    expect(document.ok).toBe(true)
    expect((await checkEndpoints(clients, {region: REGION, cluster: 'prod', services: ['api'], failOn: 'warning'})).document.ok).toBe(false)
  })

  it('exec with a cluster KMS key needs ssmmessages and kms (read with DescribeClusters CONFIGURATIONS)', async () => {
    const cluster: Cluster = {clusterArn: CLUSTER_ARN, clusterName: 'prod', status: 'ACTIVE', configuration: {executeCommandConfiguration: {kmsKeyId: 'alias/ecs-exec', logging: 'DEFAULT'}}}
    serveEcs([service('api', 1, 'api', {enableExecuteCommand: true})], [taskDefinition('api')], cluster)
    serveEc2(vpcWorld(1, ['ecr.api', 'ecr.dkr', 's3', 'logs', 'ssmmessages']))
    const {document} = await checkEndpoints(clients, {region: REGION, cluster: 'prod', services: ['api']})
    expect(ecsMock.commandCalls(DescribeClustersCommand)[0]!.args[0].input.include).toEqual(['CONFIGURATIONS'])
    expect(byService(document.vpcs[0]!.findings, 'ssmmessages')!.status).toBe('ok')
    expect(byService(document.vpcs[0]!.findings, 'kms')).toMatchObject({status: 'missing', requiredBy: ['api: cluster: executeCommandConfiguration.kmsKeyId alias/ecs-exec']})
  })

  it('finds centralised endpoints through Route 53 private hosted zones', async () => {
    serveEcs([service('api', 1, 'api')], [taskDefinition('api')])
    serveEc2(vpcWorld(1, ['s3']))
    r53Mock.on(ListHostedZonesByVPCCommand).resolves(hostedZones([
      {id: 'Z1', name: `dkr.ecr.${REGION}.amazonaws.com`},
      {id: 'Z2', name: `api.ecr.${REGION}.amazonaws.com`},
      {id: 'Z3', name: `logs.${REGION}.amazonaws.com`},
    ]))
    const {document} = await checkEndpoints(clients, {region: REGION, cluster: 'prod', services: ['api']})
    expect(r53Mock.commandCalls(ListHostedZonesByVPCCommand)[0]!.args[0].input).toEqual({VPCId: 'vpc-1', VPCRegion: REGION, NextToken: undefined})
    expect(document.vpcs[0]!.findings.map((f) => [f.service, f.status, f.provider, f.hostedZoneId ?? null])).toEqual([
      ['ecr.api', 'ok', 'central', 'Z2'],
      ['ecr.dkr', 'ok', 'central', 'Z1'],
      ['s3', 'ok', 'vpc', null],
      ['logs', 'ok', 'central', 'Z3'],
    ])
    expect(document.ok).toBe(true)
  })

  it('goes on without Route 53 permission and says what it could not see', async () => {
    serveEcs([service('api', 1, 'api')], [taskDefinition('api')])
    serveEc2(vpcWorld(1, ['ecr.api', 'ecr.dkr', 's3']))
    r53Mock.on(ListHostedZonesByVPCCommand).rejects(Object.assign(new Error('User is not authorized to perform: route53:ListHostedZonesByVPC'), {name: 'AccessDenied'}))
    const {document} = await checkEndpoints(clients, {region: REGION, cluster: 'prod', services: ['api']})
    const logs = byService(document.vpcs[0]!.findings, 'logs')!
    expect(logs.status).toBe('missing')
    expect(logs.problems[0]!.detail).toContain('Route 53 private hosted zones could not be read: AccessDenied')
  })

  it('reports VPC DNS attributes read with DescribeVpcAttribute', async () => {
    serveEcs([service('api', 1, 'api')], [taskDefinition('api')])
    serveEc2(vpcWorld(1, ['ecr.api', 'ecr.dkr', 's3', 'logs']), {dns: false})
    const {document} = await checkEndpoints(clients, {region: REGION, cluster: 'prod', services: ['api']})
    expect(byService(document.vpcs[0]!.findings, 'logs')!.problems.map((p) => p.code)).toEqual(['VPC_DNS_DISABLED'])
    expect(ec2Mock.commandCalls(DescribeVpcAttributeCommand).map((c) => c.args[0].input.Attribute).sort()).toEqual(['enableDnsHostnames', 'enableDnsSupport'])
  })

  it('an unknown service is an AWS error naming it; an unknown cluster too', async () => {
    serveEcs([service('api', 1, 'api')], [taskDefinition('api')])
    serveEc2(vpcWorld(1, []))
    await expect(checkEndpoints(clients, {region: REGION, cluster: 'prod', services: ['nope']})).rejects.toMatchObject({code: 'ServiceNotFoundException', exitCode: 3, message: expect.stringContaining('nope (MISSING)')})
    ecsMock.on(DescribeClustersCommand).resolves({clusters: [], failures: [{arn: 'x', reason: 'MISSING'}]})
    await expect(checkEndpoints(clients, {region: REGION, cluster: 'ghost', services: ['api']})).rejects.toMatchObject({code: 'ClusterNotFoundException', exitCode: 3, message: `Cluster "ghost" not found in ${REGION} (ClusterNotFoundException).`})
  })

  it('DescribeServices\' bare ClusterNotFoundException ("Cluster not found.") becomes an error naming the cluster and Region', async () => {
    serveEc2(vpcWorld(1, []))
    const bare = Object.assign(new Error('Cluster not found.'), {name: 'ClusterNotFoundException', $fault: 'client', $metadata: {httpStatusCode: 400}})
    ecsMock.on(DescribeServicesCommand).rejects(bare)
    ecsMock.on(DescribeClustersCommand).resolves({clusters: [{clusterName: 'nope-cluster', status: 'ACTIVE'}]})
    const error = await checkEndpoints(clients, {region: REGION, cluster: 'nope-cluster', services: ['s']}).catch((e: unknown) => e)
    expect(error).toMatchObject({code: 'ClusterNotFoundException', exitCode: 3, message: `Cluster "nope-cluster" not found in ${REGION} (ClusterNotFoundException).`})
    expect((error as {hint: string}).hint).toBe(`Check the cluster name and the region: \`aws ecs list-clusters --region ${REGION}\` lists the clusters there.`)
  })

  it('without a cluster or a service it is a usage error naming the flag', async () => {
    await expect(checkEndpoints(clients, {region: REGION, services: ['api']})).rejects.toMatchObject({exitCode: 2, hint: expect.stringContaining('--cluster')})
    await expect(checkEndpoints(clients, {region: REGION, cluster: 'prod'})).rejects.toMatchObject({exitCode: 2, message: expect.stringContaining('--all-services')})
  })

  it('subnets shared from another account are unknown: the caller\'s account comes from the service ARN', async () => {
    serveEcs([service('api', 1, 'api')], [taskDefinition('api')])
    const world = vpcWorld(1, [])
    world.subnets = world.subnets.map((s) => ({...s, OwnerId: '999988887777'}))
    world.groups = world.groups.map((g) => ({...g, OwnerId: undefined}))
    serveEc2(world)
    const {document} = await checkEndpoints(clients, {region: REGION, cluster: 'prod', services: ['api']})
    expect(document.vpcs[0]!.findings.map((f) => f.status)).toEqual(['unknown', 'unknown', 'unknown', 'unknown'])
    expect(byService(document.vpcs[0]!.findings, 'logs')!.problems[0]!.detail).toContain('belong to account 999988887777')
    expect(accountOf(`arn:aws:ecs:${REGION}:${ACCOUNT}:service/prod/api`)).toBe(ACCOUNT)
    expect(accountOf(undefined)).toBeUndefined()
  })

  it('--all-services on an empty cluster says so and passes', async () => {
    serveEcs([], [])
    serveEc2(vpcWorld(1, []))
    const {document, notes} = await checkEndpoints(clients, {region: REGION, cluster: 'prod', allServices: true})
    expect(document).toEqual({ok: true, region: REGION, vpcs: [], notEvaluated: NOT_EVALUATED})
    expect(notes).toEqual(['cluster prod has no active service: nothing to audit'])
  })

  it('a bridge-mode service is skipped with a note', async () => {
    serveEcs([service('legacy', 1, 'legacy', {networkConfiguration: undefined, launchType: 'EC2'})], [taskDefinition('legacy', {networkMode: 'bridge'})])
    serveEc2(vpcWorld(1, []))
    const {document, notes} = await checkEndpoints(clients, {region: REGION, cluster: 'prod', services: ['legacy']})
    expect(document).toEqual({ok: true, region: REGION, vpcs: [], notEvaluated: NOT_EVALUATED})
    expect(notes[0]).toMatch(/legacy has no awsvpc network configuration \(network mode bridge\)/)
  })
})

describe('checkEndpoints --all-services at scale', () => {
  it('describes services 10 per call, each task definition once, each VPC once, and merges per VPC', async () => {
    const services = Array.from({length: 45}, (_, i) => service(`svc-${i}`, (i % 3) + 1, `family-${i % 4}`))
    serveEcs(services, [0, 1, 2, 3].map((i) => taskDefinition(`family-${i}`)))
    serveEc2(merge(vpcWorld(1, ['ecr.api', 'ecr.dkr', 's3', 'logs']), vpcWorld(2, ['ecr.api', 'ecr.dkr', 's3']), vpcWorld(3, ['kms'])))
    const {document, sections} = await checkEndpoints(clients, {region: REGION, cluster: 'prod', allServices: true})
    expect(ecsMock.commandCalls(DescribeServicesCommand).map((c) => c.args[0].input.services!.length)).toEqual([10, 10, 10, 10, 5])
    expect(ecsMock.commandCalls(DescribeTaskDefinitionCommand)).toHaveLength(4)
    expect(ecsMock.commandCalls(DescribeClustersCommand)).toHaveLength(1)
    for (const command of [DescribeRouteTablesCommand, DescribeVpcEndpointsCommand, DescribeSecurityGroupsCommand, DescribeSubnetsCommand, DescribeVpcEndpointServicesCommand]) {
      expect(ec2Mock.commandCalls(command as never), command.name).toHaveLength(1)
    }
    expect(ec2Mock.commandCalls(DescribeVpcAttributeCommand)).toHaveLength(6)
    expect(r53Mock.commandCalls(ListHostedZonesByVPCCommand)).toHaveLength(3)
    expect(document.vpcs.map((v) => v.vpcId)).toEqual(['vpc-1', 'vpc-2', 'vpc-3'])
    expect(document.vpcs.map((v) => v.findings.filter((f) => f.status !== 'ok' && f.status !== 'unused').map((f) => f.service))).toEqual([[], ['logs'], ['ecr.api', 'ecr.dkr', 's3', 'logs']])
    expect(byService(document.vpcs[2]!.findings, 'kms')!.status).toBe('unused')
    expect(byService(document.vpcs[0]!.findings, 'logs')!.requiredBy).toHaveLength(15)
    expect(sections.filter((s) => s.title.startsWith('service '))).toHaveLength(45)
    expect(sections.map((s) => s.title)).toContain('vpc-3: endpoints no audited service needs')
  })
})

describe('limiter', () => {
  it('never runs more than the limit at once and resolves each call with its own result', async () => {
    const limit = limiter(3)
    let active = 0
    let peak = 0
    const releases: Array<() => void> = []
    const results = Array.from({length: 10}, (_, i) =>
      limit(async () => {
        active++
        peak = Math.max(peak, active)
        await new Promise<void>((resolve) => releases.push(resolve))
        active--
        return i
      }),
    )
    while (releases.length > 0 || active > 0) {
      await new Promise((resolve) => setImmediate(resolve))
      releases.shift()?.()
    }
    expect(await Promise.all(results)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
    expect(peak).toBe(3)
  })
})

describe('checkEndpoints --task', () => {
  const task = (extra: Partial<Task> = {}): Task => ({
    taskArn: `arn:aws:ecs:${REGION}:${ACCOUNT}:task/prod/0123456789abcdef0123456789abcdef`,
    clusterArn: CLUSTER_ARN,
    taskDefinitionArn: `arn:aws:ecs:${REGION}:${ACCOUNT}:task-definition/api:1`,
    group: 'service:api',
    lastStatus: 'STOPPED',
    launchType: 'FARGATE',
    platformVersion: '1.4.0',
    stopCode: 'TaskFailedToStart',
    stoppedReason: 'CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref 111122223333.dkr.ecr.eu-west-1.amazonaws.com/app:1: dial tcp 10.1.1.5:443: i/o timeout',
    attachments: [{type: 'ElasticNetworkInterface', details: [{name: 'subnetId', value: 'subnet-1-b'}]}],
    containers: [{name: 'app', lastStatus: 'STOPPED'}],
    ...extra,
  })

  it('audits the service behind a stopped task and names the finding that explains its stoppedReason', async () => {
    serveEcs([service('api', 1, 'api')], [taskDefinition('api')])
    ecsMock.on(DescribeTasksCommand).resolves({tasks: [task()]})
    serveEc2(vpcWorld(1, ['ecr.api', 's3', 'logs']))
    const {document, sections} = await checkEndpoints(clients, {region: REGION, task: `arn:aws:ecs:${REGION}:${ACCOUNT}:task/prod/0123456789abcdef0123456789abcdef`})
    expect(ecsMock.commandCalls(DescribeTasksCommand)[0]!.args[0].input.cluster).toBe('prod')
    expect(document.task).toMatchObject({service: 'api', stopCode: 'TaskFailedToStart', explainedBy: ['ecr.dkr']})
    expect(document.vpcs[0]!.subnets[0]!.subnetId).toBe('subnet-1-b')
    expect(sections[0]!.title).toBe('task 0123456789abcdef0123456789abcdef (service api) — vpc-1')
    expect(document.ok).toBe(false)
  })

  it('a standalone task (no service) is audited from its task definition and ENI subnet', async () => {
    serveEcs([], [taskDefinition('api')])
    ecsMock.on(DescribeTasksCommand).resolves({tasks: [task({group: 'family:api', stoppedReason: 'ResourceInitializationError: failed to validate logger args: failed to create Cloudwatch log stream: i/o timeout'})]})
    serveEc2(vpcWorld(1, ['ecr.api', 'ecr.dkr', 's3']))
    const {document} = await checkEndpoints(clients, {region: REGION, cluster: 'prod', task: '0123456789abcdef0123456789abcdef'})
    expect(ecsMock.commandCalls(DescribeServicesCommand)).toHaveLength(0)
    expect(document.vpcs[0]!.subnets.map((s) => s.subnetId)).toEqual(['subnet-1-b'])
    expect(document.task!.explainedBy).toEqual(['logs'])
  })

  it('an unknown task is an AWS error; a bare id without a cluster is a usage error', async () => {
    serveEcs([], [])
    ecsMock.on(DescribeTasksCommand).resolves({tasks: [], failures: [{arn: 'x', reason: 'MISSING'}]})
    await expect(checkEndpoints(clients, {region: REGION, cluster: 'prod', task: 'abc'})).rejects.toMatchObject({exitCode: 3, message: expect.stringContaining('(MISSING)')})
    await expect(checkEndpoints(clients, {region: REGION, task: 'abc'})).rejects.toMatchObject({exitCode: 2})
  })

  it('parseTaskRef takes the cluster from a new-format ARN only', () => {
    expect(parseTaskRef('arn:aws:ecs:eu-west-1:1:task/prod/abc', undefined)).toEqual({cluster: 'prod', task: 'arn:aws:ecs:eu-west-1:1:task/prod/abc'})
    expect(parseTaskRef('arn:aws:ecs:eu-west-1:1:task/abc', undefined)).toEqual({cluster: undefined, task: 'arn:aws:ecs:eu-west-1:1:task/abc'})
    expect(parseTaskRef('abc', 'c')).toEqual({cluster: 'c', task: 'abc'})
  })
})

describe('checkEndpoints --vpc/--subnets/--needs', () => {
  it('audits a network before any service exists', async () => {
    serveEc2(vpcWorld(2, ['ecr.api', 'ecr.dkr']))
    const {document, sections} = await checkEndpoints(clients, {region: REGION, network: {vpcId: 'vpc-2', subnetIds: ['subnet-2-a'], securityGroupIds: ['sg-task-2'], needs: ['ecr', 'logs']}})
    expect(ecsMock.calls()).toHaveLength(0)
    expect(document.vpcs[0]!.findings.map((f) => [f.service, f.status, f.requiredBy[0]])).toEqual([
      ['ecr.api', 'ok', '--needs ecr'],
      ['ecr.dkr', 'ok', '--needs ecr'],
      ['s3', 'missing', '--needs ecr'],
      ['logs', 'missing', '--needs logs'],
    ])
    expect(sections[0]!.title).toBe('network vpc-2 subnets subnet-2-a — vpc-2')
  })

  it('with --vpc only, every subnet of the VPC is a task subnet', async () => {
    serveEc2(vpcWorld(2, []))
    const {document} = await checkEndpoints(clients, {region: REGION, network: {vpcId: 'vpc-2', subnetIds: [], securityGroupIds: [], needs: ['logs']}})
    expect(document.vpcs[0]!.subnets.map((s) => s.subnetId)).toEqual(['subnet-2-a', 'subnet-2-b'])
  })

  it('a VPC without visible subnets (a typo, another Region) is an AWS error, not a list of missing endpoints', async () => {
    serveEc2(vpcWorld(1, []))
    await expect(checkEndpoints(clients, {region: REGION, network: {vpcId: 'vpc-typo', subnetIds: [], securityGroupIds: [], needs: ['logs']}})).rejects.toMatchObject({exitCode: 3, code: 'InvalidVpcID.NotFound'})
  })

  it('rejects subnets of another VPC', async () => {
    serveEc2(merge(vpcWorld(1, []), vpcWorld(2, [])))
    await expect(checkEndpoints(clients, {region: REGION, network: {vpcId: 'vpc-2', subnetIds: ['subnet-1-a'], securityGroupIds: [], needs: ['logs']}})).rejects.toMatchObject({exitCode: 2, message: expect.stringContaining('subnet-1-a')})
  })
})

describe('the shared API', () => {
  it('auditNetwork audits one network for the given needs, without unused endpoints', async () => {
    serveEc2(vpcWorld(1, ['ecr.api', 'ssmmessages']))
    const report = await auditNetwork(
      {ec2: new EC2Client({region: REGION}), route53: new Route53Client({region: REGION})},
      {region: REGION, network: {subnetIds: ['subnet-1-a'], securityGroupIds: ['sg-task-1']}, needs: [{service: 'ssmmessages', reason: 'exec'}, {service: 'kms', reason: 'exec kms'}]},
    )
    expect(report.vpcId).toBe('vpc-1')
    expect(report.findings.map((f) => [f.service, f.status, f.requiredBy])).toEqual([
      ['ssmmessages', 'ok', ['exec']],
      ['kms', 'missing', ['exec kms']],
    ])
  })

  it('auditNetwork works without Route 53', async () => {
    serveEc2(vpcWorld(1, []))
    const report = await auditNetwork({ec2: new EC2Client({region: REGION})}, {region: REGION, network: {vpcId: 'vpc-1', subnetIds: [], securityGroupIds: []}, needs: [{service: 'ssmmessages', reason: 'exec'}]})
    expect(report.findings[0]).toMatchObject({service: 'ssmmessages', status: 'missing'})
    expect(r53Mock.calls()).toHaveLength(0)
  })

  it('requiredEndpoints is the pure derivation', () => {
    expect(requiredEndpoints({taskDefinition: taskDefinition('api'), region: REGION}).map((n) => n.service)).toEqual(['ecr.api', 'ecr.dkr', 's3', 'logs'])
  })
})

describe('review: gaps closed', () => {
  const withSts: CheckClients = {...clients, sts: async () => new STSClient({region: REGION})}

  it('--vpc without --security-groups tells a shared subnet from a missing endpoint with the caller\'s account from STS', async () => {
    const world = vpcWorld(2, [])
    world.subnets = world.subnets.map((s) => ({...s, OwnerId: '999988887777'}))
    serveEc2(world)
    stsMock.on(GetCallerIdentityCommand).resolves({Account: ACCOUNT, Arn: `arn:aws:iam::${ACCOUNT}:user/ops`, UserId: 'AIDA'})
    const {document} = await checkEndpoints(withSts, {region: REGION, network: {vpcId: 'vpc-2', subnetIds: [], securityGroupIds: [], needs: ['logs']}})
    const logs = byService(document.vpcs[0]!.findings, 'logs')!
    expect(logs.status).toBe('unknown')
    expect(logs.problems[0]).toMatchObject({code: 'SHARED_SUBNET', detail: expect.stringContaining('belong to account 999988887777')})
    expect(stsMock.commandCalls(GetCallerIdentityCommand)).toHaveLength(1)
  })

  it('without STS the same network is reported as missing (nothing to compare the owner with), and an STS failure is not fatal', async () => {
    const world = vpcWorld(2, [])
    world.subnets = world.subnets.map((s) => ({...s, OwnerId: '999988887777'}))
    serveEc2(world)
    stsMock.on(GetCallerIdentityCommand).rejects(Object.assign(new Error('expired'), {name: 'ExpiredToken'}))
    const {document} = await checkEndpoints(withSts, {region: REGION, network: {vpcId: 'vpc-2', subnetIds: [], securityGroupIds: [], needs: ['logs']}})
    expect(byService(document.vpcs[0]!.findings, 'logs')!.status).toBe('missing')
  })

  it('--subnets that do not exist are an AWS error (exit 3), not a silent pass', async () => {
    serveEc2(vpcWorld(1, []))
    await expect(checkEndpoints(clients, {region: REGION, network: {subnetIds: ['subnet-gone'], securityGroupIds: [], needs: ['logs']}})).rejects.toMatchObject({
      exitCode: 3,
      code: 'InvalidSubnetID.NotFound',
      message: expect.stringContaining('subnet-gone'),
    })
  })

  it('a service whose subnets are not found is named in a note, not audited as an empty VPC', async () => {
    serveEcs([service('api', 1, 'api', {networkConfiguration: {awsvpcConfiguration: {subnets: ['subnet-gone']}}})], [taskDefinition('api')])
    serveEc2(vpcWorld(1, []))
    const {document, notes} = await checkEndpoints(clients, {region: REGION, cluster: 'prod', services: ['api']})
    expect(document.vpcs).toEqual([])
    expect(notes).toEqual(['the task subnets were not found: api (subnet subnet-gone) not audited'])
  })

  it('a denied DescribeVpcAttribute is said in the findings (VPC_DNS_UNVERIFIED), not skipped', async () => {
    serveEcs([service('api', 1, 'api')], [taskDefinition('api')])
    serveEc2(vpcWorld(1, ['ecr.api', 'ecr.dkr', 's3', 'logs']))
    ec2Mock.on(DescribeVpcAttributeCommand).rejects(Object.assign(new Error('You are not authorized to perform this operation.'), {name: 'UnauthorizedOperation'}))
    const {document} = await checkEndpoints(clients, {region: REGION, cluster: 'prod', services: ['api']})
    const logs = byService(document.vpcs[0]!.findings, 'logs')!
    expect(logs).toMatchObject({status: 'unknown', severity: 'warning'})
    expect(logs.problems[0]!.detail).toContain('UnauthorizedOperation: You are not authorized')
    expect(byService(document.vpcs[0]!.findings, 's3')!.status).toBe('ok')
    expect(document.ok).toBe(true)
  })

  it('ECS Exec session logging to CloudWatch Logs and S3 (cluster OVERRIDE) needs logs and s3', async () => {
    const cluster: Cluster = {
      clusterArn: CLUSTER_ARN,
      clusterName: 'prod',
      status: 'ACTIVE',
      configuration: {executeCommandConfiguration: {logging: 'OVERRIDE', logConfiguration: {cloudWatchLogGroupName: '/exec/prod', s3BucketName: 'exec-logs'}}},
    }
    const td = taskDefinition('api', {containerDefinitions: [{name: 'app', image: 'nginx:1'}]})
    serveEcs([service('api', 1, 'api', {enableExecuteCommand: true})], [td], cluster)
    serveEc2(vpcWorld(1, []))
    const {document} = await checkEndpoints(clients, {region: REGION, cluster: 'prod', services: ['api']})
    const findings = document.vpcs[0]!.findings
    expect(findings.map((f) => f.service).sort()).toEqual(['logs', 's3', 'ssmmessages'])
    expect(byService(findings, 'logs')!.requiredBy[0]).toContain('CloudWatch Logs group /exec/prod')
    expect(byService(findings, 's3')!.requiredBy[0]).toContain('S3 bucket exec-logs')
  })

  it('a service in a subnet routed to an internet gateway without a public IP: missing endpoints are errors', async () => {
    serveEcs([service('api', 1, 'api')], [taskDefinition('api')])
    const world = vpcWorld(1, [])
    world.routeTables[0]!.Routes = [{DestinationCidrBlock: '0.0.0.0/0', GatewayId: 'igw-1'}]
    serveEc2(world)
    const {document} = await checkEndpoints(clients, {region: REGION, cluster: 'prod', services: ['api']})
    expect(document.vpcs[0]!.subnets[0]!.internetRoute).toBe('igw')
    expect(byService(document.vpcs[0]!.findings, 'logs')).toMatchObject({status: 'missing', severity: 'error'})
    expect(document.ok).toBe(false)
    ecsMock.on(DescribeServicesCommand).resolves({services: [service('api', 1, 'api', {networkConfiguration: {awsvpcConfiguration: {subnets: ['subnet-1-a'], securityGroups: ['sg-task-1'], assignPublicIp: 'ENABLED'}}})]})
    const open = await checkEndpoints(clients, {region: REGION, cluster: 'prod', services: ['api']})
    expect(byService(open.document.vpcs[0]!.findings, 'logs')!.severity).toBe('warning')
  })
})

itSendsOnlyDeclaredActions(checkEndpointsIam, {ecs: ecsMock, ec2: ec2Mock, route53: r53Mock, sts: stsMock})
