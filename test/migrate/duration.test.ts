import {describe, expect, it} from 'vitest'

import {formatDuration, formatElapsed, parseDuration} from '../../src/migrate/duration.js'

describe('parseDuration', () => {
  it.each([
    ['30m', 30 * 60_000],
    ['90s', 90_000],
    ['1h', 3_600_000],
    ['1h30m', 5_400_000],
    ['1h30m15s', 5_415_000],
    ['2m5s', 125_000],
    ['45', 45_000],
    [' 10m ', 600_000],
  ])('%s → %i ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms)
  })

  it.each(['', 'm', '10x', '1.5h', '-5', '30 m', 'h1', '0', '0m'])('rejects %j with a usage error naming the flag', (text) => {
    expect(() => parseDuration(text, '--timeout')).toThrow(expect.objectContaining({message: expect.stringContaining('--timeout'), exitCode: 2}))
  })
})

describe('formatElapsed', () => {
  it.each([
    [0, '0.0s'],
    [450, '0.5s'],
    [9_940, '9.9s'],
    [12_000, '12s'],
    [65_000, '1m05s'],
    [3_723_000, '1h02m03s'],
  ])('%i ms → %s', (ms, text) => {
    expect(formatElapsed(ms)).toBe(text)
  })
})

describe('formatDuration', () => {
  it.each([
    [1000, '1s'],
    [90_000, '1m30s'],
    [1_800_000, '30m'],
    [5_400_000, '1h30m'],
    [3_600_000, '1h'],
    [0, '0s'],
  ])('%i ms → %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text)
    if (ms > 0) expect(parseDuration(text)).toBe(ms)
  })
})
