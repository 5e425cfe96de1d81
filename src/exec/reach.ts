import type {EC2Client} from '@aws-sdk/client-ec2'
import type {Task} from '@aws-sdk/client-ecs'
import type {Route53Client} from '@aws-sdk/client-route-53'

import {ssmmessagesRouteCheck} from './checks.js'
import {describeTaskEni, eniAttachmentOf, type NetworkAuditor} from './facts.js'
import type {CheckResult} from './model.js'

/**
 * The pre-flight's route to ssmmessages (`ecsops exec`, `exec port-forward`): the task's ENI, then
 * the endpoint audit of check-endpoints (src/endpoints/api.ts auditNetwork) asked about ssmmessages
 * only, then the verdict `exec check` gives (ssmmessagesRouteCheck). Without that route the SSM
 * agent in the task cannot open its channels and session-manager-plugin fails after the session
 * was created (ECS Exec page, "Using interface Amazon VPC endpoints with ECS Exec").
 */

/** What the pre-flight learned: a verdict, or a note saying why there is none (never an error: the pre-flight must not block on its own reads). */
export type RouteVerdict = {check: CheckResult} | {note: string; level: 'warn' | 'info'}

export interface RouteDeps {
  ec2: () => Promise<EC2Client>
  route53: () => Promise<Route53Client>
  auditNetwork: () => Promise<NetworkAuditor>
  region: string
  /** How long the pre-flight waits for the verdict before going on without it (ms). */
  budgetMs?: number
}

/** ms: the audit is 3–4 rounds of EC2 reads (about 1 s); the session is not held up much longer than that. */
export const ROUTE_BUDGET_MS = 2500

const DENIED = /AccessDenied|UnauthorizedOperation|not authorized/i

export async function ssmmessagesRoute(deps: RouteDeps, task: Task): Promise<RouteVerdict | undefined> {
  const eni = eniAttachmentOf(task)
  // bridge/host networking on EC2: the instance's network, which `exec check` reads (three more reads).
  if (!eni?.eniId) return undefined
  const work = (async (): Promise<RouteVerdict> => {
    const ec2 = await deps.ec2()
    const network = await describeTaskEni(ec2, task, eni as {eniId: string; subnetId?: string})
    const audit = await deps.auditNetwork()
    const report = await audit(
      {ec2, route53: await deps.route53()},
      {region: deps.region, network: {vpcId: network.vpcId, subnetIds: network.subnetIds, securityGroupIds: network.securityGroupIds}, needs: [{service: 'ssmmessages', reason: 'ECS Exec sessions'}]},
    )
    return {check: ssmmessagesRouteCheck(network, report, deps.region).check}
  })().catch((error: unknown): RouteVerdict => {
    const e = error as {name?: string; message?: string}
    const why = `${e.name ?? 'Error'}: ${(e.message ?? String(error)).split('\n')[0].replace(/\.$/, '')}`
    const hint = DENIED.test(why) ? ' (`ecsops iam-policy exec` lists the ec2:Describe* reads it needs)' : ''
    return {level: 'warn', note: `The route to ssmmessages was not checked${hint}: ${why}. Going on.`}
  })
  const budget = deps.budgetMs ?? ROUTE_BUDGET_MS
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<RouteVerdict>((resolve) => {
    timer = setTimeout(() => resolve({level: 'info', note: `The route to ssmmessages was not verified within ${budget / 1000} s; going on without it.`}), budget)
    timer.unref?.()
  })
  try {
    return await Promise.race([work, late])
  } finally {
    clearTimeout(timer)
  }
}
