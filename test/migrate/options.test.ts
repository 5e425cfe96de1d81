import {describe, expect, it} from 'vitest'

import type {Settings} from '../../src/config/settings.js'
import {UsageError} from '../../src/errors.js'
import {commandWords, migrateInputFrom} from '../../src/migrate/options.js'

const settings = (over: Partial<Settings> = {}): Settings => ({cluster: 'app', service: 'web', migrate: {}, exec: {}, sources: {cluster: '--cluster', service: '--service'}, environments: [], ...over})

const usageError = (fn: () => unknown): UsageError => {
  try {
    fn()
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError)
    return error as UsageError
  }
  throw new Error('expected a UsageError')
}

describe('migrateInputFrom', () => {
  it('has safe defaults: wait, follow logs, stop on timeout and interrupt, 1h, poll 1 s, startedBy ecsops', () => {
    const input = migrateInputFrom({}, settings(), ['php', 'artisan', 'migrate'])
    expect(input).toMatchObject({
      cluster: 'app',
      service: 'web',
      command: {command: ['php', 'artisan', 'migrate'], source: 'arguments after --'},
      wait: true,
      followLogs: true,
      stopOnTimeout: true,
      stopOnInterrupt: true,
      dryRun: false,
      yes: false,
      timeoutMs: 3_600_000,
      pollIntervalMs: 1000,
      overrides: {tags: [], environment: {}},
    })
    // startedBy is unique per run, so a task whose RunTask did not answer can be found.
    expect(input.overrides.startedBy).toMatch(/^ecsops\/[0-9a-f]{12}$/)
    expect(migrateInputFrom({}, settings(), ['true']).overrides.startedBy).not.toBe(input.overrides.startedBy)
  })

  it('refuses to run without a command, unless --task-definition-command asks for the task definition\'s own', () => {
    const error = usageError(() => migrateInputFrom({}, settings(), []))
    expect(error).toMatchObject({code: 'MissingCommand', exitCode: 2})
    expect(error.hint).toContain('--task-definition-command')
    expect(migrateInputFrom({'task-definition-command': true}, settings(), []).command).toEqual({source: 'the task definition'})
    expect(usageError(() => migrateInputFrom({'task-definition-command': true}, settings(), ['php', 'artisan', 'migrate'])).code).toBe('ConflictingFlags')
    expect(usageError(() => migrateInputFrom({'task-definition-command': true}, settings({migrate: {command: ['x']}}), [])).code).toBe('ConflictingFlags')
  })

  it('ends at the container\'s exit by default; --wait-stopped waits for STOPPED', () => {
    expect(migrateInputFrom({}, settings(), ['true']).waitStopped).toBe(false)
    expect(migrateInputFrom({'wait-stopped': true}, settings(), ['true']).waitStopped).toBe(true)
  })

  it('needs a cluster, said after every other mistake (the command then offers the clusters)', () => {
    const missing = usageError(() => migrateInputFrom({}, settings({cluster: undefined}), ['true']))
    expect(missing).toMatchObject({code: 'MissingCluster', message: 'No cluster given.'})
    expect(missing.hint).toContain('--cluster')
    // No command and no cluster: the command is the first thing said.
    expect(usageError(() => migrateInputFrom({}, settings({cluster: undefined}), [])).code).not.toBe('MissingCluster')
    expect(usageError(() => migrateInputFrom({timeout: 'soon'}, settings({cluster: undefined}), ['true'])).code).not.toBe('MissingCluster')
  })

  it('refuses --launch-type with --capacity-provider, and --latest with --task-definition', () => {
    expect(usageError(() => migrateInputFrom({'launch-type': 'FARGATE', 'capacity-provider': ['FARGATE_SPOT']}, settings(), [])).code).toBe('ConflictingFlags')
    expect(usageError(() => migrateInputFrom({latest: true, 'task-definition': 'web:3'}, settings(), [])).code).toBe('ConflictingFlags')
  })

  it('needs a service for --latest', () => {
    expect(usageError(() => migrateInputFrom({latest: true}, settings({service: undefined}), [])).code).toBe('MissingService')
  })

  it('merges config envVars under --env-var', () => {
    const input = migrateInputFrom({'env-var': ['A=flag', 'C=3']}, settings({migrate: {envVars: {A: 'config', B: '2'}}}), ['true'])
    expect(input.overrides.environment).toEqual({A: 'flag', B: '2', C: '3'})
  })

  it('rejects a malformed --env-var, --command, --tag, --started-by, --cpu, --timeout', () => {
    expect(usageError(() => migrateInputFrom({'env-var': ['NOVALUE']}, settings(), ['true'])).code).toBe('BadEnvVar')
    expect(usageError(() => migrateInputFrom({command: 'php artisan migrate'}, settings(), [])).code).toBe('BadCommand')
    expect(usageError(() => migrateInputFrom({tag: ['x']}, settings(), ['true'])).code).toBe('BadTag')
    expect(usageError(() => migrateInputFrom({'started-by': 'has space'}, settings(), ['true'])).code).toBe('BadStartedBy')
    expect(usageError(() => migrateInputFrom({cpu: 0}, settings(), ['true'])).code).toBe('BadNumber')
    expect(usageError(() => migrateInputFrom({timeout: '10 minutes'}, settings(), ['true'])).message).toContain('--timeout')
  })

  it('accepts what RunTask accepts as startedBy: forward slashes included, up to 128 characters', () => {
    expect(migrateInputFrom({'started-by': 'ci/deploy_42-a'}, settings(), ['true']).overrides.startedBy).toBe('ci/deploy_42-a')
    expect(migrateInputFrom({'started-by': 'a'.repeat(128)}, settings(), ['true']).overrides.startedBy).toHaveLength(128)
    expect(usageError(() => migrateInputFrom({'started-by': 'a'.repeat(129)}, settings(), ['true'])).code).toBe('BadStartedBy')
    expect(usageError(() => migrateInputFrom({'started-by': 'ci:deploy'}, settings(), ['true'])).code).toBe('BadStartedBy')
  })

  it('takes the command from the config when no argument or --command is given', () => {
    const input = migrateInputFrom({}, settings({configFile: '/p/.ecsops.yml', env: 'prd', migrate: {command: ['php', 'artisan', 'migrate', '--force']}}), [])
    expect(input.command).toEqual({command: ['php', 'artisan', 'migrate', '--force'], source: 'the config file (environment prd) (migrate.command)'})
  })

  it('takes the timeout from the config, the flag winning', () => {
    expect(migrateInputFrom({}, settings({migrate: {timeout: '30m'}}), ['true']).timeoutMs).toBe(1_800_000)
    expect(migrateInputFrom({timeout: '90s'}, settings({migrate: {timeout: '30m'}}), ['true']).timeoutMs).toBe(90_000)
  })

  it('picks the container: --container/ECSOPS_CONTAINER > migrate.container > the environment\'s container', () => {
    expect(migrateInputFrom({}, settings({container: 'web', sources: {container: '--container'}, migrate: {container: 'php'}}), ['true']).container).toEqual({name: 'web', source: '--container'})
    expect(migrateInputFrom({}, settings({container: 'web', sources: {container: 'ECSOPS_CONTAINER'}, migrate: {container: 'php'}}), ['true']).container).toEqual({name: 'web', source: 'ECSOPS_CONTAINER'})
    expect(migrateInputFrom({}, settings({container: 'web', sources: {container: '.ecsops.yml (environments.prd)'}, migrate: {container: 'php'}}), ['true']).container?.name).toBe('php')
    expect(migrateInputFrom({}, settings({container: 'web', sources: {container: '.ecsops.yml'}}), ['true']).container).toEqual({name: 'web', source: '.ecsops.yml'})
    expect(migrateInputFrom({}, settings(), ['true']).container).toBeUndefined()
  })

  it('production timings by default: a poll a second, 1.5 s settle, 5 s drain, 10 s stop wait; the old variable name is ignored', () => {
    for (const env of [{}, {ECSOPS_POLL_INTERVAL_MS: '20'}]) {
      expect(migrateInputFrom({}, settings(), ['true'], env)).toMatchObject({pollIntervalMs: 1000, logSettleMs: 1500, drainMaxMs: 5000, stopWaitMs: 10_000})
    }
  })

  it('ECSOPS_TEST_POLL_INTERVAL_MS (a test knob) scales the waits, within 100 ms to 60 s', () => {
    expect(migrateInputFrom({}, settings(), ['true'], {ECSOPS_TEST_POLL_INTERVAL_MS: '100'})).toMatchObject({pollIntervalMs: 100, logSettleMs: 150, drainMaxMs: 500, stopWaitMs: 1000})
    expect(migrateInputFrom({}, settings(), ['true'], {ECSOPS_TEST_POLL_INTERVAL_MS: '60000'}).pollIntervalMs).toBe(60_000)
    for (const bad of ['99', '0', '-5', '60001', '1e3', '150.5', 'x', '']) {
      expect(() => migrateInputFrom({}, settings(), ['true'], {ECSOPS_TEST_POLL_INTERVAL_MS: bad}), bad).toThrow(UsageError)
    }
    expect(() => migrateInputFrom({}, settings(), ['true'], {ECSOPS_TEST_POLL_INTERVAL_MS: '20'})).toThrow('ECSOPS_TEST_POLL_INTERVAL_MS="20" is not a whole number of milliseconds from 100 to 60000.')
  })

  it('maps the negatable flags and the network lists', () => {
    const input = migrateInputFrom(
      {wait: false, logs: false, 'stop-on-timeout': false, 'stop-on-interrupt': false, 'assign-public-ip': false, subnets: 'subnet-a,subnet-b', 'security-groups': 'sg-1', 'capacity-provider': ['FARGATE_SPOT:1']},
      settings(),
      ['true'],
    )
    expect(input).toMatchObject({wait: false, followLogs: false, stopOnTimeout: false, stopOnInterrupt: false})
    expect(input.overrides).toMatchObject({assignPublicIp: false, subnets: ['subnet-a', 'subnet-b'], securityGroups: ['sg-1'], capacityProviders: [{capacityProvider: 'FARGATE_SPOT', weight: 1}]})
  })
})

describe('commandWords', () => {
  it('takes every word after the first --, flags included', () => {
    expect(commandWords(['--cluster', 'app', '--', 'php', 'artisan', 'migrate', '--force', '--', 'x'], ['php', 'artisan', 'migrate', '--force', '--', 'x'])).toEqual(['php', 'artisan', 'migrate', '--force', '--', 'x'])
    expect(commandWords(['--cluster', 'app'], [])).toEqual([])
  })

  it('refuses words without -- (ecsops migrate web would run a command named web)', () => {
    expect(usageError(() => commandWords(['web', '--cluster', 'app'], ['web'])).message).toBe('Unexpected argument "web": the command to run goes after --.')
  })

  it('refuses words before --', () => {
    expect(usageError(() => commandWords(['web', '--', 'php'], ['web', 'php'])).code).toBe('UnexpectedArgument')
  })
})
