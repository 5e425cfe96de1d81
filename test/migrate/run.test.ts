import {CloudWatchLogsClient, GetLogEventsCommand, type GetLogEventsCommandOutput} from '@aws-sdk/client-cloudwatch-logs'
import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ECSClient,
  ListServicesCommand,
  RunTaskCommand,
  StopTaskCommand,
  type Container,
  type DescribeServicesCommandOutput,
  type DescribeTaskDefinitionCommandOutput,
  type Service,
  type Task,
  type TaskDefinition,
} from '@aws-sdk/client-ecs'
import {mockClient} from 'aws-sdk-client-mock'
import {EventEmitter} from 'node:events'
import {mkdtempSync, readFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {beforeEach, describe, expect, it, vi} from 'vitest'

import {EcsopsError} from '../../src/errors.js'
import {migrateIam} from '../../src/migrate/iam.js'
import {migrate, type MigrateDeps, type MigrateInput} from '../../src/migrate/run.js'
import type {PreflightResult} from '../../src/preflight/model.js'
import type {MigratePreflightInput} from '../../src/preflight/run.js'
import {itSendsOnlyDeclaredActions} from '../helpers/iam-coverage.js'
import {recordingUi, type RecordingUi} from '../helpers/ui.js'

const ecsMock = mockClient(ECSClient)
const logsMock = mockClient(CloudWatchLogsClient)

const TD_ARN = 'arn:aws:ecs:eu-west-1:123456789012:task-definition/web:42'
const TASK_ARN = 'arn:aws:ecs:eu-west-1:123456789012:task/app/0123456789abcdef'

const service: Service = {
  serviceName: 'web',
  serviceArn: 'arn:aws:ecs:eu-west-1:123456789012:service/app/web',
  status: 'ACTIVE',
  taskDefinition: TD_ARN,
  launchType: 'FARGATE',
  platformVersion: '1.4.0',
  networkConfiguration: {awsvpcConfiguration: {subnets: ['subnet-a'], securityGroups: ['sg-1'], assignPublicIp: 'DISABLED'}},
}

const taskDefinition: TaskDefinition = {
  taskDefinitionArn: TD_ARN,
  family: 'web',
  revision: 42,
  networkMode: 'awsvpc',
  containerDefinitions: [
    {name: 'php', essential: true, command: ['php-fpm'], logConfiguration: {logDriver: 'awslogs', options: {'awslogs-group': '/ecs/web', 'awslogs-region': 'eu-west-1', 'awslogs-stream-prefix': 'ecs'}}},
    {name: 'datadog', essential: false},
  ],
}

/** A virtual clock: sleeping advances it, nothing really waits. */
function virtualClock() {
  let t = 0
  return {
    now: () => t,
    sleep: async (ms: number, signal?: AbortSignal) => {
      if (!signal?.aborted) t += ms
    },
    advance: (ms: number) => (t += ms),
  }
}

interface Script {
  /** Virtual ms at which each status is reached, e.g. {PENDING: 2000, RUNNING: 5000, STOPPED: 20000}. */
  statuses: Record<string, number>
  /** The overridden container at STOPPED. */
  container?: Partial<Container>
  stopped?: Partial<Task>
  /** Log lines: [virtual ms when readable, message]. */
  log?: Array<[number, string]>
}

let clock: ReturnType<typeof virtualClock>
let ui: RecordingUi
let signals: EventEmitter

function input(over: Partial<MigrateInput> = {}): MigrateInput {
  return {
    cluster: 'app',
    service: 'web',
    command: {command: ['php', 'artisan', 'migrate', '--force'], source: 'arguments after --'},
    overrides: {environment: {}, startedBy: 'ecsops', tags: []},
    timeoutMs: 600_000,
    wait: true,
    followLogs: true,
    dryRun: false,
    yes: true,
    stopOnTimeout: true,
    stopOnInterrupt: true,
    pollIntervalMs: 1000,
    logSettleMs: 5000,
    drainMaxMs: 5000,
    stopWaitMs: 10_000,
    ...over,
  }
}

function deps(over: Partial<MigrateDeps> = {}): MigrateDeps {
  return {
    ecs: new ECSClient({region: 'eu-west-1'}),
    logs: async () => new CloudWatchLogsClient({region: 'eu-west-1'}),
    region: 'eu-west-1',
    ui,
    now: clock.now,
    sleep: clock.sleep,
    signals,
    clientToken: () => 'token-1',
    ...over,
  }
}

/** The task as ECS describes it at the current virtual time. */
function taskAt(script: Script, stoppedByUs?: number): Task {
  const t = clock.now()
  let status = 'PROVISIONING'
  for (const [name, at] of Object.entries(script.statuses).sort((a, b) => a[1] - b[1])) if (t >= at) status = name
  if (stoppedByUs !== undefined && t >= stoppedByUs) status = 'STOPPED'
  const stopped = status === 'STOPPED'
  const base: Task = {taskArn: TASK_ARN, lastStatus: status, taskDefinitionArn: TD_ARN, containers: [{name: 'php', lastStatus: status}, {name: 'datadog', lastStatus: status}]}
  if (!stopped) return base
  if (stoppedByUs !== undefined && (script.statuses.STOPPED ?? Infinity) > t) {
    return {...base, stopCode: 'UserInitiated', stoppedReason: 'Stopped by ecsops migrate', stoppedAt: new Date(1_700_000_000_000), containers: [{name: 'php', lastStatus: 'STOPPED', exitCode: 143}, {name: 'datadog', exitCode: 0}]}
  }
  return {
    ...base,
    stopCode: 'EssentialContainerExited',
    stoppedReason: 'Essential container in task exited',
    startedAt: new Date(1_700_000_000_000),
    executionStoppedAt: new Date(1_700_000_010_000),
    stoppedAt: new Date(1_700_000_020_000),
    containers: [{name: 'php', lastStatus: 'STOPPED', exitCode: 0, ...script.container}, {name: 'datadog', lastStatus: 'STOPPED', exitCode: 0}],
    ...script.stopped,
  }
}

function stage(script: Script, options: {service?: Service; taskDefinition?: TaskDefinition} = {}) {
  let stoppedByUs: number | undefined
  ecsMock.on(DescribeServicesCommand).resolves({services: [options.service ?? service], failures: []} satisfies Partial<DescribeServicesCommandOutput>)
  ecsMock.on(DescribeTaskDefinitionCommand).resolves({taskDefinition: options.taskDefinition ?? taskDefinition} satisfies Partial<DescribeTaskDefinitionCommandOutput>)
  ecsMock.on(RunTaskCommand).resolves({tasks: [{taskArn: TASK_ARN, lastStatus: 'PROVISIONING'}], failures: []})
  ecsMock.on(DescribeTasksCommand).callsFake(() => ({tasks: [taskAt(script, stoppedByUs)], failures: []}))
  ecsMock.on(StopTaskCommand).callsFake(() => {
    stoppedByUs = clock.now() + 2000
    return {task: {taskArn: TASK_ARN, lastStatus: 'RUNNING', desiredStatus: 'STOPPED'}}
  })
  logsMock.on(GetLogEventsCommand).callsFake((req): Partial<GetLogEventsCommandOutput> => {
    const visible = (script.log ?? []).filter(([at]) => at <= clock.now())
    if ((script.statuses.RUNNING ?? Infinity) > clock.now() && visible.length === 0) throw Object.assign(new Error('The specified log stream does not exist.'), {name: 'ResourceNotFoundException'})
    const from = req.nextToken ? Number(req.nextToken.slice(2)) : 0
    const page = visible.slice(from, from + 2)
    return {events: page.map(([at, message]) => ({timestamp: at, message})), nextForwardToken: `f/${from + page.length}`}
  })
}

beforeEach(() => {
  ecsMock.reset()
  logsMock.reset()
  clock = virtualClock()
  ui = recordingUi()
  signals = new EventEmitter()
})

describe('migrate: log group in another region', () => {
  it('follows the log with a CloudWatch Logs client of the awslogs-region', async () => {
    const elsewhere: TaskDefinition = {
      ...taskDefinition,
      containerDefinitions: [{...taskDefinition.containerDefinitions![0], logConfiguration: {logDriver: 'awslogs', options: {'awslogs-group': '/ecs/web', 'awslogs-region': 'us-east-1', 'awslogs-stream-prefix': 'ecs'}}}, taskDefinition.containerDefinitions![1]],
    }
    stage({statuses: {RUNNING: 1000, STOPPED: 5000}, log: [[2000, 'from us-east-1']]}, {taskDefinition: elsewhere})
    const asked: Array<string | undefined> = []
    const result = await migrate(deps({logs: async (region) => (asked.push(region), new CloudWatchLogsClient({region: region ?? 'eu-west-1'}))}), input())
    expect(asked).toEqual(['us-east-1'])
    expect(ui.stdout).toEqual(['from us-east-1'])
    expect(result.exit).toBe(0)
  })
})

describe('migrate: exit paths', () => {
  it('exits 0 after a successful migration, log lines on stdout in order, status changes on stderr', async () => {
    stage({statuses: {PENDING: 1000, RUNNING: 4000, STOPPED: 12_000}, log: [[5000, 'Migrating: 2024_01_01_create_users'], [6000, 'Migrated: 2024_01_01_create_users'], [7000, 'Done.']]})
    const result = await migrate(deps(), input())
    expect(result).toMatchObject({outcome: 'succeeded', exit: 0, exitCode: 0, taskArn: TASK_ARN, container: 'php', lastStatus: 'STOPPED', logLines: 3})
    expect(ui.stdout).toEqual(['Migrating: 2024_01_01_create_users', 'Migrated: 2024_01_01_create_users', 'Done.'])
    const statuses = ui.stderr.filter((l) => /^Task \S+ [A-Z]+ \(/.test(l)).map((l) => l.split(' ')[2])
    expect(statuses).toEqual(['PROVISIONING', 'PENDING', 'RUNNING', 'STOPPED'])
    expect(ui.stderr.some((l) => l.includes('RUNNING (4.0s)'))).toBe(true)
    expect(ui.stderr.join('\n')).toContain('Container php exited with code 0.')
    expect(signals.listenerCount('SIGINT') + signals.listenerCount('SIGTERM')).toBe(0)
  })

  it('sends the RunTask request built from the service, with the command, startedBy and a client token', async () => {
    stage({statuses: {STOPPED: 3000}})
    await migrate(deps(), input({overrides: {environment: {APP_ENV: 'prd'}, startedBy: 'ci', tags: [{key: 'k', value: 'v'}]}}))
    expect(ecsMock.commandCalls(RunTaskCommand)[0].args[0].input).toEqual({
      cluster: 'app',
      taskDefinition: TD_ARN,
      launchType: 'FARGATE',
      platformVersion: '1.4.0',
      networkConfiguration: {awsvpcConfiguration: {subnets: ['subnet-a'], securityGroups: ['sg-1'], assignPublicIp: 'DISABLED'}},
      overrides: {containerOverrides: [{name: 'php', command: ['php', 'artisan', 'migrate', '--force'], environment: [{name: 'APP_ENV', value: 'prd'}]}]},
      startedBy: 'ci',
      tags: [{key: 'k', value: 'v'}],
      clientToken: 'token-1',
      count: 1,
    })
  })

  it('exits with the failing container\'s code, the last lines drained after STOPPED', async () => {
    // The error line becomes readable 1.5 s after ecsops sees STOPPED (ingestion lag), and the
    // container exited only 1 s before STOPPED, so the drain must wait for it.
    stage({
      statuses: {RUNNING: 2000, STOPPED: 10_000},
      container: {exitCode: 1},
      stopped: {executionStoppedAt: new Date(1_700_000_019_000), stoppedAt: new Date(1_700_000_020_000)},
      log: [[3000, 'Migrating'], [11_500, 'SQLSTATE[42S01]: Base table or view already exists']],
    })
    const result = await migrate(deps(), input())
    expect(result).toMatchObject({outcome: 'failed', exit: 1, exitCode: 1})
    expect(ui.stdout).toEqual(['Migrating', 'SQLSTATE[42S01]: Base table or view already exists'])
    expect(ui.stderr).toContain('error: Container php exited with code 1.')
  })

  it('bounds the drain: a stream that keeps growing does not hold ecsops forever', async () => {
    const log: Array<[number, string]> = []
    for (let at = 2000; at < 100_000; at += 100) log.push([at, `line ${at}`])
    stage({statuses: {RUNNING: 2000, STOPPED: 10_000}, container: {exitCode: 0}, log})
    const before = clock.now()
    await migrate(deps(), input({drainMaxMs: 3000}))
    expect(clock.now() - before).toBeLessThan(10_000 + 3000 + 2000)
    expect(new Set(ui.stdout).size).toBe(ui.stdout.length)
  })

  it('keeps draining after a throttled read, without spinning', async () => {
    const script: Script = {statuses: {RUNNING: 1000, STOPPED: 3000}, stopped: {executionStoppedAt: new Date(1_700_000_020_000), stoppedAt: new Date(1_700_000_020_000)}, log: [[1500, 'first'], [3500, 'last words']]}
    stage(script)
    let reads = 0
    logsMock.on(GetLogEventsCommand).callsFake((req) => {
      reads++
      if (clock.now() >= 3000 && reads % 2 === 0) throw Object.assign(new Error('Rate exceeded'), {name: 'ThrottlingException'})
      const visible = (script.log ?? []).filter(([at]) => at <= clock.now())
      const from = req.nextToken ? Number(req.nextToken.slice(2)) : 0
      const page = visible.slice(from, from + 2)
      return {events: page.map(([at, message]) => ({timestamp: at, message})), nextForwardToken: `f/${from + page.length}`}
    })
    const result = await migrate(deps(), input())
    expect(ui.stdout).toEqual(['first', 'last words'])
    expect(result.exit).toBe(0)
    expect(reads).toBeLessThan(40)
  })

  describe('a container that is not essential', () => {
    const sidecarTd: TaskDefinition = {...taskDefinition, containerDefinitions: [{...taskDefinition.containerDefinitions![0], essential: false}, {name: 'nginx', essential: true}]}
    /** php exits with `code` at 5 s; nginx (essential) keeps the task RUNNING until StopTask (+2 s). */
    function stageSidecar(code: number) {
      let stopAt: number | undefined
      stage({statuses: {RUNNING: 1000}, log: [[2000, 'Migrated.']]}, {taskDefinition: sidecarTd})
      ecsMock.on(DescribeTasksCommand).callsFake(() => {
        const t = clock.now()
        const stopped = stopAt !== undefined && t >= stopAt
        const php: Container = t >= 5000 ? {name: 'php', lastStatus: 'STOPPED', exitCode: code} : {name: 'php', lastStatus: t >= 1000 ? 'RUNNING' : 'PENDING'}
        const task: Task = {taskArn: TASK_ARN, lastStatus: stopped ? 'STOPPED' : t >= 1000 ? 'RUNNING' : 'PENDING', containers: [php, {name: 'nginx', lastStatus: stopped ? 'STOPPED' : 'RUNNING', ...(stopped ? {exitCode: 0} : {})}]}
        if (stopped) Object.assign(task, {stopCode: 'UserInitiated', stoppedReason: 'Stopped by ecsops migrate: container php exited', stoppedAt: new Date(1_700_000_000_000)})
        return {tasks: [task], failures: []}
      })
      ecsMock.on(StopTaskCommand).callsFake(() => {
        stopAt = clock.now() + 2000
        return {task: {taskArn: TASK_ARN}}
      })
    }

    it('once it has exited, the task is stopped (not left to --timeout) and its code is the exit code', async () => {
      ui = recordingUi({githubActions: true})
      stageSidecar(0)
      const result = await migrate(deps(), input({container: {name: 'php', source: '--container'}}))
      // The container's result is final at its exit: ecsops stops the task and does not wait for its deprovisioning.
      expect(result).toMatchObject({outcome: 'succeeded', exit: 0, exitCode: 0, finishedAt: 'container-exit'})
      expect(ecsMock.commandCalls(StopTaskCommand).map((c) => c.args[0].input.reason)).toEqual(['Stopped by ecsops migrate: container php exited'])
      expect(clock.now()).toBeLessThan(20_000)
      expect(ui.stderr).toContain('Container php exited with code 0; it is not essential, so the task would keep running: stopping task 0123456789abcdef.')
      // ecsops stopped it: no "someone stopped it" warning.
      expect(ui.stderr.filter((l) => l.startsWith('warning:'))).toEqual([])
      expect(ui.stdout.filter((l) => l.startsWith('::warning') || l.startsWith('::error'))).toEqual([])
    })

    it('a failing code is passed through without blaming someone else for the stop', async () => {
      stageSidecar(2)
      const result = await migrate(deps(), input({container: {name: 'php', source: '--container'}}))
      expect(result).toMatchObject({outcome: 'failed', exit: 2, exitCode: 2})
      expect(result.reasons.map((r) => r.message).join('\n')).not.toContain('someone stopped it')
    })

    it('when StopTask is denied, exits with the container\'s code at once and says how to stop the task', async () => {
      stageSidecar(0)
      ecsMock.on(StopTaskCommand).rejects(Object.assign(new Error('User: x is not authorized to perform: ecs:StopTask'), {name: 'AccessDeniedException', $metadata: {}}))
      const result = await migrate(deps(), input({container: {name: 'php', source: '--container'}}))
      expect(result).toMatchObject({outcome: 'succeeded', exit: 0, exitCode: 0, lastStatus: 'RUNNING'})
      expect(clock.now()).toBeLessThan(20_000)
      expect(ui.stderr.find((l) => l.startsWith('warning: Could not stop task'))).toContain('aws ecs stop-task --cluster app --task 0123456789abcdef --region eu-west-1')
      expect(ui.stdout).toEqual(['Migrated.'])
      expect(ui.stderr.find((l) => l.startsWith('Container php exited after'))).toMatch(/; task 0123456789abcdef is still RUNNING\.$/)
    })
  })

  it('passes 137 through and explains it', async () => {
    stage({statuses: {RUNNING: 1000, STOPPED: 5000}, container: {exitCode: 137, reason: 'OutOfMemoryError: Container killed due to memory usage'}})
    const result = await migrate(deps(), input())
    expect(result).toMatchObject({exit: 137, exitCode: 137, containerReason: 'OutOfMemoryError: Container killed due to memory usage'})
    expect(result.reasons.map((r) => r.message).join('\n')).toContain('SIGKILL')
  })

  it('exits 125 with the reasons when the task never ran', async () => {
    stage({
      statuses: {PENDING: 1000, STOPPED: 8000},
      container: {exitCode: undefined, reason: 'CannotPullContainerError: pull access denied'},
      stopped: {stopCode: 'TaskFailedToStart', stoppedReason: 'CannotPullContainerError: pull image manifest has been retried 5 time(s)'},
    })
    const result = await migrate(deps(), input())
    expect(result).toMatchObject({outcome: 'never-ran', exit: 125, exitCode: null, stopCode: 'TaskFailedToStart'})
    expect(ui.stderr).toContain('error: Container php never ran: CannotPullContainerError: pull access denied')
    expect(ui.stderr).toContain('  The task failed to start: CannotPullContainerError: pull image manifest has been retried 5 time(s)')
    // Each reason once: the container's reason is in the summary line, not repeated under it.
    expect(ui.stderr.filter((l) => l.includes('pull access denied'))).toHaveLength(1)
    // A failed run ends with where its log is and how to read it.
    expect(ui.stderr.at(-1)).toBe('  Read it: aws logs tail /ecs/web --log-stream-names ecs/php/0123456789abcdef --since 1d --region eu-west-1')
    expect(ui.stdout).toEqual([])
  })

  it('asks the network audit to explain a start failure, and keeps 125 when the audit fails', async () => {
    const failure: Script = {statuses: {STOPPED: 3000}, container: {exitCode: undefined}, stopped: {stopCode: 'TaskFailedToStart', stoppedReason: 'ResourceInitializationError: unable to pull secrets or registry auth'}}
    stage(failure)
    const explain = vi.fn(async () => ['No VPC endpoint for com.amazonaws.eu-west-1.secretsmanager and no NAT gateway.'])
    const result = await migrate(deps({explainStartFailure: explain}), input())
    expect(explain).toHaveBeenCalledWith(expect.objectContaining({stoppedReason: 'ResourceInitializationError: unable to pull secrets or registry auth', network: {subnets: ['subnet-a'], securityGroups: ['sg-1'], assignPublicIp: 'DISABLED'}}))
    expect(result.reasons.map((r) => r.message)).toContain('No VPC endpoint for com.amazonaws.eu-west-1.secretsmanager and no NAT gateway.')
    ecsMock.reset()
    stage(failure)
    const broken = await migrate(deps({explainStartFailure: async () => Promise.reject(new Error('UnauthorizedOperation: ec2:DescribeVpcEndpoints'))}), input())
    expect(broken.exit).toBe(125)
    expect(ui.stderr.some((l) => l.startsWith('warning: Could not check why the task did not start') && l.includes('UnauthorizedOperation'))).toBe(true)
  })

  it('Ctrl-C during the audit skips it and still reports the start failure (125)', async () => {
    stage({statuses: {STOPPED: 3000}, container: {exitCode: undefined}, stopped: {stopCode: 'TaskFailedToStart', stoppedReason: 'ResourceInitializationError: unable to pull secrets or registry auth'}})
    // An audit that would never answer; the signal comes while it runs.
    const explain = vi.fn(() => {
      setTimeout(() => signals.emit('SIGINT'), 0)
      return new Promise<string[]>(() => {})
    })
    const result = await migrate(deps({explainStartFailure: explain}), input())
    expect(explain).toHaveBeenCalledTimes(1)
    expect(result).toMatchObject({outcome: 'never-ran', exit: 125})
    expect(ui.stderr).toContain('Audit skipped (SIGINT received).')
    expect(ui.stderr.some((l) => l.startsWith('error: Container php never ran'))).toBe(true)
    expect(signals.listenerCount('SIGINT')).toBe(0)
  })

  it('does not run the audit for a failure that is not about the network', async () => {
    stage({statuses: {STOPPED: 3000}, container: {exitCode: 2}})
    const explain = vi.fn(async () => [])
    await migrate(deps({explainStartFailure: explain}), input())
    expect(explain).not.toHaveBeenCalled()
  })

  it('exits 125 quoting RunTask failures, and never polls', async () => {
    stage({statuses: {}})
    ecsMock.on(RunTaskCommand).resolves({tasks: [], failures: [{arn: 'arn:aws:ecs:eu-west-1:1:container-instance/app/i-1', reason: 'RESOURCE:MEMORY'}]})
    const result = await migrate(deps(), input())
    expect(result).toMatchObject({outcome: 'never-ran', exit: 125, taskArn: null, failures: [{reason: 'RESOURCE:MEMORY'}]})
    expect(ui.stderr.find((l) => l.startsWith('error:'))).toContain('RESOURCE:MEMORY')
    expect(ecsMock.commandCalls(DescribeTasksCommand)).toHaveLength(0)
  })

  it('says when someone else stopped the task', async () => {
    stage({
      statuses: {RUNNING: 1000, STOPPED: 6000},
      container: {exitCode: 143},
      stopped: {stopCode: 'UserInitiated', stoppedReason: 'Task stopped by user alice'},
    })
    const result = await migrate(deps(), input())
    expect(result.exit).toBe(143)
    expect(result.reasons.map((r) => r.message).join('\n')).toContain('someone stopped it (StopTask) (UserInitiated): Task stopped by user alice')
  })

  it('exits 124 on timeout and stops the task, with a reason naming ecsops', async () => {
    stage({statuses: {RUNNING: 1000, STOPPED: 999_000}})
    const result = await migrate(deps(), input({timeoutMs: 30_000}))
    expect(result).toMatchObject({outcome: 'timeout', exit: 124})
    const stop = ecsMock.commandCalls(StopTaskCommand)
    expect(stop).toHaveLength(1)
    expect(stop[0].args[0].input).toEqual({cluster: 'app', task: TASK_ARN, reason: 'Stopped by ecsops migrate: --timeout 30s reached'})
    expect(ui.stderr.some((l) => l.startsWith('error: Timed out after 30s'))).toBe(true)
    expect(ui.stderr).toContain('Task 0123456789abcdef STOPPED.')
  })

  it('keeps 124 and says how to stop the task when StopTask is denied', async () => {
    stage({statuses: {RUNNING: 1000, STOPPED: 999_000}})
    ecsMock.on(StopTaskCommand).rejects(Object.assign(new Error('User: x is not authorized to perform: ecs:StopTask'), {name: 'AccessDeniedException', $metadata: {}}))
    const result = await migrate(deps(), input({timeoutMs: 5000}))
    expect(result.exit).toBe(124)
    expect(ui.stderr.find((l) => l.startsWith('error: Could not stop task'))).toContain('ecs:StopTask')
    expect(ui.stderr).toContain('  Stop it with: aws ecs stop-task --cluster app --task 0123456789abcdef --region eu-west-1')
    expect(result.reasons.at(-1)?.message).toContain('ecsops could not stop the task (AccessDeniedException)')
  })

  it('shows the log lines written while the task stops after an interrupt', async () => {
    stage({statuses: {RUNNING: 1000, STOPPED: 999_000}, log: [[1500, 'working'], [5500, 'Caught SIGTERM, rolling back']]})
    ecsMock.on(DescribeTasksCommand).callsFake(() => {
      if (clock.now() === 5000) signals.emit('SIGINT')
      return {tasks: [taskAt({statuses: {RUNNING: 1000}}, ecsMock.commandCalls(StopTaskCommand).length ? 8000 : undefined)]}
    })
    await migrate(deps(), input())
    expect(ui.stdout).toEqual(['working', 'Caught SIGTERM, rolling back'])
  })

  it('exits 124 on timeout and leaves the task running with --no-stop-on-timeout', async () => {
    stage({statuses: {RUNNING: 1000, STOPPED: 999_000}})
    const result = await migrate(deps(), input({timeoutMs: 30_000, stopOnTimeout: false}))
    expect(result.exit).toBe(124)
    expect(ecsMock.commandCalls(StopTaskCommand)).toHaveLength(0)
    expect(ui.stderr.join('\n')).toContain('aws ecs stop-task --cluster app --task 0123456789abcdef --region eu-west-1')
  })

  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)('on %s stops the task (reason names ecsops and the signal) and exits %i', async (signal, code) => {
    stage({statuses: {RUNNING: 1000, STOPPED: 999_000}})
    ecsMock.on(DescribeTasksCommand).callsFake(() => {
      if (clock.now() === 5000) signals.emit(signal)
      return {tasks: [taskAt({statuses: {RUNNING: 1000}}, ecsMock.commandCalls(StopTaskCommand).length ? 7000 : undefined)]}
    })
    const result = await migrate(deps(), input())
    expect(result).toMatchObject({outcome: 'interrupted', exit: code})
    expect(ecsMock.commandCalls(StopTaskCommand)[0].args[0].input.reason).toBe(`Stopped by ecsops migrate: ${signal} received`)
    expect(result.lastStatus).toBe('STOPPED')
    expect(signals.listenerCount(signal)).toBe(0)
  })

  it('detaches on SIGINT with --no-stop-on-interrupt: no StopTask, prints the ARN and how to follow it', async () => {
    stage({statuses: {RUNNING: 1000, STOPPED: 999_000}})
    ecsMock.on(DescribeTasksCommand).callsFake(() => {
      if (clock.now() === 3000) signals.emit('SIGINT')
      return {tasks: [taskAt({statuses: {RUNNING: 1000}})]}
    })
    // ECS in eu-central-1, the log group in its awslogs-region (eu-west-1): each command names its own region.
    const result = await migrate(deps({region: 'eu-central-1'}), input({stopOnInterrupt: false}))
    expect(result).toMatchObject({outcome: 'detached', exit: 130})
    expect(ecsMock.commandCalls(StopTaskCommand)).toHaveLength(0)
    const err = ui.stderr.join('\n')
    expect(err).toContain(TASK_ARN)
    expect(err).toContain('aws logs tail /ecs/web --log-stream-names ecs/php/0123456789abcdef --follow --region eu-west-1')
    expect(err).toContain('aws ecs describe-tasks --cluster app --tasks 0123456789abcdef --region eu-central-1')
    expect(err).toContain('aws ecs stop-task --cluster app --task 0123456789abcdef --region eu-central-1')
  })

  it('a second signal ends the wait for STOPPED', async () => {
    stage({statuses: {RUNNING: 1000}})
    ecsMock.on(DescribeTasksCommand).callsFake(() => {
      if (clock.now() === 3000) signals.emit('SIGINT')
      if (clock.now() === 5000) signals.emit('SIGINT')
      return {tasks: [taskAt({statuses: {RUNNING: 1000}})]}
    })
    ecsMock.on(StopTaskCommand).resolves({})
    const result = await migrate(deps(), input({stopWaitMs: 60_000}))
    expect(result.exit).toBe(130)
    expect(clock.now()).toBeLessThan(10_000)
    expect(ui.stderr).toContain('Task 0123456789abcdef is RUNNING; ECS is stopping it.')
  })

  it('a signal that arrives during RunTask stops the task as soon as it exists', async () => {
    stage({statuses: {RUNNING: 1000, STOPPED: 999_000}})
    ecsMock.on(RunTaskCommand).callsFake(() => {
      signals.emit('SIGTERM')
      return {tasks: [{taskArn: TASK_ARN, lastStatus: 'PROVISIONING'}]}
    })
    const result = await migrate(deps(), input())
    expect(result).toMatchObject({outcome: 'interrupted', exit: 143})
    expect(ecsMock.commandCalls(StopTaskCommand)).toHaveLength(1)
    expect(signals.listenerCount('SIGTERM')).toBe(0)
  })

  it('--no-wait prints the task ARN and exits 0 once the task is accepted', async () => {
    stage({statuses: {STOPPED: 1000}})
    const result = await migrate(deps(), input({wait: false}))
    expect(result).toMatchObject({outcome: 'started', exit: 0, taskArn: TASK_ARN})
    expect(ui.stdout).toEqual([TASK_ARN])
    expect(ecsMock.commandCalls(DescribeTasksCommand)).toHaveLength(0)
  })

  it('rides out a throttled DescribeTasks', async () => {
    stage({statuses: {RUNNING: 1000, STOPPED: 4000}})
    const script: Script = {statuses: {RUNNING: 1000, STOPPED: 4000}}
    let calls = 0
    ecsMock.on(DescribeTasksCommand).callsFake(() => {
      if (++calls === 2) throw Object.assign(new Error('Rate exceeded'), {name: 'ThrottlingException', $metadata: {}})
      return {tasks: [taskAt(script)]}
    })
    expect((await migrate(deps(), input())).exit).toBe(0)
  })

  it('fails with the task ARN in the hint when DescribeTasks is denied', async () => {
    stage({statuses: {}})
    ecsMock.on(DescribeTasksCommand).rejects(Object.assign(new Error('User: x is not authorized to perform: ecs:DescribeTasks'), {name: 'AccessDeniedException', $metadata: {}}))
    const error = await migrate(deps(), input()).catch((e) => e)
    expect(error).toBeInstanceOf(EcsopsError)
    expect(error.exitCode).toBe(3)
    expect(error.hint).toContain(`Task ${TASK_ARN} may still be running`)
    expect(signals.listenerCount('SIGINT')).toBe(0)
  })
})

describe('migrate: output modes', () => {
  it('--dry-run prints the exact RunTask request and starts nothing', async () => {
    stage({statuses: {}})
    const result = await migrate(deps(), input({dryRun: true}))
    expect(ecsMock.commandCalls(RunTaskCommand)).toHaveLength(0)
    const printed = JSON.parse(ui.stdout.join('\n'))
    expect(printed).toEqual(result.request)
    expect(printed).toMatchObject({cluster: 'app', taskDefinition: TD_ARN, overrides: {containerOverrides: [{name: 'php', command: ['php', 'artisan', 'migrate', '--force']}]}})
    expect(result).toMatchObject({outcome: 'dry-run', exit: 0})
  })

  it('--dry-run masks environment values (names kept) unless --show-values', async () => {
    stage({statuses: {}})
    const environment = {DB_PASSWORD: 'hunter2', APP_ENV: 'production'}
    const masked = await migrate(deps(), input({dryRun: true, overrides: {environment, startedBy: 'ecsops', tags: []}}))
    expect(ui.stdout.join('\n')).not.toContain('hunter2')
    expect(masked.request?.overrides?.containerOverrides?.[0]?.environment).toEqual([{name: 'DB_PASSWORD', value: '***'}, {name: 'APP_ENV', value: '***'}])
    ui = recordingUi()
    const shown = await migrate(deps({ui}), input({dryRun: true, showValues: true, overrides: {environment, startedBy: 'ecsops', tags: []}}))
    expect(shown.request?.overrides?.containerOverrides?.[0]?.environment).toEqual([{name: 'DB_PASSWORD', value: 'hunter2'}, {name: 'APP_ENV', value: 'production'}])
  })

  it('--json: log lines go to stderr, stdout stays free for the document', async () => {
    ui = recordingUi({json: true})
    stage({statuses: {RUNNING: 1000, STOPPED: 4000}, log: [[2000, 'hello']]})
    const result = await migrate(deps(), input())
    expect(ui.stdout).toEqual([])
    expect(ui.stderr).toContain('hello')
    for (const key of ['cluster', 'taskArn', 'taskDefinitionArn', 'container', 'command', 'lastStatus', 'stopCode', 'stoppedReason', 'exitCode', 'startedAt', 'stoppedAt', 'logGroup', 'logStream']) {
      expect(result, key).toHaveProperty(key)
    }
    expect(result).toMatchObject({logGroup: '/ecs/web', logStream: 'ecs/php/0123456789abcdef', startedAt: '2023-11-14T22:13:20.000Z', stopCode: 'EssentialContainerExited'})
  })

  it('on GitHub Actions wraps the log in a group and raises a failure as an ::error:: annotation', async () => {
    ui = recordingUi({githubActions: true})
    stage({statuses: {RUNNING: 1000, STOPPED: 4000}, container: {exitCode: 2}, log: [[2000, 'boom']]})
    await migrate(deps(), input())
    expect(ui.stdout).toEqual(['::group::Log of container php (task 0123456789abcdef)', expect.stringMatching(/^::stop-commands::ecsops-[0-9a-f-]{36}$/), 'boom', expect.stringMatching(/^::ecsops-[0-9a-f-]{36}::$/), '::endgroup::', '::error title=ecsops migrate::Container php exited with code 2.'])
    // The log cannot issue workflow commands: they are stopped with a token and resumed with the same one.
    expect(ui.stdout[3]).toBe(`::${ui.stdout[1].slice('::stop-commands::'.length)}::`)
  })

  it('exit 0 of a task someone else stopped: 0, with a warning (and a warning annotation on GitHub Actions)', async () => {
    ui = recordingUi({githubActions: true})
    stage({statuses: {RUNNING: 1000, STOPPED: 4000}, stopped: {stopCode: 'UserInitiated', stoppedReason: 'Task stopped by user alice'}})
    const result = await migrate(deps(), input())
    expect(result).toMatchObject({outcome: 'succeeded', exit: 0, exitCode: 0, stopCode: 'UserInitiated'})
    expect(ui.stderr.filter((l) => l.startsWith('warning:'))).toEqual(['warning: The task was stopped because someone stopped it (StopTask) (UserInitiated): Task stopped by user alice. The command may not have finished: check its result.'])
    expect(ui.stdout.filter((l) => l.startsWith('::warning'))).toHaveLength(1)
    expect(ui.stdout.filter((l) => l.startsWith('::error'))).toEqual([])
  })

  it('escapes newlines in the annotation', async () => {
    ui = recordingUi({githubActions: true})
    stage({statuses: {STOPPED: 2000}, container: {exitCode: undefined, reason: 'CannotPullContainerError: denied'}, stopped: {stopCode: 'TaskFailedToStart', stoppedReason: '100% broken'}})
    await migrate(deps(), input())
    const annotation = ui.stdout.find((l) => l.startsWith('::error ')) ?? ''
    expect(annotation).toContain('%0A')
    expect(annotation).toContain('100%25 broken')
    expect(annotation).not.toContain('\n')
  })

  it('in a terminal keeps each finished status on screen and ticks the elapsed time', async () => {
    ui = {...recordingUi(), fancy: true} as RecordingUi
    stage({statuses: {PENDING: 1000, RUNNING: 3000, STOPPED: 6000}, log: [[4000, 'hello']]})
    await migrate(deps(), input())
    // Each finished status keeps the elapsed time at which it was reached, as CI prints it.
    const finished = ui.stderr.filter((l) => /^Task 0123456789abcdef \w+ \(\d+\.\ds\)$/.test(l))
    expect(finished).toEqual([
      'Task 0123456789abcdef PROVISIONING (0.0s)',
      'Task 0123456789abcdef PROVISIONING (0.0s)',
      'Task 0123456789abcdef PENDING (1.0s)',
      'Task 0123456789abcdef PENDING (1.0s)',
      'Task 0123456789abcdef RUNNING (3.0s)',
      'Task 0123456789abcdef RUNNING (3.0s)',
      'Task 0123456789abcdef STOPPED (6.0s)',
      'Task 0123456789abcdef STOPPED (6.0s)',
    ])
    // While a status lasts, the spinner ticks the total elapsed time.
    expect(ui.stderr).toContain('Task 0123456789abcdef PENDING (1.0s) · 2.0s elapsed')
    expect(ui.stderr).toContain('Task 0123456789abcdef RUNNING (3.0s) · 5.0s elapsed')
    expect(ui.stdout).toEqual(['hello'])
  })

  it('in a terminal keeps the status the task had when the wait ended (timeout)', async () => {
    ui = {...recordingUi(), fancy: true} as RecordingUi
    stage({statuses: {RUNNING: 1000, STOPPED: 999_000}})
    const result = await migrate(deps(), input({timeoutMs: 4000}))
    expect(result.exit).toBe(124)
    const errorAt = ui.stderr.findIndex((l) => l.startsWith('error: Timed out'))
    expect(ui.stderr.slice(0, errorAt).at(-1)).toBe('Task 0123456789abcdef RUNNING (1.0s)')
  })

  it('says once that there is no awslogs driver', async () => {
    stage({statuses: {RUNNING: 1000, STOPPED: 5000}}, {taskDefinition: {...taskDefinition, containerDefinitions: [{name: 'php', logConfiguration: {logDriver: 'fluentd'}}]}})
    await migrate(deps(), input())
    expect(ui.stderr.filter((l) => l.includes('no awslogs driver'))).toEqual(['Not following the log: container php has no awslogs driver (it logs with the fluentd driver, not awslogs).'])
    expect(logsMock.commandCalls(GetLogEventsCommand)).toHaveLength(0)
  })

  it('a CloudWatch Logs client that cannot be made costs the log, not the wait', async () => {
    stage({statuses: {RUNNING: 1000, STOPPED: 5000}, container: {exitCode: 4}})
    const result = await migrate(deps({logs: async () => Promise.reject(new Error('Region is missing'))}), input())
    expect(result).toMatchObject({outcome: 'failed', exit: 4, lastStatus: 'STOPPED'})
    expect(ui.stderr).toContain('warning: Not following the log of /ecs/web/ecs/php/0123456789abcdef: Region is missing')
  })

  it('--no-logs reads no log', async () => {
    stage({statuses: {RUNNING: 1000, STOPPED: 5000}, log: [[2000, 'x']]})
    await migrate(deps(), input({followLogs: false}))
    expect(logsMock.commandCalls(GetLogEventsCommand)).toHaveLength(0)
    expect(ui.stdout).toEqual([])
  })

  it('says when the task definition\'s own command runs', async () => {
    stage({statuses: {STOPPED: 2000}})
    const result = await migrate(deps(), input({command: {source: 'the task definition'}}))
    expect(ui.stderr[0]).toBe("Container php runs its task definition's own command (the task definition): php-fpm.")
    expect(result.command).toBeNull()
    expect(ecsMock.commandCalls(RunTaskCommand)[0].args[0].input.overrides?.containerOverrides).toEqual([{name: 'php'}])
  })

  it('asks in a terminal without --yes, and starts nothing when the answer is no', async () => {
    ui = recordingUi({interactive: true})
    stage({statuses: {STOPPED: 2000}})
    const confirm = vi.fn(async () => false)
    const error = await migrate(deps({confirm}), input({yes: false})).catch((e) => e)
    expect(confirm).toHaveBeenCalledWith('Run php artisan migrate --force\n  in container php of web:42\n  on app/web (eu-west-1)\n  for at most 10m?')
    expect(error.code).toBe('Cancelled')
    expect(ecsMock.commandCalls(RunTaskCommand)).toHaveLength(0)
  })

  it('Ctrl-C at the question is an interrupt (130) that starts nothing, not a prompt failure', async () => {
    ui = recordingUi({interactive: true})
    stage({statuses: {STOPPED: 2000}})
    const confirm = vi.fn(async () => {
      throw Object.assign(new Error('User force closed the prompt with SIGINT'), {name: 'ExitPromptError'})
    })
    const error = await migrate(deps({confirm}), input({yes: false})).catch((e) => e)
    expect(error).toBeInstanceOf(EcsopsError)
    expect(error.message).toBe('Cancelled (Ctrl-C): no task was started.')
    expect(error.exitCode).toBe(130)
    expect(ecsMock.commandCalls(RunTaskCommand)).toHaveLength(0)
  })

  it('does not ask with --yes or without a terminal', async () => {
    stage({statuses: {STOPPED: 2000}})
    const confirm = vi.fn(async () => false)
    await migrate(deps({confirm}), input({yes: false}))
    ui = recordingUi({interactive: true})
    await migrate(deps({confirm}), input({yes: true}))
    expect(confirm).not.toHaveBeenCalled()
  })
})

describe('migrate: bad input starts nothing', () => {
  it('an unknown service names the cluster and lists up to ten of its services', async () => {
    ecsMock.on(DescribeServicesCommand).resolves({services: [], failures: [{arn: 'arn:aws:ecs:eu-west-1:1:service/app/wbe', reason: 'MISSING'}]})
    ecsMock.on(ListServicesCommand).resolves({serviceArns: Array.from({length: 12}, (_, i) => `arn:aws:ecs:eu-west-1:1:service/app/svc-${String(i).padStart(2, '0')}`)})
    const error = await migrate(deps(), input({service: 'wbe'})).catch((e) => e)
    expect(error.message).toBe('Service "wbe" not found in cluster "app" (MISSING).')
    expect(error.exitCode).toBe(3)
    expect(error.hint).toContain('svc-00, svc-01')
    expect(error.hint).toContain('svc-09, … (2 more)')
    expect(ecsMock.commandCalls(RunTaskCommand)).toHaveLength(0)
  })

  it('a service that is not ACTIVE', async () => {
    ecsMock.on(DescribeServicesCommand).resolves({services: [{...service, status: 'DRAINING'}]})
    const error = await migrate(deps(), input()).catch((e) => e)
    expect(error.message).toContain('is DRAINING, not ACTIVE')
    expect(ecsMock.commandCalls(RunTaskCommand)).toHaveLength(0)
  })

  it('an unknown cluster keeps its AWS error code', async () => {
    ecsMock.on(DescribeServicesCommand).rejects(Object.assign(new Error('Cluster not found.'), {name: 'ClusterNotFoundException', $metadata: {}}))
    const error = await migrate(deps(), input()).catch((e) => e)
    expect(error.code).toBe('ClusterNotFoundException')
    expect(error.message).toBe('Cluster "app" not found (ClusterNotFoundException).')
    expect(error.exitCode).toBe(3)
    expect(ecsMock.commandCalls(RunTaskCommand)).toHaveLength(0)
  })

  it('an unknown cluster is named when RunTask is the first call to meet it (--task-definition, no service)', async () => {
    stage({statuses: {STOPPED: 2000}})
    ecsMock.on(RunTaskCommand).rejects(Object.assign(new Error('Cluster not found.'), {name: 'ClusterNotFoundException', $metadata: {}}))
    const error = await migrate(deps(), input({cluster: 'arn:aws:ecs:eu-west-1:123456789012:cluster/nope', service: undefined, taskDefinition: 'web', overrides: {environment: {}, startedBy: 'ecsops', tags: [], subnets: ['subnet-a']}})).catch((e) => e)
    expect(error).toMatchObject({code: 'ClusterNotFoundException', exitCode: 3, message: 'Cluster "nope" not found (ClusterNotFoundException).'})
    expect(ecsMock.commandCalls(DescribeTasksCommand)).toHaveLength(0)
  })

  it('a task definition that does not exist', async () => {
    ecsMock.on(DescribeServicesCommand).resolves({services: [service]})
    ecsMock.on(DescribeTaskDefinitionCommand).rejects(Object.assign(new Error('Unable to describe task definition.'), {name: 'ClientException', $metadata: {}}))
    const error = await migrate(deps(), input({taskDefinition: 'web:999'})).catch((e) => e)
    expect(error.message).toBe('Task definition "web:999" (from --task-definition) does not exist.')
    expect(error.code).toBe('TaskDefinitionNotFound')
    expect(ecsMock.commandCalls(RunTaskCommand)).toHaveLength(0)
  })

  it('--latest asks for the family, the service\'s revision otherwise', async () => {
    stage({statuses: {STOPPED: 1000}})
    await migrate(deps(), input({latest: true, dryRun: true}))
    await migrate(deps(), input({dryRun: true}))
    expect(ecsMock.commandCalls(DescribeTaskDefinitionCommand).map((c) => c.args[0].input.taskDefinition)).toEqual(['web', TD_ARN])
  })

  it('an unknown container lists the containers', async () => {
    stage({statuses: {}})
    const error = await migrate(deps(), input({container: {name: 'app', source: '--container'}})).catch((e) => e)
    expect(error.exitCode).toBe(2)
    expect(error.hint).toBe('Its containers: php, datadog.')
    expect(ecsMock.commandCalls(RunTaskCommand)).toHaveLength(0)
  })
})

describe('migrate --preflight', () => {
  const result = (over: Partial<PreflightResult>): PreflightResult => ({id: 'references.image.php', group: 'references', title: 'Image of container php', status: 'ok', detail: 'found', fix: null, code: null, ...over})

  it('runs the checks on the exact RunTask request before the question, and starts the task when none fails', async () => {
    stage({statuses: {RUNNING: 1000, STOPPED: 3000}})
    ui = recordingUi({promptable: true})
    const confirm = vi.fn(async () => true)
    const preflight = vi.fn(async () => ({ok: true, lines: [], results: [result({}), result({id: 'references.log-group.php', status: 'warn', title: 'Log group of php', detail: 'cannot be read', code: 'X'})]}))
    const outcome = await migrate(deps({preflight, confirm}), input({preflight: true, yes: false}))
    expect(outcome.exit).toBe(0)
    const [[checked]] = preflight.mock.calls as unknown as [[MigratePreflightInput]]
    const [run] = ecsMock.commandCalls(RunTaskCommand)
    expect(checked.request).toEqual(run!.args[0].input)
    expect(checked).toMatchObject({region: 'eu-west-1', service: {name: 'web'}, taskDefinition: {taskDefinitionArn: TD_ARN}})
    expect(confirm).toHaveBeenCalledTimes(1)
    expect(preflight.mock.invocationCallOrder[0]).toBeLessThan(confirm.mock.invocationCallOrder[0]!)
    expect(ui.stderr).toContain('Preflight: 1 ok, 1 warning(s), 0 skipped')
    expect(ui.stderr).toContain('warning: Log group of php: cannot be read')
  })

  it('a failed check starts nothing, asks nothing, and exits 125 with outcome "preflight" (GitHub outputs too)', async () => {
    stage({statuses: {STOPPED: 3000}})
    const files = mkdtempSync(join(tmpdir(), 'ecsops-preflight-'))
    ui = recordingUi({githubActions: true, env: {GITHUB_OUTPUT: join(files, 'out'), GITHUB_STEP_SUMMARY: join(files, 'summary')}})
    const confirm = vi.fn(async () => true)
    const failing = result({status: 'fail', detail: 'tag 9 not found in repository web', code: 'IMAGE_NOT_FOUND'})
    const preflight = vi.fn(async () => ({ok: false, lines: ['Preflight: the task would not start:', '  ✖ Image of container php: tag 9 not found [IMAGE_NOT_FOUND]'], results: [failing, result({id: 'x'})]}))
    const outcome = await migrate(deps({preflight, confirm}), input({preflight: true, yes: false}))
    expect(outcome).toMatchObject({outcome: 'preflight', exit: 125, taskArn: null, reasons: [{code: 'IMAGE_NOT_FOUND', message: 'Image of container php: tag 9 not found in repository web'}]})
    expect(outcome.preflight).toHaveLength(2)
    expect(ecsMock.commandCalls(RunTaskCommand)).toHaveLength(0)
    expect(confirm).not.toHaveBeenCalled()
    expect(ui.stderr).toContain('  ✖ Image of container php: tag 9 not found [IMAGE_NOT_FOUND]')
    expect(readFileSync(join(files, 'out'), 'utf8')).toContain('outcome=preflight')
    expect(ui.stdout.some((l) => l.startsWith('::error') && l.includes('none was started'))).toBe(true)
  })

  it('a preflight that cannot run is the error, and nothing starts; without --preflight it is never called', async () => {
    stage({statuses: {STOPPED: 3000}})
    const broken = vi.fn(async () => Promise.reject(new EcsopsError('iam:SimulatePrincipalPolicy denied')))
    await expect(migrate(deps({preflight: broken}), input({preflight: true}))).rejects.toThrow('iam:SimulatePrincipalPolicy denied')
    expect(ecsMock.commandCalls(RunTaskCommand)).toHaveLength(0)
    const unused = vi.fn()
    await migrate(deps({preflight: unused}), input())
    expect(unused).not.toHaveBeenCalled()
  })
})

itSendsOnlyDeclaredActions(migrateIam, {ecs: ecsMock, logs: logsMock})

describe('migrate: a watch that goes wrong in between', () => {
  const notFound = () => Object.assign(new Error('The specified log stream does not exist.'), {name: 'ResourceNotFoundException', $metadata: {httpStatusCode: 400}})

  it('a log stream that never appears is said once, after the task stopped (not while it runs), and is not an error', async () => {
    stage({statuses: {PENDING: 1000, RUNNING: 3000, STOPPED: 8000}})
    logsMock.on(GetLogEventsCommand).rejects(notFound())
    const result = await migrate(deps(), input())
    expect(result.exit).toBe(0)
    const text = 'The log stream /ecs/web/ecs/php/0123456789abcdef does not exist: the container wrote nothing, or its log went elsewhere.'
    expect(result.warnings).toEqual([{code: 'LOG_STREAM_MISSING', message: text}])
    const at = ui.stderr.indexOf(`warning: ${text}`)
    expect(at).toBeGreaterThan(ui.stderr.findIndex((l) => /STOPPED/.test(l)))
  })

  it('a log stream that goes away after lines were shown is said to have gone, once', async () => {
    stage({statuses: {RUNNING: 1000, STOPPED: 8000}, log: [[1500, 'Migrating: 2024_01_01_create_users']]})
    let reads = 0
    logsMock.on(GetLogEventsCommand).callsFake(() => {
      if (++reads === 1) return {events: [{timestamp: 1500, message: 'Migrating: 2024_01_01_create_users'}], nextForwardToken: 'f/1'}
      throw notFound()
    })
    const result = await migrate(deps(), input())
    expect(ui.stdout).toContain('Migrating: 2024_01_01_create_users')
    expect(result.warnings).toEqual([{code: 'LOG_STREAM_MISSING', message: 'The log stream /ecs/web/ecs/php/0123456789abcdef has gone: the rest of the log cannot be shown.'}])
  })

  it('AWS unreachable for a while: retried, and its return is said with how long it was away', async () => {
    const script: Script = {statuses: {RUNNING: 1000, STOPPED: 30_000}}
    stage(script)
    let calls = 0
    ecsMock.on(DescribeTasksCommand).callsFake(() => {
      calls++
      if (calls >= 2 && calls <= 4) throw Object.assign(new Error('connect ECONNRESET'), {name: 'Error', code: 'ECONNRESET', $metadata: {}})
      return {tasks: [taskAt(script)]}
    })
    expect((await migrate(deps(), input())).exit).toBe(0)
    // Three failed calls, the wait doubled after each (2 s, 4 s, 8 s at a 1 s poll interval): away for 14 s.
    expect(ui.stderr.filter((l) => /AWS answers again/.test(l))).toEqual(['AWS answers again (unreachable for 14s).'])
  })

  it('a task DescribeTasks stops finding is given up after ten answers without it, with the reason AWS gives', async () => {
    stage({statuses: {RUNNING: 1000}})
    ecsMock.on(DescribeTasksCommand).resolves({tasks: [], failures: [{arn: TASK_ARN, reason: 'MISSING'}]})
    const error = await migrate(deps(), input()).catch((e) => e)
    expect(error).toMatchObject({code: 'TaskNotFound', message: 'DescribeTasks no longer finds task 0123456789abcdef: MISSING.'})
    expect(ecsMock.commandCalls(DescribeTasksCommand)).toHaveLength(11)
  })
})

describe('migrate: the plan, before anything starts', () => {
  const dryRunInfo = () => ui.stderr.filter((l) => /ENTRYPOINT|Dry run/.test(l))

  it('--dry-run says what would run, and that an image ENTRYPOINT would take the command as its arguments', async () => {
    stage({statuses: {}})
    await migrate(deps(), input({dryRun: true}))
    expect(dryRunInfo()).toEqual([
      expect.stringMatching(/^Dry run: nothing is started\. Container php \(.+\) of web:42 \(.+\) would run php artisan migrate --force in app\/web\.$/),
      'If the image itself has an ENTRYPOINT (not visible in the task definition), the command becomes its arguments.',
    ])
    expect(ui.stderr.filter((l) => /own command/.test(l))).toEqual([])
  })

  it('--dry-run with an entryPoint in the task definition, or with its own command: no ENTRYPOINT note', async () => {
    stage({statuses: {}}, {taskDefinition: {...taskDefinition, containerDefinitions: [{...taskDefinition.containerDefinitions![0]!, entryPoint: ['/entrypoint.sh']}, taskDefinition.containerDefinitions![1]!]}})
    await migrate(deps(), input({dryRun: true}))
    expect(dryRunInfo().filter((l) => /ENTRYPOINT/.test(l))).toEqual([])
    ui = recordingUi()
    stage({statuses: {}})
    await migrate(deps({ui}), input({dryRun: true, command: {source: 'the task definition'}}))
    expect(dryRunInfo().filter((l) => /ENTRYPOINT/.test(l))).toEqual([])
  })

  it('--dry-run --json prints only the JSON document, not the request beside it', async () => {
    ui = recordingUi({json: true})
    stage({statuses: {}})
    const result = await migrate(deps(), input({dryRun: true}))
    expect(ui.stdout).toEqual([])
    expect(result.request).toMatchObject({cluster: 'app', taskDefinition: TD_ARN})
  })

  it('a task size Fargate does not run is exit 2 on Fargate, before RunTask; on EC2 it is not Fargate\'s rule', async () => {
    stage({statuses: {STOPPED: 2000}})
    const sizes = {environment: {}, startedBy: 'ecsops', tags: [], taskCpu: '256', taskMemory: '4096'}
    const error = await migrate(deps(), input({overrides: sizes})).catch((e) => e)
    expect(error).toMatchObject({code: 'BadTaskSize', exitCode: 2})
    expect(ecsMock.commandCalls(RunTaskCommand)).toHaveLength(0)
    stage({statuses: {STOPPED: 2000}}, {service: {...service, launchType: 'EC2', platformVersion: undefined}})
    expect((await migrate(deps(), input({overrides: sizes}))).exit).toBe(0)
    expect(ecsMock.commandCalls(RunTaskCommand)).toHaveLength(1)
  })

  it('a task definition without family or revision is named from its ARN', async () => {
    stage({statuses: {}}, {taskDefinition: {...taskDefinition, family: undefined, revision: undefined}})
    await migrate(deps(), input({dryRun: true}))
    expect(dryRunInfo()[0]).toMatch(/ of web:\? /)
  })
})
