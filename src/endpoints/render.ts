/** Text for findings: lines for other commands, tables and Markdown for check-endpoints. Pure. */
import type {Colors} from '../ui/output.js'
import type {Finding, VpcReport} from './types.js'

/** The colours render uses: the output layer's, or none. */
export type Paint = Pick<Colors, 'bold' | 'dim' | 'red' | 'green' | 'yellow'>

const plain: Paint = {bold: (s) => s, dim: (s) => s, red: (s) => s, green: (s) => s, yellow: (s) => s}

export function markOf(f: Finding): string {
  if (f.status === 'ok') return '✔'
  if (f.status === 'unused') return '·'
  return f.severity === 'error' ? '✖' : f.severity === 'warning' ? '⚠' : '·'
}

function where(f: Finding): string {
  if (f.provider === 'central') return `central (Route 53 zone ${f.hostedZoneId ?? '?'})`
  return f.endpointId ?? '-'
}

/** Human lines for findings (for other commands to print under an error): one head line each, its problems and fix. */
export function renderFindingLines(findings: Finding[]): string[] {
  const lines: string[] = []
  for (const f of findings) {
    lines.push(`${markOf(f)} ${f.service} (${f.endpointService}): ${f.status}${f.status === 'ok' || f.status === 'unused' ? '' : ` [${f.severity}]`}${f.endpointId || f.provider === 'central' ? ` ${where(f)}` : ''}`)
    for (const p of f.problems) lines.push(`    ${p.code}: ${p.detail}`)
    if (f.fix) for (const [i, line] of f.fix.split('\n').entries()) lines.push(`    ${i === 0 ? 'fix: ' : '     '}${line}`)
  }
  return lines
}

function table(rows: string[][], paint: Paint): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => [...(r[i] ?? '')].length)))
  return rows.map((r, n) => {
    const line = r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ')
    return n === 0 ? paint.bold(line) : line
  })
}

function colourStatus(f: Finding, paint: Paint): (s: string) => string {
  if (f.status === 'ok') return paint.green
  if (f.status === 'unused') return paint.dim
  return f.severity === 'error' ? paint.red : paint.yellow
}

export interface Section {
  /** `service api (vpc-0abc)` or `network vpc-0abc`. */
  title: string
  findings: Finding[]
}

/** One table per section (endpoint, status, problems), then each problem with its evidence and fix. */
export function renderSection(section: Section, paint: Paint = plain): string[] {
  const lines = [paint.bold(section.title)]
  if (section.findings.length === 0) return [...lines, '  no endpoint needed', '']
  const rows = [['', 'ENDPOINT', 'TYPE', 'STATUS', 'WHERE', 'PROBLEMS']]
  for (const f of section.findings) rows.push([markOf(f), f.service, f.type, f.status === 'ok' || f.status === 'unused' ? f.status : `${f.status} (${f.severity})`, where(f), f.problems.map((p) => p.code).join(', ') || '-'])
  const rendered = table(rows, paint)
  lines.push(rendered[0]!.replace(/^/, '  '))
  section.findings.forEach((f, i) => lines.push(`  ${colourStatus(f, paint)(rendered[i + 1]!)}`))
  const troubled = section.findings.filter((f) => f.status !== 'ok' && f.status !== 'unused')
  for (const f of troubled) {
    lines.push('', `  ${colourStatus(f, paint)(`${markOf(f)} ${f.service}`)} needed by ${f.requiredBy.join('; ')}`)
    for (const p of f.problems) lines.push(`    ${p.code}: ${p.detail}`)
    if (f.fix) {
      lines.push(`    ${paint.dim('fix (not run by ecsops):')}`)
      for (const line of f.fix.split('\n')) lines.push(`      ${line}`)
    }
  }
  lines.push('')
  return lines
}

export interface Counts {
  error: number
  warning: number
  ok: number
  unused: number
  unknown: number
}

export function countFindings(vpcs: VpcReport[]): Counts {
  const counts: Counts = {error: 0, warning: 0, ok: 0, unused: 0, unknown: 0}
  for (const f of vpcs.flatMap((v) => v.findings)) {
    if (f.status === 'ok' && f.severity === 'info') counts.ok++
    else if (f.status === 'unused') counts.unused++
    else if (f.severity === 'error') counts.error++
    else if (f.severity === 'warning') counts.warning++
    if (f.status === 'unknown') counts.unknown++
  }
  return counts
}

export function summaryLine(vpcs: VpcReport[], subjects: string): string {
  const c = countFindings(vpcs)
  // Unknown findings are warnings (or errors) already: say how many of them, not a second count.
  const ofThem = c.unknown > 0 ? ` (${c.unknown} of them unknown: could not be verified)` : ''
  const parts = [`${c.error} error${c.error === 1 ? '' : 's'}`, `${c.warning} warning${c.warning === 1 ? '' : 's'}${ofThem}`, `${c.ok} ok`]
  if (c.unused > 0) parts.push(`${c.unused} unused`)
  return `${subjects}, ${vpcs.length} VPC${vpcs.length === 1 ? '' : 's'}: ${parts.join(', ')}`
}

const mdCell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, '<br>')

/** The report as Markdown (pull request comment, GitHub step summary); `diagrams` (mermaid.ts) go after the summary line. */
export function renderMarkdown(input: {title: string; summary: string; sections: Section[]; diagrams?: string[]}): string {
  const out = [`## ${input.title}`, '', input.summary, '', ...(input.diagrams ?? [])]
  for (const s of input.sections) {
    out.push(`### ${mdCell(s.title)}`, '')
    if (s.findings.length === 0) {
      out.push('No endpoint needed.', '')
      continue
    }
    out.push('| | Endpoint | Type | Status | Where | Problems |', '|---|---|---|---|---|---|')
    for (const f of s.findings) {
      // Details hold ARNs and DNS names with `*` (`*.dkr.ecr…`, `bucket/*`): escaped so that they are not read as emphasis.
      const problems = f.problems.map((p) => `**${p.code}** ${p.detail.replace(/([*_\\])/g, '\\$1')}`).join('<br>') || '-'
      out.push(`| ${markOf(f)} | \`${f.service}\` | ${f.type} | ${f.status === 'ok' || f.status === 'unused' ? f.status : `${f.status} (${f.severity})`} | ${mdCell(where(f))} | ${mdCell(problems)} |`)
    }
    const fixes = s.findings.filter((f) => f.fix && f.status !== 'ok')
    if (fixes.length > 0) {
      out.push('', '<details><summary>Fixes (AWS CLI, not run by ecsops)</summary>', '', '```sh')
      for (const f of fixes) out.push(`# ${f.service}`, f.fix!)
      out.push('```', '', '</details>')
    }
    out.push('')
  }
  return out.join('\n')
}

/** What --task found, for the human and Markdown outputs. */
export interface TaskLines {
  taskArn: string
  lastStatus?: string
  stopCode?: string
  stoppedReason?: string
  containerReasons: string[]
  explainedBy: string[]
}

/** The stopped task's reason and the findings that explain it (or that none does). */
export function renderTaskVerdict(task: TaskLines, findings: Finding[], markdown = false): string[] {
  const reason = [task.stopCode, task.stoppedReason].filter(Boolean).join(': ') || `(no stop reason; last status ${task.lastStatus ?? 'unknown'})`
  const explaining = findings.filter((f) => task.explainedBy.includes(f.service))
  if (markdown) {
    const lines = ['### Why the task stopped', '', `Task \`${task.taskArn}\` stopped: \`${reason.replace(/`/g, "'")}\``, '']
    for (const r of task.containerReasons) lines.push(`- container: \`${r.replace(/`/g, "'")}\``)
    if (task.containerReasons.length > 0) lines.push('')
    lines.push(explaining.length > 0 ? `Explained by: ${explaining.map((f) => `\`${f.service}\` (${f.problems.map((p) => p.code).join(', ') || f.status})`).join(', ')}` : 'No endpoint finding explains this stop reason.', '')
    return lines
  }
  const lines = ['', `Task ${task.taskArn} stopped: ${reason}`]
  for (const r of task.containerReasons) lines.push(`  container: ${r}`)
  if (explaining.length > 0) {
    lines.push(`Explained by: ${explaining.map((f) => f.service).join(', ')}`)
    for (const line of renderFindingLines(explaining)) lines.push(`  ${line}`)
  } else {
    lines.push('No endpoint finding explains this stop reason.')
  }
  return lines
}
