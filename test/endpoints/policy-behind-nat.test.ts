import {describe, expect, it} from 'vitest'

import {auditVpc} from '../../src/endpoints/audit.js'
import {passes} from '../../src/endpoints/check.js'
import type {Finding} from '../../src/endpoints/types.js'
import {endpointSg, healthyVpc, interfaceEndpoint, natTable, s3Gateway, taskSg, workload} from './fixtures.js'

/**
 * A NAT route does not make an endpoint's problems harmless. With private DNS on, the service's
 * name resolves to the endpoint inside the VPC, so the tasks' traffic goes to the endpoint and
 * never reaches the NAT ("Access AWS services through AWS PrivateLink": private DNS names resolve
 * to the endpoint's private IPs). A gateway endpoint on the subnets' route table adds a route to
 * the S3 prefix list, more specific than the NAT's 0.0.0.0/0 ("Gateway endpoints for Amazon S3").
 * So a policy or security group that blocks them is an error even behind a NAT, and the document's
 * `ok` is false. Only when the traffic does not use the endpoint (private DNS off, route table not
 * associated) does the NAT carry it, and the problem is a warning.
 */

const NAT = natTable(['subnet-a', 'subnet-b', 'subnet-c'])
const find = (findings: Finding[], service: string) => findings.find((f) => f.service === service)!
const DENY_LOGS = JSON.stringify({
  Statement: [
    {Effect: 'Allow', Principal: '*', Action: '*', Resource: '*'},
    {Sid: 'NoPut', Effect: 'Deny', Principal: '*', Action: 'logs:PutLogEvents', Resource: '*'},
  ],
})
const ONLY_DESCRIBE_LOGS = JSON.stringify({Statement: [{Effect: 'Allow', Principal: '*', Action: 'logs:DescribeLogGroups', Resource: '*'}]})
const ONLY_APP_BUCKET = JSON.stringify({Statement: [{Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::my-app-bucket/*'}]})

function audit(endpoints: ReturnType<typeof interfaceEndpoint>[], needs: string[], securityGroups = [taskSg, endpointSg]) {
  const {report} = auditVpc(healthyVpc({routeTables: [NAT], endpoints, securityGroups}), [workload(needs)])
  return {report, ok: passes([report])}
}

describe('behind a NAT, a restrictive endpoint policy the traffic meets is still an error', () => {
  it.each([
    ['denies an action the tasks need', DENY_LOGS],
    ['allows only an action the tasks do not need', ONLY_DESCRIBE_LOGS],
  ])('interface endpoint with private DNS: a policy that %s blocks the tasks, error, ok false', (_what, PolicyDocument) => {
    const {report, ok} = audit([interfaceEndpoint('logs', {PolicyDocument})], ['logs'])
    const f = find(report.findings, 'logs')
    expect(report.subnets.every((s) => s.internetRoute === 'nat')).toBe(true)
    expect(f).toMatchObject({status: 'misconfigured', severity: 'error'})
    expect(f.problems.map((p) => p.code)).toEqual(['POLICY_RESTRICTIVE'])
    // The symptom the tasks will show, not "traffic goes through the NAT".
    expect(f.problems[0]!.detail).toContain('failed to create Cloudwatch log stream')
    expect(f.problems[0]!.detail).not.toContain('NAT billed per GB')
    expect(ok).toBe(false)
  })

  it('S3 gateway on the task route tables: the policy blocks the image layers, error, ok false', () => {
    const {report, ok} = audit([s3Gateway({PolicyDocument: ONLY_APP_BUCKET, RouteTableIds: ['rtb-nat']})], ['s3'])
    const f = find(report.findings, 's3')
    expect(f).toMatchObject({status: 'misconfigured', severity: 'error'})
    expect(f.problems.map((p) => p.code)).toEqual(['POLICY_RESTRICTIVE'])
    expect(ok).toBe(false)
  })

  it('private DNS off: the tasks go through the NAT, so the same policy is only a warning and ok stays true', () => {
    const {report, ok} = audit([interfaceEndpoint('logs', {PolicyDocument: DENY_LOGS, PrivateDnsEnabled: false})], ['logs'])
    const f = find(report.findings, 'logs')
    expect(f.problems.map((p) => [p.code])).toEqual([['PRIVATE_DNS_DISABLED'], ['POLICY_RESTRICTIVE']])
    expect(f.severity).toBe('warning')
    expect(f.problems[1]!.detail).toContain('traffic goes through the NAT/internet gateway instead')
    expect(ok).toBe(true)
  })

  it('the same policy without a NAT is an error too (the severity does not hinge on the route)', () => {
    const {report} = auditVpc(healthyVpc({endpoints: [interfaceEndpoint('logs', {PolicyDocument: DENY_LOGS})]}), [workload(['logs'])])
    expect(find(report.findings, 'logs').severity).toBe('error')
    expect(passes([report])).toBe(false)
  })
})

describe('behind a NAT, a security group that blocks 443 on an endpoint the traffic meets is an error', () => {
  const closed = {...endpointSg, IpPermissions: [{IpProtocol: 'tcp', FromPort: 80, ToPort: 80, UserIdGroupPairs: [{GroupId: 'sg-task'}]}]}

  it('private DNS on: error, ok false', () => {
    const {report, ok} = audit([interfaceEndpoint('logs')], ['logs'], [taskSg, closed])
    const f = find(report.findings, 'logs')
    expect(f.problems.map((p) => p.code)).toEqual(['SG_BLOCKS_443'])
    expect(f.severity).toBe('error')
    expect(ok).toBe(false)
  })

  it('private DNS off: a warning', () => {
    const {report} = audit([interfaceEndpoint('logs', {PrivateDnsEnabled: false})], ['logs'], [taskSg, closed])
    expect(find(report.findings, 'logs').severity).toBe('warning')
  })
})
