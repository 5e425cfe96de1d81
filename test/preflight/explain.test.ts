import {describe, expect, it} from 'vitest'

import type {Finding} from '../../src/endpoints/api.js'
import {findingResult, preflightChecks} from '../../src/preflight/checks.js'
import {explainStop} from '../../src/preflight/explain.js'
import type {PreflightFacts, PreflightResult} from '../../src/preflight/model.js'
import {ACCOUNT, APP_IMAGE, DB_SECRET, decisionsFor, healthyFacts, REGION, target, taskDefinition} from './fixtures.js'

const TASK = {taskArn: `arn:aws:ecs:${REGION}:${ACCOUNT}:task/prod/abc`, lastStatus: 'STOPPED', stopCode: 'TaskFailedToStart'}

function explain(facts: PreflightFacts, stoppedReason: string, containerReasons: string[] = [], findings: Finding[] = []) {
  const results = [...findings.map(findingResult), ...preflightChecks(facts)]
  const explanation = explainStop(results, findings, {...TASK, stoppedReason, containerReasons})
  return {results, explanation, explaining: results.filter((r) => r.explains).map((r) => r.id)}
}

const secretsDenied = () => {
  const base = healthyFacts()
  return {...base, executionDecisions: {ok: true as const, value: decisionsFor(base, (a) => (a === 'secretsmanager:GetSecretValue' ? 'implicitDeny' : 'allowed'))}}
}

describe('explainStop', () => {
  it('AccessDenied on GetSecretValue: the execution role\'s permissions', () => {
    const reason =
      'ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secret from asm: service call has been retried 1 time(s): AccessDeniedException: User: arn:aws:sts::123456789012:assumed-role/ecsTaskExecutionRole/abc is not authorized to perform: secretsmanager:GetSecretValue on resource: arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/db-AbCdEf'
    const {explanation, explaining} = explain(secretsDenied(), reason)
    expect(explaining).toEqual(['execution-role.permissions'])
    expect(explanation).toMatchObject({explainedBy: ['execution-role.permissions'], text: 'Explained by: execution-role.permissions (EXECUTION_ROLE_DENIED).', stopCode: 'TaskFailedToStart'})
  })

  it('a secret that does not exist', () => {
    const facts = healthyFacts()
    facts.secrets[DB_SECRET] = {ok: false, code: 'ResourceNotFoundException', message: "Secrets Manager can't find the specified secret."}
    const reason = "ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secret from asm: service call has been retried 1 time(s): failed to fetch secret arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/db from secrets manager: ResourceNotFoundException: Secrets Manager can't find the specified secret."
    expect(explain(facts, reason).explaining).toEqual(['references.secret.app.DB_PASSWORD'])
  })

  it('a parameter that does not exist ("invalid parameters")', () => {
    const facts = healthyFacts({parameters: {[REGION]: {ok: true, value: {}}}})
    const reason = 'ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secrets from ssm: service call has been retried 1 time(s): invalid parameters: /prod/flags'
    expect(explain(facts, reason).explaining).toEqual(['references.secret.app.FLAGS'])
  })

  it('an image tag that does not exist: the image check of that container, found in the container reason', () => {
    const facts = healthyFacts()
    facts.images[APP_IMAGE] = {ok: false, code: 'ImageNotFoundException', message: 'not found'}
    const containerReason = `CannotPullContainerError: pull image manifest has been retried 1 time(s): failed to resolve ref ${APP_IMAGE}: ${APP_IMAGE}: not found`
    const {explaining, explanation} = explain(facts, 'Essential container in task exited', [containerReason])
    expect(explaining).toEqual(['references.image.app'])
    expect(explanation.containerReasons).toEqual([containerReason])
  })

  it('a log group that does not exist', () => {
    const facts = healthyFacts({logGroups: {[`${REGION}|/ecs/web`]: {ok: true, value: false}}})
    const reason = 'ResourceInitializationError: failed to validate logger args: create stream has been retried 1 times: failed to create Cloudwatch log stream: ResourceNotFoundException: The specified log group does not exist. : exit status 1'
    expect(explain(facts, reason).explaining).toEqual(['references.log-group.app', 'references.log-group.proxy'])
  })

  it('an i/o timeout: the endpoint audit finding of that service, not the execution role', () => {
    const findings: Finding[] = [
      {service: 'ecr.api', endpointService: `com.amazonaws.${REGION}.ecr.api`, type: 'Interface', requiredBy: ['container app'], status: 'missing', severity: 'error', endpointId: null, provider: null, problems: [{code: 'MISSING', detail: 'no interface endpoint'}]},
      {service: 'logs', endpointService: `com.amazonaws.${REGION}.logs`, type: 'Interface', requiredBy: ['container app'], status: 'missing', severity: 'error', endpointId: null, provider: null, problems: [{code: 'MISSING', detail: 'no interface endpoint'}]},
    ]
    const reason = 'ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve ecr registry auth: service call has been retried 3 time(s): RequestError: send request failed caused by: Post "https://api.ecr.eu-west-1.amazonaws.com/": dial tcp 52.1.2.3:443: i/o timeout'
    const {explaining, explanation} = explain(secretsDenied(), reason, [], findings)
    expect(explaining).toEqual(['network.ecr.api'])
    expect(explanation.text).toBe('Explained by: network.ecr.api (MISSING).')
  })

  it('the explaining finding is found by its service wherever it is listed, and a warning explains too', () => {
    const finding = (service: string, severity: 'error' | 'warning', status: 'ok' | 'misconfigured' = 'misconfigured'): Finding => ({
      service,
      endpointService: `com.amazonaws.${REGION}.${service}`,
      type: 'Interface',
      requiredBy: ['container app'],
      status,
      severity: status === 'ok' ? 'info' : severity,
      endpointId: `vpce-${service}`,
      provider: 'vpc',
      problems: status === 'ok' ? [] : [{code: 'SG_BLOCKS_443', detail: 'the endpoint\'s security group admits no 443 from the task'}],
    })
    // logs (ok) is listed first; ecr.api, a warning (a NAT carries most of the traffic), is the one the timeout names.
    const findings = [finding('logs', 'error', 'ok'), finding('ecr.api', 'warning')]
    const reason = 'ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve ecr registry auth: service call has been retried 3 time(s): RequestError: send request failed caused by: Post "https://api.ecr.eu-west-1.amazonaws.com/": dial tcp 52.1.2.3:443: i/o timeout'
    const {explaining, explanation} = explain(healthyFacts(), reason, [], findings)
    expect(explaining).toEqual(['network.ecr.api'])
    expect(explanation.text).toBe('Explained by: network.ecr.api (SG_BLOCKS_443).')
  })

  it('AccessDenied with no execution role at all: the missing role explains it (matched by its code)', () => {
    const facts = healthyFacts({target: target({taskDefinition: {...taskDefinition(), executionRoleArn: undefined}})})
    const reason = 'ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secret from asm: AccessDeniedException: User: arn:aws:sts::123456789012:assumed-role/x/y is not authorized to perform: secretsmanager:GetSecretValue'
    const {explaining} = explain(facts, reason)
    expect(explaining).toEqual(['execution-role.present'])
  })

  it('a clue with no result of its kind (no awslogs in the task definition) is not said to "pass now"', () => {
    const td = taskDefinition()
    const facts = healthyFacts({target: target({taskDefinition: {...td, containerDefinitions: td.containerDefinitions!.map((c) => ({...c, logConfiguration: undefined}))}})})
    const reason = 'ResourceInitializationError: failed to validate logger args: ResourceNotFoundException: The specified log group does not exist.'
    const {explaining, explanation} = explain(facts, reason)
    expect(explaining).toEqual([])
    expect(explanation.text).toBe('No preflight result explains this stop reason.')
  })

  it('an architecture mismatch', () => {
    const facts = healthyFacts()
    facts.images[APP_IMAGE] = {ok: true, value: {mediaType: 'application/vnd.oci.image.index.v1+json', architectures: {ok: true, value: ['arm64']}}}
    expect(explain(facts, 'CannotPullContainerError: no matching manifest for linux/amd64 in the manifest list entries').explaining).toEqual(['references.architecture.app'])
  })

  it('a clue whose check passes now: said, nothing marked', () => {
    const {explaining, explanation} = explain(healthyFacts(), 'CannotPullContainerError: ref not found')
    expect(explaining).toEqual([])
    expect(explanation.text).toBe('The stop reason points at an image that does not exist, which passes now: fixed since the task stopped?')
  })

  it('nothing that matches: no result explains it; no reason at all: said', () => {
    expect(explain(healthyFacts(), 'Task stopped by user').explanation.text).toBe('No preflight result explains this stop reason.')
    const none = explainStop([] as PreflightResult[], [], {...TASK, containerReasons: []})
    expect(none).toMatchObject({explainedBy: [], text: 'The task has no stop reason to explain.'})
  })

  it('nothing explains it while reads failed: those checks are named (they may hold the cause)', () => {
    const facts = healthyFacts()
    facts.secrets[DB_SECRET] = {ok: false, code: 'AccessDeniedException', message: 'not authorized to perform: secretsmanager:DescribeSecret'}
    expect(explain(facts, 'Task stopped by user').explanation.text).toBe('No preflight result explains this stop reason; 1 check could not run (references.secret.app.DB_PASSWORD).')
  })
})
