import type {CloudWatchLogsClient} from '@aws-sdk/client-cloudwatch-logs'
import {GetLogEventsCommand} from '@aws-sdk/client-cloudwatch-logs'

export interface LogRead {
  /** Events printed by this read. */
  events: number
  /** The stream's current end was reached (GetLogEvents answered with the token it was sent). */
  atEnd: boolean
  /** The stream (or group) does not exist (yet). */
  missing: boolean
}

export interface LogFollowerOptions {
  group: string
  stream: string
  /** Receives each event's message, without its trailing newline. */
  emit: (message: string, timestamp: number | undefined) => void
  /** Called once when reading becomes impossible (e.g. access denied); following stops. */
  onGiveUp: (message: string) => void
  onRetryableError?: (message: string) => void
  /** Pages read per call at most, so one read never starves the task polling. */
  maxPages?: number
}

const RETRYABLE = /Throttl|TooManyRequests|RequestLimitExceeded|ServiceUnavailable|InternalFailure|Timeout|ECONN|ENOTFOUND|EAI_AGAIN|socket hang up/i

/**
 * Follows one CloudWatch Logs stream from its head: GetLogEvents with `startFromHead: true`,
 * then `nextForwardToken`. Each event is emitted exactly once: the token only moves forward,
 * and at the current end of the stream AWS answers with the very token it was sent.
 */
export class LogFollower {
  private token?: string
  private stopped = false
  /** Events emitted so far. */
  emitted = 0

  constructor(
    private readonly client: CloudWatchLogsClient,
    private readonly options: LogFollowerOptions,
  ) {}

  get givenUp(): boolean {
    return this.stopped
  }

  /** Reads every page available now (up to maxPages). */
  async read(): Promise<LogRead> {
    const result: LogRead = {events: 0, atEnd: false, missing: false}
    if (this.stopped) return {...result, atEnd: true}
    const maxPages = this.options.maxPages ?? 20
    for (let page = 0; page < maxPages; page++) {
      let response
      try {
        response = await this.client.send(
          new GetLogEventsCommand({logGroupName: this.options.group, logStreamName: this.options.stream, startFromHead: true, ...(this.token ? {nextToken: this.token} : {})}),
        )
      } catch (error) {
        const e = error as Error
        if (e.name === 'ResourceNotFoundException') return {...result, missing: true, atEnd: true}
        if (RETRYABLE.test(`${e.name} ${e.message}`)) {
          this.options.onRetryableError?.(`${e.name}: ${e.message}`)
          return result
        }
        this.stopped = true
        this.options.onGiveUp(`${e.name}: ${e.message}`)
        return {...result, atEnd: true}
      }
      for (const event of response.events ?? []) {
        this.options.emit((event.message ?? '').replace(/\r?\n$/, ''), event.timestamp)
        result.events++
        this.emitted++
      }
      const next = response.nextForwardToken
      const sent = this.token
      if (next) this.token = next
      if (!next || next === sent) return {...result, atEnd: true}
    }
    return result
  }
}
