import {describe, expect, it} from 'vitest'

import {checkReport, execChecks} from '../../src/exec/checks.js'
import type {CheckResult, ExecFacts} from '../../src/exec/model.js'
import {renderCheckReport} from '../../src/exec/report.js'
import {makeColors} from '../../src/ui/output.js'
import {container, containerDefinition, goodFacts, KEY_ARN, natReport, task, taskDefinition} from './fixtures.js'

function check(facts: ExecFacts, id: string): CheckResult {
  const found = execChecks(facts, 'linux').find((r) => r.id === id)
  if (!found) throw new Error(`no check ${id}`)
  return found
}

function withFacts(change: (f: ExecFacts) => void): ExecFacts {
  const f = goodFacts()
  change(f)
  return f
}

const denied = {ok: false as const, code: 'AccessDenied', message: 'User is not authorized to perform: iam:SimulatePrincipalPolicy'}

describe('a healthy task', () => {
  it('has no fail and no warn', () => {
    const results = execChecks(goodFacts(), 'linux')
    expect(results.filter((r) => r.status === 'fail' || r.status === 'warn')).toEqual([])
    expect(results.every((r) => typeof r.id === 'string' && r.title && r.detail !== undefined && r.fix !== undefined)).toBe(true)
  })
  it('covers every check of amazon-ecs-exec-checker v0.7', () => {
    const ids = execChecks(goodFacts(), 'linux').map((r) => r.id)
    expect(ids).toEqual(
      expect.arrayContaining([
        'caller.region', 'caller.identity', 'caller.execute-command', 'caller.kms-generate-data-key', 'caller.ssm-start-session', 'caller.plugin',
        'cluster.exec-configuration', 'cluster.logging', 'task.status', 'task.launch-type', 'task.platform-version', 'task.agent-version',
        'task.exec-enabled', 'task.pid-mode', 'container.app.agent', 'container.app.init-process', 'container.app.readonly-root',
        'container.app.aws-credentials', 'role.found', 'role.ssmmessages', 'role.kms-decrypt', 'role.s3-logging', 'role.cloudwatch-logging',
        'network.ssmmessages', 'network.kms',
      ]),
    )
  })
})

describe('caller', () => {
  it('identity: ok names the role behind the session; fail without credentials', () => {
    expect(check(goodFacts(), 'caller.identity')).toMatchObject({status: 'ok', detail: expect.stringContaining('role arn:aws:iam::123456789012:role/Dev')})
    expect(check(withFacts((f) => (f.caller = {ok: false, code: 'ExpiredToken', message: 'expired'})), 'caller.identity').status).toBe('fail')
  })
  it('ecs:ExecuteCommand: ok, fail when denied, skip when it cannot be simulated', () => {
    expect(check(goodFacts(), 'caller.execute-command').status).toBe('ok')
    const no = check(withFacts((f) => (f.callerDecisions = {ok: true, value: {'ecs:ExecuteCommand': 'implicitDeny'}})), 'caller.execute-command')
    expect(no).toMatchObject({title: 'Caller\'s ecs:ExecuteCommand on the task', status: 'fail', detail: 'not allowed: no policy allows it (implicitDeny)'})
    const explicit = check(withFacts((f) => (f.callerDecisions = {ok: true, value: {'ecs:ExecuteCommand': 'explicitDeny'}})), 'caller.execute-command')
    expect(explicit).toMatchObject({status: 'fail', detail: 'denied by an explicit Deny statement (explicitDeny)'})
    const skip = check(withFacts((f) => (f.callerDecisions = denied)), 'caller.execute-command')
    expect(skip).toMatchObject({status: 'skip', fix: expect.stringContaining('iam:SimulatePrincipalPolicy')})
  })
  it('kms:GenerateDataKey: skip without a key, ok or fail with one', () => {
    expect(check(goodFacts(), 'caller.kms-generate-data-key').status).toBe('skip')
    const kms = (decision: string) =>
      withFacts((f) => {
        f.cluster = {ok: true, value: {arn: 'c', name: 'prod', exec: {kmsKeyId: 'k', logging: 'DEFAULT'}}}
        f.kmsKeyArn = {ok: true, value: KEY_ARN}
        f.callerDecisions = {ok: true, value: {'ecs:ExecuteCommand': 'allowed', 'kms:GenerateDataKey': decision}}
      })
    expect(check(kms('allowed'), 'caller.kms-generate-data-key').status).toBe('ok')
    expect(check(kms('explicitDeny'), 'caller.kms-generate-data-key').status).toBe('fail')
  })
  it('ssm:StartSession: ok when denied, saying why a deny does not matter; warn when allowed', () => {
    const start = (decision: string) => check(withFacts((f) => (f.callerDecisions = {ok: true, value: {'ecs:ExecuteCommand': 'allowed', 'ssm:StartSession': decision}})), 'caller.ssm-start-session')
    expect(start('explicitDeny')).toMatchObject({
      title: 'Caller\'s ssm:StartSession on the task (outside ECS Exec)',
      status: 'ok',
      detail: 'denied by an explicit Deny statement (explicitDeny); this does not block ECS Exec (ecs:ExecuteCommand opens its sessions), and sessions outside ECS Exec are not possible (as the ECS Exec guide recommends)',
      fix: null,
    })
    expect(start('implicitDeny')).toMatchObject({status: 'ok', detail: 'not allowed: no policy allows it (implicitDeny); this does not block ECS Exec (ecs:ExecuteCommand opens its sessions), and sessions outside ECS Exec are not possible (no policy allows it)'})
    expect(start('allowed')).toMatchObject({status: 'warn', detail: 'allowed: the caller can open Session Manager sessions to the task that bypass ECS Exec\'s logging'})
  })
  it('plugin: ok, warn when old, fail with an install hint when missing', () => {
    expect(check(goodFacts(), 'caller.plugin')).toMatchObject({title: 'Session Manager plugin', status: 'ok', detail: 'session-manager-plugin 1.2.650.0'})
    expect(check(withFacts((f) => (f.plugin = {installed: true, version: '1.2.497.0'})), 'caller.plugin')).toMatchObject({status: 'warn', detail: 'session-manager-plugin 1.2.497.0, older than 1.2.536.0: the session token must be passed on its command line'})
    const missing = check(withFacts((f) => (f.plugin = {installed: false, problem: 'session-manager-plugin is not on PATH'})), 'caller.plugin')
    expect(missing).toMatchObject({status: 'fail', detail: 'session-manager-plugin is not on PATH', fix: expect.stringContaining('.deb')})
  })
})

describe('cluster', () => {
  it('warns when exec is not configured, or logging is NONE', () => {
    expect(check(withFacts((f) => (f.cluster = {ok: true, value: {arn: 'c', name: 'prod'}})), 'cluster.exec-configuration').status).toBe('warn')
    expect(check(withFacts((f) => (f.cluster = {ok: true, value: {arn: 'c', name: 'prod', exec: {logging: 'NONE'}}})), 'cluster.logging')).toMatchObject({status: 'warn', detail: 'disabled (NONE)'})
  })
  it('describes the KMS key and the S3 and CloudWatch destinations', () => {
    const f = withFacts((x) => {
      x.cluster = {ok: true, value: {arn: 'c', name: 'prod', exec: {kmsKeyId: 'alias/exec', logging: 'OVERRIDE', s3BucketName: 'audit', s3KeyPrefix: 'exec/', s3EncryptionEnabled: true, cloudWatchLogGroupName: '/ecs/exec', cloudWatchEncryptionEnabled: false}}}
      x.kmsKeyArn = {ok: true, value: KEY_ARN}
    })
    expect(check(f, 'cluster.exec-configuration')).toMatchObject({status: 'ok', detail: `KMS key ${KEY_ARN}`})
    expect(check(f, 'cluster.logging').detail).toBe('OVERRIDE: S3 s3://audit/exec/ (encryption enabled); CloudWatch Logs /ecs/exec (encryption disabled)')
  })
  it('fails for a KMS key that does not exist', () => {
    const f = withFacts((x) => {
      x.cluster = {ok: true, value: {arn: 'c', name: 'prod', exec: {kmsKeyId: 'alias/gone'}}}
      x.kmsKeyArn = {ok: false, code: 'NotFoundException', message: 'Alias not found'}
    })
    expect(check(f, 'cluster.kms-key').status).toBe('fail')
  })
  it('fails for an unknown cluster', () => {
    expect(check(withFacts((f) => (f.cluster = {ok: false, code: 'ClusterNotFoundException', message: 'Cluster not found.'})), 'cluster.exec-configuration').status).toBe('fail')
  })
})

describe('task', () => {
  it('status: ok RUNNING, warn PENDING, fail STOPPED saying when and why', () => {
    expect(check(goodFacts(), 'task.status').status).toBe('ok')
    expect(check(withFacts((f) => (f.task = {ok: true, value: task({lastStatus: 'PENDING'})})), 'task.status').status).toBe('warn')
    const stopped = check(withFacts((f) => (f.task = {ok: true, value: task({lastStatus: 'STOPPED', stoppedAt: new Date('2026-11-25T11:00:00Z'), stopCode: 'EssentialContainerExited', stoppedReason: 'Essential container in task exited'})})), 'task.status')
    expect(stopped).toMatchObject({status: 'fail', detail: 'STOPPED at 2026-11-25T11:00:00.000Z — EssentialContainerExited: Essential container in task exited'})
  })
  it('task not found is a fail', () => {
    expect(check(withFacts((f) => (f.task = {ok: false, code: 'MISSING', message: 'task x not found'})), 'task.status').status).toBe('fail')
  })
  it('Fargate platform version: ≥ 1.4.0 on Linux, ≥ 1.0.0 on Windows, LATEST is fine', () => {
    const pv = (platformVersion: string, platformFamily = 'Linux') => check(withFacts((f) => (f.task = {ok: true, value: task({platformVersion, platformFamily})})), 'task.platform-version').status
    expect(pv('1.4.0')).toBe('ok')
    expect(pv('LATEST')).toBe('ok')
    expect(pv('1.3.0')).toBe('fail')
    expect(pv('1.0.0', 'WINDOWS_SERVER_2019_CORE')).toBe('ok')
    expect(check(goodFacts(), 'task.agent-version').status).toBe('skip')
  })
  it('ECS agent on EC2: ≥ 1.50.2', () => {
    const agent = (agentVersion: string) =>
      withFacts((f) => {
        f.task = {ok: true, value: task({launchType: 'EC2', platformVersion: undefined, containerInstanceArn: 'arn:ci'})}
        f.containerInstance = {ok: true, value: {agentVersion, ec2InstanceId: 'i-1'}}
      })
    expect(check(agent('1.50.2'), 'task.agent-version').status).toBe('ok')
    expect(check(agent('1.9.0'), 'task.agent-version').status).toBe('fail')
    expect(check(agent('1.50.2'), 'task.platform-version').status).toBe('skip')
    expect(check(agent('1.50.2'), 'task.launch-type')).toMatchObject({status: 'ok', detail: 'EC2'})
  })
  it('exec enabled: fail says to update the service and replace the tasks', () => {
    const off = check(withFacts((f) => (f.task = {ok: true, value: task({enableExecuteCommand: false})})), 'task.exec-enabled')
    expect(off).toMatchObject({status: 'fail', fix: expect.stringContaining('aws ecs update-service --cluster prod --service web --enable-execute-command --force-new-deployment')})
    const standalone = check(withFacts((f) => (f.task = {ok: true, value: task({enableExecuteCommand: false, group: 'family:web'})})), 'task.exec-enabled')
    // A task of no service: no `--service <service>` placeholder, but how to start one with exec on.
    expect(standalone.fix).not.toContain('<service>')
    expect(standalone.fix).toContain('The task belongs to no service: start a new one with it on (`aws ecs run-task --cluster prod … --enable-execute-command`')
  })
  it('pidMode task warns; host and none are ok', () => {
    expect(check(withFacts((f) => (f.taskDefinition = {ok: true, value: taskDefinition({pidMode: 'task'})})), 'task.pid-mode').status).toBe('warn')
    expect(check(withFacts((f) => (f.taskDefinition = {ok: true, value: taskDefinition({pidMode: 'host'})})), 'task.pid-mode').status).toBe('ok')
    expect(check(goodFacts(), 'task.pid-mode').detail).toBe('not configured')
  })
})

describe('containers', () => {
  it('agent: one result per container; STOPPED fails with its reason; PENDING warns', () => {
    const f = withFacts((x) => {
      const stopped = container('worker', 'STOPPED')
      stopped.managedAgents![0].reason = 'Internal error'
      x.task = {ok: true, value: task({containers: [container('app'), stopped, container('boot', 'PENDING')]})}
    })
    expect(check(f, 'container.app.agent').status).toBe('ok')
    expect(check(f, 'container.worker.agent')).toMatchObject({status: 'fail', detail: expect.stringContaining('STOPPED (reason: Internal error)')})
    expect(check(f, 'container.boot.agent').status).toBe('warn')
  })
  it('a container without managedAgents (GuardDuty sidecar) is skipped, not an error', () => {
    const f = withFacts((x) => (x.task = {ok: true, value: task({containers: [container('app'), container('aws-guardduty-agent-xyz', null)]})}))
    expect(check(f, 'container.aws-guardduty-agent-xyz.agent').status).toBe('skip')
    expect(execChecks(f, 'linux').filter((r) => r.status === 'fail')).toEqual([])
  })
  it('agent checks are skipped when exec is not enabled', () => {
    expect(check(withFacts((f) => (f.task = {ok: true, value: task({enableExecuteCommand: false})})), 'container.app.agent').status).toBe('skip')
  })
  it('init process warns when not enabled; read-only root file system fails', () => {
    const f = withFacts((x) => (x.taskDefinition = {ok: true, value: taskDefinition({containerDefinitions: [containerDefinition('app', {linuxParameters: {}, readonlyRootFilesystem: true})]})}))
    expect(check(f, 'container.app.init-process').status).toBe('warn')
    expect(check(f, 'container.app.readonly-root').status).toBe('fail')
  })
  it('without the task definition, its container checks are listed as skipped with the reason, not left out', () => {
    const f = withFacts((x) => (x.taskDefinition = {ok: false, code: 'AccessDeniedException', message: 'not authorized to perform: ecs:DescribeTaskDefinition'}))
    expect(check(f, 'container.definitions')).toMatchObject({status: 'skip', detail: expect.stringContaining('AccessDeniedException'), fix: expect.stringContaining('ecs:DescribeTaskDefinition')})
    expect(check(goodFacts(), 'container.app.init-process').status).toBe('ok')
    expect(execChecks(goodFacts(), 'linux').some((r) => r.id === 'container.definitions')).toBe(false)
  })
  it('AWS keys as environment or secrets warn', () => {
    const env = withFacts((x) => (x.taskDefinition = {ok: true, value: taskDefinition({containerDefinitions: [containerDefinition('app', {environment: [{name: 'AWS_ACCESS_KEY_ID', value: 'AKIA'}]})]})}))
    expect(check(env, 'container.app.aws-credentials')).toMatchObject({status: 'warn', detail: expect.stringContaining('environment: AWS_ACCESS_KEY_ID')})
    const secrets = withFacts((x) => (x.taskDefinition = {ok: true, value: taskDefinition({containerDefinitions: [containerDefinition('app', {secrets: [{name: 'AWS_SECRET_ACCESS_KEY', valueFrom: 'arn:aws:ssm:x'}, {name: 'AWS_ACCESS_KEY', valueFrom: 'arn:aws:ssm:y'}]})]})}))
    expect(check(secrets, 'container.app.aws-credentials')).toMatchObject({status: 'warn', detail: expect.stringContaining('secrets: AWS_SECRET_ACCESS_KEY, AWS_ACCESS_KEY')})
  })
})

describe('role', () => {
  it('fails without any role', () => {
    expect(check(withFacts((f) => (f.role = {ok: true, value: null})), 'role.found').status).toBe('fail')
    expect(check(withFacts((f) => (f.role = {ok: true, value: null})), 'role.ssmmessages').status).toBe('skip')
  })
  it('names the instance profile role and the override', () => {
    expect(check(withFacts((f) => (f.role = {ok: true, value: {arn: 'arn:r', source: 'instance profile'}})), 'role.found').detail).toBe('arn:r (instance profile)')
  })
  it('ssmmessages: fails naming the denied actions', () => {
    const f = withFacts((x) => (x.roleDecisions = {ok: true, value: {'ssmmessages:CreateControlChannel': 'allowed', 'ssmmessages:CreateDataChannel': 'implicitDeny', 'ssmmessages:OpenControlChannel': 'allowed', 'ssmmessages:OpenDataChannel': 'implicitDeny'}}))
    expect(check(f, 'role.ssmmessages')).toMatchObject({status: 'fail', fix: expect.stringContaining('ssmmessages:CreateDataChannel, ssmmessages:OpenDataChannel')})
  })
  it('kms, s3 and logs are checked only when configured', () => {
    expect(check(goodFacts(), 'role.kms-decrypt').status).toBe('skip')
    expect(check(goodFacts(), 'role.s3-logging').status).toBe('skip')
    expect(check(goodFacts(), 'role.cloudwatch-logging').status).toBe('skip')
    const f = withFacts((x) => {
      x.cluster = {ok: true, value: {arn: 'c', name: 'prod', exec: {kmsKeyId: 'k', logging: 'OVERRIDE', s3BucketName: 'b', s3EncryptionEnabled: true, cloudWatchLogGroupName: 'g'}}}
      x.kmsKeyArn = {ok: true, value: KEY_ARN}
      x.roleDecisions = {
        ok: true,
        value: {
          ...(x.roleDecisions as {ok: true; value: Record<string, string>}).value,
          'kms:Decrypt': 'allowed',
          's3:PutObject': 'allowed',
          's3:GetEncryptionConfiguration': 'implicitDeny',
          'logs:DescribeLogGroups': 'allowed',
          'logs:CreateLogStream': 'allowed',
          'logs:DescribeLogStreams': 'allowed',
          'logs:PutLogEvents': 'allowed',
        },
      }
    })
    expect(check(f, 'role.kms-decrypt').status).toBe('ok')
    expect(check(f, 'role.s3-logging')).toMatchObject({status: 'fail', fix: expect.stringContaining('s3:GetEncryptionConfiguration')})
    expect(check(f, 'role.cloudwatch-logging').status).toBe('ok')
  })
  it('skips with the reason when the simulator is not allowed', () => {
    expect(check(withFacts((f) => (f.roleDecisions = denied)), 'role.ssmmessages')).toMatchObject({status: 'skip', detail: expect.stringContaining('AccessDenied')})
  })
})

describe('network', () => {
  const net = (internetRoute: 'nat' | 'igw' | 'none', findings: Parameters<typeof natReport>[1] = [], publicIp = false) =>
    withFacts((f) => (f.network = {ok: true, value: {task: {mode: 'awsvpc', vpcId: 'vpc-1', subnetIds: ['subnet-a'], securityGroupIds: ['sg-1'], publicIp}, report: natReport(internetRoute, findings)}}))

  it('a subnet routed through a NAT gateway reaches ssmmessages, whatever the endpoints', () => {
    expect(check(net('nat', [{service: 'ssmmessages', status: 'missing', problems: []}]), 'network.ssmmessages')).toMatchObject({status: 'ok', detail: expect.stringContaining('NAT gateway')})
  })
  it('an internet gateway route counts only with a public IP', () => {
    expect(check(net('igw', [], true), 'network.ssmmessages').status).toBe('ok')
    expect(check(net('igw', [{service: 'ssmmessages', status: 'missing', problems: []}], false), 'network.ssmmessages').status).toBe('fail')
  })
  it('without an internet route: ok through a healthy endpoint, fail when missing or misconfigured', () => {
    expect(check(net('none', [{service: 'ssmmessages', status: 'ok', problems: []}]), 'network.ssmmessages').status).toBe('ok')
    expect(check(net('none', [{service: 'ssmmessages', status: 'missing', problems: []}]), 'network.ssmmessages')).toMatchObject({status: 'fail', fix: expect.stringContaining('interface endpoint com.amazonaws.eu-west-1.ssmmessages')})
    const bad = check(net('none', [{service: 'ssmmessages', status: 'misconfigured', problems: [{code: 'PrivateDnsDisabled', detail: 'private DNS is disabled'}]}]), 'network.ssmmessages')
    expect(bad).toMatchObject({status: 'fail', detail: expect.stringContaining('private DNS is disabled')})
  })
  it('a shared (RAM) subnet is a warning, not a failure', () => {
    expect(check(net('none', [{service: 'ssmmessages', status: 'unknown', problems: [{code: 'SharedSubnet', detail: 'subnet shared by 999'}]}]), 'network.ssmmessages')).toMatchObject({status: 'warn', detail: 'could not be verified: subnet shared by 999'})
  })
  it('an endpoint that cannot be fully verified is a warning that says why', () => {
    const policy = check(net('none', [{service: 'ssmmessages', status: 'unknown', problems: [{code: 'POLICY_UNVERIFIED', detail: 'the endpoint policy has a condition ecsops cannot evaluate'}]}]), 'network.ssmmessages')
    expect(policy).toMatchObject({status: 'warn', detail: 'could not be verified: the endpoint policy has a condition ecsops cannot evaluate'})
    expect(policy.fix).toContain('ecsops check-endpoints')
  })
  it('requires a kms endpoint when exec uses a KMS key and there is no internet route', () => {
    const f = net('none', [{service: 'ssmmessages', status: 'ok', problems: []}])
    f.cluster = {ok: true, value: {arn: 'c', name: 'prod', exec: {kmsKeyId: 'k'}}}
    expect(check(f, 'network.kms').status).toBe('fail')
    const withNat = net('nat')
    withNat.cluster = f.cluster
    expect(check(withNat, 'network.kms').status).toBe('skip')
    expect(check(goodFacts(), 'network.kms').status).toBe('skip')
  })
  it('skips when the network could not be read', () => {
    expect(check(withFacts((f) => (f.network = {ok: false, code: 'UnauthorizedOperation', message: 'no'})), 'network.ssmmessages').status).toBe('skip')
  })
})

describe('the report', () => {
  it('counts by status and renders grouped, with the fix under failures', () => {
    const f = withFacts((x) => (x.task = {ok: true, value: task({enableExecuteCommand: false})}))
    const report = checkReport(f, {cluster: 'prod', task: 'x'}, 'linux')
    expect(report.summary.fail).toBe(1)
    expect(report.task).toBe('0f1e2d3c4b5a69788796a5b4c3d2e1f0')
    const lines = renderCheckReport(report, makeColors(false), 200)
    expect(lines[0]).toBe('ECS Exec check: task 0f1e2d3c4b5a69788796a5b4c3d2e1f0 in cluster prod (eu-west-1)')
    expect(lines).toContain('Caller (you)')
    expect(lines).toContain('Network')
    const failLine = lines.findIndex((l) => l.includes('ECS Exec on the task'))
    expect(lines[failLine]).toBe('  ✖ fail ECS Exec on the task: not enabled: the task was started without enableExecuteCommand')
    expect(lines[failLine + 1]).toContain('fix: Enable it for the service and replace its tasks')
    expect(lines.at(-1)).toBe('ECS Exec will not work until the failed checks are fixed.')
  })
  it('shows under a skipped check the permission that would let it run', () => {
    const f = withFacts((x) => (x.callerDecisions = denied))
    const lines = renderCheckReport(checkReport(f, {cluster: 'prod', task: 'x'}, 'linux'), makeColors(false), 200)
    const skipLine = lines.findIndex((l) => l.includes('Caller\'s ecs:ExecuteCommand on the task'))
    expect(lines[skipLine]).toContain('- skip')
    expect(lines[skipLine + 1]).toContain('fix: Grant iam:SimulatePrincipalPolicy to the caller')
  })
})

describe('every title and detail reads as a sentence', () => {
  // A sweep of situations: each result must read `Title: detail` without contradiction or repetition.
  const allDenied = {ok: true as const, value: Object.fromEntries(['ecs:ExecuteCommand', 'ssm:StartSession', 'kms:GenerateDataKey', 'kms:Decrypt', 's3:PutObject', 's3:GetEncryptionConfiguration', 'logs:DescribeLogGroups', 'logs:CreateLogStream', 'logs:DescribeLogStreams', 'logs:PutLogEvents', 'ssmmessages:CreateControlChannel', 'ssmmessages:CreateDataChannel', 'ssmmessages:OpenControlChannel', 'ssmmessages:OpenDataChannel'].map((a, i) => [a, i % 2 ? 'explicitDeny' : 'implicitDeny']))}
  const situations: ExecFacts[] = [
    goodFacts(),
    withFacts((f) => (f.task = {ok: true, value: task({lastStatus: 'STOPPED', stopCode: 'EssentialContainerExited'})})),
    withFacts((f) => (f.task = {ok: true, value: task({lastStatus: 'PENDING'})})),
    withFacts((f) => (f.task = {ok: true, value: task({enableExecuteCommand: false, launchType: undefined, containerInstanceArn: undefined, capacityProviderName: undefined})})),
    withFacts((f) => (f.task = {ok: false, code: 'MISSING', message: 'task x not found'})),
    withFacts((f) => (f.plugin = {installed: false, problem: 'session-manager-plugin is not on PATH'})),
    withFacts((f) => (f.plugin = {installed: true, version: '1.2.497.0'})),
    withFacts((f) => {
      f.cluster = {ok: true, value: {arn: 'c', name: 'prod', exec: {kmsKeyId: 'k', logging: 'OVERRIDE', s3BucketName: 'b', s3EncryptionEnabled: true, cloudWatchLogGroupName: 'g'}}}
      f.kmsKeyArn = {ok: true, value: KEY_ARN}
      f.callerDecisions = allDenied
      f.roleDecisions = allDenied
      f.taskDefinition = {ok: true, value: taskDefinition({containerDefinitions: [containerDefinition('app', {readonlyRootFilesystem: true, environment: [{name: 'AWS_ACCESS_KEY_ID', value: 'x'}]})]})}
    }),
    withFacts((f) => (f.callerDecisions = {ok: true, value: {'ecs:ExecuteCommand': 'allowed', 'ssm:StartSession': 'explicitDeny'}})),
  ]
  const results = situations.flatMap((f) => checkReport(f, {cluster: 'prod', task: 'x'}, 'linux', {portForward: false}).results)

  it('no title asserts an outcome its status could contradict ("Task is RUNNING", "… denied to the caller")', () => {
    expect(results.map((r) => r.title).filter((t) => /\b(is|are|may|allows?|denied|enabled|installed)\b|^No /.test(t))).toEqual([])
  })
  it('no detail starts by repeating the end of its title ("Task is RUNNING: RUNNING")', () => {
    expect(results.filter((r) => r.title.split(/\s+/).at(-1)?.toLowerCase() === r.detail.split(/[\s,]+/)[0].replace(/:$/, '').toLowerCase()).map((r) => `${r.title}: ${r.detail}`)).toEqual([])
  })
  it('a simulator decision is said in words, its code only in parentheses', () => {
    expect(results.filter((r) => /(^|[^(])\b(implicitDeny|explicitDeny)\b/.test(r.detail)).map((r) => `${r.title}: ${r.detail}`)).toEqual([])
  })
  it('an ok result that mentions a deny says why it does not matter', () => {
    const okDenied = results.filter((r) => r.status === 'ok' && /deny|denied/i.test(r.detail))
    expect(okDenied.length).toBeGreaterThan(0)
    expect(okDenied.filter((r) => !r.detail.includes('does not block ECS Exec'))).toEqual([])
  })
})
