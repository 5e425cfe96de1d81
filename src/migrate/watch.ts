import type {Task} from '@aws-sdk/client-ecs'

/**
 * Pure: when is the wait for a one-off task over? Decided from one DescribeTasks answer.
 *
 * On Fargate, after the essential container exits the task goes STOPPING → DEPROVISIONING (the
 * ENI is detached) → STOPPED, which can take seconds to minutes; DescribeTasks already shows the
 * container STOPPED with its `exitCode` (and the task's `executionStoppedAt`) during that tail
 * ("Amazon ECS task lifecycle", ECS developer guide; amazon-ecs-agent issue 2995). The container's
 * result is final then: `container-exit` ends the wait unless --wait-stopped asks for STOPPED.
 * A container STOPPED without an exitCode (killed before it ran) waits for the task's reason.
 * DELETED follows STOPPED in the task lifecycle ("DELETED (Task state only): a transition state
 * when a task stops"): terminal too.
 */
export type WatchVerdict =
  /** Poll again. */
  | {kind: 'wait'}
  /** The task reached STOPPED (or DELETED). */
  | {kind: 'task-stopped'}
  /** The container exited with an exit code: its result is final. */
  | {kind: 'container-exit'; exitCode: number}
  /** A non-essential overridden container exited: the other containers would keep the task running, so it must be stopped. */
  | {kind: 'stop-task'}

export const TERMINAL_STATUSES = new Set(['STOPPED', 'DELETED'])

export interface WatchOptions {
  /** --wait-stopped: wait for the task's STOPPED, not only the container's exit. */
  waitStopped: boolean
  /** The overridden container is not essential. */
  notEssential: boolean
  /** ecsops has already sent StopTask for a non-essential container. */
  stopSent: boolean
}

export function watchVerdict(task: Task, containerName: string, options: WatchOptions): WatchVerdict {
  if (TERMINAL_STATUSES.has(task.lastStatus ?? '')) return {kind: 'task-stopped'}
  const mine = task.containers?.find((c) => c.name === containerName)
  if (mine?.lastStatus !== 'STOPPED') return {kind: 'wait'}
  if (options.notEssential && !options.stopSent) return {kind: 'stop-task'}
  if (typeof mine.exitCode === 'number' && !options.waitStopped) return {kind: 'container-exit', exitCode: mine.exitCode}
  return {kind: 'wait'}
}

/**
 * When to stop draining the log after the container exited: `settleMs` after the moment it
 * exited (the task's executionStoppedAt when ECS gave it, else when ecsops saw it), within
 * `maxMs` of `detectedAt`. Times in ms on the caller's clock.
 */
export function drainWindow(detectedAt: number, exitedAgoMs: number, settleMs: number, maxMs: number): {settledAt: number; until: number} {
  return {settledAt: detectedAt + Math.max(0, settleMs - Math.max(0, exitedAgoMs)), until: detectedAt + maxMs}
}
