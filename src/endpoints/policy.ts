/**
 * A small reader of VPC endpoint policies. For each action ECS needs it answers one of three
 * things, and never guesses:
 * - blocked: an unconditional Deny that applies to everyone, or no Allow that could apply;
 * - unknown: the answer depends on something this reader cannot evaluate from here: a
 *   Condition (aws:PrincipalOrgID, aws:SourceVpc …), a Principal or NotPrincipal naming
 *   specific principals (is the task execution role one of them?), or a Resource narrower than
 *   `*` when ECS's resource is not known (which ECR repository, which log group);
 * - allowed: an Allow that applies to everyone and no Deny that might apply.
 * Follows the IAM policy evaluation logic (an explicit Deny wins over any Allow; without an Allow
 * the request is implicitly denied) as the PrivateLink guide applies it to endpoint policies:
 * https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html
 * Pure: no SDK import.
 */

interface Statement {
  Effect?: string
  Action?: string | string[]
  NotAction?: string | string[]
  Resource?: string | string[]
  NotResource?: string | string[]
  Condition?: unknown
  Principal?: unknown
  NotPrincipal?: unknown
  Sid?: string
}

export interface PolicyVerdict {
  /** Needed actions the policy surely does not allow, with why. */
  blocked: Array<{action: string; why: string}>
  /** Needed actions whose fate depends on what cannot be evaluated here, with why. */
  unknown: Array<{action: string; why: string}>
  /** The policy with the Allow ECS needs added and the matching Deny statements removed (for the fix). */
  fixedPolicy?: string
}

const list = (v: string | string[] | undefined): string[] | undefined => (v === undefined ? undefined : Array.isArray(v) ? v : [v])

function globMatch(pattern: string, value: string, caseInsensitive: boolean): boolean {
  const source = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')
  return new RegExp(`^${source}$`, caseInsensitive ? 'i' : '').test(value)
}

function coversAction(s: Statement, action: string): boolean {
  const actions = list(s.Action)
  if (actions) return actions.some((p) => globMatch(p, action, true))
  const notActions = list(s.NotAction)
  if (notActions) return !notActions.some((p) => globMatch(p, action, true))
  return false
}

type Applies = 'yes' | 'maybe' | 'no'

/**
 * Whether a statement covers the resource. With a known resource (the starport layer bucket) the
 * patterns are matched; without one (which repository, which log group is not known here) only a
 * `*` surely covers it, a narrower Resource may or may not.
 */
function coversResource(s: Statement, resource: string | undefined): {applies: Applies; why?: string} {
  const resources = list(s.Resource)
  const notResources = list(s.NotResource)
  if (resource !== undefined) {
    if (resources) return {applies: resources.some((p) => globMatch(p, resource, false)) ? 'yes' : 'no'}
    if (notResources) return {applies: notResources.some((p) => globMatch(p, resource, false)) ? 'no' : 'yes'}
    return {applies: 'yes'}
  }
  if (resources) return resources.includes('*') ? {applies: 'yes'} : {applies: 'maybe', why: `it is limited to Resource ${resources.join(', ')}`}
  if (notResources) return {applies: 'maybe', why: `it excludes NotResource ${notResources.join(', ')}`}
  return {applies: 'yes'}
}

/** `*`, `{"AWS": "*"}`, `{"AWS": ["*"]}`; a missing Principal is taken as everyone. */
function isEveryone(principal: unknown): boolean {
  if (principal === undefined || principal === '*') return true
  if (typeof principal !== 'object' || principal === null) return false
  const values = Object.values(principal as Record<string, unknown>).flatMap((v) => (Array.isArray(v) ? v : [v]))
  return values.length > 0 && values.every((v) => v === '*')
}

function hasCondition(s: Statement): boolean {
  return s.Condition !== undefined && s.Condition !== null && (typeof s.Condition !== 'object' || Object.keys(s.Condition as object).length > 0)
}

const ACCOUNT_KEYS = new Set(['aws:principalaccount', 'aws:principalorgid', 'aws:resourceaccount', 'aws:resourceorgid'])
const NEGATED = /^(ForAllValues:|ForAnyValue:)?String(Not)(Equals|Like|EqualsIgnoreCase)(IfExists)?$/i
const POSITIVE = /^(ForAllValues:|ForAnyValue:)?String(Equals|Like|EqualsIgnoreCase)(IfExists)?$/i

/**
 * Image layers are fetched from an AWS-owned bucket (prod-<region>-starport-layer-bucket) through
 * presigned URLs: neither the resource's nor the principal's account or organization is the
 * customer's. So a condition made only of aws:PrincipalAccount, aws:PrincipalOrgID,
 * aws:ResourceAccount or aws:ResourceOrgID comparisons with the customer's values is false for
 * that request (StringEquals/StringLike), or true (StringNotEquals/StringNotLike). AWS's
 * data-perimeter examples carve the starport bucket out of such statements for this reason
 * (aws-samples data-perimeter-policy-examples, VPC endpoint policy for S3; ECR user guide, VPC
 * endpoints, "Create the Amazon S3 gateway endpoint"). undefined: the condition has other keys.
 */
function starportCondition(condition: unknown): boolean | undefined {
  if (typeof condition !== 'object' || condition === null) return undefined
  let result = true
  for (const [operator, block] of Object.entries(condition as Record<string, unknown>)) {
    if (typeof block !== 'object' || block === null) return undefined
    const keys = Object.keys(block as object).map((k) => k.toLowerCase())
    if (keys.length === 0 || !keys.every((k) => ACCOUNT_KEYS.has(k))) return undefined
    if (NEGATED.test(operator)) continue
    if (POSITIVE.test(operator)) result = false
    else return undefined
  }
  return result
}

export const isStarportObject = (resource: string | undefined) => resource !== undefined && /:s3:::prod-[a-z0-9-]+-starport-layer-bucket\//.test(resource)

/** Does the statement apply to ECS's request for this action? `maybe` comes with what could not be evaluated. */
function applies(s: Statement, action: string, resource: string | undefined): {applies: Applies; why?: string} {
  if (!coversAction(s, action)) return {applies: 'no'}
  const onResource = coversResource(s, resource)
  if (onResource.applies === 'no') return onResource
  const doubts: string[] = []
  if (onResource.applies === 'maybe' && onResource.why) doubts.push(onResource.why)
  if (s.NotPrincipal !== undefined) doubts.push('it has a NotPrincipal')
  else if (!isEveryone(s.Principal)) doubts.push(`its Principal is ${JSON.stringify(s.Principal)} (is the task's role one of them?)`)
  if (hasCondition(s)) {
    const onStarport = isStarportObject(resource) ? starportCondition(s.Condition) : undefined
    if (onStarport === false) return {applies: 'no', why: `its Condition ${JSON.stringify(s.Condition)} never holds for the AWS-owned layer bucket`}
    if (onStarport === undefined) doubts.push(`its Condition ${JSON.stringify(s.Condition)} cannot be evaluated from here`)
  }
  return doubts.length > 0 ? {applies: 'maybe', why: doubts.join('; ')} : {applies: 'yes'}
}

export function evaluatePolicy(policyDocument: string | undefined, needs: {actions: string[]; resource?: string}): PolicyVerdict {
  // No policy document: the default policy (full access).
  if (!policyDocument) return {blocked: [], unknown: []}
  let parsed: {Statement?: Statement | Statement[]; Version?: string}
  try {
    parsed = JSON.parse(policyDocument)
  } catch {
    return {blocked: [], unknown: needs.actions.map((action) => ({action, why: 'the endpoint policy is not valid JSON'}))}
  }
  const statements = parsed.Statement === undefined ? [] : Array.isArray(parsed.Statement) ? parsed.Statement : [parsed.Statement]
  const label = (s: Statement) => (s.Sid ? `"${s.Sid}"` : `${statements.indexOf(s) + 1}`)
  const blocked: PolicyVerdict['blocked'] = []
  const unknown: PolicyVerdict['unknown'] = []
  const denying = new Set<Statement>()
  for (const action of needs.actions) {
    const verdicts = statements.map((s) => ({s, ...applies(s, action, needs.resource)}))
    const denies = verdicts.filter((v) => v.s.Effect === 'Deny' && v.applies !== 'no')
    const allows = verdicts.filter((v) => v.s.Effect === 'Allow' && v.applies !== 'no')
    const sureDeny = denies.find((v) => v.applies === 'yes')
    if (sureDeny) {
      denying.add(sureDeny.s)
      blocked.push({action, why: `denied by statement ${label(sureDeny.s)}`})
      continue
    }
    if (allows.length === 0) {
      const excluded = verdicts.find((v) => v.s.Effect === 'Allow' && v.applies === 'no' && v.why)
      blocked.push({action, why: excluded ? `not allowed by any statement (statement ${label(excluded.s)} does not apply: ${excluded.why})` : 'not allowed by any statement'})
      continue
    }
    const maybeDeny = denies[0]
    if (maybeDeny) {
      unknown.push({action, why: `Deny statement ${label(maybeDeny.s)} may apply: ${maybeDeny.why}`})
      continue
    }
    if (!allows.some((v) => v.applies === 'yes')) {
      const first = allows[0]!
      unknown.push({action, why: `only Allow statement ${label(first.s)} may apply: ${first.why}`})
    }
  }
  if (blocked.length === 0) return {blocked, unknown}
  const kept = statements.filter((s) => !denying.has(s))
  const allowEcs: Statement = {Sid: 'AllowEcsTasks', Effect: 'Allow', Principal: '*', Action: needs.actions, Resource: needs.resource ?? '*'}
  const fixedPolicy = JSON.stringify({Version: parsed.Version ?? '2012-10-17', Statement: [...kept, allowEcs]})
  return {blocked, unknown, fixedPolicy}
}
