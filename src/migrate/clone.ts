/**
 * Pure: what a one-off task copies from its service beyond the task definition and network, what
 * RunTask would reject, and what the operator must be told. Each rule cites the page it follows.
 */
import type {ContainerDefinition, RunTaskCommandInput, Service, Tag, TaskDefinition, TaskVolumeConfiguration} from '@aws-sdk/client-ecs'

import {UsageError} from '../errors.js'

/** The service settings a one-off task copies (as ecspresso's `run` does), from DescribeServices with include TAGS. */
export interface ServiceSettings {
  placementConstraints?: RunTaskCommandInput['placementConstraints']
  placementStrategy?: RunTaskCommandInput['placementStrategy']
  enableExecuteCommand?: boolean
  enableECSManagedTags?: boolean
  propagateTags?: string
  tags?: Tag[]
  /** The PRIMARY deployment's EBS volumes configured at launch (only deployments[] has them). */
  volumeConfigurations?: TaskVolumeConfiguration[]
  /** The PRIMARY deployment has Service Connect enabled. */
  serviceConnect?: boolean
  /** Each deployment: its revision, status, rollout state and running count (mid-deployment notes). */
  deployments?: Array<{taskDefinition: string; status: string; rolloutState?: string; running: number; desired: number}>
}

export function serviceSettings(service: Service): ServiceSettings {
  const primary = service.deployments?.find((d) => d.status === 'PRIMARY')
  return {
    placementConstraints: service.placementConstraints?.length ? service.placementConstraints : undefined,
    placementStrategy: service.placementStrategy?.length ? service.placementStrategy : undefined,
    enableExecuteCommand: service.enableExecuteCommand,
    enableECSManagedTags: service.enableECSManagedTags,
    propagateTags: service.propagateTags,
    tags: service.tags?.length ? service.tags : undefined,
    volumeConfigurations: primary?.volumeConfigurations?.map(
      (v): TaskVolumeConfiguration => ({
        name: v.name,
        ...(v.managedEBSVolume
          ? {
              managedEBSVolume: {
                roleArn: v.managedEBSVolume.roleArn,
                encrypted: v.managedEBSVolume.encrypted,
                kmsKeyId: v.managedEBSVolume.kmsKeyId,
                volumeType: v.managedEBSVolume.volumeType,
                sizeInGiB: v.managedEBSVolume.sizeInGiB,
                snapshotId: v.managedEBSVolume.snapshotId,
                iops: v.managedEBSVolume.iops,
                throughput: v.managedEBSVolume.throughput,
                filesystemType: v.managedEBSVolume.filesystemType,
              },
            }
          : {}),
      }),
    ),
    serviceConnect: primary?.serviceConnectConfiguration?.enabled === true,
    deployments: service.deployments?.map((d) => ({taskDefinition: d.taskDefinition ?? '?', status: d.status ?? '?', rolloutState: d.rolloutState, running: d.runningCount ?? 0, desired: d.desiredCount ?? 0})),
  }
}

/** Where the task runs: Fargate (FARGATE / FARGATE_SPOT providers or launch type), EC2-like (EC2, EXTERNAL, Auto Scaling group providers), or unknown. */
export function capacityKind(request: Pick<RunTaskCommandInput, 'launchType' | 'capacityProviderStrategy'>): 'fargate' | 'other' | 'unknown' {
  if (request.launchType) return request.launchType === 'FARGATE' ? 'fargate' : 'other'
  const providers = request.capacityProviderStrategy ?? []
  if (providers.length === 0) return 'unknown'
  return providers.every((p) => /^FARGATE(_SPOT)?$/.test(p.capacityProvider ?? '')) ? 'fargate' : 'other'
}

/**
 * Fargate task sizes: CPU units → the memory values (MiB) allowed with it. ECS developer guide,
 * "Amazon ECS task definition parameters for Fargate", Task size (Task CPU and memory table).
 */
export function fargateMemoryFor(cpu: number): number[] {
  const range = (from: number, to: number, step: number) => Array.from({length: (to - from) / step + 1}, (_, i) => from + i * step)
  switch (cpu) {
    case 256: return [512, 1024, 2048]
    case 512: return range(1024, 4096, 1024)
    case 1024: return range(2048, 8192, 1024)
    case 2048: return range(4096, 16_384, 1024)
    case 4096: return range(8192, 30_720, 1024)
    case 8192: return range(16_384, 61_440, 4096)
    case 16_384: return range(32_768, 122_880, 8192)
    default: return []
  }
}

/** `1 vCPU`, `1024` → 1024; `2 GB`, `2048` → 2048 (the forms RunTask's task-level overrides accept). */
export function taskSizeValue(text: string, unit: 'cpu' | 'memory'): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(vcpu|gb)?\s*$/i.exec(text)
  if (!match) return undefined
  const n = Number(match[1])
  if (!match[2]) return Number.isInteger(n) ? n : undefined
  return match[2].toLowerCase() === (unit === 'cpu' ? 'vcpu' : 'gb') ? Math.round(n * 1024) : undefined
}

/** A Fargate task size that RunTask would reject is exit 2 before any call. */
export function checkFargateSize(cpuText: string | undefined, memoryText: string | undefined, td: Pick<TaskDefinition, 'cpu' | 'memory'>): void {
  const cpuSource = cpuText ?? td.cpu
  const memorySource = memoryText ?? td.memory
  if (cpuText === undefined && memoryText === undefined) return
  const cpu = cpuSource === undefined ? undefined : taskSizeValue(cpuSource, 'cpu')
  const memory = memorySource === undefined ? undefined : taskSizeValue(memorySource, 'memory')
  if (cpuText !== undefined && cpu === undefined) throw new UsageError(`--task-cpu "${cpuText}" is not a CPU value (e.g. 1024 or "1 vCPU").`, {code: 'BadTaskSize'})
  if (memoryText !== undefined && memory === undefined) throw new UsageError(`--task-memory "${memoryText}" is not a memory value (e.g. 2048 or "2 GB").`, {code: 'BadTaskSize'})
  if (cpu === undefined || memory === undefined) return
  const allowed = fargateMemoryFor(cpu)
  if (!allowed.includes(memory)) {
    throw new UsageError(`Fargate does not run a task of ${cpu} CPU units with ${memory} MiB.`, {
      hint: allowed.length > 0 ? `With ${cpu} CPU units the memory is one of ${allowed[0]}–${allowed.at(-1)} MiB (${allowed.length} values: ${allowed.slice(0, 4).join(', ')}${allowed.length > 4 ? ', …' : ''}).` : 'Fargate CPU values: 256, 512, 1024, 2048, 4096, 8192, 16384.',
      code: 'BadTaskSize',
    })
  }
}

/**
 * RunTask's limits, checked before the call so that neither the task nor a --dry-run shows a
 * request AWS rejects (RunTask API reference: overrides "up to 8192 characters" of JSON; "Tagging
 * your Amazon ECS resources": at most 50 tags, keys ≤ 128 and values ≤ 256 characters, the aws:
 * prefix reserved, one value per key).
 */
export function checkRunTaskLimits(request: RunTaskCommandInput): void {
  const overrides = JSON.stringify(request.overrides ?? {})
  if (overrides.length > 8192) {
    throw new UsageError(`The container overrides are ${overrides.length} characters of JSON; RunTask accepts at most 8192.`, {hint: 'Shorten the command or pass fewer --env-var values (large values belong in an environment file or a secret).', code: 'OverridesTooLarge'})
  }
  const tags = request.tags ?? []
  if (tags.length > 50) throw new UsageError(`The task would have ${tags.length} tags; ECS allows 50 per resource.`, {hint: 'Pass fewer --tag values (the service\'s own tags are copied too).', code: 'BadTag'})
  const seen = new Set<string>()
  for (const {key = '', value = ''} of tags) {
    if (/^aws:/i.test(key)) throw new UsageError(`Tag key "${key}" uses the reserved aws: prefix.`, {code: 'BadTag'})
    if (key.length > 128 || value.length > 256) throw new UsageError(`Tag "${key.slice(0, 40)}…" is too long: keys up to 128 characters, values up to 256.`, {code: 'BadTag'})
    if (seen.has(key)) throw new UsageError(`Tag key "${key}" is given twice.`, {hint: 'A key has one value: a --tag overrides a copied service tag only by being the only one with that key.', code: 'BadTag'})
    seen.add(key)
  }
}

/** `--tag` values win over the service's copied tags with the same key. */
export function mergeTags(serviceTags: Tag[] | undefined, flagTags: Tag[]): Tag[] {
  const keys = new Set(flagTags.map((t) => t.key))
  return [...(serviceTags ?? []).filter((t) => !keys.has(t.key) && !/^aws:/i.test(t.key ?? '')), ...flagTags]
}

/** The argv the container really runs: the task definition's entryPoint, then the command (Docker's ENTRYPOINT + CMD). */
export function realArgv(definition: Pick<ContainerDefinition, 'entryPoint'> | undefined, command: string[]): string[] {
  return [...(definition?.entryPoint ?? []), ...command]
}

/** What the operator must know about the clone: warnings, one sentence each. */
export function cloneWarnings(settings: ServiceSettings | undefined, context: {serviceName?: string; revisionRun: string; spotReplaced: boolean; definition?: Pick<ContainerDefinition, 'entryPoint' | 'name'>; command?: string[]}): string[] {
  const warnings: string[] = []
  if (context.spotReplaced) {
    warnings.push(`Service ${context.serviceName} runs on Fargate Spot; the one-off task uses FARGATE instead: a Spot interruption (two minutes' notice) would leave a half-done migration. Pass --capacity-provider FARGATE_SPOT to use Spot anyway.`)
  }
  if (context.definition?.entryPoint?.length && context.command) {
    const argv = realArgv(context.definition, context.command)
    warnings.push(`Container ${context.definition.name} has an entryPoint: the command becomes its arguments, and the container runs ${JSON.stringify(argv)}.`)

  }
  // "A task started by RunTask cannot join Service Connect" (ECS API reference, Deployment, serviceConnectConfiguration; Service Connect concepts).
  if (settings?.serviceConnect) warnings.push(`Service ${context.serviceName} uses Service Connect, which a task started by RunTask cannot join: names only Service Connect resolves (a database's short name) will not resolve in the migration.`)
  const deployments = settings?.deployments ?? []
  const primary = deployments.find((d) => d.status === 'PRIMARY')
  if (deployments.length > 1 || (primary?.rolloutState && primary.rolloutState !== 'COMPLETED')) {
    const described = deployments.map((d) => `${d.status} ${d.taskDefinition.split('/').pop()} (${d.rolloutState ?? 'rollout state unknown'}, ${d.running}/${d.desired} running)`).join('; ')
    warnings.push(`Service ${context.serviceName} is mid-deployment: ${described}. The one-off task runs ${context.revisionRun}, the PRIMARY deployment's revision, which may not be what most running tasks are.`)
  }
  return warnings
}
