import type {Task} from '@aws-sdk/client-ecs'

import {ExitCode} from '../exit-codes.js'

/** How a one-off task ended, in the user's words. */
export type OutcomeKind = 'succeeded' | 'failed' | 'never-ran' | 'stopped' | 'timeout' | 'interrupted' | 'detached' | 'started'

/** One reason for how a task ended: a stable code for scripts, and the sentence for people. */
export interface Reason {
  code: string
  message: string
}

export interface Outcome {
  kind: OutcomeKind
  /** The process exit code ecsops ends with. */
  exit: number
  /** The overridden container's own exit code, when it has one. */
  containerExitCode: number | null
  /** One line for a CI annotation. */
  summary: string
  /** The explanation, line by line (task and container reasons). */
  details: Reason[]
}

const STOPPED_BY: Record<string, string> = {
  UserInitiated: 'someone stopped it (StopTask)',
  ServiceSchedulerInitiated: 'the ECS service scheduler stopped it',
  SpotInterruption: 'its Fargate Spot or Spot capacity was reclaimed',
  TerminationNotice: 'its capacity received a termination notice',
  InfrastructureHealth: 'AWS stopped it after an infrastructure health problem',
  TaskFailedToStart: 'it failed to start',
}

/** The stopCode explained, e.g. "SpotInterruption: its Fargate Spot or Spot capacity was reclaimed". */
export function stopCodeText(stopCode: string | undefined): string | undefined {
  if (!stopCode) return undefined
  return STOPPED_BY[stopCode] ? `${stopCode}: ${STOPPED_BY[stopCode]}` : stopCode
}

/** Reasons of a task that could not start: pulling the image or secrets, or creating its log stream (the network, the execution role or a missing reference), which the preflight explains. */
export function pointsAtStartFailure(reason: string | undefined): boolean {
  return /ResourceInitializationError|CannotPullContainerError|failed to create Cloudwatch log stream|unable to pull secrets|dial tcp|i\/o timeout|context deadline exceeded/i.test(reason ?? '')
}

/**
 * The exit code of a STOPPED one-off task: the overridden container's `exitCode` passed through
 * (ECS's field is `exitCode`, there is no `exitStatus`), or 125 when that container never ran or
 * has no exit code (the task was stopped under it).
 * Other containers (sidecars) never decide it.
 */
export function exitCodeOf(task: Task, containerName: string, options: {stoppedByEcsops?: boolean} = {}): Outcome {
  const container = task.containers?.find((c) => c.name === containerName)
  const details: Reason[] = []
  const say = (code: string, message: string) => details.push({code, message})
  const stop = stopCodeText(task.stopCode)
  const code = container?.exitCode
  // ecsops stopped the task itself once the (non-essential) container had exited: not news.
  const stoppedByOthers = Boolean(task.stopCode) && task.stopCode !== 'EssentialContainerExited' && !(options.stoppedByEcsops && task.stopCode === 'UserInitiated')
  const others = (task.containers ?? []).filter((c) => c.name !== containerName && c.exitCode !== undefined && c.exitCode !== null)

  if (typeof code === 'number') {
    const exit = code >= 0 && code <= 255 ? code : ExitCode.PROBLEMS
    if (code === 0) {
      // 0 is passed through, but a task someone (or AWS) stopped may have cut the command short.
      if (stoppedByOthers) {
        say('STOPPED_BY_OTHERS', `The task was stopped because ${STOPPED_BY[task.stopCode ?? ''] ?? task.stopCode} (${task.stopCode}): ${task.stoppedReason ?? 'no reason given'}. The command may not have finished: check its result.`)
      }
      // ECS can report a problem with exit code 0 (an OutOfMemoryError reason): say it.
      if (container?.reason) say('CONTAINER_REASON', `Container ${containerName} exited with code 0, but ECS reports: ${container.reason}`)
      return {kind: 'succeeded', exit: 0, containerExitCode: 0, summary: `Container ${containerName} exited with code 0.`, details}
    }
    if (container?.reason) say('CONTAINER_REASON', `Container ${containerName}: ${container.reason}`)
    if (code === 137) say('SIGKILL', `137 means the process was killed (SIGKILL): out of memory, or the task was stopped and did not exit within its stop timeout.`)
    if (stoppedByOthers) say('STOPPED_BY_OTHERS', `The task was stopped because ${STOPPED_BY[task.stopCode ?? ''] ?? task.stopCode} (${task.stopCode}): ${task.stoppedReason ?? 'no reason given'}`)
    for (const other of others) if (other.exitCode !== 0) say('OTHER_CONTAINER', `Container ${other.name} (not the migration) exited with code ${other.exitCode}${other.reason ? `: ${other.reason}` : ''}.`)
    return {kind: 'failed', exit, containerExitCode: code, summary: `Container ${containerName} exited with code ${code}${container?.reason ? ` (${container.reason})` : ''}.`, details}
  }

  // No exit code: the container never ran, or never finished.
  const reason = task.stoppedReason ?? 'no reason given'
  // `startedAt` is set when the task reached RUNNING: the command ran, and was cut short.
  if (task.startedAt && task.stopCode !== 'TaskFailedToStart') {
    say('STOPPED_WHILE_RUNNING', `The task was stopped while container ${containerName} was running, before it exited, because ${STOPPED_BY[task.stopCode ?? ''] ?? task.stopCode ?? 'of an unknown reason'}${task.stopCode ? ` (${task.stopCode})` : ''}: ${reason}`)
    if (container?.reason) say('CONTAINER_REASON', `Container ${containerName}: ${container.reason}`)
    say('MAY_HAVE_RUN_IN_PART', 'The command may have run in part: check its result before running it again.')
    return {kind: 'stopped', exit: ExitCode.NEVER_RAN, containerExitCode: null, summary: `Container ${containerName} has no exit code: the task was stopped before it exited (${task.stopCode ?? reason}).`, details}
  }
  if (task.stopCode === 'TaskFailedToStart') say('TASK_FAILED_TO_START', `The task failed to start: ${reason}`)
  else if (stop) say('STOPPED_BEFORE_EXIT', `The task was stopped before container ${containerName} exited because ${STOPPED_BY[task.stopCode ?? ''] ?? task.stopCode} (${task.stopCode}): ${reason}`)
  else say('TASK_STOPPED', `The task stopped: ${reason}`)
  if (container?.reason) say('CONTAINER_REASON', `Container ${containerName}: ${container.reason}`)
  else if (!container) say('NO_SUCH_CONTAINER', `The task has no container named ${containerName}.`)
  for (const other of task.containers ?? []) if (other.name !== containerName && other.reason) say('OTHER_CONTAINER', `Container ${other.name}: ${other.reason}`)
  const summary = `Container ${containerName} never ran: ${container?.reason ?? reason}`
  return {kind: 'never-ran', exit: ExitCode.NEVER_RAN, containerExitCode: null, summary, details}
}
