import {spawn} from 'node:child_process'

import type {AwsClients} from '../aws/clients.js'
import type {RegionSource} from '../aws/region.js'
import {AwsCallError} from '../errors.js'
import {ExitCode} from '../exit-codes.js'
import type {Ui} from '../ui/output.js'
import {checkReport} from './checks.js'
import {gatherExecFacts, type NetworkAuditor} from './facts.js'
import type {ExecCheckReport} from './model.js'
import {loadNetworkAuditor} from './network.js'
import {clusterOfTaskArn, resolveTarget, serviceNameOf, type TargetWanted} from './pick.js'
import {clusterNameOf, probePlugin, type PluginProbe} from './plugin.js'
import {openSession, type SessionResult} from './session.js'

/** The feature entry points the two commands call. */

export interface ExecContext {
  ui: Ui
  aws(): Promise<AwsClients>
  region(): Promise<RegionSource>
}

export async function execSession(ctx: ExecContext, wanted: TargetWanted, options: {command?: string; check: boolean}): Promise<SessionResult> {
  const aws = await ctx.aws()
  const ecs = await aws.ecs()
  const {pickOne} = await import('../ui/prompt.js')
  const probing = new AbortController()
  const probe = probePlugin(undefined, probing.signal)
  probe.catch(() => {})
  try {
    const target = await resolveTarget(ecs, ctx.ui, wanted, pickOne)
    return await openSession(ctx.ui, target, options, {
      ecs,
      ssm: () => aws.ssm(),
      region: aws.region,
      profile: aws.profile ?? process.env.AWS_PROFILE,
      endpointUrl: () => aws.ecsEndpointUrl(),
      credentials: () => aws.credentials(),
      probe: () => probe,
      spawn,
      signals: process,
      env: process.env,
    })
  } catch (error) {
    // ECS's message ("Cluster not found.") does not say which: name it.
    const cluster = wanted.cluster ?? (wanted.task ? clusterOfTaskArn(wanted.task) : undefined)
    if ((error as Error).name === 'ClusterNotFoundException' && cluster) {
      throw new AwsCallError(`Cluster ${clusterNameOf(cluster)} not found in ${aws.region} (ClusterNotFoundException).`, {
        code: 'ClusterNotFoundException',
        cause: error,
        hint: `Check the cluster name and the region: \`aws ecs list-clusters --region ${aws.region}\` lists the clusters there.`,
      })
    }
    throw error
  } finally {
    // A probe still running (bad input found first) must not keep the process alive.
    probing.abort()
  }
}

export interface CheckDeps {
  probe?: () => Promise<PluginProbe>
  auditNetwork?: NetworkAuditor
  platform?: NodeJS.Platform
}

/** `ecsops exec check`: the report, and exit 1 when any check fails. */
export async function execCheck(ctx: ExecContext, wanted: TargetWanted, deps: CheckDeps = {}): Promise<{report: ExecCheckReport; exitCode: number}> {
  const region = await ctx.region()
  const aws = await ctx.aws()
  const probing = new AbortController()
  const probeP = (deps.probe ?? (() => probePlugin(undefined, probing.signal)))()
  probeP.catch(() => {})
  try {
    return await checkTask(ctx, wanted, region, aws, probeP, deps)
  } finally {
    // A probe still running (bad input found before the gathering) must not keep the process alive.
    probing.abort()
  }
}

async function checkTask(ctx: ExecContext, wanted: TargetWanted, region: RegionSource, aws: AwsClients, probeP: Promise<PluginProbe>, deps: CheckDeps): Promise<{report: ExecCheckReport; exitCode: number}> {
  let cluster = wanted.cluster ?? (wanted.task ? clusterOfTaskArn(wanted.task) : undefined)
  let described
  if (!cluster || (!wanted.task && !wanted.service)) {
    // Not enough to go on: pick like `ecsops exec` does (prompt in a terminal, else an error naming the flag).
    const {pickOne} = await import('../ui/prompt.js')
    const target = await resolveTarget(await aws.ecs(), ctx.ui, {...wanted, container: undefined}, pickOne, {requireExec: false})
    described = target.task
    cluster = target.clusterArn
  }
  const auditNetwork = deps.auditNetwork ?? (await loadNetworkAuditor())
  const progress = ctx.ui.spinner('Checking ECS Exec prerequisites…')
  const facts = await gatherExecFacts(aws, {
    region: {name: region.region, source: region.source},
    cluster,
    task: wanted.task,
    service: wanted.service ? serviceNameOf(wanted.service) : undefined,
    described,
    probe: () => probeP,
    auditNetwork,
  })
  progress.stop()
  if (!facts.task.ok && (facts.task.code === 'MISSING' || facts.task.code === 'ClusterNotFoundException' || facts.task.code === 'InvalidParameterException')) {
    const clusterMissing = facts.task.code === 'ClusterNotFoundException'
    throw new AwsCallError(clusterMissing ? `Cluster ${cluster} not found: ${facts.task.message}` : `${facts.task.message.charAt(0).toUpperCase()}${facts.task.message.slice(1)}.`, {
      code: clusterMissing ? 'ClusterNotFoundException' : 'TaskNotFound',
      hint: clusterMissing ? `Check the cluster name and the region (${region.region}).` : 'Check the task id and the cluster; a task stopped more than about an hour ago is no longer described.',
    })
  }
  const report = checkReport(facts, {cluster, task: wanted.task ?? described?.taskArn ?? wanted.service ?? ''}, deps.platform)
  return {report, exitCode: report.summary.fail > 0 ? ExitCode.PROBLEMS : ExitCode.OK}
}
