import {EventEmitter} from 'node:events'
import type {ChildProcess, SpawnOptions} from 'node:child_process'

import {DescribeTasksCommand, ECSClient, ExecuteCommandCommand, ListTasksCommand, type Container, type ManagedAgent, type Task} from '@aws-sdk/client-ecs'
import {SSMClient} from '@aws-sdk/client-ssm'
import {mockClient} from 'aws-sdk-client-mock'
import {beforeEach, describe, expect, it} from 'vitest'

import {execIam} from '../../src/exec/iam.js'
import {resolveTarget} from '../../src/exec/pick.js'
import {openSession, type SessionDeps} from '../../src/exec/session.js'
import {pickOne, type PickOptions} from '../../src/ui/prompt.js'
import {itSendsOnlyDeclaredActions} from '../helpers/iam-coverage.js'
import {FakeEcs, sdkFake} from '../helpers/strict-aws.js'
import {recordingUi} from '../helpers/ui.js'
import {TASK_ARN, TASK_ID, task} from './fixtures.js'

/**
 * The session opens in the container the user chose: the plugin's target is
 * `ecs:<cluster>_<task id>_<runtimeId of THAT container>`, and ExecuteCommand names it. Every task
 * here has the chosen container somewhere other than first, each container with its own runtimeId.
 */

const ecsMock = mockClient(ECSClient)
const ssmMock = mockClient(SSMClient)

const agent = (lastStatus: string): ManagedAgent[] => [{name: 'ExecuteCommandAgent', lastStatus}]
const containerOf = (name: string, agentStatus: string | null, runtimeId: string): Container => ({
  name,
  runtimeId,
  lastStatus: 'RUNNING',
  containerArn: `arn:aws:ecs:eu-west-1:123456789012:container/prod/${TASK_ID}/${name}`,
  ...(agentStatus === null ? {} : {managedAgents: agent(agentStatus)}),
})

const ENVOY = containerOf('envoy', 'RUNNING', `${TASK_ID}-1111111111`)
const APP = containerOf('app', 'RUNNING', `${TASK_ID}-2222222222`)
const WORKER = containerOf('worker', 'RUNNING', `${TASK_ID}-3333333333`)
const XRAY = containerOf('xray', 'STOPPED', `${TASK_ID}-4444444444`)
const GUARDDUTY = containerOf('aws-guardduty-agent-x1', null, `${TASK_ID}-5555555555`)

function world(containers: Container[]): FakeEcs {
  const ecs = new FakeEcs().cluster('prod', {tasks: [task({containers}) satisfies Task]})
  ecsMock.on(DescribeTasksCommand).callsFake(sdkFake(ecs.describeTasks))
  ecsMock.on(ListTasksCommand).callsFake(sdkFake(ecs.listTasks))
  ecsMock.on(ExecuteCommandCommand).callsFake(sdkFake(ecs.executeCommand))
  return ecs
}

function deps(): SessionDeps & {spawned: Array<{args: string[]; options: SpawnOptions}>} {
  const spawned: Array<{args: string[]; options: SpawnOptions}> = []
  return {
    spawned,
    ecs: new ECSClient({region: 'eu-west-1'}),
    ssm: async () => new SSMClient({region: 'eu-west-1'}),
    region: 'eu-west-1',
    endpointUrl: async () => 'https://ecs.eu-west-1.amazonaws.com',
    credentials: async () => ({accessKeyId: 'ASIAEXAMPLE', secretAccessKey: 'secret'}),
    probe: async () => ({installed: true, version: '1.2.650.0'}),
    spawn: (_file: string, args: string[], options: SpawnOptions) => {
      spawned.push({args, options})
      const child = new EventEmitter()
      queueMicrotask(() => child.emit('exit', 0, null))
      return child as unknown as ChildProcess
    },
    signals: {on: () => {}, removeListener: () => {}},
    env: {},
    platform: 'linux',
  }
}

const targetArgument = (runtimeId: string) => `{"Target":"ecs:prod_${TASK_ID}_${runtimeId}"}`

async function execInto(wanted: {container?: string; service?: string}, pick: typeof pickOne = pickOne) {
  const ecs = new ECSClient({region: 'eu-west-1'})
  const target = await resolveTarget(ecs, recordingUi(), {cluster: 'prod', ...(wanted.service ? {service: wanted.service} : {task: TASK_ID}), container: wanted.container}, pick)
  const d = deps()
  const result = await openSession(recordingUi(), target, {check: true}, d)
  return {target, result, args: d.spawned[0]?.args}
}

describe('exec opens the session in the chosen container, wherever it stands in the task', () => {
  beforeEach(() => {
    ecsMock.reset()
    ssmMock.reset()
  })

  it.each([
    ['the second container', [ENVOY, APP, WORKER], 'app', APP],
    ['the last container', [ENVOY, APP, WORKER], 'worker', WORKER],
    ['a container after ones without a running agent', [GUARDDUTY, XRAY, APP], 'app', APP],
  ])('--container names %s: its runtimeId is the target, its name goes to ExecuteCommand', async (_where, containers, name, chosen) => {
    const ecs = world(containers)
    const {target, args, result} = await execInto({container: name})
    expect(target.container.runtimeId).toBe(chosen.runtimeId)
    expect(args?.[4]).toBe(targetArgument(chosen.runtimeId!))
    expect(ecs.sessionsOpened).toEqual([{cluster: 'arn:aws:ecs:eu-west-1:123456789012:cluster/prod', task: TASK_ARN, container: name, command: 'bash', interactive: true}])
    expect(result.container).toBe(name)
  })

  it('the only container with a RUNNING exec agent is taken, not the first container of the task', async () => {
    const ecs = world([XRAY, GUARDDUTY, WORKER])
    const {args} = await execInto({})
    expect(args?.[4]).toBe(targetArgument(WORKER.runtimeId!))
    expect(ecs.sessionsOpened.map((s) => s.container)).toEqual(['worker'])
  })

  it('the container picked from a prompt is the one the session opens in', async () => {
    const ecs = world([ENVOY, APP, WORKER])
    const offered: Record<string, string[]> = {}
    const pickLast = (async (_ui: unknown, options: PickOptions<unknown>) => {
      offered[options.noun] = options.choices.map((c) => c.name)
      return options.choices.at(-1)!.value
    }) as typeof pickOne
    const {args} = await execInto({service: 'web'}, pickLast)
    expect(offered.container).toEqual(['envoy', 'app', 'worker'])
    expect(args?.[4]).toBe(targetArgument(WORKER.runtimeId!))
    expect(ecs.sessionsOpened.map((s) => s.container)).toEqual(['worker'])
  })
})

itSendsOnlyDeclaredActions(execIam, {ecs: ecsMock, ssm: ssmMock})
