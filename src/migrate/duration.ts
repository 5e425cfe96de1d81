import {UsageError} from '../errors.js'

/**
 * Parses a duration as the config file and `--timeout` accept it: `30m`, `90s`, `1h30m`,
 * `1h30m15s`, or a bare number of seconds (`45`). Returns milliseconds.
 */
export function parseDuration(text: string, flag = '--timeout'): number {
  const value = text.trim()
  if (/^\d+$/.test(value)) return positive(Number(value) * 1000, text, flag)
  const match = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(value)
  if (!match || value === '') {
    throw new UsageError(`${flag} "${text}" is not a duration.`, {hint: 'Write it as 30m, 90s, 1h30m or a number of seconds.', code: 'BadDuration'})
  }
  const [, h, m, s] = match
  return positive(((Number(h ?? 0) * 60 + Number(m ?? 0)) * 60 + Number(s ?? 0)) * 1000, text, flag)
}

function positive(ms: number, text: string, flag: string): number {
  if (ms <= 0) throw new UsageError(`${flag} "${text}" must be longer than zero.`, {code: 'BadDuration'})
  return ms
}

/** 1h02m03s, 4m05s, 12s, 0.4s: elapsed time for progress lines. */
export function formatElapsed(ms: number): string {
  if (ms < 10_000) return `${(Math.max(0, ms) / 1000).toFixed(1)}s`
  const total = Math.floor(ms / 1000)
  const h = Math.floor(total / 3600)
  const m = Math.floor((total % 3600) / 60)
  const s = total % 60
  const pad = (n: number) => String(n).padStart(2, '0')
  if (h > 0) return `${h}h${pad(m)}m${pad(s)}s`
  if (m > 0) return `${m}m${pad(s)}s`
  return `${s}s`
}

/** A duration as --timeout takes it: 1h30m, 30m, 1m30s, 45s. */
export function formatDuration(ms: number): string {
  const total = Math.round(ms / 1000)
  const h = Math.floor(total / 3600)
  const m = Math.floor((total % 3600) / 60)
  const s = total % 60
  return `${h ? `${h}h` : ''}${m ? `${m}m` : ''}${s || total === 0 ? `${s}s` : ''}`
}
