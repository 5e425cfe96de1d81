/**
 * Each audited VPC as a Mermaid flowchart, for --markdown (pull request comments and the GitHub
 * step summary render it): the task subnets grouped by Availability Zone with their default
 * route, one node per endpoint service (red when missing or broken, with the problem codes), the
 * S3 gateway linked from the subnets whose route tables carry it, and the endpoints a hub VPC
 * serves through Route 53 private hosted zones in a box outside the VPC, reached by one link. Pure.
 *
 * Syntax followed (Mermaid "Flowcharts - Basic Syntax", https://mermaid.js.org/syntax/flowchart.html):
 * - labels are double-quoted and escaped with entity codes (`#quot;`, `#35;` for `#`, HTML
 *   names such as `#lt;`); a label starting with a backtick would be a Markdown string, so
 *   backticks are escaped too; line breaks are `<br>`;
 * - node ids are generated from [A-Za-z0-9_] with a prefix (`sn_`, `ep_` …), so an id is never
 *   the word `end` (which breaks a flowchart) and never starts with `o` or `x` right after a link
 *   (`A---oB` would draw a circle edge);
 * - `subgraph id ["title"]` … `end`, edges to a subgraph (flowchart only), `classDef` + `:::`.
 */
import {routeTableOf} from './audit.js'
import {markOf} from './render.js'
import type {VpcSnapshot} from './snapshot.js'
import type {Finding, SubnetRoute, VpcReport} from './types.js'

export interface DiagramInput {
  report: VpcReport
  /** What was gathered for the VPC: names, route tables, endpoint subnets, hosted zones. */
  snapshot?: VpcSnapshot
  region: string
}

/** Text for inside a double-quoted Mermaid label (entity codes, never raw `"`, `#`, `<`, `>`, `&`, backtick). */
export function mermaidText(text: string): string {
  return text.replace(/#/g, '#35;').replace(/&/g, '#amp;').replace(/"/g, '#quot;').replace(/</g, '#lt;').replace(/>/g, '#gt;').replace(/`/g, '#96;')
}

const label = (lines: Array<string | undefined>) => `"${lines.filter((l): l is string => Boolean(l)).map(mermaidText).join('<br>')}"`

/** A generator of unique, safe node ids: `prefix_` + the name with every other character as `_`. */
function idMaker(): (prefix: string, name: string) => string {
  const used = new Map<string, string>()
  const taken = new Set<string>()
  return (prefix, name) => {
    const key = `${prefix}\u0000${name}`
    const known = used.get(key)
    if (known) return known
    const base = `${prefix}_${name.replace(/[^A-Za-z0-9]/g, '_')}`
    let id = base
    for (let n = 2; taken.has(id); n++) id = `${base}_${n}`
    taken.add(id)
    used.set(key, id)
    return id
  }
}

const CLASSES = [
  'classDef ok fill:#e6f4ea,stroke:#1e8e3e,color:#0d3d1a',
  'classDef error fill:#fce8e6,stroke:#d93025,color:#5c0b05,stroke-width:2px',
  'classDef warning fill:#fef7e0,stroke:#e37400,color:#4d2c00',
  'classDef unused fill:#f1f3f4,stroke:#9aa0a6,color:#3c4043,stroke-dasharray:4 4',
  'classDef subnet fill:#e8f0fe,stroke:#1a73e8,color:#0b2f66',
  'classDef outside fill:#ffffff,stroke:#5f6368,color:#202124',
]

function classOf(f: Finding): string {
  if (f.status === 'unused') return 'unused'
  if (f.status === 'ok') return 'ok'
  return f.severity === 'error' ? 'error' : f.severity === 'warning' ? 'warning' : 'ok'
}

const ROUTE: Record<SubnetRoute['internetRoute'], string> = {nat: 'default route: NAT', igw: 'default route: internet gateway', none: 'no internet route', unknown: 'route table not visible'}

/** `eu-west-1a` → `1a` (the AZ's letter is what differs); another name stays whole. */
const shortAz = (az: string, region: string) => (az.startsWith(region) && az.length > region.length ? az.slice(region.length) : az)

function nameTag(tags: Array<{Key?: string; Value?: string}> | undefined): string | undefined {
  return tags?.find((t) => t.Key === 'Name')?.Value || undefined
}

/** The lines of one endpoint service's node: mark and service, where it is, its AZs or route tables, its problems. */
function endpointLines(f: Finding, input: DiagramInput): string[] {
  const endpoint = f.endpointId ? input.snapshot?.endpoints.find((e) => e.VpcEndpointId === f.endpointId) : undefined
  const lines = [`${markOf(f)} ${f.service}${f.type === 'Gateway' ? ' gateway' : ''}`]
  if (f.provider === 'central') {
    const zone = input.snapshot?.hostedZones?.find((z) => z.id === f.hostedZoneId)
    lines.push(`zone ${zone?.name ?? f.hostedZoneId ?? '?'}`)
  } else if (f.endpointId) lines.push(endpoint?.VpcEndpointType && endpoint.VpcEndpointType !== f.type ? `${f.endpointId} (${endpoint.VpcEndpointType.toLowerCase()} only)` : f.endpointId)
  else lines.push(f.status)
  if (endpoint && f.type === 'Interface') {
    const azs = [...new Set((endpoint.SubnetIds ?? []).map((id) => input.snapshot?.subnets.find((s) => s.SubnetId === id)?.AvailabilityZone ?? '?'))].sort()
    if (azs.length > 0) lines.push(`AZ ${azs.map((az) => shortAz(az, input.region)).join(' ')}`)
  }
  if (endpoint && f.type === 'Gateway' && endpoint.VpcEndpointType === 'Gateway') lines.push((endpoint.RouteTableIds ?? []).join(' ') || 'no route table')
  const codes = [...new Set(f.problems.map((p) => p.code))].filter((c) => !(c === 'MISSING' && f.status === 'missing') && !(c === 'UNUSED' && f.status === 'unused'))
  for (let i = 0; i < codes.length; i += 2) lines.push(codes.slice(i, i + 2).join(' '))
  return lines
}

/** The flowchart of one VPC (the text inside a ```mermaid fence). */
export function vpcFlowchart(input: DiagramInput): string {
  const {report, snapshot} = input
  const id = idMaker()
  const out = ['flowchart LR', `  subgraph ${id('vpc', report.vpcId)} [${label([`VPC ${report.vpcId}`])}]`]
  const edges: string[] = []

  const byAz = new Map<string, SubnetRoute[]>()
  for (const s of report.subnets) byAz.set(s.availabilityZone, [...(byAz.get(s.availabilityZone) ?? []), s])
  const azs = [...byAz.keys()].sort()
  for (const az of azs) {
    out.push(`    subgraph ${id('az', az)} [${label([az])}]`)
    for (const s of byAz.get(az)!) {
      const subnet = snapshot?.subnets.find((x) => x.SubnetId === s.subnetId)
      const table = snapshot ? routeTableOf(snapshot, s.subnetId) : undefined
      const via = table?.table?.RouteTableId ? `${table.table.RouteTableId}${table.main ? ' (main)' : ''}` : undefined
      out.push(`      ${id('sn', s.subnetId)}[${label([s.subnetId, nameTag(subnet?.Tags), via, ROUTE[s.internetRoute]])}]:::subnet`)
    }
    out.push('    end')
  }

  const central = report.findings.filter((f) => f.provider === 'central')
  const interfaces = report.findings.filter((f) => f.type === 'Interface' && f.provider !== 'central')
  const gateways = report.findings.filter((f) => f.type === 'Gateway' && f.provider !== 'central')
  if (interfaces.length > 0) {
    out.push(`    subgraph ${id('eps', 'interface')} [${label(['Interface endpoints in this VPC'])}]`)
    for (const f of interfaces) out.push(`      ${id('ep', f.service)}(${label(endpointLines(f, input))}):::${classOf(f)}`)
    out.push('    end')
    for (const az of azs) edges.push(`  ${id('az', az)} --> ${id('eps', 'interface')}`)
  }
  for (const f of gateways) {
    out.push(`    ${id('gw', f.service)}{{${label(endpointLines(f, input))}}}:::${classOf(f)}`)
    const endpoint = f.endpointId ? snapshot?.endpoints.find((e) => e.VpcEndpointId === f.endpointId) : undefined
    const tables = new Set(endpoint?.RouteTableIds ?? [])
    for (const s of report.subnets) {
      const table = snapshot ? routeTableOf(snapshot, s.subnetId).table?.RouteTableId : undefined
      if (table && tables.has(table)) edges.push(`  ${id('sn', s.subnetId)} -.-> ${id('gw', f.service)}`)
    }
  }
  out.push('  end')

  const toInternet = report.subnets.filter((s) => s.internetRoute !== 'none')
  if (toInternet.length > 0) {
    out.push(`  ${id('net', 'internet')}((${label(['internet'])})):::outside`)
    for (const s of toInternet) edges.push(`  ${id('sn', s.subnetId)} -->|${s.internetRoute === 'nat' ? 'NAT' : 'IGW'}| ${id('net', 'internet')}`)
  }
  // Endpoints found through a Route 53 private hosted zone live in another (hub) VPC: drawn outside, reached by one link.
  if (central.length > 0) {
    out.push(`  subgraph ${id('hub', 'central')} [${label(['Endpoints in a hub VPC, via Route 53 private hosted zones'])}]`)
    for (const f of central) out.push(`    ${id('ep', f.service)}(${label(endpointLines(f, input))}):::${classOf(f)}`)
    out.push('  end')
    edges.push(`  ${id('vpc', report.vpcId)} -.->|private DNS| ${id('hub', 'central')}`)
  }
  return [...out, ...edges, ...CLASSES.map((c) => `  ${c}`)].join('\n')
}

/** The Markdown of every VPC's drawing: a heading, the fenced flowchart, and a one-line key. */
export function renderDiagrams(inputs: DiagramInput[]): string[] {
  if (inputs.length === 0) return []
  const out: string[] = []
  for (const input of inputs) out.push(`### Network of ${input.report.vpcId}`, '', '```mermaid', vpcFlowchart(input), '```', '')
  out.push('Red: missing or broken (with its problem codes); amber: a warning or what could not be verified; green: ok; grey, dashed: no audited service needs it.', '')
  return out
}
