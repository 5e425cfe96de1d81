import type {Container, ContainerDefinition, Task, TaskDefinition} from '@aws-sdk/client-ecs'
import {enableExecFix} from './enable-fix.js'

import type {CheckGroup, CheckResult, CheckStatus, Decisions, ExecCheckReport, ExecConfiguration, ExecFacts, Fact, NetworkReport, TaskNetwork} from './model.js'
import {clusterNameOf, taskIdOf} from '../aws/arn.js'
import {atLeast, PLUGIN, PLUGIN_ENV_RESPONSE_VERSION, pluginInstallHint, type PluginProbe} from './plugin.js'
import {documentArn, FORWARD_DOCUMENT, FORWARD_DOCUMENTS} from './forward.js'

/**
 * The checks of `ecsops exec check`: pure functions from the gathered facts to results. They
 * cover every check of amazon-ecs-exec-checker v0.7 and what its users asked for.
 */

export const FARGATE_MIN_LINUX = '1.4.0'
export const FARGATE_MIN_WINDOWS = '1.0.0'
export const AGENT_MIN = '1.50.2'
/** ECS Exec on Windows container instances needs agent 1.56.0 or later (ECS Exec page, Considerations: "Windows … ECS container agent version 1.56 or later"). */
export const AGENT_MIN_WINDOWS = '1.56.0'

/**
 * The CloudWatch log groups ECS Exec writes session logs to: with logging OVERRIDE the cluster's
 * cloudWatchLogGroupName; with DEFAULT (or unset) the awslogs group of the task definition's
 * containers; with NONE, none (ECS Exec page, "Logging and auditing using ECS Exec").
 */
export function execLogGroups(exec: ExecConfiguration | undefined, definition: TaskDefinition | undefined): {groups: string[]; why: string} {
  if (exec?.logging === 'NONE') return {groups: [], why: 'logging NONE'}
  if (exec?.logging === 'OVERRIDE') return {groups: exec.cloudWatchLogGroupName ? [exec.cloudWatchLogGroupName] : [], why: 'logging OVERRIDE'}
  const groups = [...new Set((definition?.containerDefinitions ?? []).filter((c) => c.logConfiguration?.logDriver === 'awslogs').map((c) => c.logConfiguration?.options?.['awslogs-group']).filter((g): g is string => Boolean(g)))]
  return {groups, why: `logging ${exec?.logging ?? 'DEFAULT (unset)'}: the containers' awslogs group`}
}
export const SSMMESSAGES_ACTIONS = ['ssmmessages:CreateControlChannel', 'ssmmessages:CreateDataChannel', 'ssmmessages:OpenControlChannel', 'ssmmessages:OpenDataChannel']
export const LOGS_ACTIONS = ['logs:DescribeLogGroups', 'logs:CreateLogStream', 'logs:DescribeLogStreams', 'logs:PutLogEvents']
export const CREDENTIAL_VARIABLES = ['AWS_ACCESS_KEY', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY']
export const EXEC_AGENT = 'ExecuteCommandAgent'


/**
 * How a result reads (`✔ ok Title: detail`): the title names what is checked, never asserting
 * an outcome the status may contradict ("Task status", not "Task is RUNNING"); the detail says
 * what was found, in words, without repeating the title. A simulator decision is said in words
 * with its code in parentheses (`decisionInWords`).
 */
function result(group: CheckGroup, id: string, title: string, status: CheckStatus, detail: string, fix: string | null = null): CheckResult {
  return {id, group, title, status, detail, fix}
}

/**
 * An IAM simulator decision in words: `allowed`; `implicitDeny` (no policy allows it); `explicitDeny`
 * (a Deny statement matches). "Policy evaluation logic" in the IAM User Guide: an explicit deny in
 * any policy overrides any allow; without an allow the request is implicitly denied.
 */
export function decisionInWords(decision: string | undefined): string {
  if (decision === undefined || decision === 'not simulated') return 'not simulated'
  if (decision === 'allowed') return 'allowed'
  if (decision === 'implicitDeny') return 'not allowed: no policy allows it (implicitDeny)'
  if (decision === 'explicitDeny') return 'denied by an explicit Deny statement (explicitDeny)'
  return `not allowed (${decision})`
}

function unknown<T>(fact: Fact<T>): string {
  return fact.ok ? '' : `could not be checked: ${fact.code}: ${fact.message}`
}

function permissionFix(code: string, action: string): string | null {
  return /AccessDenied|UnauthorizedOperation|not authorized/i.test(code) ? `Grant ${action} to the caller (\`ecsops iam-policy exec check\`).` : null
}

function skipFromFact(group: CheckGroup, id: string, title: string, fact: Fact<unknown>, action: string): CheckResult {
  if (fact.ok) throw new Error('skipFromFact on a known fact')
  return result(group, id, title, 'skip', unknown(fact), permissionFix(fact.code, action))
}

// ---------------------------------------------------------------- caller

const TITLES = {
  executeCommand: 'Caller\'s ecs:ExecuteCommand on the task',
  generateDataKey: 'Caller\'s kms:GenerateDataKey on the exec KMS key',
  startSession: 'Caller\'s ssm:StartSession on the task (outside ECS Exec)',
  plugin: 'Session Manager plugin',
}

/**
 * ssm:StartSession on the task is what a session outside ECS Exec needs; ECS Exec itself does not:
 * ecs:ExecuteCommand creates the session. The ECS Exec guide ("Limiting access to the Start Session
 * action", https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs-exec.html) recommends
 * denying it on tasks: such sessions are not logged by ECS Exec and count against the session quota.
 */
function startSessionCheck(decision: string | undefined): CheckResult {
  const id = 'caller.ssm-start-session'
  if (decision === undefined) return result('caller', id, TITLES.startSession, 'skip', 'not simulated')
  if (decision === 'allowed') {
    return result('caller', id, TITLES.startSession, 'warn', 'allowed: the caller can open Session Manager sessions to the task that bypass ECS Exec\'s logging', 'Deny ssm:StartSession on ECS tasks to the caller (see "Limiting access to the Start Session action" in the ECS Exec guide).')
  }
  const why = decision === 'explicitDeny' ? 'as the ECS Exec guide recommends' : 'no policy allows it'
  return result('caller', id, TITLES.startSession, 'ok', `${decisionInWords(decision)}; this does not block ECS Exec (ecs:ExecuteCommand opens its sessions), and sessions outside ECS Exec are not possible (${why})`)
}

export function callerChecks(facts: ExecFacts, platform: NodeJS.Platform = process.platform): CheckResult[] {
  const out: CheckResult[] = [result('caller', 'caller.region', 'Region', 'ok', `${facts.region.name} (from ${facts.region.source})`)]
  const {caller} = facts
  if (caller.ok) {
    const behind = caller.value.principalArn === caller.value.arn ? '' : ` (role ${caller.value.principalArn})`
    out.push(result('caller', 'caller.identity', 'Caller identity', 'ok', `${caller.value.arn}${behind}, account ${caller.value.account}`))
  } else {
    out.push(result('caller', 'caller.identity', 'Caller identity', 'fail', `sts:GetCallerIdentity failed: ${caller.code}: ${caller.message}`, 'Fix the credentials (`ecsops config` shows what is used).'))
  }
  const decisions = facts.callerDecisions
  const kms = kmsConfigured(facts)
  if (!decisions) {
    const why = caller.ok ? 'the task could not be read' : 'the caller is unknown'
    out.push(result('caller', 'caller.execute-command', TITLES.executeCommand, 'skip', `not simulated: ${why}`))
    out.push(result('caller', 'caller.kms-generate-data-key', TITLES.generateDataKey, 'skip', kms ? `not simulated: ${why}` : 'the cluster uses no KMS key for exec'))
    out.push(result('caller', 'caller.ssm-start-session', TITLES.startSession, 'skip', `not simulated: ${why}`))
  } else if (!decisions.ok) {
    const fix = permissionFix(decisions.code, 'iam:SimulatePrincipalPolicy')
    out.push(result('caller', 'caller.execute-command', TITLES.executeCommand, 'skip', unknown(decisions), fix))
    out.push(result('caller', 'caller.kms-generate-data-key', TITLES.generateDataKey, 'skip', kms ? unknown(decisions) : 'the cluster uses no KMS key for exec', kms ? fix : null))
    out.push(result('caller', 'caller.ssm-start-session', TITLES.startSession, 'skip', unknown(decisions), fix))
  } else {
    const d = decisions.value
    const exec = d['ecs:ExecuteCommand']
    out.push(
      exec === 'allowed'
        ? result('caller', 'caller.execute-command', TITLES.executeCommand, 'ok', 'allowed')
        : result('caller', 'caller.execute-command', TITLES.executeCommand, exec ? 'fail' : 'skip', decisionInWords(exec), exec ? 'Allow ecs:ExecuteCommand on the cluster and task to the caller (`ecsops iam-policy exec`).' : null),
    )
    if (!kms) {
      out.push(result('caller', 'caller.kms-generate-data-key', TITLES.generateDataKey, 'skip', 'the cluster uses no KMS key for exec'))
    } else {
      const gen = d['kms:GenerateDataKey']
      out.push(
        gen === 'allowed'
          ? result('caller', 'caller.kms-generate-data-key', TITLES.generateDataKey, 'ok', 'allowed')
          : result('caller', 'caller.kms-generate-data-key', TITLES.generateDataKey, gen ? 'fail' : 'skip', gen ? decisionInWords(gen) : 'not simulated (the key ARN is unknown)', gen ? 'Allow kms:GenerateDataKey on the cluster\'s exec KMS key to the caller.' : null),
      )
    }
    out.push(startSessionCheck(d['ssm:StartSession']))
  }
  out.push(pluginCheck(facts.plugin, platform))
  return out
}

/** session-manager-plugin on this machine: shared by `exec check` and the pre-flight of `exec`. */
export function pluginCheck(plugin: PluginProbe, platform: NodeJS.Platform = process.platform): CheckResult {
  if (!plugin.installed) return result('caller', 'caller.plugin', TITLES.plugin, 'fail', plugin.problem ?? `${PLUGIN} is not installed`, pluginInstallHint(platform))
  if (!plugin.version) return result('caller', 'caller.plugin', TITLES.plugin, 'warn', plugin.problem ?? `${PLUGIN} is installed, its version is unknown`, pluginInstallHint(platform))
  if (!atLeast(plugin.version, PLUGIN_ENV_RESPONSE_VERSION)) {
    return result('caller', 'caller.plugin', TITLES.plugin, 'warn', `${PLUGIN} ${plugin.version}, older than ${PLUGIN_ENV_RESPONSE_VERSION}: the session token must be passed on its command line`, `Update it. ${pluginInstallHint(platform)}`)
  }
  return result('caller', 'caller.plugin', TITLES.plugin, 'ok', `${PLUGIN} ${plugin.version}`)
}

// ---------------------------------------------------------------- cluster

function kmsConfigured(facts: ExecFacts): boolean {
  return facts.cluster.ok && Boolean(facts.cluster.value.exec?.kmsKeyId)
}

export function clusterChecks(facts: ExecFacts): CheckResult[] {
  const {cluster} = facts
  if (!cluster.ok) {
    const missing = /ClusterNotFound|MISSING/i.test(cluster.code)
    return [result('cluster', 'cluster.exec-configuration', 'Cluster exec configuration', missing ? 'fail' : 'skip', missing ? `cluster not found: ${cluster.message}` : unknown(cluster), missing ? 'Check the cluster name and the region.' : permissionFix(cluster.code, 'ecs:DescribeClusters'))]
  }
  const exec = cluster.value.exec
  const out: CheckResult[] = []
  if (!exec) {
    out.push(result('cluster', 'cluster.exec-configuration', 'Cluster exec configuration', 'warn', 'not configured: no KMS key, audit logging not configured', 'Optional: set `executeCommandConfiguration` on the cluster (KMS key, logging to S3 or CloudWatch Logs) to encrypt and audit sessions.'))
    return out
  }
  const kms = exec.kmsKeyId
    ? `KMS key ${facts.kmsKeyArn?.ok ? facts.kmsKeyArn.value : exec.kmsKeyId}`
    : 'no KMS key'
  out.push(result('cluster', 'cluster.exec-configuration', 'Cluster exec configuration', 'ok', kms))
  if (exec.kmsKeyId && facts.kmsKeyArn && !facts.kmsKeyArn.ok) {
    out.push(result('cluster', 'cluster.kms-key', 'Exec KMS key', /NotFound/i.test(facts.kmsKeyArn.code) ? 'fail' : 'warn', `kms:DescribeKey on ${exec.kmsKeyId}: ${facts.kmsKeyArn.code}: ${facts.kmsKeyArn.message}`, 'Check that the key exists in this region and that the caller may describe it.'))
  }
  const logging = exec.logging
  const destinations: string[] = []
  if (exec.s3BucketName) destinations.push(`S3 s3://${exec.s3BucketName}/${exec.s3KeyPrefix ?? ''} (encryption ${exec.s3EncryptionEnabled ? 'enabled' : 'disabled'})`)
  if (exec.cloudWatchLogGroupName) destinations.push(`CloudWatch Logs ${exec.cloudWatchLogGroupName} (encryption ${exec.cloudWatchEncryptionEnabled ? 'enabled' : 'disabled'})`)
  if (!logging) out.push(result('cluster', 'cluster.logging', 'Exec audit logging', 'warn', 'not configured', 'Optional: set logging DEFAULT or OVERRIDE in the cluster\'s executeCommandConfiguration.'))
  else if (logging === 'NONE') out.push(result('cluster', 'cluster.logging', 'Exec audit logging', 'warn', 'disabled (NONE)', 'Optional: set logging DEFAULT or OVERRIDE to keep a record of sessions.'))
  else if (logging === 'OVERRIDE' && destinations.length === 0) out.push(result('cluster', 'cluster.logging', 'Exec audit logging', 'warn', 'OVERRIDE without an S3 bucket or log group', 'Set logConfiguration (s3BucketName or cloudWatchLogGroupName).'))
  else out.push(result('cluster', 'cluster.logging', 'Exec audit logging', 'ok', `${logging}${destinations.length ? `: ${destinations.join('; ')}` : ' (the task definition\'s awslogs configuration)'}`))
  return out
}

// ---------------------------------------------------------------- task

function describeStop(task: Task): string {
  const when = task.stoppedAt ? ` at ${new Date(task.stoppedAt).toISOString()}` : task.stoppingAt ? ` (stopping since ${new Date(task.stoppingAt).toISOString()})` : ''
  const why = [task.stopCode, task.stoppedReason].filter(Boolean).join(': ')
  return `${task.lastStatus ?? 'STOPPED'}${when}${why ? ` — ${why}` : ''}`
}

export function taskStatusCheck(task: Task): CheckResult {
  const status = task.lastStatus ?? 'UNKNOWN'
  if (status === 'RUNNING') return result('task', 'task.status', 'Task status', 'ok', 'RUNNING')
  if (['PROVISIONING', 'PENDING', 'ACTIVATING'].includes(status)) return result('task', 'task.status', 'Task status', 'warn', `${status}, not RUNNING yet`, 'Wait until the task is RUNNING.')
  return result('task', 'task.status', 'Task status', 'fail', describeStop(task), 'Pick a RUNNING task (`ecsops exec` lists them).')
}

export function execEnabledCheck(task: Task): CheckResult {
  if (task.enableExecuteCommand) return result('task', 'task.exec-enabled', 'ECS Exec on the task', 'ok', 'enabled (enableExecuteCommand is true)')
  const fix = enableExecFix(task.group, task.clusterArn ? clusterNameOf(task.clusterArn) : '<cluster>')
  return result('task', 'task.exec-enabled', 'ECS Exec on the task', 'fail', 'not enabled: the task was started without enableExecuteCommand', fix)
}

export function launchChecks(facts: ExecFacts, task: Task): CheckResult[] {
  const out: CheckResult[] = []
  const launchType = task.launchType ?? (task.capacityProviderName?.startsWith('FARGATE') ? 'FARGATE' : task.containerInstanceArn ? 'EC2' : undefined)
  if (launchType === 'FARGATE') {
    out.push(result('task', 'task.launch-type', 'Launch type', 'ok', `Fargate${task.capacityProviderName ? ` (${task.capacityProviderName})` : ''}`))
    const windows = /windows/i.test(task.platformFamily ?? '')
    const minimum = windows ? FARGATE_MIN_WINDOWS : FARGATE_MIN_LINUX
    const pv = task.platformVersion ?? 'LATEST'
    const ok = pv === 'LATEST' || atLeast(pv.replace(/^v/i, ''), minimum)
    out.push(
      ok
        ? result('task', 'task.platform-version', 'Fargate platform version', 'ok', `${pv}${pv === 'LATEST' ? ` (≥ ${minimum})` : ''}`)
        : result('task', 'task.platform-version', 'Fargate platform version', 'fail', `${pv}, required ≥ ${minimum}`, `Run the service on platform version ${minimum} or LATEST.`),
    )
    out.push(result('task', 'task.agent-version', 'ECS agent version', 'skip', 'Fargate manages the agent'))
  } else if (launchType === 'EC2' || launchType === 'EXTERNAL') {
    // ECS Exec supports ECS Anywhere (external instances) as it does EC2 (ECS Exec page, Considerations).
    out.push(result('task', 'task.launch-type', 'Launch type', 'ok', launchType === 'EC2' ? 'EC2' : 'EXTERNAL (ECS Anywhere)'))
    out.push(result('task', 'task.platform-version', 'Fargate platform version', 'skip', `not Fargate (${launchType})`))
    const ci = facts.containerInstance
    if (!ci) out.push(result('task', 'task.agent-version', 'ECS agent version', 'skip', 'no container instance'))
    else if (!ci.ok) out.push(skipFromFact('task', 'task.agent-version', 'ECS agent version', ci, 'ecs:DescribeContainerInstances'))
    else {
      const v = ci.value.agentVersion
      const windows = ci.value.osType === 'windows'
      const minimum = windows ? AGENT_MIN_WINDOWS : AGENT_MIN
      if (!v) out.push(result('task', 'task.agent-version', 'ECS agent version', 'warn', 'not reported by the container instance'))
      else if (atLeast(v, minimum)) out.push(result('task', 'task.agent-version', 'ECS agent version', 'ok', `${v}${windows ? ' (Windows)' : ''}`))
      else out.push(result('task', 'task.agent-version', 'ECS agent version', 'fail', `${v}, required ≥ ${minimum}${windows ? ' on Windows' : ''}`, 'Update the ECS agent on the instance (or use a current ECS-optimized AMI).'))
    }
  } else {
    out.push(result('task', 'task.launch-type', 'Launch type', 'warn', 'unknown: the task names no launch type, capacity provider or container instance'))
    out.push(result('task', 'task.platform-version', 'Fargate platform version', 'skip', 'launch type unknown'))
    out.push(result('task', 'task.agent-version', 'ECS agent version', 'skip', 'launch type unknown'))
  }
  return out
}

export function pidModeCheck(pidMode: string | undefined): CheckResult {
  if (pidMode === 'task') {
    return result('task', 'task.pid-mode', 'PID mode', 'warn', 'pidMode "task": containers share one PID namespace, which is known to interfere with ECS Exec sessions', 'If sessions fail, remove pidMode "task" from the task definition.')
  }
  return result('task', 'task.pid-mode', 'PID mode', 'ok', pidMode ?? 'not configured')
}

// ---------------------------------------------------------------- containers

export function execAgentOf(container: Container): {lastStatus?: string; reason?: string; lastStartedAt?: Date} | undefined {
  return (container.managedAgents ?? []).find((a) => a.name === EXEC_AGENT)
}

export function agentCheck(container: Container, execEnabled: boolean): CheckResult {
  const id = `container.${container.name}.agent`
  const title = `ExecuteCommandAgent of "${container.name}"`
  if (!execEnabled) return result('containers', id, title, 'skip', 'exec is not enabled for the task')
  const agent = execAgentOf(container)
  if (!agent) return result('containers', id, title, 'skip', 'the container has no managed agents (e.g. a sidecar injected by GuardDuty): it cannot be exec\'ed, the others are unaffected')
  const status = agent.lastStatus ?? 'UNKNOWN'
  if (status === 'RUNNING') return result('containers', id, title, 'ok', 'RUNNING')
  if (status === 'PENDING') return result('containers', id, title, 'warn', 'PENDING: the agent is still starting', 'Wait a few seconds and check again.')
  const started = agent.lastStartedAt ? `, last started ${new Date(agent.lastStartedAt).toISOString()}` : ''
  return result('containers', id, title, 'fail', `${status}${agent.reason ? ` (reason: ${agent.reason})` : ''}${started}`, 'Check the task role permissions and the route to ssmmessages below, then replace the task.')
}

export function initProcessCheck(def: ContainerDefinition): CheckResult {
  const id = `container.${def.name}.init-process`
  const title = `Init process of "${def.name}"`
  return def.linuxParameters?.initProcessEnabled
    ? result('containers', id, title, 'ok', 'enabled (initProcessEnabled is true)')
    : result('containers', id, title, 'warn', 'not enabled (initProcessEnabled is not set): processes left by exec sessions are not reaped', 'Set linuxParameters.initProcessEnabled: true in the container definition.')
}

export function readonlyRootCheck(def: ContainerDefinition): CheckResult {
  const id = `container.${def.name}.readonly-root`
  const title = `Root file system of "${def.name}"`
  return def.readonlyRootFilesystem
    ? result('containers', id, title, 'fail', 'read-only (readonlyRootFilesystem is true): the SSM agent cannot write its files, ECS Exec does not work', 'Set readonlyRootFilesystem: false, or exec into another container of the task.')
    : result('containers', id, title, 'ok', 'writable')
}

export function credentialVariablesCheck(def: ContainerDefinition): CheckResult {
  const id = `container.${def.name}.aws-credentials`
  const title = `AWS keys in the environment of "${def.name}"`
  const inEnv = (def.environment ?? []).map((e) => e.name).filter((n): n is string => n !== undefined && CREDENTIAL_VARIABLES.includes(n))
  const inSecrets = (def.secrets ?? []).map((s) => s.name).filter((n): n is string => n !== undefined && CREDENTIAL_VARIABLES.includes(n))
  if (inEnv.length === 0 && inSecrets.length === 0) return result('containers', id, title, 'ok', 'none')
  const where = [inEnv.length ? `environment: ${inEnv.join(', ')}` : '', inSecrets.length ? `secrets: ${inSecrets.join(', ')}` : ''].filter(Boolean).join('; ')
  return result('containers', id, title, 'warn', `${where}: the SSM agent uses these keys instead of the task role`, 'Remove them and grant the permissions to the task role, or make sure these keys allow the ssmmessages actions.')
}

// ---------------------------------------------------------------- role

/** The decisions on several actions, grouped: "s3:PutObject allowed; s3:GetEncryptionConfiguration not allowed: no policy allows it (implicitDeny)". */
function decisionsLine(d: Decisions, actions: string[]): {denied: string[]; line: string} {
  const denied = actions.filter((a) => d[a] !== 'allowed')
  const groups = new Map<string, string[]>()
  for (const a of actions) groups.set(decisionInWords(d[a]), [...(groups.get(decisionInWords(d[a])) ?? []), a])
  return {denied, line: [...groups].map(([words, names]) => `${names.join(', ')} ${words}`).join('; ')}
}

export function roleChecks(facts: ExecFacts): CheckResult[] {
  const out: CheckResult[] = []
  const role = facts.role
  const exec = facts.cluster.ok ? facts.cluster.value.exec : undefined
  const titles = {
    role: 'Task role (or EC2 instance role)',
    ssm: 'Role\'s ssmmessages actions',
    kms: 'Role\'s kms:Decrypt on the exec KMS key',
    s3: 'Role\'s writing of exec logs to S3',
    logs: 'Role\'s writing of exec logs to CloudWatch Logs',
  }
  const skipAll = (detail: string, fix: string | null = null) => {
    out.push(result('role', 'role.ssmmessages', titles.ssm, 'skip', detail, fix))
    out.push(result('role', 'role.kms-decrypt', titles.kms, 'skip', exec?.kmsKeyId ? detail : 'the cluster uses no KMS key for exec'))
    out.push(result('role', 'role.s3-logging', titles.s3, 'skip', exec?.s3BucketName ? detail : 'no S3 bucket for exec logs'))
    out.push(result('role', 'role.cloudwatch-logging', titles.logs, 'skip', execLogGroups(exec, facts.taskDefinition?.ok ? facts.taskDefinition.value : undefined).groups.length > 0 ? detail : 'no CloudWatch log group for exec logs'))
  }
  if (!role) {
    out.push(result('role', 'role.found', titles.role, 'skip', 'the task could not be read'))
    skipAll('the role is unknown')
    return out
  }
  if (!role.ok) {
    out.push(skipFromFact('role', 'role.found', titles.role, role, 'iam:GetInstanceProfile'))
    skipAll('the role is unknown')
    return out
  }
  if (role.value === null) {
    const ec2 = facts.task.ok && facts.task.value.launchType === 'EC2'
    out.push(result('role', 'role.found', titles.role, 'fail', ec2 ? 'no task role, and the instance has no instance profile role' : 'no task role (Fargate tasks cannot use an instance role)', 'Give the task definition a taskRoleArn whose role allows the four ssmmessages actions.'))
    skipAll('there is no role')
    return out
  }
  out.push(result('role', 'role.found', titles.role, 'ok', `${role.value.arn} (${role.value.source})`))
  const decisions = facts.roleDecisions
  if (!decisions || !decisions.ok) {
    skipAll(decisions ? unknown(decisions) : 'not simulated', decisions && !decisions.ok ? permissionFix(decisions.code, 'iam:SimulatePrincipalPolicy') : null)
    return out
  }
  const d = decisions.value
  const ssm = decisionsLine(d, SSMMESSAGES_ACTIONS)
  out.push(
    ssm.denied.length === 0
      ? result('role', 'role.ssmmessages', titles.ssm, 'ok', 'all four allowed')
      : result('role', 'role.ssmmessages', titles.ssm, 'fail', ssm.line, `Allow ${ssm.denied.join(', ')} (Resource "*") in the policy of ${role.value.arn}.`),
  )
  if (!exec?.kmsKeyId) out.push(result('role', 'role.kms-decrypt', titles.kms, 'skip', 'the cluster uses no KMS key for exec'))
  else if (d['kms:Decrypt'] === undefined) out.push(result('role', 'role.kms-decrypt', titles.kms, 'skip', 'not simulated (the key ARN is unknown)'))
  else if (d['kms:Decrypt'] === 'allowed') out.push(result('role', 'role.kms-decrypt', titles.kms, 'ok', 'allowed'))
  else out.push(result('role', 'role.kms-decrypt', titles.kms, 'fail', decisionInWords(d['kms:Decrypt']), `Allow kms:Decrypt on the exec KMS key in the policy of ${role.value.arn}.`))
  if (!exec?.s3BucketName) out.push(result('role', 'role.s3-logging', titles.s3, 'skip', 'no S3 bucket for exec logs'))
  else {
    const actions = exec.s3EncryptionEnabled ? ['s3:PutObject', 's3:GetEncryptionConfiguration'] : ['s3:PutObject']
    const s3 = decisionsLine(d, actions)
    out.push(s3.denied.length === 0 ? result('role', 'role.s3-logging', titles.s3, 'ok', s3.line) : result('role', 'role.s3-logging', titles.s3, 'fail', s3.line, `Allow ${s3.denied.join(', ')} on bucket ${exec.s3BucketName} in the policy of ${role.value.arn}.`))
  }
  const logGroups = execLogGroups(exec, facts.taskDefinition?.ok ? facts.taskDefinition.value : undefined)
  if (logGroups.groups.length === 0) out.push(result('role', 'role.cloudwatch-logging', titles.logs, 'skip', `no CloudWatch log group for exec logs (${logGroups.why})`))
  else {
    const logs = decisionsLine(d, LOGS_ACTIONS)
    const groups = logGroups.groups.join(', ')
    out.push(logs.denied.length === 0 ? result('role', 'role.cloudwatch-logging', titles.logs, 'ok', `${logs.line} (${logGroups.why}: ${groups})`) : result('role', 'role.cloudwatch-logging', titles.logs, 'fail', `${logs.line} (${logGroups.why}: ${groups})`, `Allow ${logs.denied.join(', ')} on log group ${groups} in the policy of ${role.value.arn}.`))
  }
  return out
}

// ---------------------------------------------------------------- network

function findingCheck(report: NetworkReport, region: string, service: string, id: string, title: string, why: string): CheckResult {
  const finding = report.findings.find((f) => f.service === service)
  const problems = finding?.problems.map((p) => p.detail).join('; ') ?? ''
  const endpoint = finding?.endpointService ?? `com.amazonaws.${region}.${service}`
  if (!finding || finding.status === 'missing') {
    const fix = `Create an interface endpoint ${endpoint} in ${report.vpcId} with private DNS, in the task's Availability Zones, admitting TCP 443 from the task's security groups (${why}), or route the subnet through a NAT gateway.`
    // The audit's problem for a missing endpoint restates this sentence: not repeated.
    return result('network', id, title, 'fail', `no route: the subnet has no NAT or internet gateway route and ${report.vpcId} has no ${endpoint} endpoint`, finding?.fix ? `${fix} ${finding.fix}` : fix)
  }
  if (finding.status === 'ok' || finding.status === 'unused') return result('network', id, title, 'ok', `through the ${service} VPC endpoint${problems ? ` (${problems})` : ''}`)
  if (finding.status === 'unknown') {
    return result('network', id, title, 'warn', `could not be verified: ${problems || 'the endpoint audit could not see enough of the network'}`, finding.fix ?? `Check that ${service} is reachable from ${report.vpcId} (\`ecsops check-endpoints\` explains each problem).`)
  }
  return result('network', id, title, 'fail', `the ${endpoint} endpoint exists but: ${problems || finding.status}`, finding.fix ?? 'Fix the endpoint (`ecsops check-endpoints` explains each problem).')
}

export function networkChecks(facts: ExecFacts): CheckResult[] {
  const title = 'Route to ssmmessages'
  const kmsTitle = 'Route to kms (exec KMS key)'
  const kms = kmsConfigured(facts)
  const net = facts.network
  if (!net) {
    return [result('network', 'network.ssmmessages', title, 'skip', 'the task\'s network could not be determined'), result('network', 'network.kms', kmsTitle, 'skip', kms ? 'the task\'s network could not be determined' : 'the cluster uses no KMS key for exec')]
  }
  if (!net.ok) {
    const detail = unknown(net)
    const fix = permissionFix(net.code, 'the ec2:Describe* permissions')
    return [result('network', 'network.ssmmessages', title, 'skip', detail, fix), result('network', 'network.kms', kmsTitle, 'skip', kms ? detail : 'the cluster uses no KMS key for exec', kms ? fix : null)]
  }
  const {task, report} = net.value
  const route = ssmmessagesRouteCheck(task, report, facts.region.name)
  if (route.viaInternet) return [route.check, result('network', 'network.kms', kmsTitle, 'skip', kms ? `through ${route.viaInternet}` : 'the cluster uses no KMS key for exec')]
  return [route.check, kms ? findingCheck(report, facts.region.name, 'kms', 'network.kms', kmsTitle, 'the session is encrypted with the exec KMS key') : result('network', 'network.kms', kmsTitle, 'skip', 'the cluster uses no KMS key for exec')]
}

/**
 * The route from the task's subnets to ssmmessages, where the SSM agent opens its channels (ECS Exec
 * page, "Using interface Amazon VPC endpoints with ECS Exec": tasks in private subnets without a NAT
 * need the com.amazonaws.<region>.ssmmessages interface endpoint): every subnet routed through a NAT
 * gateway, or an internet gateway with a public IP on the task, or a healthy endpoint. Shared by
 * `exec check` and the pre-flight of `exec`. `viaInternet` names the gateway when that is the route.
 */
export function ssmmessagesRouteCheck(task: TaskNetwork, report: NetworkReport, region: string): {check: CheckResult; viaInternet?: string} {
  const title = 'Route to ssmmessages'
  const subnets = report.subnets.filter((s) => task.subnetIds.length === 0 || task.subnetIds.includes(s.subnetId))
  const nat = subnets.length > 0 && subnets.every((s) => s.internetRoute === 'nat')
  const igw = subnets.length > 0 && subnets.every((s) => s.internetRoute === 'nat' || s.internetRoute === 'igw') && !nat
  const names = subnets.map((s) => s.subnetId).join(', ')
  if (nat || (igw && task.publicIp !== false)) {
    const via = nat ? 'a NAT gateway' : 'an internet gateway'
    return {check: result('network', 'network.ssmmessages', title, 'ok', `through ${via} (${names})`), viaInternet: via}
  }
  const check = findingCheck(report, region, 'ssmmessages', 'network.ssmmessages', title, 'the SSM agent opens its channels there')
  if (igw && task.publicIp === false && check.status !== 'ok') check.detail += '; the subnet routes to an internet gateway but the task has no public IP'
  return {check}
}

// ---------------------------------------------------------------- port forwarding

/**
 * What `ecsops exec port-forward` needs beyond the exec agent and the route to ssmmessages (checked
 * above): the caller's ssm:StartSession on the task and on the document. Both are resources of
 * ssm:StartSession ("Actions, resources, and condition keys for AWS Systems Manager"); AWS documents
 * are named without an account (`arn:aws:ssm:<region>::document/<name>`).
 */
export function portForwardChecks(facts: ExecFacts): CheckResult[] {
  const taskArn = facts.task.ok ? (facts.task.value.taskArn ?? '') : ''
  const [, partition = 'aws', , , account = ''] = taskArn.split(':')
  const scope = taskArn ? `arn:${partition}:ecs:${facts.region.name}:${account}:task/${clusterNameOf(facts.task.ok ? (facts.task.value.clusterArn ?? '') : '')}/*` : 'the task'
  const fix = (resource: string) => `Allow ssm:StartSession on ${resource} to the caller (\`ecsops iam-policy "exec port-forward"\`).`
  const check = (id: string, title: string, resource: string, decisions: Fact<Decisions> | undefined, action: string): CheckResult => {
    if (!decisions) return result('port-forward', id, title, 'skip', facts.caller.ok ? 'not simulated: the task could not be read' : 'not simulated: the caller is unknown')
    if (!decisions.ok) return result('port-forward', id, title, 'skip', unknown(decisions), permissionFix(decisions.code, 'iam:SimulatePrincipalPolicy'))
    const decision = decisions.value[action]
    if (decision === 'allowed') return result('port-forward', id, title, 'ok', 'allowed')
    return decision === undefined || decision === 'not simulated'
      ? result('port-forward', id, title, 'skip', 'not simulated')
      : result('port-forward', id, title, 'fail', decisionInWords(decision), fix(resource))
  }
  return [
    check('port-forward.start-session-task', 'Caller\'s ssm:StartSession on the task', scope, facts.callerDecisions, 'ssm:StartSession'),
    ...FORWARD_DOCUMENTS.map((document) =>
      check(
        `port-forward.document.${document}`,
        `Caller's ssm:StartSession with ${document} (${document === FORWARD_DOCUMENT ? 'a port of the task' : '--host'})`,
        documentArn(partition, facts.region.name, document),
        facts.documentDecisions,
        document,
      ),
    ),
  ]
}

/**
 * The report of `exec check --port-forward`: the port-forwarding group added, and without the
 * advice to deny ssm:StartSession to the caller (port forwarding needs it; the group checks it).
 */
function withPortForward(results: CheckResult[], facts: ExecFacts): CheckResult[] {
  return [...results.filter((r) => r.id !== 'caller.ssm-start-session'), ...portForwardChecks(facts)]
}

// ---------------------------------------------------------------- all

export function execChecks(facts: ExecFacts, platform: NodeJS.Platform = process.platform): CheckResult[] {
  const results: CheckResult[] = [...callerChecks(facts, platform), ...clusterChecks(facts)]
  const {task} = facts
  if (!task.ok) {
    const missing = /MISSING|NotFound/i.test(task.code)
    results.push(result('task', 'task.status', 'Task status', missing ? 'fail' : 'skip', missing ? `task not found: ${task.message}` : unknown(task), missing ? 'Check the task id and the cluster (`aws ecs list-tasks --cluster <cluster>`).' : permissionFix(task.code, 'ecs:DescribeTasks')))
    results.push(...roleChecks(facts), ...networkChecks(facts))
    return results
  }
  const t = task.value
  results.push(taskStatusCheck(t), ...launchChecks(facts, t), execEnabledCheck(t))
  const def = facts.taskDefinition
  if (def?.ok) results.push(pidModeCheck(def.value.pidMode))
  else if (def && !def.ok) results.push(skipFromFact('task', 'task.pid-mode', 'PID mode', def, 'ecs:DescribeTaskDefinition'))
  for (const container of t.containers ?? []) results.push(agentCheck(container, Boolean(t.enableExecuteCommand)))
  if (def?.ok) {
    for (const d of def.value.containerDefinitions ?? []) results.push(initProcessCheck(d), readonlyRootCheck(d), credentialVariablesCheck(d))
  } else if (def && !def.ok) {
    // Without the task definition these checks are not done: say so rather than omit them.
    results.push(skipFromFact('containers', 'container.definitions', 'Init process, writable root file system, no AWS keys in the environment (each container)', def, 'ecs:DescribeTaskDefinition'))
  }
  results.push(...roleChecks(facts), ...networkChecks(facts))
  return results
}

export function summarize(results: CheckResult[]): Record<CheckStatus, number> {
  const summary: Record<CheckStatus, number> = {ok: 0, warn: 0, fail: 0, skip: 0}
  for (const r of results) summary[r.status]++
  return summary
}

export function checkReport(facts: ExecFacts, target: {cluster: string; task: string}, platform: NodeJS.Platform = process.platform, options: {portForward?: boolean} = {}): ExecCheckReport {
  const results = options.portForward ? withPortForward(execChecks(facts, platform), facts) : execChecks(facts, platform)
  const task = facts.task.ok && facts.task.value.taskArn ? taskIdOf(facts.task.value.taskArn) : taskIdOf(target.task)
  const cluster = facts.cluster.ok ? facts.cluster.value.name : target.cluster
  return {region: facts.region.name, cluster, task, results, summary: summarize(results)}
}
