import {DescribeNetworkInterfacesCommand, EC2Client} from '@aws-sdk/client-ec2'
import {DescribeClustersCommand, DescribeTaskDefinitionCommand, DescribeTasksCommand, ECSClient} from '@aws-sdk/client-ecs'
import {IAMClient, ListRolesCommand, SimulatePrincipalPolicyCommand, type SimulatePrincipalPolicyCommandInput} from '@aws-sdk/client-iam'
import {GetCallerIdentityCommand, STSClient} from '@aws-sdk/client-sts'
import {mockClient} from 'aws-sdk-client-mock'
import {beforeEach, describe, expect, it} from 'vitest'

import {checkReport, portForwardChecks} from '../../src/exec/checks.js'
import {gatherExecFacts} from '../../src/exec/facts.js'
import {execCheckIam} from '../../src/exec/iam.js'
import type {ExecFacts} from '../../src/exec/model.js'
import {renderCheckReport} from '../../src/exec/report.js'
import {makeColors} from '../../src/ui/output.js'
import {itSendsOnlyDeclaredActions} from '../helpers/iam-coverage.js'
import {checkClients, goodFacts, natReport, TASK_ID, task, taskDefinition} from './fixtures.js'

const REMOTE_DOC = 'arn:aws:ssm:eu-west-1::document/AWS-StartPortForwardingSessionToRemoteHost'

function facts(extra: Partial<ExecFacts> = {}): ExecFacts {
  return {
    ...goodFacts(),
    callerDecisions: {ok: true, value: {'ecs:ExecuteCommand': 'allowed', 'ssm:StartSession': 'allowed'}},
    documentDecisions: {ok: true, value: {'AWS-StartPortForwardingSession': 'allowed', 'AWS-StartPortForwardingSessionToRemoteHost': 'allowed'}},
    ...extra,
  }
}

const byId = <T extends {id: string}>(results: T[]): Record<string, T> => Object.fromEntries(results.map((r) => [r.id, r]))

describe('portForwardChecks', () => {
  it('all allowed: three ok results in the port-forward group', () => {
    const results = portForwardChecks(facts())
    expect(results.map((r) => [r.id, r.group, r.status])).toEqual([
      ['port-forward.start-session-task', 'port-forward', 'ok'],
      ['port-forward.document.AWS-StartPortForwardingSession', 'port-forward', 'ok'],
      ['port-forward.document.AWS-StartPortForwardingSessionToRemoteHost', 'port-forward', 'ok'],
    ])
    expect(results.map((r) => `${r.title}: ${r.detail}`)).toEqual([
      'Caller\'s ssm:StartSession on the task: allowed',
      'Caller\'s ssm:StartSession with AWS-StartPortForwardingSession (a port of the task): allowed',
      'Caller\'s ssm:StartSession with AWS-StartPortForwardingSessionToRemoteHost (--host): allowed',
    ])
  })

  it('a denial fails with the resource to allow: the cluster\'s tasks, or the document ARN', () => {
    const results = byId(
      portForwardChecks(
        facts({
          callerDecisions: {ok: true, value: {'ecs:ExecuteCommand': 'allowed', 'ssm:StartSession': 'implicitDeny'}},
          documentDecisions: {ok: true, value: {'AWS-StartPortForwardingSession': 'allowed', 'AWS-StartPortForwardingSessionToRemoteHost': 'explicitDeny'}},
        }),
      ),
    )
    expect(results['port-forward.start-session-task']).toMatchObject({status: 'fail', detail: 'not allowed: no policy allows it (implicitDeny)', fix: 'Allow ssm:StartSession on arn:aws:ecs:eu-west-1:123456789012:task/prod/* to the caller (`ecsops iam-policy "exec port-forward"`).'})
    expect(results['port-forward.document.AWS-StartPortForwardingSession'].status).toBe('ok')
    expect(results['port-forward.document.AWS-StartPortForwardingSessionToRemoteHost']).toMatchObject({status: 'fail', detail: 'denied by an explicit Deny statement (explicitDeny)', fix: expect.stringContaining(`Allow ssm:StartSession on ${REMOTE_DOC}`)})
  })

  it('names the documents in the task\'s partition', () => {
    const cnTask = task({taskArn: `arn:aws-cn:ecs:cn-north-1:123456789012:task/prod/${TASK_ID}`, clusterArn: 'arn:aws-cn:ecs:cn-north-1:123456789012:cluster/prod'})
    const results = portForwardChecks(facts({region: {name: 'cn-north-1', source: 'AWS_REGION'}, task: {ok: true, value: cnTask}, documentDecisions: {ok: true, value: {'AWS-StartPortForwardingSession': 'implicitDeny', 'AWS-StartPortForwardingSessionToRemoteHost': 'allowed'}}}))
    expect(results[1].fix).toContain('arn:aws-cn:ssm:cn-north-1::document/AWS-StartPortForwardingSession ')
    expect(results[1].fix).toBe('Allow ssm:StartSession on arn:aws-cn:ssm:cn-north-1::document/AWS-StartPortForwardingSession to the caller (`ecsops iam-policy "exec port-forward"`).')
  })

  it('skips what could not be simulated, saying why and what permission would help', () => {
    const denied = {ok: false as const, code: 'AccessDenied', message: 'not authorized to perform: iam:SimulatePrincipalPolicy'}
    const results = portForwardChecks(facts({callerDecisions: denied, documentDecisions: denied}))
    expect(results.map((r) => r.status)).toEqual(['skip', 'skip', 'skip'])
    expect(results[0].fix).toContain('iam:SimulatePrincipalPolicy')
    const unread = portForwardChecks(facts({callerDecisions: undefined, documentDecisions: undefined}))
    expect(unread.map((r) => r.detail)).toEqual(['not simulated: the task could not be read', 'not simulated: the task could not be read', 'not simulated: the task could not be read'])
  })
})

describe('checkReport with and without --port-forward', () => {
  it('without it, no port-forward group, and the advice to deny ssm:StartSession stays', () => {
    const ids = checkReport(facts(), {cluster: 'prod', task: TASK_ID}, 'linux').results.map((r) => r.id)
    expect(ids.filter((id) => id.startsWith('port-forward.'))).toEqual([])
    expect(ids).toContain('caller.ssm-start-session')
  })

  it('with it, the group is added, the advice dropped, and a denial makes exec check fail', () => {
    const report = checkReport(facts({documentDecisions: {ok: true, value: {'AWS-StartPortForwardingSession': 'allowed', 'AWS-StartPortForwardingSessionToRemoteHost': 'implicitDeny'}}}), {cluster: 'prod', task: TASK_ID}, 'linux', {portForward: true})
    const ids = report.results.map((r) => r.id)
    expect(ids).not.toContain('caller.ssm-start-session')
    expect(ids.filter((id) => id.startsWith('port-forward.'))).toHaveLength(3)
    expect(report.summary.fail).toBe(1)
    const lines = renderCheckReport(report, makeColors(false), 200)
    const heading = lines.indexOf('Port forwarding (ecsops exec port-forward)')
    expect(heading).toBeGreaterThan(lines.indexOf('Network'))
    expect(lines[heading + 3]).toBe('  ✖ fail Caller\'s ssm:StartSession with AWS-StartPortForwardingSessionToRemoteHost (--host): not allowed: no policy allows it (implicitDeny)')
  })
})

// ---------------------------------------------------------------- gathering

const ecsMock = mockClient(ECSClient)
const ec2Mock = mockClient(EC2Client)
const iamMock = mockClient(IAMClient)
const stsMock = mockClient(STSClient)

describe('gatherExecFacts with portForward', () => {
  const region = 'cn-north-1'
  const clients = checkClients(region)
  const cnTask = task({taskArn: `arn:aws-cn:ecs:cn-north-1:123456789012:task/prod/${TASK_ID}`, clusterArn: 'arn:aws-cn:ecs:cn-north-1:123456789012:cluster/prod'})
  const gather = (portForward: boolean) =>
    gatherExecFacts(clients, {region: {name: region, source: 'AWS_REGION'}, cluster: 'prod', task: TASK_ID, probe: async () => ({installed: true, version: '1.2.650.0'}), auditNetwork: async () => natReport(), portForward})

  beforeEach(() => {
    for (const m of [ecsMock, ec2Mock, iamMock, stsMock]) m.reset()
    stsMock.on(GetCallerIdentityCommand).resolves({Account: '123456789012', Arn: 'arn:aws-cn:iam::123456789012:user/alice', UserId: 'AIDAEXAMPLE'})
    iamMock.on(ListRolesCommand).resolves({Roles: []})
    ecsMock.on(DescribeClustersCommand).resolves({clusters: [{clusterArn: 'arn:aws-cn:ecs:cn-north-1:123456789012:cluster/prod', clusterName: 'prod'}]})
    ecsMock.on(DescribeTasksCommand).resolves({tasks: [cnTask]})
    ecsMock.on(DescribeTaskDefinitionCommand).resolves({taskDefinition: taskDefinition()})
    ec2Mock.on(DescribeNetworkInterfacesCommand).resolves({NetworkInterfaces: [{NetworkInterfaceId: 'eni-0a', VpcId: 'vpc-1', SubnetId: 'subnet-a', Groups: [{GroupId: 'sg-task'}]}]})
    // The simulator answers per resource: the remote-host document is denied.
    iamMock.on(SimulatePrincipalPolicyCommand).callsFake((input: SimulatePrincipalPolicyCommandInput) => ({
      EvaluationResults: (input.ActionNames ?? []).map((a) => ({EvalActionName: a, EvalResourceName: input.ResourceArns?.[0] ?? '*', EvalDecision: (input.ResourceArns?.[0] ?? '').endsWith('ToRemoteHost') ? 'explicitDeny' : 'allowed'})),
    }))
  })

  it('simulates ssm:StartSession on each document ARN of the task\'s partition, one call each', async () => {
    const f = await gather(true)
    expect(f.documentDecisions).toEqual({ok: true, value: {'AWS-StartPortForwardingSession': 'allowed', 'AWS-StartPortForwardingSessionToRemoteHost': 'explicitDeny'}})
    const documentSims = iamMock.commandCalls(SimulatePrincipalPolicyCommand).map((c) => c.args[0].input).filter((i) => i.ResourceArns?.[0]?.includes(':document/'))
    expect(documentSims.map((i) => [i.PolicySourceArn, i.ActionNames, i.ResourceArns])).toEqual(
      expect.arrayContaining([
        ['arn:aws-cn:iam::123456789012:user/alice', ['ssm:StartSession'], ['arn:aws-cn:ssm:cn-north-1::document/AWS-StartPortForwardingSession']],
        ['arn:aws-cn:iam::123456789012:user/alice', ['ssm:StartSession'], ['arn:aws-cn:ssm:cn-north-1::document/AWS-StartPortForwardingSessionToRemoteHost']],
      ]),
    )
    expect(documentSims).toHaveLength(2)
  })

  it('makes no document simulation without it', async () => {
    const f = await gather(false)
    expect(f.documentDecisions).toBeUndefined()
    expect(iamMock.commandCalls(SimulatePrincipalPolicyCommand).some((c) => c.args[0].input.ResourceArns?.[0]?.includes(':document/'))).toBe(false)
  })
})

itSendsOnlyDeclaredActions(execCheckIam, {ecs: ecsMock, ec2: ec2Mock, iam: iamMock, sts: stsMock})
