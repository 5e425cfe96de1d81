/**
 * Issue 8: the run ends when the container's result is final (not after the task's
 * deprovisioning), hands CI its outputs, and its story is told once. Fargate's documented tail:
 * the essential container exits, the task goes STOPPING → DEPROVISIONING → STOPPED while
 * DescribeTasks already shows the container STOPPED with its exitCode and the task's
 * executionStoppedAt ("Amazon ECS task lifecycle").
 */
import {CloudWatchLogsClient, GetLogEventsCommand, type GetLogEventsCommandOutput} from '@aws-sdk/client-cloudwatch-logs'
import {DescribeServicesCommand, DescribeTaskDefinitionCommand, DescribeTasksCommand, ECSClient, RunTaskCommand, StopTaskCommand, type Service, type Task, type TaskDefinition} from '@aws-sdk/client-ecs'
import {mockClient} from 'aws-sdk-client-mock'
import {mkdirSync, mkdtempSync, readFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {EventEmitter} from 'node:events'
import {beforeEach, describe, expect, it} from 'vitest'

import {appendCiFile, githubOutputs, gitlabSection, jobSummary, type RunFacts} from '../../src/migrate/ci.js'
import {migrateIam} from '../../src/migrate/iam.js'
import {confirmationText, migrate, type MigrateDeps, type MigrateInput} from '../../src/migrate/run.js'
import {drainWindow, watchVerdict} from '../../src/migrate/watch.js'
import {itSendsOnlyDeclaredActions} from '../helpers/iam-coverage.js'
import {recordingUi, type RecordingUi} from '../helpers/ui.js'

const ecsMock = mockClient(ECSClient)
const logsMock = mockClient(CloudWatchLogsClient)

const TD_ARN = 'arn:aws:ecs:eu-west-1:123456789012:task-definition/web:42'
const TASK_ARN = 'arn:aws:ecs:eu-west-1:123456789012:task/app/0123456789abcdef'
const service: Service = {serviceName: 'web', status: 'ACTIVE', taskDefinition: TD_ARN, launchType: 'FARGATE', networkConfiguration: {awsvpcConfiguration: {subnets: ['subnet-a'], securityGroups: ['sg-1']}}}
const taskDefinition: TaskDefinition = {
  taskDefinitionArn: TD_ARN,
  family: 'web',
  revision: 42,
  networkMode: 'awsvpc',
  containerDefinitions: [
    // The sidecar comes first: nothing may take containers[0] for the migration.
    {name: 'envoy', essential: true},
    {name: 'php', essential: true, logConfiguration: {logDriver: 'awslogs', options: {'awslogs-group': '/ecs/web', 'awslogs-region': 'eu-west-1', 'awslogs-stream-prefix': 'ecs'}}},
  ],
}

describe('watchVerdict (pure)', () => {
  const task = (lastStatus: string, php: Task['containers'] extends Array<infer C> | undefined ? Partial<C> : never): Task => ({
    taskArn: TASK_ARN,
    lastStatus,
    containers: [{name: 'envoy', lastStatus: 'STOPPED', exitCode: 1}, {name: 'php', ...php}],
  })
  const opts = {waitStopped: false, notEssential: false, stopSent: false}

  it('ends at the container\'s exit code while the task deprovisions; not at a sidecar\'s', () => {
    expect(watchVerdict(task('DEPROVISIONING', {lastStatus: 'STOPPED', exitCode: 3}), 'php', opts)).toEqual({kind: 'container-exit', exitCode: 3})
    expect(watchVerdict(task('RUNNING', {lastStatus: 'RUNNING'}), 'php', opts)).toEqual({kind: 'wait'})
    expect(watchVerdict(task('STOPPING', {lastStatus: 'STOPPED', exitCode: 0}), 'php', opts)).toEqual({kind: 'container-exit', exitCode: 0})
  })

  it('a container STOPPED without an exit code waits for the task\'s reason', () => {
    expect(watchVerdict(task('DEPROVISIONING', {lastStatus: 'STOPPED'}), 'php', opts)).toEqual({kind: 'wait'})
  })

  it('--wait-stopped waits for STOPPED; STOPPED and DELETED are terminal', () => {
    expect(watchVerdict(task('DEPROVISIONING', {lastStatus: 'STOPPED', exitCode: 0}), 'php', {...opts, waitStopped: true})).toEqual({kind: 'wait'})
    expect(watchVerdict(task('STOPPED', {lastStatus: 'STOPPED', exitCode: 0}), 'php', {...opts, waitStopped: true})).toEqual({kind: 'task-stopped'})
    expect(watchVerdict(task('DELETED', {lastStatus: 'STOPPED'}), 'php', opts)).toEqual({kind: 'task-stopped'})
  })

  it('a non-essential container that exited: stop the task first, then its code is final', () => {
    const exited = task('RUNNING', {lastStatus: 'STOPPED', exitCode: 0})
    expect(watchVerdict(exited, 'php', {...opts, notEssential: true})).toEqual({kind: 'stop-task'})
    expect(watchVerdict(exited, 'php', {...opts, notEssential: true, stopSent: true})).toEqual({kind: 'container-exit', exitCode: 0})
  })

  it('drainWindow: settles a fixed time after the exit, never past the maximum', () => {
    expect(drainWindow(10_000, 0, 3000, 5000)).toEqual({settledAt: 13_000, until: 15_000})
    expect(drainWindow(10_000, 2000, 3000, 5000)).toEqual({settledAt: 11_000, until: 15_000})
    expect(drainWindow(10_000, 9000, 3000, 5000)).toEqual({settledAt: 10_000, until: 15_000})
  })
})

describe('CI texts (pure)', () => {
  const facts: RunFacts = {taskArn: TASK_ARN, exit: 3, exitCode: 3, outcome: 'failed', logGroup: '/ecs/web', logStream: 'ecs/php/0123456789abcdef', taskDefinitionArn: TD_ARN, container: 'php', command: ['php', 'artisan', 'migrate'], cluster: 'app', service: 'web'}

  it('GitHub step outputs, one name=value line each', () => {
    expect(githubOutputs(facts)).toBe(`task-arn=${TASK_ARN}\nexit-code=3\noutcome=failed\nlog-group=/ecs/web\nlog-stream=ecs/php/0123456789abcdef\n`)
    expect(githubOutputs({...facts, taskArn: null, exitCode: null, logGroup: null, logStream: null, outcome: 'never-ran'})).toBe('task-arn=\nexit-code=\noutcome=never-ran\nlog-group=\nlog-stream=\n')
  })

  it('a job summary: the last lines and how to read the log on failure, no log lines on success', () => {
    const failed = jobSummary(facts, {duration: '12.0s', lastLines: ['SQLSTATE[HY000] | boom'], tailCommand: 'aws logs tail /ecs/web'})
    expect(failed).toContain('### ❌ ecsops migrate: failed')
    expect(failed).toContain('| Revision | `web:42` |')
    expect(failed).toContain('| Outcome | failed, exit 3 |')
    expect(failed).toContain('```text\nSQLSTATE[HY000] | boom\n```')
    expect(failed).toContain('```sh\naws logs tail /ecs/web\n```')
    const ok = jobSummary({...facts, exit: 0, exitCode: 0, outcome: 'succeeded'}, {duration: '1.0s', lastLines: ['done']})
    expect(ok).toContain('### ✅ ecsops migrate: succeeded')
    expect(ok).not.toContain('done')
  })

  it('GitLab collapsible section markers', () => {
    expect(gitlabSection('start', 'ecsops_migrate_log', 1700000000, 'Log')).toBe('\u001B[0Ksection_start:1700000000:ecsops_migrate_log[collapsed=true]\r\u001B[0KLog')
    expect(gitlabSection('end', 'ecsops_migrate_log', 1700000001)).toBe('\u001B[0Ksection_end:1700000001:ecsops_migrate_log\r\u001B[0K')
  })

  it('a CI file that cannot be written is returned as a message, never thrown', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ecsops-ci-'))
    expect(appendCiFile(join(dir, 'missing', 'out'), 'x')).toMatch(/^ENOENT/)
    mkdirSync(join(dir, 'a-dir'))
    expect(appendCiFile(join(dir, 'a-dir'), 'x')).toMatch(/^EISDIR/)
    expect(appendCiFile(undefined, 'x')).toBeUndefined()
  })

  it('the confirmation names the run, the account, profile and environment, the variables\' names (never their values) and the timeout', () => {
    const text = confirmationText(
      {shownCommand: 'php artisan migrate --force', container: {name: 'php', why: ''}, revision: 'web:42', where: 'app/web'},
      {overrides: {environment: {DB_PASSWORD: 'hunter2', APP_ENV: 'production'}, startedBy: 'ecsops', tags: []}, timeoutMs: 600_000},
      {region: 'eu-west-1', account: '123456789012', profile: 'prod', env: 'prd'},
    )
    expect(text).toBe('Run php artisan migrate --force\n  in container php of web:42\n  on app/web (eu-west-1), account 123456789012, profile prod, environment prd\n  with environment variables DB_PASSWORD, APP_ENV\n  for at most 10m?')
    expect(text).not.toContain('hunter2')
  })
})

// ---------------------------------------------------------------- a run on a virtual clock

let t = 0
let ui: RecordingUi
const sleep = async (ms: number, signal?: AbortSignal) => {
  if (!signal?.aborted) t += ms
}

/** Fargate's tail: the container exits at `exitAt` (code `code`), the task deprovisions until `stoppedAt`. */
function stageTail(options: {exitAt: number; stoppedAt: number; code?: number; lines?: string[]; noStream?: boolean}) {
  ecsMock.on(DescribeServicesCommand).resolves({services: [service]})
  ecsMock.on(DescribeTaskDefinitionCommand).resolves({taskDefinition})
  ecsMock.on(RunTaskCommand).resolves({tasks: [{taskArn: TASK_ARN, lastStatus: 'PROVISIONING'}]})
  ecsMock.on(StopTaskCommand).resolves({})
  ecsMock.on(DescribeTasksCommand).callsFake((): {tasks: Task[]} => {
    const exited = t >= options.exitAt
    const status = t >= options.stoppedAt ? 'STOPPED' : exited ? (t >= options.exitAt + 2000 ? 'DEPROVISIONING' : 'STOPPING') : t >= 1000 ? 'RUNNING' : 'PENDING'
    const php = exited ? {name: 'php', lastStatus: 'STOPPED', exitCode: options.code ?? 0} : {name: 'php', lastStatus: status}
    return {
      tasks: [
        {
          taskArn: TASK_ARN,
          lastStatus: status,
          containers: [{name: 'envoy', lastStatus: exited ? 'STOPPED' : status, exitCode: exited ? 0 : undefined}, php],
          ...(exited ? {executionStoppedAt: new Date(1_700_000_000_000 + options.exitAt), stopCode: 'EssentialContainerExited' as const} : {}),
          ...(t >= options.stoppedAt ? {stoppedAt: new Date(1_700_000_000_000 + options.stoppedAt)} : {}),
        },
      ],
    }
  })
  logsMock.on(GetLogEventsCommand).callsFake((req): Partial<GetLogEventsCommandOutput> => {
    if (options.noStream) throw Object.assign(new Error('The specified log stream does not exist.'), {name: 'ResourceNotFoundException'})
    // The real API: startFromHead on every call, and at the end the token that was sent comes back.
    expect(req.startFromHead).toBe(true)
    const lines = options.lines ?? []
    const from = req.nextToken ? Number(req.nextToken.slice(2)) : 0
    const page = t >= 1000 ? lines.slice(from, from + 10) : []
    return {events: page.map((message, i) => ({timestamp: from + i, message})), nextForwardToken: page.length > 0 ? `f/${from + page.length}` : (req.nextToken ?? 'f/0')}
  })
}

function input(over: Partial<MigrateInput> = {}): MigrateInput {
  return {
    cluster: 'app',
    service: 'web',
    container: {name: 'php', source: '--container'},
    command: {command: ['php', 'artisan', 'migrate'], source: 'arguments after --'},
    overrides: {environment: {}, startedBy: 'ecsops', tags: []},
    timeoutMs: 3_600_000,
    wait: true,
    followLogs: true,
    dryRun: false,
    yes: true,
    stopOnTimeout: true,
    stopOnInterrupt: true,
    pollIntervalMs: 1000,
    logSettleMs: 3000,
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
    now: () => t,
    sleep,
    signals: new EventEmitter(),
    clientToken: () => 'token-1',
    ...over,
  }
}

beforeEach(() => {
  ecsMock.reset()
  logsMock.reset()
  t = 0
  ui = recordingUi()
})

describe('migrate: the finish', () => {
  it('ends within a few seconds of the container\'s exit while the task still deprovisions, with its code', async () => {
    stageTail({exitAt: 8000, stoppedAt: 60_000, code: 3, lines: ['Migrating', 'SQLSTATE: boom']})
    const result = await migrate(deps(), input())
    expect(result).toMatchObject({outcome: 'failed', exit: 3, exitCode: 3, finishedAt: 'container-exit'})
    expect(['STOPPING', 'DEPROVISIONING']).toContain(result.lastStatus)
    expect(t - 8000).toBeLessThanOrEqual(4000)
    expect(ui.stdout).toEqual(['Migrating', 'SQLSTATE: boom'])
    expect(ui.stderr.some((l) => /^Container php exited after .*: ECS finishes deprovisioning it/.test(l))).toBe(true)
    expect(ecsMock.commandCalls(StopTaskCommand)).toHaveLength(0)
  })

  it('--wait-stopped waits for STOPPED', async () => {
    stageTail({exitAt: 8000, stoppedAt: 60_000, code: 0})
    const result = await migrate(deps(), input({waitStopped: true}))
    expect(result).toMatchObject({outcome: 'succeeded', exit: 0, finishedAt: 'task-stopped', lastStatus: 'STOPPED'})
    expect(t).toBeGreaterThanOrEqual(60_000)
  })

  it('STOPPED is said once, with one duration; a ✔ only on the success line', async () => {
    stageTail({exitAt: 3000, stoppedAt: 4000, code: 0})
    await migrate(deps(), input({waitStopped: true}))
    expect(ui.stderr.filter((l) => l.includes('STOPPED'))).toHaveLength(1)
    expect(ui.stderr.filter((l) => l.includes('✔'))).toEqual(['✔ Container php exited with code 0.'])
  })

  it('a log stream that never appears is one warning, also in --json, and the exit code is kept', async () => {
    stageTail({exitAt: 5000, stoppedAt: 6000, code: 0, noStream: true})
    const result = await migrate(deps(), input())
    expect(result.exit).toBe(0)
    expect(result.warnings).toEqual([{code: 'LOG_STREAM_MISSING', message: 'The log stream /ecs/web/ecs/php/0123456789abcdef does not exist: the container wrote nothing, or its log went elsewhere.'}])
    expect(ui.stderr.filter((l) => l.startsWith('warning: The log stream'))).toHaveLength(1)
  })

  it('DescribeTasks failing for longer than any retry budget (an outage) is retried until --timeout: the exit code is not lost', async () => {
    stageTail({exitAt: 120_000, stoppedAt: 121_000, code: 0})
    const healthy = stageTailAnswer({exitAt: 120_000, stoppedAt: 121_000, code: 0})
    const outage = Object.assign(new Error('socket hang up'), {name: 'ECONNRESET', $metadata: {}})
    let failed = 0
    ecsMock.on(DescribeTasksCommand).callsFake(() => {
      // More than a minute of failed calls in a row.
      if (t >= 5000 && t < 90_000) {
        failed++
        throw outage
      }
      return healthy()
    })
    const result = await migrate(deps(), input())
    expect(failed).toBeGreaterThan(5)
    expect(result).toMatchObject({outcome: 'succeeded', exit: 0, finishedAt: 'container-exit'})
    expect(ui.stderr.filter((l) => l.includes('AWS unreachable since'))).toHaveLength(1)
    expect(ui.stderr.some((l) => l.startsWith('AWS answers again'))).toBe(true)
  })
})

/** The DescribeTasks answer of stageTail, as a function (for tests that wrap it). */
function stageTailAnswer(options: {exitAt: number; stoppedAt: number; code: number}) {
  return () => {
    const exited = t >= options.exitAt
    const status = t >= options.stoppedAt ? 'STOPPED' : exited ? 'DEPROVISIONING' : 'RUNNING'
    return {tasks: [{taskArn: TASK_ARN, lastStatus: status, containers: [{name: 'php', lastStatus: exited ? 'STOPPED' : status, ...(exited ? {exitCode: options.code} : {})}]}]}
  }
}

describe('migrate: signals while watching', () => {
  it('the first signal decides the exit code; a second one does not change it, and no DescribeTasks is sent after the first', async () => {
    stageTail({exitAt: 60_000, stoppedAt: 61_000, code: 0})
    const signals = new EventEmitter()
    let describesAtSignal = -1
    let sent = false
    const signalling = async (ms: number, signal?: AbortSignal) => {
      if (!signal?.aborted) t += ms
      if (t >= 5000 && !sent) {
        sent = true
        describesAtSignal = ecsMock.commandCalls(DescribeTasksCommand).length
        signals.emit('SIGTERM')
        signals.emit('SIGINT')
      }
    }
    const result = await migrate(deps({signals, sleep: signalling}), input())
    expect(result).toMatchObject({outcome: 'interrupted', exit: 143})
    const stop = ecsMock.commandCalls(StopTaskCommand)
    expect(stop.map((c) => c.args[0].input.reason)).toEqual(['Stopped by ecsops migrate: SIGTERM received'])
    // The wait after StopTask may poll; the watch loop itself stopped at the signal.
    const describedBeforeStop = ecsMock.commandCalls(DescribeTasksCommand).filter((c) => c.calledBefore(stop[0]!)).length
    expect(describedBeforeStop).toBe(describesAtSignal)
  })
})

describe('migrate: the log in a terminal', () => {
  const hostile = 'ok \u001B[31mred\u001B[0m\u001B[2J\u001B]0;pwned\u0007'
  it('in a terminal, a log line keeps its colours but cannot clear the screen or retitle the window', async () => {
    ui = recordingUi({stdoutIsTerminal: true})
    stageTail({exitAt: 4000, stoppedAt: 30_000, code: 0, lines: [hostile]})
    await migrate(deps(), input())
    expect(ui.stdout).toEqual(['ok \u001B[31mred\u001B[0m'])
  })

  it('piped or redirected, the line is passed on as the container wrote it', async () => {
    stageTail({exitAt: 4000, stoppedAt: 30_000, code: 0, lines: [hostile]})
    await migrate(deps(), input())
    expect(ui.stdout).toEqual([hostile])
  })
})

describe('migrate: CI outputs', () => {
  it('on GitHub Actions writes the step outputs and a job summary; a summary that cannot be written is a warning', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ecsops-gha-'))
    ui = recordingUi({githubActions: true, env: {GITHUB_ACTIONS: 'true', GITHUB_OUTPUT: join(dir, 'output'), GITHUB_STEP_SUMMARY: join(dir, 'no-such-dir', 'summary')}})
    stageTail({exitAt: 4000, stoppedAt: 30_000, code: 2, lines: ['boom']})
    const result = await migrate(deps(), input())
    expect(result.exit).toBe(2)
    expect(readFileSync(join(dir, 'output'), 'utf8')).toBe(`task-arn=${TASK_ARN}\nexit-code=2\noutcome=failed\nlog-group=/ecs/web\nlog-stream=ecs/php/0123456789abcdef\n`)
    expect(ui.stderr.filter((l) => l.startsWith('warning: Could not write $GITHUB_STEP_SUMMARY (ENOENT'))).toHaveLength(1)
  })

  it('the job summary holds the last log lines of a failed run', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ecsops-gha-'))
    ui = recordingUi({githubActions: true, env: {GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: join(dir, 'summary')}})
    stageTail({exitAt: 4000, stoppedAt: 30_000, code: 1, lines: Array.from({length: 25}, (_, i) => `line ${i + 1}`)})
    await migrate(deps(), input())
    const summary = readFileSync(join(dir, 'summary'), 'utf8')
    expect(summary).toContain('Last 20 log lines:')
    expect(summary).toContain('line 6\n')
    expect(summary).not.toContain('line 5\n')
    expect(summary).toContain('aws logs tail /ecs/web --log-stream-names ecs/php/0123456789abcdef --since 1d --region eu-west-1')
  })

  it('on GitLab CI the log is a collapsible section', async () => {
    ui = recordingUi({env: {GITLAB_CI: 'true'}})
    stageTail({exitAt: 4000, stoppedAt: 30_000, code: 0, lines: ['one', 'two']})
    await migrate(deps(), input())
    // eslint-disable-next-line no-control-regex -- GitLab's markers are escape sequences
    expect(ui.stdout[0]).toMatch(/^\u001B\[0Ksection_start:\d+:ecsops_migrate_log\[collapsed=true\]\r\u001B\[0KLog of container php/)
    expect(ui.stdout.slice(1, 3)).toEqual(['one', 'two'])
    // eslint-disable-next-line no-control-regex -- GitLab's markers are escape sequences
    expect(ui.stdout.at(-1)).toMatch(/^\u001B\[0Ksection_end:\d+:ecsops_migrate_log\r\u001B\[0K$/)
  })
})

describe('migrate: the question', () => {
  it('is asked when stdin is a terminal even if stdout is not; Ctrl-D (end of input) is a no: exit 1, nothing started', async () => {
    ui = recordingUi({interactive: false, promptable: true})
    stageTail({exitAt: 4000, stoppedAt: 5000})
    const asked: string[] = []
    const endOfInput = Object.assign(new Error('User force closed the prompt with 0 null'), {name: 'ExitPromptError'})
    const error = await migrate(deps({confirm: async (m) => (asked.push(m), Promise.reject(endOfInput))}), input({yes: false})).catch((e: unknown) => e)
    expect(asked).toHaveLength(1)
    expect(error).toMatchObject({exitCode: 1, code: 'Cancelled'})
    expect(ecsMock.commandCalls(RunTaskCommand)).toHaveLength(0)
  })

  it('Ctrl-C at the question is an interrupt (130)', async () => {
    ui = recordingUi({promptable: true})
    stageTail({exitAt: 4000, stoppedAt: 5000})
    const ctrlC = Object.assign(new Error('User force closed the prompt with SIGINT'), {name: 'ExitPromptError'})
    const error = await migrate(deps({confirm: async () => Promise.reject(ctrlC)}), input({yes: false})).catch((e: unknown) => e)
    expect(error).toMatchObject({exitCode: 130, code: 'Cancelled'})
  })
})

itSendsOnlyDeclaredActions(migrateIam, {ecs: ecsMock, logs: logsMock})
