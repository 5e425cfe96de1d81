// Benchmark: `ecsops exec check` gathering with an artificial latency on every AWS call.
// Shows that independent calls run concurrently: at most 4 sequential rounds on every path
// measured (Fargate --task, --service, EC2 bridge with the instance role), so wall time ≤ 4 × latency + start-up. Prints a few lines; exit 0 when targets are met.
// Needs the build (`npm run build`): imports ../dist.
import {performance} from 'node:perf_hooks'
import {setTimeout as sleep} from 'node:timers/promises'

import * as ec2 from '@aws-sdk/client-ec2'
import * as ecs from '@aws-sdk/client-ecs'
import * as iam from '@aws-sdk/client-iam'
import * as kms from '@aws-sdk/client-kms'
import * as route53 from '@aws-sdk/client-route-53'
import * as sts from '@aws-sdk/client-sts'
import {mockClient} from 'aws-sdk-client-mock'

import {gatherExecFacts} from '../dist/exec/facts.js'
import {checkReport} from '../dist/exec/checks.js'
import {loadNetworkAuditor} from '../dist/exec/network.js'

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true'
const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 100)
const STARTUP_ALLOWANCE_MS = 150
const region = 'eu-west-1'
const account = '123456789012'
const clusterArn = `arn:aws:ecs:${region}:${account}:cluster/prod`
const taskArn = `arn:aws:ecs:${region}:${account}:task/prod/0f1e2d3c4b5a69788796a5b4c3d2e1f0`

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
  sts: mockClient(sts.STSClient),
  kms: mockClient(kms.KMSClient),
  route53: mockClient(route53.Route53Client),
}

function task(extra = {}) {
  return {
    taskArn,
    clusterArn,
    taskDefinitionArn: `arn:aws:ecs:${region}:${account}:task-definition/web:42`,
    lastStatus: 'RUNNING',
    launchType: 'FARGATE',
    platformVersion: '1.4.0',
    enableExecuteCommand: true,
    startedAt: new Date(),
    attachments: [
      {type: 'ServiceConnect', details: []},
      {type: 'ElasticNetworkInterface', details: [{name: 'subnetId', value: 'subnet-a'}, {name: 'networkInterfaceId', value: 'eni-1'}]},
    ],
    containers: [{name: 'app', runtimeId: 'r', managedAgents: [{name: 'ExecuteCommandAgent', lastStatus: 'RUNNING'}]}],
    ...extra,
  }
}

function setUp({taskRole = true, ec2Launch = false} = {}) {
  for (const m of Object.values(mocks)) m.reset()
  slow(mocks.sts, sts.GetCallerIdentityCommand, {Account: account, Arn: `arn:aws:sts::${account}:assumed-role/Dev/alice`, UserId: 'AROAEXAMPLE:alice'})
  slow(mocks.iam, iam.ListRolesCommand, {Roles: [{RoleId: 'AROAEXAMPLE', Arn: `arn:aws:iam::${account}:role/Dev`, RoleName: 'Dev', Path: '/', CreateDate: new Date()}]})
  slow(mocks.iam, iam.SimulatePrincipalPolicyCommand, (input) => ({EvaluationResults: input.ActionNames.map((a) => ({EvalActionName: a, EvalDecision: 'allowed'}))}))
  slow(mocks.iam, iam.GetInstanceProfileCommand, {InstanceProfile: {Roles: [{Arn: `arn:aws:iam::${account}:role/node`}]}})
  slow(mocks.iam, iam.ListInstanceProfilesCommand, {InstanceProfiles: [{Arn: `arn:aws:iam::${account}:instance-profile/node`, InstanceProfileId: 'AIPANODE', Roles: [{Arn: `arn:aws:iam::${account}:role/node`}]}]})
  slow(mocks.ecs, ecs.DescribeClustersCommand, {
    clusters: [{clusterArn, clusterName: 'prod', configuration: {executeCommandConfiguration: {kmsKeyId: 'alias/exec', logging: 'OVERRIDE', logConfiguration: {s3BucketName: 'audit', s3EncryptionEnabled: true, cloudWatchLogGroupName: '/ecs/exec'}}}}],
  })
  const t = ec2Launch ? task({launchType: 'EC2', containerInstanceArn: 'arn:ci', attachments: []}) : task()
  slow(mocks.ecs, ecs.ListTasksCommand, {taskArns: [taskArn]})
  slow(mocks.ecs, ecs.DescribeServicesCommand, {services: [{serviceName: 'web', networkConfiguration: {awsvpcConfiguration: {subnets: ['subnet-a', 'subnet-b'], securityGroups: ['sg-1'], assignPublicIp: 'DISABLED'}}}]})
  slow(mocks.ecs, ecs.DescribeTasksCommand, {tasks: [t]})
  slow(mocks.ecs, ecs.DescribeTaskDefinitionCommand, {taskDefinition: {family: 'web', revision: 42, taskRoleArn: taskRole ? `arn:aws:iam::${account}:role/app` : undefined, containerDefinitions: [{name: 'app'}]}})
  slow(mocks.ecs, ecs.DescribeContainerInstancesCommand, {containerInstances: [{ec2InstanceId: 'i-1', versionInfo: {agentVersion: '1.88.0'}, attributes: [{name: 'ecs.vpc-id', value: 'vpc-1'}, {name: 'ecs.subnet-id', value: 'subnet-a'}]}]})
  slow(mocks.kms, kms.DescribeKeyCommand, {KeyMetadata: {KeyId: 'k', Arn: `arn:aws:kms:${region}:${account}:key/k`}})
  slow(mocks.ec2, ec2.DescribeNetworkInterfacesCommand, {NetworkInterfaces: [{VpcId: 'vpc-1', SubnetId: 'subnet-a', AvailabilityZone: 'eu-west-1a', Groups: [{GroupId: 'sg-1'}]}]})
  slow(mocks.ec2, ec2.DescribeInstancesCommand, {Reservations: [{Instances: [{IamInstanceProfile: {Arn: `arn:aws:iam::${account}:instance-profile/node`}, SecurityGroups: [{GroupId: 'sg-1'}]}]}]})
  slow(mocks.ec2, ec2.DescribeSubnetsCommand, {Subnets: [{SubnetId: 'subnet-a', VpcId: 'vpc-1', AvailabilityZone: 'eu-west-1a', OwnerId: account, CidrBlock: '10.0.1.0/24'}]})
  slow(mocks.ec2, ec2.DescribeRouteTablesCommand, {RouteTables: [{RouteTableId: 'rtb-1', VpcId: 'vpc-1', Associations: [{Main: true}], Routes: [{DestinationCidrBlock: '10.0.0.0/16', GatewayId: 'local'}]}]})
  slow(mocks.ec2, ec2.DescribeVpcEndpointsCommand, {VpcEndpoints: []})
  slow(mocks.ec2, ec2.DescribeSecurityGroupsCommand, {SecurityGroups: [{GroupId: 'sg-1', VpcId: 'vpc-1', OwnerId: account}]})
  slow(mocks.ec2, ec2.DescribeVpcAttributeCommand, {EnableDnsSupport: {Value: true}, EnableDnsHostnames: {Value: true}})
  slow(mocks.ec2, ec2.DescribeVpcEndpointServicesCommand, {ServiceDetails: []})
  slow(mocks.route53, route53.ListHostedZonesByVPCCommand, {HostedZoneSummaries: []})
}

const clients = {
  ecs: async () => new ecs.ECSClient({region}),
  ec2: async () => new ec2.EC2Client({region}),
  iam: async () => new iam.IAMClient({region}),
  sts: async () => new sts.STSClient({region}),
  kms: async () => new kms.KMSClient({region}),
  route53: async () => new route53.Route53Client({region}),
}

/** The round of a call: how many latencies after the start it began (robust to a few ms of drift). */
function rounds(list, t0) {
  return list.reduce((max, s) => Math.max(max, Math.round((s.at - t0) / LATENCY_MS) + 1), 0)
}

async function measure(name, setup, target, budgetRounds) {
  setup()
  const auditNetwork = await loadNetworkAuditor()
  // Warm-up: module loading and client construction are start-up, not AWS rounds.
  await gatherExecFacts(clients, {region: {name: region, source: 'bench'}, cluster: 'prod', ...target, probe: async () => ({installed: true, version: '1.2.650.0'}), auditNetwork})
  // Three measured runs; the median wall time is reported.
  const runs = []
  for (let i = 0; i < 3; i++) {
    starts = []
    const t0 = performance.now()
    const facts = await gatherExecFacts(clients, {region: {name: region, source: 'bench'}, cluster: 'prod', ...target, probe: async () => ({installed: true, version: '1.2.650.0'}), auditNetwork})
    runs.push({wall: performance.now() - t0, rounds: rounds(starts, t0), calls: starts.length, facts, t0, starts})
  }
  runs.sort((a, b) => a.wall - b.wall)
  const {wall, rounds: r, facts, t0} = runs[1]
  starts = runs[1].starts
  const report = checkReport(facts, {cluster: 'prod', task: 'x'}, 'linux')
  if (process.env.BENCH_DEBUG) for (const s of [...starts].sort((a, b) => a.at - b.at)) console.log(`  ${(s.at - t0).toFixed(0).padStart(5)} ms ${s.name}`)
  const limit = budgetRounds * LATENCY_MS + STARTUP_ALLOWANCE_MS
  const ok = budgetRounds === undefined ? true : wall <= limit && r <= budgetRounds
  console.log(
    `exec check ${name}: ${starts.length} AWS calls in ${r} sequential rounds, wall ${wall.toFixed(0)} ms (median of 3)` +
      (budgetRounds === undefined ? ' (reported, no target)' : ` (target ≤ ${budgetRounds} rounds, ≤ ${limit} ms) ${ok ? 'OK' : 'MISSED'}`) +
      `; ${report.results.length} checks`,
  )
  return ok
}

console.log(`latency per AWS call: ${LATENCY_MS} ms; the bash checker makes about 15 sequential AWS CLI calls (≥ ${15 * LATENCY_MS} ms of latency alone)`)
const results = [
  await measure('--task, Fargate, KMS + S3 + CloudWatch logging, assumed-role caller', () => setUp(), {task: taskArn}, 4),
  await measure('--service (newest RUNNING task of the service)', () => setUp(), {service: 'web'}, 4),
  await measure('--task, EC2 bridge network, instance-profile role', () => setUp({taskRole: false, ec2Launch: true}), {task: taskArn}, 4),
  // Reported only: ListTasks → DescribeTasks → DescribeContainerInstances → DescribeInstances →
  // SimulatePrincipalPolicy is a chain of five calls, each needing the previous answer.
  await measure('--service, EC2 bridge network, instance-profile role', () => setUp({taskRole: false, ec2Launch: true}), {service: 'web'}, undefined),
]
process.exit(results.every(Boolean) ? 0 : 1)
