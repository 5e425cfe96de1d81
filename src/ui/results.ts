/**
 * One check result as lines, for `exec check` and `preflight` alike: `✖ fail Title: detail`,
 * wrapped to the width with a hanging indent, the fix under it. A fix that is a command to paste
 * is never wrapped: it goes on a line of its own.
 */
import type {Colors} from './output.js'
import {wrapLines} from './wrap.js'

export type ResultStatus = 'ok' | 'warn' | 'fail' | 'skip'

export const RESULT_MARK: Record<ResultStatus, string> = {ok: '✔', warn: '!', fail: '✖', skip: '-'}

const HANGING = '         '

export function resultLines(r: {status: ResultStatus; title: string; detail: string; fix: string | null}, color: Pick<Colors, 'dim' | 'green' | 'yellow' | 'red'>, width: number, suffix = ''): string[] {
  const paint: Record<ResultStatus, (s: string) => string> = {ok: color.green, warn: color.yellow, fail: color.red, skip: color.dim}
  const lines = wrapLines(`${paint[r.status](`${RESULT_MARK[r.status]} ${r.status.padEnd(4)}`)} ${r.title}: ${r.detail}${suffix}`, width, '  ', HANGING)
  // A skip may carry a fix too: the permission that would let ecsops run the check.
  if (r.fix && r.status !== 'ok') {
    if (/^(aws|ecsops) /.test(r.fix)) lines.push(`${HANGING}${color.dim('fix:')}`, `${HANGING}  ${r.fix}`)
    else lines.push(...wrapLines(`${color.dim('fix:')} ${r.fix}`, width, HANGING, `${HANGING}  `))
  }
  return lines
}
