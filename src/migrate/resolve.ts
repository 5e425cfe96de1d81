import type {ECSClient, Service, TaskDefinition} from '@aws-sdk/client-ecs'
import {DescribeServicesCommand, DescribeTaskDefinitionCommand, ListServicesCommand} from '@aws-sdk/client-ecs'

import {AwsCallError, UsageError} from '../errors.js'
import type {ServiceFacts} from './request.js'
import {serviceSettings} from './clone.js'
import {clusterNameOf} from '../aws/arn.js'
import {namingTheCluster} from '../aws/errors.js'

export {namingTheCluster}

export interface Target {
  service?: ServiceFacts
  taskDefinition: TaskDefinition
  /** How the revision was chosen, for messages: `the service's current revision`, `--latest`, `--task-definition`. */
  taskDefinitionSource: string
}

/** A ClusterNotFoundException as an error that names the cluster; any other error unchanged. */

/** `arn:…:task-definition/family:3` or `family:3` or `family` → `family`. */
export function familyOf(taskDefinition: string): string {
  const last = taskDefinition.startsWith('arn:') ? (taskDefinition.split('/').pop() ?? taskDefinition) : taskDefinition
  return last.split(':')[0]
}

export function serviceFacts(service: Service): ServiceFacts {
  return {
    name: service.serviceName ?? '',
    status: service.status ?? 'UNKNOWN',
    taskDefinition: service.taskDefinition,
    launchType: service.launchType,
    capacityProviderStrategy: service.capacityProviderStrategy?.length ? service.capacityProviderStrategy : undefined,
    platformVersion: service.platformVersion,
    network: service.networkConfiguration?.awsvpcConfiguration,
    settings: serviceSettings(service),
  }
}

/**
 * Reads what the one-off task copies: the service (its exact current task definition revision,
 * network, launch type or capacity providers, platform version) and the task definition to run.
 * Unknown names are errors that say what exists; nothing is started here.
 */
export async function resolveTarget(ecs: ECSClient, input: {cluster: string; service?: string; taskDefinition?: string; latest?: boolean}): Promise<Target> {
  let service: ServiceFacts | undefined
  if (input.service) {
    let answer
    try {
      answer = await ecs.send(new DescribeServicesCommand({cluster: input.cluster, services: [input.service], include: ['TAGS']}))
    } catch (error) {
      throw namingTheCluster(error, input.cluster)
    }
    const found = answer.services?.find((s) => s.serviceName === input.service || s.serviceArn === input.service) ?? answer.services?.[0]
    if (!found) {
      const listed = await serviceNames(ecs, input.cluster)
      const reason = answer.failures?.[0]?.reason ?? 'MISSING'
      throw new AwsCallError(`Service "${input.service}" not found in cluster "${clusterNameOf(input.cluster)}" (${reason}).`, {
        hint: listed === undefined ? 'Check the service name and the region.' : servicesHint(clusterNameOf(input.cluster), input.service, listed.names, listed.more),
        code: 'ServiceNotFound',
      })
    }
    service = serviceFacts(found)
    if (service.status !== 'ACTIVE') {
      throw new AwsCallError(`Service "${service.name}" in cluster "${clusterNameOf(input.cluster)}" is ${service.status}, not ACTIVE.`, {
        hint: 'A deleted or draining service cannot be copied: name an ACTIVE service, or pass --task-definition with --subnets and --security-groups.',
        code: 'ServiceNotActive',
      })
    }
  }

  let ref: string
  let taskDefinitionSource: string
  if (input.taskDefinition) {
    ref = input.taskDefinition
    taskDefinitionSource = '--task-definition'
  } else if (service?.taskDefinition) {
    ref = input.latest ? familyOf(service.taskDefinition) : service.taskDefinition
    taskDefinitionSource = input.latest ? 'the newest ACTIVE revision of its family (--latest)' : `the revision service ${service.name} runs now`
  } else if (service) {
    throw new UsageError(`Service "${service.name}" has no task definition of its own (external deployment controller?).`, {hint: 'Pass --task-definition FAMILY[:REVISION].', code: 'MissingTaskDefinition'})
  } else {
    throw new UsageError('Say which service to copy, or which task definition to run.', {hint: 'Pass --service (or set ECSOPS_SERVICE or service in the config file), or --task-definition.', code: 'MissingService'})
  }

  let taskDefinition: TaskDefinition | undefined
  try {
    taskDefinition = (await ecs.send(new DescribeTaskDefinitionCommand({taskDefinition: ref}))).taskDefinition
  } catch (error) {
    const e = error as Error
    if (e.name === 'ClientException' && /unable to describe task definition|not found|does not exist/i.test(e.message)) taskDefinition = undefined
    else throw error
  }
  if (!taskDefinition) {
    throw new AwsCallError(`Task definition "${ref}" (from ${taskDefinitionSource}) does not exist.`, {
      hint: `\`aws ecs list-task-definitions --family-prefix ${familyOf(ref)}\` lists its revisions.`,
      code: 'TaskDefinitionNotFound',
    })
  }
  return {service, taskDefinition, taskDefinitionSource}
}

/** The first 100 service names of a cluster (`more`: it has others), or undefined when they cannot be listed. */
async function serviceNames(ecs: ECSClient, cluster: string): Promise<{names: string[]; more: boolean} | undefined> {
  try {
    const answer = await ecs.send(new ListServicesCommand({cluster, maxResults: 100}))
    return {names: (answer.serviceArns ?? []).map((arn) => arn.split('/').pop() ?? arn), more: Boolean(answer.nextToken)}
  } catch {
    return undefined
  }
}

/** Letters to change to turn one name into the other (Levenshtein distance). */
function distance(a: string, b: string): number {
  let previous = Array.from({length: b.length + 1}, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    for (let j = 1; j <= b.length; j++) current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1))
    previous = current
  }
  return previous[b.length]
}

/**
 * Up to ten of the cluster's services, the names closest to the one asked for first (a typo such
 * as "wbe" lists "web" first), then alphabetically.
 */
export function servicesHint(cluster: string, asked: string, names: string[], more = false): string {
  if (names.length === 0) return `Cluster ${cluster} has no services.`
  const wanted = asked.split('/').pop()?.toLowerCase() ?? asked
  const rank = (name: string) => Math.min(distance(wanted, name.toLowerCase()), name.toLowerCase().includes(wanted) ? 1 : Infinity)
  const ordered = [...names].sort((a, b) => Math.min(rank(a), 3) - Math.min(rank(b), 3) || a.localeCompare(b))
  const left = names.length - 10
  const rest = left > 0 ? `, … (${left}${more ? '+' : ''} more)` : more ? ', … (more)' : ''
  return `Services in ${cluster}: ${ordered.slice(0, 10).join(', ')}${rest}.`
}
