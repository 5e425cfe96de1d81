import {spawn} from 'node:child_process'

import type {AwsClients} from '../aws/clients.js'
import type {RegionSource} from '../aws/region.js'
import type {Settings} from '../config/settings.js'
import {AwsCallError} from '../errors.js'
import {ExitCode} from '../exit-codes.js'
import type {Ui} from '../ui/output.js'
import {checkReport} from './checks.js'
import {gatherExecFacts, type NetworkAuditor} from './facts.js'
import type {ExecCheckReport} from './model.js'
import {loadNetworkAuditor} from './network.js'
import {ssmmessagesRoute} from './reach.js'
import {resolveTarget, type ExecTarget, type TargetWanted} from './pick.js'
import {clusterNameOf, clusterOfTaskArn, serviceNameOf} from '../aws/arn.js'
import {probePlugin, type PluginProbe} from './plugin.js'
import {openSession, type SessionDeps, type SessionResult} from './session.js'
import type {ForwardSpec} from './forward.js'
import {ensureLocalPortFree, openForward, type ForwardResult} from './forward-session.js'

/** The feature entry points the two commands call. */

export interface ExecContext {
  ui: Ui
  aws(): Promise<AwsClients>
  region(): Promise<RegionSource>
}

/** The container asked for: --container and ECSOPS_CONTAINER beat the config file's exec.container, which beats its container. */
export function wantedContainer(settings: Pick<Settings, 'sources' | 'container' | 'exec'>): string | undefined {
  const explicit = settings.sources.container === '--container' || settings.sources.container === 'ECSOPS_CONTAINER'
  return explicit ? settings.container : (settings.exec.container ?? settings.container)
}

export async function execSession(ctx: ExecContext, wanted: TargetWanted, options: {command?: string; check: boolean}): Promise<SessionResult> {
  return withTarget(ctx, wanted, (target, deps) => openSession(ctx.ui, target, options, deps))
}

/** `ecsops exec port-forward`: a taken local port is said before any AWS call, and again just before StartSession. */
export async function portForwardSession(ctx: ExecContext, wanted: TargetWanted, spec: ForwardSpec, options: {check: boolean}): Promise<ForwardResult> {
  await ensureLocalPortFree(spec.localPort)
  return withTarget(ctx, wanted, (target, deps, aws) => openForward(ctx.ui, target, spec, options, {...deps, endpointUrl: () => aws.ssmEndpointUrl()}))
}

/** Picks the target (the plugin's version probed meanwhile), then opens a session into it with the real clients, process and plugin. */
async function withTarget<T>(ctx: ExecContext, wanted: TargetWanted, open: (target: ExecTarget, deps: SessionDeps, aws: AwsClients) => Promise<T>): Promise<T> {
  const aws = await ctx.aws()
  const ecs = await aws.ecs()
  const {pickOne} = await import('../ui/prompt.js')
  const probing = new AbortController()
  const probe = probePlugin(undefined, probing.signal)
  probe.catch(() => {})
  try {
    const target = await resolveTarget(ecs, ctx.ui, wanted, pickOne)
    const deps: SessionDeps = {
      ecs,
      ssm: () => aws.ssm(),
      region: aws.region,
      profile: aws.profile ?? process.env.AWS_PROFILE,
      endpointUrl: () => aws.ecsEndpointUrl(),
      credentials: () => aws.credentials(),
      probe: () => probe,
      route: (task) => ssmmessagesRoute({ec2: () => aws.ec2(), route53: () => aws.route53(), auditNetwork: loadNetworkAuditor, region: aws.region}, task),
      spawn,
      signals: process,
      env: process.env,
    }
    return await open(target, deps, aws)
  } catch (error) {
    throw namedNotFound(error, wanted, aws.region)
  } finally {
    // A probe still running (bad input found first) must not keep the process alive.
    probing.abort()
  }
}

/**
 * ECS's messages for an unknown cluster or service ("Cluster not found.", "Service not found.")
 * do not say which: the error names it, with the region and how to list the candidates.
 */
export function namedNotFound(error: unknown, wanted: TargetWanted, region: string): unknown {
  const name = (error as Error | undefined)?.name
  const cluster = wanted.cluster ?? (wanted.task ? clusterOfTaskArn(wanted.task) : undefined)
  if (name === 'ClusterNotFoundException' && cluster) {
    return new AwsCallError(`Cluster ${clusterNameOf(cluster)} not found in ${region} (ClusterNotFoundException).`, {
      code: 'ClusterNotFoundException',
      cause: error,
      hint: `Check the cluster name and the region: \`aws ecs list-clusters --region ${region}\` lists the clusters there.`,
    })
  }
  if (name === 'ServiceNotFoundException' && wanted.service && cluster) {
    return new AwsCallError(`Service ${serviceNameOf(wanted.service)} not found in cluster ${clusterNameOf(cluster)} (ServiceNotFoundException).`, {
      code: 'ServiceNotFoundException',
      cause: error,
      hint: `Check the service name: \`aws ecs list-services --cluster ${clusterNameOf(cluster)} --region ${region}\` lists the services of the cluster.`,
    })
  }
  return error
}

export interface CheckDeps {
  probe?: () => Promise<PluginProbe>
  auditNetwork?: NetworkAuditor
  platform?: NodeJS.Platform
  /** Also check what `ecsops exec port-forward` needs (--port-forward). */
  portForward?: boolean
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
  } catch (error) {
    throw namedNotFound(error, wanted, region.region)
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
    portForward: deps.portForward,
  })
  progress.stop()
  if (!facts.task.ok && (facts.task.code === 'ClusterNotFoundException' || facts.task.code === 'ServiceNotFoundException')) {
    throw namedNotFound(Object.assign(new Error(facts.task.message), {name: facts.task.code}), {...wanted, cluster}, region.region)
  }
  if (!facts.task.ok && (facts.task.code === 'MISSING' || facts.task.code === 'InvalidParameterException')) {
    throw new AwsCallError(`${facts.task.message.charAt(0).toUpperCase()}${facts.task.message.slice(1)}.`, {
      code: 'TaskNotFound',
      hint:
        wanted.service && !wanted.task
          ? `Start a task in service ${serviceNameOf(wanted.service)}, or pass --task.`
          : 'Check the task id and the cluster; a task stopped more than about an hour ago is no longer described.',
    })
  }
  const report = checkReport(facts, {cluster, task: wanted.task ?? described?.taskArn ?? wanted.service ?? ''}, deps.platform, {portForward: deps.portForward})
  return {report, exitCode: report.summary.fail > 0 ? ExitCode.PROBLEMS : ExitCode.OK}
}
