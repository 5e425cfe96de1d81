import {describe, expect, it} from 'vitest'

import {callerChecks, checkReport, clusterChecks, decisionInWords, execChecks, execEnabledCheck, launchChecks, networkChecks, pluginCheck, portForwardChecks, roleChecks, taskStatusCheck} from '../../src/exec/checks.js'
import type {CheckGroup, CheckResult, CheckStatus, ExecConfiguration, ExecFacts} from '../../src/exec/model.js'
import {pluginInstallHint} from '../../src/exec/plugin.js'
import {container, containerDefinition, goodFacts, natReport, task, TASK_ROLE, taskDefinition} from './fixtures.js'

/**
 * Each check's result asserted whole (status, title, detail, fix), branch by branch: what an operator
 * reads in `ecsops exec check`. AWS facts behind the branches are cited where they are tested:
 * "Using Amazon ECS Exec for debugging" (ECS developer guide, https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs-exec.html)
 * and the checks of aws-containers/amazon-ecs-exec-checker.
 */

const r = (group: CheckGroup, id: string, title: string, status: CheckStatus, detail: string, fix: string | null = null): CheckResult => ({id, group, title, status, detail, fix})

function withFacts(change: (f: ExecFacts) => void): ExecFacts {
  const f = goodFacts()
  change(f)
  return f
}

const byId = (results: CheckResult[], id: string): CheckResult => {
  const found = results.find((x) => x.id === id)
  if (!found) throw new Error(`no check ${id}`)
  return found
}

const denied = {ok: false as const, code: 'AccessDenied', message: 'User is not authorized to perform: iam:SimulatePrincipalPolicy'}
const throttled = {ok: false as const, code: 'Throttling', message: 'Rate exceeded'}
const kmsCluster = {ok: true as const, value: {arn: 'c', name: 'prod', exec: {kmsKeyId: 'k', logging: 'DEFAULT'}}}

const T = {
  exec: 'Caller\'s ecs:ExecuteCommand on the task',
  gen: 'Caller\'s kms:GenerateDataKey on the exec KMS key',
  start: 'Caller\'s ssm:StartSession on the task (outside ECS Exec)',
  plugin: 'Session Manager plugin',
}

describe('decisionInWords: a simulator decision as the operator reads it', () => {
  it('says each decision in words', () => {
    expect(decisionInWords(undefined)).toBe('not simulated')
    expect(decisionInWords('not simulated')).toBe('not simulated')
    expect(decisionInWords('allowed')).toBe('allowed')
    expect(decisionInWords('implicitDeny')).toBe('not allowed: no policy allows it (implicitDeny)')
    expect(decisionInWords('explicitDeny')).toBe('denied by an explicit Deny statement (explicitDeny)')
    expect(decisionInWords('somethingNew')).toBe('not allowed (somethingNew)')
  })
})

describe('caller checks', () => {
  it('a healthy caller: region with its source, the role behind the session, the plugin', () => {
    expect(callerChecks(goodFacts(), 'linux')).toEqual([
      r('caller', 'caller.region', 'Region', 'ok', 'eu-west-1 (from AWS_REGION)'),
      r('caller', 'caller.identity', 'Caller identity', 'ok', 'arn:aws:sts::123456789012:assumed-role/Dev/alice (role arn:aws:iam::123456789012:role/Dev), account 123456789012'),
      r('caller', 'caller.execute-command', T.exec, 'ok', 'allowed'),
      r('caller', 'caller.kms-generate-data-key', T.gen, 'skip', 'the cluster uses no KMS key for exec'),
      r('caller', 'caller.ssm-start-session', T.start, 'ok', 'not allowed: no policy allows it (implicitDeny); this does not block ECS Exec (ecs:ExecuteCommand opens its sessions), and sessions outside ECS Exec are not possible (no policy allows it)'),
      r('caller', 'caller.plugin', T.plugin, 'ok', 'session-manager-plugin 1.2.650.0'),
    ])
  })
  it('an IAM user (no role behind the session) is named alone', () => {
    const f = withFacts((x) => (x.caller = {ok: true, value: {arn: 'arn:aws:iam::123456789012:user/alice', account: '123456789012', principalArn: 'arn:aws:iam::123456789012:user/alice'}}))
    expect(byId(callerChecks(f, 'linux'), 'caller.identity')).toEqual(r('caller', 'caller.identity', 'Caller identity', 'ok', 'arn:aws:iam::123456789012:user/alice, account 123456789012'))
  })
  it('without credentials: identity fails, nothing is simulated because the caller is unknown', () => {
    const f = withFacts((x) => {
      x.caller = {ok: false, code: 'ExpiredToken', message: 'The security token included in the request is expired'}
      x.callerDecisions = undefined
    })
    expect(callerChecks(f, 'linux').slice(1, 5)).toEqual([
      r('caller', 'caller.identity', 'Caller identity', 'fail', 'sts:GetCallerIdentity failed: ExpiredToken: The security token included in the request is expired', 'Fix the credentials (`ecsops config` shows what is used).'),
      r('caller', 'caller.execute-command', T.exec, 'skip', 'not simulated: the caller is unknown'),
      r('caller', 'caller.kms-generate-data-key', T.gen, 'skip', 'the cluster uses no KMS key for exec'),
      r('caller', 'caller.ssm-start-session', T.start, 'skip', 'not simulated: the caller is unknown'),
    ])
  })
  it('a known caller but an unreadable task: nothing simulated, saying so; with a KMS key its check says so too', () => {
    const f = withFacts((x) => {
      x.callerDecisions = undefined
      x.cluster = kmsCluster
    })
    expect(callerChecks(f, 'linux').slice(2, 5)).toEqual([
      r('caller', 'caller.execute-command', T.exec, 'skip', 'not simulated: the task could not be read'),
      r('caller', 'caller.kms-generate-data-key', T.gen, 'skip', 'not simulated: the task could not be read'),
      r('caller', 'caller.ssm-start-session', T.start, 'skip', 'not simulated: the task could not be read'),
    ])
  })
  it('the simulator refused: each caller check skips with the error and the permission to grant', () => {
    const detail = 'could not be checked: AccessDenied: User is not authorized to perform: iam:SimulatePrincipalPolicy'
    const fix = 'Grant iam:SimulatePrincipalPolicy to the caller (`ecsops iam-policy exec check`).'
    expect(callerChecks(withFacts((x) => (x.callerDecisions = denied)), 'linux').slice(2, 5)).toEqual([
      r('caller', 'caller.execute-command', T.exec, 'skip', detail, fix),
      r('caller', 'caller.kms-generate-data-key', T.gen, 'skip', 'the cluster uses no KMS key for exec'),
      r('caller', 'caller.ssm-start-session', T.start, 'skip', detail, fix),
    ])
    const withKms = withFacts((x) => {
      x.callerDecisions = denied
      x.cluster = kmsCluster
    })
    expect(byId(callerChecks(withKms, 'linux'), 'caller.kms-generate-data-key')).toEqual(r('caller', 'caller.kms-generate-data-key', T.gen, 'skip', detail, fix))
  })
  it('a simulator error that is not a permission problem gives no fix', () => {
    expect(byId(callerChecks(withFacts((x) => (x.callerDecisions = throttled)), 'linux'), 'caller.execute-command')).toEqual(r('caller', 'caller.execute-command', T.exec, 'skip', 'could not be checked: Throttling: Rate exceeded'))
  })
  it('decisions missing for an action: skipped as not simulated, without a fix', () => {
    const f = withFacts((x) => {
      x.callerDecisions = {ok: true, value: {}}
      x.cluster = kmsCluster
    })
    expect(callerChecks(f, 'linux').slice(2, 5)).toEqual([
      r('caller', 'caller.execute-command', T.exec, 'skip', 'not simulated'),
      r('caller', 'caller.kms-generate-data-key', T.gen, 'skip', 'not simulated (the key ARN is unknown)'),
      r('caller', 'caller.ssm-start-session', T.start, 'skip', 'not simulated'),
    ])
  })
  it('denied actions fail with the grant to make; an allowed ssm:StartSession warns with the advice to deny it', () => {
    const f = withFacts((x) => {
      x.callerDecisions = {ok: true, value: {'ecs:ExecuteCommand': 'implicitDeny', 'kms:GenerateDataKey': 'explicitDeny', 'ssm:StartSession': 'allowed'}}
      x.cluster = kmsCluster
    })
    expect(callerChecks(f, 'linux').slice(2, 5)).toEqual([
      r('caller', 'caller.execute-command', T.exec, 'fail', 'not allowed: no policy allows it (implicitDeny)', 'Allow ecs:ExecuteCommand on the cluster and task to the caller (`ecsops iam-policy exec`).'),
      r('caller', 'caller.kms-generate-data-key', T.gen, 'fail', 'denied by an explicit Deny statement (explicitDeny)', 'Allow kms:GenerateDataKey on the cluster\'s exec KMS key to the caller.'),
      // ECS Exec guide, "Limiting access to the Start Session action".
      r('caller', 'caller.ssm-start-session', T.start, 'warn', 'allowed: the caller can open Session Manager sessions to the task that bypass ECS Exec\'s logging', 'Deny ssm:StartSession on ECS tasks to the caller (see "Limiting access to the Start Session action" in the ECS Exec guide).'),
    ])
  })
  it('kms:GenerateDataKey allowed is ok', () => {
    const f = withFacts((x) => {
      x.callerDecisions = {ok: true, value: {'ecs:ExecuteCommand': 'allowed', 'kms:GenerateDataKey': 'allowed'}}
      x.cluster = kmsCluster
    })
    expect(byId(callerChecks(f, 'linux'), 'caller.kms-generate-data-key')).toEqual(r('caller', 'caller.kms-generate-data-key', T.gen, 'ok', 'allowed'))
  })
})

describe('the Session Manager plugin check', () => {
  it('missing: fails with its problem, or says it is not installed, and how to install it', () => {
    expect(pluginCheck({installed: false}, 'darwin')).toEqual(r('caller', 'caller.plugin', T.plugin, 'fail', 'session-manager-plugin is not installed', pluginInstallHint('darwin')))
  })
  it('installed without a readable version: warns, with the problem when there is one', () => {
    expect(pluginCheck({installed: true}, 'linux')).toEqual(r('caller', 'caller.plugin', T.plugin, 'warn', 'session-manager-plugin is installed, its version is unknown', pluginInstallHint('linux')))
    expect(pluginCheck({installed: true, problem: '`session-manager-plugin --version` printed no version: ?'}, 'win32')).toEqual(r('caller', 'caller.plugin', T.plugin, 'warn', '`session-manager-plugin --version` printed no version: ?', pluginInstallHint('win32')))
  })
  it('older than 1.2.536.0 warns with how to update; 1.2.536.0 itself is ok', () => {
    expect(pluginCheck({installed: true, version: '1.2.535.0'}, 'linux')).toEqual(r('caller', 'caller.plugin', T.plugin, 'warn', 'session-manager-plugin 1.2.535.0, older than 1.2.536.0: the session token must be passed on its command line', `Update it. ${pluginInstallHint('linux')}`))
    expect(pluginCheck({installed: true, version: '1.2.536.0'}, 'linux')).toEqual(r('caller', 'caller.plugin', T.plugin, 'ok', 'session-manager-plugin 1.2.536.0'))
  })
})

describe('cluster checks', () => {
  const cluster = (exec: ExecConfiguration | undefined) => withFacts((x) => (x.cluster = {ok: true, value: {arn: 'c', name: 'prod', exec}}))
  const C = 'Cluster exec configuration'
  it('an unknown cluster fails; an unreadable one skips, with the permission when that is why', () => {
    expect(clusterChecks(withFacts((x) => (x.cluster = {ok: false, code: 'ClusterNotFoundException', message: 'Cluster not found.'})))).toEqual([r('cluster', 'cluster.exec-configuration', C, 'fail', 'cluster not found: Cluster not found.', 'Check the cluster name and the region.')])
    expect(clusterChecks(withFacts((x) => (x.cluster = {ok: false, code: 'AccessDeniedException', message: 'not authorized to perform: ecs:DescribeClusters'})))).toEqual([r('cluster', 'cluster.exec-configuration', C, 'skip', 'could not be checked: AccessDeniedException: not authorized to perform: ecs:DescribeClusters', 'Grant ecs:DescribeClusters to the caller (`ecsops iam-policy exec check`).')])
    expect(clusterChecks(withFacts((x) => (x.cluster = {ok: false, code: 'Throttling', message: 'Rate exceeded'})))).toEqual([r('cluster', 'cluster.exec-configuration', C, 'skip', 'could not be checked: Throttling: Rate exceeded')])
  })
  it('no executeCommandConfiguration: one warning, optional fix', () => {
    expect(clusterChecks(cluster(undefined))).toEqual([r('cluster', 'cluster.exec-configuration', C, 'warn', 'not configured: no KMS key, audit logging not configured', 'Optional: set `executeCommandConfiguration` on the cluster (KMS key, logging to S3 or CloudWatch Logs) to encrypt and audit sessions.')])
  })
  it('logging unset, NONE, OVERRIDE without a destination: warnings, each with its fix', () => {
    const logging = (exec: ExecConfiguration) => byId(clusterChecks(cluster(exec)), 'cluster.logging')
    expect(logging({})).toEqual(r('cluster', 'cluster.logging', 'Exec audit logging', 'warn', 'not configured', 'Optional: set logging DEFAULT or OVERRIDE in the cluster\'s executeCommandConfiguration.'))
    expect(logging({logging: 'NONE'})).toEqual(r('cluster', 'cluster.logging', 'Exec audit logging', 'warn', 'disabled (NONE)', 'Optional: set logging DEFAULT or OVERRIDE to keep a record of sessions.'))
    expect(logging({logging: 'OVERRIDE'})).toEqual(r('cluster', 'cluster.logging', 'Exec audit logging', 'warn', 'OVERRIDE without an S3 bucket or log group', 'Set logConfiguration (s3BucketName or cloudWatchLogGroupName).'))
  })
  it('DEFAULT logging goes to the task definition\'s awslogs; OVERRIDE names its destinations', () => {
    expect(clusterChecks(cluster({logging: 'DEFAULT'}))).toEqual([
      r('cluster', 'cluster.exec-configuration', C, 'ok', 'no KMS key'),
      r('cluster', 'cluster.logging', 'Exec audit logging', 'ok', 'DEFAULT (the task definition\'s awslogs configuration)'),
    ])
    expect(byId(clusterChecks(cluster({logging: 'OVERRIDE', s3BucketName: 'audit'})), 'cluster.logging').detail).toBe('OVERRIDE: S3 s3://audit/ (encryption disabled)')
    expect(byId(clusterChecks(cluster({logging: 'OVERRIDE', cloudWatchLogGroupName: '/ecs/exec', cloudWatchEncryptionEnabled: true})), 'cluster.logging').detail).toBe('OVERRIDE: CloudWatch Logs /ecs/exec (encryption enabled)')
  })
  it('a KMS key whose ARN is unknown is named by its id; one that cannot be described warns', () => {
    const f = withFacts((x) => {
      x.cluster = {ok: true, value: {arn: 'c', name: 'prod', exec: {kmsKeyId: 'alias/exec', logging: 'DEFAULT'}}}
      x.kmsKeyArn = {ok: false, code: 'AccessDeniedException', message: 'not authorized to perform: kms:DescribeKey'}
    })
    expect(clusterChecks(f).slice(0, 2)).toEqual([
      r('cluster', 'cluster.exec-configuration', C, 'ok', 'KMS key alias/exec'),
      r('cluster', 'cluster.kms-key', 'Exec KMS key', 'warn', 'kms:DescribeKey on alias/exec: AccessDeniedException: not authorized to perform: kms:DescribeKey', 'Check that the key exists in this region and that the caller may describe it.'),
    ])
    const gone = withFacts((x) => {
      x.cluster = {ok: true, value: {arn: 'c', name: 'prod', exec: {kmsKeyId: 'alias/gone', logging: 'DEFAULT'}}}
      x.kmsKeyArn = {ok: false, code: 'NotFoundException', message: 'Alias not found'}
    })
    expect(byId(clusterChecks(gone), 'cluster.kms-key')).toEqual(r('cluster', 'cluster.kms-key', 'Exec KMS key', 'fail', 'kms:DescribeKey on alias/gone: NotFoundException: Alias not found', 'Check that the key exists in this region and that the caller may describe it.'))
    const notLooked = withFacts((x) => (x.cluster = {ok: true, value: {arn: 'c', name: 'prod', exec: {kmsKeyId: 'alias/exec', logging: 'DEFAULT'}}}))
    expect(clusterChecks(notLooked).map((x) => x.id)).toEqual(['cluster.exec-configuration', 'cluster.logging'])
  })
})

describe('task status', () => {
  const S = (status: CheckStatus, detail: string, fix: string | null = null) => r('task', 'task.status', 'Task status', status, detail, fix)
  it('not RUNNING yet warns for each starting state', () => {
    for (const lastStatus of ['PROVISIONING', 'PENDING', 'ACTIVATING']) expect(taskStatusCheck(task({lastStatus}))).toEqual(S('warn', `${lastStatus}, not RUNNING yet`, 'Wait until the task is RUNNING.'))
  })
  it('stopping or stopped fails, saying since when and why', () => {
    const pick = 'Pick a RUNNING task (`ecsops exec` lists them).'
    expect(taskStatusCheck(task({lastStatus: 'DEACTIVATING', stoppingAt: new Date('2026-11-25T11:00:00Z'), stoppedReason: 'Scaling activity initiated by deployment'}))).toEqual(S('fail', 'DEACTIVATING (stopping since 2026-11-25T11:00:00.000Z) — Scaling activity initiated by deployment', pick))
    expect(taskStatusCheck(task({lastStatus: 'STOPPED'}))).toEqual(S('fail', 'STOPPED', pick))
    expect(taskStatusCheck(task({lastStatus: undefined}))).toEqual(S('fail', 'STOPPED', pick))
  })
})

describe('ECS Exec on the task', () => {
  it('enabled is ok; not enabled fails with how to turn it on, naming the cluster (or a placeholder)', () => {
    expect(execEnabledCheck(task())).toEqual(r('task', 'task.exec-enabled', 'ECS Exec on the task', 'ok', 'enabled (enableExecuteCommand is true)'))
    expect(execEnabledCheck(task({enableExecuteCommand: false, clusterArn: undefined}))).toEqual(r('task', 'task.exec-enabled', 'ECS Exec on the task', 'fail', 'not enabled: the task was started without enableExecuteCommand', 'Enable it for the service and replace its tasks: `aws ecs update-service --cluster <cluster> --service web --enable-execute-command --force-new-deployment` (a running task cannot be switched).'))
  })
})

describe('launch type, platform version, agent version', () => {
  // ECS Exec page, Considerations: Fargate platform version 1.4.0 or later (Linux), 1.0.0 or later
  // (Windows); on EC2 the container agent 1.50.2 or later; ECS Anywhere (EXTERNAL) is supported.
  const L = (detail: string, status: CheckStatus = 'ok') => r('task', 'task.launch-type', 'Launch type', status, detail)
  const PV = (status: CheckStatus, detail: string, fix: string | null = null) => r('task', 'task.platform-version', 'Fargate platform version', status, detail, fix)
  const AV = (status: CheckStatus, detail: string, fix: string | null = null) => r('task', 'task.agent-version', 'ECS agent version', status, detail, fix)
  const managed = AV('skip', 'Fargate manages the agent')
  it('Fargate on Linux: 1.4.0 or later, LATEST says what it stands for', () => {
    expect(launchChecks(goodFacts(), task())).toEqual([L('Fargate'), PV('ok', '1.4.0'), managed])
    expect(launchChecks(goodFacts(), task({platformVersion: undefined}))).toEqual([L('Fargate'), PV('ok', 'LATEST (≥ 1.4.0)'), managed])
    expect(launchChecks(goodFacts(), task({platformVersion: '1.3.0'}))[1]).toEqual(PV('fail', '1.3.0, required ≥ 1.4.0', 'Run the service on platform version 1.4.0 or LATEST.'))
    expect(launchChecks(goodFacts(), task({platformVersion: 'v1.4.0'}))[1]).toEqual(PV('ok', 'v1.4.0'))
  })
  it('Fargate from a capacity provider, without a launch type, is named with its provider', () => {
    expect(launchChecks(goodFacts(), task({launchType: undefined, capacityProviderName: 'FARGATE_SPOT'}))[0]).toEqual(L('Fargate (FARGATE_SPOT)'))
  })
  it('Fargate on Windows: 1.0.0 or later', () => {
    expect(launchChecks(goodFacts(), task({platformFamily: 'WINDOWS_SERVER_2019_CORE', platformVersion: undefined}))[1]).toEqual(PV('ok', 'LATEST (≥ 1.0.0)'))
    expect(launchChecks(goodFacts(), task({platformFamily: 'WINDOWS_SERVER_2019_CORE', platformVersion: '0.9.0'}))[1]).toEqual(PV('fail', '0.9.0, required ≥ 1.0.0', 'Run the service on platform version 1.0.0 or LATEST.'))
  })
  const ec2 = (ci: ExecFacts['containerInstance'], extra: Parameters<typeof task>[0] = {}) =>
    launchChecks(withFacts((x) => (x.containerInstance = ci)), task({launchType: 'EC2', platformVersion: undefined, containerInstanceArn: 'arn:aws:ecs:eu-west-1:123456789012:container-instance/prod/abc', ...extra}))
  it('EC2: agent 1.50.2 or later on Linux', () => {
    expect(ec2({ok: true, value: {agentVersion: '1.50.2'}})).toEqual([L('EC2'), PV('skip', 'not Fargate (EC2)'), AV('ok', '1.50.2')])
    expect(ec2({ok: true, value: {agentVersion: '1.50.1'}})[2]).toEqual(AV('fail', '1.50.1, required ≥ 1.50.2', 'Update the ECS agent on the instance (or use a current ECS-optimized AMI).'))
  })
  it('EC2 without a launch type but with a container instance is EC2', () => {
    expect(ec2({ok: true, value: {agentVersion: '1.60.0'}}, {launchType: undefined})[0]).toEqual(L('EC2'))
  })
  it('EC2 on Windows: agent 1.56.0 or later', () => {
    expect(ec2({ok: true, value: {agentVersion: '1.56.0', osType: 'windows'}})[2]).toEqual(AV('ok', '1.56.0 (Windows)'))
    expect(ec2({ok: true, value: {agentVersion: '1.55.0', osType: 'windows'}})[2]).toEqual(AV('fail', '1.55.0, required ≥ 1.56.0 on Windows', 'Update the ECS agent on the instance (or use a current ECS-optimized AMI).'))
  })
  it('EC2 agent version unknown: no instance, instance unreadable, version not reported', () => {
    expect(ec2(undefined)[2]).toEqual(AV('skip', 'no container instance'))
    expect(ec2({ok: false, code: 'AccessDeniedException', message: 'not authorized to perform: ecs:DescribeContainerInstances'})[2]).toEqual(AV('skip', 'could not be checked: AccessDeniedException: not authorized to perform: ecs:DescribeContainerInstances', 'Grant ecs:DescribeContainerInstances to the caller (`ecsops iam-policy exec check`).'))
    expect(ec2({ok: true, value: {}})[2]).toEqual(AV('warn', 'not reported by the container instance'))
  })
  it('ECS Anywhere (EXTERNAL) is checked like EC2', () => {
    expect(ec2({ok: true, value: {agentVersion: '1.70.0'}}, {launchType: 'EXTERNAL'})).toEqual([L('EXTERNAL (ECS Anywhere)'), PV('skip', 'not Fargate (EXTERNAL)'), AV('ok', '1.70.0')])
  })
  it('an unknown launch type warns and skips the rest', () => {
    expect(launchChecks(goodFacts(), task({launchType: undefined, capacityProviderName: 'my-asg-provider', containerInstanceArn: undefined}))).toEqual([
      L('unknown: the task names no launch type, capacity provider or container instance', 'warn'),
      PV('skip', 'launch type unknown'),
      AV('skip', 'launch type unknown'),
    ])
  })
})

describe('container checks', () => {
  const agent = (c: Parameters<typeof container>[0], status: string | null, extra: Record<string, unknown> = {}) => {
    const k = container(c, status)
    if (k.managedAgents) Object.assign(k.managedAgents[0], extra)
    return byId(execChecks(withFacts((x) => (x.task = {ok: true, value: task({containers: [k]})})), 'linux'), `container.${c}.agent`)
  }
  const A = (name: string, status: CheckStatus, detail: string, fix: string | null = null) => r('containers', `container.${name}.agent`, `ExecuteCommandAgent of "${name}"`, status, detail, fix)
  const replace = 'Check the task role permissions and the route to ssmmessages below, then replace the task.'
  it('the agent of each container: RUNNING ok, PENDING warns, others fail with reason and last start', () => {
    expect(agent('app', 'RUNNING')).toEqual(A('app', 'ok', 'RUNNING'))
    expect(agent('app', 'PENDING')).toEqual(A('app', 'warn', 'PENDING: the agent is still starting', 'Wait a few seconds and check again.'))
    expect(agent('app', 'STOPPED', {reason: 'Internal error'})).toEqual(A('app', 'fail', 'STOPPED (reason: Internal error), last started 2026-11-25T10:00:00.000Z', replace))
    expect(agent('app', 'STOPPED', {lastStartedAt: undefined})).toEqual(A('app', 'fail', 'STOPPED', replace))
    expect(agent('app', 'STOPPED', {lastStatus: undefined, lastStartedAt: undefined})).toEqual(A('app', 'fail', 'UNKNOWN', replace))
  })
  it('a container without the exec agent (the GuardDuty sidecar, listed first) is skipped, saying why', () => {
    const results = execChecks(goodFacts(), 'linux').filter((x) => x.group === 'containers')
    expect(results[0]).toEqual(A('aws-guardduty-agent-0a1b2c', 'skip', 'the container has no managed agents (e.g. a sidecar injected by GuardDuty): it cannot be exec\'ed, the others are unaffected'))
    expect(results[1]).toEqual(A('app', 'ok', 'RUNNING'))
  })
  it('exec not enabled: each agent check skips', () => {
    expect(byId(execChecks(withFacts((x) => (x.task = {ok: true, value: task({enableExecuteCommand: false})})), 'linux'), 'container.app.agent')).toEqual(A('app', 'skip', 'exec is not enabled for the task'))
  })
  it('init process, root file system and AWS keys of each container definition', () => {
    const f = withFacts((x) => (x.taskDefinition = {ok: true, value: taskDefinition({containerDefinitions: [
      containerDefinition('app'),
      containerDefinition('worker', {linuxParameters: undefined, readonlyRootFilesystem: true, environment: [{name: 'AWS_ACCESS_KEY_ID', value: 'AKIA'}, {name: 'AWS_REGION', value: 'eu-west-1'}], secrets: [{name: 'AWS_SECRET_ACCESS_KEY', valueFrom: 'arn:aws:ssm:eu-west-1:123456789012:parameter/k'}]}),
      containerDefinition('env', {environment: undefined, secrets: [{name: 'TOKEN', valueFrom: 'arn:aws:ssm:eu-west-1:123456789012:parameter/t'}]}),
    ]})}))
    expect(execChecks(f, 'linux').filter((x) => x.group === 'containers' && !x.id.endsWith('.agent'))).toEqual([
      r('containers', 'container.app.init-process', 'Init process of "app"', 'ok', 'enabled (initProcessEnabled is true)'),
      r('containers', 'container.app.readonly-root', 'Root file system of "app"', 'ok', 'writable'),
      r('containers', 'container.app.aws-credentials', 'AWS keys in the environment of "app"', 'ok', 'none'),
      r('containers', 'container.worker.init-process', 'Init process of "worker"', 'warn', 'not enabled (initProcessEnabled is not set): processes left by exec sessions are not reaped', 'Set linuxParameters.initProcessEnabled: true in the container definition.'),
      r('containers', 'container.worker.readonly-root', 'Root file system of "worker"', 'fail', 'read-only (readonlyRootFilesystem is true): the SSM agent cannot write its files, ECS Exec does not work', 'Set readonlyRootFilesystem: false, or exec into another container of the task.'),
      r('containers', 'container.worker.aws-credentials', 'AWS keys in the environment of "worker"', 'warn', 'environment: AWS_ACCESS_KEY_ID; secrets: AWS_SECRET_ACCESS_KEY: the SSM agent uses these keys instead of the task role', 'Remove them and grant the permissions to the task role, or make sure these keys allow the ssmmessages actions.'),
      r('containers', 'container.env.init-process', 'Init process of "env"', 'ok', 'enabled (initProcessEnabled is true)'),
      r('containers', 'container.env.readonly-root', 'Root file system of "env"', 'ok', 'writable'),
      r('containers', 'container.env.aws-credentials', 'AWS keys in the environment of "env"', 'ok', 'none'),
    ])
  })
  it('a task without containers or definitions has no container checks', () => {
    const f = withFacts((x) => {
      x.task = {ok: true, value: task({containers: undefined})}
      x.taskDefinition = {ok: true, value: taskDefinition({containerDefinitions: undefined})}
    })
    expect(execChecks(f, 'linux').filter((x) => x.group === 'containers')).toEqual([])
  })
})

describe('the task definition: PID mode and what needs it', () => {
  it('unreadable: PID mode and the container definitions are listed as skipped, with the permission', () => {
    const f = withFacts((x) => (x.taskDefinition = {ok: false, code: 'AccessDeniedException', message: 'not authorized to perform: ecs:DescribeTaskDefinition'}))
    const detail = 'could not be checked: AccessDeniedException: not authorized to perform: ecs:DescribeTaskDefinition'
    const fix = 'Grant ecs:DescribeTaskDefinition to the caller (`ecsops iam-policy exec check`).'
    const results = execChecks(f, 'linux')
    expect(byId(results, 'task.pid-mode')).toEqual(r('task', 'task.pid-mode', 'PID mode', 'skip', detail, fix))
    expect(byId(results, 'container.definitions')).toEqual(r('containers', 'container.definitions', 'Init process, writable root file system, no AWS keys in the environment (each container)', 'skip', detail, fix))
  })
  it('not gathered at all: neither PID mode nor container definition checks', () => {
    const ids = execChecks(withFacts((x) => (x.taskDefinition = undefined)), 'linux').map((x) => x.id)
    expect(ids.filter((id) => id === 'task.pid-mode' || id === 'container.definitions' || id.endsWith('.init-process'))).toEqual([])
  })
  it('another pidMode is ok and named', () => {
    expect(byId(execChecks(withFacts((x) => (x.taskDefinition = {ok: true, value: taskDefinition({pidMode: 'host'})})), 'linux'), 'task.pid-mode')).toEqual(r('task', 'task.pid-mode', 'PID mode', 'ok', 'host'))
  })
  it('pidMode "task" warns with its fix', () => {
    expect(byId(execChecks(withFacts((x) => (x.taskDefinition = {ok: true, value: taskDefinition({pidMode: 'task'})})), 'linux'), 'task.pid-mode')).toEqual(r('task', 'task.pid-mode', 'PID mode', 'warn', 'pidMode "task": containers share one PID namespace, which is known to interfere with ECS Exec sessions', 'If sessions fail, remove pidMode "task" from the task definition.'))
  })
})

describe('the task cannot be read', () => {
  it('not found: fails with how to find the task; the role and network are still reported', () => {
    const results = execChecks(withFacts((x) => (x.task = {ok: false, code: 'MISSING', message: 'task 0f1e not found in cluster prod'})), 'linux')
    expect(byId(results, 'task.status')).toEqual(r('task', 'task.status', 'Task status', 'fail', 'task not found: task 0f1e not found in cluster prod', 'Check the task id and the cluster (`aws ecs list-tasks --cluster <cluster>`).'))
    expect(results.filter((x) => x.group === 'task').map((x) => x.id)).toEqual(['task.status'])
    expect(results.some((x) => x.id === 'role.found') && results.some((x) => x.id === 'network.ssmmessages')).toBe(true)
  })
  it('denied: skips with the permission to grant', () => {
    expect(byId(execChecks(withFacts((x) => (x.task = {ok: false, code: 'AccessDeniedException', message: 'not authorized to perform: ecs:DescribeTasks'})), 'linux'), 'task.status')).toEqual(r('task', 'task.status', 'Task status', 'skip', 'could not be checked: AccessDeniedException: not authorized to perform: ecs:DescribeTasks', 'Grant ecs:DescribeTasks to the caller (`ecsops iam-policy exec check`).'))
  })
})

describe('role checks', () => {
  const R = {
    role: 'Task role (or EC2 instance role)',
    ssm: 'Role\'s ssmmessages actions',
    kms: 'Role\'s kms:Decrypt on the exec KMS key',
    s3: 'Role\'s writing of exec logs to S3',
    logs: 'Role\'s writing of exec logs to CloudWatch Logs',
  }
  const skipped = (detail: string, fix: string | null = null, configured = false) => [
    r('role', 'role.ssmmessages', R.ssm, 'skip', detail, fix),
    r('role', 'role.kms-decrypt', R.kms, 'skip', configured ? detail : 'the cluster uses no KMS key for exec'),
    r('role', 'role.s3-logging', R.s3, 'skip', configured ? detail : 'no S3 bucket for exec logs'),
    r('role', 'role.cloudwatch-logging', R.logs, 'skip', configured ? detail : 'no CloudWatch log group for exec logs'),
  ]
  const everything = {ok: true as const, value: {arn: 'c', name: 'prod', exec: {kmsKeyId: 'k', logging: 'OVERRIDE', s3BucketName: 'audit', cloudWatchLogGroupName: '/ecs/exec'}}}
  it('the task could not be read: the role is unknown', () => {
    expect(roleChecks(withFacts((x) => (x.role = undefined)))).toEqual([r('role', 'role.found', R.role, 'skip', 'the task could not be read'), ...skipped('the role is unknown')])
    const configured = withFacts((x) => {
      x.role = undefined
      x.cluster = everything
    })
    expect(roleChecks(configured)).toEqual([r('role', 'role.found', R.role, 'skip', 'the task could not be read'), ...skipped('the role is unknown', null, true)])
  })
  it('the role could not be looked up: skip with the permission', () => {
    expect(roleChecks(withFacts((x) => (x.role = {ok: false, code: 'AccessDenied', message: 'not authorized to perform: iam:GetInstanceProfile'})))).toEqual([
      r('role', 'role.found', R.role, 'skip', 'could not be checked: AccessDenied: not authorized to perform: iam:GetInstanceProfile', 'Grant iam:GetInstanceProfile to the caller (`ecsops iam-policy exec check`).'),
      ...skipped('the role is unknown'),
    ])
  })
  it('no role at all fails, saying why for Fargate and for EC2', () => {
    const fix = 'Give the task definition a taskRoleArn whose role allows the four ssmmessages actions.'
    expect(roleChecks(withFacts((x) => (x.role = {ok: true, value: null})))).toEqual([r('role', 'role.found', R.role, 'fail', 'no task role (Fargate tasks cannot use an instance role)', fix), ...skipped('there is no role')])
    const ec2 = withFacts((x) => {
      x.role = {ok: true, value: null}
      x.task = {ok: true, value: task({launchType: 'EC2'})}
    })
    expect(roleChecks(ec2)[0]).toEqual(r('role', 'role.found', R.role, 'fail', 'no task role, and the instance has no instance profile role', fix))
  })
  it('decisions not simulated, or refused', () => {
    expect(roleChecks(withFacts((x) => (x.roleDecisions = undefined))).slice(1)).toEqual(skipped('not simulated'))
    expect(roleChecks(withFacts((x) => (x.roleDecisions = denied))).slice(1)).toEqual(skipped('could not be checked: AccessDenied: User is not authorized to perform: iam:SimulatePrincipalPolicy', 'Grant iam:SimulatePrincipalPolicy to the caller (`ecsops iam-policy exec check`).'))
    expect(roleChecks(withFacts((x) => (x.roleDecisions = throttled)))[1]).toEqual(r('role', 'role.ssmmessages', R.ssm, 'skip', 'could not be checked: Throttling: Rate exceeded'))
  })
  it('a healthy role with DEFAULT logging and no awslogs container: the CloudWatch check says why it is skipped', () => {
    expect(roleChecks(goodFacts())).toEqual([
      r('role', 'role.found', R.role, 'ok', `${TASK_ROLE} (task definition)`),
      r('role', 'role.ssmmessages', R.ssm, 'ok', 'all four allowed'),
      r('role', 'role.kms-decrypt', R.kms, 'skip', 'the cluster uses no KMS key for exec'),
      r('role', 'role.s3-logging', R.s3, 'skip', 'no S3 bucket for exec logs'),
      r('role', 'role.cloudwatch-logging', R.logs, 'skip', 'no CloudWatch log group for exec logs (logging DEFAULT: the containers\' awslogs group)'),
    ])
  })
  it('the ssmmessages actions denied: grouped by decision, the fix names the denied ones', () => {
    // ECS Exec page, "IAM permissions required for ECS Exec": the task role needs the four ssmmessages actions.
    const f = withFacts((x) => (x.roleDecisions = {ok: true, value: {'ssmmessages:CreateControlChannel': 'allowed', 'ssmmessages:CreateDataChannel': 'implicitDeny', 'ssmmessages:OpenControlChannel': 'explicitDeny', 'ssmmessages:OpenDataChannel': 'implicitDeny'}}))
    expect(byId(roleChecks(f), 'role.ssmmessages')).toEqual(r('role', 'role.ssmmessages', R.ssm, 'fail', 'ssmmessages:CreateControlChannel allowed; ssmmessages:CreateDataChannel, ssmmessages:OpenDataChannel not allowed: no policy allows it (implicitDeny); ssmmessages:OpenControlChannel denied by an explicit Deny statement (explicitDeny)', `Allow ssmmessages:CreateDataChannel, ssmmessages:OpenControlChannel, ssmmessages:OpenDataChannel (Resource "*") in the policy of ${TASK_ROLE}.`))
  })
  const configured = (decisions: Record<string, string>, exec = everything.value.exec as ExecConfiguration) =>
    roleChecks(withFacts((x) => {
      x.cluster = {ok: true, value: {arn: 'c', name: 'prod', exec}}
      x.roleDecisions = {ok: true, value: {...(goodFacts().roleDecisions as {ok: true; value: Record<string, string>}).value, ...decisions}}
    }))
  it('kms:Decrypt: not simulated without the key ARN, fails when denied', () => {
    expect(byId(configured({}), 'role.kms-decrypt')).toEqual(r('role', 'role.kms-decrypt', R.kms, 'skip', 'not simulated (the key ARN is unknown)'))
    expect(byId(configured({'kms:Decrypt': 'implicitDeny'}), 'role.kms-decrypt')).toEqual(r('role', 'role.kms-decrypt', R.kms, 'fail', 'not allowed: no policy allows it (implicitDeny)', `Allow kms:Decrypt on the exec KMS key in the policy of ${TASK_ROLE}.`))
  })
  it('S3 without encryption needs only s3:PutObject', () => {
    expect(byId(configured({'s3:PutObject': 'allowed'}), 'role.s3-logging')).toEqual(r('role', 'role.s3-logging', R.s3, 'ok', 's3:PutObject allowed'))
    expect(byId(configured({'s3:PutObject': 'implicitDeny'}), 'role.s3-logging')).toEqual(r('role', 'role.s3-logging', R.s3, 'fail', 's3:PutObject not allowed: no policy allows it (implicitDeny)', `Allow s3:PutObject on bucket audit in the policy of ${TASK_ROLE}.`))
  })
  it('CloudWatch Logs with OVERRIDE: the four logs actions on the cluster\'s group', () => {
    const logs = {'logs:DescribeLogGroups': 'allowed', 'logs:CreateLogStream': 'allowed', 'logs:DescribeLogStreams': 'allowed', 'logs:PutLogEvents': 'allowed'}
    expect(byId(configured(logs), 'role.cloudwatch-logging')).toEqual(r('role', 'role.cloudwatch-logging', R.logs, 'ok', 'logs:DescribeLogGroups, logs:CreateLogStream, logs:DescribeLogStreams, logs:PutLogEvents allowed (logging OVERRIDE: /ecs/exec)'))
    expect(byId(configured({...logs, 'logs:PutLogEvents': 'explicitDeny'}), 'role.cloudwatch-logging')).toEqual(r('role', 'role.cloudwatch-logging', R.logs, 'fail', 'logs:DescribeLogGroups, logs:CreateLogStream, logs:DescribeLogStreams allowed; logs:PutLogEvents denied by an explicit Deny statement (explicitDeny) (logging OVERRIDE: /ecs/exec)', `Allow logs:PutLogEvents on log group /ecs/exec in the policy of ${TASK_ROLE}.`))
  })
  it('OVERRIDE without a log group, or NONE: no CloudWatch check, saying why', () => {
    expect(byId(configured({}, {logging: 'OVERRIDE', s3BucketName: 'audit'}), 'role.cloudwatch-logging')).toEqual(r('role', 'role.cloudwatch-logging', R.logs, 'skip', 'no CloudWatch log group for exec logs (logging OVERRIDE)'))
    expect(byId(configured({}, {logging: 'NONE'}), 'role.cloudwatch-logging')).toEqual(r('role', 'role.cloudwatch-logging', R.logs, 'skip', 'no CloudWatch log group for exec logs (logging NONE)'))
  })
  it('DEFAULT (or unset) logging: the awslogs groups of the task definition\'s containers, each once', () => {
    // ECS Exec page, "Logging and auditing using ECS Exec": DEFAULT logs to the container's awslogs group.
    const awslogs = (group: string) => ({logDriver: 'awslogs' as const, options: {'awslogs-group': group, 'awslogs-region': 'eu-west-1'}})
    const f = withFacts((x) => {
      x.cluster = {ok: true, value: {arn: 'c', name: 'prod', exec: {}}}
      x.taskDefinition = {ok: true, value: taskDefinition({containerDefinitions: [
        containerDefinition('app', {logConfiguration: awslogs('/ecs/web')}),
        containerDefinition('worker', {logConfiguration: awslogs('/ecs/web')}),
        containerDefinition('proxy', {logConfiguration: {logDriver: 'splunk', options: {'awslogs-group': '/not/awslogs'}}}),
        containerDefinition('side', {logConfiguration: {logDriver: 'awslogs'}}),
        containerDefinition('cron', {logConfiguration: awslogs('/ecs/cron')}),
      ]})}
      x.roleDecisions = {ok: true, value: {...(goodFacts().roleDecisions as {ok: true; value: Record<string, string>}).value, 'logs:DescribeLogGroups': 'allowed', 'logs:CreateLogStream': 'implicitDeny', 'logs:DescribeLogStreams': 'allowed', 'logs:PutLogEvents': 'implicitDeny'}}
    })
    expect(byId(roleChecks(f), 'role.cloudwatch-logging')).toEqual(r('role', 'role.cloudwatch-logging', R.logs, 'fail', 'logs:DescribeLogGroups, logs:DescribeLogStreams allowed; logs:CreateLogStream, logs:PutLogEvents not allowed: no policy allows it (implicitDeny) (logging DEFAULT (unset): the containers\' awslogs group: /ecs/web, /ecs/cron)', `Allow logs:CreateLogStream, logs:PutLogEvents on log group /ecs/web, /ecs/cron in the policy of ${TASK_ROLE}.`))
    // Unknown role: the skip says the group exists rather than that there is none.
    f.role = undefined
    expect(byId(roleChecks(f), 'role.cloudwatch-logging')).toEqual(r('role', 'role.cloudwatch-logging', R.logs, 'skip', 'the role is unknown'))
  })
})

describe('network checks', () => {
  // ECS Exec page, "Using interface Amazon VPC endpoints with ECS Exec": without a NAT, tasks need the
  // ssmmessages interface endpoint (and kms when exec uses a KMS key).
  const N = 'Route to ssmmessages'
  const K = 'Route to kms (exec KMS key)'
  type Report = ExecFacts extends {network?: infer F} ? F extends {ok: true; value: infer V} ? V : never : never
  const net = (report: Report['report'], taskNet: Partial<Report['task']> = {}, kms = false) =>
    networkChecks(withFacts((x) => {
      x.network = {ok: true, value: {task: {mode: 'awsvpc', vpcId: 'vpc-1', subnetIds: ['subnet-a'], securityGroupIds: ['sg-1'], publicIp: false, ...taskNet}, report}}
      if (kms) x.cluster = kmsCluster
    }))
  const noKms = r('network', 'network.kms', K, 'skip', 'the cluster uses no KMS key for exec')
  it('network unknown, or unreadable', () => {
    expect(networkChecks(withFacts((x) => (x.network = undefined)))).toEqual([r('network', 'network.ssmmessages', N, 'skip', 'the task\'s network could not be determined'), noKms])
    expect(networkChecks(withFacts((x) => {
      x.network = undefined
      x.cluster = kmsCluster
    }))[1]).toEqual(r('network', 'network.kms', K, 'skip', 'the task\'s network could not be determined'))
    const unreadable = (kms: boolean) => networkChecks(withFacts((x) => {
      x.network = {ok: false, code: 'UnauthorizedOperation', message: 'You are not authorized to perform this operation.'}
      if (kms) x.cluster = kmsCluster
    }))
    const detail = 'could not be checked: UnauthorizedOperation: You are not authorized to perform this operation.'
    const fix = 'Grant the ec2:Describe* permissions to the caller (`ecsops iam-policy exec check`).'
    expect(unreadable(false)).toEqual([r('network', 'network.ssmmessages', N, 'skip', detail, fix), noKms])
    expect(unreadable(true)[1]).toEqual(r('network', 'network.kms', K, 'skip', detail, fix))
  })
  it('through a NAT gateway: kms goes the same way', () => {
    expect(net(natReport('nat'), {}, true)).toEqual([r('network', 'network.ssmmessages', N, 'ok', 'through a NAT gateway (subnet-a)'), r('network', 'network.kms', K, 'skip', 'through a NAT gateway')])
    expect(net(natReport('nat'))).toEqual([r('network', 'network.ssmmessages', N, 'ok', 'through a NAT gateway (subnet-a)'), noKms])
  })
  it('only the task\'s subnets count; with none named, every subnet of the report', () => {
    const report = {vpcId: 'vpc-1', subnets: [{subnetId: 'subnet-a', internetRoute: 'nat' as const}, {subnetId: 'subnet-b', internetRoute: 'none' as const}], findings: []}
    expect(net(report, {subnetIds: ['subnet-a']})[0]).toEqual(r('network', 'network.ssmmessages', N, 'ok', 'through a NAT gateway (subnet-a)'))
    expect(net(report, {subnetIds: []})[0].status).toBe('fail')
    const nats = {...report, subnets: [report.subnets[0], {subnetId: 'subnet-c', internetRoute: 'nat' as const}]}
    expect(net(nats, {subnetIds: []})[0]).toEqual(r('network', 'network.ssmmessages', N, 'ok', 'through a NAT gateway (subnet-a, subnet-c)'))
  })
  it('a subnet of the task that the report does not know is no route', () => {
    expect(net(natReport('nat'), {subnetIds: ['subnet-z']})[0].status).toBe('fail')
    expect(net(natReport('igw'), {subnetIds: ['subnet-z'], publicIp: true})[0]).toEqual(r('network', 'network.ssmmessages', N, 'fail', 'no route: the subnet has no NAT or internet gateway route and vpc-1 has no com.amazonaws.eu-west-1.ssmmessages endpoint', 'Create an interface endpoint com.amazonaws.eu-west-1.ssmmessages in vpc-1 with private DNS, in the task\'s Availability Zones, admitting TCP 443 from the task\'s security groups (the SSM agent opens its channels there), or route the subnet through a NAT gateway.'))
  })
  it('one subnet of the task without an internet route is enough to need the endpoint, even with a public IP', () => {
    const report = {vpcId: 'vpc-1', subnets: [{subnetId: 'subnet-a', internetRoute: 'igw' as const}, {subnetId: 'subnet-b', internetRoute: 'none' as const}], findings: []}
    expect(net(report, {subnetIds: ['subnet-a', 'subnet-b'], publicIp: true})[0].detail).toBe('no route: the subnet has no NAT or internet gateway route and vpc-1 has no com.amazonaws.eu-west-1.ssmmessages endpoint')
  })
  it('through an internet gateway with a public IP (or when it is not known); a NAT and an IGW subnet mixed is the IGW', () => {
    const mixed = {vpcId: 'vpc-1', subnets: [{subnetId: 'subnet-a', internetRoute: 'nat' as const}, {subnetId: 'subnet-b', internetRoute: 'igw' as const}], findings: []}
    expect(net(mixed, {subnetIds: ['subnet-a', 'subnet-b'], publicIp: true}, true)).toEqual([r('network', 'network.ssmmessages', N, 'ok', 'through an internet gateway (subnet-a, subnet-b)'), r('network', 'network.kms', K, 'skip', 'through an internet gateway')])
    expect(net(natReport('igw'), {publicIp: undefined})[0]).toEqual(r('network', 'network.ssmmessages', N, 'ok', 'through an internet gateway (subnet-a)'))
  })
  it('an internet gateway without a public IP: the endpoint decides, and the detail says why the gateway does not count', () => {
    const fix = 'Create an interface endpoint com.amazonaws.eu-west-1.ssmmessages in vpc-1 with private DNS, in the task\'s Availability Zones, admitting TCP 443 from the task\'s security groups (the SSM agent opens its channels there), or route the subnet through a NAT gateway.'
    expect(net(natReport('igw'))[0]).toEqual(r('network', 'network.ssmmessages', N, 'fail', 'no route: the subnet has no NAT or internet gateway route and vpc-1 has no com.amazonaws.eu-west-1.ssmmessages endpoint; the subnet routes to an internet gateway but the task has no public IP', fix))
    expect(net(natReport('igw', [{service: 'ssmmessages', status: 'ok', problems: []}]))[0]).toEqual(r('network', 'network.ssmmessages', N, 'ok', 'through the ssmmessages VPC endpoint'))
    expect(net(natReport('none'))[0]).toEqual(r('network', 'network.ssmmessages', N, 'fail', 'no route: the subnet has no NAT or internet gateway route and vpc-1 has no com.amazonaws.eu-west-1.ssmmessages endpoint', fix))
  })
  it('a missing endpoint: its own service name and the audit\'s fix are kept', () => {
    const report = natReport('none', [{service: 'ssmmessages', endpointService: 'cn.com.amazonaws.cn-north-1.ssmmessages', status: 'missing', problems: [], fix: 'Or share one from the hub VPC.'}])
    expect(net(report)[0]).toEqual(r('network', 'network.ssmmessages', N, 'fail', 'no route: the subnet has no NAT or internet gateway route and vpc-1 has no cn.com.amazonaws.cn-north-1.ssmmessages endpoint', 'Create an interface endpoint cn.com.amazonaws.cn-north-1.ssmmessages in vpc-1 with private DNS, in the task\'s Availability Zones, admitting TCP 443 from the task\'s security groups (the SSM agent opens its channels there), or route the subnet through a NAT gateway. Or share one from the hub VPC.'))
  })
  it('an endpoint that is ok, unused, unverifiable or misconfigured', () => {
    const one = (finding: Report['report']['findings'][number]) => net(natReport('none', [finding]))[0]
    expect(one({service: 'ssmmessages', status: 'unused', problems: [{code: 'X', detail: 'no private DNS zone seen'}]})).toEqual(r('network', 'network.ssmmessages', N, 'ok', 'through the ssmmessages VPC endpoint (no private DNS zone seen)'))
    expect(one({service: 'ssmmessages', status: 'unknown', problems: []})).toEqual(r('network', 'network.ssmmessages', N, 'warn', 'could not be verified: the endpoint audit could not see enough of the network', 'Check that ssmmessages is reachable from vpc-1 (`ecsops check-endpoints` explains each problem).'))
    expect(one({service: 'ssmmessages', status: 'unknown', problems: [], fix: 'Ask the owner of the shared subnet.'})).toEqual(r('network', 'network.ssmmessages', N, 'warn', 'could not be verified: the endpoint audit could not see enough of the network', 'Ask the owner of the shared subnet.'))
    expect(one({service: 'ssmmessages', status: 'misconfigured', problems: []})).toEqual(r('network', 'network.ssmmessages', N, 'fail', 'the com.amazonaws.eu-west-1.ssmmessages endpoint exists but: misconfigured', 'Fix the endpoint (`ecsops check-endpoints` explains each problem).'))
    expect(one({service: 'ssmmessages', status: 'misconfigured', problems: [{code: 'A', detail: 'private DNS is disabled'}, {code: 'B', detail: 'no subnet in eu-west-1a'}], fix: 'Enable private DNS.'})).toEqual(r('network', 'network.ssmmessages', N, 'fail', 'the com.amazonaws.eu-west-1.ssmmessages endpoint exists but: private DNS is disabled; no subnet in eu-west-1a', 'Enable private DNS.'))
  })
  it('without an internet route and with a KMS key, the kms endpoint is checked too', () => {
    const checks = net(natReport('none', [{service: 'ssmmessages', status: 'ok', problems: []}, {service: 'kms', status: 'ok', problems: []}]), {}, true)
    expect(checks).toEqual([r('network', 'network.ssmmessages', N, 'ok', 'through the ssmmessages VPC endpoint'), r('network', 'network.kms', K, 'ok', 'through the kms VPC endpoint')])
    expect(net(natReport('none', [{service: 'ssmmessages', status: 'ok', problems: []}]), {}, true)[1]).toEqual(r('network', 'network.kms', K, 'fail', 'no route: the subnet has no NAT or internet gateway route and vpc-1 has no com.amazonaws.eu-west-1.kms endpoint', 'Create an interface endpoint com.amazonaws.eu-west-1.kms in vpc-1 with private DNS, in the task\'s Availability Zones, admitting TCP 443 from the task\'s security groups (the session is encrypted with the exec KMS key), or route the subnet through a NAT gateway.'))
    expect(net(natReport('none', [{service: 'ssmmessages', status: 'ok', problems: []}]))[1]).toEqual(noKms)
  })
  it('an unreadable cluster is taken as no KMS key', () => {
    const f = withFacts((x) => {
      x.cluster = {ok: false, code: 'Throttling', message: 'Rate exceeded'}
      x.network = undefined
    })
    expect(networkChecks(f)[1]).toEqual(noKms)
  })
})

describe('port-forwarding checks', () => {
  // ssm:StartSession needs both the task and the document as resources ("Actions, resources, and
  // condition keys for AWS Systems Manager"); AWS documents have no account in their ARN.
  const P = {
    task: 'Caller\'s ssm:StartSession on the task',
    local: 'Caller\'s ssm:StartSession with AWS-StartPortForwardingSession (a port of the task)',
    remote: 'Caller\'s ssm:StartSession with AWS-StartPortForwardingSessionToRemoteHost (--host)',
  }
  const ids = ['port-forward.start-session-task', 'port-forward.document.AWS-StartPortForwardingSession', 'port-forward.document.AWS-StartPortForwardingSessionToRemoteHost']
  const all = (status: CheckStatus, detail: string, fix: string | null = null) => [r('port-forward', ids[0], P.task, status, detail, fix), r('port-forward', ids[1], P.local, status, detail, fix), r('port-forward', ids[2], P.remote, status, detail, fix)]
  it('all allowed', () => {
    const f = withFacts((x) => {
      x.callerDecisions = {ok: true, value: {'ssm:StartSession': 'allowed'}}
      x.documentDecisions = {ok: true, value: {'AWS-StartPortForwardingSession': 'allowed', 'AWS-StartPortForwardingSessionToRemoteHost': 'allowed'}}
    })
    expect(portForwardChecks(f)).toEqual(all('ok', 'allowed'))
  })
  it('denied: the fix names the task scope and each document\'s ARN', () => {
    const f = withFacts((x) => {
      x.callerDecisions = {ok: true, value: {'ssm:StartSession': 'implicitDeny'}}
      x.documentDecisions = {ok: true, value: {'AWS-StartPortForwardingSession': 'explicitDeny', 'AWS-StartPortForwardingSessionToRemoteHost': 'somethingNew'}}
    })
    expect(portForwardChecks(f)).toEqual([
      r('port-forward', ids[0], P.task, 'fail', 'not allowed: no policy allows it (implicitDeny)', 'Allow ssm:StartSession on arn:aws:ecs:eu-west-1:123456789012:task/prod/* to the caller (`ecsops iam-policy "exec port-forward"`).'),
      r('port-forward', ids[1], P.local, 'fail', 'denied by an explicit Deny statement (explicitDeny)', 'Allow ssm:StartSession on arn:aws:ssm:eu-west-1::document/AWS-StartPortForwardingSession to the caller (`ecsops iam-policy "exec port-forward"`).'),
      r('port-forward', ids[2], P.remote, 'fail', 'not allowed (somethingNew)', 'Allow ssm:StartSession on arn:aws:ssm:eu-west-1::document/AWS-StartPortForwardingSessionToRemoteHost to the caller (`ecsops iam-policy "exec port-forward"`).'),
    ])
  })
  it('in another partition, without a readable task, the fix still names something to allow', () => {
    const f = withFacts((x) => {
      x.region = {name: 'cn-north-1', source: 'AWS_REGION'}
      x.task = {ok: true, value: task({taskArn: 'arn:aws-cn:ecs:cn-north-1:210987654321:task/ops/abc', clusterArn: 'arn:aws-cn:ecs:cn-north-1:210987654321:cluster/ops'})}
      x.callerDecisions = {ok: true, value: {'ssm:StartSession': 'implicitDeny'}}
      x.documentDecisions = {ok: true, value: {'AWS-StartPortForwardingSession': 'implicitDeny'}}
    })
    const [onTask, local, remote] = portForwardChecks(f)
    expect(onTask.fix).toBe('Allow ssm:StartSession on arn:aws-cn:ecs:cn-north-1:210987654321:task/ops/* to the caller (`ecsops iam-policy "exec port-forward"`).')
    expect(local.fix).toBe('Allow ssm:StartSession on arn:aws-cn:ssm:cn-north-1::document/AWS-StartPortForwardingSession to the caller (`ecsops iam-policy "exec port-forward"`).')
    expect(remote).toEqual(r('port-forward', ids[2], P.remote, 'skip', 'not simulated'))
    const unread = withFacts((x) => {
      x.task = {ok: false, code: 'MISSING', message: 'task x not found'}
      x.callerDecisions = {ok: true, value: {'ssm:StartSession': 'implicitDeny'}}
    })
    expect(portForwardChecks(unread)[0].fix).toBe('Allow ssm:StartSession on the task to the caller (`ecsops iam-policy "exec port-forward"`).')
  })
  it('a decision reported as not simulated is skipped', () => {
    const f = withFacts((x) => {
      x.callerDecisions = {ok: true, value: {'ssm:StartSession': 'not simulated'}}
      x.documentDecisions = {ok: true, value: {}}
    })
    expect(portForwardChecks(f)).toEqual(all('skip', 'not simulated'))
  })
  it('not simulated because the task or the caller is unknown; refused by the simulator', () => {
    expect(portForwardChecks(withFacts((x) => (x.callerDecisions = undefined)))).toEqual(all('skip', 'not simulated: the task could not be read'))
    expect(portForwardChecks(withFacts((x) => {
      x.callerDecisions = undefined
      x.caller = {ok: false, code: 'ExpiredToken', message: 'expired'}
    }))).toEqual(all('skip', 'not simulated: the caller is unknown'))
    expect(portForwardChecks(withFacts((x) => {
      x.callerDecisions = denied
      x.documentDecisions = denied
    }))).toEqual(all('skip', 'could not be checked: AccessDenied: User is not authorized to perform: iam:SimulatePrincipalPolicy', 'Grant iam:SimulatePrincipalPolicy to the caller (`ecsops iam-policy exec check`).'))
  })
})

describe('the report of exec check', () => {
  it('with --port-forward: the port-forwarding group replaces the advice to deny ssm:StartSession', () => {
    const f = withFacts((x) => (x.documentDecisions = {ok: true, value: {'AWS-StartPortForwardingSession': 'allowed', 'AWS-StartPortForwardingSessionToRemoteHost': 'allowed'}}))
    const ids = checkReport(f, {cluster: 'prod', task: 'x'}, 'linux', {portForward: true}).results.map((x) => x.id)
    expect(ids.filter((id) => id.startsWith('caller.'))).toEqual(['caller.region', 'caller.identity', 'caller.execute-command', 'caller.kms-generate-data-key', 'caller.plugin'])
    expect(ids.slice(-3)).toEqual(['port-forward.start-session-task', 'port-forward.document.AWS-StartPortForwardingSession', 'port-forward.document.AWS-StartPortForwardingSessionToRemoteHost'])
    expect(checkReport(f, {cluster: 'prod', task: 'x'}, 'linux').results.some((x) => x.group === 'port-forward')).toBe(false)
  })
  it('names the task and cluster from what was asked when they could not be read', () => {
    const f = withFacts((x) => {
      x.task = {ok: false, code: 'MISSING', message: 'not found'}
      x.cluster = {ok: false, code: 'ClusterNotFoundException', message: 'Cluster not found.'}
    })
    const report = checkReport(f, {cluster: 'staging', task: 'arn:aws:ecs:eu-west-1:123456789012:task/staging/abc123'}, 'linux')
    expect([report.region, report.cluster, report.task]).toEqual(['eu-west-1', 'staging', 'abc123'])
    const noArn = withFacts((x) => (x.task = {ok: true, value: task({taskArn: undefined})}))
    expect(checkReport(noArn, {cluster: 'prod', task: 'def456'}, 'linux').task).toBe('def456')
  })
  it('counts every status', () => {
    const f = withFacts((x) => {
      x.task = {ok: true, value: task({lastStatus: 'PENDING', enableExecuteCommand: false})}
    })
    const report = checkReport(f, {cluster: 'prod', task: 'x'}, 'linux')
    const count = (s: CheckStatus) => report.results.filter((x) => x.status === s).length
    expect(report.summary).toEqual({ok: count('ok'), warn: count('warn'), fail: count('fail'), skip: count('skip')})
    expect([report.summary.warn, report.summary.fail]).toEqual([1, 1])
  })
})
