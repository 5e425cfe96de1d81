import {closeSync, mkdtempSync, openSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterEach, describe, expect, it} from 'vitest'

import {startAwsStub, StubError, type AwsStub, type StubHandlers} from '../helpers/aws-stub.js'
import {cleanEnv, runCli} from '../helpers/cli.js'

/**
 * `ecsops migrate` as users run it: the built bin/run.js against a local ECS + CloudWatch Logs
 * stand-in (run `npm run build` first). ECSOPS_TEST_POLL_INTERVAL_MS=100 (its lower bound) keeps
 * the polling fast; one test runs on the production timings.
 */

const TD_ARN = 'arn:aws:ecs:eu-west-1:123456789012:task-definition/web:42'
const TASK_ARN = 'arn:aws:ecs:eu-west-1:123456789012:task/app/5f1c0de0e1a14f6b9d1e8d4a5b6c7d8e'
const TASK_ID = '5f1c0de0e1a14f6b9d1e8d4a5b6c7d8e'
const epoch = (iso: string) => Date.parse(iso) / 1000

const service = {
  serviceName: 'web',
  serviceArn: 'arn:aws:ecs:eu-west-1:123456789012:service/app/web',
  status: 'ACTIVE',
  taskDefinition: TD_ARN,
  launchType: 'FARGATE',
  platformVersion: 'LATEST',
  networkConfiguration: {awsvpcConfiguration: {subnets: ['subnet-a', 'subnet-b'], securityGroups: ['sg-1'], assignPublicIp: 'DISABLED'}},
}

const taskDefinition = {
  taskDefinitionArn: TD_ARN,
  family: 'web',
  revision: 42,
  networkMode: 'awsvpc',
  containerDefinitions: [
    {name: 'php', essential: true, image: 'php:8.3', logConfiguration: {logDriver: 'awslogs', options: {'awslogs-group': '/ecs/web', 'awslogs-region': 'eu-west-1', 'awslogs-stream-prefix': 'ecs'}}},
    {name: 'nginx', essential: false, image: 'nginx'},
  ],
}

interface Scenario {
  /** lastStatus answered by successive DescribeTasks calls; the last one repeats. */
  statuses?: string[]
  exitCode?: number
  stopCode?: string
  stoppedReason?: string
  containerReason?: string
  log?: string[]
  runTaskFailures?: Array<{arn?: string; reason: string}>
}

function handlers(s: Scenario): StubHandlers {
  const statuses = s.statuses ?? ['PENDING', 'RUNNING', 'STOPPED']
  let describeCalls = 0
  let stopped = false
  return {
    'ecs:DescribeServices': (input) =>
      input.services[0] === 'web'
        ? {services: [service], failures: []}
        : {services: [], failures: [{arn: `arn:aws:ecs:eu-west-1:123456789012:service/app/${input.services[0]}`, reason: 'MISSING'}]},
    'ecs:ListServices': () => ({serviceArns: ['arn:aws:ecs:eu-west-1:123456789012:service/app/web', 'arn:aws:ecs:eu-west-1:123456789012:service/app/worker']}),
    'ecs:DescribeTaskDefinition': (input) => {
      if (input.taskDefinition === TD_ARN || input.taskDefinition === 'web') return {taskDefinition}
      throw new StubError('ClientException', 'Unable to describe task definition.')
    },
    'ecs:RunTask': () => (s.runTaskFailures ? {tasks: [], failures: s.runTaskFailures} : {tasks: [{taskArn: TASK_ARN, lastStatus: 'PROVISIONING', desiredStatus: 'RUNNING'}], failures: []}),
    'ecs:DescribeTasks': () => {
      const status = stopped ? 'STOPPED' : statuses[Math.min(describeCalls++, statuses.length - 1)]
      const done = status === 'STOPPED'
      return {
        tasks: [
          {
            taskArn: TASK_ARN,
            taskDefinitionArn: TD_ARN,
            lastStatus: status,
            ...(done
              ? {
                  stopCode: stopped ? 'UserInitiated' : (s.stopCode ?? 'EssentialContainerExited'),
                  stoppedReason: stopped ? 'Stopped by ecsops migrate: SIGTERM received' : (s.stoppedReason ?? 'Essential container in task exited'),
                  startedAt: epoch('2026-11-25T10:00:00Z'),
                  executionStoppedAt: epoch('2026-11-25T10:00:30Z'),
                  stoppedAt: epoch('2026-11-25T10:00:45Z'),
                }
              : {}),
            containers: [
              {name: 'php', lastStatus: status, ...(done && s.exitCode !== undefined ? {exitCode: stopped ? 143 : s.exitCode} : {}), ...(done && s.containerReason ? {reason: s.containerReason} : {})},
              {name: 'nginx', lastStatus: status},
            ],
          },
        ],
        failures: [],
      }
    },
    'ecs:StopTask': () => {
      stopped = true
      return {task: {taskArn: TASK_ARN, lastStatus: 'RUNNING', desiredStatus: 'STOPPED'}}
    },
    'logs:GetLogEvents': (input) => {
      const lines = s.log ?? []
      if (input.logStreamName !== `ecs/php/${TASK_ID}` || input.logGroupName !== '/ecs/web') throw new StubError('ResourceNotFoundException', 'The specified log stream does not exist.')
      const from = input.nextToken ? Number(input.nextToken.slice(2)) : 0
      const page = lines.slice(from, from + 2)
      return {events: page.map((message, i) => ({timestamp: 1764064800000 + from + i, message, ingestionTime: 1764064800000})), nextForwardToken: `f/${from + page.length}`, nextBackwardToken: 'b/0'}
    },
  }
}

let stub: AwsStub | undefined
afterEach(async () => {
  await stub?.close()
  stub = undefined
})

async function run(args: string[], scenario: Scenario = {}, options: {cwd?: string; env?: Record<string, string>; onSpawn?: (pid: number) => void; stdout?: number | 'closed'} = {}) {
  stub = await startAwsStub(handlers(scenario))
  const r = await runCli(['migrate', '--cluster', 'app', '--service', 'web', ...args], {
    env: cleanEnv({...stub.env(), ECSOPS_TEST_POLL_INTERVAL_MS: '100', ...options.env}),
    cwd: options.cwd,
    onSpawn: options.onSpawn,
    stdout: options.stdout,
  })
  return {...r, stub}
}

describe('ecsops migrate (built CLI against a local AWS stub)', () => {
  it('on the production timings (no test knob): a poll a second, the log drained, exit 0', async () => {
    stub = await startAwsStub(handlers({exitCode: 0, log: ['Migrated.']}))
    const r = await runCli(['migrate', '--cluster', 'app', '--service', 'web', '--', 'php', 'artisan', 'migrate'], {env: cleanEnv(stub.env())})
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toBe('Migrated.\n')
    const polls = stub.callsOf('ecs:DescribeTasks').map((c) => c.at)
    expect(polls.length).toBeGreaterThanOrEqual(3)
    // A second apart (the stub answers at once): never the 100 ms of the test knob.
    for (let i = 1; i < polls.length; i++) expect(polls[i]! - polls[i - 1]!).toBeGreaterThanOrEqual(900)
  })

  it('without --cluster: never "the only one" silently — the clusters are named in the error (no terminal), nothing started', async () => {
    stub = await startAwsStub({...handlers({}), 'ecs:ListClusters': () => ({clusterArns: ['arn:aws:ecs:eu-west-1:123456789012:cluster/app']})})
    const r = await runCli(['migrate', '--service', 'web', '--', 'true'], {env: cleanEnv(stub.env())})
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('--cluster is required when ecsops cannot prompt (no terminal, or CI is set): 1 cluster matches.')
    expect(r.stderr).toContain('Pass one with --cluster:\n    app\n')
    expect(stub.calls.map((c) => `${c.service}:${c.action}`)).toEqual(['ecs:ListClusters'])
  })

  it('without --cluster, a bad flag is said first, and a failed listing falls back to "No cluster given"', async () => {
    stub = await startAwsStub({'ecs:ListClusters': () => {
      throw new StubError('AccessDeniedException', 'not authorized to perform: ecs:ListClusters')
    }})
    const bad = await runCli(['migrate', '--service', 'web', '--timeout', 'soon', '--', 'true'], {env: cleanEnv(stub.env())})
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain('--timeout')
    expect(bad.stderr).not.toContain('cluster')
    expect(stub.calls).toEqual([])
    const denied = await runCli(['migrate', '--service', 'web', '--', 'true'], {env: cleanEnv(stub.env())})
    expect(denied.code).toBe(2)
    expect(denied.stderr).toContain('No cluster given.')
  })

  it('a test knob out of its bounds is exit 2 before any AWS call', async () => {
    const r = await run(['--', 'true'], {}, {env: {ECSOPS_TEST_POLL_INTERVAL_MS: '20'}})
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('ECSOPS_TEST_POLL_INTERVAL_MS="20" is not a whole number of milliseconds from 100 to 60000.')
    expect(r.stub.calls).toEqual([])
  })

  it('exits 0 and prints the log on stdout after a successful migration', async () => {
    const r = await run(['--', 'php', 'artisan', 'migrate', '--force'], {exitCode: 0, log: ['Migrating: create_users', 'Migrated: create_users', 'Done.']})
    expect(r.stderr).not.toContain('error:')
    expect(r.code).toBe(0)
    expect(r.stdout).toBe('Migrating: create_users\nMigrated: create_users\nDone.\n')
    expect(r.stderr).toMatch(/Task 5f1c0de0e1a14f6b9d1e8d4a5b6c7d8e RUNNING \(\d+\.\ds\)/)
    const runTask = r.stub.callsOf('ecs:RunTask')
    expect(runTask).toHaveLength(1)
    expect(runTask[0].input).toMatchObject({
      cluster: 'app',
      taskDefinition: TD_ARN,
      launchType: 'FARGATE',
      platformVersion: 'LATEST',
      networkConfiguration: {awsvpcConfiguration: {subnets: ['subnet-a', 'subnet-b'], securityGroups: ['sg-1'], assignPublicIp: 'DISABLED'}},
      overrides: {containerOverrides: [{name: 'php', command: ['php', 'artisan', 'migrate', '--force']}]},
      startedBy: expect.stringMatching(/^ecsops\/[0-9a-f]{12}$/),
    })
    expect(runTask[0].input.clientToken).toMatch(/^[0-9a-f-]{36}$/)
  })

  it('exits with the migration\'s own non-zero code, the error line included', async () => {
    const r = await run(['--command', '["php","artisan","migrate","--force"]'], {exitCode: 3, log: ['Migrating', 'SQLSTATE[HY000] [2002] Connection refused']})
    expect(r.code).toBe(3)
    expect(r.stdout).toContain('SQLSTATE[HY000] [2002] Connection refused')
    expect(r.stderr).toContain('error: Container php exited with code 3.')
    expect(r.stub.callsOf('ecs:RunTask')[0].input.overrides.containerOverrides[0].command).toEqual(['php', 'artisan', 'migrate', '--force'])
  })

  it('exits 125 with the reasons when the task never ran', async () => {
    const r = await run(['--', 'php', 'artisan', 'migrate'], {
      statuses: ['PENDING', 'STOPPED'],
      stopCode: 'TaskFailedToStart',
      stoppedReason: 'ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed',
      containerReason: 'CannotPullContainerError: ref pull has been retried 1 time(s)',
    })
    expect(r.code).toBe(125)
    expect(r.stdout).toBe('')
    expect(r.stderr).toContain('The task failed to start: ResourceInitializationError: unable to pull secrets or registry auth')
    expect(r.stderr).toContain('error: Container php never ran: CannotPullContainerError')
    // The preflight explains it; the stub answers none of its reads, which it says, and 125 stays.
    expect(r.stderr).toMatch(/Preflight: No preflight result explains this stop reason; \d+ checks? could not run \(network[,)]/)
  })

  it('exits 125 quoting a RunTask failure', async () => {
    const r = await run(['--', 'php', 'artisan', 'migrate'], {runTaskFailures: [{reason: 'RESOURCE:MEMORY'}]})
    expect(r.code).toBe(125)
    expect(r.stderr).toContain('RunTask started no task: RESOURCE:MEMORY')
    expect(r.stub.callsOf('ecs:DescribeTasks')).toHaveLength(0)
  })

  it('--dry-run prints the exact RunTask request as JSON (environment values masked) and sends no RunTask', async () => {
    const r = await run(['--dry-run', '--env-var', 'APP_ENV=production', '--tag', 'team=pay', '--', 'php', 'artisan', 'db:seed', '--class=DummySeeder', '--force'])
    expect(r.code).toBe(0)
    expect(JSON.parse(r.stdout)).toEqual({
      cluster: 'app',
      taskDefinition: TD_ARN,
      launchType: 'FARGATE',
      platformVersion: 'LATEST',
      networkConfiguration: {awsvpcConfiguration: {subnets: ['subnet-a', 'subnet-b'], securityGroups: ['sg-1'], assignPublicIp: 'DISABLED'}},
      overrides: {containerOverrides: [{name: 'php', command: ['php', 'artisan', 'db:seed', '--class=DummySeeder', '--force'], environment: [{name: 'APP_ENV', value: '***'}]}]},
      startedBy: expect.stringMatching(/^ecsops\/[0-9a-f]{12}$/),
      tags: [{key: 'team', value: 'pay'}],
      count: 1,
    })
    expect(r.stub.callsOf('ecs:RunTask')).toHaveLength(0)
  })

  it('--json prints one document with the task\'s facts, log lines on stderr', async () => {
    const r = await run(['--json', '--', 'php', 'artisan', 'migrate'], {exitCode: 1, log: ['oops']})
    expect(r.code).toBe(1)
    const doc = JSON.parse(r.stdout)
    expect(doc).toMatchObject({
      outcome: 'failed',
      exit: 1,
      exitCode: 1,
      cluster: 'app',
      service: 'web',
      taskArn: TASK_ARN,
      taskDefinitionArn: TD_ARN,
      container: 'php',
      command: ['php', 'artisan', 'migrate'],
      lastStatus: 'STOPPED',
      stopCode: 'EssentialContainerExited',
      stoppedReason: 'Essential container in task exited',
      startedAt: '2026-11-25T10:00:00.000Z',
      stoppedAt: '2026-11-25T10:00:45.000Z',
      logGroup: '/ecs/web',
      logStream: `ecs/php/${TASK_ID}`,
      logLines: 1,
    })
    expect(r.stderr).toContain('oops')
  })

  it('on GitHub Actions groups the log and annotates the failure', async () => {
    const r = await run(['--', 'php', 'artisan', 'migrate'], {exitCode: 2, log: ['boom']}, {env: {GITHUB_ACTIONS: 'true'}})
    expect(r.code).toBe(2)
    expect(r.stdout).toMatch(new RegExp(`^::group::Log of container php \\(task ${TASK_ID}\\)\\n::stop-commands::(ecsops-[0-9a-f-]+)\\nboom\\n::\\1::\\n::endgroup::\\n::error title=ecsops migrate::Container php exited with code 2\\.\\n$`))
  })

  it('takes command, env vars and container from the config environment', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ecsops-migrate-'))
    writeFileSync(
      join(dir, '.ecsops.yml'),
      'environments:\n  prd:\n    cluster: app\n    service: web\n    migrate:\n      container: php\n      command: [php, artisan, migrate, --force]\n      envVars: {APP_ENV: production}\n',
    )
    stub = await startAwsStub(handlers({exitCode: 0}))
    const r = await runCli(['migrate', '--env', 'prd', '--dry-run', '--show-values'], {env: cleanEnv({...stub.env(), ECSOPS_TEST_POLL_INTERVAL_MS: '100'}), cwd: dir})
    expect(r.code).toBe(0)
    expect(JSON.parse(r.stdout).overrides.containerOverrides).toEqual([{name: 'php', command: ['php', 'artisan', 'migrate', '--force'], environment: [{name: 'APP_ENV', value: 'production'}]}])
  })

  it.each([
    ['SIGTERM', 143],
    ['SIGHUP', 129],
    ['SIGQUIT', 131],
  ] as const)('on %s stops the task with a reason naming ecsops and the signal, and exits %i', async (signal, code) => {
    let pid = 0
    const pending = run(['--', 'php', 'artisan', 'migrate'], {statuses: ['RUNNING'], exitCode: 0}, {onSpawn: (p) => (pid = p)})
    // Send the signal once the task is running (DescribeTasks has answered).
    const started = Date.now()
    while (Date.now() - started < 10_000 && !(stub && stub.callsOf('ecs:DescribeTasks').length >= 2)) await new Promise((resolve) => setTimeout(resolve, 20))
    // Never signal pid 0 (the test runner's own process group) if the spawn callback has not run.
    expect(pid).toBeGreaterThan(0)
    process.kill(pid, signal)
    const r = await pending
    expect(r.code).toBe(code)
    expect(r.signal).toBeNull()
    expect(r.stub.callsOf('ecs:StopTask').map((c) => c.input)).toEqual([{cluster: 'app', task: TASK_ARN, reason: `Stopped by ecsops migrate: ${signal} received`}])
    expect(r.stderr).toContain('Interrupted after')
  })

  it('stdout to a full disk (/dev/full): one warning, the migration is still supervised to its end and its exit code kept', async () => {
    const full = openSync('/dev/full', 'w')
    try {
      const r = await run(['--', 'php', 'artisan', 'migrate'], {exitCode: 3, log: ['one', 'two', 'three', 'four']}, {stdout: full})
      expect(r.code).toBe(3)
      expect(r.stderr.match(/cannot write to stdout \(ENOSPC\)/g)).toHaveLength(1)
      expect(r.stderr).not.toMatch(/\n\s+at /)
      expect(r.stub.callsOf('ecs:DescribeTasks').length).toBeGreaterThan(1)
    } finally {
      closeSync(full)
    }
  })

  it('stdout to a pipe whose reader has gone (EPIPE): the task is still stopped on SIGTERM', async () => {
    let pid = 0
    const pending = run(['--', 'php', 'artisan', 'migrate'], {statuses: ['RUNNING'], log: ['a', 'b', 'c']}, {onSpawn: (p) => (pid = p), stdout: 'closed'})
    const started = Date.now()
    while (Date.now() - started < 10_000 && !(stub && stub.callsOf('logs:GetLogEvents').length >= 2)) await new Promise((resolve) => setTimeout(resolve, 20))
    expect(pid).toBeGreaterThan(0)
    process.kill(pid, 'SIGTERM')
    const r = await pending
    expect(r.code).toBe(143)
    expect(r.stderr).toMatch(/cannot write to stdout \(EPIPE\)/)
    expect(r.stub.callsOf('ecs:StopTask')).toHaveLength(1)
  })

  it('--timeout reached: exit 124 and the task is stopped', async () => {
    const r = await run(['--timeout', '1s', '--', 'php', 'artisan', 'migrate'], {statuses: ['RUNNING']})
    expect(r.code).toBe(124)
    expect(r.stub.callsOf('ecs:StopTask').map((c) => c.input.reason)).toEqual(['Stopped by ecsops migrate: --timeout 1s reached'])
  })

  it('--no-wait prints the task ARN and exits 0', async () => {
    const r = await run(['--no-wait', '--', 'php', 'artisan', 'migrate'])
    expect(r.code).toBe(0)
    expect(r.stdout).toBe(`${TASK_ARN}\n`)
    expect(r.stub.callsOf('ecs:DescribeTasks')).toHaveLength(0)
  })

  describe('bad input: a clear error and no RunTask', () => {
    it.each([
      [['--env-var', 'NOEQUALS', '--', 'x'], 2, '--env-var "NOEQUALS" is not KEY=VALUE.'],
      [['--command', 'php artisan migrate'], 2, '--command must be a JSON array of strings'],
      [['--launch-type', 'FARGATE', '--capacity-provider', 'FARGATE_SPOT', '--', 'x'], 2, 'cannot also be provided when using'],
      [['--container', 'app', '--', 'x'], 2, 'Container "app" (from --container) is not in task definition web:42.'],
      [['--task-definition', 'web:999', '--', 'x'], 3, 'Task definition "web:999" (from --task-definition) does not exist.'],
      [['--timeout', 'soon', '--', 'x'], 2, '--timeout "soon" is not a duration.'],
    ])('%j → exit %i', async (args, code, message) => {
      const r = await run(args as string[])
      expect(r.code).toBe(code)
      expect(r.stderr).toContain(message)
      expect(r.stderr).not.toMatch(/\n\s+at /)
      expect(r.stub.callsOf('ecs:RunTask')).toHaveLength(0)
    })

    it('words without -- are refused, not run as a command', async () => {
      const r = await run(['php', 'artisan', 'migrate'])
      expect(r.code).toBe(2)
      expect(r.stderr).toContain('Unexpected argument "php": the command to run goes after --.')
      expect(r.stub.callsOf('ecs:RunTask')).toHaveLength(0)
    })

    it('an unknown cluster is named', async () => {
      stub = await startAwsStub({
        'ecs:DescribeServices': () => {
          throw new StubError('ClusterNotFoundException', 'Cluster not found.')
        },
      })
      const r = await runCli(['migrate', '--cluster', 'nope', '--service', 'web', '--', 'x'], {env: cleanEnv(stub.env())})
      expect(r.code).toBe(3)
      expect(r.stderr).toContain('error: Cluster "nope" not found (ClusterNotFoundException).')
      expect(stub.callsOf('ecs:RunTask')).toHaveLength(0)
    })

    it('an unknown service names the cluster and lists its services', async () => {
      stub = await startAwsStub(handlers({}))
      const r = await runCli(['migrate', '--cluster', 'app', '--service', 'wbe', '--', 'x'], {env: cleanEnv(stub.env())})
      expect(r.code).toBe(3)
      expect(r.stderr).toContain('error: Service "wbe" not found in cluster "app" (MISSING).')
      expect(r.stderr).toContain('Services in app: web, worker.')
      expect(stub.callsOf('ecs:RunTask')).toHaveLength(0)
    })

    it('on GitHub Actions an error that ends the step is an ::error:: annotation too (on stderr under --json)', async () => {
      stub = await startAwsStub(handlers({}))
      const env = cleanEnv({...stub.env(), GITHUB_ACTIONS: 'true'})
      const r = await runCli(['migrate', '--cluster', 'app', '--service', 'wbe', '--', 'x'], {env})
      expect(r.code).toBe(3)
      expect(r.stdout).toBe('::error title=ecsops migrate::Service "wbe" not found in cluster "app" (MISSING).\n')
      const usage = await runCli(['migrate', '--cluster', 'app', '--service', 'web', '--json', '--env-var', 'BAD', '--', 'x'], {env})
      expect(usage.code).toBe(2)
      expect(JSON.parse(usage.stdout)).toMatchObject({ok: false, error: {code: 'BadEnvVar'}})
      expect(usage.stderr).toContain('::error title=ecsops migrate::--env-var "BAD" is not KEY=VALUE.')
      expect(stub.callsOf('ecs:RunTask')).toHaveLength(0)
    })

    it('--json on bad input prints the error document with its exit code', async () => {
      const r = await run(['--json', '--env-var', 'BAD', '--', 'x'])
      expect(r.code).toBe(2)
      expect(JSON.parse(r.stdout)).toMatchObject({ok: false, error: {code: 'BadEnvVar', exitCode: 2}})
    })
  })
})
