/**
 * What a CI system gets from a migration besides the exit code: GitHub Actions step outputs and a
 * job summary, GitLab CI collapsible log sections. The texts are pure; `appendCiFile` writes them.
 *
 * - GitHub: `name=value` lines appended to the file named by $GITHUB_OUTPUT; Markdown appended to
 *   $GITHUB_STEP_SUMMARY ("Workflow commands for GitHub Actions": Setting an output parameter,
 *   Adding a job summary). A value with a newline would need the heredoc form; these have none.
 * - GitLab: `\e[0Ksection_start:<unix time>:<name>[collapsed=true]\r\e[0K<header>` and
 *   `\e[0Ksection_end:<unix time>:<name>\r\e[0K` ("Format scripts and job logs", Custom collapsible sections).
 */

export interface RunFacts {
  taskArn: string | null
  exit: number
  exitCode: number | null
  outcome: string
  logGroup: string | null
  logStream: string | null
  taskDefinitionArn: string
  container: string
  command: string[] | null
  cluster: string
  service: string | null
}

/** The step outputs, one `name=value` line each (values on one line). */
export function githubOutputs(facts: RunFacts): string {
  const oneLine = (v: string | number | null) => String(v ?? '').replace(/[\r\n]+/g, ' ')
  const outputs: Array<[string, string | number | null]> = [
    ['task-arn', facts.taskArn],
    ['exit-code', facts.exitCode],
    ['outcome', facts.outcome],
    ['log-group', facts.logGroup],
    ['log-stream', facts.logStream],
  ]
  return outputs.map(([k, v]) => `${k}=${oneLine(v)}\n`).join('')
}

/** Escapes text for a Markdown table cell or inline code. */
const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/`/g, "'").replace(/[\r\n]+/g, ' ')

/** A short job summary: task, revision, command, duration, outcome; on failure the last log lines and how to read the rest. */
export function jobSummary(facts: RunFacts, options: {duration: string; lastLines: string[]; tailCommand?: string}): string {
  const ok = facts.exit === 0
  const revision = facts.taskDefinitionArn.split('/').pop() ?? facts.taskDefinitionArn
  const rows = [
    ['Task', facts.taskArn ? `\`${cell(facts.taskArn.split('/').pop() ?? facts.taskArn)}\`` : '(none started)'],
    ['Service', cell(`${facts.cluster}${facts.service ? `/${facts.service}` : ''}`)],
    ['Revision', `\`${cell(revision)}\``],
    ['Container', `\`${cell(facts.container)}\``],
    ['Command', facts.command ? `\`${cell(facts.command.join(' '))}\`` : '(the task definition\'s)'],
    ['Duration', options.duration],
    ['Outcome', `${facts.outcome}, exit ${facts.exit}${facts.exitCode !== null && facts.exitCode !== facts.exit ? ` (container ${facts.exitCode})` : ''}`],
  ]
  const out = [`### ${ok ? '✅' : '❌'} ecsops migrate: ${ok ? 'succeeded' : facts.outcome}`, '', '| | |', '|---|---|', ...rows.map(([k, v]) => `| ${k} | ${v} |`), '']
  if (!ok && options.lastLines.length > 0) out.push(`Last ${options.lastLines.length} log lines:`, '', '```text', ...options.lastLines.map((l) => l.replace(/```/g, "'''")), '```', '')
  if (options.tailCommand) out.push('Read the whole log:', '', '```sh', options.tailCommand, '```', '')
  return `${out.join('\n')}\n`
}

/** GitLab's collapsible section markers around the container log. */
export function gitlabSection(edge: 'start' | 'end', name: string, unixSeconds: number, header = ''): string {
  return edge === 'start' ? `\u001B[0Ksection_start:${unixSeconds}:${name}[collapsed=true]\r\u001B[0K${header}` : `\u001B[0Ksection_end:${unixSeconds}:${name}\r\u001B[0K`
}

export {appendCiFile} from '../ui/ci-file.js'
