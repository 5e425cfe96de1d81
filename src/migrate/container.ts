import type {ContainerDefinition} from '@aws-sdk/client-ecs'

import {UsageError} from '../errors.js'

export interface ContainerChoice {
  name: string
  /** Why this container: `--container`, `the only container`, `the only essential container`. */
  why: string
}

/**
 * The container whose command is overridden: the one asked for (flag, env var or config),
 * else the only container, else the only essential one. Ambiguity is an error listing the names.
 */
export function pickContainer(containers: ContainerDefinition[], wanted?: {name: string; source: string}, taskDefinition = 'the task definition'): ContainerChoice {
  const names = containers.map((c) => c.name ?? '').filter(Boolean)
  if (wanted) {
    if (names.includes(wanted.name)) return {name: wanted.name, why: wanted.source}
    throw new UsageError(`Container "${wanted.name}" (from ${wanted.source}) is not in ${taskDefinition}.`, {
      hint: `Its containers: ${names.join(', ') || '(none)'}.`,
      code: 'UnknownContainer',
    })
  }
  if (names.length === 1) return {name: names[0], why: 'the only container'}
  // `essential` defaults to true when absent.
  const essential = containers.filter((c) => c.essential !== false && c.name)
  if (essential.length === 1) return {name: essential[0].name as string, why: 'the only essential container'}
  throw new UsageError(`${taskDefinition} has ${names.length} containers${essential.length > 1 ? ` (${essential.length} essential)` : ''}: say which one runs the command.`, {
    hint: `Pass --container with one of: ${names.join(', ')} (or set migrate.container in the config file).`,
    code: 'AmbiguousContainer',
  })
}

/** Where the awslogs driver of a container writes, or why there is no such place. */
export interface LogLocation {
  group: string
  stream: string
  region?: string
}

export function awslogsOf(container: ContainerDefinition | undefined, taskId: string): LogLocation | {none: string} {
  const config = container?.logConfiguration
  if (!config) return {none: 'it has no log configuration'}
  if (config.logDriver !== 'awslogs') return {none: `it logs with the ${config.logDriver} driver, not awslogs`}
  const options = config.options ?? {}
  const group = options['awslogs-group']
  const prefix = options['awslogs-stream-prefix']
  if (!group) return {none: 'its awslogs options have no awslogs-group'}
  if (!prefix) return {none: 'its awslogs options have no awslogs-stream-prefix, so the stream name is not predictable'}
  return {group, stream: `${prefix}/${container?.name}/${taskId}`, region: options['awslogs-region']}
}
