import {ECSClient, ExecuteCommandCommand} from '@aws-sdk/client-ecs'
import {SSMClient, TerminateSessionCommand} from '@aws-sdk/client-ssm'
import {mockClient} from 'aws-sdk-client-mock'
import {beforeEach, describe, expect, it} from 'vitest'

import {execIam} from '../../src/exec/iam.js'
import type {PluginCall} from '../../src/exec/plugin.js'
import {afterPluginExit, FORWARDED_SIGNALS, openSession, preflight, runPlugin, signalExitCode, type SessionDeps} from '../../src/exec/session.js'
import {fakeSpawn, signalTarget} from '../helpers/fake-process.js'
import {itSendsOnlyDeclaredActions} from '../helpers/iam-coverage.js'
import {recordingUi} from '../helpers/ui.js'
import {CLUSTER_ARN, container, TASK_ARN, TASK_ID, task} from './fixtures.js'

const ecsMock = mockClient(ECSClient)
const ssmMock = mockClient(SSMClient)

const call: PluginCall = {file: 'session-manager-plugin', args: ['a', 'b', 'StartSession', '', '{}', 'https://ecs'], env: {AWS_REGION: 'eu-west-1'}, responseInEnv: false}

describe('runPlugin', () => {
  it('ignores SIGINT, SIGQUIT and SIGTSTP while the plugin runs, and only then', async () => {
    const signals = signalTarget()
    let during: string[] = []
    const {spawn, spawned} = fakeSpawn((child) => {
      during = FORWARDED_SIGNALS.filter((s) => (signals.listeners.get(s) ?? []).length === 1)
      // Ctrl-C while the session runs: ecsops's listener swallows it.
      for (const fn of signals.listeners.get('SIGINT') ?? []) fn()
      child.emit('exit', 0, null)
    })
    const code = await runPlugin(call, {spawn, signals, env: {PATH: '/bin'}})
    expect(code).toBe(0)
    expect(during).toEqual(['SIGINT', 'SIGQUIT', 'SIGTSTP'])
    expect([...signals.listeners.values()].every((l) => l.length === 0)).toBe(true)
    expect(spawned[0].options).toMatchObject({stdio: 'inherit', shell: false})
    expect(spawned[0].options.env).toMatchObject({PATH: '/bin', AWS_REGION: 'eu-west-1'})
  })

  it('resolves with the plugin\'s exit code, 128 + n when a signal ended it', async () => {
    expect(await runPlugin(call, {spawn: fakeSpawn((c) => c.emit('exit', 7, null)).spawn, signals: signalTarget(), env: {}})).toBe(7)
    expect(await runPlugin(call, {spawn: fakeSpawn((c) => c.emit('exit', null, 'SIGTERM')).spawn, signals: signalTarget(), env: {}})).toBe(143)
  })

  it('a plugin that crashed on a signal (SIGSEGV) is 139 and is said; an exit with a code is not a crash', async () => {
    const crashes: string[] = []
    const onSignal = (signal: NodeJS.Signals) => crashes.push(signal)
    expect(await runPlugin(call, {spawn: fakeSpawn((c) => c.emit('exit', null, 'SIGSEGV')).spawn, signals: signalTarget(), env: {}, onSignal})).toBe(139)
    expect(await runPlugin(call, {spawn: fakeSpawn((c) => c.emit('exit', null, 'SIGABRT')).spawn, signals: signalTarget(), env: {}, onSignal})).toBe(134)
    expect(await runPlugin(call, {spawn: fakeSpawn((c) => c.emit('exit', 255, null)).spawn, signals: signalTarget(), env: {}, onSignal})).toBe(255)
    expect(crashes).toEqual(['SIGSEGV', 'SIGABRT'])
  })

  it('under --json the plugin\'s stdout goes to stderr, so stdout holds only the document', async () => {
    const {spawn, spawned} = fakeSpawn((c) => c.emit('exit', 0, null))
    await runPlugin(call, {spawn, signals: signalTarget(), env: {}, stdoutToStderr: true})
    expect(spawned[0].options.stdio).toEqual(['inherit', 2, 'inherit'])
  })

  it('rejects when the plugin cannot be started, restoring the signals', async () => {
    const signals = signalTarget()
    const enoent = Object.assign(new Error('spawn session-manager-plugin ENOENT'), {code: 'ENOENT'})
    await expect(runPlugin(call, {spawn: fakeSpawn((c) => c.emit('error', enoent)).spawn, signals, env: {}})).rejects.toThrow('ENOENT')
    expect([...signals.listeners.values()].every((l) => l.length === 0)).toBe(true)
  })
})

describe('preflight', () => {
  const target = {clusterArn: CLUSTER_ARN, task: task(), container: container('app')}
  it('passes a running agent and an installed plugin', () => {
    expect(preflight(target, {installed: true, version: '1.2.650.0'}, 'linux')).toEqual([])
  })
  it('fails a missing plugin with the install hint and a non-RUNNING agent', () => {
    const problems = preflight({...target, container: container('app', 'STOPPED')}, {installed: false, problem: 'not on PATH'}, 'darwin')
    expect(problems.map((p) => p.id)).toEqual(['caller.plugin', 'container.app.agent'])
    expect(problems[0].fix).toContain('brew install')
  })
})

describe('openSession', () => {
  const session = {sessionId: 'ecs-execute-command-0abc', streamUrl: 'wss://ssmmessages.eu-west-1.amazonaws.com/v1/data-channel/x', tokenValue: 'tok'}
  beforeEach(() => {
    ecsMock.reset()
    ssmMock.reset()
    ecsMock.on(ExecuteCommandCommand).resolves({clusterArn: CLUSTER_ARN, taskArn: TASK_ARN, containerName: 'app', interactive: true, session})
    ssmMock.on(TerminateSessionCommand).resolves({SessionId: session.sessionId})
  })

  const deps = (spawn: SessionDeps['spawn'], version = '1.2.650.0'): SessionDeps => ({
    ecs: new ECSClient({region: 'eu-west-1'}),
    ssm: async () => new SSMClient({region: 'eu-west-1'}),
    region: 'eu-west-1',
    profile: 'prd',
    endpointUrl: async () => 'https://ecs.eu-west-1.amazonaws.com',
    credentials: async () => ({accessKeyId: 'ASIAEXAMPLE', secretAccessKey: 'secret', sessionToken: 'token'}),
    probe: async () => ({installed: true, version}),
    spawn,
    signals: signalTarget(),
    env: {PATH: '/bin'},
    platform: 'linux',
  })
  const target = {clusterArn: CLUSTER_ARN, task: task(), container: container('app')}

  it('sends bare bash interactively and starts the plugin with six arguments, exiting with its code', async () => {
    const {spawn, spawned} = fakeSpawn((c) => c.emit('exit', 42, null))
    const result = await openSession(recordingUi(), target, {check: true}, deps(spawn))
    expect(ecsMock.commandCalls(ExecuteCommandCommand)[0].args[0].input).toEqual({cluster: CLUSTER_ARN, task: TASK_ARN, container: 'app', command: 'bash', interactive: true})
    expect(spawned[0].args).toEqual([
      'AWS_SSM_START_SESSION_RESPONSE',
      'eu-west-1',
      'StartSession',
      '', // the credentials are in the environment; the profile is in AWS_PROFILE
      `{"Target":"ecs:prod_0f1e2d3c4b5a69788796a5b4c3d2e1f0_${container('app').runtimeId}"}`,
      'https://ecs.eu-west-1.amazonaws.com',
    ])
    expect(spawned[0].options.env).toMatchObject({AWS_SSM_START_SESSION_RESPONSE: JSON.stringify(session), AWS_ACCESS_KEY_ID: 'ASIAEXAMPLE', AWS_SESSION_TOKEN: 'token', AWS_PROFILE: 'prd'})
    expect(result).toMatchObject({exitCode: 42, command: 'bash', sessionId: session.sessionId, cluster: 'prod'})
  })

  it('targets the chosen container\'s runtimeId, not the first container\'s (the sidecar comes first here)', async () => {
    const sidecar = container('envoy-proxy', 'RUNNING', {runtimeId: `${TASK_ID}-sidecar0000000001`})
    const worker = container('worker', 'RUNNING', {runtimeId: `${TASK_ID}-worker00000000002`})
    ecsMock.on(ExecuteCommandCommand).resolves({clusterArn: CLUSTER_ARN, taskArn: TASK_ARN, containerName: 'worker', interactive: true, session})
    const {spawn, spawned} = fakeSpawn((c) => c.emit('exit', 0, null))
    await openSession(recordingUi(), {clusterArn: CLUSTER_ARN, task: task({containers: [sidecar, worker]}), container: worker}, {check: true}, deps(spawn))
    expect(ecsMock.commandCalls(ExecuteCommandCommand)[0].args[0].input.container).toBe('worker')
    expect(spawned[0].args[4]).toBe(`{"Target":"ecs:prod_${TASK_ID}_${TASK_ID}-worker00000000002"}`)
  })

  it('rewrites a Windows host path to the bare program, with a warning', async () => {
    const ui = recordingUi()
    await openSession(ui, target, {check: true, command: 'C:/Program Files/Git/usr/bin/bash'}, deps(fakeSpawn((c) => c.emit('exit', 0, null)).spawn))
    expect(ecsMock.commandCalls(ExecuteCommandCommand)[0].args[0].input.command).toBe('bash')
    expect(ui.stderr.some((l) => l.startsWith('warning: "C:/Program Files/Git/usr/bin/bash" is a path of this machine'))).toBe(true)
  })

  it('ends the session with ssm:TerminateSession when the plugin cannot start', async () => {
    const enoent = Object.assign(new Error('spawn session-manager-plugin ENOENT'), {code: 'ENOENT'})
    const error = await openSession(recordingUi(), target, {check: false}, deps(fakeSpawn((c) => c.emit('error', enoent)).spawn)).catch((e) => e)
    expect(error.message).toBe('Could not start session-manager-plugin: it is not on PATH. The session ecs-execute-command-0abc was ended.')
    expect(ssmMock.commandCalls(TerminateSessionCommand)[0].args[0].input).toEqual({SessionId: 'ecs-execute-command-0abc'})
  })

  it('resolves the credentials for the plugin before ExecuteCommand: a failure there leaves no session open', async () => {
    const failing: SessionDeps = {...deps(fakeSpawn(() => {}).spawn), credentials: async () => Promise.reject(new Error('The SSO session has expired'))}
    await expect(openSession(recordingUi(), target, {check: false}, failing)).rejects.toThrow('The SSO session has expired')
    expect(ecsMock.commandCalls(ExecuteCommandCommand)).toHaveLength(0)
  })

  it('a session the agent cannot take points to exec check', async () => {
    ecsMock.on(ExecuteCommandCommand).rejects(Object.assign(new Error('Target is not connected.'), {name: 'TargetNotConnectedException', $metadata: {}}))
    const error = await openSession(recordingUi(), target, {check: true}, deps(fakeSpawn(() => {}).spawn)).catch((e) => e)
    expect(error).toMatchObject({code: 'TargetNotConnectedException', exitCode: 3})
    expect(error.hint).toContain('ecsops exec check --cluster prod')
  })

  it('a failed pre-flight opens no session and points to exec check', async () => {
    const ui = recordingUi()
    const error = await openSession(ui, {...target, container: container('app', 'STOPPED')}, {check: true}, deps(fakeSpawn(() => {}).spawn)).catch((e) => e)
    expect(error.code).toBe('PreflightFailed')
    expect(error.hint).toContain('ecsops exec check --cluster prod --task 0f1e2d3c4b5a69788796a5b4c3d2e1f0')
    expect(ecsMock.commandCalls(ExecuteCommandCommand)).toHaveLength(0)
  })

  const noRoute = {
    check: {id: 'network.ssmmessages', group: 'network' as const, title: 'Route to ssmmessages', status: 'fail' as const, detail: 'no route: the subnet has no NAT or internet gateway route and vpc-1 has no com.amazonaws.eu-west-1.ssmmessages endpoint', fix: 'Create an interface endpoint com.amazonaws.eu-west-1.ssmmessages in vpc-1.'},
  }

  it('no route to ssmmessages: the pre-flight fails fast with the finding (exit 1), before any session', async () => {
    const ui = recordingUi()
    const error = await openSession(ui, target, {check: true}, {...deps(fakeSpawn(() => {}).spawn), route: async () => noRoute}).catch((e) => e)
    expect(error).toMatchObject({code: 'PreflightFailed', exitCode: 1, message: 'Pre-flight failed: Route to ssmmessages.'})
    expect(ui.stderr).toEqual([
      'error: Route to ssmmessages: no route: the subnet has no NAT or internet gateway route and vpc-1 has no com.amazonaws.eu-west-1.ssmmessages endpoint',
      '  fix: Create an interface endpoint com.amazonaws.eu-west-1.ssmmessages in vpc-1.',
    ])
    expect(ecsMock.commandCalls(ExecuteCommandCommand)).toHaveLength(0)
  })

  it('a route that only may work (a warning) is said and the session opens; a route that works says nothing', async () => {
    const maybe = {check: {...noRoute.check, status: 'warn' as const, detail: 'through a central endpoint whose private hosted zone is not visible here', fix: null}}
    const ui = recordingUi()
    expect((await openSession(ui, target, {check: true}, {...deps(fakeSpawn((c) => c.emit('exit', 0, null)).spawn), route: async () => maybe})).exitCode).toBe(0)
    expect(ui.stderr[0]).toBe('warning: Route to ssmmessages: through a central endpoint whose private hosted zone is not visible here')
    const fine = {check: {...noRoute.check, status: 'ok' as const, detail: 'through vpce-0123', fix: null}}
    const quiet = recordingUi()
    expect((await openSession(quiet, target, {check: true}, {...deps(fakeSpawn((c) => c.emit('exit', 0, null)).spawn), route: async () => fine})).exitCode).toBe(0)
    expect(quiet.stderr.filter((l) => /ssmmessages/.test(l))).toEqual([])
    expect(ecsMock.commandCalls(ExecuteCommandCommand)).toHaveLength(2)
  })

  it('a route not verified in time is an information line, not a warning, and the session opens', async () => {
    const ui = recordingUi()
    const late = {level: 'info' as const, note: 'The route to ssmmessages was not verified within 3 s; going on without it.'}
    expect((await openSession(ui, target, {check: true}, {...deps(fakeSpawn((c) => c.emit('exit', 0, null)).spawn), route: async () => late})).exitCode).toBe(0)
    expect(ui.stderr[0]).toBe('The route to ssmmessages was not verified within 3 s; going on without it.')
  })

  it('a plugin killed by SIGSEGV is said to have crashed, with what to do; one ended by SIGTERM (on purpose) is not', async () => {
    const ui = recordingUi()
    expect((await openSession(ui, target, {check: true}, deps(fakeSpawn((c) => c.emit('exit', null, 'SIGSEGV')).spawn))).exitCode).toBe(139)
    expect(ui.stderr).toContain('error: session-manager-plugin crashed (killed by SIGSEGV); exit 139. Run `session-manager-plugin --version` to check the installation, or reinstall it.')
    const stopped = recordingUi()
    expect((await openSession(stopped, target, {check: true}, deps(fakeSpawn((c) => c.emit('exit', null, 'SIGTERM')).spawn))).exitCode).toBe(143)
    expect(stopped.stderr.filter((l) => /crashed/.test(l))).toEqual([])
  })

  it('the route is read beside the plugin probe, not after it', async () => {
    let routeAsked!: () => void
    const asked = new Promise<void>((resolve) => (routeAsked = resolve))
    // The probe answers only once the route was asked for: sequential reads would never end.
    const parallel: SessionDeps = {...deps(fakeSpawn((c) => c.emit('exit', 0, null)).spawn), probe: async () => (await asked, {installed: true, version: '1.2.650.0'}), route: async () => (routeAsked(), undefined)}
    expect((await openSession(recordingUi(), target, {check: true}, parallel)).exitCode).toBe(0)
  })

  it('a route that could not be read warns and goes on; --no-check does not read it', async () => {
    const ui = recordingUi()
    const warned: SessionDeps = {...deps(fakeSpawn((c) => c.emit('exit', 0, null)).spawn), route: async () => ({level: 'warn', note: 'The route to ssmmessages was not checked: AccessDenied.'})}
    expect((await openSession(ui, target, {check: true}, warned)).exitCode).toBe(0)
    expect(ui.stderr[0]).toBe('warning: The route to ssmmessages was not checked: AccessDenied.')
    let read = false
    await openSession(recordingUi(), target, {check: false}, {...deps(fakeSpawn((c) => c.emit('exit', 0, null)).spawn), route: async () => ((read = true), noRoute)})
    expect(read).toBe(false)
    expect(ecsMock.commandCalls(ExecuteCommandCommand)).toHaveLength(2)
  })
})

describe('after the plugin exits', () => {
  const cmd = 'ecsops exec check --cluster prod --task 0f1e'
  it('a non-zero exit points at exec check; 0 and a signal the user sent (or its 128 + n exit) do not', () => {
    expect(afterPluginExit(255, undefined, cmd)).toBe('session-manager-plugin exited with 255: `ecsops exec check --cluster prod --task 0f1e` checks what ECS Exec needs.')
    expect(afterPluginExit(139, 'SIGSEGV', cmd)).toBe('session-manager-plugin exited with 139: `ecsops exec check --cluster prod --task 0f1e` checks what ECS Exec needs.')
    expect(afterPluginExit(0, undefined, cmd)).toBeUndefined()
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) expect(afterPluginExit(signalExitCode(signal), signal, cmd)).toBeUndefined()
    expect([130, 143, 129].map((code) => afterPluginExit(code, undefined, cmd))).toEqual([undefined, undefined, undefined])
  })

  it('openSession prints the line with the real cluster and task, once, on stderr', async () => {
    ecsMock.reset()
    ecsMock.on(ExecuteCommandCommand).resolves({clusterArn: CLUSTER_ARN, taskArn: TASK_ARN, containerName: 'app', interactive: true, session: {sessionId: 's', streamUrl: 'wss://x', tokenValue: 't'}})
    const ui = recordingUi()
    const base: SessionDeps = {
      ecs: new ECSClient({region: 'eu-west-1'}),
      ssm: async () => new SSMClient({region: 'eu-west-1'}),
      region: 'eu-west-1',
      endpointUrl: async () => 'https://ecs.eu-west-1.amazonaws.com',
      credentials: async () => ({accessKeyId: 'A', secretAccessKey: 'S'}),
      probe: async () => ({installed: true, version: '1.2.650.0'}),
      spawn: fakeSpawn((c) => c.emit('exit', 255, null)).spawn,
      signals: signalTarget(),
      env: {},
      platform: 'linux',
    }
    const target = {clusterArn: CLUSTER_ARN, task: task(), container: container('app')}
    expect((await openSession(ui, target, {check: true}, base)).exitCode).toBe(255)
    expect(ui.stderr.filter((l) => l.includes('ecsops exec check'))).toEqual([`session-manager-plugin exited with 255: \`ecsops exec check --cluster prod --task ${TASK_ID}\` checks what ECS Exec needs.`])
    const stopped = recordingUi()
    await openSession(stopped, target, {check: true}, {...base, spawn: fakeSpawn((c) => c.emit('exit', null, 'SIGTERM')).spawn})
    expect(stopped.stderr.filter((l) => l.includes('ecsops exec check'))).toEqual([])
  })
})

itSendsOnlyDeclaredActions(execIam, {ecs: ecsMock, ssm: ssmMock})
