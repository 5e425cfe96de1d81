/**
 * A small, deliberately lenient reader of VPC endpoint policies: it reports a policy as
 * restrictive only when it is sure (an unconditional Deny, or no Allow at all, for an action
 * ECS needs). Conditions and specific principals are given the benefit of the doubt.
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
  Sid?: string
}

export interface PolicyVerdict {
  /** Needed actions the policy does not allow, with why. */
  blocked: Array<{action: string; why: string}>
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

/** With no specific resource to test, any Resource is taken as covering it (lenient). */
function coversResource(s: Statement, resource: string | undefined): boolean {
  const resources = list(s.Resource)
  if (resources) return resource === undefined || resources.some((p) => globMatch(p, resource, false))
  const notResources = list(s.NotResource)
  if (notResources) return resource === undefined || !notResources.some((p) => globMatch(p, resource, false))
  return true
}

export function evaluatePolicy(policyDocument: string | undefined, needs: {actions: string[]; resource?: string}): PolicyVerdict {
  if (!policyDocument) return {blocked: []}
  let parsed: {Statement?: Statement | Statement[]; Version?: string}
  try {
    parsed = JSON.parse(policyDocument)
  } catch {
    return {blocked: []}
  }
  const statements = parsed.Statement === undefined ? [] : Array.isArray(parsed.Statement) ? parsed.Statement : [parsed.Statement]
  const blocked: PolicyVerdict['blocked'] = []
  const denying = new Set<Statement>()
  for (const action of needs.actions) {
    const deny = statements.find((s) => s.Effect === 'Deny' && !s.Condition && coversAction(s, action) && coversResource(s, needs.resource))
    if (deny) {
      denying.add(deny)
      blocked.push({action, why: `denied by statement ${deny.Sid ? `"${deny.Sid}"` : statements.indexOf(deny) + 1}`})
      continue
    }
    const allow = statements.some((s) => s.Effect === 'Allow' && coversAction(s, action) && coversResource(s, needs.resource))
    if (!allow) blocked.push({action, why: 'not allowed by any statement'})
  }
  if (blocked.length === 0) return {blocked}
  const kept = statements.filter((s) => !denying.has(s))
  const allowEcs: Statement = {Sid: 'AllowEcsTasks', Effect: 'Allow', Principal: '*', Action: needs.actions, Resource: needs.resource ?? '*'}
  const fixedPolicy = JSON.stringify({Version: parsed.Version ?? '2012-10-17', Statement: [...kept, allowEcs]})
  return {blocked, fixedPolicy}
}
