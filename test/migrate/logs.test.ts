import {CloudWatchLogsClient, GetLogEventsCommand, type GetLogEventsCommandOutput} from '@aws-sdk/client-cloudwatch-logs'
import {mockClient} from 'aws-sdk-client-mock'
import {beforeEach, describe, expect, it} from 'vitest'

import {migrateIam} from '../../src/migrate/iam.js'
import {LogFollower} from '../../src/migrate/logs.js'
import {itSendsOnlyDeclaredActions} from '../helpers/iam-coverage.js'

const logsMock = mockClient(CloudWatchLogsClient)

/** A stream that grows: GetLogEvents pages of `pageSize`, tokens f/<index>, the same token back at the end. */
function fakeStream(pageSize: number) {
  const messages: string[] = []
  logsMock.on(GetLogEventsCommand).callsFake((input): Partial<GetLogEventsCommandOutput> => {
    const from = input.nextToken ? Number(input.nextToken.slice(2)) : 0
    const page = messages.slice(from, from + pageSize)
    return {events: page.map((message, i) => ({message: `${message}\n`, timestamp: 1000 + from + i, ingestionTime: 2000})), nextForwardToken: `f/${from + page.length}`, nextBackwardToken: 'b/0'}
  })
  return messages
}

function follower(options: {maxPages?: number} = {}) {
  const lines: string[] = []
  const problems: string[] = []
  const f = new LogFollower(new CloudWatchLogsClient({region: 'eu-west-1'}), {group: '/ecs/web', stream: 'ecs/php/abc', emit: (l) => lines.push(l), onGiveUp: (m) => problems.push(m), maxPages: options.maxPages})
  return {f, lines, problems}
}

describe('LogFollower', () => {
  beforeEach(() => logsMock.reset())

  it('reads from the head across pages, each line once, none skipped, as the stream grows', async () => {
    const stream = fakeStream(2)
    const {f, lines} = follower()
    stream.push('one', 'two', 'three')
    expect(await f.read()).toMatchObject({events: 3, atEnd: true})
    expect(await f.read()).toMatchObject({events: 0, atEnd: true})
    stream.push('four', 'five', 'six', 'seven', 'eight')
    await f.read()
    expect(lines).toEqual(['one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight'])
    expect(f.emitted).toBe(8)
    const first = logsMock.commandCalls(GetLogEventsCommand)[0].args[0].input
    expect(first).toEqual({logGroupName: '/ecs/web', logStreamName: 'ecs/php/abc', startFromHead: true})
    for (const call of logsMock.commandCalls(GetLogEventsCommand).slice(1)) expect(call.args[0].input.nextToken).toMatch(/^f\/\d+$/)
  })

  it('stops a read after maxPages and continues from there on the next', async () => {
    const stream = fakeStream(1)
    stream.push('a', 'b', 'c', 'd', 'e')
    const {f, lines} = follower({maxPages: 2})
    expect(await f.read()).toMatchObject({events: 2, atEnd: false})
    expect(await f.read()).toMatchObject({events: 2, atEnd: false})
    await f.read()
    expect(lines).toEqual(['a', 'b', 'c', 'd', 'e'])
  })

  it('keeps multi-line messages whole and strips only the trailing newline', async () => {
    logsMock.on(GetLogEventsCommand).resolvesOnce({events: [{message: 'Traceback:\n  at x\n', timestamp: 1}], nextForwardToken: 'f/1'}).resolves({events: [], nextForwardToken: 'f/1'})
    const {f, lines} = follower()
    await f.read()
    expect(lines).toEqual(['Traceback:\n  at x'])
  })

  it('treats a stream that does not exist yet as missing, not as an error', async () => {
    logsMock.on(GetLogEventsCommand).rejects(Object.assign(new Error('The specified log stream does not exist.'), {name: 'ResourceNotFoundException'}))
    const {f, problems} = follower()
    expect(await f.read()).toEqual({events: 0, atEnd: true, missing: true})
    expect(f.givenUp).toBe(false)
    expect(problems).toEqual([])
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

itSendsOnlyDeclaredActions(migrateIam, {logs: logsMock})
