import type {CloudWatchLogsClient} from '@aws-sdk/client-cloudwatch-logs'
import type {ECSClient, RunTaskCommandInput, RunTaskCommandOutput, Task} from '@aws-sdk/client-ecs'
import {DescribeTasksCommand, RunTaskCommand, StopTaskCommand} from '@aws-sdk/client-ecs'
import {randomUUID} from 'node:crypto'

import {toEcsopsError} from '../aws/errors.js'
import {AwsCallError, EcsopsError} from '../errors.js'
import {ExitCode} from '../exit-codes.js'
import type {Progress, Ui} from '../ui/output.js'
import {annotation} from './annotation.js'
import {awslogsOf, pickContainer} from './container.js'
import {formatDuration, formatElapsed} from './duration.js'
import {LogFollower} from './logs.js'
import type {StartFailure} from './network.js'
import {exitCodeOf, pointsAtNetwork, type Outcome, type OutcomeKind} from './outcome.js'
import {buildRunTaskRequest, shellWords, type CommandChoice, type RequestOverrides} from './request.js'
import {clusterNameOf, taskIdOf} from '../aws/arn.js'
import {familyOf, namingTheCluster, resolveTarget, type Target} from './resolve.js'

/**
 * The signals that end a watched migration: each stops the task (unless --no-stop-on-interrupt)
 * and exits 128 + its number. SIGHUP (an SSH session dropped) and SIGQUIT (Ctrl-\\) would
 * otherwise kill ecsops at once and leave the task running unwatched.
 */
export const WATCHED_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT'] as const
export type SignalName = (typeof WATCHED_SIGNALS)[number]

/** Where the signals come from: `process` in the CLI, an EventEmitter in tests. */
export interface SignalSource {
  on(event: SignalName, listener: () => void): unknown
  off(event: SignalName, listener: () => void): unknown
}

export interface MigrateDeps {
  ecs: ECSClient
  /** The CloudWatch Logs client of a region (the log group's `awslogs-region`), created only when the logs are followed. */
  logs?: (region?: string) => Promise<CloudWatchLogsClient>
  /** The region the clients talk to. */
  region?: string
  ui: Ui
  now?: () => number
  /** Resolves after `ms`, or early when `signal` aborts. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>
  signals?: SignalSource
  /** Asks the user; only called when the Ui is interactive and --yes is absent. */
  confirm?: (message: string) => Promise<boolean>
  clientToken?: () => string
  /**
   * Explains a task that failed to start for a network reason (the endpoint audit); returns lines
   * to print. Its errors are reported as a warning and never change the exit code.
   */
  explainNetworkFailure?: (failure: StartFailure) => Promise<string[]>
}

export interface MigrateInput {
  cluster: string
  service?: string
  /** --container, ECSOPS_CONTAINER or the config file, with where it came from. */
  container?: {name: string; source: string}
  taskDefinition?: string
  latest?: boolean
  command: CommandChoice
  overrides: RequestOverrides
  timeoutMs: number
  wait: boolean
  followLogs: boolean
  dryRun: boolean
  yes: boolean
  stopOnTimeout: boolean
  stopOnInterrupt: boolean
  /** Time between two DescribeTasks calls (and two log reads). */
  pollIntervalMs: number
  /** After STOPPED: how long the log may still be arriving after the container exited. */
  logSettleMs?: number
  /** After STOPPED: the most time spent draining the log. */
  drainMaxMs?: number
  /** After StopTask: the most time spent waiting for STOPPED. */
  stopWaitMs?: number
}

/** The --json document (also the value the command returns). */
export interface MigrateResult {
  outcome: OutcomeKind | 'dry-run'
  /** ecsops's own exit code. */
  exit: number
  /** The overridden container's exit code; null when it has none. */
  exitCode: number | null
  cluster: string
  service: string | null
  taskArn: string | null
  taskDefinitionArn: string
  container: string
  /** null: the task definition's own command. */
  command: string[] | null
  commandSource: string
  lastStatus: string | null
  stopCode: string | null
  stoppedReason: string | null
  containerReason: string | null
  startedAt: string | null
  stoppedAt: string | null
  logGroup: string | null
  logStream: string | null
  logLines: number
  /** Why the task ended as it did, line by line. */
  reasons: string[]
  /** RunTask `failures`, when it started nothing. */
  failures?: Array<{arn: string | null; reason: string | null; detail: string | null}>
  /** --dry-run: the exact RunTask request. */
  request?: RunTaskCommandInput
}

const TRANSIENT = new Set(['ThrottlingException', 'TooManyRequestsException', 'ServerException', 'ServiceUnavailableException', 'InternalFailure', 'TimeoutError', 'RequestTimeout', 'ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EAI_AGAIN', 'ENOTFOUND'])
const MAX_TRANSIENT_ERRORS = 10
const MAX_MISSING = 10

export const defaultSleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    if (signal?.aborted) return resolve()
    const timer = setTimeout(done, Math.max(0, ms))
    function done() {
      clearTimeout(timer)
      signal?.removeEventListener('abort', done)
      resolve()
    }
    signal?.addEventListener('abort', done, {once: true})
  })

const iso = (d: Date | undefined) => (d ? new Date(d).toISOString() : null)

/**
 * `ecsops migrate`: resolve the service, start a one-off task with the overridden command,
 * follow its status and log, and return how it ended (with the exit code ecsops ends with).
 */
export async function migrate(deps: MigrateDeps, input: MigrateInput): Promise<MigrateResult> {
  const {ui, ecs} = deps
  const now = deps.now ?? Date.now
  const sleep = deps.sleep ?? defaultSleep
  const target: Target = await resolveTarget(ecs, {cluster: input.cluster, service: input.service, taskDefinition: input.taskDefinition, latest: input.latest})
  const td = target.taskDefinition
  const taskDefinitionArn = td.taskDefinitionArn ?? ''
  const revision = `${td.family ?? familyOf(taskDefinitionArn)}:${td.revision ?? '?'}`
  const container = pickContainer(td.containerDefinitions ?? [], input.container, `task definition ${revision}`)
  const definition = td.containerDefinitions?.find((c) => c.name === container.name)
  const command = input.command.command
  if (!command) {
    const own = definition?.command?.length ? shellWords(definition.command) : "the image's default command"
    ui.info(`No command given (after --, --command or migrate.command): container ${container.name} runs its task definition command: ${own}.`)
  }

  const request = buildRunTaskRequest({
    cluster: input.cluster,
    service: target.service,
    taskDefinitionArn,
    networkMode: td.networkMode,
    container: container.name,
    command,
    overrides: input.overrides,
    clientToken: input.dryRun ? undefined : (deps.clientToken ?? randomUUID)(),
  })

  const result: MigrateResult = {
    outcome: 'dry-run',
    exit: ExitCode.OK,
    exitCode: null,
    cluster: clusterNameOf(input.cluster),
    service: target.service?.name ?? null,
    taskArn: null,
    taskDefinitionArn,
    container: container.name,
    command: command ?? null,
    commandSource: input.command.source,
    lastStatus: null,
    stopCode: null,
    stoppedReason: null,
    containerReason: null,
    startedAt: null,
    stoppedAt: null,
    logGroup: null,
    logStream: null,
    logLines: 0,
    reasons: [],
  }
  const shownCommand = command ? shellWords(command) : '(its task definition command)'
  const where = `${result.cluster}${result.service ? `/${result.service}` : ''}`
  // The AWS CLI commands ecsops suggests name the region: the operator's default may be another.
  const inRegion = deps.region ? ` --region ${deps.region}` : ''

  if (input.dryRun) {
    ui.info(`Dry run: nothing is started. Container ${container.name} (${container.why}) of ${revision} (${target.taskDefinitionSource}) would run ${shownCommand} in ${where}.`)
    if (!ui.json) ui.out(JSON.stringify(request, null, 2))
    return {...result, request}
  }

  if (ui.interactive && !input.yes && deps.confirm) {
    let yes: boolean
    try {
      yes = await deps.confirm(`Run ${shownCommand} in container ${container.name} of ${revision} on ${where}?`)
    } catch (error) {
      // Ctrl-C at the question (inquirer's ExitPromptError): an interrupt, not a failure of the prompt.
      if ((error as Error).name !== 'ExitPromptError') throw error
      throw new EcsopsError('Cancelled (Ctrl-C): no task was started.', {exit: ExitCode.SIGINT, code: 'Cancelled'})
    }
    if (!yes) throw new EcsopsError('Cancelled: no task was started.', {exit: ExitCode.PROBLEMS, code: 'Cancelled'})
  }

  // Signals are handled from RunTask on: a task started while ecsops is being cancelled is stopped too.
  const signals = deps.signals ?? (process as unknown as SignalSource)
  let interrupted: SignalName | undefined
  let signalCount = 0
  let abort = new AbortController()
  const onSignal = (name: SignalName) => () => {
    signalCount++
    interrupted ??= name
    abort.abort()
  }
  const listeners = WATCHED_SIGNALS.map((name) => [name, onSignal(name)] as const)
  for (const [name, listener] of listeners) signals.on(name, listener)
  let progress: Progress | undefined
  let endGroup = () => {}

  try {
    // RunTask. Its own errors (invalid parameters, iam:PassRole denied) propagate: nothing started.
    let answer: RunTaskCommandOutput
    try {
      answer = await ecs.send(new RunTaskCommand(request))
    } catch (error) {
      // Without --service, RunTask is the first call that names the cluster.
      throw namingTheCluster(error, input.cluster)
    }
    let task = answer.tasks?.[0]
    if (!task?.taskArn) {
      const failures = (answer.failures ?? []).map((f) => ({arn: f.arn ?? null, reason: f.reason ?? null, detail: f.detail ?? null}))
      const text = failures.map((f) => `${f.reason ?? 'unknown reason'}${f.detail ? ` (${f.detail})` : ''}${f.arn ? ` on ${f.arn}` : ''}`).join('; ') || 'no task and no failure returned'
      const outcome: Outcome = {kind: 'never-ran', exit: ExitCode.NEVER_RAN, containerExitCode: null, summary: `RunTask started no task: ${text}`, details: [`RunTask started no task: ${text}`]}
      if (failures.some((f) => /RESOURCE:|capacity/i.test(`${f.reason}`))) outcome.details.push('The cluster has no room for the task: add capacity, lower --cpu/--memory, or use another capacity provider.')
      report(ui, outcome)
      return {...result, outcome: 'never-ran', exit: ExitCode.NEVER_RAN, failures, reasons: outcome.details}
    }

    const taskArn = task.taskArn as string
    const taskId = taskIdOf(taskArn)
    result.taskArn = taskArn
    result.lastStatus = task.lastStatus ?? null
    const logs = awslogsOf(definition, taskId)
    if ('group' in logs) {
      result.logGroup = logs.group
      result.logStream = logs.stream
    }
    ui.info(`Started task ${taskId} on ${where}: container ${container.name} of ${revision} runs ${shownCommand}.`)

    if (!input.wait) {
      ui.info(`Not waiting (--no-wait). Follow it with: aws ecs describe-tasks --cluster ${result.cluster} --tasks ${taskId}${inRegion}`)
      if (!ui.json) ui.out(taskArn)
      return {...result, outcome: 'started'}
    }

    let follower: LogFollower | undefined
    let grouped = false
    const resumeToken = `ecsops-${randomUUID()}`
    let progressText = ''
    /** The current status with the elapsed time at which it was reached, as CI prints it. */
    let reachedText = ''
    /**
     * A status line. In a terminal the spinner's elapsed time ticks and each finished status stays
     * on screen with the time it was reached (as in CI); without one (CI), one timestamped line per
     * status change.
     */
    const showProgress = (text: string, changed: boolean) => {
      if (ui.fancy && changed && progress) {
        progress.succeed(reachedText)
        progress = undefined
      }
      if (changed) reachedText = text
      progressText = changed ? text : `${reachedText} · ${text}`
      if (progress) progress.update(progressText)
      else progress = ui.spinner(progressText)
    }
    const emit = (line: string) => {
      if (ui.githubActions && !grouped) {
        ui.out(`::group::Log of container ${container.name} (task ${taskId})`)
        // The log is not ours: a line such as "::add-mask::" or "::error::" must not act as a workflow command.
        ui.out(`::stop-commands::${resumeToken}`)
        grouped = true
      }
      // A spinner and log lines share the terminal: pause it while a line is printed.
      if (ui.fancy && progress) {
        progress.stop()
        progress = undefined
      }
      ui.out(line)
    }
    const resumeProgress = () => {
      if (!progress && progressText) progress = ui.spinner(progressText)
    }
    endGroup = () => {
      if (grouped) {
        ui.out(`::${resumeToken}::`)
        ui.out('::endgroup::')
      }
      grouped = false
    }

    if (input.followLogs) {
      if ('none' in logs) ui.info(`Not following the log: container ${container.name} has no awslogs driver (${logs.none}).`)
      else if (deps.logs) {
        // The task is running now: a log client that cannot be made costs the log, never the wait.
        const client = await deps.logs(logs.region && logs.region !== deps.region ? logs.region : undefined).catch((error: unknown) => {
          ui.warn(`Not following the log of ${logs.group}/${logs.stream}: ${(error as Error).message}`)
          return undefined
        })
        if (client) {
          follower = new LogFollower(client, {
            group: logs.group,
            stream: logs.stream,
            emit: (line) => emit(line),
            onGiveUp: (message) => ui.warn(`Stopped following the log of ${logs.group}/${logs.stream}: ${message}`),
            onRetryableError: (message) => ui.debug(`GetLogEvents: ${message}`),
          })
        }
      }
    }

    const started = now()
    const deadline = started + input.timeoutMs
    const statusLine = (status: string) => `Task ${taskId} ${status} (${formatElapsed(now() - started)})`
    let lastStatus = task.lastStatus ?? 'PROVISIONING'
    let transientErrors = 0
    let missing = 0
    let timedOut = false
    showProgress(statusLine(lastStatus), true)

    const describe = async (): Promise<Task | undefined> => {
      try {
        const answer = await ecs.send(new DescribeTasksCommand({cluster: input.cluster, tasks: [taskArn]}))
        transientErrors = 0
        const found = answer.tasks?.find((t) => t.taskArn === taskArn)
        if (!found) {
          if (++missing > MAX_MISSING) throw new AwsCallError(`DescribeTasks no longer finds task ${taskId}: ${answer.failures?.[0]?.reason ?? 'MISSING'}.`, {code: 'TaskNotFound'})
          return undefined
        }
        missing = 0
        return found
      } catch (error) {
        const e = toEcsopsError(error, {command: 'migrate', region: deps.region})
        if (TRANSIENT.has(e.code ?? '') && ++transientErrors <= MAX_TRANSIENT_ERRORS) {
          ui.debug(`DescribeTasks failed (${transientErrors}/${MAX_TRANSIENT_ERRORS}), retrying: ${e.message}`)
          return undefined
        }
        throw new EcsopsError(e.message, {exit: e.exitCode, code: e.code, cause: error, hint: `${e.hint ? `${e.hint} ` : ''}Task ${taskArn} may still be running: aws ecs stop-task --cluster ${result.cluster} --task ${taskId}${inRegion}`})
      }
    }

    const follow = async () => {
      if (!follower || follower.givenUp) return
      await follower.read()
      resumeProgress()
    }

    /**
     * A container that is not essential can exit while the essential ones (a web server, a worker)
     * keep the task running: once it has exited, ecsops stops the task rather than wait for --timeout.
     * `sent` once StopTask was sent; `failed` when it could not be, and the wait ends there.
     */
    const afterExit: {stop: 'no' | 'sent' | 'failed'} = {stop: 'no'}
    const notEssential = definition?.essential === false
    const stopAfterExit = async (latest: Task) => {
      const mine = latest.containers?.find((c) => c.name === container.name)
      if (mine?.lastStatus !== 'STOPPED') return
      if (ui.fancy && progress) {
        progress.stop()
        progress = undefined
      }
      ui.info(`Container ${container.name} exited${typeof mine.exitCode === 'number' ? ` with code ${mine.exitCode}` : ''}; it is not essential, so the task would keep running: stopping task ${taskId}.`)
      try {
        await ecs.send(new StopTaskCommand({cluster: input.cluster, task: taskArn, reason: `Stopped by ecsops migrate: container ${container.name} exited`}))
        afterExit.stop = 'sent'
      } catch (error) {
        const e = toEcsopsError(error, {command: 'migrate', region: deps.region})
        ui.warn(`Could not stop task ${taskId} (${e.message}); its other containers keep running. Stop it with: aws ecs stop-task --cluster ${result.cluster} --task ${taskId}${inRegion}`)
        afterExit.stop = 'failed'
      }
      resumeProgress()
    }

    // Poll: one DescribeTasks per interval, then whatever the log has now.
    while (lastStatus !== 'STOPPED' && !interrupted && afterExit.stop !== 'failed') {
      const left = deadline - now()
      if (left <= 0) {
        timedOut = true
        break
      }
      await sleep(Math.min(input.pollIntervalMs, left), abort.signal)
      if (interrupted) break
      const latest = await describe()
      if (latest) {
        task = latest
        if (latest.lastStatus && latest.lastStatus !== lastStatus) {
          lastStatus = latest.lastStatus
          showProgress(statusLine(lastStatus), true)
        } else if (ui.fancy) showProgress(`${formatElapsed(now() - started)} elapsed`, false)
        if (notEssential && afterExit.stop === 'no' && lastStatus !== 'STOPPED') await stopAfterExit(latest)
      }
      if (lastStatus !== 'PROVISIONING' && lastStatus !== 'PENDING' && lastStatus !== 'ACTIVATING') await follow()
    }

    if (interrupted || timedOut) {
      // In a terminal the status the task had stays on screen, as every earlier one did.
      if (ui.fancy && progress) progress.succeed(reachedText)
      else progress?.stop()
      progress = undefined
      const why = interrupted ? `${interrupted} received` : `--timeout ${formatDuration(input.timeoutMs)} reached`
      const exit = interrupted ? ExitCode[interrupted] : ExitCode.TIMEOUT
      const stop = interrupted ? input.stopOnInterrupt : input.stopOnTimeout
      const reasons = [`${interrupted ? 'Interrupted' : 'Timed out'} after ${formatElapsed(now() - started)} (${why}) while task ${taskId} was ${lastStatus}.`]
      endGroup()
      ui.error(reasons[0])
      if (stop) {
        ui.info(`Stopping task ${taskId}…`)
        let stopped = true
        try {
          await ecs.send(new StopTaskCommand({cluster: input.cluster, task: taskArn, reason: `Stopped by ecsops migrate: ${why}`.slice(0, 255)}))
        } catch (error) {
          // The exit code stays the timeout's or the signal's; the user learns how to stop the task.
          const e = toEcsopsError(error, {command: 'migrate', region: deps.region})
          ui.error(`Could not stop task ${taskId}: ${e.message}`)
          ui.info(`  Stop it with: aws ecs stop-task --cluster ${result.cluster} --task ${taskId}${inRegion}`)
          reasons.push(`ecsops could not stop the task (${e.code ?? e.name}); it may still be running: ${taskArn}`)
          stopped = false
        }
        if (stopped) {
          reasons.push(`ecsops stopped the task (StopTask).`)
          // Wait briefly for STOPPED, showing the last log lines; a second signal ends the wait.
          abort = new AbortController()
          const signalsBefore = signalCount
          const stopDeadline = now() + (input.stopWaitMs ?? 10_000)
          while (lastStatus !== 'STOPPED' && now() < stopDeadline && signalCount === signalsBefore) {
            await sleep(Math.min(input.pollIntervalMs, stopDeadline - now()), abort.signal)
            if (signalCount !== signalsBefore) break
            const latest = await describe().catch(() => undefined)
            if (latest) {
              task = latest
              lastStatus = latest.lastStatus ?? lastStatus
            }
            if (follower && !follower.givenUp) await follower.read()
          }
          endGroup()
          ui.info(lastStatus === 'STOPPED' ? `Task ${taskId} STOPPED.` : `Task ${taskId} is ${lastStatus}; ECS is stopping it.`)
        }
      } else {
        const flag = interrupted ? '--no-stop-on-interrupt' : '--no-stop-on-timeout'
        reasons.push(`The task keeps running (${flag}): ${taskArn}`)
        ui.info(`Task ${taskArn} keeps running (${flag}).`)
        if (result.logGroup) ui.info(`  Follow its log: aws logs tail ${result.logGroup} --log-stream-names ${result.logStream} --follow${'group' in logs && logs.region ? ` --region ${logs.region}` : inRegion}`)
        ui.info(`  Its status:     aws ecs describe-tasks --cluster ${result.cluster} --tasks ${taskId}${inRegion}`)
        ui.info(`  Stop it:        aws ecs stop-task --cluster ${result.cluster} --task ${taskId}${inRegion}`)
      }
      if (ui.githubActions) annotate(ui, reasons.join(' '))
      const kind: OutcomeKind = interrupted ? (stop ? 'interrupted' : 'detached') : 'timeout'
      return {...fill(result, task, container.name, follower), outcome: kind, exit, reasons}
    }

    // STOPPED: drain the log. The last lines (usually the error) may still be arriving.
    // In a terminal the STOPPED line stays on screen, as every earlier status did.
    if (ui.fancy && progress) progress.succeed(reachedText)
    else progress?.stop()
    progress = undefined
    if (follower && !follower.givenUp) {
      const exitedAgo = task.stoppedAt && task.executionStoppedAt ? new Date(task.stoppedAt).getTime() - new Date(task.executionStoppedAt).getTime() : 0
      const detected = now()
      const settledAt = detected + Math.max(0, (input.logSettleMs ?? 3000) - Math.max(0, exitedAgo))
      const drainUntil = detected + (input.drainMaxMs ?? 5000)
      for (;;) {
        const read = await follower.read()
        if (read.missing || follower.givenUp) break
        if (read.atEnd && now() >= settledAt) break
        if (now() >= drainUntil) break
        if (read.atEnd || read.events === 0) {
          // Nothing new (or a throttled read): wait a little, never past the bounds.
          const until = read.atEnd ? Math.min(settledAt, drainUntil) : drainUntil
          await sleep(Math.max(1, Math.min(500, until - now())), abort.signal)
        }
        if (interrupted) break
      }
    }
    endGroup()

    const outcome = exitCodeOf(task, container.name, {stoppedByEcsops: afterExit.stop === 'sent'})
    ui.info(lastStatus === 'STOPPED' ? `Task ${taskId} STOPPED after ${formatElapsed(now() - started)}.` : `Container ${container.name} exited after ${formatElapsed(now() - started)}; task ${taskId} is still ${lastStatus}.`)
    if (outcome.kind === 'never-ran' && deps.explainNetworkFailure && !interrupted && pointsAtNetwork(`${task.stoppedReason} ${task.containers?.map((c) => c.reason).join(' ')}`)) {
      try {
        ui.info(`Auditing the VPC endpoints of the task's subnets… (Ctrl-C skips it)`)
        // The task has stopped: Ctrl-C (or a cancelled CI job) ends the audit, never the report.
        const skipped = new Promise<string[]>((resolve) => abort.signal.addEventListener('abort', () => resolve([]), {once: true}))
        const audit = deps.explainNetworkFailure({
          task,
          stoppedReason: task.stoppedReason ?? '',
          network: request.networkConfiguration?.awsvpcConfiguration,
          taskDefinition: td,
          launchType: request.launchType ?? (request.capacityProviderStrategy?.some((c) => /FARGATE/.test(c.capacityProvider ?? '')) ? 'FARGATE' : undefined),
          platformVersion: request.platformVersion,
        })
        const lines = await Promise.race([audit, skipped])
        if (interrupted) {
          audit.catch(() => {})
          ui.info(`Audit skipped (${interrupted} received).`)
        }
        outcome.details.push(...lines)
      } catch (error) {
        ui.warn(`Could not audit the network of the task: ${(error as Error).message}`)
      }
    }
    report(ui, outcome)
    return {...fill(result, task, container.name, follower), outcome: outcome.kind, exit: outcome.exit, exitCode: outcome.containerExitCode, reasons: outcome.details.length ? outcome.details : [outcome.summary]}
  } finally {
    endGroup()
    progress?.stop()
    for (const [name, listener] of listeners) signals.off(name, listener)
  }
}

/** The task's final facts copied into the result. */
function fill(result: MigrateResult, task: Task, containerName: string, follower: LogFollower | undefined): MigrateResult {
  const container = task.containers?.find((c) => c.name === containerName)
  return {
    ...result,
    lastStatus: task.lastStatus ?? result.lastStatus,
    stopCode: task.stopCode ?? null,
    stoppedReason: task.stoppedReason ?? null,
    containerReason: container?.reason ?? null,
    exitCode: typeof container?.exitCode === 'number' ? container.exitCode : null,
    startedAt: iso(task.startedAt),
    stoppedAt: iso(task.stoppedAt),
    logLines: follower?.emitted ?? 0,
  }
}

/**
 * A GitHub Actions error annotation. Workflow commands are read from stdout (ui.out); under
 * --json, where stdout holds only the document, ui.out writes it to stderr instead.
 */
function annotate(ui: Ui, message: string): void {
  ui.out(annotation('error', message))
}

/** Prints how the task ended; a failure also as a GitHub Actions annotation. */
function report(ui: Ui, outcome: Outcome): void {
  if (outcome.kind === 'succeeded') {
    ui.info(ui.color.green(outcome.summary))
    for (const line of outcome.details) ui.warn(line)
    if (ui.githubActions && outcome.details.length > 0) ui.out(annotation('warning', outcome.details.join('\n')))
    return
  }
  ui.error(outcome.summary)
  for (const line of outcome.details) if (line !== outcome.summary) ui.info(`  ${line}`)
  if (ui.githubActions) annotate(ui, [outcome.summary, ...outcome.details.filter((l) => l !== outcome.summary)].join('\n'))
}
