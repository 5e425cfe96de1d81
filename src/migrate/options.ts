import {randomBytes} from 'node:crypto'

import type {Settings} from '../config/settings.js'
import {UsageError} from '../errors.js'
import {parseDuration} from './duration.js'
import {chooseCommand, parseCapacityProvider, parseEnvVars, parseTags, splitList} from './request.js'
import type {MigrateInput} from './run.js'

/** The flags of `ecsops migrate`, as oclif parses them. */
export interface MigrateFlags {
  'task-definition'?: string
  latest?: boolean
  'env-var'?: string[]
  command?: string
  cpu?: number
  memory?: number
  'task-role-arn'?: string
  'platform-version'?: string
  'launch-type'?: string
  'capacity-provider'?: string[]
  subnets?: string
  'security-groups'?: string
  'assign-public-ip'?: boolean
  timeout?: string
  wait?: boolean
  logs?: boolean
  'dry-run'?: boolean
  yes?: boolean
  'stop-on-interrupt'?: boolean
  'stop-on-timeout'?: boolean
  'started-by'?: string
  tag?: string[]
  'wait-stopped'?: boolean
  'show-values'?: boolean
  'task-cpu'?: string
  'task-memory'?: string
  'task-definition-command'?: boolean
  preflight?: boolean
}

export const DEFAULT_TIMEOUT = '1h'
export const DEFAULT_POLL_INTERVAL_MS = 1000

/** The test knob's bounds: never a DescribeTasks storm (ECS throttles), never so slow a run looks hung. */
export const TEST_POLL_INTERVAL_BOUNDS = {min: 100, max: 60_000} as const

/**
 * ECSOPS_TEST_POLL_INTERVAL_MS: an internal knob for the built-CLI tests, not a setting (no flag,
 * no config key, not in --help). It scales the poll, the log settle, drain and stop waits; a value
 * out of its bounds or not a whole number is exit 2 rather than a silent default.
 */
export function testPollInterval(env: NodeJS.ProcessEnv): number | undefined {
  const text = env.ECSOPS_TEST_POLL_INTERVAL_MS
  if (text === undefined) return undefined
  const value = Number(text)
  const {min, max} = TEST_POLL_INTERVAL_BOUNDS
  if (!/^\d+$/.test(text.trim()) || value < min || value > max) {
    throw new UsageError(`ECSOPS_TEST_POLL_INTERVAL_MS=${JSON.stringify(text)} is not a whole number of milliseconds from ${min} to ${max}.`, {hint: 'It is a knob for ecsops\'s own tests: unset it (unset ECSOPS_TEST_POLL_INTERVAL_MS).'})
  }
  return value
}

/**
 * The command words: everything after the first `--` of the raw argv. Words before it are a
 * mistake (`ecsops migrate web` would otherwise run a command named "web").
 */
export function commandWords(rawArgv: string[], parsedArgs: string[]): string[] {
  const separator = rawArgv.indexOf('--')
  if (separator === -1) {
    if (parsedArgs.length > 0) {
      throw new UsageError(`Unexpected argument "${parsedArgs[0]}": the command to run goes after --.`, {
        hint: 'E.g. ecsops migrate --service web -- php artisan migrate --force (or --command \'["php","artisan","migrate"]\').',
        code: 'UnexpectedArgument',
      })
    }
    return []
  }
  const before = rawArgv.slice(0, separator)
  const stray = parsedArgs.length - (rawArgv.length - separator - 1)
  if (stray > 0) {
    throw new UsageError(`Unexpected argument before --: the command to run goes after --.`, {hint: `Arguments given: ${before.join(' ')}`, code: 'UnexpectedArgument'})
  }
  return rawArgv.slice(separator + 1)
}

/**
 * Flags, settings (flags > env vars > config environment > file defaults) and the words after
 * `--` → what `migrate` runs. Every malformed value is a UsageError here, before any AWS call.
 */
export function migrateInputFrom(flags: MigrateFlags, settings: Settings, args: string[], env: NodeJS.ProcessEnv = {}): MigrateInput {
  if (flags['launch-type'] && flags['capacity-provider']?.length) {
    throw new UsageError('--launch-type and --capacity-provider cannot be used together: a task has one or the other.', {code: 'ConflictingFlags'})
  }
  if (flags.latest && flags['task-definition']) {
    throw new UsageError('--latest and --task-definition cannot be used together.', {code: 'ConflictingFlags'})
  }
  if (flags.latest && !settings.service) {
    throw new UsageError('--latest needs a service: it runs the newest revision of the family the service runs.', {hint: 'Pass --service, or --task-definition FAMILY for the newest revision of a family.', code: 'MissingService'})
  }
  const configFile = settings.configFile ? `the config file${settings.env ? ` (environment ${settings.env})` : ''}` : 'the config file'
  const command = chooseCommand(args, flags.command, settings.migrate.command, configFile)
  if (flags['task-definition-command'] && command.command) {
    throw new UsageError(`--task-definition-command runs the task definition's own command, and a command was also given (${command.source}).`, {hint: 'Drop one of them.', code: 'ConflictingFlags'})
  }
  // The task definition's own command is often the service's server (php-fpm), which never exits:
  // it runs only when asked for by name.
  if (!command.command && !flags['task-definition-command']) {
    throw new UsageError('No command to run: give it after --, with --command, or as migrate.command in the config file.', {
      hint: "E.g. ecsops migrate --service web -- php artisan migrate --force. To run the task definition's own command (often the service's server, which never exits), pass --task-definition-command.",
      code: 'MissingCommand',
    })
  }
  const environment = {...settings.migrate.envVars, ...parseEnvVars(flags['env-var'] ?? [])}
  for (const [flag, value] of [['--cpu', flags.cpu], ['--memory', flags.memory]] as const) {
    if (value !== undefined && value <= 0) throw new UsageError(`${flag} must be a positive number, got ${value}.`, {code: 'BadNumber'})
  }
  // Unique per run by default, so that a task whose RunTask did not answer can be found (list-tasks --started-by).
  const startedBy = flags['started-by'] ?? `ecsops/${randomBytes(6).toString('hex')}`
  // RunTask's startedBy: up to 128 letters, digits, hyphens, forward slashes and underscores.
  if (startedBy.length > 128 || !/^[A-Za-z0-9_/-]+$/.test(startedBy)) {
    throw new UsageError(`--started-by "${startedBy}" is not allowed by ECS: up to 128 letters, digits, hyphens, forward slashes (/) and underscores.`, {hint: 'E.g. --started-by ci/deploy-1234.', code: 'BadStartedBy'})
  }

  // --container > ECSOPS_CONTAINER > migrate.container > the environment's container.
  const explicit = settings.sources.container === '--container' || settings.sources.container === 'ECSOPS_CONTAINER'
  const container = explicit && settings.container
    ? {name: settings.container, source: settings.sources.container as string}
    : settings.migrate.container
      ? {name: settings.migrate.container, source: `${configFile} (migrate.container)`}
      : settings.container
        ? {name: settings.container, source: settings.sources.container ?? 'the config file'}
        : undefined

  const timeoutText = flags.timeout ?? settings.migrate.timeout ?? DEFAULT_TIMEOUT
  const pollIntervalMs = testPollInterval(env) ?? DEFAULT_POLL_INTERVAL_MS

  const input: MigrateInput = {
    cluster: settings.cluster ?? '',
    service: settings.service,
    container,
    taskDefinition: flags['task-definition'],
    latest: flags.latest ?? false,
    command,
    overrides: {
      launchType: flags['launch-type'],
      capacityProviders: flags['capacity-provider']?.map((c) => parseCapacityProvider(c)),
      platformVersion: flags['platform-version'],
      subnets: splitList(flags.subnets),
      securityGroups: splitList(flags['security-groups']),
      assignPublicIp: flags['assign-public-ip'],
      cpu: flags.cpu,
      memory: flags.memory,
      taskCpu: flags['task-cpu'],
      taskMemory: flags['task-memory'],
      taskRoleArn: flags['task-role-arn'],
      environment,
      startedBy,
      tags: parseTags(flags.tag ?? []),
    },
    timeoutMs: parseDuration(timeoutText, flags.timeout ? '--timeout' : 'migrate.timeout'),
    wait: flags.wait ?? true,
    followLogs: flags.logs ?? true,
    dryRun: flags['dry-run'] ?? false,
    yes: flags.yes ?? false,
    stopOnTimeout: flags['stop-on-timeout'] ?? true,
    stopOnInterrupt: flags['stop-on-interrupt'] ?? true,
    pollIntervalMs,
    // Scaled with the poll interval so that tests with a fast poll also drain fast.
    logSettleMs: Math.min(1500, pollIntervalMs * 1.5),
    drainMaxMs: Math.min(5000, pollIntervalMs * 5),
    stopWaitMs: Math.min(10_000, pollIntervalMs * 10),
    waitStopped: flags['wait-stopped'] ?? false,
    showValues: flags['show-values'] ?? false,
    // --preflight / --no-preflight over the config file's migrate.preflight (per environment).
    preflight: flags.preflight ?? settings.migrate.preflight ?? false,
  }
  // Last, so that every other mistake is said first: the command offers a picker for this one.
  if (!settings.cluster) {
    throw new UsageError('No cluster given.', {hint: 'Pass --cluster, set ECSOPS_CLUSTER, or set cluster in the config file (with --env NAME).', code: 'MissingCluster'})
  }
  return input
}
