import type {Container, ECSClient, Task} from '@aws-sdk/client-ecs'
import {enableExecFix} from './enable-fix.js'

import {AwsCallError, EcsopsError, UsageError} from '../errors.js'
import {ExitCode} from '../exit-codes.js'
import type {Ui} from '../ui/output.js'
import type {Choice} from '../ui/prompt.js'
import {EXEC_AGENT, execAgentOf} from './checks.js'
import {clusterNameOf, clusterOfTaskArn, serviceNameOf, taskIdOf} from '../aws/arn.js'

/** What `ecsops exec` opens a session into. */
export interface ExecTarget {
  clusterArn: string
  task: Task
  container: Container
}

export interface TargetWanted {
  cluster?: string
  service?: string
  task?: string
  container?: string
}

// ---------------------------------------------------------------- pure: ids, choices, ordering

export function agentStatusOf(container: Container): string {
  return execAgentOf(container)?.lastStatus ?? 'none'
}

function revisionOf(task: Task): string {
  const match = /task-definition\/(.+)$/.exec(task.taskDefinitionArn ?? '')
  return match ? match[1] : (task.taskDefinitionArn ?? 'unknown')
}

function execAgentSummary(task: Task): string {
  const statuses = (task.containers ?? []).map((c) => execAgentOf(c)?.lastStatus).filter(Boolean)
  if (statuses.length === 0) return 'none'
  return statuses.every((s) => s === 'RUNNING') ? 'RUNNING' : [...new Set(statuses)].join('/')
}

/**
 * RUNNING tasks, best candidates first: exec enabled with a RUNNING agent, then exec enabled,
 * then the others; newest first within each.
 */
export function orderTasks(tasks: Task[]): Task[] {
  const rank = (t: Task) => (t.enableExecuteCommand ? ((t.containers ?? []).some((c) => agentStatusOf(c) === 'RUNNING') ? 0 : 1) : 2)
  const started = (t: Task) => (t.startedAt ? new Date(t.startedAt).getTime() : 0)
  return tasks.filter((t) => t.lastStatus === 'RUNNING').sort((a, b) => rank(a) - rank(b) || started(b) - started(a))
}

export function taskChoice(task: Task): Choice<Task> {
  const id = taskIdOf(task.taskArn ?? '')
  const started = task.startedAt ? new Date(task.startedAt).toISOString().replace('T', ' ').slice(0, 16) : 'not started'
  // Every column says what it is (no bare value, no `?`): task id, task definition, start, zone, exec, agent.
  const parts = [`task ${id}`, `def ${revisionOf(task)}`, `started ${started}`, `AZ ${task.availabilityZone ?? 'unknown'}`, `exec ${task.enableExecuteCommand ? 'on' : 'off (unavailable)'}`, `agent ${execAgentSummary(task)}`]
  return {value: task, name: parts.join('  '), keywords: parts.join(' '), description: task.group}
}

export function taskChoices(tasks: Task[]): Choice<Task>[] {
  return orderTasks(tasks).map(taskChoice)
}

/** Containers whose ExecuteCommandAgent is RUNNING, in task order. */
export function containerChoices(task: Task): Choice<Container>[] {
  return (task.containers ?? [])
    .filter((c) => agentStatusOf(c) === 'RUNNING')
    .map((c) => ({value: c, name: c.name ?? '?', description: c.image, keywords: `${c.name} ${c.image ?? ''}`}))
}

export function nameChoices(arns: string[], nameOf: (arn: string) => string): Choice<string>[] {
  return arns
    .map((arn) => ({value: arn, name: nameOf(arn)}))
    .sort((a, b) => a.name.localeCompare(b.name))
}

/**
 * Why a session cannot be opened into this task and container, as a user-facing error, or
 * undefined. These are bad input, checked even with --no-check.
 */
export function targetError(task: Task, clusterArn: string, containerName?: string): EcsopsError | undefined {
  const id = taskIdOf(task.taskArn ?? '')
  if (task.lastStatus !== 'RUNNING') {
    const stopped = task.stoppedAt ? ` at ${new Date(task.stoppedAt).toISOString()}` : ''
    const why = [task.stopCode, task.stoppedReason].filter(Boolean).join(': ')
    const state =
      task.lastStatus === 'STOPPED'
        ? `stopped${stopped}${why ? ` (${why})` : ''}`
        : task.desiredStatus === 'STOPPED'
          ? `stopping (${task.lastStatus ?? 'status unknown'})${why ? `: ${why}` : ''}`
          : `${task.lastStatus ?? 'not RUNNING'}, not RUNNING yet`
    return new EcsopsError(`Task ${id} is ${state}.`, {exit: ExitCode.PROBLEMS, code: 'TaskNotRunning', hint: 'Pick a RUNNING task: run `ecsops exec` without --task to choose one.'})
  }
  if (!task.enableExecuteCommand) {
    return new EcsopsError(`Task ${id} was started without enableExecuteCommand: ECS Exec cannot open a session into it.`, {
      exit: ExitCode.PROBLEMS,
      code: 'ExecNotEnabled',
      hint: enableExecFix(task.group, clusterNameOf(clusterArn)),
    })
  }
  if (containerName !== undefined && !(task.containers ?? []).some((c) => c.name === containerName)) {
    const names = (task.containers ?? []).map((c) => c.name).join(', ')
    return new UsageError(`Container "${containerName}" is not in task ${id}.`, {code: 'ContainerNotFound', hint: `Containers of the task: ${names}.`})
  }
  return undefined
}

// ---------------------------------------------------------------- I/O

async function listAll(fetchPage: (token?: string) => Promise<{arns?: string[]; next?: string}>): Promise<string[]> {
  const arns: string[] = []
  let token: string | undefined
  do {
    const page = await fetchPage(token)
    arns.push(...(page.arns ?? []))
    token = page.next
  } while (token)
  return arns
}

export async function listClusters(ecs: ECSClient): Promise<string[]> {
  const {ListClustersCommand} = await import('@aws-sdk/client-ecs')
  return listAll(async (nextToken) => {
    const out = await ecs.send(new ListClustersCommand({nextToken}))
    return {arns: out.clusterArns, next: out.nextToken}
  })
}

export async function listServices(ecs: ECSClient, cluster: string): Promise<string[]> {
  const {ListServicesCommand} = await import('@aws-sdk/client-ecs')
  return listAll(async (nextToken) => {
    const out = await ecs.send(new ListServicesCommand({cluster, nextToken}))
    return {arns: out.serviceArns, next: out.nextToken}
  })
}

/** RUNNING tasks of a cluster (of one service when given), described. */
export async function runningTasks(ecs: ECSClient, cluster: string, service?: string): Promise<Task[]> {
  const {ListTasksCommand, DescribeTasksCommand} = await import('@aws-sdk/client-ecs')
  const arns = await listAll(async (nextToken) => {
    const out = await ecs.send(new ListTasksCommand({cluster, serviceName: service, desiredStatus: 'RUNNING', nextToken}))
    return {arns: out.taskArns, next: out.nextToken}
  })
  const batches: string[][] = []
  for (let i = 0; i < arns.length; i += 100) batches.push(arns.slice(i, i + 100))
  const described = await Promise.all(batches.map((tasks) => ecs.send(new DescribeTasksCommand({cluster, tasks}))))
  return described.flatMap((d) => d.tasks ?? [])
}

/** One task by id or ARN; an error naming the task when ECS does not know it. */
export async function describeTask(ecs: ECSClient, cluster: string, task: string): Promise<Task> {
  const {DescribeTasksCommand} = await import('@aws-sdk/client-ecs')
  const out = await ecs.send(new DescribeTasksCommand({cluster, tasks: [task]}))
  const found = out.tasks?.[0]
  if (!found) {
    const reason = out.failures?.[0]?.reason ?? 'MISSING'
    throw new AwsCallError(`Task ${task} not found in cluster ${clusterNameOf(cluster)} (${reason}).`, {
      code: 'TaskNotFound',
      hint: `Check the task id and the cluster: \`aws ecs list-tasks --cluster ${clusterNameOf(cluster)}\`; a task stopped more than about an hour ago is no longer described.`,
    })
  }
  return found
}

/**
 * Resolves cluster → service → RUNNING task → container: what the flags and config give is used
 * as is, the rest is picked (only candidate taken, prompt in a terminal, else an error naming the flag).
 */
export async function resolveTarget(
  ecs: ECSClient,
  ui: Ui,
  wanted: TargetWanted,
  pick: typeof import('../ui/prompt.js').pickOne,
  options: {requireExec?: boolean} = {},
): Promise<ExecTarget> {
  let cluster = wanted.cluster ?? (wanted.task ? clusterOfTaskArn(wanted.task) : undefined)
  if (!cluster) {
    const arns = await listClusters(ecs)
    cluster = await pick(ui, {message: 'Which cluster?', flag: 'cluster', noun: 'cluster', choices: nameChoices(arns, clusterNameOf)})
  }
  let task: Task
  if (wanted.task) {
    task = await describeTask(ecs, cluster, wanted.task)
  } else {
    let service = wanted.service
    if (!service) {
      const arns = await listServices(ecs, cluster)
      if (arns.length > 0) service = await pick(ui, {message: 'Which service?', flag: 'service', noun: 'service', choices: nameChoices(arns, serviceNameOf)})
    }
    const running = await runningTasks(ecs, cluster, service ? serviceNameOf(service) : undefined)
    // --container names a container none of the tasks has: say so first, not "--task is required".
    const tasks = wanted.container ? running.filter((t) => (t.containers ?? []).some((c) => c.name === wanted.container)) : running
    if (wanted.container && running.length > 0 && tasks.length === 0) {
      const names = [...new Set(running.flatMap((t) => (t.containers ?? []).map((c) => c.name ?? '')))].filter(Boolean)
      throw new UsageError(`Container "${wanted.container}" is not in the RUNNING tasks${service ? ` of service ${serviceNameOf(service)}` : ''}.`, {hint: `Their containers: ${names.join(', ')}.`, code: 'ContainerNotFound'})
    }
    // Tasks with ECS Exec off are shown but cannot be picked, unless none has it on (then the pick says why, with the fix).
    const offered = options.requireExec !== false && tasks.some((t) => t.enableExecuteCommand)
    const choices = taskChoices(tasks).map((c) => (offered && !c.value.enableExecuteCommand ? {...c, disabled: 'ECS Exec off'} : c))
    if (choices.length === 0) {
      throw new EcsopsError(`No RUNNING task${service ? ` in service ${serviceNameOf(service)}` : ''} of cluster ${clusterNameOf(cluster)}.`, {exit: ExitCode.PROBLEMS, code: 'NoRunningTask', hint: 'Start one, or pick another service with --service.'})
    }
    task = await pick(ui, {message: 'Which task?', flag: 'task', noun: 'task', choices})
  }
  const clusterArn = task.clusterArn ?? cluster
  // exec check explains a task that cannot be exec'ed; only `ecsops exec` stops here.
  if (options.requireExec === false) return {clusterArn, task, container: (task.containers ?? [])[0] ?? {}}
  const problem = targetError(task, clusterArn, wanted.container)
  if (problem) throw problem
  let container: Container | undefined
  if (wanted.container) container = (task.containers ?? []).find((c) => c.name === wanted.container)
  else {
    const choices = containerChoices(task)
    if (choices.length === 0) {
      const statuses = (task.containers ?? []).map((c) => `${c.name}: ${agentStatusOf(c)}`).join(', ')
      throw new EcsopsError(`No container of task ${taskIdOf(task.taskArn ?? '')} has a RUNNING ${EXEC_AGENT} (${statuses}).`, {
        exit: ExitCode.PROBLEMS,
        code: 'ExecAgentNotRunning',
        hint: `\`ecsops exec check --cluster ${clusterNameOf(clusterArn)} --task ${taskIdOf(task.taskArn ?? '')}\` explains why.`,
      })
    }
    container = await pick(ui, {message: 'Which container?', flag: 'container', noun: 'container', choices})
  }
  return {clusterArn, task, container: container as Container}
}
