import {chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {delimiter, join} from 'node:path'

import type {Container, Task} from '@aws-sdk/client-ecs'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {startAwsStub, StubError, type AwsStub} from '../helpers/aws-stub.js'
import {cleanEnv, runCli} from '../helpers/cli.js'
import {FakeEcs, stubFake} from '../helpers/strict-aws.js'

/**
 * The built CLI as users run it (run `npm run build` first), against a local AWS stub and a
 * stand-in session-manager-plugin that records its argv and environment.
 */

const CLUSTER_ARN = 'arn:aws:ecs:eu-west-1:123456789012:cluster/prod'
const TASK_ID = '0f1e2d3c4b5a69788796a5b4c3d2e1f0'
const TASK_ARN = `arn:aws:ecs:eu-west-1:123456789012:task/prod/${TASK_ID}`
/** The other tasks of the cluster, one per state a test needs: no test changes what another sees. */
const STOPPED_ID = '1a2b3c4d5e6f708192a3b4c5d6e7f809'
const NO_EXEC_ID = '9f8e7d6c5b4a39281706f5e4d3c2b1a0'
/** Two awsvpc tasks in a private subnet with no route to ssmmessages: one whose ENI can be read, one whose read is denied. */
const PRIVATE_ID = '5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a'
const PRIVATE_DENIED_ID = '6b6b6b6b6b6b6b6b6b6b6b6b6b6b6b6b'

/** A Fargate task's attachments, the ENI after Service Connect's (found by type, not position). */
const awsvpc = (eni: string): Partial<Task> => ({
  attachments: [
    {id: 'sc', type: 'ServiceConnect', status: 'ATTACHED', details: []},
    {id: 'eni', type: 'ElasticNetworkInterface', status: 'ATTACHED', details: [{name: 'subnetId', value: 'subnet-a'}, {name: 'networkInterfaceId', value: eni}]},
  ],
})
const ec2Xml = (action: string, body: string) => `<?xml version="1.0" encoding="UTF-8"?><${action}Response xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>stub</requestId>${body}</${action}Response>`
/** The exec target is the second container: the first is GuardDuty's agent, which has no exec agent and its own runtimeId. */
const RUNTIME_ID = `${TASK_ID}-2531612879`
const GUARDDUTY_RUNTIME_ID = `${TASK_ID}-1000000001`

function taskOf(id: string, extra: Partial<Task> = {}): Task {
  const containers: Container[] = [
    {name: 'aws-guardduty-agent-abc', runtimeId: id === TASK_ID ? GUARDDUTY_RUNTIME_ID : `${id}-1`, lastStatus: 'RUNNING'},
    {name: 'app', runtimeId: id === TASK_ID ? RUNTIME_ID : `${id}-2`, lastStatus: 'RUNNING', managedAgents: [{name: 'ExecuteCommandAgent', lastStatus: 'RUNNING'}]},
  ]
  return {
    taskArn: `arn:aws:ecs:eu-west-1:123456789012:task/prod/${id}`,
    clusterArn: CLUSTER_ARN,
    taskDefinitionArn: 'arn:aws:ecs:eu-west-1:123456789012:task-definition/web:42',
    lastStatus: 'RUNNING',
    desiredStatus: 'RUNNING',
    launchType: 'FARGATE',
    platformVersion: '1.4.0',
    enableExecuteCommand: true,
    availabilityZone: 'eu-west-1a',
    group: 'service:web',
    startedAt: new Date('2026-11-25T10:00:00Z'),
    containers,
    ...extra,
  }
}

const ecs = new FakeEcs().cluster('prod', {
  tasks: [
    taskOf(TASK_ID),
    taskOf(STOPPED_ID, {lastStatus: 'STOPPED', desiredStatus: 'STOPPED', stoppedAt: new Date('2026-11-25T11:00:00Z'), stopCode: 'EssentialContainerExited', stoppedReason: 'Essential container in task exited'}),
    taskOf(NO_EXEC_ID, {enableExecuteCommand: false, group: 'service:worker', startedAt: new Date('2026-11-25T09:00:00Z')}),
    taskOf(PRIVATE_ID, awsvpc('eni-0a')),
    taskOf(PRIVATE_DENIED_ID, awsvpc('eni-0d')),
  ],
})

const PLUGIN_SOURCE = `#!/usr/bin/env node
const fs = require('fs')
if (process.argv[2] === '--version') { process.stdout.write((process.env.FAKE_PLUGIN_VERSION || '1.2.650.0') + '\\n'); process.exit(0) }
const pick = ['AWS_SSM_START_SESSION_RESPONSE', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_REGION', 'AWS_PROFILE']
const env = {}
for (const k of pick) if (process.env[k] !== undefined) env[k] = process.env[k]
fs.writeFileSync(process.env.FAKE_PLUGIN_RECORD, JSON.stringify({argv: process.argv.slice(2), env}))
// Ctrl-C in the session: the terminal sends SIGINT to the whole foreground group, ecsops included.
if (process.env.FAKE_PLUGIN_SIGINT_PARENT) process.kill(process.ppid, 'SIGINT')
setTimeout(() => process.exit(Number(process.env.FAKE_PLUGIN_EXIT || 0)), 300)
`

let stub: AwsStub
let dir: string
let binDir: string
let emptyDir: string

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ecsops-exec-'))
  binDir = join(dir, 'bin')
  emptyDir = join(dir, 'empty')
  for (const d of [binDir, emptyDir]) mkdirSync(d, {recursive: true})
  writeFileSync(join(binDir, 'session-manager-plugin'), PLUGIN_SOURCE)
  chmodSync(join(binDir, 'session-manager-plugin'), 0o755)
  stub = await startAwsStub({
    'ecs:DescribeTasks': stubFake(ecs.describeTasks),
    'ecs:ListTasks': stubFake(ecs.listTasks),
    'ecs:ListClusters': () => ({clusterArns: [CLUSTER_ARN, 'arn:aws:ecs:eu-west-1:123456789012:cluster/staging']}),
    'ecs:ExecuteCommand': stubFake(ecs.executeCommand),
    'ssm:TerminateSession': (input) => ({SessionId: input.SessionId}),
    // A private subnet: only the local route, no NAT or internet gateway, no VPC endpoint at all.
    'ec2:DescribeNetworkInterfaces': (input) => {
      if (input['NetworkInterfaceId.1'] === 'eni-0d') throw new StubError('UnauthorizedOperation', 'You are not authorized to perform this operation.', 403)
      return ec2Xml('DescribeNetworkInterfaces', `<networkInterfaceSet><item><networkInterfaceId>${input['NetworkInterfaceId.1']}</networkInterfaceId><subnetId>subnet-a</subnetId><vpcId>vpc-1</vpcId><availabilityZone>eu-west-1a</availabilityZone><groupSet><item><groupId>sg-task</groupId><groupName>task</groupName></item></groupSet></item></networkInterfaceSet>`)
    },
    'ec2:DescribeSubnets': () => ec2Xml('DescribeSubnets', '<subnetSet><item><subnetId>subnet-a</subnetId><vpcId>vpc-1</vpcId><availabilityZone>eu-west-1a</availabilityZone><cidrBlock>10.0.1.0/24</cidrBlock><ownerId>123456789012</ownerId></item></subnetSet>'),
    'ec2:DescribeRouteTables': () =>
      ec2Xml('DescribeRouteTables', '<routeTableSet><item><routeTableId>rtb-1</routeTableId><vpcId>vpc-1</vpcId><associationSet><item><routeTableAssociationId>a-1</routeTableAssociationId><routeTableId>rtb-1</routeTableId><main>true</main></item></associationSet><routeSet><item><destinationCidrBlock>10.0.0.0/16</destinationCidrBlock><gatewayId>local</gatewayId><state>active</state></item></routeSet></item></routeTableSet>'),
    'ec2:DescribeVpcEndpoints': () => ec2Xml('DescribeVpcEndpoints', '<vpcEndpointSet/>'),
    'ec2:DescribeSecurityGroups': () => ec2Xml('DescribeSecurityGroups', '<securityGroupInfo><item><ownerId>123456789012</ownerId><groupId>sg-task</groupId><groupName>task</groupName><vpcId>vpc-1</vpcId><ipPermissions/></item></securityGroupInfo>'),
    'ec2:DescribeVpcAttribute': (input) =>
      ec2Xml('DescribeVpcAttribute', `<vpcId>vpc-1</vpcId>${input.Attribute === 'enableDnsSupport' ? '<enableDnsSupport><value>true</value></enableDnsSupport>' : '<enableDnsHostnames><value>true</value></enableDnsHostnames>'}`),
    'ec2:DescribeVpcEndpointServices': () => ec2Xml('DescribeVpcEndpointServices', '<serviceNameSet/><serviceDetailSet/>'),
    'ec2:DescribeNatGateways': () => ec2Xml('DescribeNatGateways', '<natGatewaySet/>'),
    'ecs:DescribeClusters': () => ({clusters: [{clusterArn: CLUSTER_ARN, clusterName: 'prod', configuration: {executeCommandConfiguration: {logging: 'DEFAULT'}}}], failures: []}),
    'ecs:DescribeTaskDefinition': () => ({
      taskDefinition: {family: 'web', revision: 42, taskRoleArn: 'arn:aws:iam::123456789012:role/app-task', containerDefinitions: [{name: 'app', linuxParameters: {initProcessEnabled: true}}]},
    }),
    'sts:GetCallerIdentity': () => ({Arn: 'arn:aws:iam::123456789012:user/alice', Account: '123456789012', UserId: 'AIDAEXAMPLE'}),
    'iam:SimulatePrincipalPolicy': (input) => {
      const actions = Object.entries(input as Record<string, string>).filter(([k]) => k.startsWith('ActionNames.member')).map(([, v]) => v)
      return {EvaluationResults: actions.map((a) => ({EvalActionName: a, EvalDecision: a === 'ssm:StartSession' ? 'implicitDeny' : 'allowed', EvalResourceName: '*'})), IsTruncated: false}
    },
  })
})

afterAll(async () => {
  await stub?.close()
  if (dir) rmSync(dir, {recursive: true, force: true})
})

let runs = 0

/**
 * One run's environment: its own plugin record file and its own access key id, so that the stub
 * calls of this run (`calls(...)`) are told apart from any other test's, whatever the order.
 */
function env(extra: Record<string, string | undefined> = {}) {
  const id = `${process.pid}-${++runs}`
  const record = join(dir, `record-${id}.json`)
  const accessKeyId = `AKIDRUN${id.replace(/\D/g, '')}`
  return {
    record,
    accessKeyId,
    env: cleanEnv({...stub.env(), AWS_ACCESS_KEY_ID: accessKeyId, PATH: `${binDir}${delimiter}${process.env.PATH}`, FAKE_PLUGIN_RECORD: record, ...extra}),
  }
}

/** The stub calls one run made (signed with its access key id), by action. */
const callsOf = (accessKeyId: string, action: string) => stub.calls.filter((c) => c.accessKeyId === accessKeyId && c.action === action)

describe('ecsops exec (built CLI, stand-in session-manager-plugin)', () => {
  it('runs the plugin with the six arguments, the response in the environment, and exits with its code despite Ctrl-C', async () => {
    const {record, accessKeyId, env: e} = env({FAKE_PLUGIN_EXIT: '7', FAKE_PLUGIN_SIGINT_PARENT: '1'})
    const res = await runCli(['exec', '--cluster', CLUSTER_ARN, '--task', TASK_ID], {env: e})
    expect(res.stderr).not.toContain('error:')
    expect(res.signal).toBeNull()
    expect(res.code).toBe(7)
    const recorded = JSON.parse(readFileSync(record, 'utf8'))
    expect(recorded.argv).toEqual(['AWS_SSM_START_SESSION_RESPONSE', 'eu-west-1', 'StartSession', '', `{"Target":"ecs:prod_${TASK_ID}_${RUNTIME_ID}"}`, stub.url])
    // The plugin gets the session ECS answered, whole, and never on its command line.
    const session = JSON.parse(recorded.env.AWS_SSM_START_SESSION_RESPONSE)
    expect(ecs.sessionAnswers.map((a) => a.session)).toContainEqual(session)
    expect(recorded.argv.join(' ')).not.toContain(session.tokenValue)
    expect(recorded.env).toMatchObject({AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: 'stub-secret', AWS_REGION: 'eu-west-1'})
    expect(callsOf(accessKeyId, 'ExecuteCommand').map((c) => c.input)).toEqual([{cluster: CLUSTER_ARN, task: TASK_ARN, container: 'app', command: 'bash', interactive: true}])
    expect(res.stderr.split('\n').filter((l) => l.includes('exec check'))).toEqual([`session-manager-plugin exited with 7: \`ecsops exec check --cluster prod --task ${TASK_ID}\` checks what ECS Exec needs.`])
  })

  it('with a named profile, hands the credentials ecsops resolved to the plugin and names the profile only in AWS_PROFILE', async () => {
    writeFileSync(join(dir, 'credentials'), '[ops]\naws_access_key_id = AKIDFROMPROFILE\naws_secret_access_key = profile-secret\n')
    writeFileSync(join(dir, 'config'), '[profile ops]\nregion = eu-west-1\n')
    const {record, env: e} = env({AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined, AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'), AWS_CONFIG_FILE: join(dir, 'config')})
    const res = await runCli(['exec', '--profile', 'ops', '--cluster', 'prod', '--task', TASK_ID, '--container', 'app'], {env: e})
    expect(res.stderr).not.toContain('error:')
    expect(res.code).toBe(0)
    const recorded = JSON.parse(readFileSync(record, 'utf8'))
    // The plugin (aws-sdk-go v1) would resolve a profile given as its argument before these keys.
    expect(recorded.argv[3]).toBe('')
    expect(recorded.env).toMatchObject({AWS_ACCESS_KEY_ID: 'AKIDFROMPROFILE', AWS_SECRET_ACCESS_KEY: 'profile-secret', AWS_PROFILE: 'ops'})
  })

  it('gives an old plugin the JSON itself', async () => {
    const {record, env: e} = env({FAKE_PLUGIN_VERSION: '1.2.497.0'})
    const res = await runCli(['exec', '--cluster', 'prod', '--task', TASK_ID, '--container', 'app'], {env: e})
    expect(res.code).toBe(0)
    const {argv, env: pluginEnv} = JSON.parse(readFileSync(record, 'utf8'))
    expect(JSON.parse(argv[0])).toEqual({sessionId: expect.stringMatching(/^ecs-execute-command-/), streamUrl: expect.stringContaining('wss://ssmmessages.eu-west-1.amazonaws.com/'), tokenValue: expect.stringMatching(/^token-of-ecs-execute-command-/)})
    expect(argv).toHaveLength(6)
    expect(argv[4]).toBe(`{"Target":"ecs:prod_${TASK_ID}_${RUNTIME_ID}"}`)
    expect(pluginEnv.AWS_SSM_START_SESSION_RESPONSE).toBeUndefined()
  })

  it('sends bare bash when Git Bash rewrote /bin/bash', async () => {
    const {accessKeyId, env: e} = env()
    const res = await runCli(['exec', '--cluster', 'prod', '--task', TASK_ID, '--command', 'C:/Program Files/Git/usr/bin/bash'], {env: e})
    expect(res.code).toBe(0)
    expect(res.stderr).toContain('sending the bare program "bash" instead')
    expect(callsOf(accessKeyId, 'ExecuteCommand').map((c) => c.input.command)).toEqual(['bash'])
  })

  it('takes the command as the words after --, or --command as a JSON array, joined with shell quoting; a word before -- is exit 2', async () => {
    const sent = async (args: string[]) => {
      const {accessKeyId, env: e} = env()
      const res = await runCli(['exec', '--cluster', 'prod', '--task', TASK_ID, ...args], {env: e})
      expect(res.stderr).not.toContain('error:')
      expect(res.code).toBe(0)
      return callsOf(accessKeyId, 'ExecuteCommand').map((c) => c.input.command)
    }
    expect(await sent(['--', 'ls', '-la', '/var/log/my app'])).toEqual(["ls -la '/var/log/my app'"])
    expect(await sent(['--command', '["php","artisan","tinker"]'])).toEqual(['php artisan tinker'])
    expect(await sent(['--command', 'rails console'])).toEqual(['rails console'])
    expect(await sent([])).toEqual(['bash'])
    const stray = await runCli(['exec', '--cluster', 'prod', '--task', TASK_ID, 'ls'], {env: env().env})
    expect(stray.code).toBe(2)
    expect(stray.stderr).toContain('Unexpected argument "ls": the command to run goes after --.')
  })

  it('a task whose subnet has no route to ssmmessages: the pre-flight says so, exit 1, no session and no plugin', async () => {
    const {record, accessKeyId, env: e} = env()
    const res = await runCli(['exec', '--cluster', 'prod', '--task', PRIVATE_ID], {env: e})
    expect(res.code).toBe(1)
    expect(res.stderr).toContain('Route to ssmmessages: no route: the subnet has no NAT or internet gateway route and vpc-1 has no com.amazonaws.eu-west-1.ssmmessages endpoint')
    expect(res.stderr).toContain('Pre-flight failed: Route to ssmmessages.')
    expect(res.stderr).not.toContain('Starting session')
    expect(callsOf(accessKeyId, 'ExecuteCommand')).toEqual([])
    expect(callsOf(accessKeyId, 'DescribeNetworkInterfaces').map((c) => c.input['NetworkInterfaceId.1'])).toEqual(['eni-0a'])
    expect(existsSync(record)).toBe(false)
  })

  it('a denied read of the network warns and the session goes on', async () => {
    const {accessKeyId, env: e} = env()
    const res = await runCli(['exec', '--cluster', 'prod', '--task', PRIVATE_DENIED_ID], {env: e})
    expect(res.stderr).toContain('The route to ssmmessages was not checked (`ecsops iam-policy exec` lists the ec2:Describe* reads it needs): UnauthorizedOperation: You are not authorized to perform this operation. Going on.')
    expect(res.code).toBe(0)
    expect(callsOf(accessKeyId, 'ExecuteCommand')).toHaveLength(1)
  })

  it('ends the session when the plugin cannot be started (--no-check, no plugin on PATH)', async () => {
    const {accessKeyId, env: e} = env({PATH: emptyDir})
    const res = await runCli(['exec', '--cluster', 'prod', '--task', TASK_ID, '--no-check'], {env: e})
    expect(res.code).toBe(1)
    expect(res.stderr).toContain('Could not start session-manager-plugin')
    expect(callsOf(accessKeyId, 'ExecuteCommand')).toHaveLength(1)
    // The session ECS opened is the one ended.
    const ended = callsOf(accessKeyId, 'TerminateSession').map((c) => c.input.SessionId)
    expect(ended).toHaveLength(1)
    expect(ecs.sessionAnswers.map((a) => a.session?.sessionId)).toContain(ended[0])
    expect(res.stderr).toContain(`The session ${ended[0]} was ended.`)
  })

  it('the pre-flight stops before any session when the plugin is missing', async () => {
    const {accessKeyId, env: e} = env({PATH: emptyDir})
    const res = await runCli(['exec', '--cluster', 'prod', '--task', TASK_ID], {env: e})
    expect(res.code).toBe(1)
    expect(res.stderr).toContain('Session Manager plugin: session-manager-plugin is not on PATH')
    expect(res.stderr).toContain(`ecsops exec check --cluster prod --task ${TASK_ID}`)
    expect(callsOf(accessKeyId, 'DescribeTasks')).toHaveLength(1)
    expect(callsOf(accessKeyId, 'ExecuteCommand')).toEqual([])
  })

  it('bad input: unknown task, stopped task, exec disabled, unknown container, no TTY for a choice', async () => {
    const {env: e} = env()
    const missing = await runCli(['exec', '--cluster', 'prod', '--task', 'nope'], {env: e})
    expect(missing.code).toBe(3)
    expect(missing.stderr).toContain('Task nope not found in cluster prod (MISSING).')

    const stopped = await runCli(['exec', '--cluster', 'prod', '--task', STOPPED_ID], {env: e})
    expect(stopped.code).toBe(1)
    expect(stopped.stderr).toContain(`Task ${STOPPED_ID} is stopped at 2026-11-25T11:00:00.000Z (EssentialContainerExited: Essential container in task exited).`)

    const disabled = await runCli(['exec', '--cluster', 'prod', '--task', NO_EXEC_ID], {env: e})
    expect(disabled.code).toBe(1)
    expect(disabled.stderr).toContain('aws ecs update-service --cluster prod --service worker --enable-execute-command --force-new-deployment')

    const noContainer = await runCli(['exec', '--cluster', 'prod', '--task', TASK_ID, '--container', 'nginx'], {env: e})
    expect(noContainer.code).toBe(2)
    expect(noContainer.stderr).toContain('Container "nginx" is not in task')

    const unknownCluster = await runCli(['exec', '--cluster', 'nope', '--task', TASK_ID], {env: e})
    expect(unknownCluster.code).toBe(3)
    expect(unknownCluster.stderr).toContain('Cluster nope not found in eu-west-1 (ClusterNotFoundException).')
    expect(unknownCluster.stdout).toBe('')

    const noCluster = await runCli(['exec', '--task', TASK_ID], {env: e})
    expect(noCluster.code).toBe(2)
    expect(noCluster.stderr).toContain('--cluster is required when ecsops cannot prompt')
    expect(noCluster.stderr).toContain('Pass one with --cluster:\n    prod\n    staging\n')
  })
})

describe('ecsops exec check (built CLI)', () => {
  it('prints one JSON document with every result and exits 1 when a check fails', async () => {
    const {env: e} = env()
    const res = await runCli(['exec', 'check', '--cluster', 'prod', '--task', NO_EXEC_ID, '--json'], {env: e})
    expect(res.code).toBe(1)
    const doc = JSON.parse(res.stdout)
    expect(doc).toMatchObject({region: 'eu-west-1', cluster: 'prod', task: NO_EXEC_ID})
    const byId = Object.fromEntries(doc.results.map((r: {id: string; status: string}) => [r.id, r.status]))
    expect(byId).toMatchObject({'task.exec-enabled': 'fail', 'caller.execute-command': 'ok', 'caller.plugin': 'ok', 'role.ssmmessages': 'ok', 'container.aws-guardduty-agent-abc.agent': 'skip'})
    for (const r of doc.results) expect(Object.keys(r).sort()).toEqual(['detail', 'fix', 'group', 'id', 'status', 'title'])
  })

  it('prints the grouped report and exits 0 when nothing fails', async () => {
    const {env: e} = env()
    const res = await runCli(['exec', 'check', '--cluster', 'prod', '--task', TASK_ID], {env: e})
    // Piped: 80 columns, words never cut, a hanging indent under each result.
    expect(res.stdout.startsWith('ECS Exec check: task 0f1e2d3c4b5a69788796a5b4c3d2e1f0 in cluster prod\n  (eu-west-1)\n')).toBe(true)
    for (const line of res.stdout.split('\n')) if (line.length > 80) expect(line.trim()).not.toContain(' ')
    expect(res.stdout).toContain('Task role')
    expect(res.stdout).toMatch(/0 failed, \d+ warnings?, \d+ ok, \d+ skipped\./)
    expect(res.code).toBe(0)
  })

  it('an unknown cluster is one clear error naming it, exit 3', async () => {
    const {env: e} = env()
    const res = await runCli(['exec', 'check', '--cluster', 'nope', '--task', TASK_ID], {env: e})
    expect(res.code).toBe(3)
    expect(res.stderr).toContain('Cluster nope not found')
    expect(res.stdout).toBe('')
  })

  it('an unknown service is one clear error naming it, exit 3 (exec check and exec)', async () => {
    const {env: e} = env()
    for (const args of [['exec', 'check', '--cluster', 'prod', '--service', 'nope'], ['exec', '--cluster', 'prod', '--service', 'nope']]) {
      const res = await runCli(args, {env: e})
      expect(res.code).toBe(3)
      expect(res.stderr).toContain('Service nope not found in cluster prod (ServiceNotFoundException).')
      expect(res.stderr).toContain('aws ecs list-services --cluster prod')
      expect(res.stdout).toBe('')
    }
  })

  it('an unknown task is one clear error, exit 3', async () => {
    const {env: e} = env()
    const res = await runCli(['exec', 'check', '--cluster', 'prod', '--task', 'nope'], {env: e})
    expect(res.code).toBe(3)
    expect(res.stderr).toContain('Task nope not found in cluster prod')
  })
})
