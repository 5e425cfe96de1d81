/**
 * Pure: which preflight result explains why a task stopped before it ran. The stop reasons are
 * ECS's (ECS developer guide, "Amazon ECS stopped task error messages", "CannotPullContainer task
 * errors", "ResourceInitializationError"), for example:
 * - ResourceInitializationError: unable to pull secrets or registry auth: … unable to retrieve secret from asm: … AccessDeniedException: User: arn:aws:sts::…:assumed-role/ecsTaskExecutionRole/… is not authorized to perform: secretsmanager:GetSecretValue …
 * - ResourceInitializationError: unable to pull secrets or registry auth: … ResourceNotFoundException: Secrets Manager can't find the specified secret.
 * - ResourceInitializationError: unable to pull secrets or registry auth: … unable to retrieve secrets from ssm: … invalid parameters: /prod/db
 * - CannotPullContainerError: … manifest for …:v9 not found: manifest unknown
 * - CannotPullContainerError: … no matching manifest for linux/arm64/v8 in the manifest list entries
 * - ResourceInitializationError: failed to validate logger args: … ResourceNotFoundException: The specified log group does not exist.
 * - ResourceInitializationError: … dial tcp …: i/o timeout (the network: the endpoint audit's findings)
 */
import type {Finding} from '../endpoints/api.js'
import {findingsExplaining} from '../endpoints/explain.js'
import {CODES} from './checks.js'
import type {Explanation, PreflightResult} from './model.js'

const NETWORK = /timeout|timed out|dial tcp|connection refused|connection reset|no such host|context deadline exceeded|network is unreachable/i

interface Clue {
  pattern: RegExp
  /** Which results it points at: by code, or by id prefix. */
  codes: string[]
  ids?: string[]
  what: string
}

const CLUES: Clue[] = [
  {pattern: /unable to assume the role|sts:AssumeRole/i, codes: [CODES.EXECUTION_ROLE_TRUST, CODES.EXECUTION_ROLE_MISSING], ids: ['execution-role.trust'], what: 'the execution role\'s trust policy'},
  {pattern: /AccessDenied|not authorized to perform/i, codes: [CODES.EXECUTION_ROLE_DENIED, CODES.EXECUTION_ROLE_MISSING], ids: ['execution-role.permissions'], what: 'the execution role\'s permissions'},
  {pattern: /can'?t find the specified secret|ParameterNotFound|invalid parameters?:|secret.*(not found|does not exist)/i, codes: [CODES.SECRET_NOT_FOUND], ids: ['references.secret.'], what: 'a secret or parameter that does not exist'},
  {pattern: /log group does not exist|ResourceNotFoundException.*log group/i, codes: [CODES.LOG_GROUP_NOT_FOUND], ids: ['references.log-group.'], what: 'a log group that does not exist'},
  {pattern: /no matching manifest for|exec format error/i, codes: [CODES.CPU_ARCHITECTURE], ids: ['references.architecture.'], what: 'the image\'s CPU architecture'},
  {pattern: /CannotPullContainerError[\s\S]*(not found|manifest unknown|does not exist|repository .* not found)/i, codes: [CODES.IMAGE_NOT_FOUND], ids: ['references.image.'], what: 'an image that does not exist'},
  {pattern: /Fargate.*(cpu|memory)|Invalid 'cpu' setting|No Fargate configuration exists/i, codes: [CODES.FARGATE_TASK_SIZE], ids: ['references.task-size'], what: 'the task size'},
]

const failing = (r: PreflightResult) => r.status === 'fail' || r.status === 'warn'

/**
 * Marks the results that explain the stop reason (`explains: true`) and says so in one sentence.
 * A network error (i/o timeout) is explained by the endpoint audit's findings; a denied or
 * missing reference by the check of that reference. A clue whose results pass now is said too:
 * it may have been fixed since the task stopped.
 */
export function explainStop(results: PreflightResult[], findings: Finding[], task: Omit<Explanation, 'explainedBy' | 'text'>): Explanation {
  const reasons = [task.stoppedReason ?? '', ...task.containerReasons].filter(Boolean).join('\n')
  const explaining = new Set<string>()
  const passing: string[] = []
  if (reasons) {
    // The endpoint audit's own rule: a network error, or an AccessDenied from a restrictive endpoint policy.
    for (const f of findingsExplaining(reasons, findings)) {
      const r = results.find((x) => x.id === `network.${f.service}`)
      if (r && failing(r)) explaining.add(r.id)
    }
    for (const clue of CLUES) {
      if (!clue.pattern.test(reasons)) continue
      if (clue.codes.includes(CODES.EXECUTION_ROLE_DENIED) && NETWORK.test(reasons)) continue
      const matched = results.filter((r) => (r.code !== null && clue.codes.includes(r.code)) || (clue.ids ?? []).some((p) => r.id === p || (p.endsWith('.') && r.id.startsWith(p))))
      const bad = matched.filter(failing)
      for (const r of bad) explaining.add(r.id)
      if (bad.length === 0 && matched.length > 0) passing.push(clue.what)
    }
  }
  for (const r of results) if (explaining.has(r.id)) r.explains = true
  const explainedBy = results.filter((r) => explaining.has(r.id)).map((r) => r.id)
  let text: string
  if (!reasons) text = 'The task has no stop reason to explain.'
  else if (explainedBy.length > 0) text = `Explained by: ${results.filter((r) => r.explains).map((r) => `${r.id}${r.code ? ` (${r.code})` : ''}`).join(', ')}.`
  else if (passing.length > 0) text = `The stop reason points at ${passing.join(' and ')}, which pass${passing.length === 1 ? 'es' : ''} now: fixed since the task stopped?`
  else {
    // Nothing explains it: say which checks could not run, as they may hold the cause.
    const skipped = results.filter((r) => r.status === 'skip' && r.detail.startsWith('could not be checked'))
    text = skipped.length > 0 ? `No preflight result explains this stop reason; ${skipped.length} check${skipped.length === 1 ? '' : 's'} could not run (${skipped.map((r) => r.id).join(', ')}).` : 'No preflight result explains this stop reason.'
  }
  return {...task, explainedBy, text}
}
