import type {EC2Client} from '@aws-sdk/client-ec2'
import type {ECSClient, Task, TaskDefinition} from '@aws-sdk/client-ecs'
import type {InstanceProfile} from '@aws-sdk/client-iam'
import type {Route53Client} from '@aws-sdk/client-route-53'

import type {AwsClients} from '../aws/clients.js'
import {principalOf} from '../aws/identity.js'
import {execLogGroups, LOGS_ACTIONS, SSMMESSAGES_ACTIONS} from './checks.js'
import type {ClusterFacts, Decisions, ExecFacts, Fact, NetworkReport, RoleFacts, TaskNetwork} from './model.js'
import {clusterNameOf} from '../aws/arn.js'
import type {PluginProbe} from './plugin.js'
import {documentArn, FORWARD_DOCUMENTS} from './forward.js'

/**
 * The I/O of `exec check`: every AWS call, each started as soon as what it needs is known, so
 * the calls form at most four sequential rounds on the usual paths:
 *   1. sts:GetCallerIdentity, ecs:DescribeClusters, ecs:DescribeTasks (and the plugin's --version)
 *   2. ecs:DescribeTaskDefinition, ecs:DescribeContainerInstances, kms:DescribeKey, iam:ListRoles,
 *      ec2:DescribeNetworkInterfaces
 *   3. iam:SimulatePrincipalPolicy (caller and role; with --port-forward also one per
 *      port-forwarding document), the endpoint audit (3–4)
 * With --service, round 1 is ecs:ListTasks + ecs:DescribeServices: the endpoint audit starts in
 * round 2 from the service's network configuration, so the total stays at four. EC2 tasks on
 * bridge/host networking without a task role also stay at four: ec2:DescribeInstances in round 3
 * (after ecs:DescribeContainerInstances), its instance profile mapped to the role through
 * iam:ListInstanceProfiles listed beside it, the simulator in round 4 (five rounds only when the
 * profile is not on the first page of that list, or the list is denied: iam:GetInstanceProfile).
 *
 * Read top-down: `gatherExecFacts` starts each step as a promise of a Fact (never rejected) and
 * hands the promises to the steps that need them; each step below is one AWS read turned into
 * plain data.
 */

/** The clients exec check calls (the AWS layer's factory, or mocks in tests). */
export type ExecCheckClients = Pick<AwsClients, 'ecs' | 'ec2' | 'iam' | 'sts' | 'kms' | 'route53'>

export interface NetworkAuditInput {
  region: string
  network: {vpcId?: string; subnetIds: string[]; securityGroupIds: string[]}
  needs: Array<{service: string; reason: string}>
}

/** The endpoint audit of `ecsops check-endpoints` (src/endpoints/api.ts), injected. */
export type NetworkAuditor = (clients: {ec2: EC2Client; route53: Route53Client}, input: NetworkAuditInput) => Promise<NetworkReport>

export interface GatherOptions {
  region: {name: string; source: string}
  cluster: string
  /** A task id or ARN; or a service whose newest RUNNING task is checked. */
  task?: string
  service?: string
  /** A task already described (by the picker): saves a round. */
  described?: Task
  probe: () => Promise<PluginProbe>
  auditNetwork: NetworkAuditor
  /** Also simulate what `ecsops exec port-forward` needs (exec check --port-forward). */
  portForward?: boolean
}

function errorFact(error: unknown): {ok: false; code: string; message: string} {
  const e = error as {name?: string; message?: string}
  return {ok: false, code: e.name ?? 'Error', message: (e.message ?? String(error)).split('\n')[0]}
}

async function fact<T>(work: () => Promise<T>): Promise<Fact<T>> {
  try {
    return {ok: true, value: await work()}
  } catch (error) {
    return errorFact(error)
  }
}

/** `arn:aws:ecs:eu-west-1:123:task/…` → {partition: 'aws', account: '123'}. */
function arnParts(arn: string): {partition: string; account: string} {
  const [, partition = 'aws', , , account = ''] = arn.split(':')
  return {partition, account}
}

/** The task's awsvpc network interface: found by attachment type, not position (Service Connect and EBS attachments may come first). */
export function eniAttachmentOf(task: Task): {eniId?: string; subnetId?: string} | undefined {
  const attachment = (task.attachments ?? []).find((a) => a.type === 'ElasticNetworkInterface' || a.type === 'eni')
  if (!attachment) return undefined
  const detail = (name: string) => attachment.details?.find((d) => d.name === name)?.value
  return {eniId: detail('networkInterfaceId'), subnetId: detail('subnetId')}
}

/** What every step needs: the clients, the options, the ECS client and its command classes. */
interface Gathering {
  clients: ExecCheckClients
  options: GatherOptions
  ecs: ECSClient
  ecsSdk: typeof import('@aws-sdk/client-ecs')
}

type CallerIdentity = {arn: string; account: string; userId: string; principalArn: string}
type ContainerInstanceFacts = {agentVersion?: string; ec2InstanceId?: string; osType?: string; vpcId?: string; subnetId?: string}
type InstanceFacts = {profileArn?: string; profileId?: string; securityGroupIds: string[]; publicIp: boolean}
type ServiceNetwork = {subnetIds: string[]; securityGroupIds: string[]; publicIp: boolean}
type SimulationRequest = {actions: string[]; resource?: string}

export async function gatherExecFacts(clients: ExecCheckClients, options: GatherOptions): Promise<ExecFacts> {
  const g: Gathering = {clients, options, ecs: await clients.ecs(), ecsSdk: await import('@aws-sdk/client-ecs')}

  // Round 1
  const plugin = options.probe()
  const caller = fact(() => callerIdentity(g))
  const cluster = fact(() => describeCluster(g))
  const task = fact(() => findTask(g))
  const serviceNetwork = options.service && !options.task && !options.described ? fact(() => describeServiceNetwork(g)) : undefined

  // Round 2
  const taskDefinition = task.then((t) => (t.ok && t.value.taskDefinitionArn ? fact(() => describeTaskDefinition(g, t.value.taskDefinitionArn as string)) : undefined))
  const containerInstance = task.then((t) => (t.ok && t.value.containerInstanceArn ? fact(() => describeContainerInstance(g, t.value.containerInstanceArn as string)) : undefined))
  const kmsKeyArn = cluster.then((c) => (c.ok && c.value.exec?.kmsKeyId ? fact(() => describeKmsKey(g, c.value.exec?.kmsKeyId as string)) : undefined))
  const principal = caller.then((c) => (c.ok ? callerPrincipal(g, c.value) : undefined))
  const instance = containerInstance.then((ci) => (ci?.ok && ci.value.ec2InstanceId ? fact(() => describeInstance(g, ci.value.ec2InstanceId as string)) : undefined))
  const instanceProfiles = Promise.all([task, taskDefinition]).then(([t, def]) => (needsInstanceRole(t, def) ? fact(() => listInstanceProfiles(g)) : undefined))
  const role = task.then((t) => (t.ok ? findRole(g, t.value, {taskDefinition, instance, instanceProfiles}) : undefined))

  // Round 3: the simulator, and the network
  const callerDecisions = Promise.all([principal, task, cluster, kmsKeyArn]).then(([p, t, c, k]) => (p && t.ok ? fact(() => simulate(g, p, callerRequests(t.value, c, k))) : undefined))
  const roleDecisions = Promise.all([role, task, cluster, kmsKeyArn, taskDefinition]).then(([r, t, c, k, def]) =>
    r?.ok && r.value && t.ok ? fact(() => simulate(g, (r.value as RoleFacts).arn, roleRequests(options.region.name, t.value, c, k, def))) : undefined,
  )
  const documentDecisions = Promise.all([principal, task]).then(([p, t]) => (options.portForward && p && t.ok ? fact(() => simulateDocuments(g, p, t.value)) : undefined))
  const network = gatherNetwork(g, {task, cluster, serviceNetwork, containerInstance, instance})

  const [callerF, pluginF, clusterF, taskF, defF, ciF, kmsF, roleF, callerD, roleD, networkF, documentD] = await Promise.all([
    caller,
    plugin,
    cluster,
    task,
    taskDefinition,
    containerInstance,
    kmsKeyArn,
    role,
    callerDecisions,
    roleDecisions,
    network,
    documentDecisions,
  ])
  return {
    region: options.region,
    caller: callerF.ok ? {ok: true, value: {arn: callerF.value.arn, account: callerF.value.account, principalArn: callerF.value.principalArn}} : callerF,
    plugin: pluginF,
    cluster: clusterF,
    task: taskF,
    taskDefinition: defF,
    containerInstance: ciF ? (ciF.ok ? {ok: true, value: {agentVersion: ciF.value.agentVersion, ec2InstanceId: ciF.value.ec2InstanceId, osType: ciF.value.osType}} : ciF) : undefined,
    kmsKeyArn: kmsF,
    role: roleF,
    callerDecisions: callerD,
    roleDecisions: roleD,
    network: networkF,
    documentDecisions: documentD,
  }
}

// ---------------------------------------------------------------- round 1: caller, cluster, task

async function callerIdentity(g: Gathering): Promise<CallerIdentity> {
  const {GetCallerIdentityCommand} = await import('@aws-sdk/client-sts')
  const out = await (await g.clients.sts()).send(new GetCallerIdentityCommand({}))
  return {arn: out.Arn ?? '', account: out.Account ?? '', userId: out.UserId ?? '', principalArn: principalOf(out.Arn ?? '')}
}

async function describeCluster(g: Gathering): Promise<ClusterFacts> {
  const {cluster} = g.options
  const out = await g.ecs.send(new g.ecsSdk.DescribeClustersCommand({clusters: [cluster], include: ['CONFIGURATIONS']}))
  const c = out.clusters?.[0]
  if (!c) throw Object.assign(new Error(`cluster ${cluster} not found (${out.failures?.[0]?.reason ?? 'MISSING'})`), {name: 'ClusterNotFoundException'})
  const e = c.configuration?.executeCommandConfiguration
  return {
    arn: c.clusterArn ?? cluster,
    name: c.clusterName ?? clusterNameOf(cluster),
    exec: e
      ? {
          kmsKeyId: e.kmsKeyId,
          logging: e.logging,
          s3BucketName: e.logConfiguration?.s3BucketName,
          s3KeyPrefix: e.logConfiguration?.s3KeyPrefix,
          s3EncryptionEnabled: e.logConfiguration?.s3EncryptionEnabled,
          cloudWatchLogGroupName: e.logConfiguration?.cloudWatchLogGroupName,
          cloudWatchEncryptionEnabled: e.logConfiguration?.cloudWatchEncryptionEnabled,
        }
      : undefined,
  }
}

/** The task asked for, the one the picker described, or the newest RUNNING task of the service. */
async function findTask(g: Gathering): Promise<Task> {
  const {cluster, described, service} = g.options
  if (described) return described
  let wanted = g.options.task
  if (!wanted) {
    const listed = await g.ecs.send(new g.ecsSdk.ListTasksCommand({cluster, serviceName: service, desiredStatus: 'RUNNING'}))
    if (!listed.taskArns?.length) throw Object.assign(new Error(`no RUNNING task in service ${service}`), {name: 'MISSING'})
    const out = await g.ecs.send(new g.ecsSdk.DescribeTasksCommand({cluster, tasks: listed.taskArns.slice(0, 100)}))
    const newest = (out.tasks ?? []).filter((t) => t.lastStatus === 'RUNNING').sort((a, b) => new Date(b.startedAt ?? 0).getTime() - new Date(a.startedAt ?? 0).getTime())[0]
    if (newest) return newest
    wanted = listed.taskArns[0]
  }
  const out = await g.ecs.send(new g.ecsSdk.DescribeTasksCommand({cluster, tasks: [wanted]}))
  const t = out.tasks?.[0]
  if (!t) throw Object.assign(new Error(`task ${wanted} not found in cluster ${clusterNameOf(cluster)} (${out.failures?.[0]?.reason ?? 'MISSING'})`), {name: 'MISSING'})
  return t
}

/** With --service: its awsvpc configuration, so that the endpoint audit can start beside DescribeTasks. */
async function describeServiceNetwork(g: Gathering): Promise<ServiceNetwork | undefined> {
  const out = await g.ecs.send(new g.ecsSdk.DescribeServicesCommand({cluster: g.options.cluster, services: [g.options.service as string]}))
  const vpc = out.services?.[0]?.networkConfiguration?.awsvpcConfiguration
  return vpc ? {subnetIds: vpc.subnets ?? [], securityGroupIds: vpc.securityGroups ?? [], publicIp: vpc.assignPublicIp === 'ENABLED'} : undefined
}

// ---------------------------------------------------------------- round 2: what the task and caller point at

async function describeTaskDefinition(g: Gathering, arn: string): Promise<TaskDefinition> {
  const out = await g.ecs.send(new g.ecsSdk.DescribeTaskDefinitionCommand({taskDefinition: arn}))
  return out.taskDefinition ?? {}
}

async function describeContainerInstance(g: Gathering, arn: string): Promise<ContainerInstanceFacts> {
  const out = await g.ecs.send(new g.ecsSdk.DescribeContainerInstancesCommand({cluster: g.options.cluster, containerInstances: [arn]}))
  const ci = out.containerInstances?.[0]
  const attribute = (name: string) => ci?.attributes?.find((a) => a.name === name)?.value
  return {agentVersion: ci?.versionInfo?.agentVersion, ec2InstanceId: ci?.ec2InstanceId, osType: attribute('ecs.os-type'), vpcId: attribute('ecs.vpc-id'), subnetId: attribute('ecs.subnet-id')}
}

async function describeKmsKey(g: Gathering, keyId: string): Promise<string> {
  const {DescribeKeyCommand} = await import('@aws-sdk/client-kms')
  const out = await (await g.clients.kms()).send(new DescribeKeyCommand({KeyId: keyId}))
  return out.KeyMetadata?.Arn ?? keyId
}

/** The principal to simulate: an assumed role's ARN may carry a path the session ARN lacks, so it is found by its id. */
async function callerPrincipal(g: Gathering, caller: CallerIdentity): Promise<string> {
  if (!/:assumed-role\//.test(caller.arn)) return caller.principalArn
  const roleId = caller.userId.split(':')[0]
  try {
    const {ListRolesCommand} = await import('@aws-sdk/client-iam')
    const iam = await g.clients.iam()
    let Marker: string | undefined
    do {
      const out = await iam.send(new ListRolesCommand({Marker, MaxItems: 1000}))
      const role = out.Roles?.find((r) => r.RoleId === roleId)
      if (role?.Arn) return role.Arn
      Marker = out.IsTruncated ? out.Marker : undefined
    } while (Marker)
  } catch {
    // Without iam:ListRoles, the role ARN without its path is the best guess.
  }
  return caller.principalArn
}

async function describeInstance(g: Gathering, instanceId: string): Promise<InstanceFacts> {
  const {DescribeInstancesCommand} = await import('@aws-sdk/client-ec2')
  const out = await (await g.clients.ec2()).send(new DescribeInstancesCommand({InstanceIds: [instanceId]}))
  const i = out.Reservations?.[0]?.Instances?.[0]
  return {profileArn: i?.IamInstanceProfile?.Arn, profileId: i?.IamInstanceProfile?.Id, securityGroupIds: (i?.SecurityGroups ?? []).map((s) => s.GroupId ?? '').filter(Boolean), publicIp: Boolean(i?.PublicIpAddress)}
}

/**
 * On EC2 without a task role, the instance role is the one to check: the account's instance
 * profiles (first page) are listed beside ec2:DescribeInstances, as soon as the task definition
 * shows no task role, so that the instance's profile maps to its role when DescribeInstances
 * answers, without a GetInstanceProfile round before the simulator (4 rounds instead of 5).
 * A profile not on that page, or a denied iam:ListInstanceProfiles, falls back to
 * iam:GetInstanceProfile.
 */
function needsInstanceRole(t: Fact<Task>, def: Fact<TaskDefinition> | undefined): boolean {
  return t.ok && Boolean(t.value.containerInstanceArn) && !t.value.overrides?.taskRoleArn && Boolean(def?.ok) && !(def as {value: TaskDefinition}).value.taskRoleArn
}

async function listInstanceProfiles(g: Gathering): Promise<InstanceProfile[]> {
  const {ListInstanceProfilesCommand} = await import('@aws-sdk/client-iam')
  const out = await (await g.clients.iam()).send(new ListInstanceProfilesCommand({MaxItems: 1000}))
  return out.InstanceProfiles ?? []
}

/** The role the task's SSM agent uses: the task override's, the task definition's, or on EC2 the instance profile's. */
async function findRole(
  g: Gathering,
  task: Task,
  pending: {taskDefinition: Promise<Fact<TaskDefinition> | undefined>; instance: Promise<Fact<InstanceFacts> | undefined>; instanceProfiles: Promise<Fact<InstanceProfile[]> | undefined>},
): Promise<Fact<RoleFacts | null>> {
  if (task.overrides?.taskRoleArn) return {ok: true, value: {arn: task.overrides.taskRoleArn, source: 'task override'}}
  const def = await pending.taskDefinition
  if (def && !def.ok) return def
  if (def?.ok && def.value.taskRoleArn) return {ok: true, value: {arn: def.value.taskRoleArn, source: 'task definition'}}
  if (task.launchType !== 'EC2' && !task.containerInstanceArn) return {ok: true, value: null}
  const i = await pending.instance
  if (!i) return {ok: true, value: null}
  if (!i.ok) return i
  const {profileArn, profileId} = i.value
  if (!profileArn) return {ok: true, value: null}
  const listed = await pending.instanceProfiles
  const profile = listed?.ok ? listed.value.find((p) => p.Arn === profileArn || (profileId !== undefined && p.InstanceProfileId === profileId)) : undefined
  if (profile) {
    const arn = profile.Roles?.[0]?.Arn
    return {ok: true, value: arn ? {arn, source: 'instance profile'} : null}
  }
  return fact(() => instanceProfileRole(g, profileArn))
}

async function instanceProfileRole(g: Gathering, profileArn: string): Promise<RoleFacts | null> {
  const {GetInstanceProfileCommand} = await import('@aws-sdk/client-iam')
  const out = await (await g.clients.iam()).send(new GetInstanceProfileCommand({InstanceProfileName: profileArn.split('/').pop()}))
  const arn = out.InstanceProfile?.Roles?.[0]?.Arn
  return arn ? {arn, source: 'instance profile'} : null
}

// ---------------------------------------------------------------- round 3: the simulator

async function simulate(g: Gathering, source: string, requests: SimulationRequest[]): Promise<Decisions> {
  const {SimulatePrincipalPolicyCommand} = await import('@aws-sdk/client-iam')
  const iam = await g.clients.iam()
  const answers = await Promise.all(
    requests.map((r) => iam.send(new SimulatePrincipalPolicyCommand({PolicySourceArn: source, ActionNames: r.actions, ResourceArns: r.resource ? [r.resource] : undefined}))),
  )
  const decisions: Decisions = {}
  for (const a of answers) for (const e of a.EvaluationResults ?? []) if (e.EvalActionName && e.EvalDecision) decisions[e.EvalActionName] = e.EvalDecision
  return decisions
}

/** The caller: ecs:ExecuteCommand and ssm:StartSession on the task, kms:GenerateDataKey on the exec key. */
function callerRequests(task: Task, cluster: Fact<ClusterFacts>, kmsKeyArn: Fact<string> | undefined): SimulationRequest[] {
  const requests: SimulationRequest[] = [{actions: ['ecs:ExecuteCommand', 'ssm:StartSession'], resource: task.taskArn}]
  if (cluster.ok && cluster.value.exec?.kmsKeyId && kmsKeyArn?.ok) requests.push({actions: ['kms:GenerateDataKey'], resource: kmsKeyArn.value})
  return requests
}

/** The task role: the ssmmessages actions, kms:Decrypt on the exec key, writing the exec logs to S3 and CloudWatch Logs. */
function roleRequests(region: string, task: Task, cluster: Fact<ClusterFacts>, kmsKeyArn: Fact<string> | undefined, def: Fact<TaskDefinition> | undefined): SimulationRequest[] {
  const {partition, account} = arnParts(task.taskArn ?? '')
  const exec = cluster.ok ? cluster.value.exec : undefined
  const requests: SimulationRequest[] = [{actions: SSMMESSAGES_ACTIONS}]
  if (exec?.kmsKeyId && kmsKeyArn?.ok) requests.push({actions: ['kms:Decrypt'], resource: kmsKeyArn.value})
  if (exec?.s3BucketName) {
    const bucket = `arn:${partition}:s3:::${exec.s3BucketName}`
    requests.push({actions: ['s3:PutObject'], resource: `${bucket}/${exec.s3KeyPrefix ?? ''}*`})
    if (exec.s3EncryptionEnabled) requests.push({actions: ['s3:GetEncryptionConfiguration'], resource: bucket})
  }
  const {groups} = execLogGroups(exec, def?.ok ? def.value : undefined)
  if (groups.length > 0) requests.push({actions: [LOGS_ACTIONS[0]]})
  for (const group of groups) requests.push({actions: LOGS_ACTIONS.slice(1), resource: `arn:${partition}:logs:${region}:${account}:log-group:${group}:*`})
  return requests
}

/** Port forwarding: the caller's ssm:StartSession on each document, one simulation per ARN (the decision on the task itself is in the caller's). */
async function simulateDocuments(g: Gathering, principal: string, task: Task): Promise<Decisions> {
  const {partition} = arnParts(task.taskArn ?? '')
  const decisionOn = async (document: string): Promise<[string, string]> => {
    const d = await simulate(g, principal, [{actions: ['ssm:StartSession'], resource: documentArn(partition, g.options.region.name, document)}])
    return [document, d['ssm:StartSession'] ?? 'not simulated']
  }
  return Object.fromEntries(await Promise.all(FORWARD_DOCUMENTS.map(decisionOn))) as Decisions
}

// ---------------------------------------------------------------- network: the task's subnets, then the endpoint audit

/** What the endpoint audit is asked about: ssmmessages always, kms when the cluster encrypts sessions. */
function networkNeeds(cluster: Fact<ClusterFacts>): Array<{service: string; reason: string}> {
  const list = [{service: 'ssmmessages', reason: 'ECS Exec sessions'}]
  if (cluster.ok && cluster.value.exec?.kmsKeyId) list.push({service: 'kms', reason: 'ECS Exec sessions encrypted with a KMS key'})
  return list
}

/**
 * The task's subnet and security groups, then the endpoint audit. With --service, the service's
 * awsvpc configuration (round 1) lets the audit start in round 2, beside DescribeTasks.
 */
async function gatherNetwork(
  g: Gathering,
  pending: {
    task: Promise<Fact<Task>>
    cluster: Promise<Fact<ClusterFacts>>
    serviceNetwork?: Promise<Fact<ServiceNetwork | undefined>>
    containerInstance: Promise<Fact<ContainerInstanceFacts> | undefined>
    instance: Promise<Fact<InstanceFacts> | undefined>
  },
): Promise<Fact<{task: TaskNetwork; report: NetworkReport}> | undefined> {
  const audit = (network: NetworkAuditInput['network']) =>
    fact(async () => g.options.auditNetwork({ec2: await g.clients.ec2(), route53: await g.clients.route53()}, {region: g.options.region.name, network, needs: networkNeeds(await pending.cluster)}))
  const serviceAudit = pending.serviceNetwork?.then((n) => (n.ok && n.value ? audit(n.value) : undefined))
  const t = await pending.task
  if (!t.ok) return undefined
  const n = await taskNetwork(g, t.value, pending)
  if (!n) return undefined
  if (!n.ok) return n
  const report = (serviceAudit ? await serviceAudit : undefined) ?? (await audit({vpcId: n.value.vpcId, subnetIds: n.value.subnetIds, securityGroupIds: n.value.securityGroupIds}))
  return report.ok ? {ok: true, value: {task: n.value, report: report.value}} : report
}

/** awsvpc: the service's configuration or the task's ENI; bridge/host on EC2: the container instance's subnet and the instance's security groups. */
async function taskNetwork(
  g: Gathering,
  task: Task,
  pending: {serviceNetwork?: Promise<Fact<ServiceNetwork | undefined>>; containerInstance: Promise<Fact<ContainerInstanceFacts> | undefined>; instance: Promise<Fact<InstanceFacts> | undefined>},
): Promise<Fact<TaskNetwork> | undefined> {
  const eni = eniAttachmentOf(task)
  const service = pending.serviceNetwork ? await pending.serviceNetwork : undefined
  if (eni && service?.ok && service.value) {
    const {subnetIds, securityGroupIds, publicIp} = service.value
    return {ok: true, value: {mode: 'awsvpc', subnetIds: eni.subnetId ? [eni.subnetId] : subnetIds, securityGroupIds, availabilityZone: task.availabilityZone, publicIp}}
  }
  if (eni?.eniId) return fact(async () => describeTaskEni(await g.clients.ec2(), task, eni as {eniId: string; subnetId?: string}))
  const ci = await pending.containerInstance
  if (!ci) return undefined
  if (!ci.ok) return ci
  const i = await pending.instance
  return {
    ok: true,
    value: {
      mode: 'bridge/host',
      vpcId: ci.value.vpcId,
      subnetIds: ci.value.subnetId ? [ci.value.subnetId] : [],
      securityGroupIds: i?.ok ? i.value.securityGroupIds : [],
      availabilityZone: task.availabilityZone,
      publicIp: i?.ok ? i.value.publicIp : undefined,
    },
  }
}

/** An awsvpc task's network, from its ENI (ec2:DescribeNetworkInterfaces): shared with the pre-flight of `exec`. */
export async function describeTaskEni(ec2: EC2Client, task: Task, eni: {eniId: string; subnetId?: string}): Promise<TaskNetwork> {
  const {DescribeNetworkInterfacesCommand} = await import('@aws-sdk/client-ec2')
  const out = await ec2.send(new DescribeNetworkInterfacesCommand({NetworkInterfaceIds: [eni.eniId]}))
  const n = out.NetworkInterfaces?.[0]
  return {
    mode: 'awsvpc',
    vpcId: n?.VpcId,
    subnetIds: [n?.SubnetId ?? eni.subnetId].filter((s): s is string => Boolean(s)),
    securityGroupIds: (n?.Groups ?? []).map((s) => s.GroupId ?? '').filter(Boolean),
    availabilityZone: n?.AvailabilityZone ?? task.availabilityZone,
    publicIp: Boolean(n?.Association?.PublicIp),
  }
}
