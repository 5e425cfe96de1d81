import {describe, expect, it} from 'vitest'

import {auditVpc} from '../../src/endpoints/audit.js'
import {fixSteps, renderFixes, renderMarkdown, renderSection} from '../../src/endpoints/render.js'
import {makeColors} from '../../src/ui/output.js'
import {displayWidth} from '../../src/ui/wrap.js'
import {VPC, healthyVpc, s3Gateway, workload} from './fixtures.js'

const strip = (s: string) => s.replace(/\u001B\[[0-9;]*m/g, '') // eslint-disable-line no-control-regex -- colour codes

describe('one root cause, one fix (issue 13)', () => {
  it('a VPC with DNS hostnames off: the shared problem is said once, with every endpoint it breaks, and its fix is printed once', () => {
    const {report} = auditVpc(healthyVpc({dnsHostnames: false}), [workload(['ecr.api', 'ecr.dkr', 'logs', 'secretsmanager'])])
    const needed = report.findings.filter((f) => f.status !== 'unused')
    expect(needed.filter((f) => f.problems.some((p) => p.code === 'VPC_DNS_DISABLED')).length).toBe(4)
    const lines = renderSection({title: 'service api', findings: needed})
    expect(lines.filter((l) => l.includes('VPC_DNS_DISABLED:'))).toHaveLength(1)
    expect(lines).toContain('  ✖ ecr.api, ecr.dkr, logs, secretsmanager: one cause')
    const fixes = renderFixes(needed)
    expect(fixes.filter((l) => l.includes('modify-vpc-attribute'))).toEqual([`aws ec2 modify-vpc-attribute --region eu-west-1 --vpc-id ${VPC} --enable-dns-hostnames '{"Value":true}'`])
    expect(fixes[1]).toBe('# for ecr.api, ecr.dkr, logs, secretsmanager')
  })

  it('three missing endpoints: the security group is created and opened once, before the endpoints that use it', () => {
    const {report} = auditVpc(healthyVpc({endpoints: [s3Gateway()]}), [workload(['ecr.api', 'ecr.dkr', 'logs'])])
    const missing = report.findings.filter((f) => f.status === 'missing')
    expect(missing.map((f) => f.service)).toEqual(['ecr.api', 'ecr.dkr', 'logs'])
    // Each finding's own fix creates the group (a fix must work alone) …
    expect(missing.every((f) => f.fix!.includes('create-security-group'))).toBe(true)
    // … the report's fixes create it once, then open it, then the three endpoints.
    const steps = fixSteps(missing)
    expect(steps.map((s) => s.lines.at(-1)!.split(' ').slice(0, 3).join(' '))).toEqual([
      'aws ec2 create-security-group',
      'aws ec2 authorize-security-group-ingress',
      'aws ec2 create-vpc-endpoint',
      'aws ec2 create-vpc-endpoint',
      'aws ec2 create-vpc-endpoint',
    ])
    expect(steps[0]!.services).toEqual(['ecr.api', 'ecr.dkr', 'logs'])
    expect(steps.slice(2).map((s) => s.services)).toEqual([['ecr.api'], ['ecr.dkr'], ['logs']])
    const md = renderMarkdown({title: 't', summary: 's', sections: [{title: 'service api', findings: missing}]})
    expect(md.match(/create-security-group/g)).toHaveLength(1)
  })

  it('a fix that is only a comment is a step of its own, comments stay with their command', () => {
    const base = {endpointService: 'x', type: 'Interface' as const, requiredBy: [], status: 'misconfigured' as const, severity: 'error' as const, endpointId: 'vpce-1', provider: 'vpc' as const, problems: []}
    const steps = fixSteps([
      {...base, service: 'ssm', fix: '# the endpoint service owner must accept vpce-1'},
      {...base, service: 'logs', fix: '# with credentials of account 1:\necsops check-endpoints --vpc vpc-1'},
    ])
    expect(steps.map((s) => s.lines)).toEqual([['# the endpoint service owner must accept vpce-1'], ['# with credentials of account 1:', 'ecsops check-endpoints --vpc vpc-1']])
  })
})

describe('fit the width (issue 13)', () => {
  const {report} = auditVpc(healthyVpc({dnsHostnames: false, endpoints: [s3Gateway()]}), [workload(['ecr.api', 'ecr.dkr', 'logs', 's3'], {subnetIds: ['subnet-a', 'subnet-b', 'subnet-c']})])
  const section = {title: `service api — ${VPC}`, findings: report.findings}

  it.each([60, 80, 120])('at %i columns no line is wider, with or without colour, and no word is cut', (width) => {
    for (const colour of [false, true]) {
      const lines = renderSection(section, makeColors(colour), width)
      for (const line of lines) {
        // A word longer than a line (an image URI, an ARN) stays whole on a line of its own.
        const words = strip(line).trim().split(' ')
        if (displayWidth(strip(line)) > width) expect(words).toHaveLength(1)
      }
      const plain = lines.map(strip).join(' ').replace(/\s+/g, ' ')
      for (const f of report.findings) for (const p of f.problems) expect(plain).toContain(`${p.code}:`)
    }
  })

  it('the table drops the problems column, then the type, then where, rather than break its rows', () => {
    const head = (width: number) => strip(renderSection(section, undefined, width)[1]!).trim().split(/\s+/)
    expect(head(120)).toEqual(['ENDPOINT', 'TYPE', 'STATUS', 'WHERE', 'PROBLEMS'])
    expect(head(60)).toEqual(['ENDPOINT', 'TYPE', 'STATUS', 'WHERE'])
    expect(head(50)).toEqual(['ENDPOINT', 'STATUS', 'WHERE'])
    expect(head(40)).toEqual(['ENDPOINT', 'STATUS'])
    // Every row keeps to the width it was given.
    for (const width of [40, 50, 60, 120]) for (const line of renderSection(section, undefined, width).slice(1, 1 + report.findings.length + 1)) expect(displayWidth(line)).toBeLessThanOrEqual(width)
  })

  it('fixes are never wrapped: each command is one line to paste', () => {
    const fixes = renderFixes(report.findings)
    const create = fixes.filter((l) => l.startsWith('aws ec2 create-vpc-endpoint'))
    expect(create.length).toBeGreaterThan(0)
    for (const l of create) expect(l).toMatch(/--private-dns-enabled$/)
  })
})
