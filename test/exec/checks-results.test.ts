import {describe, expect, it} from 'vitest'

import {callerChecks, checkReport, clusterChecks, decisionInWords, execChecks, launchChecks, networkChecks, pluginCheck, portForwardChecks, roleChecks, taskStatusCheck} from '../../src/exec/checks.js'
import type {CheckGroup, CheckResult, CheckStatus, ExecFacts} from '../../src/exec/model.js'
import {pluginInstallHint} from '../../src/exec/plugin.js'
import {container, containerDefinition, goodFacts, KEY_ARN, natReport, task, TASK_ROLE, taskDefinition} from './fixtures.js'

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
