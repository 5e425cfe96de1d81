import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import type {RouteTable, Subnet} from '@aws-sdk/client-ec2'
import {describe, expect, it} from 'vitest'

import {auditVpc} from '../../src/endpoints/audit.js'
import {checkEndpoints, type CheckClients} from '../../src/endpoints/check.js'
import {mermaidText, renderDiagrams, vpcFlowchart} from '../../src/endpoints/mermaid.js'
import {EXAMPLES} from './example-networks.js'
import {ACCOUNT, REGION, VPC, endpointSg, healthyVpc, interfaceEndpoint, s3Gateway, taskSg, workload} from './fixtures.js'

const here = fileURLToPath(new URL('.', import.meta.url))
const refuse = (): Promise<never> => Promise.reject(new Error('offline: no AWS call'))
const noAws: CheckClients = {ecs: refuse, ec2: refuse, route53: refuse}

/** The node ids a flowchart declares (`id[`, `id(`, `id{{`, `id((`), and the labels between double quotes. */
const nodes = (chart: string) => [...chart.matchAll(/^\s+([A-Za-z0-9_]+)(?:\[|\(|\{\{|>)"/gm)].map((m) => m[1]!)
const labels = (chart: string) => [...chart.matchAll(/"([^"]*)"/g)].map((m) => m[1]!)
/** The lines between `subgraph <id>` and its `end`, for a subgraph without nested ones. */
function inside(chart: string, id: string): string[] {
  const lines = chart.split('\n')
  const start = lines.findIndex((l) => l.trim().startsWith(`subgraph ${id} `))
  const end = lines.findIndex((l, i) => i > start && l.trim() === 'end')
  return lines.slice(start + 1, end)
}

describe('mermaidText', () => {
  it('escapes what would end or change a quoted label with entity codes, # first', () => {
    expect(mermaidText('say "hi" #1 <b> & `x`')).toBe('say #quot;hi#quot; #35;1 #lt;b#gt; #amp; #96;x#96;')
    expect(mermaidText('#quot;')).toBe('#35;quot;')
    expect(mermaidText('subnet-0a1 (private)')).toBe('subnet-0a1 (private)')
  })
})

describe('the drawing of each example (examples/*.json)', () => {
  it.each(Object.keys(EXAMPLES))('%s', async (name) => {
    const audit = EXAMPLES[name as keyof typeof EXAMPLES]()
    const {document, gathered} = await checkEndpoints(noAws, {region: audit.region, network: audit.network, offline: audit})
    const markdown = renderDiagrams(document.vpcs.map((report) => ({report, snapshot: gathered.gathered.snapshots.get(report.vpcId), region: audit.region}))).join('\n')
    await expect(markdown).toMatchFileSnapshot(join(here, '__diagrams__', `${name}.md`))
  })

  it('private-vpc-missing-ssmmessages: ssmmessages red and missing, ecr.dkr amber with its one AZ, the gateway on the three subnets, no internet', async () => {
    const audit = EXAMPLES['private-vpc-missing-ssmmessages']()
    const {document, gathered} = await checkEndpoints(noAws, {region: audit.region, offline: audit})
    const chart = vpcFlowchart({report: document.vpcs[0]!, snapshot: gathered.gathered.snapshots.get(document.vpcs[0]!.vpcId), region: audit.region})
    expect(chart).toContain('ep_ssmmessages("✖ ssmmessages<br>missing"):::error')
    expect(chart).toContain('ep_ecr_dkr("⚠ ecr.dkr<br>vpce-02b3c4d5e6f708192<br>AZ a<br>AZ_NOT_COVERED"):::warning')
    expect(chart).toContain('ep_sqs("· sqs<br>vpce-06f70819203142536<br>AZ a b"):::unused')
    expect(chart.split('\n').filter((l) => l.includes('-.-> gw_s3'))).toHaveLength(3)
    expect(chart).not.toContain('net_internet')
  })

  it('central-hub-s3-interface-only: the hub endpoints outside the VPC, one link to them, S3 interface-only in red', async () => {
    const audit = EXAMPLES['central-hub-s3-interface-only']()
    const {document, gathered} = await checkEndpoints(noAws, {region: audit.region, offline: audit})
    const chart = vpcFlowchart({report: document.vpcs[0]!, snapshot: gathered.gathered.snapshots.get(document.vpcs[0]!.vpcId), region: audit.region})
    expect(inside(chart, 'hub_central').map((l) => l.trim().split('(')[0])).toEqual(['ep_ecr_api', 'ep_ecr_dkr', 'ep_logs', 'ep_secretsmanager'])
    expect(chart).toContain('ep_ecr_dkr("✔ ecr.dkr<br>zone dkr.ecr.eu-central-1.amazonaws.com"):::ok')
    expect(chart).toContain('vpc_vpc_0c0ffee1234567890 -.->|private DNS| hub_central')
    expect(chart).toContain('gw_s3{{"✖ s3 gateway<br>vpce-0f1e2d3c4b5a69788 (interface only)<br>S3_INTERFACE_ONLY"}}:::error')
    expect(chart).not.toContain('eps_interface')
  })

  it('nat-vpc-task-failed-to-start: both subnets reach the internet through NAT; the gateway only from subnet a', async () => {
    const audit = EXAMPLES['nat-vpc-task-failed-to-start']()
    const {document, gathered} = await checkEndpoints(noAws, {region: audit.region, offline: audit})
    const chart = vpcFlowchart({report: document.vpcs[0]!, snapshot: gathered.gathered.snapshots.get(document.vpcs[0]!.vpcId), region: audit.region})
    expect(chart.split('\n').filter((l) => l.includes('-->|NAT| net_internet')).map((l) => l.trim().split(' ')[0])).toEqual(['sn_subnet_0b0b0b0b0b0b0b0b2', 'sn_subnet_0a0a0a0a0a0a0a0a1'])
    expect(chart.split('\n').filter((l) => l.includes('gw_s3') && l.includes('-.->')).map((l) => l.trim())).toEqual(['sn_subnet_0a0a0a0a0a0a0a0a1 -.-> gw_s3'])
    expect(chart).toContain('ep_secretsmanager("✖ secretsmanager<br>vpce-0123abcd4567ef890<br>AZ a b<br>SG_BLOCKS_443"):::error')
  })
})

describe('a subnet whose route table is not visible (shared through AWS RAM)', () => {
  it('is drawn as such, not as "no internet route"', () => {
    const report = {vpcId: VPC, subnets: [{subnetId: 'subnet-shared', availabilityZone: `${REGION}a`, internetRoute: 'unknown' as const}], findings: []}
    const chart = vpcFlowchart({report, region: REGION})
    expect(chart).toContain('sn_subnet_shared["subnet-shared<br>route table not visible"]:::subnet')
    expect(chart).not.toContain('no internet route')
  })
})

describe('a VPC of 6 task subnets and 12 endpoint services stays legible', () => {
  const azs = ['a', 'b', 'c']
  const subnets: Subnet[] = azs.flatMap((az, i) => [
    {SubnetId: `subnet-app-${az}`, VpcId: VPC, AvailabilityZone: `${REGION}${az}`, CidrBlock: `10.0.${i * 2}.0/24`, OwnerId: ACCOUNT, Tags: [{Key: 'Name', Value: `app "private" ${az}`}]},
    {SubnetId: `subnet-jobs-${az}`, VpcId: VPC, AvailabilityZone: `${REGION}${az}`, CidrBlock: `10.0.${i * 2 + 1}.0/24`, OwnerId: ACCOUNT, Tags: [{Key: 'Name', Value: `jobs ${az}`}]},
  ])
  const appTable: RouteTable = {RouteTableId: 'rtb-app', VpcId: VPC, Associations: azs.map((az) => ({SubnetId: `subnet-app-${az}`})), Routes: [{DestinationCidrBlock: '10.0.0.0/16', GatewayId: 'local'}]}
  const jobsTable: RouteTable = {
    RouteTableId: 'rtb-jobs',
    VpcId: VPC,
    Associations: azs.map((az) => ({SubnetId: `subnet-jobs-${az}`})),
    Routes: [{DestinationCidrBlock: '10.0.0.0/16', GatewayId: 'local'}, {DestinationCidrBlock: '0.0.0.0/0', NatGatewayId: 'nat-1'}],
  }
  const all = subnets.map((s) => s.SubnetId!)
  const services = ['ecr.api', 'ecr.dkr', 'logs', 'secretsmanager', 'ssm', 'ssmmessages', 'kms', 'ecs', 'ecs-agent', 'ecs-telemetry', 'elasticfilesystem']
  const snapshot = healthyVpc({
    subnets,
    routeTables: [appTable, jobsTable],
    endpoints: [
      ...services.filter((s) => s !== 'ssmmessages').map((s) => interfaceEndpoint(s, {SubnetIds: s === 'kms' ? ['subnet-app-a'] : all, PrivateDnsEnabled: s !== 'ssm'})),
      s3Gateway({RouteTableIds: ['rtb-app']}),
    ],
    securityGroups: [taskSg, endpointSg],
  })
  const {report} = auditVpc(snapshot, [workload([...services, 's3'], {name: 'app', subnetIds: all.filter((s) => s.includes('app'))}), workload(['ecr.api', 'ecr.dkr', 's3', 'logs'], {name: 'jobs', subnetIds: all.filter((s) => s.includes('jobs'))})])
  const chart = vpcFlowchart({report, snapshot, region: REGION})

  it('has the 6 subnets grouped by AZ, two to a box', () => {
    expect(report.subnets).toHaveLength(6)
    for (const az of azs) expect(inside(chart, `az_eu_west_1${az}`).map((l) => l.trim().split('[')[0])).toEqual([`sn_subnet_app_${az}`, `sn_subnet_jobs_${az}`])
  })

  it('has one node per endpoint service (12), whatever number of workloads needs it', () => {
    const endpointNodes = nodes(chart).filter((id) => /^(ep|gw)_/.test(id))
    expect(endpointNodes.sort()).toEqual([...services.map((s) => `ep_${s.replace(/\W/g, '_')}`), 'gw_s3'].sort())
    expect(new Set(nodes(chart)).size).toBe(nodes(chart).length)
  })

  it('keeps the links few: one per AZ to the endpoints, one per subnet on the S3 gateway or to the NAT', () => {
    const links = chart.split('\n').filter((l) => /-->|-\.->/.test(l))
    expect(links).toHaveLength(3 + 3 + 3)
    expect(links.filter((l) => l.includes('gw_s3')).map((l) => l.trim().split(' ')[0])).toEqual(['sn_subnet_app_a', 'sn_subnet_app_b', 'sn_subnet_app_c'])
    expect(links.filter((l) => l.includes('|NAT|'))).toHaveLength(3)
  })

  it('marks the broken ones red with their problem code, and escapes a quoted Name tag', () => {
    expect(chart).toContain('ep_ssmmessages("✖ ssmmessages<br>missing"):::error')
    expect(chart).toMatch(/ep_ssm\("✖ ssm<br>vpce-ssm<br>AZ a b c<br>PRIVATE_DNS_DISABLED"\):::error/)
    expect(chart).toContain('ep_kms("⚠ kms<br>vpce-kms<br>AZ a<br>AZ_NOT_COVERED"):::warning')
    expect(chart).toContain('subnet-app-a<br>app #quot;private#quot; a<br>rtb-app<br>no internet route')
  })

  it('uses only ids Mermaid reads as plain ids, and labels without a raw quote', () => {
    for (const id of nodes(chart)) {
      expect(id).toMatch(/^[a-z]+_[A-Za-z0-9_]+$/)
      expect(id).not.toBe('end')
    }
    for (const text of labels(chart)) expect(text.replace(/<br>/g, "")).not.toMatch(/["<>]|#(?!(35|quot|amp|lt|gt|96);)/)
  })

  it('matches the recorded drawing', async () => {
    await expect(chart).toMatchFileSnapshot(join(here, '__diagrams__', 'six-subnets-twelve-endpoints.mmd'))
  })
})
