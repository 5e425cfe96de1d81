/**
 * The endpoint audit as other features use it (exec check: the ssmmessages/kms verdict;
 * migrate: explain a task that failed to start). Stable: add, never change these signatures.
 */
import type {EC2Client} from '@aws-sdk/client-ec2'
import type {Route53Client} from '@aws-sdk/client-route-53'

import {auditVpc} from './audit.js'
import {findingsExplaining as explain} from './explain.js'
import {requiredEndpoints as derive, type NeedsInput} from './needs.js'
import {renderFindingLines as render} from './render.js'
import type {EndpointNeed, Finding, NetworkTarget, VpcReport} from './types.js'

export type {ECSClient} from '@aws-sdk/client-ecs'
export type {NeedsInput} from './needs.js'
export type {EndpointNeed, EndpointServiceKey, Finding, NetworkTarget, Problem, SubnetRoute, VpcReport} from './types.js'

/** Pure: what a task definition (+ its service, launch type, cluster exec KMS key) needs. */
export function requiredEndpoints(input: NeedsInput): EndpointNeed[] {
  return derive(input)
}

/**
 * Gathers (EC2 + optional Route 53 calls) and audits one network for the given needs.
 * With `network.subnetIds` empty and a `vpcId`, every subnet of the VPC counts as a task subnet.
 * Unused endpoints of the VPC are not reported here (only the needs given are audited).
 */
export async function auditNetwork(clients: {ec2: EC2Client; route53?: Route53Client}, input: {region: string; network: NetworkTarget; needs: EndpointNeed[]}): Promise<VpcReport> {
  const {gatherNetworks} = await import('./gather.js')
  const gathered = await gatherNetworks(clients, {region: input.region, targets: [input.network], services: [...new Set(input.needs.map((n) => n.service))]})
  const target = gathered.targets[0]!
  const snapshot = gathered.snapshots.get(target.vpcId)
  if (!snapshot) return {vpcId: target.vpcId, subnets: [], findings: []}
  const {report} = auditVpc(snapshot, [{subnetIds: target.subnetIds, securityGroupIds: target.securityGroupIds, needs: input.needs}], {reportUnused: false})
  return report
}

/** Pure: the findings that explain a stoppedReason such as "ResourceInitializationError: unable to pull secrets or registry auth ..." / "CannotPullContainerError ... i/o timeout" / awslogs "failed to create Cloudwatch log stream"; empty when none does. */
export function findingsExplaining(stoppedReason: string, findings: Finding[]): Finding[] {
  return explain(stoppedReason, findings)
}

/** Human lines for findings (for other commands to print under an error). */
export function renderFindingLines(findings: Finding[]): string[] {
  return render(findings)
}
