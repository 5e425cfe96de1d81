import {describe, expect, it} from 'vitest'

import {cidrContains} from '../../src/endpoints/cidr.js'
import {findingsExplaining, renderFindingLines} from '../../src/endpoints/api.js'
import {evaluatePolicy} from '../../src/endpoints/policy.js'
import {countFindings, renderFixes, renderMarkdown, renderSection, renderTaskVerdict, summaryLine} from '../../src/endpoints/render.js'
import type {Finding} from '../../src/endpoints/types.js'

const finding = (service: string, status: Finding['status'], severity: Finding['severity'] = status === 'ok' ? 'info' : 'error', extra: Partial<Finding> = {}): Finding => ({
  service,
  endpointService: `com.amazonaws.eu-west-1.${service}`,
  type: service === 's3' ? 'Gateway' : 'Interface',
  requiredBy: [`api: container web: ${service}`],
  status,
  severity,
  endpointId: status === 'missing' ? null : `vpce-${service}`,
  provider: status === 'missing' ? null : 'vpc',
  problems: status === 'ok' ? [] : [{code: status === 'missing' ? 'MISSING' : 'SG_BLOCKS_443', detail: `${service} detail`}],
  ...(status === 'missing' ? {fix: `aws ec2 create-vpc-endpoint --service-name com.amazonaws.eu-west-1.${service}`} : {}),
  ...extra,
})

const ALL = [finding('ecr.api', 'missing'), finding('ecr.dkr', 'missing'), finding('s3', 'misconfigured'), finding('logs', 'missing'), finding('secretsmanager', 'missing'), finding('ssm', 'ok')]

describe('findingsExplaining', () => {
  it('registry auth timeout → ecr.api', () => {
    const reason =
      'ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve ecr registry auth: service call has been retried 3 time(s): RequestError: send request failed caused by: Post "https://api.ecr.eu-west-1.amazonaws.com/": dial tcp 52.1.2.3:443: i/o timeout'
    expect(findingsExplaining(reason, ALL).map((f) => f.service)).toEqual(['ecr.api'])
  })

  it('secret from asm → secretsmanager; generic "unable to pull secrets or registry auth" → all three candidates that are not ok', () => {
    expect(findingsExplaining('ResourceInitializationError: unable to pull secrets or registry auth: ... unable to retrieve secret from asm: ... i/o timeout', ALL).map((f) => f.service)).toEqual(['secretsmanager'])
    expect(findingsExplaining('ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed', ALL).map((f) => f.service)).toEqual(['ecr.api', 'secretsmanager'])
  })

  it('CannotPullContainerError i/o timeout → ecr.api, ecr.dkr, s3; with the registry host → ecr.dkr only', () => {
    expect(findingsExplaining('CannotPullContainerError: pull image manifest has been retried 5 time(s): i/o timeout', ALL).map((f) => f.service)).toEqual(['ecr.api', 'ecr.dkr', 's3'])
    expect(findingsExplaining('CannotPullContainerError: Get "https://111122223333.dkr.ecr.eu-west-1.amazonaws.com/v2/": dial tcp: i/o timeout', ALL).map((f) => f.service)).toEqual(['ecr.dkr'])
    expect(findingsExplaining('CannotPullContainerError: ... prod-eu-west-1-starport-layer-bucket.s3.eu-west-1.amazonaws.com ... i/o timeout', ALL).map((f) => f.service)).toEqual(['s3'])
  })

  it('awslogs "failed to create Cloudwatch log stream" → logs', () => {
    const reason = 'ResourceInitializationError: failed to validate logger args: create stream has been retried 1 times: failed to create Cloudwatch log stream: RequestError: send request failed'
    expect(findingsExplaining(reason, ALL).map((f) => f.service)).toEqual(['logs'])
  })

  it('an AccessDenied reason is explained only by a restrictive endpoint policy, not by a missing endpoint', () => {
    const reason = 'ResourceInitializationError: unable to pull secrets or registry auth: unable to retrieve secret from asm: AccessDeniedException: User is not authorized to perform: secretsmanager:GetSecretValue'
    expect(findingsExplaining(reason, ALL)).toEqual([])
    const restrictive = finding('secretsmanager', 'misconfigured', 'error', {problems: [{code: 'POLICY_RESTRICTIVE', detail: 'denied'}]})
    expect(findingsExplaining(reason, [restrictive]).map((f) => f.service)).toEqual(['secretsmanager'])
    // A policy that may deny (a condition not evaluated here) is a candidate too; a DNS doubt is not.
    const unverified = finding('secretsmanager', 'unknown', 'warning', {problems: [{code: 'POLICY_UNVERIFIED', detail: 'may block'}]})
    expect(findingsExplaining(reason, [unverified]).map((f) => f.service)).toEqual(['secretsmanager'])
    expect(findingsExplaining(reason, [finding('secretsmanager', 'unknown', 'warning', {problems: [{code: 'VPC_DNS_UNVERIFIED', detail: 'x'}]})])).toEqual([])
  })

  it('nothing explains a Docker Hub timeout, an essential container exit, or a healthy endpoint', () => {
    expect(findingsExplaining('CannotPullContainerError: Get "https://registry-1.docker.io/v2/": net/http: request canceled (i/o timeout)', ALL)).toEqual([])
    expect(findingsExplaining('Essential container in task exited', ALL)).toEqual([])
    expect(findingsExplaining('unable to retrieve secrets from ssm: i/o timeout', ALL)).toEqual([])
  })
})

describe('renderFindingLines', () => {
  it('prints a head line per finding, its problems and its fix', () => {
    const lines = renderFindingLines([finding('ecr.dkr', 'missing'), finding('ssm', 'ok')])
    expect(lines).toEqual([
      '✖ ecr.dkr (com.amazonaws.eu-west-1.ecr.dkr): missing [error]',
      '    MISSING: ecr.dkr detail',
      '    fix: aws ec2 create-vpc-endpoint --service-name com.amazonaws.eu-west-1.ecr.dkr',
      '✔ ssm (com.amazonaws.eu-west-1.ssm): ok vpce-ssm',
    ])
  })

  it('names the hosted zone of a central endpoint', () => {
    expect(renderFindingLines([finding('logs', 'ok', 'info', {provider: 'central', endpointId: null, hostedZoneId: 'Z123'})])[0]).toContain('central (Route 53 zone Z123)')
  })
})

describe('report rendering', () => {
  const vpcs = [{vpcId: 'vpc-1', subnets: [], findings: [finding('ecr.dkr', 'missing'), finding('logs', 'misconfigured', 'warning'), finding('ssm', 'ok'), finding('kms', 'unused', 'info')]}]

  it('counts and summarises findings', () => {
    expect(countFindings(vpcs)).toEqual({error: 1, warning: 1, ok: 1, unused: 1, unknown: 0})
    expect(summaryLine(vpcs, '2 services in cluster prod')).toBe('2 services in cluster prod, 1 VPC: 1 error, 1 warning, 1 ok, 1 not needed')
  })

  it('a section is a table, then each problem; the fixes come once for the whole report', () => {
    const lines = renderSection({title: 'service api — vpc-1', findings: vpcs[0]!.findings})
    expect(lines[0]).toBe('service api — vpc-1')
    expect(lines[1]).toMatch(/ENDPOINT\s+TYPE\s+STATUS\s+WHERE\s+PROBLEMS/)
    expect(lines.filter((l) => /^\S*\s*ecr\.dkr\s+Interface\s+missing \(error\)/.test(l.trim()))).toHaveLength(1)
    expect(lines.filter((l) => /^\S*\s*kms\s+Interface\s+not needed\s/.test(l.trim()))).toHaveLength(1)
    expect(lines).toContain('    MISSING: ecr.dkr detail')
    expect(lines.some((l) => l.includes('aws ec2'))).toBe(false)
    expect(renderFixes(vpcs[0]!.findings)).toEqual(['Fixes (AWS CLI, not run by ecsops), each once, in an order that can be pasted:', '# for ecr.dkr', 'aws ec2 create-vpc-endpoint --service-name com.amazonaws.eu-west-1.ecr.dkr', ''])
  })

  it('Markdown: a table per section with escaped cells and the fixes in a details block', () => {
    const md = renderMarkdown({title: 'VPC endpoints (eu-west-1)', summary: 'summary', sections: [{title: 'service api', findings: [finding('logs', 'misconfigured', 'error', {problems: [{code: 'POLICY_RESTRICTIVE', detail: 'a | b'}]}), finding('ecr.dkr', 'missing')]}]})
    expect(md).toContain('## VPC endpoints (eu-west-1)')
    expect(md).toContain('| | Endpoint | Type | Status | Where | Problems |')
    expect(md).toContain('| ✖ | `logs` | Interface | misconfigured (error) | vpce-logs | **POLICY_RESTRICTIVE** a \\| b |')
    expect(md).toContain('```sh\n# for ecr.dkr\naws ec2 create-vpc-endpoint')
  })
})

describe('renderTaskVerdict', () => {
  const task = {taskArn: 'arn:aws:ecs:eu-west-1:1:task/prod/abc', stopCode: 'TaskFailedToStart', stoppedReason: 'CannotPullContainerError: i/o timeout', containerReasons: ['CannotPullContainerError: `x`'], explainedBy: ['ecr.dkr']}

  it('human: the reason, then the explaining findings', () => {
    const lines = renderTaskVerdict(task, ALL)
    expect(lines.slice(1, 4)).toEqual(['Task arn:aws:ecs:eu-west-1:1:task/prod/abc stopped: TaskFailedToStart: CannotPullContainerError: i/o timeout', '  container: CannotPullContainerError: `x`', 'Explained by: ecr.dkr'])
    expect(lines).toContain('      MISSING: ecr.dkr detail')
    expect(renderTaskVerdict({...task, explainedBy: [], stopCode: undefined, stoppedReason: undefined, containerReasons: [], lastStatus: 'RUNNING'}, ALL)).toEqual(['', 'Task arn:aws:ecs:eu-west-1:1:task/prod/abc stopped: (no stop reason; last status RUNNING)', 'No endpoint finding explains this stop reason.'])
  })

  it('Markdown: code spans without backticks inside', () => {
    const md = renderTaskVerdict(task, ALL, true).join('\n')
    expect(md).toContain('### Why the task stopped')
    expect(md).toContain("- container: `CannotPullContainerError: 'x'`")
    expect(md).toContain('Explained by: `ecr.dkr` (MISSING)')
  })
})

describe('policy and CIDR helpers', () => {
  it('evaluatePolicy: full access, wildcards, NotAction, conditions', () => {
    const needs = {actions: ['logs:CreateLogStream', 'logs:PutLogEvents']}
    expect(evaluatePolicy(undefined, needs).blocked).toEqual([])
    expect(evaluatePolicy('{"Statement":{"Effect":"Allow","Principal":"*","Action":"logs:*","Resource":"*"}}', needs).blocked).toEqual([])
    expect(evaluatePolicy('{"Statement":[{"Effect":"Allow","Principal":"*","NotAction":"logs:PutLogEvents","Resource":"*"}]}', needs).blocked.map((b) => b.action)).toEqual(['logs:PutLogEvents'])
    // A Deny with a condition cannot be judged from here: not reported.
    expect(evaluatePolicy('{"Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"},{"Effect":"Deny","Principal":"*","Action":"*","Resource":"*","Condition":{"StringNotEquals":{"aws:PrincipalAccount":"1"}}}]}', needs).blocked).toEqual([])
    const fixed = evaluatePolicy('{"Statement":[{"Effect":"Allow","Principal":"*","Action":"ecr:*","Resource":"*"}]}', needs).fixedPolicy
    expect(JSON.parse(fixed!).Statement[1]).toEqual({Sid: 'AllowEcsTasks', Effect: 'Allow', Principal: '*', Action: needs.actions, Resource: '*'})
  })

  it('cidrContains', () => {
    expect(cidrContains('10.0.0.0/16', '10.0.3.0/24')).toBe(true)
    expect(cidrContains('10.0.0.0/24', '10.0.3.0/24')).toBe(false)
    expect(cidrContains('0.0.0.0/0', '192.168.1.0/24')).toBe(true)
    expect(cidrContains('10.0.3.0/24', '10.0.0.0/16')).toBe(false)
    expect(cidrContains('bogus', '10.0.0.0/16')).toBe(false)
  })
})

describe('summaryLine with unknown findings', () => {
  it('counts unknown findings inside the warnings, not twice', () => {
    const f = (status: Finding['status'], severity: Finding['severity']): Finding => ({service: 'logs', endpointService: 'x', type: 'Interface', requiredBy: [], status, severity, endpointId: null, provider: null, problems: []})
    const vpcs = [{vpcId: 'vpc-1', subnets: [], findings: [f('unknown', 'warning'), f('unknown', 'warning'), f('missing', 'error')]}]
    expect(summaryLine(vpcs, 'network')).toBe('network, 1 VPC: 1 error, 2 warnings (2 of them unknown: could not be verified), 0 ok')
  })
})

describe('renderMarkdown escaping', () => {
  it('escapes * and _ in problem details so ARNs and wildcard DNS names stay literal', () => {
    const f: Finding = {service: 'ecr.dkr', endpointService: 'x', type: 'Interface', requiredBy: [], status: 'misconfigured', severity: 'error', endpointId: 'vpce-1', provider: 'vpc', problems: [{code: 'PRIVATE_DNS_DISABLED', detail: '*.dkr.ecr.eu-west-1.amazonaws.com and arn:aws:s3:::b/*'}]}
    const md = renderMarkdown({title: 't', summary: 's', sections: [{title: 'service api', findings: [f]}]})
    expect(md).toContain('**PRIVATE_DNS_DISABLED** \\*.dkr.ecr.eu-west-1.amazonaws.com and arn:aws:s3:::b/\\*')
  })
})
