import {existsSync, readFileSync} from 'node:fs'
import {createServer, type AddressInfo, type Server} from 'node:net'
import {setTimeout as sleep} from 'node:timers/promises'

import type {Container, Task} from '@aws-sdk/client-ecs'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {startAwsStub, StubError, type AwsStub} from '../helpers/aws-stub.js'
import {cleanEnv, runCli} from '../helpers/cli.js'
import {installStandInPlugin} from '../helpers/stand-in-plugin.js'

/**
 * `ecsops exec port-forward` as users run it (run `npm run build` first), against a local AWS
 * stub and a stand-in session-manager-plugin that records its argv and environment and, like the
 * real one (portsession handleControlSignals), ends the session and exits 0 on SIGINT.
 */

const CLUSTER_ARN = 'arn:aws:ecs:eu-west-1:123456789012:cluster/prod'
const TASK_ID = '0f1e2d3c4b5a69788796a5b4c3d2e1f0'
const TASK_ARN = `arn:aws:ecs:eu-west-1:123456789012:task/prod/${TASK_ID}`
const RUNTIME_ID = `${TASK_ID}-2531612879`
const SESSION = {SessionId: 'alice-0a1b2c3d4e5f67890', TokenValue: 'SECRET-TOKEN-VALUE', StreamUrl: 'wss://ssmmessages.eu-west-1.amazonaws.com/v1/data-channel/alice-0a1b2c3d4e5f67890?role=publish_subscribe'}
const DB = 'mydb.cluster-abc123.eu-west-1.rds.amazonaws.com'

function wireTask(): unknown {
  const containers: Container[] = [
    {name: 'aws-guardduty-agent-abc', runtimeId: `${TASK_ID}-1`, lastStatus: 'RUNNING'},
    {name: 'app', runtimeId: RUNTIME_ID, lastStatus: 'RUNNING', managedAgents: [{name: 'ExecuteCommandAgent', lastStatus: 'RUNNING'}]},
  ]
  const task: Task = {taskArn: TASK_ARN, clusterArn: CLUSTER_ARN, lastStatus: 'RUNNING', desiredStatus: 'RUNNING', launchType: 'FARGATE', platformVersion: '1.4.0', enableExecuteCommand: true, group: 'service:web', containers}
  return {...task, startedAt: Date.parse('2026-11-25T10:00:00Z') / 1000}
}

const PLUGIN_SOURCE = `#!/usr/bin/env node
const fs = require('fs')
if (process.argv[2] === '--version') { process.stdout.write('1.2.650.0\\n'); process.exit(0) }
const pick = ['AWS_SSM_START_SESSION_RESPONSE', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_REGION']
const env = {}
for (const k of pick) if (process.env[k] !== undefined) env[k] = process.env[k]
process.on('SIGINT', () => { console.log('Terminate signal received, exiting.'); process.exit(0) })
fs.writeFileSync(process.env.FAKE_PLUGIN_RECORD, JSON.stringify({argv: process.argv.slice(2), env}))
console.log('Waiting for connections...')
if (process.env.FAKE_PLUGIN_WAIT) setInterval(() => {}, 1000)
else process.exit(Number(process.env.FAKE_PLUGIN_EXIT || 0))
`

/** The parameters each document defines; StartSession rejects others. */
const DOCUMENT_PARAMETERS: Record<string, string[]> = {
  'AWS-StartPortForwardingSession': ['localPortNumber', 'portNumber'],
  'AWS-StartPortForwardingSessionToRemoteHost': ['host', 'localPortNumber', 'portNumber'],
}

let stub: AwsStub
let plugin: ReturnType<typeof installStandInPlugin>

beforeAll(async () => {
  plugin = installStandInPlugin(PLUGIN_SOURCE, 'ecsops-port-forward-')
  stub = await startAwsStub({
    'ecs:DescribeTasks': (input) => (String(input.tasks[0]).endsWith(TASK_ID) ? {tasks: [wireTask()], failures: []} : {tasks: [], failures: [{arn: input.tasks[0], reason: 'MISSING'}]}),
    'ecs:ListServices': () => ({serviceArns: ['arn:aws:ecs:eu-west-1:123456789012:service/prod/web']}),
    'ecs:ListTasks': () => ({taskArns: [TASK_ARN]}),
    'ssm:StartSession': (input) => {
      const expected = DOCUMENT_PARAMETERS[input.DocumentName]
      if (!expected) throw new StubError('InvalidDocument', `Document ${input.DocumentName} does not exist.`)
      if (Object.keys(input.Parameters ?? {}).sort().join() !== expected.join()) throw new StubError('ValidationException', 'Parameters do not match the document.')
      return SESSION
    },
    'ssm:TerminateSession': (input) => ({SessionId: input.SessionId}),
    'ecs:DescribeClusters': () => ({clusters: [{clusterArn: CLUSTER_ARN, clusterName: 'prod'}], failures: []}),
    'ecs:DescribeTaskDefinition': () => ({taskDefinition: {family: 'web', revision: 42, taskRoleArn: 'arn:aws:iam::123456789012:role/app-task', containerDefinitions: [{name: 'app'}]}}),
    'sts:GetCallerIdentity': () => ({Arn: 'arn:aws:iam::123456789012:user/alice', Account: '123456789012', UserId: 'AIDAEXAMPLE'}),
    'iam:SimulatePrincipalPolicy': (input) => {
      const actions = Object.entries(input as Record<string, string>).filter(([k]) => k.startsWith('ActionNames.member')).map(([, v]) => v)
      const resource = String(input['ResourceArns.member.1'] ?? '*')
      return {EvaluationResults: actions.map((a) => ({EvalActionName: a, EvalResourceName: resource, EvalDecision: resource.endsWith('ToRemoteHost') ? 'implicitDeny' : 'allowed'})), IsTruncated: false}
    },
  })
})

afterAll(async () => {
  await stub?.close()
  plugin?.remove()
})

const env = (extra: Record<string, string | undefined> = {}) => plugin.env(stub, extra)

async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen({host: '127.0.0.1', port: 0}, resolve))
  const {port} = server.address() as AddressInfo
  await new Promise((resolve) => server.close(resolve))
  return port
}

const callsSince = (before: number, action: string) => stub.calls.slice(before).filter((c) => c.action === action)

describe('ecsops exec port-forward (built CLI, stand-in session-manager-plugin)', () => {
  it('--host: StartSession with the remote-host document, the plugin with the six arguments and the SSM endpoint', async () => {
    const port = await freePort()
    const {record, env: e} = env()
    const before = stub.calls.length
    const res = await runCli(['exec', 'port-forward', '--cluster', 'prod', '--task', TASK_ID, '--host', DB, '--port', '5432', '--local-port', String(port)], {env: e})
    expect(res.stderr).not.toContain('error:')
    expect(res.code).toBe(0)
    const request = {Target: `ecs:prod_${TASK_ID}_${RUNTIME_ID}`, DocumentName: 'AWS-StartPortForwardingSessionToRemoteHost', Parameters: {host: [DB], portNumber: ['5432'], localPortNumber: [String(port)]}}
    expect(callsSince(before, 'StartSession').map((c) => c.input)).toEqual([request])
    const recorded = JSON.parse(readFileSync(record, 'utf8'))
    expect(recorded.argv).toEqual(['AWS_SSM_START_SESSION_RESPONSE', 'eu-west-1', 'StartSession', '', JSON.stringify(request), stub.url])
    expect(JSON.parse(recorded.env.AWS_SSM_START_SESSION_RESPONSE)).toEqual(SESSION)
    expect(recorded.env).toMatchObject({AWS_ACCESS_KEY_ID: 'AKIDSTUB', AWS_SECRET_ACCESS_KEY: 'stub-secret', AWS_REGION: 'eu-west-1'})
    expect(res.stderr).toContain(`Forwarding 127.0.0.1:${port} → ${DB}:5432 through task ${TASK_ID} (container app). Ctrl-C to stop.`)
    // The plugin's own messages are progress, on stderr.
    expect(res.stderr).toContain('Waiting for connections...')
    expect(res.stdout).toBe('')
  })

  it('without --host: the task\'s own port, --local-port defaulting to --port; --json prints one document', async () => {
    const port = await freePort()
    const {record, env: e} = env()
    const before = stub.calls.length
    const res = await runCli(['exec', 'port-forward', '--cluster', 'prod', '--service', 'web', '--container', 'app', '--port', String(port), '--json'], {env: e})
    expect(res.code).toBe(0)
    const request = {Target: `ecs:prod_${TASK_ID}_${RUNTIME_ID}`, DocumentName: 'AWS-StartPortForwardingSession', Parameters: {portNumber: [String(port)], localPortNumber: [String(port)]}}
    expect(callsSince(before, 'StartSession').map((c) => c.input)).toEqual([request])
    expect(JSON.parse(readFileSync(record, 'utf8')).argv[4]).toBe(JSON.stringify(request))
    expect(JSON.parse(res.stdout)).toEqual({cluster: 'prod', taskId: TASK_ID, container: 'app', document: 'AWS-StartPortForwardingSession', localPort: port, port, sessionId: SESSION.SessionId, pluginVersion: '1.2.650.0', exitCode: 0})
  })

  it('Ctrl-C (SIGINT to ecsops) reaches the plugin, which ends the session: exit 0', async () => {
    const {record, env: e} = env({FAKE_PLUGIN_WAIT: '1'})
    let pid = 0
    const running = runCli(['exec', 'port-forward', '--cluster', 'prod', '--task', TASK_ID, '--host', DB, '--port', '5432', '--local-port', String(await freePort())], {env: e, onSpawn: (p) => (pid = p)})
    // Wait until the plugin runs (it writes its record first), then press Ctrl-C.
    for (let i = 0; i < 200 && !existsSync(record); i++) await sleep(25)
    expect(existsSync(record)).toBe(true)
    process.kill(pid, 'SIGINT')
    const res = await running
    expect(res.signal).toBeNull()
    expect(res.code).toBe(0)
    expect(res.stderr).toContain('Terminate signal received, exiting.')
  })

  it('a missing container is named with the task\'s containers, exit 2, no session', async () => {
    const {env: e} = env()
    const before = stub.calls.length
    const res = await runCli(['exec', 'port-forward', '--cluster', 'prod', '--task', TASK_ID, '--container', 'nginx', '--port', '8080', '--local-port', String(await freePort())], {env: e})
    expect(res.code).toBe(2)
    expect(res.stderr).toContain(`Container "nginx" is not in task ${TASK_ID}.`)
    expect(res.stderr).toContain('aws-guardduty-agent-abc, app')
    expect(callsSince(before, 'StartSession')).toEqual([])
  })

  it('a taken local port is exit 2 before any AWS call', async () => {
    const server: Server = createServer()
    await new Promise<void>((resolve) => server.listen({host: '127.0.0.1', port: 0}, resolve))
    const {port} = server.address() as AddressInfo
    try {
      const {env: e} = env()
      const before = stub.calls.length
      const res = await runCli(['exec', 'port-forward', '--cluster', 'prod', '--task', TASK_ID, '--host', DB, '--port', String(port)], {env: e})
      expect(res.code).toBe(2)
      expect(res.stderr).toContain(`Local port ${port} on 127.0.0.1 is already in use.`)
      expect(res.stderr).toContain('--local-port')
      expect(stub.calls.length).toBe(before)
    } finally {
      await new Promise((resolve) => server.close(resolve))
    }
  })

  it('bad ports and a missing --port are usage errors (exit 2)', async () => {
    const {env: e} = env()
    for (const args of [['--port', '0'], ['--port', '70000'], ['--port', '80', '--local-port', 'x'], []]) {
      const res = await runCli(['exec', 'port-forward', '--cluster', 'prod', '--task', TASK_ID, ...args], {env: e})
      expect(res.code, args.join(' ')).toBe(2)
    }
  })
})

describe('ecsops exec check --port-forward and iam-policy (built CLI)', () => {
  it('adds the port-forwarding group; a denied document fails the check', async () => {
    const {env: e} = env()
    const res = await runCli(['exec', 'check', '--cluster', 'prod', '--task', TASK_ID, '--port-forward', '--json'], {env: e})
    const doc = JSON.parse(res.stdout)
    const group = doc.results.filter((r: {group: string}) => r.group === 'port-forward').map((r: {id: string; status: string}) => [r.id, r.status])
    expect(group).toEqual([
      ['port-forward.start-session-task', 'ok'],
      ['port-forward.document.AWS-StartPortForwardingSession', 'ok'],
      ['port-forward.document.AWS-StartPortForwardingSessionToRemoteHost', 'fail'],
    ])
    expect(res.code).toBe(1)
  })

  it('iam-policy "exec port-forward" lists ssm:StartSession and no ecs:ExecuteCommand', async () => {
    const res = await runCli(['iam-policy', 'exec port-forward'], {env: cleanEnv()})
    expect(res.code).toBe(0)
    const actions: string[] = JSON.parse(res.stdout).Statement.flatMap((s: {Action: string[]}) => s.Action)
    expect(actions).toEqual(expect.arrayContaining(['ssm:StartSession', 'ssm:TerminateSession', 'ecs:DescribeTasks']))
    expect(actions).not.toContain('ecs:ExecuteCommand')
  })

  it('iam-policy takes a two-word command as typed: exec check, exec port-forward (unquoted, quoted or with a colon alike)', async () => {
    for (const command of ['exec check', 'exec port-forward']) {
      const typed = await runCli(['iam-policy', ...command.split(' ')], {env: cleanEnv()})
      expect(typed.stderr).toBe('')
      expect(typed.code).toBe(0)
      const quoted = await runCli(['iam-policy', command], {env: cleanEnv()})
      const colon = await runCli(['iam-policy', command.replace(' ', ':')], {env: cleanEnv()})
      expect(JSON.parse(typed.stdout)).toEqual(JSON.parse(quoted.stdout))
      expect(JSON.parse(typed.stdout)).toEqual(JSON.parse(colon.stdout))
    }
    const check = await runCli(['iam-policy', 'exec', 'check'], {env: cleanEnv()})
    expect(JSON.parse(check.stdout).Statement.flatMap((s: {Action: string[]}) => s.Action)).toContain('iam:SimulatePrincipalPolicy')
    const unknown = await runCli(['iam-policy', 'exec', 'nope'], {env: cleanEnv()})
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toContain('Unknown command "exec nope" for iam-policy.')
  })
})
