/**
 * Strict fakes of the AWS APIs the tests lean on: they answer in the SDK's own output types and
 * reject what the real API rejects (a missing required input, more than 100 tasks, a forward
 * token without startFromHead, an unknown cluster, a container the task does not have), so that
 * a test passes only when ecsops sends what AWS accepts. Each rule cites the API page it follows.
 *
 * The same fake serves both kinds of tests:
 * - `aws-sdk-client-mock` on the real SDK clients: `mock.on(GetLogEventsCommand).callsFake(sdkFake(logs.getLogEvents))`
 * - the built CLI against the local stub (test/helpers/aws-stub.ts): `'logs:GetLogEvents': stubFake(logs.getLogEvents)`
 */
import {
  InvalidParameterException as LogsInvalidParameterException,
  ResourceNotFoundException as LogsResourceNotFoundException,
  type GetLogEventsCommandInput,
  type GetLogEventsCommandOutput,
  type OutputLogEvent,
} from '@aws-sdk/client-cloudwatch-logs'
import {
  ClusterNotFoundException,
  InvalidParameterException,
  ServiceNotFoundException,
  type Container,
  type DescribeTasksCommandInput,
  type DescribeTasksCommandOutput,
  type ExecuteCommandCommandInput,
  type ExecuteCommandCommandOutput,
  type ListTasksCommandInput,
  type ListTasksCommandOutput,
  type Task,
} from '@aws-sdk/client-ecs'

import {StubError} from './aws-stub.js'

const metadata = {$metadata: {httpStatusCode: 200, requestId: 'strict-fake'}}

/** An SDK-style service error (name = the error code), as a real client would throw it. */
type ServiceErrorClass = new (options: {message: string; $metadata: object}) => Error
const reject = (Type: ServiceErrorClass, message: string): Error => new Type({message, $metadata: {httpStatusCode: 400}})

/** For `mock.on(Command).callsFake(…)`: the fake's answer, or its rejection, as a promise. */
export function sdkFake<I, O>(fake: (input: I) => O): (input: I) => Promise<O> {
  return async (input) => fake(input)
}

/**
 * For a handler of the local HTTP stub: the fake's answer with dates as epoch seconds (as the
 * JSON protocols send them), its rejection as the error code and message on the wire.
 */
export function stubFake<I, O>(fake: (input: I) => O): (input: any) => unknown {
  return (input) => {
    try {
      return toWire(fake(input as I))
    } catch (error) {
      const e = error as Error
      throw new StubError(e.name, e.message)
    }
  }
}

function toWire(value: unknown): unknown {
  if (value instanceof Date) return value.getTime() / 1000
  if (Array.isArray(value)) return value.map(toWire)
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).filter(([k, v]) => k !== '$metadata' && v !== undefined).map(([k, v]) => [k, toWire(v)]))
  return value
}

// ---------------------------------------------------------------- CloudWatch Logs

export interface FakeLogEvent {
  message: string
  timestamp: number
}

/**
 * CloudWatch Logs streams that grow as the test appends to them, read with GetLogEvents
 * (https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_GetLogEvents.html):
 * - `logStreamName` is required, and exactly one of `logGroupName` / `logGroupIdentifier`;
 *   `limit` is 1–10,000.
 * - Without a token, `startFromHead: true` reads from the oldest event; false (the default) returns
 *   the latest events first.
 * - "If you are using a previous nextForwardToken value as the nextToken in this operation, you
 *   must specify true for startFromHead": a forward token without it is refused here.
 * - nextForwardToken: "If you have reached the end of the stream, it returns the same token you
 *   passed in." Tokens are opaque: only ones this fake issued are accepted.
 * - An unknown group or stream is ResourceNotFoundException.
 */
export class FakeLogs {
  private readonly groups = new Map<string, Map<string, FakeLogEvent[]>>()
  private clock = 1_764_064_800_000

  /** `pageSize`: events per answer when the request sets no `limit` (AWS: up to 1 MB or 10,000). */
  constructor(private readonly pageSize = 10_000) {}

  /** Creates the group (and the stream, when named) without events. */
  create(group: string, stream?: string): this {
    const streams = this.groups.get(group) ?? new Map<string, FakeLogEvent[]>()
    this.groups.set(group, streams)
    if (stream !== undefined && !streams.has(stream)) streams.set(stream, [])
    return this
  }

  /** Appends events (creating the group and stream) as the container would write them. */
  append(group: string, stream: string, ...messages: string[]): this {
    this.create(group, stream)
    const events = this.groups.get(group)!.get(stream)!
    for (const message of messages) events.push({message, timestamp: (this.clock += 1000)})
    return this
  }

  readonly getLogEvents = (input: GetLogEventsCommandInput): GetLogEventsCommandOutput => {
    if (!input.logStreamName) throw reject(LogsInvalidParameterException, 'logStreamName is required.')
    if (Boolean(input.logGroupName) === Boolean(input.logGroupIdentifier)) throw reject(LogsInvalidParameterException, 'Specify exactly one of logGroupName and logGroupIdentifier.')
    if (input.limit !== undefined && (input.limit < 1 || input.limit > 10_000)) throw reject(LogsInvalidParameterException, `limit must be between 1 and 10000, got ${input.limit}.`)
    const group = input.logGroupName ?? input.logGroupIdentifier!.replace(/^arn:[^:]+:logs:[^:]+:\d+:log-group:/, '').replace(/:\*$/, '')
    const streams = this.groups.get(group)
    if (!streams) throw reject(LogsResourceNotFoundException, 'The specified log group does not exist.')
    const events = streams.get(input.logStreamName)
    if (!events) throw reject(LogsResourceNotFoundException, 'The specified log stream does not exist.')
    const limit = input.limit ?? this.pageSize
    const page = (from: number, to: number) => events.slice(from, to).map((e): OutputLogEvent => ({message: e.message, timestamp: e.timestamp, ingestionTime: e.timestamp + 200}))

    if (input.nextToken === undefined) {
      if (input.startFromHead === true) {
        const out = page(0, limit)
        return {events: out, nextForwardToken: `f/${out.length}`, nextBackwardToken: 'b/0', ...metadata}
      }
      const from = Math.max(0, events.length - limit)
      return {events: page(from, events.length), nextForwardToken: `f/${events.length}`, nextBackwardToken: `b/${from}`, ...metadata}
    }
    const token = /^([fb])\/(\d+)$/.exec(input.nextToken)
    if (!token || Number(token[2]) > events.length) throw reject(LogsInvalidParameterException, 'The specified nextToken is invalid.')
    const at = Number(token[2])
    if (token[1] === 'f') {
      if (input.startFromHead !== true) throw reject(LogsInvalidParameterException, 'A nextForwardToken must be sent with startFromHead: true (GetLogEvents API reference).')
      const out = page(at, at + limit)
      // At the end of the stream: the very token that was sent.
      return {events: out, nextForwardToken: `f/${at + out.length}`, nextBackwardToken: `b/${at}`, ...metadata}
    }
    const from = Math.max(0, at - limit)
    return {events: page(from, at), nextForwardToken: `f/${at}`, nextBackwardToken: `b/${from}`, ...metadata}
  }
}

// ---------------------------------------------------------------- ECS

const ACCOUNT = '123456789012'

/** `prod` or `arn:aws:ecs:r:a:cluster/prod` → `prod`. */
const clusterNameOf = (cluster: string) => cluster.replace(/^arn:[^:]+:ecs:[^:]+:\d+:cluster\//, '')
/** Both task ARN formats (`task/<cluster>/<id>`, `task/<id>`) and a bare id → the id. */
const taskIdOf = (task: string) => task.split('/').pop() ?? task

const EXEC_NOT_POSSIBLE =
  'The execute command failed because execute command was not enabled when the task was run or the execute command agent isn\'t running. Wait and try again or run a new task with execute command enabled and try again.'

/**
 * ECS clusters holding tasks, answering DescribeTasks, ListTasks and ExecuteCommand the way the
 * API reference describes them (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/):
 * - DescribeTasks: `tasks` is required, "a list of up to 100 task IDs or full ARN entries"; an
 *   unknown task is a `failures` entry with reason MISSING, not an error; tags only with
 *   `include: ["TAGS"]`.
 * - ListTasks: `maxResults` 1–100 (default 100) with `nextToken` paging; `desiredStatus` defaults
 *   to RUNNING; an unknown `serviceName` is ServiceNotFoundException.
 * - ExecuteCommand: `command`, `interactive` and `task` are required; "a container name only needs
 *   to be specified for tasks containing multiple containers"; a task without exec enabled, or a
 *   container whose ExecuteCommandAgent is not RUNNING, is InvalidParameterException (see
 *   "Troubleshooting issues with ECS Exec" in the ECS developer guide).
 * - Any of them: no `cluster` means the cluster named `default`; an unknown cluster is
 *   ClusterNotFoundException.
 */
export class FakeEcs {
  private readonly clusters = new Map<string, {arn: string; tasks: Task[]; services: Set<string>}>()
  private sessions = 0
  /** ExecuteCommand requests accepted, in order. */
  readonly sessionsOpened: ExecuteCommandCommandInput[] = []
  /** What those requests were answered, in the same order. */
  readonly sessionAnswers: ExecuteCommandCommandOutput[] = []

  constructor(private readonly region = 'eu-west-1') {}

  /** Adds a cluster with its services (their tasks carry `group: service:<name>`) and tasks. */
  cluster(name: string, options: {services?: string[]; tasks?: Task[]} = {}): this {
    const arn = `arn:aws:ecs:${this.region}:${ACCOUNT}:cluster/${name}`
    const tasks = (options.tasks ?? []).map((t) => ({clusterArn: arn, ...t}))
    const services = new Set([...(options.services ?? []), ...tasks.map((t) => /^service:(.+)$/.exec(t.group ?? '')?.[1]).filter((s): s is string => Boolean(s))])
    this.clusters.set(name, {arn, tasks, services})
    return this
  }

  private clusterOf(cluster: string | undefined) {
    const found = this.clusters.get(clusterNameOf(cluster ?? 'default'))
    if (!found) throw reject(ClusterNotFoundException, 'Cluster not found.')
    return found
  }

  private findTask(tasks: Task[], wanted: string): Task | undefined {
    return tasks.find((t) => t.taskArn === wanted || taskIdOf(t.taskArn ?? '') === taskIdOf(wanted))
  }

  readonly describeTasks = (input: DescribeTasksCommandInput): DescribeTasksCommandOutput => {
    if (!input.tasks || input.tasks.length === 0) throw reject(InvalidParameterException, 'Tasks cannot be empty.')
    if (input.tasks.length > 100) throw reject(InvalidParameterException, `Tasks can have at most 100 items, got ${input.tasks.length}.`)
    const {tasks} = this.clusterOf(input.cluster)
    const withTags = input.include?.includes('TAGS') ?? false
    const found: Task[] = []
    const failures: NonNullable<DescribeTasksCommandOutput['failures']> = []
    for (const wanted of input.tasks) {
      const task = this.findTask(tasks, wanted)
      if (!task) failures.push({arn: wanted, reason: 'MISSING'})
      else {
        const copy = structuredClone(task)
        if (!withTags) delete copy.tags
        found.push(copy)
      }
    }
    return {tasks: found, failures, ...metadata}
  }

  readonly listTasks = (input: ListTasksCommandInput): ListTasksCommandOutput => {
    const max = input.maxResults ?? 100
    if (max < 1 || max > 100) throw reject(InvalidParameterException, `maxResults must be between 1 and 100, got ${max}.`)
    const cluster = this.clusterOf(input.cluster)
    if (input.serviceName !== undefined && !cluster.services.has(input.serviceName.replace(/^.*\//, ''))) throw reject(ServiceNotFoundException, 'Service not found.')
    const desired = input.desiredStatus ?? 'RUNNING'
    const arns = cluster.tasks
      .filter((t) => (t.desiredStatus ?? 'RUNNING') === desired)
      .filter((t) => input.serviceName === undefined || t.group === `service:${input.serviceName.replace(/^.*\//, '')}`)
      .map((t) => t.taskArn!)
    const from = input.nextToken ? Number(input.nextToken) : 0
    const next = from + max < arns.length ? String(from + max) : undefined
    return {taskArns: arns.slice(from, from + max), ...(next ? {nextToken: next} : {}), ...metadata}
  }

  readonly executeCommand = (input: ExecuteCommandCommandInput): ExecuteCommandCommandOutput => {
    if (!input.command) throw reject(InvalidParameterException, 'command is required.')
    if (input.interactive === undefined) throw reject(InvalidParameterException, 'interactive is required.')
    if (input.interactive !== true) throw reject(InvalidParameterException, 'Interactive is the only mode supported currently.')
    if (!input.task) throw reject(InvalidParameterException, 'task is required.')
    const cluster = this.clusterOf(input.cluster)
    const task = this.findTask(cluster.tasks, input.task)
    if (!task || task.lastStatus !== 'RUNNING') throw reject(InvalidParameterException, `The task ${input.task} is not RUNNING in cluster ${clusterNameOf(cluster.arn)}.`)
    const containers = task.containers ?? []
    let container: Container | undefined
    if (input.container === undefined) {
      if (containers.length !== 1) throw reject(InvalidParameterException, 'The task has more than one container: specify the container.')
      container = containers[0]
    } else {
      container = containers.find((c) => c.name === input.container)
      if (!container) throw reject(InvalidParameterException, `The container ${input.container} does not exist in the task.`)
    }
    const agent = container.managedAgents?.find((a) => a.name === 'ExecuteCommandAgent')
    if (!task.enableExecuteCommand || agent?.lastStatus !== 'RUNNING') throw reject(InvalidParameterException, EXEC_NOT_POSSIBLE)
    this.sessionsOpened.push(input)
    const sessionId = `ecs-execute-command-${String(++this.sessions).padStart(17, '0')}`
    const answer: ExecuteCommandCommandOutput = {
      clusterArn: cluster.arn,
      taskArn: task.taskArn,
      containerName: container.name,
      containerArn: container.containerArn ?? `arn:aws:ecs:${this.region}:${ACCOUNT}:container/${clusterNameOf(cluster.arn)}/${taskIdOf(task.taskArn ?? '')}/${container.name}`,
      interactive: true,
      session: {sessionId, streamUrl: `wss://ssmmessages.${this.region}.amazonaws.com/v1/data-channel/${sessionId}?role=publish_subscribe`, tokenValue: `token-of-${sessionId}`},
      ...metadata,
    }
    this.sessionAnswers.push(answer)
    return answer
  }
}
