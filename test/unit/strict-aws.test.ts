import {describe, expect, it} from 'vitest'

import {FakeEcs, FakeLogs, stubFake} from '../helpers/strict-aws.js'
import {StubError} from '../helpers/aws-stub.js'

/** The fakes refuse what the real APIs refuse: a test passing against them proves the requests are valid. */

const G = '/ecs/web'
const S = 'ecs/php/abc'

describe('FakeLogs (GetLogEvents)', () => {
  const logs = () => new FakeLogs(2).append(G, S, 'a', 'b', 'c')

  it('reads from the head with startFromHead and returns the sent token at the end', () => {
    const l = logs()
    const first = l.getLogEvents({logGroupName: G, logStreamName: S, startFromHead: true})
    expect(first.events?.map((e) => e.message)).toEqual(['a', 'b'])
    const second = l.getLogEvents({logGroupName: G, logStreamName: S, startFromHead: true, nextToken: first.nextForwardToken})
    expect(second.events?.map((e) => e.message)).toEqual(['c'])
    const end = l.getLogEvents({logGroupName: G, logStreamName: S, startFromHead: true, nextToken: second.nextForwardToken})
    expect(end.events).toEqual([])
    expect(end.nextForwardToken).toBe(second.nextForwardToken)
  })

  it('without startFromHead returns the latest events, as AWS does by default', () => {
    expect(logs().getLogEvents({logGroupName: G, logStreamName: S}).events?.map((e) => e.message)).toEqual(['b', 'c'])
  })

  it('refuses a forward token without startFromHead: true, an unknown token, a bad limit, missing names', () => {
    const l = logs()
    const token = l.getLogEvents({logGroupName: G, logStreamName: S, startFromHead: true}).nextForwardToken
    expect(() => l.getLogEvents({logGroupName: G, logStreamName: S, nextToken: token})).toThrow(expect.objectContaining({name: 'InvalidParameterException'}))
    expect(() => l.getLogEvents({logGroupName: G, logStreamName: S, startFromHead: true, nextToken: 'f/99'})).toThrow('The specified nextToken is invalid.')
    expect(() => l.getLogEvents({logGroupName: G, logStreamName: S, limit: 10_001})).toThrow(expect.objectContaining({name: 'InvalidParameterException'}))
    expect(() => l.getLogEvents({logGroupName: G} as never)).toThrow('logStreamName is required.')
    expect(() => l.getLogEvents({logStreamName: S})).toThrow('Specify exactly one of logGroupName and logGroupIdentifier.')
  })

  it('an unknown group or stream is ResourceNotFoundException', () => {
    const l = new FakeLogs().create(G)
    expect(() => l.getLogEvents({logGroupName: '/nope', logStreamName: S})).toThrow(expect.objectContaining({name: 'ResourceNotFoundException', message: 'The specified log group does not exist.'}))
    expect(() => l.getLogEvents({logGroupName: G, logStreamName: S})).toThrow(expect.objectContaining({name: 'ResourceNotFoundException', message: 'The specified log stream does not exist.'}))
  })
})

describe('FakeEcs', () => {
  const arn = (id: string) => `arn:aws:ecs:eu-west-1:123456789012:task/prod/${id}`
  const running = (id: string, extra = {}) => ({taskArn: arn(id), lastStatus: 'RUNNING', desiredStatus: 'RUNNING', group: 'service:web', enableExecuteCommand: true, ...extra})
  const ecs = () =>
    new FakeEcs().cluster('prod', {
      tasks: [
        running('t1', {containers: [{name: 'envoy', managedAgents: [{name: 'ExecuteCommandAgent' as const, lastStatus: 'RUNNING'}]}, {name: 'app', managedAgents: [{name: 'ExecuteCommandAgent' as const, lastStatus: 'RUNNING'}]}], tags: [{key: 'team', value: 'pay'}]}),
        running('t2', {enableExecuteCommand: false, containers: [{name: 'app', managedAgents: [{name: 'ExecuteCommandAgent' as const, lastStatus: 'RUNNING'}]}]}),
      ],
    })

  it('DescribeTasks: 1 to 100 tasks, by id or either ARN; unknown ones are MISSING failures; tags only on request', () => {
    const out = ecs().describeTasks({cluster: 'prod', tasks: ['t1', arn('t2'), 'arn:aws:ecs:eu-west-1:123456789012:task/t1', 'gone']})
    expect(out.tasks?.map((t) => t.taskArn)).toEqual([arn('t1'), arn('t2'), arn('t1')])
    expect(out.failures).toEqual([{arn: 'gone', reason: 'MISSING'}])
    expect(out.tasks?.[0].tags).toBeUndefined()
    expect(ecs().describeTasks({cluster: 'prod', tasks: ['t1'], include: ['TAGS']}).tasks?.[0].tags).toEqual([{key: 'team', value: 'pay'}])
    expect(() => ecs().describeTasks({cluster: 'prod', tasks: Array.from({length: 101}, (_, i) => `t${i}`)})).toThrow(expect.objectContaining({name: 'InvalidParameterException'}))
    expect(() => ecs().describeTasks({cluster: 'prod', tasks: []})).toThrow('Tasks cannot be empty.')
    expect(() => ecs().describeTasks({tasks: ['t1']})).toThrow(expect.objectContaining({name: 'ClusterNotFoundException'}))
  })

  it('ListTasks: maxResults 1 to 100 with paging; an unknown service is ServiceNotFoundException', () => {
    const first = ecs().listTasks({cluster: 'prod', serviceName: 'web', maxResults: 1})
    expect(first).toMatchObject({taskArns: [arn('t1')], nextToken: '1'})
    expect(ecs().listTasks({cluster: 'prod', serviceName: 'web', nextToken: first.nextToken}).taskArns).toEqual([arn('t2')])
    expect(() => ecs().listTasks({cluster: 'prod', maxResults: 101})).toThrow(expect.objectContaining({name: 'InvalidParameterException'}))
    expect(() => ecs().listTasks({cluster: 'prod', serviceName: 'api'})).toThrow(expect.objectContaining({name: 'ServiceNotFoundException'}))
  })

  it('ExecuteCommand: command, interactive and task required; the container named when the task has several; exec enabled', () => {
    const e = ecs()
    expect(e.executeCommand({cluster: 'prod', task: 't1', container: 'app', command: 'bash', interactive: true})).toMatchObject({containerName: 'app', taskArn: arn('t1'), interactive: true})
    expect(() => e.executeCommand({cluster: 'prod', task: 't1', command: 'bash', interactive: true})).toThrow('specify the container')
    expect(() => e.executeCommand({cluster: 'prod', task: 't1', container: 'nginx', command: 'bash', interactive: true})).toThrow('The container nginx does not exist in the task.')
    expect(() => e.executeCommand({cluster: 'prod', task: 't1', container: 'app', interactive: true} as never)).toThrow('command is required.')
    expect(() => e.executeCommand({cluster: 'prod', task: 't1', container: 'app', command: 'bash'} as never)).toThrow('interactive is required.')
    expect(() => e.executeCommand({cluster: 'prod', task: 't2', container: 'app', command: 'bash', interactive: true})).toThrow(/execute command was not enabled/)
    expect(e.sessionsOpened).toHaveLength(1)
  })
})

describe('stubFake', () => {
  it('sends dates as epoch seconds and rejections as the error code on the wire', () => {
    const fake = stubFake(new FakeEcs().cluster('prod', {tasks: [{taskArn: arn1, startedAt: new Date('2026-11-25T10:00:00Z')}]}).describeTasks)
    expect(fake({cluster: 'prod', tasks: ['t1']})).toEqual({tasks: [{taskArn: arn1, clusterArn: 'arn:aws:ecs:eu-west-1:123456789012:cluster/prod', startedAt: 1_795_600_800}], failures: []})
    expect(() => fake({cluster: 'nope', tasks: ['t1']})).toThrow(StubError)
  })
})
const arn1 = 'arn:aws:ecs:eu-west-1:123456789012:task/prod/t1'
