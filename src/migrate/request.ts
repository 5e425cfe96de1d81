import type {AwsVpcConfiguration, CapacityProviderStrategyItem, ContainerOverride, KeyValuePair, LaunchType, RunTaskCommandInput, Tag} from '@aws-sdk/client-ecs'

import {UsageError} from '../errors.js'
import {capacityKind, mergeTags, type ServiceSettings} from './clone.js'

/** What the service contributes to the one-off task (DescribeServices, reduced to plain data). */
export interface ServiceFacts {
  name: string
  status: string
  taskDefinition?: string
  launchType?: string
  capacityProviderStrategy?: CapacityProviderStrategyItem[]
  platformVersion?: string
  network?: AwsVpcConfiguration
  /** What else the one-off task copies (placement, exec, tags, EBS volumes) and what to warn about. */
  settings?: ServiceSettings
}

/** The flags that shape the RunTask request, already parsed. */
export interface RequestOverrides {
  launchType?: string
  capacityProviders?: CapacityProviderStrategyItem[]
  platformVersion?: string
  subnets?: string[]
  securityGroups?: string[]
  /** true → ENABLED, false → DISABLED, undefined → the service's. */
  assignPublicIp?: boolean
  cpu?: number
  memory?: number
  /** Task-level CPU and memory (RunTask overrides.cpu/memory: strings such as "1024" or "1 vCPU"). */
  taskCpu?: string
  taskMemory?: string
  taskRoleArn?: string
  environment: Record<string, string>
  startedBy: string
  tags: Tag[]
}

export interface RequestPlan {
  cluster: string
  service?: ServiceFacts
  /** Full ARN of the exact revision to run. */
  taskDefinitionArn: string
  /** The task definition's network mode (`awsvpc` needs a network configuration). */
  networkMode?: string
  /** Volumes of the task definition run that are configured at launch (EBS): only those take the service's volume configurations. */
  volumesConfiguredAtLaunch?: string[]
  container: string
  /** undefined: the task definition's own command runs. */
  command?: string[]
  overrides: RequestOverrides
  /** Idempotency token, so an SDK retry of RunTask never starts a second task. */
  clientToken?: string
}

/**
 * The service runs (partly) on Fargate Spot and no flag chose the capacity: the one-off task uses
 * FARGATE instead (a migration interrupted after Spot's two-minute warning is half done).
 */
export function replacesSpot(plan: Pick<RequestPlan, 'service' | 'overrides'>): boolean {
  const {service, overrides: o} = plan
  return !o.launchType && !o.capacityProviders?.length && (service?.capacityProviderStrategy ?? []).some((p) => p.capacityProvider === 'FARGATE_SPOT')
}

/** The exact RunTask input: service settings, each overridden by its flag. */
export function buildRunTaskRequest(plan: RequestPlan): RunTaskCommandInput {
  const {service, overrides: o} = plan
  const request: RunTaskCommandInput = {cluster: plan.cluster, taskDefinition: plan.taskDefinitionArn}

  if (o.launchType) request.launchType = o.launchType as LaunchType
  else if (o.capacityProviders?.length) request.capacityProviderStrategy = o.capacityProviders
  else if (replacesSpot(plan)) request.launchType = 'FARGATE'
  else if (service?.capacityProviderStrategy?.length) request.capacityProviderStrategy = service.capacityProviderStrategy
  else if (service?.launchType) request.launchType = service.launchType as LaunchType
  const kind = capacityKind(request)

  // platformVersion is a Fargate setting: RunTask rejects it for EC2, EXTERNAL and Auto Scaling group capacity.
  const platformVersion = o.platformVersion ?? service?.platformVersion
  if (platformVersion && (kind === 'fargate' || (kind === 'unknown' && o.platformVersion))) request.platformVersion = platformVersion

  const network = networkOf(plan, kind)
  if (network) request.networkConfiguration = {awsvpcConfiguration: network}

  copyServiceSettings(request, service?.settings, kind, plan.volumesConfiguredAtLaunch)

  const containerOverride: ContainerOverride = {name: plan.container}
  if (plan.command) containerOverride.command = plan.command
  const environment: KeyValuePair[] = Object.entries(o.environment).map(([name, value]) => ({name, value}))
  if (environment.length > 0) containerOverride.environment = environment
  if (o.cpu !== undefined) containerOverride.cpu = o.cpu
  if (o.memory !== undefined) containerOverride.memory = o.memory
  request.overrides = {
    containerOverrides: [containerOverride],
    ...(o.taskCpu ? {cpu: o.taskCpu} : {}),
    ...(o.taskMemory ? {memory: o.taskMemory} : {}),
    ...(o.taskRoleArn ? {taskRoleArn: o.taskRoleArn} : {}),
  }

  request.startedBy = o.startedBy
  const tags = mergeTags(service?.settings?.tags, o.tags)
  if (tags.length > 0) request.tags = tags
  if (plan.clientToken) request.clientToken = plan.clientToken
  request.count = 1
  return request
}

/**
 * The awsvpc configuration, for the awsvpc network mode only (RunTask rejects a network
 * configuration for bridge or host). An EC2 task ENI never gets a public IP ("Amazon ECS task
 * networking options for EC2": assignPublicIp is for Fargate): ENABLED is dropped there.
 */
function networkOf(plan: RequestPlan, kind: ReturnType<typeof capacityKind>): AwsVpcConfiguration | undefined {
  const {service, overrides: o} = plan
  const awsvpc = plan.networkMode === undefined || plan.networkMode === 'awsvpc'
  if (!awsvpc) {
    if (o.subnets?.length || o.securityGroups?.length || o.assignPublicIp !== undefined) {
      throw new UsageError(`The task definition uses the ${plan.networkMode} network mode: --subnets, --security-groups and --assign-public-ip apply to awsvpc only.`, {hint: 'Drop those flags: the task uses its container instance\'s network.', code: 'NotAwsvpc'})
    }
    return undefined
  }
  const base = service?.network
  const subnets = o.subnets ?? base?.subnets
  if (!subnets?.length) {
    if (plan.networkMode !== 'awsvpc') return undefined
    throw new UsageError(`The task definition uses the awsvpc network mode and ${service ? `service ${service.name} has no awsvpc network configuration` : 'no service was given'} to copy it from.`, {
      hint: 'Pass --subnets (and --security-groups), or --service to copy the network of a service.',
      code: 'MissingNetwork',
    })
  }
  if (o.assignPublicIp === true && kind === 'other') {
    throw new UsageError('--assign-public-ip is for Fargate tasks: an awsvpc task on EC2 or external capacity never gets a public IP.', {code: 'NotFargate'})
  }
  const securityGroups = o.securityGroups ?? base?.securityGroups
  let assign = o.assignPublicIp === undefined ? base?.assignPublicIp : o.assignPublicIp ? 'ENABLED' : 'DISABLED'
  if (assign === 'ENABLED' && kind === 'other') assign = undefined
  return {subnets, ...(securityGroups?.length ? {securityGroups} : {}), ...(assign ? {assignPublicIp: assign} : {})}
}

/**
 * The service settings a one-off task keeps (ecspresso's run copies the same): placement (EC2
 * only: Fargate tasks take no placement), ECS Exec (so a hung migration can be inspected),
 * managed tags, tag propagation from the task definition (RunTask accepts TASK_DEFINITION or
 * NONE, not SERVICE: the service's tags are copied instead), and the PRIMARY deployment's EBS
 * volumes configured at launch (RunTask needs them for such a task definition).
 */
function copyServiceSettings(request: RunTaskCommandInput, settings: ServiceSettings | undefined, kind: ReturnType<typeof capacityKind>, atLaunch: string[] | undefined): void {
  if (!settings) return
  if (kind !== 'fargate') {
    if (settings.placementConstraints) request.placementConstraints = settings.placementConstraints
    if (settings.placementStrategy) request.placementStrategy = settings.placementStrategy
  }
  if (settings.enableExecuteCommand) request.enableExecuteCommand = true
  if (settings.enableECSManagedTags) request.enableECSManagedTags = true
  if (settings.propagateTags === 'TASK_DEFINITION') request.propagateTags = 'TASK_DEFINITION'
  // Only for the volumes the task definition run configures at launch (a --task-definition or --latest revision may have none).
  const volumes = (settings.volumeConfigurations ?? []).filter((v) => atLaunch === undefined || atLaunch.includes(v.name ?? ''))
  if (volumes.length) request.volumeConfigurations = volumes
}

/** The request with every container environment value replaced by `***` (names kept): what --dry-run prints unless --show-values. */
export function maskedRequest(request: RunTaskCommandInput): RunTaskCommandInput {
  const containerOverrides = request.overrides?.containerOverrides?.map((c) => (c.environment ? {...c, environment: c.environment.map((e) => ({...e, value: '***'}))} : c))
  return containerOverrides ? {...request, overrides: {...request.overrides, containerOverrides}} : request
}

/** `KEY=VALUE` pairs (the value may contain `=` or be empty). */
export function parseEnvVars(pairs: string[], flag = '--env-var'): Record<string, string> {
  const result: Record<string, string> = {}
  for (const pair of pairs) {
    const at = pair.indexOf('=')
    const name = at > 0 ? pair.slice(0, at) : ''
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
      throw new UsageError(`${flag} "${pair}" is not KEY=VALUE.`, {hint: `Write ${flag} NAME=value, e.g. ${flag} APP_ENV=production (the name: letters, digits, _).`, code: 'BadEnvVar'})
    }
    result[name] = pair.slice(at + 1)
  }
  return result
}

/** `K=V` tags for the task. */
export function parseTags(pairs: string[]): Tag[] {
  return pairs.map((pair) => {
    const at = pair.indexOf('=')
    if (at <= 0) throw new UsageError(`--tag "${pair}" is not KEY=VALUE.`, {hint: 'Write --tag team=payments.', code: 'BadTag'})
    return {key: pair.slice(0, at), value: pair.slice(at + 1)}
  })
}

/** `NAME[:WEIGHT[:BASE]]` → one capacity provider strategy item. */
export function parseCapacityProvider(text: string): CapacityProviderStrategyItem {
  const match = /^([A-Za-z0-9_-]+)(?::(\d+))?(?::(\d+))?$/.exec(text)
  if (!match) {
    throw new UsageError(`--capacity-provider "${text}" is not NAME[:WEIGHT[:BASE]].`, {hint: 'E.g. --capacity-provider FARGATE_SPOT:1 --capacity-provider FARGATE:0:1.', code: 'BadCapacityProvider'})
  }
  const [, capacityProvider, weight, base] = match
  return {capacityProvider, ...(weight === undefined ? {} : {weight: Number(weight)}), ...(base === undefined ? {} : {base: Number(base)})}
}

/** `--command '["php","artisan","migrate"]'`: a non-empty JSON array of strings. */
export function parseCommandJson(text: string): string[] {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    value = undefined
  }
  if (!Array.isArray(value) || value.length === 0 || !value.every((v) => typeof v === 'string')) {
    throw new UsageError(`--command must be a JSON array of strings, got: ${text}`, {
      hint: `E.g. --command '["php","artisan","migrate","--force"]', or put the command after --: ecsops migrate -- php artisan migrate --force`,
      code: 'BadCommand',
    })
  }
  return value as string[]
}

export interface CommandChoice {
  command?: string[]
  /** `arguments after --`, `--command`, `<file> (migrate.command)`, `the task definition`. */
  source: string
}

/** Arguments after `--`, else `--command`, else the config file's migrate.command, else the task definition's. */
export function chooseCommand(args: string[], commandFlag: string | undefined, configured: string[] | undefined, configSource = 'the config file'): CommandChoice {
  if (args.length > 0 && commandFlag !== undefined) {
    throw new UsageError('Give the command either after -- or with --command, not both.', {code: 'ConflictingFlags'})
  }
  if (args.length > 0) return {command: args, source: 'arguments after --'}
  if (commandFlag !== undefined) return {command: parseCommandJson(commandFlag), source: '--command'}
  if (configured?.length) return {command: configured, source: `${configSource} (migrate.command)`}
  return {source: 'the task definition'}
}

export function splitList(text: string | undefined): string[] | undefined {
  if (text === undefined) return undefined
  const items = text.split(',').map((s) => s.trim()).filter(Boolean)
  return items.length > 0 ? items : undefined
}

/** A command as a shell user would read it (for messages, never executed). */
export function shellWords(command: string[]): string {
  return command.map((w) => (/^[\w@%+=:,./-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`)).join(' ')
}
