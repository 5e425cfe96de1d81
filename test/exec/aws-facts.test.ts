/** Exec check rules that real AWS contradicted (issue 10): ECS Anywhere, Windows agents, DEFAULT logging. */
import {describe, expect, it} from 'vitest'

import {execChecks, execLogGroups} from '../../src/exec/checks.js'
import type {CheckResult, ExecFacts} from '../../src/exec/model.js'
import {containerDefinition, goodFacts, task, taskDefinition} from './fixtures.js'

function check(facts: ExecFacts, id: string): CheckResult {
  const found = execChecks(facts, 'linux').find((r) => r.id === id)
  if (!found) throw new Error(`no check ${id}`)
  return found
}

/** A task on a container instance (EC2 or ECS Anywhere) with this agent and OS. */
function onInstance(launchType: 'EC2' | 'EXTERNAL', agentVersion: string, osType = 'linux'): ExecFacts {
  const f = goodFacts()
  f.task = {ok: true, value: task({launchType, containerInstanceArn: 'arn:aws:ecs:eu-west-1:123456789012:container-instance/prod/abc', platformVersion: undefined})}
  f.containerInstance = {ok: true, value: {agentVersion, ec2InstanceId: launchType === 'EC2' ? 'i-0abc' : undefined, osType}}
  return f
}

describe('exec check: where the task runs', () => {
  it('ECS Anywhere (EXTERNAL) is supported: ok, with the agent version checked', () => {
    expect(check(onInstance('EXTERNAL', '1.70.0'), 'task.launch-type')).toMatchObject({status: 'ok', detail: 'EXTERNAL (ECS Anywhere)'})
    expect(check(onInstance('EXTERNAL', '1.40.0'), 'task.agent-version').status).toBe('fail')
  })

  it('Windows container instances need agent 1.56 or later; Linux 1.50.2', () => {
    expect(check(onInstance('EC2', '1.55.0', 'windows'), 'task.agent-version')).toMatchObject({status: 'fail', detail: '1.55.0, required ≥ 1.56.0 on Windows'})
    expect(check(onInstance('EC2', '1.56.0', 'windows'), 'task.agent-version')).toMatchObject({status: 'ok', detail: '1.56.0 (Windows)'})
    expect(check(onInstance('EC2', '1.55.0', 'linux'), 'task.agent-version')).toMatchObject({status: 'ok', detail: '1.55.0'})
    expect(check(onInstance('EC2', '1.50.1', 'linux'), 'task.agent-version').status).toBe('fail')
  })
})

describe('exec check: where session logs go', () => {
  const td = taskDefinition({
    containerDefinitions: [
      containerDefinition('sidecar'),
      containerDefinition('app', {logConfiguration: {logDriver: 'awslogs', options: {'awslogs-group': '/ecs/app', 'awslogs-region': 'eu-west-1'}}}),
    ],
  })

  it('DEFAULT (or unset) logging writes to the containers\' awslogs group; OVERRIDE to the cluster\'s; NONE nowhere', () => {
    expect(execLogGroups({logging: 'DEFAULT'}, td)).toEqual({groups: ['/ecs/app'], why: "logging DEFAULT: the containers' awslogs group"})
    expect(execLogGroups(undefined, td).groups).toEqual(['/ecs/app'])
    expect(execLogGroups({logging: 'OVERRIDE', cloudWatchLogGroupName: '/exec/audit'}, td).groups).toEqual(['/exec/audit'])
    expect(execLogGroups({logging: 'NONE'}, td).groups).toEqual([])
  })

  it('with DEFAULT logging the task role must be allowed the logs actions on that group: a deny is a fail', () => {
    const f = goodFacts()
    f.taskDefinition = {ok: true, value: td}
    f.cluster = {ok: true, value: {arn: 'arn:aws:ecs:eu-west-1:123456789012:cluster/prod', name: 'prod', exec: {logging: 'DEFAULT'}}}
    f.roleDecisions = {ok: true, value: {'ssmmessages:CreateControlChannel': 'allowed', 'ssmmessages:CreateDataChannel': 'allowed', 'ssmmessages:OpenControlChannel': 'allowed', 'ssmmessages:OpenDataChannel': 'allowed', 'logs:DescribeLogGroups': 'allowed', 'logs:CreateLogStream': 'implicitDeny', 'logs:DescribeLogStreams': 'allowed', 'logs:PutLogEvents': 'implicitDeny'}}
    const result = check(f, 'role.cloudwatch-logging')
    expect(result.status).toBe('fail')
    expect(result.detail).toContain("logging DEFAULT: the containers' awslogs group: /ecs/app")
    expect(result.fix).toContain('Allow logs:CreateLogStream, logs:PutLogEvents on log group /ecs/app')
  })
})
