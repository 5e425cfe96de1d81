import {DescribeTasksCommand, ECSClient, ListClustersCommand, ListServicesCommand, ListTasksCommand} from '@aws-sdk/client-ecs'
import {mockClient} from 'aws-sdk-client-mock'
import {beforeEach, describe, expect, it} from 'vitest'

import {execIam} from '../../src/exec/iam.js'
import {clusterOfTaskArn} from '../../src/aws/arn.js'
import {containerChoices, orderTasks, resolveTarget, targetError, taskChoice, taskChoices} from '../../src/exec/pick.js'
import {UsageError} from '../../src/errors.js'
import {pickOne, type PickOptions} from '../../src/ui/prompt.js'
import {itSendsOnlyDeclaredActions} from '../helpers/iam-coverage.js'
import {recordingUi} from '../helpers/ui.js'
import {FakeEcs, sdkFake} from '../helpers/strict-aws.js'
import {CLUSTER_ARN, container, TASK_ARN, TASK_ID, task} from './fixtures.js'

const ecsMock = mockClient(ECSClient)
/** ECS answered by the strict fake (test/helpers/strict-aws.ts): what the real API rejects is rejected. */
const strict = (fake: FakeEcs) => {
  ecsMock.on(DescribeTasksCommand).callsFake(sdkFake(fake.describeTasks))
  ecsMock.on(ListTasksCommand).callsFake(sdkFake(fake.listTasks))
}
const ecs = () => new ECSClient({region: 'eu-west-1'})
const arn = (id: string) => `arn:aws:ecs:eu-west-1:123456789012:task/prod/${id}`

describe('task ordering and choices', () => {
  const old = task({taskArn: arn('old'), startedAt: new Date('2026-11-25T08:00:00Z')})
  const fresh = task({taskArn: arn('new'), startedAt: new Date('2026-11-25T09:00:00Z')})
  const noExec = task({taskArn: arn('noexec'), enableExecuteCommand: false, startedAt: new Date('2026-11-25T10:00:00Z')})
  const pendingAgent = task({taskArn: arn('pending'), containers: [container('app', 'PENDING')], startedAt: new Date('2026-11-25T10:00:00Z')})
  const stopped = task({taskArn: arn('stopped'), lastStatus: 'STOPPED'})

  it('keeps RUNNING tasks only, exec-ready first, newest first', () => {
    expect(orderTasks([noExec, old, stopped, pendingAgent, fresh]).map((t) => t.taskArn)).toEqual([arn('new'), arn('old'), arn('pending'), arn('noexec')])
  })
  it('shows id, task definition revision, start, AZ, exec and agent status', () => {
    expect(taskChoice(fresh).name).toBe('task new  def web:42  started 2026-11-25 09:00  AZ eu-west-1a  exec on  agent RUNNING')
    expect(taskChoice(noExec).name).toContain('exec off (unavailable)')
    expect(taskChoice({...fresh, availabilityZone: undefined, taskDefinitionArn: undefined}).name).toBe('task new  def unknown  started 2026-11-25 09:00  AZ unknown  exec on  agent RUNNING')
    expect(taskChoices([stopped])).toEqual([])
  })
  it('offers only containers whose ExecuteCommandAgent is RUNNING', () => {
    const t = task({containers: [container('app'), container('sidecar', 'STOPPED'), container('guardduty', null), container('worker')]})
    expect(containerChoices(t).map((c) => c.name)).toEqual(['app', 'worker'])
  })
  it('reads the cluster of a new-format task ARN only', () => {
    expect(clusterOfTaskArn(TASK_ARN)).toBe('prod')
    expect(clusterOfTaskArn('arn:aws:ecs:eu-west-1:1:task/abc')).toBeUndefined()
    expect(clusterOfTaskArn('abc')).toBeUndefined()
  })
})

describe('targetError: bad input, one clear error each', () => {
  it('a STOPPED task says when and why', () => {
    const e = targetError(task({lastStatus: 'STOPPED', desiredStatus: 'STOPPED', stoppedAt: new Date('2026-11-25T11:00:00Z'), stopCode: 'UserInitiated', stoppedReason: 'Scaling activity'}), CLUSTER_ARN)
    expect(e?.message).toBe('Task 0f1e2d3c4b5a69788796a5b4c3d2e1f0 is stopped at 2026-11-25T11:00:00.000Z (UserInitiated: Scaling activity).')
    expect(e?.exitCode).toBe(1)
  })
  it('a task on its way down says it is stopping, and why', () => {
    const e = targetError(task({lastStatus: 'DEACTIVATING', desiredStatus: 'STOPPED', stopCode: 'ServiceSchedulerInitiated', stoppedReason: 'Task failed ELB health checks'}), CLUSTER_ARN)
    expect(e?.message).toBe('Task 0f1e2d3c4b5a69788796a5b4c3d2e1f0 is stopping (DEACTIVATING): ServiceSchedulerInitiated: Task failed ELB health checks.')
  })
  it('exec disabled says to update the service with --enable-execute-command and replace the tasks', () => {
    const e = targetError(task({enableExecuteCommand: false}), CLUSTER_ARN)
    expect(e?.hint).toBe('Enable it for the service and replace its tasks: `aws ecs update-service --cluster prod --service web --enable-execute-command --force-new-deployment` (a running task cannot be switched).')
    // A task started alone: no `--service <service>` placeholder.
    const alone = targetError(task({enableExecuteCommand: false, group: 'family:web'}), CLUSTER_ARN)
    expect(alone?.hint).toBe('The task belongs to no service: start a new one with it on (`aws ecs run-task --cluster prod … --enable-execute-command`, or `ecsops migrate`, whose tasks copy the service\'s setting); a running task cannot be switched.')
  })
  it('a container not in the task lists the containers', () => {
    const e = targetError(task(), CLUSTER_ARN, 'nginx')
    expect(e).toBeInstanceOf(UsageError)
    expect(e?.hint).toBe('Containers of the task: aws-guardduty-agent-0a1b2c, app.')
  })
  it('no error for a good target', () => {
    expect(targetError(task(), CLUSTER_ARN, 'app')).toBeUndefined()
  })
})

describe('resolveTarget', () => {
  beforeEach(() => ecsMock.reset())

  it('auto-picks the single cluster, service, task and container without asking', async () => {
    ecsMock.on(ListClustersCommand).resolves({clusterArns: [CLUSTER_ARN]})
    ecsMock.on(ListServicesCommand).resolves({serviceArns: ['arn:aws:ecs:eu-west-1:123456789012:service/prod/web']})
    ecsMock.on(ListTasksCommand).resolves({taskArns: [TASK_ARN]})
    ecsMock.on(DescribeTasksCommand).resolves({tasks: [task()]})
    const ui = recordingUi()
    const target = await resolveTarget(ecs(), ui, {}, pickOne)
    expect(target.clusterArn).toBe(CLUSTER_ARN)
    expect(target.container.name).toBe('app')
    expect(ecsMock.commandCalls(ListTasksCommand)[0].args[0].input).toMatchObject({cluster: CLUSTER_ARN, serviceName: 'web', desiredStatus: 'RUNNING'})
    expect(ui.stderr).toContain('Using container app (the only one).')
  })

  it('without a terminal, a missing choice is an error naming the flag and the candidates', async () => {
    ecsMock.on(ListServicesCommand).resolves({serviceArns: ['arn:aws:ecs:eu-west-1:1:service/prod/web', 'arn:aws:ecs:eu-west-1:1:service/prod/api']})
    const error = await resolveTarget(ecs(), recordingUi(), {cluster: 'prod'}, pickOne).catch((e) => e)
    expect(error).toBeInstanceOf(UsageError)
    expect(error.message).toContain('--service is required')
    expect(error.hint).toBe('Pass one with --service:\n    api\n    web')
  })

  it('a task with ECS Exec off is listed as unavailable and never taken; exec check may still pick it', async () => {
    ecsMock.on(ListTasksCommand).resolves({taskArns: [arn('a'), arn('b')]})
    // The task with exec off is the newest, listed first by ECS.
    ecsMock.on(DescribeTasksCommand).resolves({tasks: [task({taskArn: arn('a'), enableExecuteCommand: false, startedAt: new Date('2026-12-01T10:00:00Z')}), task({taskArn: arn('b'), startedAt: new Date('2026-11-01T10:00:00Z')})]})
    const ui = recordingUi()
    const target = await resolveTarget(ecs(), ui, {cluster: 'prod', service: 'web'}, pickOne)
    expect(target.task.taskArn).toBe(arn('b'))
    expect(ui.stderr.some((l) => /^Using task task .* \(the only one available\)\.$/.test(l))).toBe(true)
    // exec check explains a task that cannot be exec'ed: nothing is disabled there, so without a terminal both are listed.
    const error = await resolveTarget(ecs(), recordingUi(), {cluster: 'prod', service: 'web'}, pickOne, {requireExec: false}).catch((e) => e)
    expect(error.message).toContain('2 tasks match')
    expect(error.hint).not.toContain('ECS Exec off')
  })

  it('--container naming a container none of the running tasks has is an error naming it, before --task is asked for', async () => {
    ecsMock.on(ListTasksCommand).resolves({taskArns: [arn('a'), arn('b')]})
    ecsMock.on(DescribeTasksCommand).resolves({tasks: [task({taskArn: arn('a'), containers: [container('envoy'), container('app')]}), task({taskArn: arn('b'), containers: [container('envoy'), container('app')]})]})
    const error = await resolveTarget(ecs(), recordingUi(), {cluster: 'prod', service: 'web', container: 'nope'}, pickOne).catch((e) => e)
    expect(error).toMatchObject({code: 'ContainerNotFound', exitCode: 2, message: 'Container "nope" is not in the RUNNING tasks of service web.', hint: 'Their containers: envoy, app.'})
    // A container some tasks have narrows the choice to them.
    ecsMock.on(DescribeTasksCommand).resolves({tasks: [task({taskArn: arn('a'), containers: [container('app')]}), task({taskArn: arn('b'), containers: [container('worker')]})]})
    const target = await resolveTarget(ecs(), recordingUi(), {cluster: 'prod', service: 'web', container: 'worker'}, pickOne)
    expect(target.task.taskArn).toBe(arn('b'))
  })

  it('offers the tasks in order through the picker', async () => {
    ecsMock.on(ListTasksCommand).resolves({taskArns: [arn('a'), arn('b')]})
    ecsMock.on(DescribeTasksCommand).resolves({tasks: [task({taskArn: arn('a'), enableExecuteCommand: false}), task({taskArn: arn('b')})]})
    const seen: PickOptions<unknown>[] = []
    const fakePick = (async (_ui: unknown, o: PickOptions<unknown>) => {
      seen.push(o)
      return o.choices[0].value
    }) as typeof pickOne
    const target = await resolveTarget(ecs(), recordingUi(), {cluster: 'prod', service: 'web'}, fakePick)
    expect(seen[0]).toMatchObject({flag: 'task', noun: 'task'})
    expect(seen[0].choices.map((c) => c.name.split('  ')[0])).toEqual(['task b', 'task a'])
    expect(target.task.taskArn).toBe(arn('b'))
  })

  it('describes a given task directly, taking the cluster from its ARN', async () => {
    const sidecar = container('envoy', 'RUNNING', {runtimeId: `${TASK_ID}-1111111111`})
    const app = container('app', 'RUNNING', {runtimeId: `${TASK_ID}-2222222222`})
    strict(new FakeEcs().cluster('prod', {tasks: [task({containers: [sidecar, app]})]}))
    const target = await resolveTarget(ecs(), recordingUi(), {task: TASK_ARN, container: 'app'}, pickOne)
    expect(ecsMock.commandCalls(DescribeTasksCommand)[0].args[0].input).toEqual({cluster: 'prod', tasks: [TASK_ARN]})
    expect(target.container).toEqual(app)
    expect(target.clusterArn).toBe(CLUSTER_ARN)
    expect(ecsMock.commandCalls(ListClustersCommand)).toHaveLength(0)
  })

  it('describes the running tasks of a large service in batches of at most 100 (DescribeTasks\' limit)', async () => {
    const tasks = Array.from({length: 230}, (_, i) => task({taskArn: arn(`t${String(i).padStart(3, '0')}`), startedAt: new Date(Date.UTC(2026, 10, 25, 0, i))}))
    strict(new FakeEcs().cluster('prod', {tasks}))
    let offered: string[] = []
    const firstChoice = (async (_ui: unknown, o: PickOptions<unknown>) => {
      if (o.noun === 'task') offered = o.choices.map((c) => c.name.split(' ')[0])
      return o.choices[0].value
    }) as typeof pickOne
    const target = await resolveTarget(ecs(), recordingUi(), {cluster: 'prod', service: 'web'}, firstChoice)
    expect(ecsMock.commandCalls(DescribeTasksCommand).map((c) => c.args[0].input.tasks?.length)).toEqual([100, 100, 30])
    expect(offered).toHaveLength(230)
    // Newest first.
    expect(target.task.taskArn).toBe(arn('t229'))
  })

  it('for exec check, a task without exec is returned to be explained, not refused', async () => {
    ecsMock.on(DescribeTasksCommand).resolves({tasks: [task({enableExecuteCommand: false})]})
    const target = await resolveTarget(ecs(), recordingUi(), {cluster: 'prod', task: TASK_ARN}, pickOne, {requireExec: false})
    expect(target.task.enableExecuteCommand).toBe(false)
    await expect(resolveTarget(ecs(), recordingUi(), {cluster: 'prod', task: TASK_ARN}, pickOne)).rejects.toMatchObject({code: 'ExecNotEnabled'})
  })

  it('task not found is one clear error', async () => {
    strict(new FakeEcs().cluster('prod', {tasks: [task()]}))
    const error = await resolveTarget(ecs(), recordingUi(), {cluster: 'prod', task: 'abc'}, pickOne).catch((e) => e)
    expect(error.message).toBe('Task abc not found in cluster prod (MISSING).')
    expect(error.exitCode).toBe(3)
  })

  it('explains when no container has a RUNNING agent', async () => {
    ecsMock.on(DescribeTasksCommand).resolves({tasks: [task({containers: [container('app', 'STOPPED')]})]})
    const error = await resolveTarget(ecs(), recordingUi(), {cluster: 'prod', task: 'abc'}, pickOne).catch((e) => e)
    expect(error.message).toContain('No container of task 0f1e2d3c4b5a69788796a5b4c3d2e1f0 has a RUNNING ExecuteCommandAgent (app: STOPPED)')
    expect(error.hint).toContain('ecsops exec check --cluster prod --task 0f1e2d3c4b5a69788796a5b4c3d2e1f0')
  })
})

itSendsOnlyDeclaredActions(execIam, {ecs: ecsMock})
