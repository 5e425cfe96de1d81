import type {ChildProcess} from 'node:child_process'

import type {StartSessionCommandOutput} from '@aws-sdk/client-ssm'

import {clusterNameOf, taskIdOf} from '../aws/arn.js'
import {AwsCallError, UsageError} from '../errors.js'
import {ExitCode} from '../exit-codes.js'
import type {Ui} from '../ui/output.js'
import {forwardingLine, forwardRequest, type ForwardSpec} from './forward.js'
import type {ExecTarget} from './pick.js'
import {PLUGIN, pluginCall} from './plugin.js'
import {afterPluginExit, checkBeforeSession, preflightReads, runPluginOrEnd, terminate, type SessionDeps, type SignalTarget, type SpawnFn} from './session.js'

/**
 * `ecsops exec port-forward`, the I/O: the same pre-flight as `ecsops exec`, a free local port,
 * ssm:StartSession with a port-forwarding document, then session-manager-plugin with the six
 * arguments `aws ssm start-session` passes (aws-cli awscli/customizations/sessionmanager.py:
 * the response, region, `StartSession`, profile, the request as JSON, the SSM endpoint URL).
 */

/** What the session needs: as for `ecsops exec`, with `endpointUrl` the SSM client's (not ECS's). */
export type ForwardDeps = Omit<SessionDeps, 'ecs'>

export interface ForwardResult {
  cluster: string
  taskId: string
  container: string
  document: string
  localPort: number
  host?: string
  port: number
  sessionId?: string
  pluginVersion?: string
  exitCode: number
}

/** Why 127.0.0.1:port cannot be listened on (`in use`), or undefined when it is free. */
export async function localPortProblem(port: number): Promise<string | undefined> {
  const {createServer} = await import('node:net')
  return new Promise((resolve) => {
    const server = createServer()
    server.once('error', (error: NodeJS.ErrnoException) => {
      resolve(error.code === 'EADDRINUSE' ? 'is already in use' : error.code === 'EACCES' ? 'needs administrator rights (ports below 1024)' : `cannot be opened: ${error.message}`)
    })
    // The plugin listens on localhost:<port> (session-manager-plugin portsession/basicportforwarding.go).
    server.listen({host: '127.0.0.1', port, exclusive: true}, () => server.close(() => resolve(undefined)))
  })
}

/** A UsageError (exit 2) when the local port is taken, said before any session starts rather than left to the plugin. */
export async function ensureLocalPortFree(port: number): Promise<void> {
  const problem = await localPortProblem(port)
  if (problem) {
    throw new UsageError(`Local port ${port} on 127.0.0.1 ${problem}.`, {
      code: 'LocalPortUnavailable',
      hint: `Pass --local-port with a free port (e.g. --local-port ${port === 65_535 ? port - 1 : port + 1}), or stop what listens on ${port}.`,
    })
  }
}

/** The signals relayed to the plugin: Ctrl-C from outside a terminal (`kill -INT`), a cancelled job (SIGTERM). */
const RELAYED: NodeJS.Signals[] = ['SIGINT', 'SIGTERM']

/**
 * From just before StartSession until the plugin exits: remembers SIGINT/SIGTERM (a session
 * opened meanwhile is ended instead of handed to the plugin) and relays them to the plugin once it
 * runs. In a terminal the plugin also gets Ctrl-C itself (same process group); it ends the session
 * and exits 0 on the first one (portsession handleControlSignals).
 */
function signalRelay(signals: SignalTarget) {
  let child: ChildProcess | undefined
  let received: NodeJS.Signals | undefined
  const handlers = RELAYED.map((signal) => {
    const handler = () => {
      if (received !== 'SIGTERM') received = signal
      child?.kill(signal)
    }
    signals.on(signal, handler)
    return [signal, handler] as const
  })
  return {
    received: () => received,
    /** Spawns the plugin with its stdout on ecsops's stderr: its messages are progress, stdout stays for the result. */
    spawn: (inner: SpawnFn): SpawnFn => (file, args, options) => (child = inner(file, args, {...options, stdio: ['inherit', 2, 'inherit']})),
    stop: () => {
      for (const [signal, handler] of handlers) signals.removeListener(signal, handler)
    },
  }
}

/**
 * ecsops's exit code for a forwarding session: 0 when the user ended it (Ctrl-C, whether the plugin
 * exited 0 or was killed by the SIGINT), 143 for SIGTERM, else the plugin's own code.
 */
export function forwardExitCode(pluginCode: number, received: NodeJS.Signals | undefined): number {
  if (received === 'SIGTERM') return ExitCode.SIGTERM
  if (pluginCode === ExitCode.SIGINT || (received === 'SIGINT' && pluginCode === 0)) return ExitCode.OK
  return pluginCode
}

export async function openForward(ui: Ui, target: ExecTarget, spec: ForwardSpec, options: {check: boolean}, deps: ForwardDeps): Promise<ForwardResult> {
  const taskArn = target.task.taskArn ?? ''
  const container = target.container.name ?? ''
  const [plugin, route] = await preflightReads(target, options.check, deps)
  const runtimeId = checkBeforeSession(ui, target, plugin, options.check, deps.platform, ' --port-forward', route)
  await ensureLocalPortFree(spec.localPort)
  const request = forwardRequest({clusterArn: target.clusterArn, taskArn, runtimeId}, spec)
  const result: ForwardResult = {cluster: clusterNameOf(target.clusterArn), taskId: taskIdOf(taskArn), container, document: request.DocumentName ?? '', localPort: spec.localPort, host: spec.host, port: spec.port, pluginVersion: plugin.version, exitCode: 0}
  // Resolved before the session exists, so that nothing between StartSession and the plugin can fail and leave it open.
  const creds = await deps.credentials()
  const endpointUrl = await deps.endpointUrl()
  const ssm = await deps.ssm()
  const {StartSessionCommand} = await import('@aws-sdk/client-ssm')
  const relay = signalRelay(deps.signals)
  try {
    let answer: StartSessionCommandOutput
    try {
      answer = await ssm.send(new StartSessionCommand(request))
    } catch (error) {
      throw explainStartSession(error, result)
    }
    result.sessionId = answer.SessionId
    if (relay.received()) {
      await terminate(ui, deps, answer.SessionId)
      ui.info(`Interrupted before ${PLUGIN} started: session ${answer.SessionId ?? ''} ended.`)
      return {...result, exitCode: forwardExitCode(0, relay.received())}
    }
    const call = pluginCall({
      session: {SessionId: answer.SessionId, TokenValue: answer.TokenValue, StreamUrl: answer.StreamUrl},
      request,
      region: deps.region,
      profile: deps.profile,
      clusterArn: target.clusterArn,
      taskArn,
      runtimeId,
      endpointUrl,
      pluginVersion: plugin.version,
      credentials: {accessKeyId: creds.accessKeyId, secretAccessKey: creds.secretAccessKey, sessionToken: creds.sessionToken},
    })
    ui.info(forwardingLine(spec, taskArn, container))
    const code = await runPluginOrEnd(ui, call, answer.SessionId, {...deps, spawn: relay.spawn(deps.spawn)})
    // A plugin killed by a signal could not end the session itself.
    if (code > 128) await terminate(ui, deps, answer.SessionId)
    // Ctrl-C or SIGTERM relayed to the plugin is the user stopping it, whatever its exit code.
    const line = relay.received() ? undefined : afterPluginExit(code, undefined, `ecsops exec check --cluster ${result.cluster} --task ${result.taskId} --port-forward`)
    if (line) ui.info(line)
    return {...result, exitCode: forwardExitCode(code, relay.received())}
  } finally {
    relay.stop()
  }
}

/** The agent in the task cannot take the session: say where to look (as `ecsops exec` does for ExecuteCommand). */
function explainStartSession(error: unknown, target: {cluster: string; taskId: string}): unknown {
  const e = error as Error
  if (e.name === 'TargetNotConnected') {
    return new AwsCallError(`TargetNotConnected: ${e.message}`, {code: e.name, cause: error, hint: `\`ecsops exec check --cluster ${target.cluster} --task ${target.taskId} --port-forward\` finds the cause (exec agent, task role permissions, route to ssmmessages).`})
  }
  return error
}
