// Benchmark: `ecsops preflight` with an artificial latency on every AWS call, for a Fargate
// service with 2 containers, 3 secrets (2 Secrets Manager, 1 Parameter Store) and 2 ECR images.
// Target (issue 9): ≤ 30 AWS calls in ≤ 4 sequential rounds (DescribeServices → DescribeTaskDefinition
// → the reads and the audit's DescribeSubnets → the simulator and the rest of the audit), so wall
// time ≤ 4 × latency + start-up. Also --task of a stopped task and a multi-arch image index.
// Prints a few lines; exit 0 when the targets are met. Needs the build (`npm run build`): imports ../dist.
import {performance} from 'node:perf_hooks'
import {setTimeout as sleep} from 'node:timers/promises'

import * as logs from '@aws-sdk/client-cloudwatch-logs'
import * as ec2 from '@aws-sdk/client-ec2'
import * as ecr from '@aws-sdk/client-ecr'
import * as ecs from '@aws-sdk/client-ecs'
import * as iam from '@aws-sdk/client-iam'
import * as route53 from '@aws-sdk/client-route-53'
import * as sm from '@aws-sdk/client-secrets-manager'
import * as ssm from '@aws-sdk/client-ssm'
import {mockClient} from 'aws-sdk-client-mock'

import {runPreflight} from '../dist/preflight/run.js'

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true'
const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 100)
const STARTUP_ALLOWANCE_MS = 150
const MAX_CALLS = 30
const MAX_ROUNDS = 4
const region = 'eu-west-1'
const account = '123456789012'
const tdArn = `arn:aws:ecs:${region}:${account}:task-definition/web:42`
const registry = `${account}.dkr.ecr.${region}.amazonaws.com`

let starts = []
function slow(mock, command, answer) {
  mock.on(command).callsFake(async (input) => {
    starts.push({at: performance.now(), name: command.name})
    await sleep(LATENCY_MS)
    return typeof answer === 'function' ? answer(input) : answer
  })
}

const mocks = {
  ecs: mockClient(ecs.ECSClient),
  ec2: mockClient(ec2.EC2Client),
  iam: mockClient(iam.IAMClient),
  route53: mockClient(route53.Route53Client),
  ecr: mockClient(ecr.ECRClient),
  sm: mockClient(sm.SecretsManagerClient),
  ssm: mockClient(ssm.SSMClient),
  logs: mockClient(logs.CloudWatchLogsClient),
}

const taskDefinition = {
  taskDefinitionArn: tdArn,
  family: 'web',
  revision: 42,
  requiresCompatibilities: ['FARGATE'],
  networkMode: 'awsvpc',
  cpu: '512',
  memory: '1024',
  executionRoleArn: `arn:aws:iam::${account}:role/ecsTaskExecutionRole`,
  taskRoleArn: `arn:aws:iam::${account}:role/web-app`,
  containerDefinitions: [
    {
      name: 'app',
      image: `${registry}/team/web:1.4.2`,
      secrets: [
        {name: 'DB_PASSWORD', valueFrom: `arn:aws:secretsmanager:${region}:${account}:secret:prod/db-AbCdEf:password::`},
        {name: 'API_KEY', valueFrom: `arn:aws:secretsmanager:${region}:${account}:secret:prod/api-XyZ123`},
        {name: 'FLAGS', valueFrom: '/prod/flags'},
      ],
      logConfiguration: {logDriver: 'awslogs', options: {'awslogs-group': '/ecs/web', 'awslogs-region': region, 'awslogs-stream-prefix': 'web'}},
    },
    {name: 'proxy', image: `${registry}/proxy:2`, logConfiguration: {logDriver: 'awslogs', options: {'awslogs-group': '/ecs/web', 'awslogs-region': region, 'awslogs-stream-prefix': 'proxy'}}},
  ],
}

function setUp({multiArch = false} = {}) {
  for (const m of Object.values(mocks)) m.reset()
  slow(mocks.ecs, ecs.DescribeServicesCommand, {services: [{serviceName: 'web', status: 'ACTIVE', taskDefinition: tdArn, launchType: 'FARGATE', networkConfiguration: {awsvpcConfiguration: {subnets: ['subnet-a', 'subnet-b'], securityGroups: ['sg-1'], assignPublicIp: 'DISABLED'}}}]})
  slow(mocks.ecs, ecs.DescribeTaskDefinitionCommand, {taskDefinition})
  slow(mocks.ecs, ecs.DescribeTasksCommand, {
    tasks: [{taskArn: `arn:aws:ecs:${region}:${account}:task/prod/abc`, clusterArn: `arn:aws:ecs:${region}:${account}:cluster/prod`, taskDefinitionArn: tdArn, group: 'service:web', launchType: 'FARGATE', lastStatus: 'STOPPED', stopCode: 'TaskFailedToStart', stoppedReason: 'ResourceInitializationError: unable to pull secrets or registry auth: … i/o timeout', attachments: [{type: 'ElasticNetworkInterface', details: [{name: 'subnetId', value: 'subnet-a'}]}], containers: []}],
  })
  slow(mocks.iam, iam.GetRoleCommand, {Role: {RoleName: 'ecsTaskExecutionRole', Arn: taskDefinition.executionRoleArn, Path: '/', RoleId: 'AROA', CreateDate: new Date(), AssumeRolePolicyDocument: encodeURIComponent(JSON.stringify({Statement: [{Effect: 'Allow', Principal: {Service: 'ecs-tasks.amazonaws.com'}, Action: 'sts:AssumeRole'}]}))}})
  slow(mocks.iam, iam.SimulatePrincipalPolicyCommand, (input) => ({EvaluationResults: input.ActionNames.map((a) => ({EvalActionName: a, EvalDecision: 'allowed', ResourceSpecificResults: input.ResourceArns.map((r) => ({EvalResourceName: r, EvalResourceDecision: 'allowed'}))}))}))
  const mediaType = multiArch ? 'application/vnd.oci.image.index.v1+json' : 'application/vnd.docker.distribution.manifest.v2+json'
  slow(mocks.ecr, ecr.DescribeImagesCommand, {imageDetails: [{imageDigest: `sha256:${'b'.repeat(64)}`, imageManifestMediaType: mediaType}]})
  slow(mocks.ecr, ecr.BatchGetImageCommand, {images: [{imageManifest: JSON.stringify({manifests: [{platform: {architecture: 'amd64', os: 'linux'}}, {platform: {architecture: 'arm64', os: 'linux'}}]})}]})
  slow(mocks.sm, sm.DescribeSecretCommand, (input) => ({ARN: input.SecretId}))
  slow(mocks.ssm, ssm.DescribeParametersCommand, {Parameters: [{Name: '/prod/flags', Type: 'String'}]})
  slow(mocks.logs, logs.DescribeLogGroupsCommand, {logGroups: [{logGroupName: '/ecs/web'}]})
  slow(mocks.ec2, ec2.DescribeSubnetsCommand, {Subnets: [{SubnetId: 'subnet-a', VpcId: 'vpc-1', AvailabilityZone: 'eu-west-1a', OwnerId: account, CidrBlock: '10.0.1.0/24'}, {SubnetId: 'subnet-b', VpcId: 'vpc-1', AvailabilityZone: 'eu-west-1b', OwnerId: account, CidrBlock: '10.0.2.0/24'}]})
  slow(mocks.ec2, ec2.DescribeRouteTablesCommand, {RouteTables: [{RouteTableId: 'rtb-1', VpcId: 'vpc-1', Associations: [{Main: true}], Routes: [{DestinationCidrBlock: '10.0.0.0/16', GatewayId: 'local'}]}]})
  slow(mocks.ec2, ec2.DescribeVpcEndpointsCommand, {VpcEndpoints: []})
  slow(mocks.ec2, ec2.DescribeSecurityGroupsCommand, {SecurityGroups: [{GroupId: 'sg-1', VpcId: 'vpc-1', OwnerId: account}]})
  slow(mocks.ec2, ec2.DescribeVpcAttributeCommand, {EnableDnsSupport: {Value: true}, EnableDnsHostnames: {Value: true}})
  slow(mocks.ec2, ec2.DescribeVpcEndpointServicesCommand, {ServiceDetails: []})
  slow(mocks.ec2, ec2.DescribeNatGatewaysCommand, {NatGateways: []})
  slow(mocks.route53, route53.ListHostedZonesByVPCCommand, {HostedZoneSummaries: []})
}

const clients = {
  ecs: async () => new ecs.ECSClient({region}),
  ec2: async () => new ec2.EC2Client({region}),
  iam: async () => new iam.IAMClient({region}),
  route53: async () => new route53.Route53Client({region}),
  ecr: async (r) => new ecr.ECRClient({region: r ?? region}),
  secretsManager: async (r) => new sm.SecretsManagerClient({region: r ?? region}),
  ssm: async (r) => new ssm.SSMClient({region: r ?? region}),
  logs: async (r) => new logs.CloudWatchLogsClient({region: r ?? region}),
}

/** The round of a call: how many latencies after the start it began (robust to a few ms of drift). */
function rounds(list, t0) {
  return list.reduce((max, s) => Math.max(max, Math.round((s.at - t0) / LATENCY_MS) + 1), 0)
}

async function measure(name, setup, request) {
  setup()
  // Warm-up: module loading and client construction are start-up, not AWS rounds.
  await runPreflight(clients, request)
  const runs = []
  for (let i = 0; i < 3; i++) {
    starts = []
    const t0 = performance.now()
    const report = await runPreflight(clients, request)
    runs.push({wall: performance.now() - t0, rounds: rounds(starts, t0), calls: starts.length, report, t0, starts})
  }
  runs.sort((a, b) => a.wall - b.wall)
  const {wall, rounds: r, calls, report, t0} = runs[1]
  if (process.env.BENCH_DEBUG) for (const s of [...runs[1].starts].sort((a, b) => a.at - b.at)) console.log(`  ${(s.at - t0).toFixed(0).padStart(5)} ms ${s.name}`)
  const limit = MAX_ROUNDS * LATENCY_MS + STARTUP_ALLOWANCE_MS
  const ok = calls <= MAX_CALLS && r <= MAX_ROUNDS && wall <= limit
  console.log(`preflight ${name}: ${calls} AWS calls in ${r} sequential rounds, wall ${wall.toFixed(0)} ms (median of 3) (target ≤ ${MAX_CALLS} calls, ≤ ${MAX_ROUNDS} rounds, ≤ ${limit} ms) ${ok ? 'OK' : 'MISSED'}; ${report.results.length} checks`)
  return ok
}

console.log(`latency per AWS call: ${LATENCY_MS} ms`)
const results = [
  await measure('--service (2 containers, 3 secrets, 2 images)', () => setUp(), {region, cluster: 'prod', service: 'web'}),
  await measure('--service, multi-arch images (BatchGetImage)', () => setUp({multiArch: true}), {region, cluster: 'prod', service: 'web'}),
  await measure('--task of a stopped task of the service', () => setUp(), {region, cluster: 'prod', task: 'abc'}),
]
process.exit(results.every(Boolean) ? 0 : 1)
