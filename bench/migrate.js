// Benchmark of `ecsops migrate` polling (run after `npm run build`): node bench/migrate.js
//
// Against a mocked ECS whose task stops at a known moment, measures
//   1. the delay between the task reaching STOPPED and migrate() returning (target: median ≤ 1.5 s),
//   2. DescribeTasks calls per second over a 10-minute task (target: ≤ 1 on average),
//   3. the delay between a log line becoming readable and ecsops printing it (target: ≤ 2 s),
//   4. with Fargate's deprovisioning tail (a 7 s container, then 8 s STOPPING/DEPROVISIONING before
//      STOPPED): the end of migrate() after the container's exit (target ≤ 4 s), and its total time
//      against the hand-run procedure of PROCEDURES.md section 1 on the same task (target ≤ 0.65):
//      describe-services, run-task, `aws ecs wait tasks-stopped` (a DescribeTasks at once, then every
//      6 s until STOPPED), describe-tasks, get-log-events; each call 80 ms, the AWS CLI's own
//      start-up per command not counted (which favours the hand-run).
// The runs use a virtual clock (the loop's injected now/sleep; each AWS call costs a simulated
// 80 ms), then a few runs on the real clock check that nothing else waits. Exit 0 when the targets are met.
import {CloudWatchLogsClient, GetLogEventsCommand} from '@aws-sdk/client-cloudwatch-logs'
import {DescribeServicesCommand, DescribeTaskDefinitionCommand, DescribeTasksCommand, ECSClient, RunTaskCommand} from '@aws-sdk/client-ecs'
import {mockClient} from 'aws-sdk-client-mock'
import {Writable} from 'node:stream'
import {setTimeout as delay} from 'node:timers/promises'

import {defaultSleep, migrate} from '../dist/migrate/run.js'
import {createUi} from '../dist/ui/output.js'

const LATENCY_MS = 80
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true'
const TD_ARN = 'arn:aws:ecs:eu-west-1:123456789012:task-definition/web:42'
const TASK_ARN = 'arn:aws:ecs:eu-west-1:123456789012:task/app/0123456789abcdef'
const credentials = {accessKeyId: 'AKIDBENCH', secretAccessKey: 'bench'}

const ecsMock = mockClient(ECSClient)
const logsMock = mockClient(CloudWatchLogsClient)

/** Deterministic pseudo-random numbers, so two runs print the same figures. */
let seed = 42
const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31)

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}
const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]

function virtualClock() {
  let t = 0
  return {now: () => t, sleep: async (ms, signal) => void (signal?.aborted || (t += ms)), spend: async (ms) => void (t += ms)}
}

function realClock() {
  const origin = Date.now()
  return {now: () => Date.now() - origin, sleep: defaultSleep, spend: (ms) => delay(ms)}
}

/**
 * One migration: RUNNING at 3 s, STOPPED at `stopAt`; the container exited `exitedBefore` ms
 * before STOPPED; log lines readable at `logAt` times. Returns what happened, in clock ms.
 */
async function once(clock, {stopAt, exitedBefore = 15_000, logAt = [], exitAt}) {
  ecsMock.reset()
  logsMock.reset()
  let describeCalls = 0
  let stoppedSeenAt
  ecsMock.on(DescribeServicesCommand).resolves({services: [{serviceName: 'web', status: 'ACTIVE', taskDefinition: TD_ARN, launchType: 'FARGATE', networkConfiguration: {awsvpcConfiguration: {subnets: ['subnet-a']}}}]})
  ecsMock.on(DescribeTaskDefinitionCommand).resolves({
    taskDefinition: {taskDefinitionArn: TD_ARN, family: 'web', revision: 42, networkMode: 'awsvpc', containerDefinitions: [{name: 'php', logConfiguration: {logDriver: 'awslogs', options: {'awslogs-group': '/ecs/web', 'awslogs-stream-prefix': 'ecs'}}}]},
  })
  ecsMock.on(RunTaskCommand).resolves({tasks: [{taskArn: TASK_ARN, lastStatus: 'PROVISIONING'}]})
  let started
  ecsMock.on(DescribeTasksCommand).callsFake(async () => {
    describeCalls++
    await clock.spend(LATENCY_MS / 2)
    const t = clock.now() - started
    await clock.spend(LATENCY_MS / 2)
    const stopped = t >= stopAt
    if (stopped) stoppedSeenAt ??= clock.now()
    // With `exitAt`: the container has exited (STOPPED, exit code 0) and the task deprovisions until stopAt.
    const exited = exitAt !== undefined && t >= exitAt
    const status = stopped ? 'STOPPED' : exited ? (t >= exitAt + 2000 ? 'DEPROVISIONING' : 'STOPPING') : t >= 3000 ? 'RUNNING' : 'PENDING'
    const container = {name: 'php', ...(stopped || exited ? {lastStatus: 'STOPPED', exitCode: 0} : {lastStatus: status})}
    const task = {taskArn: TASK_ARN, lastStatus: status, containers: [container]}
    if (exited) Object.assign(task, {stopCode: 'EssentialContainerExited', executionStoppedAt: new Date(1e12 + exitAt)})
    if (stopped) Object.assign(task, {stopCode: 'EssentialContainerExited', executionStoppedAt: new Date(1e12 + (exitAt ?? stopAt - exitedBefore)), stoppedAt: new Date(1e12 + stopAt)})
    return {tasks: [task]}
  })
  logsMock.on(GetLogEventsCommand).callsFake(async (input) => {
    await clock.spend(LATENCY_MS / 2)
    const t = clock.now() - started
    await clock.spend(LATENCY_MS / 2)
    const visible = logAt.filter((at) => at <= t)
    const from = input.nextToken ? Number(input.nextToken.slice(2)) : 0
    const page = visible.slice(from, from + 100)
    return {events: page.map((at) => ({timestamp: at, message: String(at)})), nextForwardToken: `f/${from + page.length}`}
  })

  const shown = []
  const stdout = new Writable({write: (chunk, _e, done) => (shown.push([Number(String(chunk).trim()), clock.now() - started]), done())})
  const stderr = new Writable({write: (_c, _e, done) => done()})
  const ui = createUi({streams: {stdout, stderr, stdin: {}, env: {CI: 'true', NO_COLOR: '1'}}})
  started = clock.now()
  const result = await migrate(
    {
      ecs: new ECSClient({region: 'eu-west-1', credentials}),
      logs: async () => new CloudWatchLogsClient({region: 'eu-west-1', credentials}),
      region: 'eu-west-1',
      ui,
      now: clock.now,
      sleep: clock.sleep,
      signals: {on() {}, off() {}},
    },
    {
      cluster: 'app',
      service: 'web',
      command: {command: ['php', 'artisan', 'migrate'], source: 'bench'},
      overrides: {environment: {}, startedBy: 'ecsops', tags: []},
      timeoutMs: 3_600_000,
      wait: true,
      followLogs: true,
      dryRun: false,
      yes: true,
      stopOnTimeout: true,
      stopOnInterrupt: true,
      pollIntervalMs: 1000,
      drainMaxMs: 5000,
      waitStopped: exitAt === undefined,
    },
  )
  if (result.exit !== 0) throw new Error(`unexpected exit ${result.exit}`)
  const ended = clock.now()
  return {
    afterExitMs: exitAt === undefined ? undefined : ended - (started + exitAt),
    detectionMs: ended - (started + stopAt),
    seenMs: stoppedSeenAt - (started + stopAt),
    describeCalls,
    elapsedMs: ended - started,
    logDelays: shown.map(([at, when]) => when - at),
    logLines: shown.length,
  }
}

const lines = []
let ok = true
const check = (pass, text) => {
  ok &&= pass
  lines.push(`${pass ? 'ok  ' : 'FAIL'} ${text}`)
}

// 1. Detection delay, task stopping at a random moment (virtual clock, 200 runs).
const delays = []
for (let i = 0; i < 200; i++) delays.push((await once(virtualClock(), {stopAt: 20_000 + random() * 10_000})).detectionMs)
check(median(delays) <= 1500, `detection delay (STOPPED → ecsops returns), 200 runs: median ${(median(delays) / 1000).toFixed(2)} s, p95 ${(pct(delays, 95) / 1000).toFixed(2)} s, max ${(Math.max(...delays) / 1000).toFixed(2)} s (target median ≤ 1.5 s; aws ecs wait: 3 s average, 6 s worst)`)

// Container exited just before STOPPED: the drain waits for late log lines (bounded at 5 s).
const late = []
for (let i = 0; i < 50; i++) late.push((await once(virtualClock(), {stopAt: 20_000 + random() * 10_000, exitedBefore: 500})).detectionMs)
lines.push(`     with the container exiting 0.5 s before STOPPED (the drain reads until 1.5 s after the exit, for late log lines): median ${(median(late) / 1000).toFixed(2)} s, max ${(Math.max(...late) / 1000).toFixed(2)} s (drain bound 5 s)`)

// 2. DescribeTasks rate over a 10-minute task, with log lines every few seconds.
const logAt = []
for (let at = 3000; at < 600_000; at += 500 + random() * 5000) logAt.push(Math.round(at))
const long = await once(virtualClock(), {stopAt: 600_000, logAt})
const rate = long.describeCalls / (long.elapsedMs / 1000)
check(rate <= 1, `DescribeTasks over a 10-minute task: ${long.describeCalls} calls in ${(long.elapsedMs / 1000).toFixed(0)} s = ${rate.toFixed(3)}/s, ${(rate * 60).toFixed(1)}/min (target ≤ 1/s)`)

// 3. Log line delay (readable in CloudWatch → printed), same run.
check(long.logLines === logAt.length && Math.max(...long.logDelays) <= 2000, `log lines: ${long.logLines}/${logAt.length} printed once each, delay median ${(median(long.logDelays) / 1000).toFixed(2)} s, max ${(Math.max(...long.logDelays) / 1000).toFixed(2)} s (target ≤ 2 s)`)

// 4. Real clock: a few short tasks, to show nothing but the poll interval waits.
const real = []
for (let i = 0; i < 4; i++) real.push((await once(realClock(), {stopAt: 2000 + random() * 1000, logAt: [3100]})).detectionMs)
check(median(real) <= 1500, `real clock, 4 runs (80 ms simulated latency): detection delay median ${(median(real) / 1000).toFixed(2)} s, max ${(Math.max(...real) / 1000).toFixed(2)} s`)

// 5. Fargate's tail: a 7 s container (RUNNING at 3 s, exit at 10 s), 8 s of deprovisioning (STOPPED at 18 s).
/** The hand-run procedure's end on the same timeline (virtual ms from its first call). */
function handRun({exitAt, stopAt}) {
  let t = 2 * LATENCY_MS // describe-services, run-task
  const taskStart = t
  // aws ecs wait tasks-stopped: DescribeTasks at once, then every 6 s, until it sees STOPPED.
  for (;;) {
    t += LATENCY_MS
    if (t - taskStart >= stopAt) break
    t += 6000
  }
  void exitAt
  return t + 2 * LATENCY_MS // describe-tasks, get-log-events
}
const tails = []
for (let i = 0; i < 100; i++) {
  const start = random() * 1000 // where the container's exit falls between two polls
  const timeline = {exitAt: 10_000 + start, stopAt: 18_000 + start}
  const r = await once(virtualClock(), {...timeline, logAt: [4000, 9000 + start]})
  tails.push({afterExit: r.afterExitMs, ratio: r.elapsedMs / handRun(timeline), elapsed: r.elapsedMs, hand: handRun(timeline)})
}
const after = tails.map((x) => x.afterExit)
const ratios = tails.map((x) => x.ratio)
check(Math.max(...after) <= 4000, `deprovisioning tail (7 s container, 8 s STOPPING/DEPROVISIONING), 100 runs: ecsops ends ${(median(after) / 1000).toFixed(2)} s after the container's exit (median), max ${(Math.max(...after) / 1000).toFixed(2)} s (target ≤ 4 s)`)
check(Math.max(...ratios) <= 0.65, `  against the hand-run procedure on the same task: ecsops ${(median(tails.map((x) => x.elapsed)) / 1000).toFixed(2)} s vs ${(median(tails.map((x) => x.hand)) / 1000).toFixed(2)} s (median), ratio median ${median(ratios).toFixed(2)}, max ${Math.max(...ratios).toFixed(2)} (target ≤ 0.65)`)

for (const line of lines) console.log(`migrate: ${line}`)
process.exit(ok ? 0 : 1)
