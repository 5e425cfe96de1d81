import {createServer, type Server} from 'node:net'
import type {AddressInfo} from 'node:net'

import {SSMClient, StartSessionCommand, type StartSessionCommandInput, type StartSessionCommandOutput, TerminateSessionCommand} from '@aws-sdk/client-ssm'
import {mockClient} from 'aws-sdk-client-mock'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {ensureLocalPortFree, type ForwardDeps, openForward} from '../../src/exec/forward-session.js'
import {execPortForwardIam} from '../../src/exec/iam.js'
import {fakeSpawn, signalTarget} from '../helpers/fake-process.js'
import {itSendsOnlyDeclaredActions} from '../helpers/iam-coverage.js'
import {recordingUi} from '../helpers/ui.js'
import {CLUSTER_ARN, container, TASK_ID, task} from './fixtures.js'

const ssmMock = mockClient(SSMClient)

const SESSION = {SessionId: 'alice-0a1b2c3d4e5f67890', TokenValue: 'SECRET-TOKEN', StreamUrl: 'wss://ssmmessages.eu-west-1.amazonaws.com/v1/data-channel/alice-0a1b2c3d4e5f67890?role=publish_subscribe'}
const RUNTIME_ID = container('app').runtimeId
const TARGET = `ecs:prod_${TASK_ID}_${RUNTIME_ID}`

/** The parameters each document defines: StartSession rejects others (and missing required ones). */
const DOCUMENT_PARAMETERS: Record<string, string[]> = {
  'AWS-StartPortForwardingSession': ['localPortNumber', 'portNumber'],
  'AWS-StartPortForwardingSessionToRemoteHost': ['host', 'localPortNumber', 'portNumber'],
}

function startSession(input: StartSessionCommandInput): StartSessionCommandOutput {
  const expected = DOCUMENT_PARAMETERS[input.DocumentName ?? '']
  if (!expected) throw Object.assign(new Error(`Document ${input.DocumentName} does not exist.`), {name: 'InvalidDocument', $metadata: {}})
  const given = Object.keys(input.Parameters ?? {}).sort()
  if (given.join() !== expected.join() || Object.values(input.Parameters ?? {}).some((v) => !Array.isArray(v) || v.length !== 1 || typeof v[0] !== 'string')) {
    throw Object.assign(new Error(`Parameters ${given.join(', ')} do not match the document.`), {name: 'ValidationException', $metadata: {}})
  }
  return {...SESSION, $metadata: {}}
}

let servers: Server[] = []
afterEach(async () => {
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))))
  servers = []
})

/** A port that was free a moment ago (listened on, then closed), or one held open while the test runs. */
async function localPort(hold = false): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen({host: '127.0.0.1', port: 0}, resolve))
  const {port} = server.address() as AddressInfo
  if (hold) servers.push(server)
  else await new Promise((resolve) => server.close(resolve))
  return port
}

const target = {clusterArn: CLUSTER_ARN, task: task({containers: [container('sidecar'), container('app')]}), container: container('app')}

describe('openForward', () => {
  beforeEach(() => {
    ssmMock.reset()
    ssmMock.on(StartSessionCommand).callsFake(startSession)
    ssmMock.on(TerminateSessionCommand).resolves({SessionId: SESSION.SessionId})
  })

  const deps = (spawn: ForwardDeps['spawn'], extra: Partial<ForwardDeps> = {}): ForwardDeps => ({
    ssm: async () => new SSMClient({region: 'eu-west-1'}),
    region: 'eu-west-1',
    profile: 'prd',
    endpointUrl: async () => 'https://ssm.eu-west-1.amazonaws.com',
    credentials: async () => ({accessKeyId: 'ASIAEXAMPLE', secretAccessKey: 'secret', sessionToken: 'token'}),
    probe: async () => ({installed: true, version: '1.2.650.0'}),
    spawn,
    signals: signalTarget(),
    env: {PATH: '/bin', AWS_SESSION_TOKEN: 'stale'},
    platform: 'linux',
    ...extra,
  })

  it('--host: StartSession with the remote-host document, then the plugin with the six arguments of `aws ssm start-session`', async () => {
    const port = await localPort()
    const ui = recordingUi()
    const {spawn, spawned} = fakeSpawn((c) => c.emit('exit', 0, null))
    const result = await openForward(ui, target, {port: 5432, host: 'mydb.cluster-abc.eu-west-1.rds.amazonaws.com', localPort: port}, {check: true}, deps(spawn))
    const request = {Target: TARGET, DocumentName: 'AWS-StartPortForwardingSessionToRemoteHost', Parameters: {host: ['mydb.cluster-abc.eu-west-1.rds.amazonaws.com'], portNumber: ['5432'], localPortNumber: [String(port)]}}
    expect(ssmMock.commandCalls(StartSessionCommand).map((c) => c.args[0].input)).toEqual([request])
    expect(spawned).toHaveLength(1)
    expect(spawned[0].file).toBe('session-manager-plugin')
    expect(spawned[0].args).toEqual(['AWS_SSM_START_SESSION_RESPONSE', 'eu-west-1', 'StartSession', '', JSON.stringify(request), 'https://ssm.eu-west-1.amazonaws.com'])
    // As the AWS CLI hands it over: SessionId, TokenValue, StreamUrl.
    expect(JSON.parse(String(spawned[0].options.env?.AWS_SSM_START_SESSION_RESPONSE))).toEqual(SESSION)
    expect(spawned[0].options.env).toMatchObject({AWS_ACCESS_KEY_ID: 'ASIAEXAMPLE', AWS_SECRET_ACCESS_KEY: 'secret', AWS_SESSION_TOKEN: 'token', AWS_PROFILE: 'prd', AWS_REGION: 'eu-west-1', PATH: '/bin'})
    // The plugin's messages are progress: its stdout goes to ecsops's stderr.
    expect(spawned[0].options.stdio).toEqual(['inherit', 2, 'inherit'])
    expect(ui.stderr).toContain(`Forwarding 127.0.0.1:${port} → mydb.cluster-abc.eu-west-1.rds.amazonaws.com:5432 through task ${TASK_ID} (container app). Ctrl-C to stop.`)
    expect(ui.stdout).toEqual([])
    expect(result).toEqual({cluster: 'prod', taskId: TASK_ID, container: 'app', document: 'AWS-StartPortForwardingSessionToRemoteHost', localPort: port, host: 'mydb.cluster-abc.eu-west-1.rds.amazonaws.com', port: 5432, sessionId: SESSION.SessionId, pluginVersion: '1.2.650.0', exitCode: 0})
    expect(ssmMock.commandCalls(TerminateSessionCommand)).toHaveLength(0)
  })

  it('without --host: the task\'s own port; an old plugin gets the response JSON as its first argument', async () => {
    const port = await localPort()
    const {spawn, spawned} = fakeSpawn((c) => c.emit('exit', 0, null))
    await openForward(recordingUi(), target, {port: 8080, localPort: port}, {check: true}, deps(spawn, {probe: async () => ({installed: true, version: '1.2.497.0'})}))
    const request = {Target: TARGET, DocumentName: 'AWS-StartPortForwardingSession', Parameters: {portNumber: ['8080'], localPortNumber: [String(port)]}}
    expect(ssmMock.commandCalls(StartSessionCommand)[0].args[0].input).toEqual(request)
    expect(spawned[0].args).toEqual([JSON.stringify(SESSION), 'eu-west-1', 'StartSession', '', JSON.stringify(request), 'https://ssm.eu-west-1.amazonaws.com'])
    expect(spawned[0].options.env?.AWS_SSM_START_SESSION_RESPONSE).toBeUndefined()
  })

  it('Ctrl-C while the plugin runs reaches it; it ends the session and ecsops exits 0, its listeners removed', async () => {
    const signals = signalTarget()
    const {spawn, spawned} = fakeSpawn((c) => {
      c.on('signal', (s) => c.emit('exit', s === 'SIGINT' ? 0 : 1, null))
      signals.emit('SIGINT')
    })
    const result = await openForward(recordingUi(), target, {port: 8080, localPort: await localPort()}, {check: true}, deps(spawn, {signals}))
    expect(spawned[0].killed).toEqual(['SIGINT'])
    expect(result.exitCode).toBe(0)
    expect(ssmMock.commandCalls(TerminateSessionCommand)).toHaveLength(0)
    expect([...signals.listeners.values()].every((l) => l.length === 0)).toBe(true)
  })

  it('a plugin killed by the Ctrl-C (before its own handler) could not end the session: ecsops ends it and exits 0', async () => {
    const signals = signalTarget()
    const {spawn} = fakeSpawn((c) => {
      c.on('signal', (s) => c.emit('exit', null, s))
      signals.emit('SIGINT')
    })
    const result = await openForward(recordingUi(), target, {port: 8080, localPort: await localPort()}, {check: true}, deps(spawn, {signals}))
    expect(result.exitCode).toBe(0)
    expect(ssmMock.commandCalls(TerminateSessionCommand).map((c) => c.args[0].input)).toEqual([{SessionId: SESSION.SessionId}])
  })

  it('SIGTERM (a cancelled job) is relayed, the session ended, exit 143', async () => {
    const signals = signalTarget()
    const {spawn, spawned} = fakeSpawn((c) => {
      c.on('signal', (s) => c.emit('exit', null, s))
      signals.emit('SIGTERM')
    })
    const result = await openForward(recordingUi(), target, {port: 8080, localPort: await localPort()}, {check: true}, deps(spawn, {signals}))
    expect(spawned[0].killed).toEqual(['SIGTERM'])
    expect(result.exitCode).toBe(143)
    expect(ssmMock.commandCalls(TerminateSessionCommand)).toHaveLength(1)
  })

  it('Ctrl-C during StartSession: the session is ended instead of handed to the plugin, exit 0', async () => {
    const signals = signalTarget()
    ssmMock.on(StartSessionCommand).callsFake((input: StartSessionCommandInput) => {
      signals.emit('SIGINT')
      return startSession(input)
    })
    const ui = recordingUi()
    const {spawn, spawned} = fakeSpawn((c) => c.emit('exit', 0, null))
    const result = await openForward(ui, target, {port: 8080, localPort: await localPort()}, {check: true}, deps(spawn, {signals}))
    expect(spawned).toHaveLength(0)
    expect(ssmMock.commandCalls(TerminateSessionCommand).map((c) => c.args[0].input)).toEqual([{SessionId: SESSION.SessionId}])
    expect(result).toMatchObject({exitCode: 0, sessionId: SESSION.SessionId})
    expect(ui.stderr).toContain(`Interrupted before session-manager-plugin started: session ${SESSION.SessionId} ended.`)
    expect([...signals.listeners.values()].every((l) => l.length === 0)).toBe(true)
  })

  it('passes the plugin\'s own failure through', async () => {
    const result = await openForward(recordingUi(), target, {port: 8080, localPort: await localPort()}, {check: true}, deps(fakeSpawn((c) => c.emit('exit', 1, null)).spawn))
    expect(result.exitCode).toBe(1)
  })

  it('ends the session when the plugin cannot start', async () => {
    const enoent = Object.assign(new Error('spawn session-manager-plugin ENOENT'), {code: 'ENOENT'})
    const error = await openForward(recordingUi(), target, {port: 8080, localPort: await localPort()}, {check: false}, deps(fakeSpawn((c) => c.emit('error', enoent)).spawn)).catch((e) => e)
    expect(error).toMatchObject({code: 'PluginNotStarted', exitCode: 1, message: `Could not start session-manager-plugin: it is not on PATH. The session ${SESSION.SessionId} was ended.`})
    expect(ssmMock.commandCalls(TerminateSessionCommand).map((c) => c.args[0].input)).toEqual([{SessionId: SESSION.SessionId}])
  })

  it('a taken local port is exit 2 before any session starts', async () => {
    const port = await localPort(true)
    const error = await openForward(recordingUi(), target, {port: 5432, host: 'db', localPort: port}, {check: true}, deps(fakeSpawn(() => {}).spawn)).catch((e) => e)
    expect(error).toMatchObject({exitCode: 2, code: 'LocalPortUnavailable', message: `Local port ${port} on 127.0.0.1 is already in use.`})
    expect(error.hint).toContain('--local-port')
    expect(ssmMock.commandCalls(StartSessionCommand)).toHaveLength(0)
  })

  it('a failed pre-flight opens no session and points to exec check --port-forward', async () => {
    const error = await openForward(recordingUi(), {...target, container: container('app', 'STOPPED')}, {port: 8080, localPort: await localPort()}, {check: true}, deps(fakeSpawn(() => {}).spawn)).catch((e) => e)
    expect(error.code).toBe('PreflightFailed')
    expect(error.hint).toContain(`ecsops exec check --cluster prod --task ${TASK_ID} --port-forward`)
    expect(ssmMock.commandCalls(StartSessionCommand)).toHaveLength(0)
  })

  it('resolves the credentials before StartSession: a failure there leaves no session open', async () => {
    const failing = deps(fakeSpawn(() => {}).spawn, {credentials: async () => Promise.reject(new Error('The SSO session has expired'))})
    await expect(openForward(recordingUi(), target, {port: 8080, localPort: await localPort()}, {check: false}, failing)).rejects.toThrow('The SSO session has expired')
    expect(ssmMock.commandCalls(StartSessionCommand)).toHaveLength(0)
  })

  it('a target the agent cannot take points to exec check (exit 3)', async () => {
    ssmMock.on(StartSessionCommand).rejects(Object.assign(new Error(`${TARGET} is not connected.`), {name: 'TargetNotConnected', $metadata: {}}))
    const error = await openForward(recordingUi(), target, {port: 8080, localPort: await localPort()}, {check: true}, deps(fakeSpawn(() => {}).spawn)).catch((e) => e)
    expect(error).toMatchObject({code: 'TargetNotConnected', exitCode: 3})
    expect(error.hint).toContain('--port-forward')
  })
})

describe('ensureLocalPortFree', () => {
  it('passes a free port and rejects one in use', async () => {
    await expect(ensureLocalPortFree(await localPort())).resolves.toBeUndefined()
    await expect(ensureLocalPortFree(await localPort(true))).rejects.toMatchObject({exitCode: 2})
  })
})

itSendsOnlyDeclaredActions(execPortForwardIam, {ssm: ssmMock})
