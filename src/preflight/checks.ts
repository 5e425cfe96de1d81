/**
 * The checks of `ecsops preflight`: pure functions from the gathered facts to results. No SDK
 * runtime import. An AccessDenied (or any error) on a read is a skip that names the permission,
 * never a fail and never a silent ok.
 */
import type {Finding} from '../endpoints/api.js'
import {fargateMemoryFor, taskSizeValue} from '../migrate/clone.js'
import type {CheckStatus, Decisions, Fact, PreflightFacts, PreflightGroup, PreflightResult} from './model.js'
import {
  aliasedKeys,
  executionRolePermissions,
  executionRoleReasons,
  referencesOf,
  resolveSecrets,
  type EcrImage,
  type LogReference,
  type Permission,
  type References,
  type SecretReference,
} from './references.js'

export const CODES = {
  EXECUTION_ROLE_MISSING: 'EXECUTION_ROLE_MISSING',
  EXECUTION_ROLE_TRUST: 'EXECUTION_ROLE_TRUST',
  EXECUTION_ROLE_DENIED: 'EXECUTION_ROLE_DENIED',
  IMAGE_NOT_FOUND: 'IMAGE_NOT_FOUND',
  SECRET_NOT_FOUND: 'SECRET_NOT_FOUND',
  LOG_GROUP_NOT_FOUND: 'LOG_GROUP_NOT_FOUND',
  FARGATE_TASK_SIZE: 'FARGATE_TASK_SIZE',
  CPU_ARCHITECTURE: 'CPU_ARCHITECTURE',
  SIMULATION_INCOMPLETE: 'SIMULATION_INCOMPLETE',
} as const

/** What the IAM simulator does not evaluate (IAM User Guide, "Testing IAM policies with the IAM policy simulator"). */
export const SIMULATOR_BLIND = "resource-based policies (the secret's, the repository's, the bucket's), KMS key policies, VPC endpoint policies, and not every SCP"

function result(group: PreflightGroup, id: string, title: string, status: CheckStatus, detail: string, fix: string | null = null, code: string | null = null): PreflightResult {
  return {id, group, title, status, detail, fix, code: status === 'warn' || status === 'fail' ? code : null}
}

const DENIED = /AccessDenied|UnauthorizedOperation|not authorized|Forbidden/i

/** A read that failed: skip, with the permission that would let it run when it was denied. */
function skipRead(group: PreflightGroup, id: string, title: string, fact: Extract<Fact<unknown>, {ok: false}>, permission: string): PreflightResult {
  const fix = DENIED.test(`${fact.code} ${fact.message}`) ? `Grant ${permission} to the caller (\`ecsops iam-policy preflight\`).` : null
  return result(group, id, title, 'skip', `could not be checked: ${fact.code}: ${fact.message}`, fix)
}

const list = (items: string[], max = 4) => (items.length <= max ? items.join(', ') : `${items.slice(0, max).join(', ')} and ${items.length - max} more`)

// ---------------------------------------------------------------- network

/** One result per endpoint the task needs, from the endpoint audit's findings (its problem codes as codes). */
export function findingResult(f: Finding): PreflightResult {
  const id = `network.${f.service}`
  const title = `Route to ${f.service}`
  const why = f.requiredBy.length > 0 ? ` (for ${list(f.requiredBy, 2)})` : ''
  const problems = f.problems.map((p) => p.detail).join('; ')
  const code = f.problems[0]?.code ?? f.status.toUpperCase()
  const fix = f.fix ?? `\`ecsops check-endpoints\` explains each problem.`
  if (f.status === 'ok') return result('network', id, title, 'ok', `through ${f.endpointId ?? 'the VPC endpoint'}${f.provider === 'central' ? ' (a central endpoint, through a private hosted zone)' : ''}${why}`)
  // A missing endpoint with a NAT route is no start failure: the traffic goes through the NAT (billed per GB).
  if (f.status === 'missing' && f.severity !== 'error' && f.problems.every((p) => p.code === 'MISSING')) {
    return result('network', id, title, 'ok', `no ${f.endpointService} endpoint: through the NAT or internet gateway${why}`)
  }
  if (f.severity === 'error') return result('network', id, title, 'fail', `${problems || f.status}${why}`, fix, code)
  if (f.severity === 'warning' || f.status === 'unknown') return result('network', id, title, 'warn', `${problems || f.status}${why}`, fix, code)
  return result('network', id, title, 'ok', `${problems || f.status}${why}`)
}

export function networkChecks(facts: PreflightFacts): PreflightResult[] {
  const title = 'Network: VPC endpoints or NAT for what the task reaches before it starts'
  if (facts.networkSkipped) return [result('network', 'network', title, 'skip', facts.networkSkipped)]
  const net = facts.network
  if (!net) return [result('network', 'network', title, 'skip', 'the network was not audited')]
  if (!net.ok) return [skipRead('network', 'network', title, net, 'the ec2:Describe* permissions')]
  const findings = net.value.findings.filter((f) => f.status !== 'unused')
  if (findings.length === 0) return [result('network', 'network', title, 'ok', `${net.value.vpcId}: the task reaches no AWS service before it starts`)]
  return findings.map(findingResult)
}

// ---------------------------------------------------------------- execution role

interface TrustVerdict {
  allowed: boolean
  denied: boolean
  conditions: string[]
}

type Statement = {Effect?: string; Principal?: unknown; Action?: unknown; Condition?: Record<string, Record<string, unknown>>}

const asList = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : v === undefined ? [] : [String(v)])

/** The ECS tasks service principal ("Amazon ECS task execution IAM role": trust relationship with ecs-tasks.amazonaws.com). */
const ECS_TASKS = /^ecs-tasks\.amazonaws\.com(\.cn)?$/

function namesEcsTasks(principal: unknown): boolean {
  if (principal === '*') return true
  if (!principal || typeof principal !== 'object') return false
  const p = principal as Record<string, unknown>
  return asList(p.Service).some((s) => ECS_TASKS.test(s)) || asList(p.AWS).includes('*')
}

const assumes = (action: unknown) => asList(action).some((a) => /^(sts:AssumeRole|sts:\*|\*)$/i.test(a))

/** Pure: does a trust policy (JSON text) let ecs-tasks.amazonaws.com call sts:AssumeRole? Conditions are listed, not evaluated. */
export function trustVerdict(policy: string): TrustVerdict {
  let statements: Statement[] = []
  try {
    const parsed = JSON.parse(policy) as {Statement?: Statement | Statement[]}
    statements = Array.isArray(parsed.Statement) ? parsed.Statement : parsed.Statement ? [parsed.Statement] : []
  } catch {
    return {allowed: false, denied: false, conditions: []}
  }
  const relevant = statements.filter((s) => namesEcsTasks(s.Principal) && assumes(s.Action))
  const allows = relevant.filter((s) => s.Effect === 'Allow')
  const conditions = allows.flatMap((s) => Object.entries(s.Condition ?? {}).flatMap(([op, keys]) => Object.keys(keys).map((k) => `${op} ${k}`)))
  return {allowed: allows.length > 0, denied: relevant.some((s) => s.Effect === 'Deny'), conditions}
}

/** What ECS does with each kind of permission, for the "the task role allows it" hint. */
function doing(action: string): string {
  if (action.startsWith('ecr:')) return 'pulls images'
  if (action.startsWith('logs:')) return 'writes awslogs'
  if (action.startsWith('s3:')) return 'reads environment files'
  return 'reads secrets'
}

const decisionOf = (d: Decisions, p: Permission) => d[p.action]?.[p.resource]

/** `the task role X allows …, but ECS reads secrets with the execution role`, or '' when it does not. */
export function taskRoleHint(facts: PreflightFacts, lacking: Permission[]): string {
  const taskRole = facts.target.overrides?.taskRoleArn ?? facts.target.taskDefinition.taskRoleArn
  const decisions = facts.taskRoleDecisions
  if (!taskRole || !decisions?.ok) return ''
  const allowed = lacking.filter((p) => decisionOf(decisions.value, p) === 'allowed')
  if (allowed.length === 0) return ''
  const verbs = [...new Set(allowed.map((p) => doing(p.action)))]
  return `the task role ${taskRole} allows ${list([...new Set(allowed.map((p) => p.action))])}, but ECS ${verbs.join(', ')} with the execution role`
}

function presenceCheck(facts: PreflightFacts, refs: References, roleArn: string | undefined, permissions: Permission[]): PreflightResult {
  const title = 'Task execution role'
  const reasons = executionRoleReasons(refs, facts.target.launchType)
  if (!roleArn) {
    if (reasons.length === 0) return result('execution-role', 'execution-role.present', title, 'ok', 'none, and none is needed')
    const hint = taskRoleHint(facts, permissions)
    return result(
      'execution-role',
      'execution-role.present',
      title,
      'fail',
      `the task definition has no executionRoleArn, and ECS needs one: ${list(reasons, 3)}${hint ? `; ${hint}` : ''}`,
      'Set executionRoleArn to a role that ecs-tasks.amazonaws.com may assume, with AmazonECSTaskExecutionRolePolicy (ECR, logs) and read access to the secrets.',
      CODES.EXECUTION_ROLE_MISSING,
    )
  }
  const role = facts.executionRole
  if (role && !role.ok && /NoSuchEntity/.test(role.code)) {
    return result('execution-role', 'execution-role.present', title, 'fail', `${roleArn} does not exist (${role.code})`, 'Create the role, or point executionRoleArn at one that exists.', CODES.EXECUTION_ROLE_MISSING)
  }
  return result('execution-role', 'execution-role.present', title, 'ok', roleArn)
}

function trustCheck(facts: PreflightFacts, roleArn: string | undefined): PreflightResult {
  const title = 'Execution role trusts ecs-tasks.amazonaws.com'
  const role = facts.executionRole
  if (!roleArn || !role) return result('execution-role', 'execution-role.trust', title, 'skip', 'there is no execution role')
  if (!role.ok) return /NoSuchEntity/.test(role.code) ? result('execution-role', 'execution-role.trust', title, 'skip', 'the role does not exist') : skipRead('execution-role', 'execution-role.trust', title, role, 'iam:GetRole on the execution role')
  const verdict = trustVerdict(role.value.trustPolicy)
  const fix = `Let ecs-tasks.amazonaws.com assume ${roleArn}: \`aws iam update-assume-role-policy --role-name ${roleArn.split('/').pop()} --policy-document '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":"sts:AssumeRole"}]}'\``
  if (verdict.denied) return result('execution-role', 'execution-role.trust', title, 'fail', 'the trust policy denies sts:AssumeRole to ecs-tasks.amazonaws.com', fix, CODES.EXECUTION_ROLE_TRUST)
  if (!verdict.allowed) return result('execution-role', 'execution-role.trust', title, 'fail', 'the trust policy does not let ecs-tasks.amazonaws.com call sts:AssumeRole', fix, CODES.EXECUTION_ROLE_TRUST)
  const conditions = verdict.conditions.length > 0 ? ` (conditions not evaluated: ${list(verdict.conditions)})` : ''
  return result('execution-role', 'execution-role.trust', title, 'ok', `allowed${conditions}`)
}

function permissionsCheck(facts: PreflightFacts, refs: References, roleArn: string | undefined, permissions: Permission[]): PreflightResult {
  const title = 'Execution role may do what ECS does before the task starts'
  const id = 'execution-role.permissions'
  const onEc2 = facts.target.launchType === 'EC2' && (refs.ecrImages.length > 0 || refs.logs.length > 0) ? '; on EC2 the image pulls and awslogs use the container instance role (not checked)' : ''
  if (!roleArn) return result('execution-role', id, title, 'skip', 'there is no execution role')
  if (facts.executionRole && !facts.executionRole.ok && /NoSuchEntity/.test(facts.executionRole.code)) return result('execution-role', id, title, 'skip', 'the role does not exist')
  if (permissions.length === 0) return result('execution-role', id, title, 'ok', `the task needs no permission of it${onEc2}`)
  const decisions = facts.executionDecisions
  if (!decisions) return result('execution-role', id, title, 'skip', 'not simulated')
  if (!decisions.ok) return skipRead('execution-role', id, title, decisions, 'iam:SimulatePrincipalPolicy on the execution role')
  const lacking = permissions.filter((p) => decisionOf(decisions.value, p) !== undefined && decisionOf(decisions.value, p) !== 'allowed')
  const unanswered = permissions.filter((p) => decisionOf(decisions.value, p) === undefined)
  const aliases = aliasedKeys(refs, resolveSecrets(refs, facts.secrets, facts.parameters))
  const aliasNote = aliases.length > 0 ? `; kms:Decrypt not simulated for ${list(aliases)} (a key alias: the simulator needs the key ARN)` : ''
  if (lacking.length > 0) {
    const hint = taskRoleHint(facts, lacking)
    const detail = lacking.map((p) => `${p.action} on ${p.resource} (${decisionOf(decisions.value, p)}; ${p.why})`).join('; ')
    const fix = `Allow ${list([...new Set(lacking.map((p) => p.action))], 6)} on ${list([...new Set(lacking.map((p) => p.resource))], 6)} in the policies of ${roleArn}${hint ? ' (the task role has them: add them to the execution role; the task role needs them only if the application itself calls these APIs)' : ''}.`
    return result('execution-role', id, title, 'fail', `${detail}${hint ? `; ${hint}` : ''}${onEc2}`, fix, CODES.EXECUTION_ROLE_DENIED)
  }
  if (unanswered.length > 0) {
    return result('execution-role', id, title, 'warn', `the simulator gave no answer for ${unanswered.map((p) => `${p.action} on ${p.resource}`).join('; ')}${aliasNote}`, 'Check these permissions by hand (IAM policy simulator).', CODES.SIMULATION_INCOMPLETE)
  }
  const actions = new Set(permissions.map((p) => p.action)).size
  const resources = new Set(permissions.map((p) => p.resource)).size
  return result('execution-role', id, title, 'ok', `allowed by the role's policies: ${actions} action${actions === 1 ? '' : 's'} on ${resources} resource${resources === 1 ? '' : 's'} (the simulator does not see ${SIMULATOR_BLIND})${aliasNote}${onEc2}`)
}

export function executionRoleChecks(facts: PreflightFacts): PreflightResult[] {
  const {target} = facts
  const refs = referencesOf(target.taskDefinition, target.region)
  const roleArn = target.overrides?.executionRoleArn ?? target.taskDefinition.executionRoleArn
  const permissions = executionRolePermissions(refs, target, resolveSecrets(refs, facts.secrets, facts.parameters))
  return [presenceCheck(facts, refs, roleArn, permissions), trustCheck(facts, roleArn), permissionsCheck(facts, refs, roleArn, permissions)]
}

// ---------------------------------------------------------------- references

function imageCheck(facts: PreflightFacts, image: EcrImage): PreflightResult {
  const id = `references.image.${image.container}`
  const title = `Image of container ${image.container}`
  const ref = image.digest ? `${image.repository}@${image.digest}` : `${image.repository}:${image.tag}`
  const where = `registry ${image.registryId}, ${image.region}`
  const fact = facts.images[image.image]
  if (!fact) return result('references', id, title, 'skip', 'not read')
  if (fact.ok) return result('references', id, title, 'ok', `${ref} exists${fact.value.digest && !image.digest ? ` (${fact.value.digest.slice(0, 19)}…)` : ''}`)
  const describe = `\`aws ecr describe-images --registry-id ${image.registryId} --repository-name ${image.repository} --region ${image.region}\` lists what exists`
  if (fact.code === 'ImageNotFoundException') {
    return result('references', id, title, 'fail', `${image.digest ? `digest ${image.digest}` : `tag ${image.tag}`} not found in repository ${image.repository} (${where})`, `Push the image, or point the task definition at a tag that exists: ${describe}.`, CODES.IMAGE_NOT_FOUND)
  }
  if (fact.code === 'RepositoryNotFoundException') {
    return result('references', id, title, 'fail', `repository ${image.repository} does not exist (${where})`, `Create the repository and push the image, or fix the image name.`, CODES.IMAGE_NOT_FOUND)
  }
  return skipRead('references', id, title, fact, `ecr:DescribeImages on ${image.repositoryArn}`)
}

/** runtimePlatform.cpuArchitecture → the OCI platform architecture ("Amazon ECS task definition parameters for Fargate": runtimePlatform, X86_64 by default). */
const OCI_ARCHITECTURE: Record<string, string> = {X86_64: 'amd64', ARM64: 'arm64'}

function architectureCheck(facts: PreflightFacts, image: EcrImage): PreflightResult {
  const wanted = facts.target.taskDefinition.runtimePlatform?.cpuArchitecture ?? 'X86_64'
  const arch = OCI_ARCHITECTURE[wanted] ?? wanted.toLowerCase()
  const id = `references.architecture.${image.container}`
  const title = `Image of container ${image.container} offers ${wanted}`
  const fact = facts.images[image.image]
  if (!fact?.ok) return result('references', id, title, 'skip', 'the image could not be read')
  const architectures = fact.value.architectures
  if (!architectures) return result('references', id, title, 'skip', `a single-platform image (${fact.value.mediaType ?? 'media type unknown'}): its architecture is in its configuration, which ecsops does not read`)
  if (!architectures.ok) return skipRead('references', id, title, architectures, `ecr:BatchGetImage on ${image.repositoryArn}`)
  if (architectures.value.includes(arch)) return result('references', id, title, 'ok', `the image index offers ${architectures.value.join(', ')}`)
  return result(
    'references',
    id,
    title,
    'fail',
    `the image index offers ${architectures.value.join(', ') || 'no platform'}, not ${arch} (runtimePlatform.cpuArchitecture ${wanted})`,
    `Push an image for ${arch} into the index (docker buildx build --platform linux/${arch} …), or set runtimePlatform.cpuArchitecture to one it offers.`,
    CODES.CPU_ARCHITECTURE,
  )
}

function secretCheck(facts: PreflightFacts, s: SecretReference): PreflightResult {
  const id = `references.secret.${s.container}.${s.field.replace(/^secrets /, '').replace(/\s+/g, '.')}`
  const title = `${s.field} of container ${s.container}`
  if (s.store === 'secretsmanager') {
    const fact = facts.secrets[s.secretId!]
    if (!fact) return result('references', id, title, 'skip', 'not read')
    const via = s.viaParameterStore ? ' (read through Parameter Store)' : ''
    if (fact.ok) return result('references', id, title, 'ok', `Secrets Manager secret ${fact.value.arn} exists${via}`)
    if (fact.code === 'ResourceNotFoundException') {
      return result('references', id, title, 'fail', `Secrets Manager secret ${s.secretId} does not exist in ${s.region}${via}`, `Create the secret, or fix valueFrom (${s.valueFrom}): \`aws secretsmanager list-secrets --region ${s.region}\` lists what exists.`, CODES.SECRET_NOT_FOUND)
    }
    return skipRead('references', id, title, fact, `secretsmanager:DescribeSecret on ${s.secretArn}`)
  }
  const fact = facts.parameters[s.region]
  if (!fact) return result('references', id, title, 'skip', 'not read')
  if (!fact.ok) return skipRead('references', id, title, fact, 'ssm:DescribeParameters')
  const found = (s.parameterNames ?? []).map((n) => fact.value[n]).find(Boolean)
  if (found) return result('references', id, title, 'ok', `parameter ${found.name} exists${found.type ? ` (${found.type})` : ''}`)
  const name = s.parameterNames?.at(-1) ?? s.valueFrom
  return result('references', id, title, 'fail', `parameter ${name} does not exist in ${s.region}`, `Create the parameter (\`aws ssm put-parameter --name ${name} --type SecureString --region ${s.region} …\`), or fix valueFrom (${s.valueFrom}).`, CODES.SECRET_NOT_FOUND)
}

function logGroupCheck(facts: PreflightFacts, l: LogReference): PreflightResult {
  const id = `references.log-group.${l.container}`
  const title = `awslogs group of container ${l.container}`
  const fact = facts.logGroups[`${l.region}|${l.group}`]
  if (!fact) return result('references', id, title, 'skip', 'not read')
  if (!fact.ok) return skipRead('references', id, title, fact, 'logs:DescribeLogGroups')
  if (fact.value) return result('references', id, title, 'ok', `${l.group} exists (${l.region})`)
  if (l.createGroup) return result('references', id, title, 'ok', `${l.group} does not exist yet; awslogs-create-group "true" creates it (with logs:CreateLogGroup, checked under the execution role)`)
  return result(
    'references',
    id,
    title,
    'fail',
    `log group ${l.group} does not exist in ${l.region}, and awslogs-create-group is not "true"`,
    `Create it (\`aws logs create-log-group --log-group-name ${l.group} --region ${l.region}\`), or set awslogs-create-group to "true" (the execution role then needs logs:CreateLogGroup).`,
    CODES.LOG_GROUP_NOT_FOUND,
  )
}

/**
 * Fargate task sizes ("Amazon ECS task definition parameters for Fargate", Task size: the valid
 * CPU and memory combinations; 8 and 16 vCPU need Linux platform version 1.4.0 or later; Windows
 * containers need at least 1 vCPU).
 */
export function taskSizeCheck(facts: PreflightFacts): PreflightResult {
  const {target} = facts
  const title = 'Fargate task CPU and memory'
  if (target.launchType !== 'FARGATE') return result('references', 'references.task-size', title, 'skip', `not Fargate (${target.launchType})`)
  const cpuText = target.overrides?.cpu ?? target.taskDefinition.cpu
  const memoryText = target.overrides?.memory ?? target.taskDefinition.memory
  const fail = (detail: string, fix: string) => result('references', 'references.task-size', title, 'fail', detail, fix, CODES.FARGATE_TASK_SIZE)
  if (!cpuText || !memoryText) return fail(`the task has no task-level ${!cpuText ? 'cpu' : 'memory'}, which Fargate requires`, 'Set the task-level cpu and memory in the task definition.')
  const cpu = taskSizeValue(cpuText, 'cpu')
  const memory = taskSizeValue(memoryText, 'memory')
  if (cpu === undefined || memory === undefined) return fail(`cpu "${cpuText}" / memory "${memoryText}" are not Fargate values`, 'Use CPU units (256 … 16384) and MiB.')
  const allowed = fargateMemoryFor(cpu)
  if (allowed.length === 0) return fail(`${cpu} CPU units is not a Fargate size`, 'Fargate CPU values: 256, 512, 1024, 2048, 4096, 8192, 16384.')
  if (!allowed.includes(memory)) return fail(`Fargate does not run ${cpu} CPU units with ${memory} MiB`, `With ${cpu} CPU units the memory is one of ${allowed[0]}–${allowed.at(-1)} MiB (${list(allowed.map(String), 4)}).`)
  const windows = /WINDOWS/i.test(target.taskDefinition.runtimePlatform?.operatingSystemFamily ?? '')
  if (windows && cpu < 1024) return fail(`${cpu} CPU units: Windows containers on Fargate need at least 1 vCPU`, 'Use 1024 CPU units or more.')
  const pv = target.platformVersion
  if (!windows && cpu >= 8192 && pv && /^1\.[0-3]\./.test(pv)) return fail(`${cpu} CPU units need Linux platform version 1.4.0 or later, not ${pv}`, 'Run on platform version LATEST (1.4.0 or later).')
  return result('references', 'references.task-size', title, 'ok', `${cpu} CPU units, ${memory} MiB`)
}

export function referenceChecks(facts: PreflightFacts): PreflightResult[] {
  const refs = referencesOf(facts.target.taskDefinition, facts.target.region)
  const out: PreflightResult[] = []
  for (const i of refs.ecrImages) out.push(imageCheck(facts, i))
  for (const o of refs.otherImages) out.push(result('references', `references.image.${o.container}`, `Image of container ${o.container}`, 'skip', `${o.image} is not in a private ECR registry: ecsops does not check other registries`))
  if (facts.target.launchType === 'FARGATE') for (const i of refs.ecrImages) out.push(architectureCheck(facts, i))
  for (const s of refs.secrets) out.push(secretCheck(facts, s))
  for (const l of refs.logs) out.push(logGroupCheck(facts, l))
  out.push(taskSizeCheck(facts))
  return out
}

// ---------------------------------------------------------------- all

export function preflightChecks(facts: PreflightFacts): PreflightResult[] {
  return [...networkChecks(facts), ...executionRoleChecks(facts), ...referenceChecks(facts)]
}

export function summarize(results: PreflightResult[]): Record<CheckStatus, number> {
  const summary: Record<CheckStatus, number> = {ok: 0, warn: 0, fail: 0, skip: 0}
  for (const r of results) summary[r.status]++
  return summary
}
