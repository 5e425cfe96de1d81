/** Rendering of `ecsops preflight`: human text (one block per group), Markdown, and plain lines for other commands. No SDK import. */
import type {Colors} from '../ui/output.js'
import {RESULT_MARK, resultLines} from '../ui/results.js'
import {wrapLines} from '../ui/wrap.js'
import type {CheckStatus, PreflightGroup, PreflightReport, PreflightResult} from './model.js'

const GROUPS: Array<[PreflightGroup, string]> = [
  ['network', 'Network'],
  ['execution-role', 'Task execution role'],
  ['references', 'References'],
]

const MARK: Record<CheckStatus, string> = RESULT_MARK

/** Plain lines for results (migrate prints them on stderr): `✖ fail Title: detail [CODE]` and the fix under it. */
export function renderResultLines(results: PreflightResult[]): string[] {
  const lines: string[] = []
  for (const r of results) {
    lines.push(`${MARK[r.status]} ${r.title}: ${r.detail}${r.code ? ` [${r.code}]` : ''}`)
    if (r.fix && r.status !== 'ok') lines.push(`  fix: ${r.fix}`)
  }
  return lines
}

/** The human report: one block per group, one line per result, the fix under each warn, fail or skip that has one. */
/** The human report, wrapped to `width`: one block per group, one result each, the fix under each warn, fail or skip that has one. */
export function renderPreflightReport(report: PreflightReport, color: Pick<Colors, 'bold' | 'dim' | 'green' | 'yellow' | 'red'>, width = 80): string[] {
  const lines: string[] = wrapLines(`Preflight: ${report.taskDefinitionArn || 'task definition'} — ${report.source} (${report.region})`, width).map((l) => color.bold(l))
  for (const [group, heading] of GROUPS) {
    const results = report.results.filter((r) => r.group === group)
    if (results.length === 0) continue
    lines.push('', color.bold(heading))
    for (const r of results) lines.push(...resultLines(r, color, width, `${r.code ? ` [${r.code}]` : ''}${r.explains ? ` ${color.bold('← explains the stop')}` : ''}`))
  }
  const {ok, warn, fail, skip} = report.summary
  lines.push('', `${fail > 0 ? color.red(`${fail} failed`) : color.green('0 failed')}, ${warn} warning${warn === 1 ? '' : 's'}, ${ok} ok, ${skip} skipped.`)
  lines.push(fail > 0 ? 'The task would not start until the failed checks are fixed.' : 'Nothing found that would stop the task from starting.')
  lines.push(...wrapLines(`Not evaluated: ${report.notEvaluated.join('; ')}.`, width).map((l) => color.dim(l)))
  if (report.explanation) {
    const e = report.explanation
    lines.push('', color.bold(`Task ${e.taskArn.split('/').pop()} ${e.lastStatus ?? ''}`.trim()), ...wrapLines(`Stop reason: ${[e.stopCode, e.stoppedReason].filter(Boolean).join(': ') || 'none'}`, width))
    for (const reason of e.containerReasons) lines.push(...wrapLines(`Container reason: ${reason}`, width))
    lines.push(...wrapLines(e.text, width))
  }
  return lines
}

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ')

/** The report as Markdown (a pull request comment, a GitHub step summary). */
export function renderPreflightMarkdown(report: PreflightReport): string {
  const lines = [`### Preflight: \`${report.taskDefinitionArn}\``, '', `${report.source}, ${report.region}.`, '']
  lines.push('| | Check | Result | Code | Fix |', '|---|---|---|---|---|')
  for (const r of report.results) {
    lines.push(`| ${MARK[r.status]} ${r.status} | ${cell(r.title)}${r.explains ? ' **(explains the stop)**' : ''} | ${cell(r.detail)} | ${r.code ?? ''} | ${r.fix && r.status !== 'ok' ? cell(r.fix) : ''} |`)
  }
  const {ok, warn, fail, skip} = report.summary
  lines.push('', `**${fail} failed**, ${warn} warning${warn === 1 ? '' : 's'}, ${ok} ok, ${skip} skipped.`)
  if (report.explanation) lines.push('', `Stop reason: \`${cell([report.explanation.stopCode, report.explanation.stoppedReason].filter(Boolean).join(': '))}\``, '', report.explanation.text)
  lines.push('', `_Not evaluated: ${report.notEvaluated.join('; ')}._`)
  return lines.join('\n')
}
