/**
 * `ecsops check-endpoints` as a feature: resolve what to audit (services of a cluster, the
 * service behind a stopped task, or a bare network), gather ECS facts and the VPCs, audit each
 * VPC once, and hand back the JSON document plus the per-service sections to print.
 */
import {
  DescribeClustersCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ListServicesCommand,
  type Cluster,
  type ECSClient,
  type Service,
  type Task,
  type TaskDefinition,
} from '@aws-sdk/client-ecs'
import type {EC2Client, Subnet} from '@aws-sdk/client-ec2'
import type {Route53Client} from '@aws-sdk/client-route-53'
import type {STSClient} from '@aws-sdk/client-sts'

import {AwsCallError, UsageError} from '../errors.js'
import {auditVpc} from './audit.js'
import {knownServices} from './catalog.js'
import {findingsExplaining} from './explain.js'
import {gatherNetworks, listAllSubnets} from './gather.js'
import {effectiveLaunchType, execLoggingNeeds, needsFromList, requiredEndpoints} from './needs.js'
import {gatherInstanceNetwork, splitNeeds, type InstanceNetwork} from './instances.js'
import type {Section} from './render.js'
import type {VpcSnapshot, Workload} from './snapshot.js'
import {SEVERITY_RANK, type EndpointNeed, type Finding, type VpcReport} from './types.js'
import {clusterOfTaskArn, serviceNameOf} from '../aws/arn.js'
import {namingTheCluster} from '../aws/errors.js'
import {chunk} from '../aws/chunk.js'

export interface CheckClients {
  ecs(): Promise<ECSClient>
  ec2(): Promise<EC2Client>
  route53(): Promise<Route53Client>
  /** To learn the caller's account when no service or task ARN tells it (--vpc/--subnets): shared subnets are then told from missing endpoints. */
  sts?(): Promise<STSClient>
}

export type FailOn = 'error' | 'warning'

export interface CheckRequest {
  region: string
  cluster?: string
  services?: string[]
  allServices?: boolean
  task?: string
  network?: {vpcId?: string; subnetIds: string[]; securityGroupIds: string[]; needs: string[]}
  failOn?: FailOn
  onProgress?: (text: string) => void
  /** Audit what a snapshot holds instead of calling AWS (--snapshot): no client is used. */
  offline?: GatheredAudit
}

/** What `--task` found out about the stopped task. */
export interface TaskVerdict {
  taskArn: string
  lastStatus?: string
  stopCode?: string
  stoppedReason?: string
  /** Container reasons (CannotPullContainerError … is often only there). */
  containerReasons: string[]
  service?: string
  taskDefinitionArn?: string
  /** Endpoint services whose findings explain the stop reason. */
  explainedBy: string[]
}

/** The --json document. */
export interface EndpointsDocument {
  ok: boolean
  region: string
  vpcs: VpcReport[]
  /** What this audit does not evaluate, so that a clean report is not read as more than it is. */
  notEvaluated: string[]
  task?: TaskVerdict
}

export interface CheckOutcome {
  document: EndpointsDocument
  /** One per service (or network / task), for the human and Markdown output. */
  sections: Section[]
  /** Things worth saying that are not findings (skipped services …). */
  notes: string[]
  /** `3 services in cluster prod`. */
  subjects: string
  /** What the audit read once AWS had answered (for --save-snapshot and the VPC drawings). */
  gathered: GatheredAudit
}

/**
 * Everything the audit reads after the AWS calls: the workloads (services, the task or the
 * network, with the endpoints their task definitions need, already derived) and the gathered
 * VPCs. --save-snapshot writes it (snapshot-file.ts); --snapshot feeds it back in.
 */
export interface GatheredAudit {
  region: string
  /** The --vpc/--subnets/--needs request, when that was the subject. */
  network?: CheckRequest['network']
  /** The auditable subjects, their VPC and subnets resolved. */
  subjects: Subject[]
  subjectsText: string
  /** Notes from before the audit (skipped services …). */
  notes: string[]
  task?: TaskVerdict
  /** What gather.ts returned (GatheredNetworks). */
  gathered: Awaited<ReturnType<typeof gatherNetworks>>
}

export const FAIL_ON: FailOn[] = ['error', 'warning']

/** What the audit does not evaluate (README, check-endpoints: "Not evaluated"). */
export const NOT_EVALUATED = [
  "the tasks' own security-group egress and the subnets' network ACLs",
  'EFS mount targets and TCP 2049',
  'IPv6 routes (egress-only internet gateways)',
  'pull-through cache rules (a first pull through one needs a NAT even with the ECR endpoints)',
]

/** True when no finding is at or above the threshold. */
export function passes(vpcs: VpcReport[], failOn: FailOn = 'error'): boolean {
  return !vpcs.some((v) => v.findings.some((f) => f.status !== 'ok' && f.status !== 'unused' && SEVERITY_RANK[f.severity] >= SEVERITY_RANK[failOn]))
}

/** Runs at most `limit` calls at once (ECS throttles bursts of DescribeTaskDefinition); order kept. */
export function limiter(limit: number): <T>(call: () => Promise<T>) => Promise<T> {
  let active = 0
  const queue: Array<() => void> = []
  const next = () => {
    if (active >= limit) return
    const start = queue.shift()
    if (start) start()
  }
  return <T>(call: () => Promise<T>) =>
    new Promise<T>((resolve, reject) => {
      queue.push(() => {
        active++
        call()
          .then(resolve, reject)
          .finally(() => {
            active--
            next()
          })
      })
      next()
    })
}

const nameOf = (arnOrName: string) => arnOrName.slice(arnOrName.lastIndexOf('/') + 1)

/** The account of an ECS ARN (`arn:aws:ecs:<region>:<account>:…`): the account running the audit. */
export function accountOf(arn: string | undefined): string | undefined {
  return arn?.split(':')[4] || undefined
}

export interface Subject {
  /** Section title and workload name. */
  name: string
  arn?: string
  title: string
  subnetIds: string[]
  securityGroupIds: string[]
  assignPublicIp?: boolean
  vpcId?: string
  needs: EndpointNeed[]
  /** FARGATE, EC2, EXTERNAL … (where the needs go out decides which network is audited). */
  launchType?: string
  /** The task definition uses the awsvpc network mode. */
  awsvpc?: boolean
}

/**
 * Subjects on the EC2 launch type audited on the right network: what the agent and Docker do
 * for the task on the container instances' subnets and security groups, what runs in the task
 * on its ENI (never with an internet gateway: task ENIs on EC2 get no public IP). ECS Anywhere
 * and Managed Instances are said not to be audited.
 */
async function placeOnInstances(subjects: Subject[], clients: CheckClients, cluster: string, notes: string[]): Promise<Subject[]> {
  const onInstances = subjects.filter((s) => s.launchType === 'EC2')
  for (const s of subjects.filter((x) => x.launchType === 'EXTERNAL' || x.launchType === 'MANAGED_INSTANCES')) {
    notes.push(`${s.name}: the ${s.launchType === 'EXTERNAL' ? 'EXTERNAL launch type (ECS Anywhere) runs outside the VPC' : 'MANAGED_INSTANCES launch type is not audited yet'}: not audited`)
  }
  const others = subjects.filter((s) => s.launchType !== 'EXTERNAL' && s.launchType !== 'MANAGED_INSTANCES' && s.launchType !== 'EC2')
  if (onInstances.length === 0) return others
  let network: InstanceNetwork | undefined
  try {
    network = await gatherInstanceNetwork(await clients.ecs(), await clients.ec2(), cluster)
  } catch (error) {
    const e = error as Error
    notes.push(`the container instances of ${cluster} could not be read (${e.name}: ${e.message}): what the EC2 tasks reach through them (image pulls, secrets, awslogs) is not audited; allow ecs:ListContainerInstances, ecs:DescribeContainerInstances and ec2:DescribeInstances`)
  }
  const placed: Subject[] = []
  for (const s of onInstances) {
    const {instance, task} = splitNeeds(s.needs, s.awsvpc ?? false)
    if (instance.length > 0 && network && network.subnetIds.length > 0) {
      placed.push({name: `${s.name} (container instances)`, title: `${s.title} — on its container instances (${network.instanceIds.length})`, subnetIds: network.subnetIds, securityGroupIds: network.securityGroupIds, assignPublicIp: network.publicIp, vpcId: network.vpcIds.length === 1 ? network.vpcIds[0] : undefined, needs: instance})
    } else if (instance.length > 0 && network) {
      notes.push(`${s.name}: ${cluster} has no ACTIVE container instance: what its tasks reach through the instances is not audited`)
    }
    // awsvpc task ENIs on EC2 never get a public IP: an internet gateway route is no egress for them.
    if (task.length > 0 && s.awsvpc && s.subnetIds.length > 0) placed.push({...s, assignPublicIp: false, needs: task})
  }
  return [...others, ...placed]
}

export async function checkEndpoints(clients: CheckClients, request: CheckRequest): Promise<CheckOutcome> {
  const progress = request.onProgress ?? (() => {})
  const notes: string[] = []
  let subjects: Subject[]
  let subjectsText: string
  let task: {task?: Task; verdict: TaskVerdict} | undefined
  let allSubnets: Promise<Subnet[]> | undefined
  let firstServiceArn: string | undefined
  let callerAccount: Promise<string | undefined> | undefined

  if (request.offline) {
    ;({subjects, subjectsText, task} = savedSubjects(request.offline, notes))
  } else if (request.network) {
    const {network} = request
    subjects = [
      {
        name: 'network',
        title: `network ${network.vpcId ?? ''}${network.subnetIds.length > 0 ? ` subnets ${network.subnetIds.join(', ')}` : ''}`.replace(/ +/g, ' ').trim(),
        vpcId: network.vpcId,
        subnetIds: network.subnetIds,
        securityGroupIds: network.securityGroupIds,
        needs: needsFromList(network.needs),
      },
    ]
    subjectsText = 'network'
    // A typo in --needs (secretmanager) would otherwise be audited as a missing endpoint of a service that does not exist.
    const unknownNames = [...new Set(subjects[0]!.needs.map((n) => n.service))].filter((s) => !knownServices().includes(s))
    if (unknownNames.length > 0) {
      const known = ['ecr', 'exec', 'ecs-ec2', ...knownServices()]
      const {closest} = await import('fastest-levenshtein')
      const guesses = unknownNames.map((s) => `${s} (did you mean ${closest(s, known)}?)`)
      throw new UsageError(`--needs names no endpoint service ecsops knows: ${guesses.join(', ')}.`, {hint: `Known names: ${known.join(', ')}.`, code: 'UnknownNeed'})
    }
    // No ARN names the caller's account here: ask STS (no permission needed), so that a subnet
    // shared from another account is reported as unknown, not as missing endpoints.
    callerAccount = callerAccountOf(clients)
  } else if (request.task) {
    const found = await taskSubject(await clients.ecs(), request, progress)
    subjects = await placeOnInstances([found.subject], clients, found.task.clusterArn ?? request.cluster ?? '', notes)
    task = {task: found.task, verdict: found.verdict}
    subjectsText = `task ${nameOf(found.verdict.taskArn)}`
  } else {
    if (!request.cluster) throw new UsageError('Which cluster? No cluster was given.', {hint: 'Pass --cluster NAME (or set ECSOPS_CLUSTER, or cluster: in .ecsops.yml).'})
    if (!request.allServices && (request.services ?? []).length === 0) {
      throw new UsageError('Which services? Pass --service NAME (repeatable) or --all-services.', {hint: 'Or audit a network before any service exists: --vpc V --subnets a,b --needs ecr,logs,secretsmanager.'})
    }
    const ec2 = await clients.ec2()
    // Listing every subnet up front (own and shared) saves a round trip at scale.
    if (request.allServices) allSubnets = listAllSubnets(ec2)
    allSubnets?.catch(() => {})
    const found = await serviceSubjects(await clients.ecs(), request as CheckRequest & {cluster: string}, progress, notes).catch((error: unknown) => {
      throw namingTheCluster(error, request.cluster!, request.region)
    })
    firstServiceArn = found.find((s) => s.arn)?.arn
    subjects = await placeOnInstances(found, clients, request.cluster, notes)
    subjectsText = `${subjects.length} service${subjects.length === 1 ? '' : 's'} in cluster ${request.cluster}`
  }

  const auditable = subjects.filter((s) => s.subnetIds.length > 0 || s.vpcId)
  if (auditable.length === 0) {
    const document: EndpointsDocument = {ok: true, region: request.region, vpcs: [], notEvaluated: NOT_EVALUATED}
    if (task) document.task = task.verdict
    return {document, sections: [], notes, subjects: subjectsText, gathered: captured(request, [], subjectsText, notes, task?.verdict, {snapshots: new Map(), targets: []})}
  }

  progress(request.network ? 'Reading the network' : `Reading the network of ${subjectsText}`)
  const gathered = request.offline ? request.offline.gathered : await gatherNetworks(
    {ec2: await clients.ec2(), route53: await clients.route53()},
    {
      region: request.region,
      targets: auditable.map((s) => ({vpcId: s.vpcId, subnetIds: s.subnetIds, securityGroupIds: s.securityGroupIds})),
      services: [...new Set(auditable.flatMap((s) => s.needs.map((n) => n.service)))],
      accountId: accountOf(task?.verdict.taskArn) ?? accountOf(firstServiceArn),
      allSubnets,
      onProgress: progress,
    },
  )
  // STS answered alongside the EC2 calls (no extra round trip); its account wins over the security groups' owner.
  const stsAccount = await callerAccount
  if (stsAccount) for (const snapshot of gathered.snapshots.values()) snapshot.accountId = stsAccount
  for (const [i, s] of auditable.entries()) {
    const resolved = gathered.targets[i]!
    s.vpcId = resolved.vpcId
    s.subnetIds = resolved.subnetIds
  }
  const audited = captured(request, auditable, subjectsText, notes, task?.verdict, gathered)
  if (request.network?.vpcId && (gathered.snapshots.get(request.network.vpcId)?.subnets.length ?? 0) === 0) {
    throw new AwsCallError(`VPC ${request.network.vpcId} has no subnet visible in ${request.region}.`, {
      code: 'InvalidVpcID.NotFound',
      hint: 'Check --vpc and --region (aws ec2 describe-vpcs).',
    })
  }
  if (request.network?.vpcId && request.network.subnetIds.length > 0) {
    const snapshot = gathered.snapshots.get(request.network.vpcId)
    const foreign = request.network.subnetIds.filter((id) => !snapshot?.subnets.some((s) => s.SubnetId === id))
    if (foreign.length > 0) throw new UsageError(`Subnet(s) ${foreign.join(', ')} are not in ${request.network.vpcId}.`, {hint: 'Pass subnets of that VPC with --subnets, or leave --vpc out to use the subnets\' own VPC.'})
  }

  const {vpcs, sections} = auditEachVpc(auditable, gathered.snapshots, request, notes)

  const document: EndpointsDocument = {ok: passes(vpcs, request.failOn), region: request.region, vpcs, notEvaluated: NOT_EVALUATED}
  if (task) {
    const reasons = [task.verdict.stoppedReason ?? '', ...task.verdict.containerReasons].filter(Boolean).join('\n')
    const findings = vpcs.flatMap((v) => v.findings)
    task.verdict.explainedBy = reasons ? [...new Set(findingsExplaining(reasons, findings).map((f: Finding) => f.service))] : []
    document.task = task.verdict
  }
  return {document, sections, notes, subjects: subjectsText, gathered: audited}
}

/** The audit of each VPC the subjects run in: one report per VPC, one section per subject (and one for unused endpoints). */
function auditEachVpc(auditable: Subject[], snapshots: Map<string, VpcSnapshot>, request: CheckRequest, notes: string[]): {vpcs: VpcReport[]; sections: Section[]} {
  const vpcs: VpcReport[] = []
  const sections: Section[] = []
  const vpcIds = [...new Set(auditable.map((s) => s.vpcId!))]
  for (const vpcId of vpcIds) {
    const snapshot = snapshots.get(vpcId)
    const here = auditable.filter((s) => s.vpcId === vpcId)
    if (!snapshot) {
      // The subnets were not found (deleted, another Region, a RAM share withdrawn): say which, never pass silently.
      const what = here.map((s) => `${s.name} (subnet${s.subnetIds.length === 1 ? '' : 's'} ${s.subnetIds.join(', ') || 'none'})`).join(', ')
      if (request.network) {
        throw new AwsCallError(`Subnet(s) ${request.network.subnetIds.join(', ')} were not found in ${request.region}.`, {code: 'InvalidSubnetID.NotFound', hint: 'Check --subnets and --region (aws ec2 describe-subnets --subnet-ids ...).'})
      }
      notes.push(`${vpcId ? `${vpcId} is not visible to this account` : 'the task subnets were not found'}: ${what} not audited`)
      continue
    }
    const named = here.length > 1 || !request.network
    const workloads: Workload[] = here.map((s) => ({name: named ? s.name : undefined, subnetIds: s.subnetIds, securityGroupIds: s.securityGroupIds, assignPublicIp: s.assignPublicIp, needs: s.needs}))
    const {report, byWorkload} = auditVpc(snapshot, workloads)
    vpcs.push(report)
    here.forEach((s, i) => sections.push({title: `${s.title} — ${vpcId}`, findings: byWorkload[i]!.findings}))
    const unused = report.findings.filter((f) => f.status === 'unused')
    if (unused.length > 0) sections.push({title: `${vpcId}: endpoints no audited service needs`, findings: unused})
  }
  return {vpcs, sections}
}

/** The caller's account from STS GetCallerIdentity; undefined when it cannot be had (the audit then reads the task security groups' owner). */
async function callerAccountOf(clients: CheckClients): Promise<string | undefined> {
  if (!clients.sts) return undefined
  try {
    const {callerIdentity} = await import('../aws/identity.js')
    return (await callerIdentity(await clients.sts())).account || undefined
  } catch {
    return undefined
  }
}

async function describeCluster(ecs: ECSClient, cluster: string, region: string): Promise<Cluster> {
  const out = await ecs.send(new DescribeClustersCommand({clusters: [cluster], include: ['CONFIGURATIONS']}))
  const found = out.clusters?.find((c) => c.status !== 'INACTIVE')
  if (!found) {
    throw namingTheCluster(Object.assign(new Error(out.failures?.[0]?.reason ?? 'MISSING'), {name: 'ClusterNotFoundException'}), cluster, region)
  }
  return found
}

function subjectOf(service: Service, taskDefinition: TaskDefinition, cluster: Cluster | undefined, region: string, override: {launchType?: string; platformVersion?: string; enableExecuteCommand?: boolean} = {}): Omit<Subject, 'title'> {
  const net = service.networkConfiguration?.awsvpcConfiguration
  return {
    launchType: effectiveLaunchType({service, taskDefinition, launchType: override.launchType}),
    awsvpc: taskDefinition.networkMode === 'awsvpc',
    name: service.serviceName ?? nameOf(service.serviceArn ?? '?'),
    arn: service.serviceArn,
    subnetIds: net?.subnets ?? [],
    securityGroupIds: net?.securityGroups ?? [],
    ...(net?.assignPublicIp ? {assignPublicIp: net.assignPublicIp === 'ENABLED'} : {}),
    needs: [
      ...requiredEndpoints({taskDefinition, service, region, execKmsKeyId: cluster?.configuration?.executeCommandConfiguration?.kmsKeyId, ...override}),
      ...execLoggingNeeds(cluster, override.enableExecuteCommand ?? service.enableExecuteCommand ?? false, region),
    ],
  }
}

async function serviceSubjects(ecs: ECSClient, request: CheckRequest & {cluster: string}, progress: (t: string) => void, notes: string[]): Promise<Subject[]> {
  const cluster = describeCluster(ecs, request.cluster, request.region)
  cluster.catch(() => {})
  const taskDefinitions = new Map<string, Promise<TaskDefinition>>()
  const limit = limiter(25)
  const definition = (arn: string) => {
    let p = taskDefinitions.get(arn)
    if (!p) {
      p = limit(() => ecs.send(new DescribeTaskDefinitionCommand({taskDefinition: arn}))).then((o) => {
        if (!o.taskDefinition) throw new AwsCallError(`Task definition ${arn} was not found.`, {code: 'ClientException'})
        return o.taskDefinition
      })
      p.catch(() => {})
      taskDefinitions.set(arn, p)
    }
    return p
  }
  const missing: string[] = []
  // Each batch of 10 is described as soon as its names are known; task definitions as soon as a batch answers.
  const describe = (names: string[]) =>
    ecs.send(new DescribeServicesCommand({cluster: request.cluster, services: names})).then((out) => {
      for (const f of out.failures ?? []) missing.push(`${nameOf(f.arn ?? '?')} (${f.reason ?? 'failure'})`)
      const services = (out.services ?? []).filter((s) => s.status !== 'INACTIVE')
      for (const s of services) if (s.taskDefinition) void definition(s.taskDefinition)
      return services
    })
  const batches: Array<Promise<Service[]>> = []
  if (request.allServices) {
    progress(`Listing the services of ${request.cluster}`)
    let token: string | undefined
    let pending: string[] = []
    do {
      const page = await ecs.send(new ListServicesCommand({cluster: request.cluster, maxResults: 100, nextToken: token}))
      pending.push(...(page.serviceArns ?? []))
      token = page.nextToken
      while (pending.length >= 10 || (!token && pending.length > 0)) {
        batches.push(describe(pending.slice(0, 10)))
        pending = pending.slice(10)
      }
    } while (token)
  } else {
    // The same service given by name and by ARN is described (and audited) once, as first given.
    const byName = new Map<string, string>()
    for (const s of request.services ?? []) if (!byName.has(serviceNameOf(s))) byName.set(serviceNameOf(s), s)
    for (const names of chunk([...byName.values()], 10)) batches.push(describe(names))
  }
  const services = (await Promise.all(batches)).flat()
  if (request.allServices && services.length === 0) notes.push(`cluster ${request.cluster} has no active service: nothing to audit`)
  if (missing.length > 0 && !request.allServices) {
    throw new AwsCallError(`Service(s) not found in cluster ${request.cluster}: ${missing.join(', ')}.`, {
      code: 'ServiceNotFoundException',
      hint: `List them with: aws ecs list-services --cluster ${request.cluster}`,
    })
  }
  progress(`Reading ${taskDefinitions.size} task definition${taskDefinitions.size === 1 ? '' : 's'} of ${services.length} service${services.length === 1 ? '' : 's'}`)
  const resolvedCluster = await cluster
  const subjects: Subject[] = []
  for (const service of services) {
    const td = await definition(service.taskDefinition ?? '')
    const subject = subjectOf(service, td, resolvedCluster, request.region)
    if (subject.subnetIds.length === 0) {
      notes.push(`service ${subject.name} has no awsvpc network configuration (network mode ${td.networkMode ?? 'bridge'}): its tasks use the container instances' network; audit it with --vpc/--subnets/--needs`)
      continue
    }
    subjects.push({...subject, title: `service ${subject.name}`})
  }
  return subjects
}

/** Service names of a cluster (all pages), to pick from when none was given. */
export async function listServiceNames(ecs: ECSClient, cluster: string): Promise<string[]> {
  const names: string[] = []
  let token: string | undefined
  do {
    const page = await ecs.send(new ListServicesCommand({cluster, maxResults: 100, nextToken: token}))
    names.push(...(page.serviceArns ?? []).map(nameOf))
    token = page.nextToken
  } while (token)
  return names.sort()
}

/** A task id or ARN (either format) → {cluster, task}; the cluster comes from the flag, else from a new-format ARN. */
export function parseTaskRef(ref: string, cluster: string | undefined): {cluster?: string; task: string} {
  return {cluster: cluster ?? clusterOfTaskArn(ref), task: ref}
}

async function taskSubject(ecs: ECSClient, request: CheckRequest, progress: (t: string) => void): Promise<{subject: Subject; task: Task; verdict: TaskVerdict}> {
  const ref = parseTaskRef(request.task!, request.cluster)
  if (!ref.cluster) throw new UsageError(`Which cluster does task ${request.task} belong to?`, {hint: 'Pass --cluster NAME, or the full task ARN (arn:aws:ecs:<region>:<account>:task/<cluster>/<id>).'})
  progress(`Reading task ${nameOf(ref.task)}`)
  const [out, cluster] = await Promise.all([ecs.send(new DescribeTasksCommand({cluster: ref.cluster, tasks: [ref.task]})), describeCluster(ecs, ref.cluster, request.region)])
  const task = out.tasks?.[0]
  if (!task) {
    throw new AwsCallError(`Task ${ref.task} was not found in cluster ${ref.cluster}${out.failures?.[0]?.reason ? ` (${out.failures[0].reason})` : ''}.`, {
      code: 'TaskNotFound',
      hint: 'ECS keeps stopped tasks for about an hour; check --cluster and --region.',
    })
  }
  // The cluster name comes from the task's clusterArn, not from the task ARN.
  const clusterName = task.clusterArn ? nameOf(task.clusterArn) : ref.cluster
  const serviceName = task.group?.startsWith('service:') ? task.group.slice('service:'.length) : undefined
  const [tdOut, serviceOut] = await Promise.all([
    ecs.send(new DescribeTaskDefinitionCommand({taskDefinition: task.taskDefinitionArn})),
    serviceName ? ecs.send(new DescribeServicesCommand({cluster: clusterName, services: [serviceName]})) : Promise.resolve(undefined),
  ])
  const taskDefinition = tdOut.taskDefinition ?? {}
  const service = serviceOut?.services?.[0]
  const eniSubnet = task.attachments?.flatMap((a) => a.details ?? []).find((d) => d.name === 'subnetId')?.value
  const override = {launchType: task.launchType, platformVersion: task.platformVersion, enableExecuteCommand: task.enableExecuteCommand}
  const base = service
    ? subjectOf(service, taskDefinition, cluster, request.region, override)
    : {
        name: `task ${nameOf(task.taskArn ?? ref.task)}`,
        subnetIds: [],
        securityGroupIds: [],
        needs: [
          ...requiredEndpoints({taskDefinition, region: request.region, execKmsKeyId: cluster.configuration?.executeCommandConfiguration?.kmsKeyId, ...override}),
          ...execLoggingNeeds(cluster, task.enableExecuteCommand ?? false, request.region),
        ],
      }
  // The subnet the task actually ran in comes first (its AZ is the one that matters).
  const subnetIds = eniSubnet ? [eniSubnet, ...base.subnetIds.filter((s) => s !== eniSubnet)] : base.subnetIds
  const verdict: TaskVerdict = {
    taskArn: task.taskArn ?? ref.task,
    lastStatus: task.lastStatus,
    stopCode: task.stopCode,
    stoppedReason: task.stoppedReason,
    containerReasons: (task.containers ?? []).map((c) => c.reason ?? '').filter(Boolean),
    service: serviceName,
    taskDefinitionArn: task.taskDefinitionArn,
    explainedBy: [],
  }
  const title = `task ${nameOf(verdict.taskArn)}${serviceName ? ` (service ${serviceName})` : ''}`
  return {subject: {...base, subnetIds, title}, task, verdict}
}

/** --snapshot: the saved subjects, copied (the audit resolves their VPC and subnets in place), its notes added to `notes`. */
function savedSubjects(saved: GatheredAudit, notes: string[]): {subjects: Subject[]; subjectsText: string; task?: {verdict: TaskVerdict}} {
  notes.push(...saved.notes)
  return {subjects: saved.subjects.map((s) => ({...s})), subjectsText: saved.subjectsText, task: saved.task ? {verdict: {...saved.task, explainedBy: []}} : undefined}
}

/** What the audit is about to read, copied before the audit adds to it (for --save-snapshot and the drawings). */
function captured(request: CheckRequest, subjects: Subject[], subjectsText: string, notes: string[], task: TaskVerdict | undefined, gathered: GatheredAudit['gathered']): GatheredAudit {
  return {region: request.region, network: request.network, subjects: subjects.map((s) => ({...s})), subjectsText, notes: [...notes], ...(task ? {task: {...task}} : {}), gathered}
}
