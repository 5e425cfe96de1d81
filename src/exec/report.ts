import type {Colors} from '../ui/output.js'
import type {CheckGroup, CheckStatus, ExecCheckReport} from './model.js'

const GROUPS: Array<[CheckGroup, string]> = [
  ['caller', 'Caller (you)'],
  ['cluster', 'Cluster'],
  ['task', 'Task'],
  ['containers', 'Containers'],
  ['role', 'Task role'],
  ['network', 'Network'],
  ['port-forward', 'Port forwarding (ecsops exec port-forward)'],
]

const MARK: Record<CheckStatus, string> = {ok: '✔', warn: '!', fail: '✖', skip: '-'}

/** The human report of `exec check`: one block per group, one line per check, the fix under each warn, fail or skip that has one. */
export function renderCheckReport(report: ExecCheckReport, color: Colors): string[] {
  const paint: Record<CheckStatus, (s: string) => string> = {ok: color.green, warn: color.yellow, fail: color.red, skip: color.dim}
  const lines: string[] = [color.bold(`ECS Exec check: task ${report.task} in cluster ${report.cluster} (${report.region})`)]
  for (const [group, heading] of GROUPS) {
    const results = report.results.filter((r) => r.group === group)
    if (results.length === 0) continue
    lines.push('', color.bold(heading))
    for (const r of results) {
      lines.push(`  ${paint[r.status](`${MARK[r.status]} ${r.status.padEnd(4)}`)} ${r.title}: ${r.detail}`)
      // A skip may carry a fix too: the permission that would let ecsops run the check.
      if (r.fix && r.status !== 'ok') lines.push(`         ${color.dim('fix:')} ${r.fix}`)
    }
  }
  const {ok, warn, fail, skip} = report.summary
  lines.push('', `${fail > 0 ? color.red(`${fail} failed`) : color.green('0 failed')}, ${warn} warning${warn === 1 ? '' : 's'}, ${ok} ok, ${skip} skipped.`)
  if (fail > 0) lines.push('ECS Exec will not work until the failed checks are fixed.')
  return lines
}
