import {EventEmitter} from 'node:events'
import type {ChildProcess, SpawnOptions} from 'node:child_process'
import {constants as osConstants} from 'node:os'

import {ECSClient, ExecuteCommandCommand, type ExecuteCommandCommandOutput} from '@aws-sdk/client-ecs'
import {SSMClient, TerminateSessionCommand} from '@aws-sdk/client-ssm'
import {mockClient} from 'aws-sdk-client-mock'
import {beforeEach, describe, expect, it} from 'vitest'

import {execIam} from '../../src/exec/iam.js'
import type {PluginCall} from '../../src/exec/plugin.js'
import {openSession, preflight, runPlugin, type SessionDeps, type SignalTarget} from '../../src/exec/session.js'
import {itSendsOnlyDeclaredActions} from '../helpers/iam-coverage.js'
import {recordingUi} from '../helpers/ui.js'
import {CLUSTER_ARN, TASK_ARN, TASK_ID, container, task} from './fixtures.js'

/**
 * `ecsops exec` between the picked target and the plugin's exit: what it prints, what it refuses,
 * how it talks to ECS and the plugin when things go wrong.
 */

const ecsMock = mockClient(ECSClient)
const ssmMock = mockClient(SSMClient)

const SESSION = {sessionId: 'ecs-execute-command-0f1e2d3c4b5a69788', streamUrl: 'wss://ssmmessages.eu-west-1.amazonaws.com/v1/data-channel/ecs-execute-command-0f1e2d3c4b5a69788', tokenValue: 'AAEAA'}
const ANSWER: ExecuteCommandCommandOutput = {clusterArn: CLUSTER_ARN, taskArn: TASK_ARN, containerName: 'app', interactive: true, session: SESSION, $metadata: {}}
const APP = container('app')
const TARGET = {clusterArn: CLUSTER_ARN, task: task({containers: [container('envoy'), APP]}), container: APP}
const HINT_LINUX = 'Install the Session Manager plugin: the .deb (Debian/Ubuntu) or .rpm (Amazon Linux, RHEL) package from'

/** Signals, recording every listener added and removed. */
function signals(options: {refuse?: string[]} = {}): SignalTarget & {added: string[]; removed: string[]} {
  const added: string[] = []
  const removed: string[] = []
  return {
    added,
    removed,
    on(signal) {
      if (options.refuse?.includes(signal)) throw new Error(`uv_signal_start EINVAL ${signal}`)
      added.push(signal)
    },
    removeListener(signal) {
      removed.push(signal)
    },
  }
}

/** A spawn whose child does what `script` tells it, after the spawn returned. */
function spawner(script: (child: EventEmitter) => void) {
  const spawned: Array<{file: string; args: string[]; options: SpawnOptions}> = []
  const spawn = (file: string, args: string[], options: SpawnOptions) => {
    spawned.push({file, args, options})
    const child = new EventEmitter()
    queueMicrotask(() => script(child))
    return child as unknown as ChildProcess
  }
  return {spawn, spawned}
}

const call: PluginCall = {file: 'session-manager-plugin', args: ['a', 'eu-west-1', 'StartSession', '', '{}', 'https://ecs'], env: {AWS_REGION: 'eu-west-1'}, responseInEnv: false}

describe('runPlugin', () => {
  it('spawns without a shell, with a visible window on Windows, and restores exactly the signals it took', async () => {
    const s = signals()
    const {spawn, spawned} = spawner((c) => c.emit('exit', 0, null))
    await runPlugin(call, {spawn, signals: s, env: {}})
    expect(spawned[0]!.options).toMatchObject({stdio: 'inherit', shell: false, windowsHide: false})
    expect(s.added).toEqual(['SIGINT', 'SIGQUIT', 'SIGTSTP'])
    expect(s.removed).toEqual(['SIGINT', 'SIGQUIT', 'SIGTSTP'])
  })

  it('a signal the platform does not know (SIGQUIT, SIGTSTP on Windows) is skipped, not fatal', async () => {
    const s = signals({refuse: ['SIGQUIT', 'SIGTSTP']})
    expect(await runPlugin(call, {spawn: spawner((c) => c.emit('exit', 5, null)).spawn, signals: s, env: {}})).toBe(5)
    expect(s.added).toEqual(['SIGINT'])
    expect(s.removed).toEqual(['SIGINT'])
  })

  it('a spawn that throws rejects before any signal is taken', async () => {
    const s = signals()
    const spawn = () => {
      throw Object.assign(new Error('spawn EACCES'), {code: 'EACCES'})
    }
    await expect(runPlugin(call, {spawn, signals: s, env: {}})).rejects.toThrow('spawn EACCES')
    expect(s.added).toEqual([])
  })

  it('settles once: an error after the exit, or an exit after the error, changes nothing', async () => {
    const exitThenError = signals()
    expect(await runPlugin(call, {spawn: spawner((c) => (c.emit('exit', 0, null), c.emit('error', new Error('late')))).spawn, signals: exitThenError, env: {}})).toBe(0)
    expect(exitThenError.removed).toHaveLength(3)
    const errorThenExit = signals()
    await expect(runPlugin(call, {spawn: spawner((c) => (c.emit('error', new Error('EPERM')), c.emit('exit', 0, null))).spawn, signals: errorThenExit, env: {}})).rejects.toThrow('EPERM')
    expect(errorThenExit.removed).toHaveLength(3)
  })

  it('a signal without a known number is 128 + 1; no code and no signal is 1', async () => {
    expect(await runPlugin(call, {spawn: spawner((c) => c.emit('exit', null, 'SIGNOTREAL')).spawn, signals: signals(), env: {}})).toBe(129)
    expect(await runPlugin(call, {spawn: spawner((c) => c.emit('exit', null, 'SIGUSR2')).spawn, signals: signals(), env: {}})).toBe(128 + osConstants.signals.SIGUSR2)
    expect(await runPlugin(call, {spawn: spawner((c) => c.emit('exit', null, 'SIGKILL')).spawn, signals: signals(), env: {}})).toBe(137)
    expect(await runPlugin(call, {spawn: spawner((c) => c.emit('exit', null, null)).spawn, signals: signals(), env: {}})).toBe(1)
  })
})

describe('preflight', () => {
  it('a missing plugin without a known cause is "not found", with the hint of the OS', () => {
    expect(preflight(TARGET, {installed: false}, 'linux')).toEqual([
      {id: 'caller.plugin', group: 'caller', title: 'Session Manager plugin', status: 'fail', detail: 'session-manager-plugin is not installed', fix: expect.stringContaining(HINT_LINUX)},
    ])
  })

  it('an agent still PENDING fails the pre-flight (exec check only warns)', () => {
    const pending = {...TARGET, container: container('app', 'PENDING')}
    expect(preflight(pending, {installed: true, version: '1.2.650.0'}, 'linux')).toEqual([
      {id: 'container.app.agent', group: 'containers', title: 'ExecuteCommandAgent of "app"', status: 'fail', detail: 'PENDING: the agent is still starting', fix: 'Wait a few seconds and check again.'},
    ])
  })
})

describe('openSession', () => {
  beforeEach(() => {
    ecsMock.reset()
    ssmMock.reset()
    ecsMock.on(ExecuteCommandCommand).resolves(ANSWER)
    ssmMock.on(TerminateSessionCommand).resolves({SessionId: SESSION.sessionId})
  })

  const deps = (over: Partial<SessionDeps> = {}): SessionDeps & {spawned: ReturnType<typeof spawner>['spawned']} => {
    const {spawn, spawned} = spawner((c) => c.emit('exit', 0, null))
    return {
      spawned,
      ecs: new ECSClient({region: 'eu-west-1'}),
      ssm: async () => new SSMClient({region: 'eu-west-1'}),
      region: 'eu-west-1',
      endpointUrl: async () => 'https://ecs.eu-west-1.amazonaws.com',
      credentials: async () => ({accessKeyId: 'ASIAEXAMPLE', secretAccessKey: 'secret', sessionToken: 'token'}),
      probe: async () => ({installed: true, version: '1.2.650.0'}),
      spawn,
      signals: signals(),
      env: {},
      platform: 'linux',
      ...over,
    }
  }

  it('says what it starts, and nothing else, on the happy path', async () => {
    const ui = recordingUi()
    await openSession(ui, TARGET, {check: true}, deps())
    expect(ui.stderr).toEqual([`Starting session: bash in container app of task ${TASK_ID} (cluster prod)`])
  })

  it('a failed pre-flight prints each problem with its fix, and the error names them all', async () => {
    const ui = recordingUi()
    const target = {...TARGET, container: container('app', 'STOPPED', {managedAgents: [{name: 'ExecuteCommandAgent', lastStatus: 'STOPPED'}]})}
    const error = await openSession(ui, target, {check: true}, deps({probe: async () => ({installed: false, problem: 'session-manager-plugin is not on PATH'})})).catch((e) => e)
    expect(error).toMatchObject({message: 'Pre-flight failed: Session Manager plugin; ExecuteCommandAgent of "app".', code: 'PreflightFailed', exitCode: 1})
    expect(ui.stderr[0]).toBe('error: Session Manager plugin: session-manager-plugin is not on PATH')
    expect(ui.stderr[1]).toMatch(/^ {2}fix: Install the Session Manager plugin: the \.deb/)
    expect(ui.stderr.slice(2)).toEqual(['error: ExecuteCommandAgent of "app": STOPPED', '  fix: Check the task role permissions and the route to ssmmessages below, then replace the task.'])
    expect(ecsMock.commandCalls(ExecuteCommandCommand)).toHaveLength(0)
  })

  it('--no-check: no pre-flight and no version warning, even with an old or missing plugin', async () => {
    const ui = recordingUi()
    await openSession(ui, {...TARGET, container: container('app', 'STOPPED')}, {check: false}, deps({probe: async () => ({installed: true, version: '1.2.497.0'})}))
    expect(ui.stderr.filter((l) => l.startsWith('warning:') || l.startsWith('error:'))).toEqual([])
    expect(ecsMock.commandCalls(ExecuteCommandCommand)).toHaveLength(1)
  })

  it('an unknown plugin version is not warned about', async () => {
    const ui = recordingUi()
    await openSession(ui, TARGET, {check: true}, deps({probe: async () => ({installed: true})}))
    expect(ui.stderr.filter((l) => l.startsWith('warning:'))).toEqual([])
  })

  it('a container without a runtimeId yet: a clear error and no session', async () => {
    const error = await openSession(recordingUi(), {...TARGET, container: {...APP, runtimeId: undefined}}, {check: true}, deps()).catch((e) => e)
    expect(error).toMatchObject({message: `Container "app" of task ${TASK_ID} has no runtimeId yet.`, code: 'NoRuntimeId', exitCode: 1, hint: 'Wait until the container is running and try again.'})
    expect(ecsMock.commandCalls(ExecuteCommandCommand)).toHaveLength(0)
  })

  it('InvalidParameterException about execute command points to exec check; other ECS errors pass unchanged', async () => {
    ecsMock.on(ExecuteCommandCommand).rejects(Object.assign(new Error('The execute command failed because execute command was not enabled when the task was run or the execute command agent isn\'t running.'), {name: 'InvalidParameterException', $metadata: {}}))
    const notEnabled = await openSession(recordingUi(), TARGET, {check: false}, deps()).catch((e) => e)
    expect(notEnabled.message).toBe('InvalidParameterException: The execute command failed because execute command was not enabled when the task was run or the execute command agent isn\'t running.')
    expect(notEnabled).toMatchObject({code: 'InvalidParameterException', hint: expect.stringContaining(`ecsops exec check --cluster prod --task ${TASK_ID}`)})

    const other = Object.assign(new Error('Invalid identifier: Unexpected number of separators'), {name: 'InvalidParameterException', $metadata: {}})
    ecsMock.on(ExecuteCommandCommand).rejects(other)
    expect(await openSession(recordingUi(), TARGET, {check: false}, deps()).catch((e) => e)).toBe(other)

    const denied = Object.assign(new Error('User is not authorized to perform: ecs:ExecuteCommand'), {name: 'AccessDeniedException', $metadata: {}})
    ecsMock.on(ExecuteCommandCommand).rejects(denied)
    expect(await openSession(recordingUi(), TARGET, {check: false}, deps()).catch((e) => e)).toBe(denied)
  })

  it('an answer without cluster or task ARN: the target is built from the picked task', async () => {
    ecsMock.on(ExecuteCommandCommand).resolves({session: SESSION, $metadata: {}})
    const d = deps()
    await openSession(recordingUi(), TARGET, {check: true}, d)
    expect(d.spawned[0]!.args[4]).toBe(`{"Target":"ecs:prod_${TASK_ID}_${APP.runtimeId}"}`)
  })

  it('a plugin that cannot start for another reason: its message, the hint of the OS, the session ended', async () => {
    const eacces = Object.assign(new Error('spawn session-manager-plugin EACCES'), {code: 'EACCES'})
    const {spawn} = spawner((c) => c.emit('error', eacces))
    const error = await openSession(recordingUi(), TARGET, {check: false}, deps({spawn, platform: 'darwin'})).catch((e) => e)
    expect(error).toMatchObject({
      message: `Could not start session-manager-plugin: spawn session-manager-plugin EACCES. The session ${SESSION.sessionId} was ended.`,
      code: 'PluginNotStarted',
      exitCode: 1,
      hint: expect.stringContaining('brew install --cask session-manager-plugin'),
      cause: eacces,
    })
    expect(ssmMock.commandCalls(TerminateSessionCommand).map((c) => c.args[0].input)).toEqual([{SessionId: SESSION.sessionId}])
  })

  it('without a platform given, the hint is for the machine ecsops runs on', async () => {
    const {spawn} = spawner((c) => c.emit('error', Object.assign(new Error('x'), {code: 'ENOENT'})))
    const error = await openSession(recordingUi(), TARGET, {check: false}, deps({spawn, platform: undefined})).catch((e) => e)
    const {pluginInstallHint} = await import('../../src/exec/plugin.js')
    expect(error.hint).toBe(pluginInstallHint(process.platform))
  })

  it('no session id: nothing to end; a TerminateSession that fails is a warning', async () => {
    const {spawn} = spawner((c) => c.emit('error', Object.assign(new Error('x'), {code: 'ENOENT'})))
    ecsMock.on(ExecuteCommandCommand).resolves({...ANSWER, session: {}})
    await openSession(recordingUi(), TARGET, {check: false}, deps({spawn})).catch(() => {})
    expect(ssmMock.commandCalls(TerminateSessionCommand)).toHaveLength(0)

    ecsMock.on(ExecuteCommandCommand).resolves(ANSWER)
    ssmMock.on(TerminateSessionCommand).rejects(Object.assign(new Error('Rate exceeded'), {name: 'ThrottlingException', $metadata: {}}))
    const ui = recordingUi()
    const error = await openSession(ui, TARGET, {check: false}, deps({spawn})).catch((e) => e)
    expect(error.code).toBe('PluginNotStarted')
    expect(ui.stderr).toContain(`warning: Could not end session ${SESSION.sessionId}: Rate exceeded`)
  })
})

itSendsOnlyDeclaredActions(execIam, {ecs: ecsMock, ssm: ssmMock})
