// Benchmark of `ecsops check-endpoints --all-services` at scale (run after `npm run build`): node bench/endpoints.js
//
// A mocked AWS (aws-sdk-client-mock on the real SDK clients) holds a cluster of 200 services
// over 3 VPCs using 20 distinct task definitions; every AWS call costs an artificial latency.
// Measures the number of API calls and the wall time of the whole audit (gather + audit).
// Targets (issue 5): calls ≤ 40 + distinct task definitions; wall ≤ 6 × latency + start-up,
// where start-up is the wall time of the same audit with zero latency (the CPU work).
// Exit 0 when the targets are met, 1 otherwise.
import {
  DescribeRouteTablesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVpcAttributeCommand,
  DescribeVpcEndpointServicesCommand,
  DescribeVpcEndpointsCommand,
  EC2Client,
} from '@aws-sdk/client-ec2'
import {DescribeClustersCommand, DescribeServicesCommand, DescribeTaskDefinitionCommand, ECSClient, ListServicesCommand} from '@aws-sdk/client-ecs'
import {ListHostedZonesByVPCCommand, Route53Client} from '@aws-sdk/client-route-53'
import {mockClient} from 'aws-sdk-client-mock'
import {performance} from 'node:perf_hooks'
import {setTimeout as delay} from 'node:timers/promises'

import {checkEndpoints} from '../dist/endpoints/check.js'

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true'
const REGION = 'eu-west-1'
const ACCOUNT = '123456789012'
const SERVICES = 200
const VPCS = 3
const FAMILIES = 20
const credentials = {accessKeyId: 'AKIDBENCH', secretAccessKey: 'bench'}

let seed = 7
const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31)

const tdArn = (i) => `arn:aws:ecs:${REGION}:${ACCOUNT}:task-definition/family-${i}:3`
const services = Array.from({length: SERVICES}, (_, i) => {
  const vpc = (i % VPCS) + 1
  return {
    serviceName: `svc-${i}`,
    serviceArn: `arn:aws:ecs:${REGION}:${ACCOUNT}:service/bench/svc-${i}`,
    status: 'ACTIVE',
    launchType: 'FARGATE',
    enableExecuteCommand: i % 5 === 0,
    taskDefinition: tdArn(i % FAMILIES),
    networkConfiguration: {awsvpcConfiguration: {subnets: [`subnet-${vpc}-a`, `subnet-${vpc}-b`, `subnet-${vpc}-c`], securityGroups: [`sg-task-${vpc}`]}},
  }
})
const taskDefinitions = Array.from({length: FAMILIES}, (_, i) => ({
  taskDefinitionArn: tdArn(i),
  family: `family-${i}`,
  networkMode: 'awsvpc',
  requiresCompatibilities: ['FARGATE'],
  containerDefinitions: [
    {
      name: 'app',
      image: `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/app-${i}:1`,
      logConfiguration: {logDriver: 'awslogs', options: {'awslogs-group': `/ecs/family-${i}`}},
      secrets: i % 2 ? [{name: 'DB', valueFrom: `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:db-${i}`}] : [{name: 'P', valueFrom: `/app/${i}`}],
    },
  ],
}))
const subnets = []
const routeTables = []
const endpoints = []
const groups = []
for (let v = 1; v <= VPCS; v++) {
  const vpcId = `vpc-${v}`
  for (const [k, az] of ['a', 'b', 'c'].entries()) subnets.push({SubnetId: `subnet-${v}-${az}`, VpcId: vpcId, AvailabilityZone: `${REGION}${az}`, CidrBlock: `10.${v}.${k}.0/24`, OwnerId: ACCOUNT})
  routeTables.push({RouteTableId: `rtb-${v}`, VpcId: vpcId, Associations: ['a', 'b', 'c'].map((az) => ({SubnetId: `subnet-${v}-${az}`})), Routes: v === 3 ? [{DestinationCidrBlock: '0.0.0.0/0', NatGatewayId: 'nat-3'}] : []})
  groups.push({GroupId: `sg-task-${v}`, VpcId: vpcId, OwnerId: ACCOUNT, IpPermissions: []})
  groups.push({GroupId: `sg-vpce-${v}`, VpcId: vpcId, OwnerId: ACCOUNT, IpPermissions: [{IpProtocol: 'tcp', FromPort: 443, ToPort: 443, UserIdGroupPairs: [{GroupId: `sg-task-${v}`}]}]})
  const present = v === 1 ? ['ecr.api', 'ecr.dkr', 'logs', 'secretsmanager', 'ssm', 'ssmmessages'] : v === 2 ? ['ecr.api', 'ecr.dkr'] : []
  for (const s of present) endpoints.push({VpcEndpointId: `vpce-${v}-${s}`, VpcEndpointType: 'Interface', VpcId: vpcId, ServiceName: `com.amazonaws.${REGION}.${s}`, State: 'available', PrivateDnsEnabled: true, SubnetIds: [`subnet-${v}-a`, `subnet-${v}-b`], Groups: [{GroupId: `sg-vpce-${v}`}]})
  if (v !== 3) endpoints.push({VpcEndpointId: `vpce-${v}-s3`, VpcEndpointType: 'Gateway', VpcId: vpcId, ServiceName: `com.amazonaws.${REGION}.s3`, State: 'available', RouteTableIds: [`rtb-${v}`]})
}
// A few hundred unrelated subnets of other VPCs, as a real account has (--all-services lists them all once).
for (let i = 0; i < 300; i++) subnets.push({SubnetId: `subnet-other-${i}`, VpcId: `vpc-other-${i % 30}`, AvailabilityZone: `${REGION}a`, CidrBlock: `172.16.${i % 256}.0/24`, OwnerId: ACCOUNT})

const ecsMock = mockClient(ECSClient)
const ec2Mock = mockClient(EC2Client)
const r53Mock = mockClient(Route53Client)

let latency = () => 0
let calls = 0
const answer = (fn) => async (input) => {
  calls++
  const ms = latency()
  if (ms > 0) await delay(ms)
  return fn(input)
}
const inVpcs = (items, input) => {
  const vpcs = input.Filters?.find((f) => f.Name === 'vpc-id')?.Values
  return vpcs ? items.filter((i) => vpcs.includes(i.VpcId)) : items
}

ecsMock.on(DescribeClustersCommand).callsFake(answer(() => ({clusters: [{clusterName: 'bench', status: 'ACTIVE', configuration: {executeCommandConfiguration: {kmsKeyId: 'alias/exec'}}}]})))
ecsMock.on(ListServicesCommand).callsFake(
  answer((input) => {
    const start = Number(input.nextToken ?? 0)
    const page = services.slice(start, start + (input.maxResults ?? 10))
    return {serviceArns: page.map((s) => s.serviceArn), nextToken: start + page.length < services.length ? String(start + page.length) : undefined}
  }),
)
ecsMock.on(DescribeServicesCommand).callsFake(answer((input) => ({services: services.filter((s) => input.services.includes(s.serviceArn) || input.services.includes(s.serviceName)), failures: []})))
ecsMock.on(DescribeTaskDefinitionCommand).callsFake(answer((input) => ({taskDefinition: taskDefinitions.find((t) => t.taskDefinitionArn === input.taskDefinition)})))
ec2Mock.on(DescribeSubnetsCommand).callsFake(answer((input) => ({Subnets: input.SubnetIds ? subnets.filter((s) => input.SubnetIds.includes(s.SubnetId)) : inVpcs(subnets, input)})))
ec2Mock.on(DescribeRouteTablesCommand).callsFake(answer((input) => ({RouteTables: inVpcs(routeTables, input)})))
ec2Mock.on(DescribeVpcEndpointsCommand).callsFake(answer((input) => ({VpcEndpoints: inVpcs(endpoints, input)})))
ec2Mock.on(DescribeSecurityGroupsCommand).callsFake(answer((input) => ({SecurityGroups: inVpcs(groups, input)})))
ec2Mock.on(DescribeVpcAttributeCommand).callsFake(answer((input) => (input.Attribute === 'enableDnsSupport' ? {EnableDnsSupport: {Value: true}} : {EnableDnsHostnames: {Value: true}})))
ec2Mock.on(DescribeVpcEndpointServicesCommand).callsFake(answer(() => ({ServiceDetails: [{ServiceName: `com.amazonaws.${REGION}.ecr.dkr`, PrivateDnsName: `*.dkr.ecr.${REGION}.amazonaws.com`}]})))
r53Mock.on(ListHostedZonesByVPCCommand).callsFake(answer(() => ({HostedZoneSummaries: [], MaxItems: 100})))

const clients = {
  ecs: async () => new ECSClient({region: REGION, credentials}),
  ec2: async () => new EC2Client({region: REGION, credentials}),
  route53: async () => new Route53Client({region: REGION, credentials}),
}

async function run() {
  calls = 0
  const start = performance.now()
  const outcome = await checkEndpoints(clients, {region: REGION, cluster: 'bench', allServices: true})
  return {wall: performance.now() - start, calls, outcome}
}

// Warm-up (module loading, JIT), then the start-up cost: the same audit with zero latency.
await run()
const startups = []
for (let i = 0; i < 5; i++) startups.push((await run()).wall)
const startup = startups.sort((a, b) => a - b)[2]

const distinct = new Set(services.map((s) => s.taskDefinition)).size
const callTarget = 40 + distinct
let ok = true
const lines = [`services ${SERVICES}, VPCs ${VPCS}, distinct task definitions ${distinct}; start-up (zero-latency audit, median of 5): ${startup.toFixed(0)} ms`]
for (const scenario of [
  {name: 'fixed 50 ms', bound: 50, latency: () => 50},
  {name: 'fixed 100 ms', bound: 100, latency: () => 100},
  {name: 'random 50-100 ms', bound: 100, latency: () => 50 + Math.round(random() * 50)},
]) {
  latency = scenario.latency
  const {wall, calls: n, outcome} = await run()
  const wallTarget = 6 * scenario.bound + startup
  const pass = n <= callTarget && wall <= wallTarget && outcome.document.vpcs.length === VPCS
  ok &&= pass
  lines.push(`${scenario.name}: ${n} API calls (target ≤ ${callTarget}), wall ${wall.toFixed(0)} ms (target ≤ ${wallTarget.toFixed(0)} ms = 6 × ${scenario.bound} + ${startup.toFixed(0)}) ${pass ? 'ok' : 'MISSED'}`)
}
const findings = (await run()).outcome.document.vpcs.map((v) => `${v.vpcId}: ${v.findings.filter((f) => f.status !== 'ok' && f.status !== 'unused').length} problems`)
lines.push(`findings: ${findings.join(', ')}`)
for (const line of lines) console.log(line)
process.exit(ok ? 0 : 1)
