import type {Colors} from '../ui/output.js'
import {resultLines} from '../ui/results.js'
import {wrapLines} from '../ui/wrap.js'
import type {CheckGroup, ExecCheckReport} from './model.js'

const GROUPS: Array<[CheckGroup, string]> = [
  ['caller', 'Caller (you)'],
  ['cluster', 'Cluster'],
  ['task', 'Task'],
  ['containers', 'Containers'],
  ['role', 'Task role'],
  ['network', 'Network'],
  ['port-forward', 'Port forwarding (ecsops exec port-forward)'],
]

/** The human report of `exec check`: one block per group, one line per check, the fix under each warn, fail or skip that has one. */
export function renderCheckReport(report: ExecCheckReport, color: Colors, width = 80): string[] {
  const lines: string[] = wrapLines(`ECS Exec check: task ${report.task} in cluster ${report.cluster} (${report.region})`, width).map((l) => color.bold(l))
  for (const [group, heading] of GROUPS) {
    const results = report.results.filter((r) => r.group === group)
    if (results.length === 0) continue
    lines.push('', color.bold(heading))
    for (const r of results) lines.push(...resultLines(r, color, width))
  }
  const {ok, warn, fail, skip} = report.summary
  lines.push('', `${fail > 0 ? color.red(`${fail} failed`) : color.green('0 failed')}, ${warn} warning${warn === 1 ? '' : 's'}, ${ok} ok, ${skip} skipped.`)
  if (fail > 0) lines.push('ECS Exec will not work until the failed checks are fixed.')
  return lines
}
