import type {CloudWatchLogsClient} from '@aws-sdk/client-cloudwatch-logs'
import type {ContainerDefinition, ECSClient, RunTaskCommandInput, RunTaskCommandOutput, Task} from '@aws-sdk/client-ecs'
import {DescribeTasksCommand, RunTaskCommand, StopTaskCommand} from '@aws-sdk/client-ecs'
import {randomUUID} from 'node:crypto'

import {toEcsopsError} from '../aws/errors.js'
import {AwsCallError, EcsopsError} from '../errors.js'
import {cancelled} from '../ui/prompt.js'
import {ExitCode} from '../exit-codes.js'
import type {Progress, Ui} from '../ui/output.js'
import {safeForTerminal} from '../ui/terminal-text.js'
import {annotation} from './annotation.js'
import {appendCiFile, githubOutputs, gitlabSection, jobSummary} from './ci.js'
import {awslogsOf, pickContainer} from './container.js'
import {formatDuration, formatElapsed} from './duration.js'
import {LogFollower} from './logs.js'
import type {StartFailure} from './network.js'
import type {MigratePreflightInput} from '../preflight/run.js'
import type {PreflightResult} from '../preflight/model.js'
import {exitCodeOf, pointsAtStartFailure, type Outcome, type OutcomeKind, type Reason} from './outcome.js'
import {buildRunTaskRequest, maskedRequest, replacesSpot, shellWords, type CommandChoice, type RequestOverrides} from './request.js'
import {capacityKind, checkFargateSize, checkRunTaskLimits, cloneWarnings} from './clone.js'
import {clusterNameOf, taskIdOf} from '../aws/arn.js'
import {familyOf, namingTheCluster, resolveTarget, type Target} from './resolve.js'
import {runTaskFailureHint} from './failures.js'
import {drainWindow, TERMINAL_STATUSES, watchVerdict} from './watch.js'

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
  /** Asks the user; only called when stdin is a terminal (ui.promptable) and --yes is absent. */
  confirm?: (message: string) => Promise<boolean>
  /** What the confirmation shows besides the run itself: the profile, the config environment, the account. */
  context?: {profile?: string; env?: string; account?: string}
  clientToken?: () => string
  /**
   * Explains a task that failed to start (the preflight's checks: network, execution role,
   * references); returns lines to print. Its errors are reported as a warning and never change the exit code.
   */
  explainStartFailure?: (failure: StartFailure) => Promise<string[]>
  /** `--preflight`: the checks of `ecsops preflight` on the exact RunTask request; `lines` are the failing results. */
  preflight?: (input: MigratePreflightInput, onProgress: (text: string) => void) => Promise<{ok: boolean; lines: string[]; results: PreflightResult[]}>
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
  /** --wait-stopped: wait for the task's STOPPED instead of ending at the container's exit. */
  waitStopped?: boolean
  /** --show-values: --dry-run prints environment values instead of *** (names are always shown). */
  showValues?: boolean
  /** --preflight (or migrate.preflight): ecsops preflight's checks before RunTask. */
  preflight?: boolean
}

/** The --json document (also the value the command returns). */
export interface MigrateResult {
  outcome: OutcomeKind | 'dry-run' | 'preflight'
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
  /**
   * How the wait ended: `container-exit` (the container's result is final; ECS still deprovisions
   * the task, `lastStatus` says how far it was), `task-stopped`, or null (not watched to the end).
   */
  finishedAt: 'container-exit' | 'task-stopped' | null
  /** Why the task ended as it did: a stable code and the sentence. */
  reasons: Reason[]
  /** Warnings about the run that do not change the exit code (a log stream that never appeared …). */
  warnings: Reason[]
  /** RunTask `failures`, when it started nothing. */
  failures?: Array<{arn: string | null; reason: string | null; detail: string | null}>
  /** --dry-run: the exact RunTask request. */
  request?: RunTaskCommandInput
  /** `--preflight`: every check's result (`ecsops preflight`'s shape). */
  preflight?: PreflightResult[]
}

/** Errors worth retrying while a started task is watched: the task runs on whatever the network does. */
const TRANSIENT = new Set(['ThrottlingException', 'TooManyRequestsException', 'ServerException', 'ServiceUnavailableException', 'InternalFailure', 'TimeoutError', 'RequestTimeout', 'ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EAI_AGAIN', 'ENOTFOUND', 'EHOSTUNREACH', 'EPIPE', 'NetworkingError'])
const MAX_MISSING = 10
/** Longest wait between two DescribeTasks calls while AWS cannot be reached. */
const MAX_BACKOFF_MS = 15_000
/**
 * After the container exited, how long the log may still be arriving. The awslogs driver flushes
 * its buffer when the container stops, before ECS reports it STOPPED (Docker's awslogs driver:
 * Close drains the publisher), so late lines are those CloudWatch has not yet made readable.
 */
export const DEFAULT_LOG_SETTLE_MS = 1500
/** Log lines kept for the job summary of a failed run. */
const LAST_LINES = 20

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
const reasonsOf = (lines: string[], code: string): Reason[] => lines.map((message) => ({code, message}))

/** What `migrate` settled before anything starts: the target, the container, the exact RunTask request. */
interface Plan {
  target: Target
  revision: string
  container: {name: string; why: string}
  definition: ContainerDefinition | undefined
  command: string[] | undefined
  request: RunTaskCommandInput
  result: MigrateResult
  shownCommand: string
  where: string
  /** ` --region R` for the AWS CLI commands ecsops suggests (the operator's default may be another). */
  inRegion: string
}

/**
 * `ecsops migrate`, read top-down: resolve the service and build the request (plan), confirm,
 * then start the task, watch it until its result is final, drain the log and report the outcome.
 */
export async function migrate(deps: MigrateDeps, input: MigrateInput): Promise<MigrateResult> {
  const plan = await planRun(deps, input)
  // The checks come before the question and the dry run: nobody should confirm a task that cannot start.
  const refused = input.preflight ? await preflight(deps, plan) : undefined
  if (refused) return refused
  if (input.dryRun) return dryRun(deps.ui, plan, input.showValues ?? false)
  await confirmRun(deps, input, plan)
  return new Supervision(deps, input, plan).run()
}

/**
 * `--preflight`: the checks of `ecsops preflight` on the exact RunTask request. When one fails
 * nothing is started: the failing results go to stderr and the run ends with exit 125 (the
 * task never ran), outcome `preflight`. A preflight that cannot run at all is an error (exit 3).
 */
async function preflight(deps: MigrateDeps, plan: Plan): Promise<MigrateResult | undefined> {
  const {ui} = deps
  if (!deps.preflight) throw new Error('migrate --preflight needs the preflight checks')
  const spinner = ui.spinner('Preflight: will this task start?')
  let checked: Awaited<ReturnType<NonNullable<MigrateDeps['preflight']>>>
  try {
    checked = await deps.preflight({region: deps.region ?? '', taskDefinition: plan.target.taskDefinition, service: plan.target.service, request: plan.request}, (text) => spinner.update(text))
  } catch (error) {
    spinner.fail('Preflight could not run')
    throw error
  }
  const counted = (status: string) => checked.results.filter((r) => r.status === status).length
  if (checked.ok) {
    spinner.succeed(`Preflight: ${counted('ok')} ok, ${counted('warn')} warning(s), ${counted('skip')} skipped`)
    for (const r of checked.results.filter((x) => x.status === 'warn')) ui.warn(`${r.title}: ${r.detail}`)
    return undefined
  }
  spinner.fail(`Preflight: ${counted('fail')} check(s) failed; no task was started`)
  for (const line of checked.lines) ui.info(line)
  const reasons: Reason[] = checked.results.filter((r) => r.status === 'fail').map((r) => ({code: r.code ?? 'PREFLIGHT', message: `${r.title}: ${r.detail}`}))
  if (ui.githubActions) annotate(ui, `Preflight: the task would not start, so none was started.\n${reasons.map((r) => r.message).join('\n')}`)
  return writeCiFiles(ui, {...plan.result, outcome: 'preflight', exit: ExitCode.NEVER_RAN, reasons, preflight: checked.results}, {duration: '-', lastLines: []})
}

async function planRun(deps: MigrateDeps, input: MigrateInput): Promise<Plan> {
  const {ui, ecs} = deps
  const target: Target = await resolveTarget(ecs, {cluster: input.cluster, service: input.service, taskDefinition: input.taskDefinition, latest: input.latest})
  const td = target.taskDefinition
  const taskDefinitionArn = td.taskDefinitionArn ?? ''
  const revision = `${td.family ?? familyOf(taskDefinitionArn)}:${td.revision ?? '?'}`
  const container = pickContainer(td.containerDefinitions ?? [], input.container, `task definition ${revision}`)
  const definition = td.containerDefinitions?.find((c) => c.name === container.name)
  const command = input.command.command
  if (!command) {
    const own = definition?.command?.length ? shellWords(definition.command) : "the image's default command"
    ui.info(`Container ${container.name} runs its task definition's own command (${input.command.source}): ${own}.`)
  }
  const requestPlan = {
    cluster: input.cluster,
    service: target.service,
    taskDefinitionArn,
    networkMode: td.networkMode,
    volumesConfiguredAtLaunch: (td.volumes ?? []).filter((v) => v.configuredAtLaunch).map((v) => v.name ?? ''),
    container: container.name,
    command,
    overrides: input.overrides,
    clientToken: input.dryRun ? undefined : (deps.clientToken ?? randomUUID)(),
  }
  const request = buildRunTaskRequest(requestPlan)
  // What AWS would reject is exit 2 here, before RunTask and before --dry-run prints it.
  checkRunTaskLimits(request)
  if (capacityKind(request) === 'fargate') checkFargateSize(input.overrides.taskCpu, input.overrides.taskMemory, td)
  for (const warning of cloneWarnings(target.service?.settings, {serviceName: target.service?.name, revisionRun: revision, spotReplaced: replacesSpot(requestPlan), definition, command})) ui.warn(warning)
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
    finishedAt: null,
    reasons: [],
    warnings: [],
  }
  const where = `${result.cluster}${result.service ? `/${result.service}` : ''}`
  return {target, revision, container, definition, command, request, result, shownCommand: command ? shellWords(command) : '(its task definition command)', where, inRegion: deps.region ? ` --region ${deps.region}` : ''}
}

function dryRun(ui: Ui, plan: Plan, showValues: boolean): MigrateResult {
  ui.info(`Dry run: nothing is started. Container ${plan.container.name} (${plan.container.why}) of ${plan.revision} (${plan.target.taskDefinitionSource}) would run ${plan.shownCommand} in ${plan.where}.`)
  // The image's own ENTRYPOINT is in its image configuration, not the task definition: ecsops cannot see it.
  if (plan.command && !plan.definition?.entryPoint?.length) ui.info(`If the image itself has an ENTRYPOINT (not visible in the task definition), the command becomes its arguments.`)
  // Environment values may be secrets and a dry run's output ends up in CI logs: masked, as --debug masks them.
  const request = showValues ? plan.request : maskedRequest(plan.request)
  if (!ui.json) ui.out(JSON.stringify(request, null, 2))
  return {...plan.result, request}
}

/** The question asked before a task starts, with what an operator checks before saying yes. */
export function confirmationText(plan: Pick<Plan, 'shownCommand' | 'container' | 'revision' | 'where'>, input: Pick<MigrateInput, 'overrides' | 'timeoutMs'>, context: {region?: string; profile?: string; env?: string; account?: string}): string {
  const envNames = Object.keys(input.overrides.environment ?? {})
  const lines = [
    `Run ${plan.shownCommand}`,
    `  in container ${plan.container.name} of ${plan.revision}`,
    `  on ${plan.where}${context.region ? ` (${context.region})` : ''}${context.account ? `, account ${context.account}` : ''}${context.profile ? `, profile ${context.profile}` : ''}${context.env ? `, environment ${context.env}` : ''}`,
  ]
  if (envNames.length > 0) lines.push(`  with environment variables ${envNames.join(', ')}`)
  lines.push(`  for at most ${formatDuration(input.timeoutMs)}?`)
  return lines.join('\n')
}

async function confirmRun(deps: MigrateDeps, input: MigrateInput, plan: Plan): Promise<void> {
  const {ui} = deps
  // Asked whenever stdin is a terminal (on stderr): `ecsops migrate … | tee log` must still ask.
  if (!(ui.promptable && !input.yes && deps.confirm)) return
  let yes: boolean
  try {
    yes = await deps.confirm(confirmationText(plan, input, {region: deps.region, ...deps.context}))
  } catch (error) {
    // Ctrl-C at the question is an interrupt (exit 130); Ctrl-D (end of input) is a "no".
    if ((error as Error).name === 'ExitPromptError' && !/SIGINT/.test((error as Error).message)) yes = false
    else cancelled(error, 'no task was started')
  }
  if (!yes) throw new EcsopsError('Cancelled: no task was started.', {exit: ExitCode.PROBLEMS, code: 'Cancelled'})
}

/**
 * A started task, watched to its end: the status loop, the log, signals, and what is printed.
 * Each step is a method; `run()` reads top-down.
 */
class Supervision {
  private readonly ui: Ui
  private readonly ecs: ECSClient
  private readonly now: () => number
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>
  private readonly signals: SignalSource
  private readonly listeners: Array<readonly [SignalName, () => void]>
  private interrupted: SignalName | undefined
  private signalCount = 0
  private abort = new AbortController()
  private progress: Progress | undefined
  private progressText = ''
  /** The current status with the elapsed time at which it was reached, as CI prints it. */
  private reachedText = ''
  private follower: LogFollower | undefined
  private readonly lastLines: string[] = []
  private logOpen = false
  private readonly resumeToken = `ecsops-${randomUUID()}`
  private task: Task = {}
  private taskId = ''
  private lastStatus = 'PROVISIONING'
  private started = 0
  private unreachableSince: number | undefined
  private failedCalls = 0
  private missing = 0
  /** StopTask for a non-essential container that exited: `sent`, or `failed` (the wait ends there). */
  private stopAfterExit: 'no' | 'sent' | 'failed' = 'no'

  constructor(
    private readonly deps: MigrateDeps,
    private readonly input: MigrateInput,
    private readonly plan: Plan,
  ) {
    this.ui = deps.ui
    this.ecs = deps.ecs
    this.now = deps.now ?? Date.now
    this.sleep = deps.sleep ?? defaultSleep
    this.signals = deps.signals ?? (process as unknown as SignalSource)
    this.listeners = WATCHED_SIGNALS.map((name) => [name, () => this.onSignal(name)] as const)
  }

  private get result(): MigrateResult {
    return this.plan.result
  }

  private onSignal(name: SignalName): void {
    this.signalCount++
    // The first signal decides the exit code; a second only ends the waits sooner.
    this.interrupted ??= name
    this.abort.abort()
  }

  async run(): Promise<MigrateResult> {
    // Signals are handled from RunTask on: a task started while ecsops is being cancelled is stopped too.
    for (const [name, listener] of this.listeners) this.signals.on(name, listener)
    try {
      const failure = await this.start()
      if (failure) return failure
      if (!this.input.wait) return this.detach()
      await this.openLog()
      const end = await this.watch()
      if (end === 'interrupted' || end === 'timeout') return await this.endEarly(end)
      await this.drain()
      return await this.conclude(end)
    } finally {
      this.closeLog()
      this.progress?.stop()
      for (const [name, listener] of this.listeners) this.signals.off(name, listener)
    }
  }

  /** RunTask. Its own errors (invalid parameters, iam:PassRole denied) propagate: nothing started. A `failures` answer is the result. */
  private async start(): Promise<MigrateResult | undefined> {
    const {ui, plan, input} = this
    let answer: RunTaskCommandOutput
    try {
      answer = await this.ecs.send(new RunTaskCommand(plan.request))
    } catch (error) {
      throw this.unknownStart(namingTheCluster(error, input.cluster))
    }
    const task = answer.tasks?.[0]
    if (!task?.taskArn) {
      const failures = (answer.failures ?? []).map((f) => ({arn: f.arn ?? null, reason: f.reason ?? null, detail: f.detail ?? null}))
      const text = failures.map((f) => `${f.reason ?? 'unknown reason'}${f.detail ? ` (${f.detail})` : ''}${f.arn ? ` on ${f.arn}` : ''}`).join('; ') || 'no task and no failure returned'
      const hints = [...new Set(failures.map((f) => runTaskFailureHint(f.reason)).filter((h): h is string => Boolean(h)))]
      const outcome: Outcome = {kind: 'never-ran', exit: ExitCode.NEVER_RAN, containerExitCode: null, summary: `RunTask started no task: ${text}`, details: [{code: 'RUNTASK_FAILURE', message: `RunTask started no task: ${text}`}, ...reasonsOf(hints, 'RUNTASK_FAILURE_HINT')]}
      this.report(outcome)
      return this.finishCi({...this.result, outcome: 'never-ran', exit: ExitCode.NEVER_RAN, failures, reasons: outcome.details})
    }
    this.task = task
    this.taskId = taskIdOf(task.taskArn)
    this.lastStatus = task.lastStatus ?? 'PROVISIONING'
    this.result.taskArn = task.taskArn
    this.result.lastStatus = task.lastStatus ?? null
    const logs = awslogsOf(plan.definition, this.taskId)
    if ('group' in logs) {
      this.result.logGroup = logs.group
      this.result.logStream = logs.stream
    }
    ui.info(`Started task ${this.taskId} on ${plan.where}: container ${plan.container.name} of ${plan.revision} runs ${plan.shownCommand}.`)
    return undefined
  }

  /**
   * RunTask failed after the SDK's retries with an error that is not the request's fault (a reset,
   * a timeout, a 5xx): the task may have started anyway. Say how to find it; the client token makes
   * a retry of the same request within 24 hours start no second task (RunTask, clientToken).
   */
  private unknownStart(error: unknown): unknown {
    const e = toEcsopsError(error, {command: 'migrate', region: this.deps.region})
    if (!TRANSIENT.has(e.code ?? '') && !/^5\d\d$/.test(String((error as {$metadata?: {httpStatusCode?: number}}).$metadata?.httpStatusCode ?? ''))) return error
    const {request} = this.plan
    return new EcsopsError(`RunTask did not answer (${e.code ?? e.name}): a task may have started anyway.`, {
      exit: e.exitCode,
      code: e.code,
      cause: error,
      hint: `Look for it: aws ecs list-tasks --cluster ${this.result.cluster} --started-by ${request.startedBy ?? 'ecsops'}${this.plan.inRegion} (client token ${request.clientToken ?? 'none'}).`,
    })
  }

  private detach(): MigrateResult {
    this.ui.info(`Not waiting (--no-wait). Follow it with: aws ecs describe-tasks --cluster ${this.result.cluster} --tasks ${this.taskId}${this.plan.inRegion}`)
    if (!this.ui.json) this.ui.out(this.result.taskArn ?? '')
    return {...this.result, outcome: 'started'}
  }

  // ------------------------------------------------------------------ the log

  private logRegion(): string | undefined {
    const logs = awslogsOf(this.plan.definition, this.taskId)
    return 'group' in logs ? logs.region : undefined
  }

  private async openLog(): Promise<void> {
    const {ui, deps, plan} = this
    if (!this.input.followLogs) return
    const logs = awslogsOf(plan.definition, this.taskId)
    if ('none' in logs) {
      ui.info(`Not following the log: container ${plan.container.name} has no awslogs driver (${logs.none}).`)
      return
    }
    if (!deps.logs) return
    // The task is running now: a log client that cannot be made costs the log, never the wait.
    const client = await deps.logs(logs.region && logs.region !== deps.region ? logs.region : undefined).catch((error: unknown) => {
      this.warn('LOG_UNAVAILABLE', `Not following the log of ${logs.group}/${logs.stream}: ${(error as Error).message}`)
      return undefined
    })
    if (!client) return
    this.follower = new LogFollower(client, {
      group: logs.group,
      stream: logs.stream,
      emit: (line) => this.emit(line),
      onGiveUp: (message) => this.warn('LOG_GIVEN_UP', `Stopped following the log of ${logs.group}/${logs.stream}: ${message}`),
      onRetryableError: (message) => ui.debug(`GetLogEvents: ${message}`),
    })
  }

  /** One log line on stdout, inside a GitHub group or GitLab section opened at the first line. */
  private emit(line: string): void {
    const {ui} = this
    if (!this.logOpen) {
      const title = `Log of container ${this.plan.container.name} (task ${this.taskId})`
      if (ui.githubActions) {
        ui.out(`::group::${title}`)
        // The log is not ours: a line such as "::add-mask::" or "::error::" must not act as a workflow command.
        ui.out(`::stop-commands::${this.resumeToken}`)
      } else if (ui.env.GITLAB_CI === 'true') ui.out(gitlabSection('start', 'ecsops_migrate_log', Math.floor(this.now() / 1000), title))
      this.logOpen = true
    }
    // A spinner and log lines share the terminal: pause it while a line is printed.
    if (ui.fancy && this.progress) {
      this.progress.stop()
      this.progress = undefined
    }
    this.lastLines.push(line)
    if (this.lastLines.length > LAST_LINES) this.lastLines.shift()
    ui.out(ui.stdoutIsTerminal ? safeForTerminal(line) : line)
  }

  private closeLog(): void {
    if (!this.logOpen) return
    if (this.ui.githubActions) {
      this.ui.out(`::${this.resumeToken}::`)
      this.ui.out('::endgroup::')
    } else if (this.ui.env.GITLAB_CI === 'true') this.ui.out(gitlabSection('end', 'ecsops_migrate_log', Math.floor(this.now() / 1000)))
    this.logOpen = false
  }

  private async follow(): Promise<void> {
    if (!this.follower || this.follower.givenUp) return
    const read = await this.follower.read()
    if (read.missing) this.noteMissingStream()
    this.resumeProgress()
  }

  /** A stream that has not appeared once the container ran, or that has gone: said once (and in --json), never an error. */
  private noteMissingStream(): void {
    if (this.result.warnings.some((w) => w.code === 'LOG_STREAM_MISSING')) return
    if (this.lastStatus === 'PROVISIONING' || this.lastStatus === 'PENDING' || this.lastStatus === 'ACTIVATING') return
    if (this.follower && this.follower.emitted > 0) return this.warn('LOG_STREAM_MISSING', `The log stream ${this.result.logGroup}/${this.result.logStream} has gone: the rest of the log cannot be shown.`)
    if (this.lastStatus === 'RUNNING') return
    this.warn('LOG_STREAM_MISSING', `The log stream ${this.result.logGroup}/${this.result.logStream} does not exist: the container wrote nothing, or its log went elsewhere.`)
  }

  // ------------------------------------------------------------------ status lines

  private warn(code: string, message: string): void {
    this.result.warnings.push({code, message})
    if (this.ui.fancy && this.progress) {
      this.progress.stop()
      this.progress = undefined
    }
    this.ui.warn(message)
    this.resumeProgress()
  }

  private statusLine(status: string): string {
    return `Task ${this.taskId} ${status} (${formatElapsed(this.now() - this.started)})`
  }

  /**
   * A status line. In a terminal the spinner's elapsed time ticks and each finished status stays
   * on screen with the time it was reached (as in CI), with a neutral mark (a ✔ is kept for what
   * succeeded); without one (CI), one timestamped line per status change.
   */
  private showProgress(text: string, changed: boolean): void {
    const {ui} = this
    if (ui.fancy && changed && this.progress) {
      this.progress.persist(this.reachedText)
      this.progress = undefined
    }
    if (changed) this.reachedText = text
    this.progressText = changed ? text : `${this.reachedText} · ${text}`
    if (this.progress) this.progress.update(this.progressText)
    else this.progress = ui.spinner(this.progressText)
  }

  private resumeProgress(): void {
    if (!this.progress && this.progressText) this.progress = this.ui.spinner(this.progressText)
  }

  /** Ends the spinner; in a terminal the status reached stays on screen. */
  private settleProgress(): void {
    if (this.ui.fancy && this.progress) this.progress.persist(this.reachedText)
    else this.progress?.stop()
    this.progress = undefined
  }

  // ------------------------------------------------------------------ the wait

  /** One DescribeTasks. Transient failures (the network, throttling, 5xx) are retried until --timeout: the task runs on. */
  private async describe(): Promise<Task | undefined> {
    const {input, ui} = this
    const taskArn = this.result.taskArn as string
    try {
      const answer = await this.ecs.send(new DescribeTasksCommand({cluster: input.cluster, tasks: [taskArn]}))
      if (this.unreachableSince !== undefined) ui.info(`AWS answers again (unreachable for ${formatElapsed(this.now() - this.unreachableSince)}).`)
      this.unreachableSince = undefined
      this.failedCalls = 0
      const found = answer.tasks?.find((t) => t.taskArn === taskArn)
      if (!found) {
        if (++this.missing > MAX_MISSING) throw new AwsCallError(`DescribeTasks no longer finds task ${this.taskId}: ${answer.failures?.[0]?.reason ?? 'MISSING'}.`, {code: 'TaskNotFound'})
        return undefined
      }
      this.missing = 0
      return found
    } catch (error) {
      if (error instanceof EcsopsError) throw error
      const e = toEcsopsError(error, {command: 'migrate', region: this.deps.region})
      const status = (error as {$metadata?: {httpStatusCode?: number}}).$metadata?.httpStatusCode ?? 0
      if (TRANSIENT.has(e.code ?? '') || status >= 500) {
        this.failedCalls++
        if (this.unreachableSince === undefined) {
          this.unreachableSince = this.now()
          this.showProgress(`AWS unreachable since ${new Date().toISOString().slice(11, 19)} (${e.code ?? e.name}); task ${this.taskId} was ${this.lastStatus}, retrying until --timeout`, false)
        }
        ui.debug(`DescribeTasks failed (${this.failedCalls} in a row), retrying: ${e.message}`)
        return undefined
      }
      throw new EcsopsError(e.message, {exit: e.exitCode, code: e.code, cause: error, hint: `${e.hint ? `${e.hint} ` : ''}Task ${taskArn} may still be running: aws ecs stop-task --cluster ${this.result.cluster} --task ${this.taskId}${this.plan.inRegion}`})
    }
  }

  /** The time to the next DescribeTasks: the poll interval, doubled per failed call while AWS is unreachable. */
  private nextPollMs(left: number): number {
    const backoff = this.failedCalls > 0 ? Math.min(MAX_BACKOFF_MS, this.input.pollIntervalMs * 2 ** Math.min(this.failedCalls, 10)) : this.input.pollIntervalMs
    return Math.min(backoff, left)
  }

  /** Polls until the container's result is final (or the task STOPPED), a signal, or --timeout. */
  private async watch(): Promise<'container-exit' | 'task-stopped' | 'interrupted' | 'timeout' | 'stop-failed'> {
    const {input, plan, ui} = this
    this.started = this.now()
    const deadline = this.started + input.timeoutMs
    const options = {waitStopped: input.waitStopped ?? false, notEssential: plan.definition?.essential === false}
    this.showProgress(this.statusLine(this.lastStatus), true)
    for (;;) {
      const left = deadline - this.now()
      if (left <= 0) return 'timeout'
      await this.sleep(this.nextPollMs(left), this.abort.signal)
      if (this.interrupted) return 'interrupted'
      const latest = await this.describe()
      if (latest) {
        this.task = latest
        if (latest.lastStatus && latest.lastStatus !== this.lastStatus) {
          this.lastStatus = latest.lastStatus
          this.showProgress(this.statusLine(this.lastStatus), true)
        } else if (ui.fancy && this.unreachableSince === undefined) this.showProgress(`${formatElapsed(this.now() - this.started)} elapsed`, false)
        const verdict = watchVerdict(latest, plan.container.name, {...options, stopSent: this.stopAfterExit !== 'no'})
        if (verdict.kind === 'task-stopped') return 'task-stopped'
        if (verdict.kind === 'stop-task' && !(await this.stopNonEssential(latest))) return 'stop-failed'
        if (verdict.kind === 'container-exit') return 'container-exit'
      }
      if (this.lastStatus !== 'PROVISIONING' && this.lastStatus !== 'PENDING' && this.lastStatus !== 'ACTIVATING') await this.follow()
    }
  }

  /**
   * A container that is not essential can exit while the essential ones (a web server, a worker)
   * keep the task running: once it has exited, ecsops stops the task rather than wait for --timeout.
   */
  private async stopNonEssential(latest: Task): Promise<boolean> {
    const {ui, plan} = this
    const mine = latest.containers?.find((c) => c.name === plan.container.name)
    if (ui.fancy && this.progress) {
      this.progress.stop()
      this.progress = undefined
    }
    ui.info(`Container ${plan.container.name} exited${typeof mine?.exitCode === 'number' ? ` with code ${mine.exitCode}` : ''}; it is not essential, so the task would keep running: stopping task ${this.taskId}.`)
    try {
      await this.ecs.send(new StopTaskCommand({cluster: this.input.cluster, task: this.result.taskArn as string, reason: `Stopped by ecsops migrate: container ${plan.container.name} exited`}))
      this.stopAfterExit = 'sent'
    } catch (error) {
      const e = toEcsopsError(error, {command: 'migrate', region: this.deps.region})
      ui.warn(`Could not stop task ${this.taskId} (${e.message}); its other containers keep running. Stop it with: aws ecs stop-task --cluster ${this.result.cluster} --task ${this.taskId}${this.plan.inRegion}`)
      this.stopAfterExit = 'failed'
    }
    this.resumeProgress()
    return this.stopAfterExit === 'sent'
  }

  /** A signal or --timeout ended the wait: stop the task (unless told not to) and report how. */
  private async endEarly(end: 'interrupted' | 'timeout'): Promise<MigrateResult> {
    const {ui, input, result} = this
    this.settleProgress()
    const interrupted = end === 'interrupted' ? this.interrupted : undefined
    const why = interrupted ? `${interrupted} received` : `--timeout ${formatDuration(input.timeoutMs)} reached`
    const exit = interrupted ? ExitCode[interrupted] : ExitCode.TIMEOUT
    const stop = interrupted ? input.stopOnInterrupt : input.stopOnTimeout
    const reasons: Reason[] = [{code: interrupted ? 'INTERRUPTED' : 'TIMEOUT', message: `${interrupted ? 'Interrupted' : 'Timed out'} after ${formatElapsed(this.now() - this.started)} (${why}) while task ${this.taskId} was ${this.lastStatus}.`}]
    this.closeLog()
    ui.error(reasons[0]!.message)
    if (stop) reasons.push(...(await this.stopTask(why)))
    else {
      const flag = interrupted ? '--no-stop-on-interrupt' : '--no-stop-on-timeout'
      reasons.push({code: 'DETACHED', message: `The task keeps running (${flag}): ${result.taskArn}`})
      ui.info(`Task ${result.taskArn} keeps running (${flag}).`)
      if (result.logGroup) ui.info(`  Follow its log: ${this.tailCommand(true)}`)
      ui.info(`  Its status:     aws ecs describe-tasks --cluster ${result.cluster} --tasks ${this.taskId}${this.plan.inRegion}`)
      ui.info(`  Stop it:        aws ecs stop-task --cluster ${result.cluster} --task ${this.taskId}${this.plan.inRegion}`)
    }
    if (ui.githubActions) annotate(ui, reasons.map((r) => r.message).join(' '))
    const kind: OutcomeKind = interrupted ? (stop ? 'interrupted' : 'detached') : 'timeout'
    return this.finishCi({...this.filled(), outcome: kind, exit, reasons})
  }

  /** StopTask, then a short wait for STOPPED showing the last log lines; a second signal ends the wait. */
  private async stopTask(why: string): Promise<Reason[]> {
    const {ui, input, result} = this
    ui.info(`Stopping task ${this.taskId}…`)
    try {
      await this.ecs.send(new StopTaskCommand({cluster: input.cluster, task: result.taskArn as string, reason: `Stopped by ecsops migrate: ${why}`.slice(0, 255)}))
    } catch (error) {
      // The exit code stays the timeout's or the signal's; the user learns how to stop the task.
      const e = toEcsopsError(error, {command: 'migrate', region: this.deps.region})
      ui.error(`Could not stop task ${this.taskId}: ${e.message}`)
      ui.info(`  Stop it with: aws ecs stop-task --cluster ${result.cluster} --task ${this.taskId}${this.plan.inRegion}`)
      return [{code: 'STOP_FAILED', message: `ecsops could not stop the task (${e.code ?? e.name}); it may still be running: ${result.taskArn}`}]
    }
    this.abort = new AbortController()
    const signalsBefore = this.signalCount
    const stopDeadline = this.now() + (input.stopWaitMs ?? 10_000)
    while (!TERMINAL_STATUSES.has(this.lastStatus) && this.now() < stopDeadline && this.signalCount === signalsBefore) {
      await this.sleep(Math.min(input.pollIntervalMs, stopDeadline - this.now()), this.abort.signal)
      if (this.signalCount !== signalsBefore) break
      const latest = await this.describe().catch(() => undefined)
      if (latest) {
        this.task = latest
        this.lastStatus = latest.lastStatus ?? this.lastStatus
      }
      if (this.follower && !this.follower.givenUp) await this.follower.read()
    }
    this.closeLog()
    ui.info(TERMINAL_STATUSES.has(this.lastStatus) ? `Task ${this.taskId} STOPPED.` : `Task ${this.taskId} is ${this.lastStatus}; ECS is stopping it.`)
    return [{code: 'STOPPED_BY_ECSOPS', message: 'ecsops stopped the task (StopTask).'}]
  }

  /** After the container exited: the last lines (usually the error) may still be arriving. */
  private async drain(): Promise<void> {
    this.settleProgress()
    const {follower, input} = this
    if (!follower || follower.givenUp) return
    const exitedAt = this.task.executionStoppedAt ? new Date(this.task.executionStoppedAt).getTime() : undefined
    const stoppedAt = this.task.stoppedAt ? new Date(this.task.stoppedAt).getTime() : undefined
    // How long before ecsops saw it the container exited: both times from ECS once the task STOPPED
    // (no clock skew between this machine and AWS); at the container's exit, ecsops saw it within a poll.
    const exitedAgo = exitedAt !== undefined && stoppedAt !== undefined ? stoppedAt - exitedAt : 0
    const window = drainWindow(this.now(), exitedAgo, input.logSettleMs ?? DEFAULT_LOG_SETTLE_MS, input.drainMaxMs ?? 5000)
    for (;;) {
      const read = await follower.read()
      if (read.missing) this.noteMissingStream()
      if (read.missing || follower.givenUp) break
      if (read.atEnd && this.now() >= window.settledAt) break
      if (this.now() >= window.until) break
      if (read.atEnd || read.events === 0) {
        // Nothing new (or a throttled read): wait a little, never past the bounds.
        const until = read.atEnd ? Math.min(window.settledAt, window.until) : window.until
        await this.sleep(Math.max(1, Math.min(500, until - this.now())), this.abort.signal)
      }
      if (this.interrupted) break
    }
  }

  /** The container's result, explained (with the preflight when it never ran), reported and returned. */
  private async conclude(end: 'container-exit' | 'task-stopped' | 'stop-failed'): Promise<MigrateResult> {
    const {ui, plan, task} = this
    this.closeLog()
    const outcome = exitCodeOf(task, plan.container.name, {stoppedByEcsops: this.stopAfterExit === 'sent'})
    const elapsed = formatElapsed(this.now() - this.started)
    if (end === 'container-exit') ui.info(`Container ${plan.container.name} exited after ${elapsed}; task ${this.taskId} is ${this.lastStatus}: ECS finishes deprovisioning it (--wait-stopped waits for that).`)
    else if (end === 'stop-failed') ui.info(`Container ${plan.container.name} exited after ${elapsed}; task ${this.taskId} is still ${this.lastStatus}.`)
    if (outcome.kind === 'never-ran' && this.deps.explainStartFailure && !this.interrupted && pointsAtStartFailure(`${task.stoppedReason} ${task.containers?.map((c) => c.reason).join(' ')}`)) {
      outcome.details.push(...reasonsOf(await this.explainStart(), 'PREFLIGHT_FINDING'))
    }
    this.report(outcome)
    const finishedAt = end === 'task-stopped' ? 'task-stopped' : end === 'container-exit' ? 'container-exit' : null
    return this.finishCi({...this.filled(), finishedAt, outcome: outcome.kind, exit: outcome.exit, exitCode: outcome.containerExitCode, reasons: outcome.details.length ? outcome.details : [{code: outcome.kind.toUpperCase(), message: outcome.summary}]})
  }

  /** The preflight of a task that never ran (its network, execution role and references); Ctrl-C (or a cancelled CI job) skips it, never the report. */
  private async explainStart(): Promise<string[]> {
    const {ui, task, plan} = this
    try {
      ui.info(`Checking why the task did not start (network, execution role, image, secrets, log group)… (Ctrl-C skips it)`)
      const skipped = new Promise<string[]>((resolve) => this.abort.signal.addEventListener('abort', () => resolve([]), {once: true}))
      const {request} = plan
      const audit = this.deps.explainStartFailure!({
        task,
        stoppedReason: task.stoppedReason ?? '',
        network: request.networkConfiguration?.awsvpcConfiguration,
        taskDefinition: plan.target.taskDefinition,
        launchType: request.launchType ?? (request.capacityProviderStrategy?.some((c) => /FARGATE/.test(c.capacityProvider ?? '')) ? 'FARGATE' : undefined),
        platformVersion: request.platformVersion,
      })
      const lines = await Promise.race([audit, skipped])
      if (this.interrupted) {
        audit.catch(() => {})
        ui.info(`Audit skipped (${this.interrupted} received).`)
      }
      return lines
    } catch (error) {
      ui.warn(`Could not check why the task did not start: ${(error as Error).message}`)
      return []
    }
  }

  /** Prints how the task ended; a failure also as a GitHub Actions annotation and with where its log is. */
  private report(outcome: Outcome): void {
    const {ui} = this
    if (outcome.kind === 'succeeded') {
      ui.info(ui.color.green(`✔ ${outcome.summary}`))
      for (const r of outcome.details) ui.warn(r.message)
      if (ui.githubActions && outcome.details.length > 0) ui.out(annotation('warning', outcome.details.map((r) => r.message).join('\n')))
      return
    }
    ui.error(outcome.summary)
    // A reason already said in the summary (the stoppedReason) is not said twice.
    const more = outcome.details.map((r) => r.message).filter((m) => m !== outcome.summary && !outcome.summary.includes(m.replace(/^.*?: /, '')))
    for (const line of more) ui.info(`  ${line}`)
    if (this.result.logGroup && this.taskId) {
      ui.info(`  Log: ${this.result.logGroup} ${this.result.logStream}`)
      ui.info(`  Read it: ${this.tailCommand(false)}`)
    }
    if (ui.githubActions) annotate(ui, [outcome.summary, ...more].join('\n'))
  }

  private tailCommand(follow: boolean): string {
    const region = this.logRegion()
    return `aws logs tail ${this.result.logGroup} --log-stream-names ${this.result.logStream}${follow ? ' --follow' : ' --since 1d'}${region ? ` --region ${region}` : this.plan.inRegion}`
  }

  /** The task's final facts copied into the result. */
  private filled(): MigrateResult {
    const container = this.task.containers?.find((c) => c.name === this.plan.container.name)
    return {
      ...this.result,
      lastStatus: this.task.lastStatus ?? this.result.lastStatus,
      stopCode: this.task.stopCode ?? null,
      stoppedReason: this.task.stoppedReason ?? null,
      containerReason: container?.reason ?? null,
      exitCode: typeof container?.exitCode === 'number' ? container.exitCode : null,
      startedAt: iso(this.task.startedAt),
      stoppedAt: iso(this.task.stoppedAt),
      logLines: this.follower?.emitted ?? 0,
    }
  }

  /** On GitHub Actions: the step outputs and the job summary. A file that cannot be written is a warning; the exit code stays the run's. */
  private finishCi(result: MigrateResult): MigrateResult {
    const duration = this.started ? formatElapsed(this.now() - this.started) : '-'
    return writeCiFiles(this.ui, result, {duration, lastLines: this.lastLines, tailCommand: result.logGroup && this.taskId ? this.tailCommand(false) : undefined})
  }
}

/** On GitHub Actions: the step's outputs and its job summary. A file that cannot be written is a warning. */
function writeCiFiles(ui: Ui, result: MigrateResult, summary: Parameters<typeof jobSummary>[1]): MigrateResult {
  if (!ui.githubActions) return result
  const failed = [appendCiFile(ui.env.GITHUB_OUTPUT, githubOutputs(result)), appendCiFile(ui.env.GITHUB_STEP_SUMMARY, jobSummary(result, summary))]
  for (const [i, error] of failed.entries()) if (error) ui.warn(`Could not write ${i === 0 ? '$GITHUB_OUTPUT' : '$GITHUB_STEP_SUMMARY'} (${error}).`)
  return result
}

/**
 * A GitHub Actions error annotation. Workflow commands are read from stdout (ui.out); under
 * --json, where stdout holds only the document, ui.out writes it to stderr instead.
 */
function annotate(ui: Ui, message: string): void {
  ui.out(annotation('error', message))
}
