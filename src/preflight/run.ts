/**
 * `ecsops preflight` end to end: resolve what would run (a service, a task definition plus a
 * network, or the task definition and network of a stopped task), gather, check, explain. Also
 * the entry points `migrate` calls: before RunTask (preflightForMigrate) and after a task that
 * never started (explainWithPreflight).
 */
import type {ECSClient, RunTaskCommandInput, Task, TaskDefinition} from '@aws-sdk/client-ecs'
import {DescribeServicesCommand, DescribeTasksCommand} from '@aws-sdk/client-ecs'

import type {AwsClients} from '../aws/clients.js'
import {clusterNameOf, clusterOfTaskArn, taskIdOf} from '../aws/arn.js'
import {AwsCallError, UsageError} from '../errors.js'
import {capacityKind} from '../migrate/clone.js'
import type {StartFailure} from '../migrate/network.js'
import type {ServiceFacts} from '../migrate/request.js'
import {namingTheCluster, resolveTarget, serviceFacts} from '../migrate/resolve.js'
import {preflightChecks, summarize} from './checks.js'
import {explainStop} from './explain.js'
import {gatherPreflightFacts, type NetworkAudit, type PreflightClients} from './facts.js'
import type {Explanation, PreflightReport, PreflightResult, PreflightTarget} from './model.js'
import {renderResultLines} from './report.js'

export type RunClients = PreflightClients & Pick<AwsClients, 'ecs'>

export interface PreflightRequest {
  region: string
  cluster?: string
  service?: string
  taskDefinition?: string
  /** A stopped task (id or ARN): check its task definition and network, and explain its stop reason. */
  task?: string
  subnets?: string[]
  securityGroups?: string[]
}

export interface RunOptions {
  onProgress?: (text: string) => void
  /** The endpoint audit (src/endpoints/api.ts); loaded when absent. */
  audit?: NetworkAudit
}

/** What the checks do not see (README, preflight: "Not evaluated"). */
export const NOT_EVALUATED = [
  "the IAM simulator's blind spots: resource-based policies, KMS key policies, VPC endpoint policies, some SCPs",
  "images in registries other than private ECR, and a single-platform image's architecture",
  "whether a secret holds the JSON key or version stage valueFrom asks for (its value is never read)",
  "capacity: whether Fargate or the cluster's instances have room",
]

async function loadAudit(): Promise<NetworkAudit> {
  const api = await import('../endpoints/api.js')
  return {requiredEndpoints: api.requiredEndpoints, auditNetwork: api.auditNetwork}
}

/** FARGATE, EC2 or EXTERNAL: the service's launch type or capacity providers, else what the task definition requires (FARGATE first). */
export function launchTypeOf(service: Pick<ServiceFacts, 'launchType' | 'capacityProviderStrategy'> | undefined, taskDefinition: Pick<TaskDefinition, 'requiresCompatibilities' | 'compatibilities'>): string {
  if (service?.launchType) return service.launchType
  const kind = capacityKind({capacityProviderStrategy: service?.capacityProviderStrategy})
  if (kind === 'fargate') return 'FARGATE'
  if (kind === 'other') return 'EC2'
  const compat = taskDefinition.requiresCompatibilities ?? taskDefinition.compatibilities ?? []
  if (compat.includes('FARGATE')) return 'FARGATE'
  if (compat.includes('EC2')) return 'EC2'
  if (compat.includes('EXTERNAL')) return 'EXTERNAL'
  return 'FARGATE'
}

async function describeService(ecs: ECSClient, cluster: string, name: string): Promise<ServiceFacts | undefined> {
  try {
    const out = await ecs.send(new DescribeServicesCommand({cluster, services: [name]}))
    const found = out.services?.find((s) => s.serviceName === name) ?? out.services?.[0]
    return found ? serviceFacts(found) : undefined
  } catch {
    // The task's own subnet is still known: the audit runs on it without the service's security groups.
    return undefined
  }
}

async function targetOfTask(ecs: ECSClient, request: PreflightRequest): Promise<{target: PreflightTarget; task: Task}> {
  const cluster = request.cluster ?? clusterOfTaskArn(request.task!)
  if (!cluster) throw new UsageError(`Which cluster does task ${request.task} belong to?`, {hint: 'Pass --cluster NAME, or the full task ARN (arn:aws:ecs:<region>:<account>:task/<cluster>/<id>).'})
  const out = await ecs.send(new DescribeTasksCommand({cluster, tasks: [request.task!]})).catch((error: unknown) => {
    throw namingTheCluster(error, cluster)
  })
  const task = out.tasks?.[0]
  if (!task) {
    throw new AwsCallError(`Task ${request.task} was not found in cluster ${clusterNameOf(cluster)}${out.failures?.[0]?.reason ? ` (${out.failures[0].reason})` : ''}.`, {
      code: 'TaskNotFound',
      hint: 'ECS keeps stopped tasks for about an hour; check --cluster and --region.',
    })
  }
  const serviceName = task.group?.startsWith('service:') ? task.group.slice('service:'.length) : undefined
  const [resolved, service] = await Promise.all([
    resolveTarget(ecs, {cluster, taskDefinition: task.taskDefinitionArn}),
    serviceName && !request.securityGroups ? describeService(ecs, clusterNameOf(task.clusterArn ?? cluster), serviceName) : Promise.resolve(undefined),
  ])
  const eniSubnet = task.attachments?.find((a) => a.type === 'ElasticNetworkInterface' || a.type === 'eni')?.details?.find((d) => d.name === 'subnetId')?.value
  const subnetIds = request.subnets ?? [...new Set([eniSubnet, ...(service?.network?.subnets ?? [])].filter((s): s is string => Boolean(s)))]
  const launchType = task.launchType ?? (task.capacityProviderName ? (/^FARGATE/.test(task.capacityProviderName) ? 'FARGATE' : 'EC2') : launchTypeOf(service, resolved.taskDefinition))
  const o = task.overrides
  return {
    task,
    target: {
      region: request.region,
      taskDefinition: resolved.taskDefinition,
      launchType,
      platformVersion: task.platformVersion,
      network: subnetIds.length > 0 ? {subnetIds, securityGroupIds: request.securityGroups ?? service?.network?.securityGroups ?? []} : undefined,
      overrides: {taskRoleArn: o?.taskRoleArn, executionRoleArn: o?.executionRoleArn, cpu: o?.cpu ?? task.cpu, memory: o?.memory ?? task.memory},
      source: `stopped task ${taskIdOf(task.taskArn ?? request.task!)}${serviceName ? ` of service ${serviceName}` : ''}`,
    },
  }
}

/** The task definition and network a `preflight` request names (a service's exact revision and network, or --task-definition with --subnets). */
export async function resolvePreflightTarget(ecs: ECSClient, request: PreflightRequest): Promise<{target: PreflightTarget; task?: Task}> {
  if (request.task) return targetOfTask(ecs, request)
  if (request.service && !request.cluster) throw new UsageError('Which cluster? --service needs one.', {hint: 'Pass --cluster NAME (or set ECSOPS_CLUSTER, or cluster: in .ecsops.yml).'})
  if (!request.service && !request.taskDefinition) {
    throw new UsageError('Say what to check: a service, a task definition, or a stopped task.', {hint: 'Pass --service (with --cluster), --task-definition FAMILY[:REV] with --subnets and --security-groups, or --task ID.', code: 'MissingService'})
  }
  const resolved = await resolveTarget(ecs, {cluster: request.cluster ?? '', service: request.service, taskDefinition: request.taskDefinition})
  const vpc = resolved.service?.network
  const subnetIds = request.subnets ?? vpc?.subnets ?? []
  return {
    target: {
      region: request.region,
      taskDefinition: resolved.taskDefinition,
      launchType: launchTypeOf(resolved.service, resolved.taskDefinition),
      platformVersion: resolved.service?.platformVersion,
      network: subnetIds.length > 0 ? {subnetIds, securityGroupIds: request.securityGroups ?? vpc?.securityGroups ?? [], assignPublicIp: vpc?.assignPublicIp === 'ENABLED'} : undefined,
      source: resolved.service ? `service ${resolved.service.name} (${resolved.taskDefinitionSource})` : resolved.taskDefinitionSource,
    },
  }
}

/** Gathers and checks one target; the report, with the explanation of a stopped task when given. */
export async function checkTarget(clients: PreflightClients, target: PreflightTarget, options: RunOptions = {}, task?: Task): Promise<PreflightReport> {
  const audit = options.audit ?? (await loadAudit())
  const facts = await gatherPreflightFacts(clients, target, {audit, onProgress: options.onProgress})
  const results = preflightChecks(facts)
  const report: PreflightReport = {
    ok: !results.some((r) => r.status === 'fail'),
    region: target.region,
    taskDefinitionArn: target.taskDefinition.taskDefinitionArn ?? '',
    source: target.source,
    results,
    summary: summarize(results),
    notEvaluated: NOT_EVALUATED,
  }
  if (task) {
    const findings = facts.network?.ok ? facts.network.value.findings : []
    report.explanation = explainStop(results, findings, {
      taskArn: task.taskArn ?? '',
      lastStatus: task.lastStatus,
      stopCode: task.stopCode,
      stoppedReason: task.stoppedReason,
      containerReasons: (task.containers ?? []).map((c) => c.reason ?? '').filter(Boolean),
    })
  }
  return report
}

/** `ecsops preflight`: resolve, gather, check (and explain with --task). */
export async function runPreflight(clients: RunClients, request: PreflightRequest, options: RunOptions = {}): Promise<PreflightReport> {
  options.onProgress?.(request.task ? `Reading task ${taskIdOf(request.task)}` : 'Reading the task definition')
  const {target, task} = await resolvePreflightTarget(await clients.ecs(), request)
  return checkTarget(clients, target, options, task)
}

// ---------------------------------------------------------------- migrate

/** What migrate has settled before RunTask: the target (resolve.ts) and the exact RunTask request. */
export interface MigratePreflightInput {
  region: string
  taskDefinition: TaskDefinition
  service?: Pick<ServiceFacts, 'name' | 'launchType' | 'capacityProviderStrategy'>
  request: RunTaskCommandInput
}

/** Pure: the preflight target of a RunTask request (its network, launch type or capacity providers, platform version and overrides). */
export function targetOfRunTask(input: MigratePreflightInput): PreflightTarget {
  const {request, taskDefinition} = input
  const kind = capacityKind(request)
  const launchType = request.launchType ?? (kind === 'fargate' ? 'FARGATE' : kind === 'other' ? 'EC2' : launchTypeOf(input.service, taskDefinition))
  const vpc = request.networkConfiguration?.awsvpcConfiguration
  const o = request.overrides
  return {
    region: input.region,
    taskDefinition,
    launchType,
    platformVersion: request.platformVersion,
    network: vpc?.subnets?.length ? {subnetIds: vpc.subnets, securityGroupIds: vpc.securityGroups ?? [], assignPublicIp: vpc.assignPublicIp === 'ENABLED'} : undefined,
    overrides: {taskRoleArn: o?.taskRoleArn, executionRoleArn: o?.executionRoleArn, cpu: o?.cpu, memory: o?.memory},
    source: input.service ? `migrate: service ${input.service.name}` : 'migrate',
  }
}

/**
 * For migrate's seam between resolve and RunTask (`migrate --preflight`): the same checks as
 * `ecsops preflight` on exactly what RunTask is about to start. `ok` is false when any check
 * fails; `lines` are the failing results, to print on stderr before exiting 125.
 */
export async function preflightForMigrate(clients: PreflightClients, input: MigratePreflightInput, options: RunOptions = {}): Promise<{ok: boolean; results: PreflightResult[]; lines: string[]; report: PreflightReport}> {
  const report = await checkTarget(clients, targetOfRunTask(input), options)
  const failing = report.results.filter((r) => r.status === 'fail')
  return {ok: report.ok, results: report.results, lines: failing.length > 0 ? ['Preflight: the task would not start:', ...renderResultLines(failing).map((l) => `  ${l}`)] : [], report}
}

const EXPLAIN_TIMEOUT_MS = 20_000

/**
 * For migrate's start-failure explanation: the whole preflight (network, execution role,
 * references) on the task that never ran, as lines to print under the stop reason; bounded in
 * time, its errors are the caller's to report as a warning.
 */
export function explainWithPreflight(clients: PreflightClients, region: string, timeoutMs = EXPLAIN_TIMEOUT_MS, options: RunOptions = {}) {
  return async (failure: StartFailure): Promise<string[]> => {
    const target = targetOfRunTask({
      region,
      taskDefinition: failure.taskDefinition,
      request: {
        taskDefinition: failure.taskDefinition.taskDefinitionArn,
        launchType: failure.launchType as RunTaskCommandInput['launchType'],
        platformVersion: failure.platformVersion,
        networkConfiguration: failure.network ? {awsvpcConfiguration: failure.network} : undefined,
        overrides: failure.task.overrides,
      },
    })
    let timer: NodeJS.Timeout | undefined
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`the preflight took longer than ${timeoutMs / 1000} s`)), timeoutMs)
    })
    try {
      const report = await Promise.race([checkTarget(clients, target, options, failure.task), timeout])
      return explanationLines(report.explanation, report.results)
    } finally {
      clearTimeout(timer)
    }
  }
}

/** The explanation and the results behind it, as lines (for migrate's stderr). */
export function explanationLines(explanation: Explanation | undefined, results: PreflightResult[]): string[] {
  if (!explanation) return []
  const explaining = results.filter((r) => r.explains)
  return [`Preflight: ${explanation.text}`, ...renderResultLines(explaining).map((l) => `  ${l}`)]
}
