import type {ChildProcess, SpawnOptions} from 'node:child_process'
import {constants as osConstants} from 'node:os'

import type {ECSClient, ExecuteCommandCommandOutput, Task} from '@aws-sdk/client-ecs'
import type {SSMClient} from '@aws-sdk/client-ssm'

import {AwsCallError, EcsopsError} from '../errors.js'
import {ExitCode} from '../exit-codes.js'
import type {Ui} from '../ui/output.js'
import {agentCheck, pluginCheck} from './checks.js'
import {containerCommand} from './command.js'
import type {CheckResult} from './model.js'
import type {ExecTarget} from './pick.js'
import type {RouteVerdict} from './reach.js'
import {atLeast, PLUGIN, PLUGIN_ENV_RESPONSE_VERSION, pluginCall, pluginEnvironment, pluginInstallHint, type PluginCall, type PluginProbe} from './plugin.js'
import {clusterNameOf, taskIdOf} from '../aws/arn.js'

/** The signals ecsops ignores while the plugin runs, so that Ctrl-C, Ctrl-\ and Ctrl-Z reach the remote shell. */
export const FORWARDED_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGQUIT', 'SIGTSTP']

/** What can receive signal listeners: `process`, or a stand-in in tests. */
export interface SignalTarget {
  on(signal: NodeJS.Signals, listener: () => void): unknown
  removeListener(signal: NodeJS.Signals, listener: () => void): unknown
}

export type SpawnFn = (file: string, args: string[], options: SpawnOptions) => ChildProcess

/** 128 + the signal's number (the shell's convention): SIGSEGV 139, SIGKILL 137, SIGTERM 143. */
export function signalExitCode(signal: NodeJS.Signals): number {
  return 128 + (osConstants.signals[signal] ?? 1)
}

/**
 * Runs the plugin with stdio inherited and no shell, ignoring SIGINT/SIGQUIT/SIGTSTP in ecsops
 * until it exits. Resolves with its exit code (128 + signal number when a signal ended it);
 * rejects with the spawn error when it could not be started.
 */
export function runPlugin(
  call: PluginCall,
  deps: {
    spawn: SpawnFn
    signals: SignalTarget
    env: NodeJS.ProcessEnv
    /** The plugin's stdout goes to ecsops's stderr (under --json, stdout holds only the document). */
    stdoutToStderr?: boolean
    /** Told when a signal (not an exit) ended the plugin: SIGSEGV, SIGKILL… */
    onSignal?: (signal: NodeJS.Signals) => void
  },
): Promise<number> {
  return new Promise((resolve, reject) => {
    const ignore = () => {}
    const listening: NodeJS.Signals[] = []
    const restore = () => {
      for (const signal of listening) deps.signals.removeListener(signal, ignore)
      listening.length = 0
    }
    let child: ChildProcess
    try {
      child = deps.spawn(call.file, call.args, {stdio: deps.stdoutToStderr ? ['inherit', 2, 'inherit'] : 'inherit', shell: false, env: pluginEnvironment(deps.env, call), windowsHide: false})
    } catch (error) {
      reject(error)
      return
    }
    for (const signal of FORWARDED_SIGNALS) {
      try {
        deps.signals.on(signal, ignore)
        listening.push(signal)
      } catch {
        // A signal this platform does not know (SIGQUIT, SIGTSTP on Windows).
      }
    }
    let settled = false
    child.once('error', (error) => {
      if (settled) return
      settled = true
      restore()
      reject(error)
    })
    child.once('exit', (code, signal) => {
      if (settled) return
      settled = true
      restore()
      if (code === null && signal) deps.onSignal?.(signal)
      resolve(code ?? (signal ? signalExitCode(signal) : 1))
    })
  })
}

/** The pre-flight of `ecsops exec`: fast checks on facts already known, and the route to ssmmessages when it was read. */
export function preflight(target: ExecTarget, plugin: PluginProbe, platform: NodeJS.Platform = process.platform, route?: RouteVerdict): CheckResult[] {
  const problems: CheckResult[] = []
  const installed = pluginCheck(plugin, platform)
  if (installed.status === 'fail') problems.push(installed)
  const agent = agentCheck(target.container, Boolean(target.task.enableExecuteCommand))
  if (agent.status !== 'ok') problems.push({...agent, status: 'fail'})
  if (route && 'check' in route && route.check.status === 'fail') problems.push(route.check)
  return problems
}

export interface SessionOptions {
  command?: string
  check: boolean
}

export interface SessionResult {
  cluster: string
  taskId: string
  container: string
  command: string
  sessionId?: string
  pluginVersion?: string
  exitCode: number
}

export interface SessionDeps {
  ecs: ECSClient
  ssm: () => Promise<SSMClient>
  region: string
  profile?: string
  endpointUrl: () => Promise<string>
  credentials: () => Promise<{accessKeyId: string; secretAccessKey: string; sessionToken?: string}>
  probe: () => Promise<PluginProbe>
  /** The route to ssmmessages for the pre-flight (src/exec/reach.ts); none in tests that do not give it. */
  route?: (task: Task) => Promise<RouteVerdict | undefined>
  spawn: SpawnFn
  signals: SignalTarget
  env: NodeJS.ProcessEnv
  platform?: NodeJS.Platform
}

/**
 * Opens the session: pre-flight (unless --no-check), ExecuteCommand (interactive), then the
 * plugin with six arguments. Ends the session with ssm:TerminateSession when the plugin cannot start.
 */
export async function openSession(ui: Ui, target: ExecTarget, options: SessionOptions, deps: SessionDeps): Promise<SessionResult> {
  const clusterName = clusterNameOf(target.clusterArn)
  const taskId = taskIdOf(target.task.taskArn ?? '')
  const containerName = target.container.name ?? ''
  const [plugin, route] = await preflightReads(target, options.check, deps)
  const runtimeId = checkBeforeSession(ui, target, plugin, options.check, deps.platform, '', route)
  const {command, rewrittenFrom} = containerCommand(options.command)
  if (rewrittenFrom) ui.warn(`"${rewrittenFrom}" is a path of this machine (a Windows shell rewrote it); sending the bare program "${command}" instead.`)

  // Everything the plugin call needs is resolved before the session exists, so that nothing
  // between ExecuteCommand and the plugin can fail and leave a session open.
  const creds = await deps.credentials()
  const endpointUrl = await deps.endpointUrl()
  const {ExecuteCommandCommand} = await import('@aws-sdk/client-ecs')
  ui.info(`Starting session: ${command} in container ${containerName} of task ${taskId} (cluster ${clusterName})`)
  let response: ExecuteCommandCommandOutput
  try {
    response = await deps.ecs.send(new ExecuteCommandCommand({cluster: target.clusterArn, task: target.task.taskArn, container: containerName, command, interactive: true}))
  } catch (error) {
    const e = error as Error
    // The agent in the task cannot take the session: say where to look.
    if (e.name === 'TargetNotConnectedException' || (e.name === 'InvalidParameterException' && /execute command/i.test(e.message))) {
      throw new AwsCallError(`${e.name}: ${e.message}`, {code: e.name, cause: error, hint: `\`ecsops exec check --cluster ${clusterName} --task ${taskId}\` finds the cause (task role permissions, route to ssmmessages, exec agent).`})
    }
    throw error
  }
  const session = response.session ?? {}
  const call = pluginCall({
    session: {sessionId: session.sessionId, streamUrl: session.streamUrl, tokenValue: session.tokenValue},
    region: deps.region,
    profile: deps.profile,
    clusterArn: response.clusterArn ?? target.clusterArn,
    taskArn: response.taskArn ?? target.task.taskArn ?? taskId,
    runtimeId,
    endpointUrl,
    pluginVersion: plugin.version,
    credentials: {accessKeyId: creds.accessKeyId, secretAccessKey: creds.secretAccessKey, sessionToken: creds.sessionToken},
  })
  const exitCode = await runPluginOrEnd(ui, call, session.sessionId, deps, `ecsops exec check --cluster ${clusterName} --task ${taskId}`)
  return {cluster: clusterName, taskId, container: containerName, command, sessionId: session.sessionId, pluginVersion: plugin.version, exitCode}
}

/** The pre-flight's reads, in parallel: the plugin's version and (unless --no-check) the route to ssmmessages. */
export function preflightReads(target: ExecTarget, check: boolean, deps: Pick<SessionDeps, 'probe' | 'route'>): Promise<[PluginProbe, RouteVerdict | undefined]> {
  return Promise.all([deps.probe(), check && deps.route ? deps.route(target.task) : undefined])
}

/**
 * The pre-flight (unless --no-check) of a session into `target`, shared by `exec` and
 * `exec port-forward`: prints each problem and throws PreflightFailed, warns about an old plugin.
 * Returns the container's runtimeId (the session target needs it). `checkFlags` go into the exec check command of the hint.
 */
export function checkBeforeSession(ui: Ui, target: ExecTarget, plugin: PluginProbe, check: boolean, platform?: NodeJS.Platform, checkFlags = '', route?: RouteVerdict): string {
  const clusterName = clusterNameOf(target.clusterArn)
  const taskId = taskIdOf(target.task.taskArn ?? '')
  if (check) {
    if (route && 'note' in route) (route.level === 'warn' ? ui.warn : ui.info).call(ui, route.note)
    else if (route?.check.status === 'warn') ui.warn(`${route.check.title}: ${route.check.detail}`)
    const problems = preflight(target, plugin, platform, route)
    if (problems.length > 0) {
      for (const p of problems) {
        ui.error(`${p.title}: ${p.detail}`)
        if (p.fix) ui.info(`  fix: ${p.fix}`)
      }
      throw new EcsopsError(`Pre-flight failed: ${problems.map((p) => p.title).join('; ')}.`, {
        exit: ExitCode.PROBLEMS,
        code: 'PreflightFailed',
        hint: `\`ecsops exec check --cluster ${clusterName} --task ${taskId}${checkFlags}\` checks everything ECS Exec needs; --no-check skips the pre-flight.`,
      })
    }
    if (plugin.version && !atLeast(plugin.version, PLUGIN_ENV_RESPONSE_VERSION)) ui.warn(`${PLUGIN} ${plugin.version} is older than ${PLUGIN_ENV_RESPONSE_VERSION}: the session token is passed on its command line. Update the plugin.`)
  }
  const runtimeId = target.container.runtimeId
  if (!runtimeId) throw new EcsopsError(`Container "${target.container.name ?? ''}" of task ${taskId} has no runtimeId yet.`, {exit: ExitCode.PROBLEMS, code: 'NoRuntimeId', hint: 'Wait until the container is running and try again.'})
  return runtimeId
}

/** The signals a user sends on purpose (Ctrl-C, `kill`, a closed terminal): a plugin ended by one was stopped, not failing. */
export const USER_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP']

/** The line after a non-zero plugin exit, pointing at exec check; none when the user stopped the plugin (by a signal, or an exit of 128 + that signal). */
export function afterPluginExit(exitCode: number, signal: NodeJS.Signals | undefined, checkCommand: string): string | undefined {
  if (exitCode === 0) return undefined
  if (signal ? USER_SIGNALS.includes(signal) : USER_SIGNALS.some((s) => signalExitCode(s) === exitCode)) return undefined
  return `${PLUGIN} exited with ${exitCode}: \`${checkCommand}\` checks what ECS Exec needs.`
}

/**
 * Runs the plugin for an open session; when it cannot start, ends the session (ssm:TerminateSession) and throws PluginNotStarted.
 * After a non-zero exit, points at `checkCommand` (see afterPluginExit).
 */
export async function runPluginOrEnd(ui: Ui, call: PluginCall, sessionId: string | undefined, deps: Pick<SessionDeps, 'spawn' | 'signals' | 'env' | 'ssm' | 'platform'>, checkCommand?: string): Promise<number> {
  let endedBy: NodeJS.Signals | undefined
  try {
    const exitCode = await runPlugin(call, {
      spawn: deps.spawn,
      signals: deps.signals,
      env: deps.env,
      stdoutToStderr: ui.json,
      // A plugin ended by an interrupt or termination was stopped on purpose; any other signal is a crash.
      onSignal: (signal) => {
        endedBy = signal
        if (!USER_SIGNALS.includes(signal)) ui.error(`${PLUGIN} crashed (killed by ${signal}); exit ${signalExitCode(signal)}. Run \`${PLUGIN} --version\` to check the installation, or reinstall it.`)
      },
    })
    const line = checkCommand ? afterPluginExit(exitCode, endedBy, checkCommand) : undefined
    if (line) ui.info(line)
    return exitCode
  } catch (error) {
    await terminate(ui, deps, sessionId)
    const e = error as NodeJS.ErrnoException
    throw new EcsopsError(`Could not start ${PLUGIN}: ${e.code === 'ENOENT' ? 'it is not on PATH' : e.message}. The session ${sessionId ?? ''} was ended.`, {
      exit: ExitCode.PROBLEMS,
      code: 'PluginNotStarted',
      hint: pluginInstallHint(deps.platform ?? process.platform),
      cause: error,
    })
  }
}

/** Ends a session with ssm:TerminateSession; a failure is a warning (the session times out by itself). */
export async function terminate(ui: Ui, deps: Pick<SessionDeps, 'ssm'>, sessionId: string | undefined): Promise<void> {
  if (!sessionId) return
  try {
    const {TerminateSessionCommand} = await import('@aws-sdk/client-ssm')
    await (await deps.ssm()).send(new TerminateSessionCommand({SessionId: sessionId}))
  } catch (error) {
    ui.warn(`Could not end session ${sessionId}: ${(error as Error).message}`)
  }
}
