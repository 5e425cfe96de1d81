/** Text for findings: lines for other commands, tables and Markdown for check-endpoints. Pure. */
import type {Colors} from '../ui/output.js'
import {alignTable, fitTable, wrapLines} from '../ui/wrap.js'
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

function colourStatus(f: Finding, paint: Paint): (s: string) => string {
  if (f.status === 'ok') return paint.green
  if (f.status === 'unused') return paint.dim
  return f.severity === 'error' ? paint.red : paint.yellow
}

/** The status as a person reads it: an endpoint the audited services do not need is not called "unused" (the application may use it). */
function statusText(f: Finding): string {
  if (f.status === 'unused') return 'not needed'
  return f.status === 'ok' ? 'ok' : `${f.status} (${f.severity})`
}

export interface Section {
  /** `service api (vpc-0abc)` or `network vpc-0abc`. */
  title: string
  findings: Finding[]
}

/** Columns dropped, in this order, when the table is wider than the terminal: the problems (listed below it), the type, where. */
const DROPPABLE = [5, 2, 4]

/**
 * One table per section (endpoint, type, status, where, problems) fitted to `width`, then the
 * problems: a problem shared by several endpoints (one VPC setting, say) is said once, with the
 * endpoints it affects. The fixes are not here: renderFixes prints each once, for the whole report.
 */
export function renderSection(section: Section, paint: Paint = plain, width = 80): string[] {
  const lines = [paint.bold(section.title)]
  if (section.findings.length === 0) return [...lines, '  no endpoint needed', '']
  const rows = [['', 'ENDPOINT', 'TYPE', 'STATUS', 'WHERE', 'PROBLEMS']]
  for (const f of section.findings) rows.push([markOf(f), f.service, f.type, statusText(f), where(f), f.problems.map((p) => p.code).join(', ') || '-'])
  const rendered = alignTable(fitTable(rows, width - 2, DROPPABLE))
  lines.push(`  ${paint.bold(rendered[0]!)}`)
  section.findings.forEach((f, i) => lines.push(`  ${colourStatus(f, paint)(rendered[i + 1]!)}`))
  lines.push(...problemLines(section.findings.filter((f) => f.status !== 'ok' && f.status !== 'unused'), paint, width), '')
  return lines
}

/** A problem's cause (what is wrong, before the first "; ") and its consequence for this endpoint (after it). */
function causeOf(detail: string): {cause: string; consequence: string} {
  const at = detail.indexOf('; ')
  return at < 0 ? {cause: detail, consequence: ''} : {cause: detail.slice(0, at), consequence: detail.slice(at + 2)}
}

/**
 * The problems of troubled findings, each root cause said once: a problem of one endpoint under
 * it; a cause several endpoints share (one VPC setting, one security group) once, with each
 * endpoint's consequence under it.
 */
function problemLines(troubled: Finding[], paint: Paint, width: number): string[] {
  const shared = new Map<string, {code: string; cause: string; items: Array<{f: Finding; consequence: string}>}>()
  const keyOf = (code: string, detail: string) => `${code}\u0000${causeOf(detail).cause}`
  for (const f of troubled) {
    for (const p of f.problems) {
      const {cause, consequence} = causeOf(p.detail)
      const group = shared.get(keyOf(p.code, p.detail)) ?? {code: p.code, cause, items: []}
      group.items.push({f, consequence})
      shared.set(keyOf(p.code, p.detail), group)
    }
  }
  const lines: string[] = []
  const problem = (text: string) => wrapLines(text, width, '    ', '      ')
  for (const f of troubled) {
    lines.push('', ...wrapLines(`${colourStatus(f, paint)(`${markOf(f)} ${f.service}`)} needed by ${f.requiredBy.join('; ')}`, width, '  ', '      '))
    for (const p of f.problems) if (shared.get(keyOf(p.code, p.detail))!.items.length === 1) lines.push(...problem(`${p.code}: ${p.detail}`))
  }
  for (const group of shared.values()) {
    if (group.items.length < 2) continue
    const worst = group.items.find((i) => i.f.severity === 'error')?.f ?? group.items[0]!.f
    const consequences = new Set(group.items.map((i) => i.consequence))
    lines.push('', ...wrapLines(`${colourStatus(worst, paint)(`${markOf(worst)} ${group.items.map((i) => i.f.service).join(', ')}`)}: one cause`, width, '  ', '      '))
    if (consequences.size === 1) lines.push(...problem(`${group.code}: ${[group.cause, ...consequences].filter(Boolean).join('; ')}`))
    else {
      lines.push(...problem(`${group.code}: ${group.cause}`))
      for (const i of group.items) if (i.consequence) lines.push(...wrapLines(`${i.f.service}: ${i.consequence}`, width, '      ', '        '))
    }
  }
  return lines
}

/**
 * The fixes of every finding, each step once, in an order that can be pasted: a security group
 * is created and opened before the endpoints that use it, the VPC's own settings come first.
 * A step is a command with the comment lines before it. Commands are never wrapped.
 */
export function fixSteps(findings: Finding[]): Array<{services: string[]; lines: string[]}> {
  const steps = new Map<string, {services: string[]; lines: string[]; rank: number; order: number}>()
  for (const f of findings) {
    if (!f.fix || f.status === 'ok') continue
    const add = (lines: string[]) => {
      const key = lines.join('\n')
      const step = steps.get(key) ?? {services: [], lines, rank: rankOf(lines.at(-1)!), order: steps.size}
      if (!step.services.includes(f.service)) step.services.push(f.service)
      steps.set(key, step)
    }
    let comments: string[] = []
    for (const line of f.fix.split('\n')) {
      if (line.startsWith('#')) comments.push(line)
      else {
        add([...comments, line])
        comments = []
      }
    }
    // A fix that is only a comment ("the owner must accept …") is a step of its own.
    if (comments.length > 0) add(comments)
  }
  return [...steps.values()].sort((a, b) => a.rank - b.rank || a.order - b.order).map(({services, lines}) => ({services, lines}))
}

function rankOf(command: string): number {
  if (/ modify-vpc-attribute /.test(command)) return 0
  if (/ create-security-group /.test(command)) return 1
  if (/ authorize-security-group-ingress /.test(command)) return 2
  return 3
}

/** The fixes block of the text report: each step once, under a comment naming the endpoints it is for. */
export function renderFixes(findings: Finding[], paint: Paint = plain, width = 80): string[] {
  const steps = fixSteps(findings)
  if (steps.length === 0) return []
  const lines = wrapLines('Fixes (AWS CLI, not run by ecsops), each once, in an order that can be pasted:', width).map((l) => paint.bold(l))
  let last = ''
  for (const step of steps) {
    const label = `# for ${step.services.join(', ')}`
    if (label !== last) lines.push(paint.dim(label))
    last = label
    lines.push(...step.lines)
  }
  return [...lines, '']
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
  if (c.unused > 0) parts.push(`${c.unused} not needed`)
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
      out.push(`| ${markOf(f)} | \`${f.service}\` | ${f.type} | ${statusText(f)} | ${mdCell(where(f))} | ${mdCell(problems)} |`)
    }
    out.push('')
  }
  const steps = fixSteps(input.sections.flatMap((s) => s.findings))
  if (steps.length > 0) {
    out.push('<details><summary>Fixes (AWS CLI, not run by ecsops), each once, in an order that can be pasted</summary>', '', '```sh')
    for (const step of steps) out.push(`# for ${step.services.join(', ')}`, ...step.lines)
    out.push('```', '', '</details>', '')
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
