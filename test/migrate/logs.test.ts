import {CloudWatchLogsClient, GetLogEventsCommand} from '@aws-sdk/client-cloudwatch-logs'
import {mockClient} from 'aws-sdk-client-mock'
import {beforeEach, describe, expect, it} from 'vitest'

import {migrateIam} from '../../src/migrate/iam.js'
import {LogFollower} from '../../src/migrate/logs.js'
import {itSendsOnlyDeclaredActions} from '../helpers/iam-coverage.js'
import {FakeLogs, sdkFake} from '../helpers/strict-aws.js'

const logsMock = mockClient(CloudWatchLogsClient)

const GROUP = '/ecs/web'
const STREAM = 'ecs/php/abc'

/** A strict GetLogEvents (test/helpers/strict-aws.ts): pages of `pageSize`, the sent token back at the end, a forward token only with startFromHead. */
function fakeStream(pageSize: number): FakeLogs {
  const logs = new FakeLogs(pageSize).create(GROUP, STREAM)
  logsMock.on(GetLogEventsCommand).callsFake(sdkFake(logs.getLogEvents))
  return logs
}

function follower(options: {maxPages?: number} = {}) {
  const lines: string[] = []
  const problems: string[] = []
  const f = new LogFollower(new CloudWatchLogsClient({region: 'eu-west-1'}), {group: GROUP, stream: STREAM, emit: (l) => lines.push(l), onGiveUp: (m) => problems.push(m), maxPages: options.maxPages})
  return {f, lines, problems}
}

describe('LogFollower', () => {
  beforeEach(() => logsMock.reset())

  it('reads from the head across pages, each line once, none skipped, as the stream grows', async () => {
    const stream = fakeStream(2)
    const {f, lines, problems} = follower()
    stream.append(GROUP, STREAM, 'one\n', 'two\n', 'three\n')
    expect(await f.read()).toMatchObject({events: 3, atEnd: true})
    expect(await f.read()).toMatchObject({events: 0, atEnd: true})
    stream.append(GROUP, STREAM, 'four\n', 'five\n', 'six\n', 'seven\n', 'eight\n')
    await f.read()
    expect(lines).toEqual(['one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight'])
    expect(f.emitted).toBe(8)
    expect(problems).toEqual([])
    const first = logsMock.commandCalls(GetLogEventsCommand)[0].args[0].input
    expect(first).toEqual({logGroupName: GROUP, logStreamName: STREAM, startFromHead: true})
    for (const call of logsMock.commandCalls(GetLogEventsCommand).slice(1)) expect(call.args[0].input).toMatchObject({startFromHead: true, nextToken: expect.stringMatching(/^f\/\d+$/)})
  })

  it('stops a read after maxPages and continues from there on the next', async () => {
    const stream = fakeStream(1)
    stream.append(GROUP, STREAM, 'a', 'b', 'c', 'd', 'e')
    const {f, lines} = follower({maxPages: 2})
    expect(await f.read()).toMatchObject({events: 2, atEnd: false})
    expect(await f.read()).toMatchObject({events: 2, atEnd: false})
    await f.read()
    expect(lines).toEqual(['a', 'b', 'c', 'd', 'e'])
  })

  it('keeps multi-line messages whole and strips only the trailing newline', async () => {
    fakeStream(100).append(GROUP, STREAM, 'Traceback:\n  at x\n', 'windows line\r\n')
    const {f, lines} = follower()
    await f.read()
    expect(lines).toEqual(['Traceback:\n  at x', 'windows line'])
  })

  it('treats a stream that does not exist yet as missing, not as an error', async () => {
    const logs = new FakeLogs().create(GROUP)
    logsMock.on(GetLogEventsCommand).callsFake(sdkFake(logs.getLogEvents))
    const {f, problems, lines} = follower()
    expect(await f.read()).toEqual({events: 0, atEnd: true, missing: true})
    expect(f.givenUp).toBe(false)
    expect(problems).toEqual([])
    // The container starts writing: the stream appears and is read from its first line.
    logs.append(GROUP, STREAM, 'Migrating: 2026_11_25_000000_create_users_table')
    expect(await f.read()).toEqual({events: 1, atEnd: true, missing: false})
    expect(lines).toEqual(['Migrating: 2026_11_25_000000_create_users_table'])
  })

  it('gives up once, with the reason, when access is denied', async () => {
    logsMock.on(GetLogEventsCommand).rejects(Object.assign(new Error('User is not authorized to perform: logs:GetLogEvents'), {name: 'AccessDeniedException'}))
    const {f, problems} = follower()
    await f.read()
    await f.read()
    expect(f.givenUp).toBe(true)
    expect(problems).toEqual(['AccessDeniedException: User is not authorized to perform: logs:GetLogEvents'])
    expect(logsMock.commandCalls(GetLogEventsCommand)).toHaveLength(1)
  })

  it('retries after throttling on the next read, from the same token', async () => {
    logsMock
      .on(GetLogEventsCommand)
      .resolvesOnce({events: [{message: 'a'}], nextForwardToken: 'f/1'})
      .rejectsOnce(Object.assign(new Error('Rate exceeded'), {name: 'ThrottlingException'}))
      .resolvesOnce({events: [{message: 'b'}], nextForwardToken: 'f/2'})
      .resolves({events: [], nextForwardToken: 'f/2'})
    const {f, lines} = follower()
    await f.read()
    await f.read()
    expect(logsMock.commandCalls(GetLogEventsCommand)[2].args[0].input.nextToken).toBe('f/1')
    expect(lines).toEqual(['a', 'b'])
    expect(f.givenUp).toBe(false)
  })
})

describe('LogFollower edges', () => {
  beforeEach(() => logsMock.reset())

  it('once given up, a read sends nothing and says the end is reached', async () => {
    logsMock.on(GetLogEventsCommand).rejects(Object.assign(new Error('denied'), {name: 'AccessDeniedException'}))
    const {f} = follower()
    expect(await f.read()).toEqual({events: 0, atEnd: true, missing: false})
    expect(await f.read()).toEqual({events: 0, atEnd: true, missing: false})
    expect(logsMock.commandCalls(GetLogEventsCommand)).toHaveLength(1)
  })

  it('a retryable error is reported with its name and message, and the read is not at the end', async () => {
    logsMock.on(GetLogEventsCommand).rejects(Object.assign(new Error('Rate exceeded'), {name: 'ThrottlingException'}))
    const retried: string[] = []
    const f = new LogFollower(new CloudWatchLogsClient({region: 'eu-west-1'}), {group: GROUP, stream: STREAM, emit: () => {}, onGiveUp: () => {}, onRetryableError: (m) => retried.push(m)})
    expect(await f.read()).toEqual({events: 0, atEnd: false, missing: false})
    expect(retried).toEqual(['ThrottlingException: Rate exceeded'])
  })

  it('an answer without a forward token ends the read (no loop), and events without a message are empty lines', async () => {
    logsMock.on(GetLogEventsCommand).resolves({events: [{timestamp: 1}, {message: 'x\n', timestamp: 2}]})
    const {f, lines} = follower()
    expect(await f.read()).toEqual({events: 2, atEnd: true, missing: false})
    expect(lines).toEqual(['', 'x'])
    expect(logsMock.commandCalls(GetLogEventsCommand)).toHaveLength(1)
  })

  it('an answer without a forward token keeps the token it had: the next read goes on from there, not from the head again (no line printed twice)', async () => {
    logsMock
      .on(GetLogEventsCommand)
      .resolvesOnce({events: [{message: 'one', timestamp: 1}], nextForwardToken: 'f/1'})
      .resolvesOnce({events: [{message: 'two', timestamp: 2}]})
      .resolves({events: [], nextForwardToken: 'f/2'})
    const {f, lines} = follower({maxPages: 2})
    await f.read()
    await f.read()
    expect(lines).toEqual(['one', 'two'])
    expect(logsMock.commandCalls(GetLogEventsCommand).map((c) => c.args[0].input.nextToken)).toEqual([undefined, 'f/1', 'f/1', 'f/2'])
  })

  it('an answer without events is no event', async () => {
    logsMock.on(GetLogEventsCommand).resolves({nextForwardToken: 'f/0'})
    const {f, lines} = follower()
    // The first token is new; the second answer sends it back: the end.
    expect(await f.read()).toEqual({events: 0, atEnd: true, missing: false})
    expect(lines).toEqual([])
    expect(logsMock.commandCalls(GetLogEventsCommand).map((c) => c.args[0].input.nextToken)).toEqual([undefined, 'f/0'])
  })
})

itSendsOnlyDeclaredActions(migrateIam, {logs: logsMock})
