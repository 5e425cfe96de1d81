import type {Container, Task} from '@aws-sdk/client-ecs'
import {describe, expect, it} from 'vitest'

import {exitCodeOf, pointsAtStartFailure, stopCodeText} from '../../src/migrate/outcome.js'

/** The reasons' sentences (each reason also has a stable code). */
const messages = (o: {details: Array<{message: string}>}) => o.details.map((d) => d.message)

const task = (containers: Container[], extra: Partial<Task> = {}): Task => ({taskArn: 'arn:aws:ecs:eu-west-1:1:task/app/abc', lastStatus: 'STOPPED', containers, ...extra})

describe('exitCodeOf', () => {
  it('passes 0 through', () => {
    const o = exitCodeOf(task([{name: 'php', exitCode: 0}], {stopCode: 'EssentialContainerExited'}), 'php')
    expect(o).toMatchObject({kind: 'succeeded', exit: 0, containerExitCode: 0})
  })

  it('passes a failing exit code through', () => {
    const o = exitCodeOf(task([{name: 'php', exitCode: 3}], {stopCode: 'EssentialContainerExited', stoppedReason: 'Essential container in task exited'}), 'php')
    expect(o).toMatchObject({kind: 'failed', exit: 3, containerExitCode: 3, summary: 'Container php exited with code 3.'})
  })

  it('reads the overridden container, not containers[0]', () => {
    const o = exitCodeOf(task([{name: 'datadog', exitCode: 0}, {name: 'php', exitCode: 1}]), 'php')
    expect(o.exit).toBe(1)
    const p = exitCodeOf(task([{name: 'datadog', exitCode: 143}, {name: 'php', exitCode: 0}]), 'php')
    expect(p.exit).toBe(0)
  })

  it('explains 137 and the container reason (out of memory)', () => {
    const o = exitCodeOf(task([{name: 'php', exitCode: 137, reason: 'OutOfMemoryError: Container killed due to memory usage'}]), 'php')
    expect(o.exit).toBe(137)
    expect(o.summary).toContain('OutOfMemoryError')
    expect(messages(o).join('\n')).toContain('SIGKILL')
  })

  it('says when someone else stopped the task, keeping the container code', () => {
    const o = exitCodeOf(task([{name: 'php', exitCode: 143}], {stopCode: 'UserInitiated', stoppedReason: 'Task stopped by user alice'}), 'php')
    expect(o.exit).toBe(143)
    expect(messages(o).join('\n')).toContain('someone stopped it (StopTask) (UserInitiated): Task stopped by user alice')
  })

  it('passes 0 through but says so when someone else stopped the task', () => {
    const o = exitCodeOf(task([{name: 'php', exitCode: 0}], {stopCode: 'UserInitiated', stoppedReason: 'Task stopped by user alice'}), 'php')
    expect(o).toMatchObject({kind: 'succeeded', exit: 0, containerExitCode: 0})
    expect(messages(o)).toEqual(['The task was stopped because someone stopped it (StopTask) (UserInitiated): Task stopped by user alice. The command may not have finished: check its result.'])
  })

  it('has nothing to add to a plain exit 0', () => {
    expect(messages(exitCodeOf(task([{name: 'php', exitCode: 0}], {stopCode: 'EssentialContainerExited'}), 'php'))).toEqual([])
  })

  it('does not call a container that was running "never ran" when the task was stopped under it (125, may have run in part)', () => {
    const o = exitCodeOf(task([{name: 'php', reason: 'Host EC2 (instance i-1) terminated.'}], {stopCode: 'InfrastructureHealth', stoppedReason: 'Host EC2 terminated', startedAt: new Date(1_700_000_000_000)}), 'php')
    expect(o).toMatchObject({kind: 'stopped', exit: 125, containerExitCode: null})
    expect(o.summary).toBe('Container php has no exit code: the task was stopped before it exited (InfrastructureHealth).')
    expect(o.summary).not.toContain('never ran')
    expect(messages(o)).toContain('Container php: Host EC2 (instance i-1) terminated.')
    expect(messages(o).at(-1)).toContain('may have run in part')
  })

  it('says a Spot interruption stopped the task before the container exited (125)', () => {
    const o = exitCodeOf(task([{name: 'php'}], {stopCode: 'SpotInterruption', stoppedReason: 'Your Spot Task was interrupted.'}), 'php')
    expect(o).toMatchObject({kind: 'never-ran', exit: 125, containerExitCode: null})
    expect(messages(o)[0]).toContain('SpotInterruption')
    expect(messages(o)[0]).toContain('Your Spot Task was interrupted.')
  })

  it('is 125 with the task and container reasons when the task failed to start', () => {
    const o = exitCodeOf(
      task([{name: 'php', reason: 'CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref'}], {
        stopCode: 'TaskFailedToStart',
        stoppedReason: 'CannotPullContainerError: pull image manifest has been retried 5 time(s)',
      }),
      'php',
    )
    expect(o.exit).toBe(125)
    expect(messages(o)).toEqual([
      'The task failed to start: CannotPullContainerError: pull image manifest has been retried 5 time(s)',
      'Container php: CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref',
    ])
  })

  it('maps an exit code outside 0-255 to 1', () => {
    expect(exitCodeOf(task([{name: 'php', exitCode: 300}]), 'php').exit).toBe(1)
  })

  it('names a sidecar that failed beside the migration', () => {
    const o = exitCodeOf(task([{name: 'php', exitCode: 137}, {name: 'envoy', exitCode: 1, reason: 'crashed'}], {stopCode: 'EssentialContainerExited', stoppedReason: 'Essential container in task exited'}), 'php')
    expect(messages(o).join('\n')).toContain('Container envoy (not the migration) exited with code 1: crashed')
  })
})

describe('helpers', () => {
  it('recognises reasons that point at the network', () => {
    expect(pointsAtStartFailure('ResourceInitializationError: unable to pull secrets or registry auth')).toBe(true)
    expect(pointsAtStartFailure('CannotPullContainerError: ref pull has been retried')).toBe(true)
    expect(pointsAtStartFailure('failed to create Cloudwatch log stream: dial tcp 1.2.3.4:443: i/o timeout')).toBe(true)
    expect(pointsAtStartFailure('Essential container in task exited')).toBe(false)
    expect(pointsAtStartFailure(undefined)).toBe(false)
  })

  it('explains stop codes', () => {
    expect(stopCodeText('SpotInterruption')).toContain('reclaimed')
    expect(stopCodeText('SomethingNew')).toBe('SomethingNew')
    expect(stopCodeText(undefined)).toBeUndefined()
  })
})
