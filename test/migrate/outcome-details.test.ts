import type {Container, Task, TaskStopCode} from '@aws-sdk/client-ecs'
import {describe, expect, it} from 'vitest'

import {exitCodeOf, pointsAtStartFailure, stopCodeText} from '../../src/migrate/outcome.js'

/**
 * What a failed migration prints under its exit code, line by line, for every way a one-off task
 * ends: the lines are the operator's only explanation in a CI log, so each is pinned exactly.
 * The stop codes and their meaning follow the ECS API reference (Task.stopCode) and "Amazon ECS
 * stopped task error codes".
 */
const TASK_ARN = 'arn:aws:ecs:eu-west-1:123456789012:task/app/0123456789abcdef0123456789abcdef'
const stoppedTask = (containers: Container[] | undefined, extra: Partial<Task> = {}): Task => ({taskArn: TASK_ARN, lastStatus: 'STOPPED', containers, ...extra})
const STARTED = new Date('2026-11-25T10:00:00Z')
/** A stop code ECS may add after this SDK was built. */
const NEW_CODE = 'SomethingNew' as TaskStopCode
/** One line of the explanation: its stable code for scripts, and the sentence. */
const r = (code: string, message: string) => ({code, message})

describe('stopCodeText', () => {
  it.each([
    ['UserInitiated', 'UserInitiated: someone stopped it (StopTask)'],
    ['ServiceSchedulerInitiated', 'ServiceSchedulerInitiated: the ECS service scheduler stopped it'],
    ['SpotInterruption', 'SpotInterruption: its Fargate Spot or Spot capacity was reclaimed'],
    ['TerminationNotice', 'TerminationNotice: its capacity received a termination notice'],
    ['InfrastructureHealth', 'InfrastructureHealth: AWS stopped it after an infrastructure health problem'],
    ['TaskFailedToStart', 'TaskFailedToStart: it failed to start'],
    ['EssentialContainerExited', 'EssentialContainerExited'],
  ])('%s → %s', (code, text) => {
    expect(stopCodeText(code)).toBe(text)
  })

  it('no stop code, or an empty one, has no text', () => {
    expect(stopCodeText(undefined)).toBeUndefined()
    expect(stopCodeText('')).toBeUndefined()
  })
})

describe('pointsAtStartFailure', () => {
  it.each([
    'ResourceInitializationError: failed to validate logger args',
    'CannotPullContainerError: pull image manifest has been retried',
    'failed to create Cloudwatch log stream',
    'unable to pull secrets or registry auth',
    'dial tcp 52.94.0.1:443',
    'read tcp: i/o timeout',
    'context deadline exceeded',
  ])('%s points at the network', (reason) => {
    expect(pointsAtStartFailure(reason)).toBe(true)
  })

  it.each(['OutOfMemoryError: Container killed due to memory usage', 'Essential container in task exited', ''])('%j does not', (reason) => {
    expect(pointsAtStartFailure(reason)).toBe(false)
  })
})

describe('exit code 0', () => {
  it('stopped by ecsops itself (a non-essential migration container): nothing to add', () => {
    const o = exitCodeOf(stoppedTask([{name: 'php', exitCode: 0}], {stopCode: 'UserInitiated', stoppedReason: 'Stopped by ecsops migrate'}), 'php', {stoppedByEcsops: true})
    expect(o).toEqual({kind: 'succeeded', exit: 0, containerExitCode: 0, summary: 'Container php exited with code 0.', details: []})
  })

  it('stopped by ecsops, but not by StopTask: still said', () => {
    const o = exitCodeOf(stoppedTask([{name: 'php', exitCode: 0}], {stopCode: 'SpotInterruption'}), 'php', {stoppedByEcsops: true})
    expect(o.details).toEqual([r('STOPPED_BY_OTHERS', 'The task was stopped because its Fargate Spot or Spot capacity was reclaimed (SpotInterruption): no reason given. The command may not have finished: check its result.')])
  })

  it('a stop code ecsops does not know is named as it is', () => {
    const o = exitCodeOf(stoppedTask([{name: 'php', exitCode: 0}], {stopCode: NEW_CODE, stoppedReason: 'why'}), 'php')
    expect(o.details).toEqual([r('STOPPED_BY_OTHERS', 'The task was stopped because SomethingNew (SomethingNew): why. The command may not have finished: check its result.')])
  })
})

describe('a failed container', () => {
  it('every line: the container reason, 137, who stopped the task, the sidecars that failed (not those that passed or never exited)', () => {
    const o = exitCodeOf(
      stoppedTask(
        [
          {name: 'envoy', exitCode: 1, reason: 'crashed'},
          {name: 'php', exitCode: 137, reason: 'OutOfMemoryError: Container killed due to memory usage'},
          {name: 'datadog', exitCode: 0},
          {name: 'xray'},
          {name: 'fluent', exitCode: 2},
        ],
        {stopCode: 'ServiceSchedulerInitiated', stoppedReason: 'Scaling activity initiated by deployment'},
      ),
      'php',
    )
    expect(o).toMatchObject({kind: 'failed', exit: 137, containerExitCode: 137, summary: 'Container php exited with code 137 (OutOfMemoryError: Container killed due to memory usage).'})
    expect(o.details).toEqual([
      r('CONTAINER_REASON', 'Container php: OutOfMemoryError: Container killed due to memory usage'),
      r('SIGKILL', '137 means the process was killed (SIGKILL): out of memory, or the task was stopped and did not exit within its stop timeout.'),
      r('STOPPED_BY_OTHERS', 'The task was stopped because the ECS service scheduler stopped it (ServiceSchedulerInitiated): Scaling activity initiated by deployment'),
      r('OTHER_CONTAINER', 'Container envoy (not the migration) exited with code 1: crashed.'),
      r('OTHER_CONTAINER', 'Container fluent (not the migration) exited with code 2.'),
    ])
  })

  it('a plain failure after the essential container exited: no line but the code', () => {
    const o = exitCodeOf(stoppedTask([{name: 'php', exitCode: 1}], {stopCode: 'EssentialContainerExited', stoppedReason: 'Essential container in task exited'}), 'php')
    expect(o.details).toEqual([])
    expect(o.summary).toBe('Container php exited with code 1.')
  })

  it('stopped by ecsops (UserInitiated) after the container failed: not blamed on someone else', () => {
    const o = exitCodeOf(stoppedTask([{name: 'php', exitCode: 2}], {stopCode: 'UserInitiated', stoppedReason: 'Stopped by ecsops migrate'}), 'php', {stoppedByEcsops: true})
    expect(o.details).toEqual([])
  })

  it('stopped by someone without a reason', () => {
    const o = exitCodeOf(stoppedTask([{name: 'php', exitCode: 143}], {stopCode: 'UserInitiated'}), 'php')
    expect(o.details).toEqual([r('STOPPED_BY_OTHERS', 'The task was stopped because someone stopped it (StopTask) (UserInitiated): no reason given')])
  })
})

describe('no exit code: stopped while running', () => {
  it('with a stop code and a container reason', () => {
    const o = exitCodeOf(stoppedTask([{name: 'php', reason: 'Task was interrupted'}], {startedAt: STARTED, stopCode: 'SpotInterruption', stoppedReason: 'Your Spot Task was interrupted.'}), 'php')
    expect(o).toEqual({
      kind: 'stopped',
      exit: 125,
      containerExitCode: null,
      summary: 'Container php has no exit code: the task was stopped before it exited (SpotInterruption).',
      details: [
        r('STOPPED_WHILE_RUNNING', 'The task was stopped while container php was running, before it exited, because its Fargate Spot or Spot capacity was reclaimed (SpotInterruption): Your Spot Task was interrupted.'),
        r('CONTAINER_REASON', 'Container php: Task was interrupted'),
        r('MAY_HAVE_RUN_IN_PART', 'The command may have run in part: check its result before running it again.'),
      ],
    })
  })

  it('without a stop code, reason or container reason', () => {
    const o = exitCodeOf(stoppedTask([{name: 'php'}], {startedAt: STARTED}), 'php')
    expect(o.summary).toBe('Container php has no exit code: the task was stopped before it exited (no reason given).')
    expect(o.details).toEqual([
      r('STOPPED_WHILE_RUNNING', 'The task was stopped while container php was running, before it exited, because of an unknown reason: no reason given'),
      r('MAY_HAVE_RUN_IN_PART', 'The command may have run in part: check its result before running it again.'),
    ])
  })

  it('a stop code ecsops does not know is named as it is', () => {
    const o = exitCodeOf(stoppedTask([{name: 'php'}], {startedAt: STARTED, stopCode: NEW_CODE, stoppedReason: 'why'}), 'php')
    expect(o.details[0]).toEqual(r('STOPPED_WHILE_RUNNING', 'The task was stopped while container php was running, before it exited, because SomethingNew (SomethingNew): why'))
  })

  it('TaskFailedToStart with a start time is still "never ran"', () => {
    expect(exitCodeOf(stoppedTask([{name: 'php'}], {startedAt: STARTED, stopCode: 'TaskFailedToStart', stoppedReason: 'x'}), 'php').kind).toBe('never-ran')
  })
})

describe('no exit code: never ran', () => {
  it('failed to start: the task reason, then each container reason, the migration first', () => {
    const o = exitCodeOf(
      stoppedTask([{name: 'envoy', reason: 'CannotStartContainerError: dependency failed'}, {name: 'php', reason: 'ResourceInitializationError: unable to pull secrets'}, {name: 'datadog'}], {
        stopCode: 'TaskFailedToStart',
        stoppedReason: 'ResourceInitializationError: unable to pull secrets or registry auth',
      }),
      'php',
    )
    expect(o).toEqual({
      kind: 'never-ran',
      exit: 125,
      containerExitCode: null,
      summary: 'Container php never ran: ResourceInitializationError: unable to pull secrets',
      details: [
        r('TASK_FAILED_TO_START', 'The task failed to start: ResourceInitializationError: unable to pull secrets or registry auth'),
        r('CONTAINER_REASON', 'Container php: ResourceInitializationError: unable to pull secrets'),
        r('OTHER_CONTAINER', 'Container envoy: CannotStartContainerError: dependency failed'),
      ],
    })
  })

  it('stopped before it started, by someone: says who; the summary falls back on the task reason', () => {
    const o = exitCodeOf(stoppedTask([{name: 'php'}], {stopCode: 'UserInitiated', stoppedReason: 'Task stopped by user alice'}), 'php')
    expect(o.summary).toBe('Container php never ran: Task stopped by user alice')
    expect(o.details).toEqual([r('STOPPED_BEFORE_EXIT', 'The task was stopped before container php exited because someone stopped it (StopTask) (UserInitiated): Task stopped by user alice')])
  })

  it('an unknown stop code is named as it is', () => {
    const o = exitCodeOf(stoppedTask([{name: 'php'}], {stopCode: NEW_CODE}), 'php')
    expect(o.details).toEqual([r('STOPPED_BEFORE_EXIT', 'The task was stopped before container php exited because SomethingNew (SomethingNew): no reason given')])
  })

  it('no stop code: the task reason alone', () => {
    const o = exitCodeOf(stoppedTask([{name: 'php'}], {stoppedReason: 'Task failed'}), 'php')
    expect(o.details).toEqual([r('TASK_STOPPED', 'The task stopped: Task failed')])
  })

  it('exit code 0 with a reason from ECS: a success, and the reason is said (ECS can report OutOfMemoryError with 0)', () => {
    const o = exitCodeOf(stoppedTask([{name: 'php', exitCode: 0, reason: 'OutOfMemoryError: Container killed due to memory usage'}], {stopCode: 'EssentialContainerExited'}), 'php')
    expect(o).toEqual({
      kind: 'succeeded',
      exit: 0,
      containerExitCode: 0,
      summary: 'Container php exited with code 0.',
      details: [r('CONTAINER_REASON', 'Container php exited with code 0, but ECS reports: OutOfMemoryError: Container killed due to memory usage')],
    })
  })

  it('a task that ran, stopped by someone, whose container is not there (a renamed container): stopped, not a crash', () => {
    const o = exitCodeOf(stoppedTask([{name: 'app', exitCode: 0}], {startedAt: STARTED, stopCode: 'UserInitiated', stoppedReason: 'Task stopped by user alice'}), 'php')
    expect(o.kind).toBe('stopped')
    expect(o.details.map((d) => d.code)).toEqual(['STOPPED_WHILE_RUNNING', 'MAY_HAVE_RUN_IN_PART'])
  })

  it('a task without the container (or without containers at all) says so', () => {
    expect(exitCodeOf(stoppedTask([{name: 'app', reason: 'r'}]), 'php').details).toEqual([r('TASK_STOPPED', 'The task stopped: no reason given'), r('NO_SUCH_CONTAINER', 'The task has no container named php.'), r('OTHER_CONTAINER', 'Container app: r')])
    const none = exitCodeOf(stoppedTask(undefined, {stoppedReason: 'gone'}), 'php')
    expect(none).toEqual({kind: 'never-ran', exit: 125, containerExitCode: null, summary: 'Container php never ran: gone', details: [r('TASK_STOPPED', 'The task stopped: gone'), r('NO_SUCH_CONTAINER', 'The task has no container named php.')]})
  })
})
