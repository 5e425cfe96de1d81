import type {EC2Client} from '@aws-sdk/client-ec2'
import type {Task, TaskDefinition} from '@aws-sdk/client-ecs'
import type {Route53Client} from '@aws-sdk/client-route-53'

import type {AwsClients} from '../aws/clients.js'
import {principalOf} from '../aws/identity.js'
import {execLogGroups, LOGS_ACTIONS, SSMMESSAGES_ACTIONS} from './checks.js'
import type {ClusterFacts, Decisions, ExecFacts, Fact, NetworkReport, RoleFacts, TaskNetwork} from './model.js'
import {clusterNameOf} from '../aws/arn.js'
import type {PluginProbe} from './plugin.js'
import {documentArn, FORWARD_DOCUMENTS} from './forward.js'

/**
 * The I/O of `exec check`: every AWS call, each started as soon as what it needs is known, so
 * the calls form at most four sequential rounds on the usual paths:
 *   1. sts:GetCallerIdentity, ecs:DescribeClusters, ecs:DescribeTasks (and the plugin's --version)
 *   2. ecs:DescribeTaskDefinition, ecs:DescribeContainerInstances, kms:DescribeKey, iam:ListRoles,
 *      ec2:DescribeNetworkInterfaces
 *   3. iam:SimulatePrincipalPolicy (caller and role; with --port-forward also one per
 *      port-forwarding document), the endpoint audit (3–4)
 * With --service, round 1 is ecs:ListTasks + ecs:DescribeServices: the endpoint audit starts in
 * round 2 from the service's network configuration, so the total stays at four. EC2 tasks on
 * bridge/host networking without a task role also stay at four: ec2:DescribeInstances in round 3
 * (after ecs:DescribeContainerInstances), its instance profile mapped to the role through
 * iam:ListInstanceProfiles listed beside it, the simulator in round 4 (five rounds only when the
 * profile is not on the first page of that list, or the list is denied: iam:GetInstanceProfile).
 */

/** The clients exec check calls (the AWS layer's factory, or mocks in tests). */
export type ExecCheckClients = Pick<AwsClients, 'ecs' | 'ec2' | 'iam' | 'sts' | 'kms' | 'route53'>

export interface NetworkAuditInput {
  region: string
  network: {vpcId?: string; subnetIds: string[]; securityGroupIds: string[]}
  needs: Array<{service: string; reason: string}>
}

/** The endpoint audit of `ecsops check-endpoints` (src/endpoints/api.ts), injected. */
export type NetworkAuditor = (clients: {ec2: EC2Client; route53: Route53Client}, input: NetworkAuditInput) => Promise<NetworkReport>

export interface GatherOptions {
  region: {name: string; source: string}
  cluster: string
  /** A task id or ARN; or a service whose newest RUNNING task is checked. */
  task?: string
  service?: string
  /** A task already described (by the picker): saves a round. */
  described?: Task
  probe: () => Promise<PluginProbe>
  auditNetwork: NetworkAuditor
  /** Also simulate what `ecsops exec port-forward` needs (exec check --port-forward). */
  portForward?: boolean
}

function errorFact(error: unknown): {ok: false; code: string; message: string} {
  const e = error as {name?: string; message?: string}
  return {ok: false, code: e.name ?? 'Error', message: (e.message ?? String(error)).split('\n')[0]}
}

async function fact<T>(work: () => Promise<T>): Promise<Fact<T>> {
  try {
    return {ok: true, value: await work()}
  } catch (error) {
    return errorFact(error)
  }
}

/** `arn:aws:ecs:eu-west-1:123:task/…` → {partition: 'aws', account: '123'}. */
function arnParts(arn: string): {partition: string; account: string} {
  const [, partition = 'aws', , , account = ''] = arn.split(':')
  return {partition, account}
}

/** The task's awsvpc network interface: found by attachment type, not position (Service Connect and EBS attachments may come first). */
export function eniAttachmentOf(task: Task): {eniId?: string; subnetId?: string} | undefined {
  const attachment = (task.attachments ?? []).find((a) => a.type === 'ElasticNetworkInterface' || a.type === 'eni')
  if (!attachment) return undefined
  const detail = (name: string) => attachment.details?.find((d) => d.name === name)?.value
  return {eniId: detail('networkInterfaceId'), subnetId: detail('subnetId')}
}

export async function gatherExecFacts(clients: ExecCheckClients, options: GatherOptions): Promise<ExecFacts> {
  const {cluster} = options
  const ecs = await clients.ecs()
  const ecsSdk = await import('@aws-sdk/client-ecs')

  // Round 1
  const plugin = options.probe()
  const caller = fact(async () => {
    const {GetCallerIdentityCommand} = await import('@aws-sdk/client-sts')
    const out = await (await clients.sts()).send(new GetCallerIdentityCommand({}))
    return {arn: out.Arn ?? '', account: out.Account ?? '', userId: out.UserId ?? '', principalArn: principalOf(out.Arn ?? '')}
  })
  const clusterFact = fact<ClusterFacts>(async () => {
    const out = await ecs.send(new ecsSdk.DescribeClustersCommand({clusters: [cluster], include: ['CONFIGURATIONS']}))
    const c = out.clusters?.[0]
    if (!c) throw Object.assign(new Error(`cluster ${cluster} not found (${out.failures?.[0]?.reason ?? 'MISSING'})`), {name: 'ClusterNotFoundException'})
    const e = c.configuration?.executeCommandConfiguration
    return {
      arn: c.clusterArn ?? cluster,
      name: c.clusterName ?? clusterNameOf(cluster),
      exec: e
        ? {
            kmsKeyId: e.kmsKeyId,
            logging: e.logging,
            s3BucketName: e.logConfiguration?.s3BucketName,
            s3KeyPrefix: e.logConfiguration?.s3KeyPrefix,
            s3EncryptionEnabled: e.logConfiguration?.s3EncryptionEnabled,
            cloudWatchLogGroupName: e.logConfiguration?.cloudWatchLogGroupName,
            cloudWatchEncryptionEnabled: e.logConfiguration?.cloudWatchEncryptionEnabled,
          }
        : undefined,
    }
  })
  const task = fact<Task>(async () => {
    if (options.described) return options.described
    let wanted = options.task
    if (!wanted) {
      const listed = await ecs.send(new ecsSdk.ListTasksCommand({cluster, serviceName: options.service, desiredStatus: 'RUNNING'}))
      if (!listed.taskArns?.length) throw Object.assign(new Error(`no RUNNING task in service ${options.service}`), {name: 'MISSING'})
      const out = await ecs.send(new ecsSdk.DescribeTasksCommand({cluster, tasks: listed.taskArns.slice(0, 100)}))
      const newest = (out.tasks ?? []).filter((t) => t.lastStatus === 'RUNNING').sort((a, b) => new Date(b.startedAt ?? 0).getTime() - new Date(a.startedAt ?? 0).getTime())[0]
      if (newest) return newest
      wanted = listed.taskArns[0]
    }
    const out = await ecs.send(new ecsSdk.DescribeTasksCommand({cluster, tasks: [wanted]}))
    const t = out.tasks?.[0]
    if (!t) throw Object.assign(new Error(`task ${wanted} not found in cluster ${clusterNameOf(cluster)} (${out.failures?.[0]?.reason ?? 'MISSING'})`), {name: 'MISSING'})
    return t
  })

  // Round 2
  const taskDefinition = task.then((t) =>
    t.ok && t.value.taskDefinitionArn
      ? fact<TaskDefinition>(async () => {
          const out = await ecs.send(new ecsSdk.DescribeTaskDefinitionCommand({taskDefinition: t.value.taskDefinitionArn}))
          return out.taskDefinition ?? {}
        })
      : undefined,
  )
  const containerInstance = task.then((t) =>
    t.ok && t.value.containerInstanceArn
      ? fact(async () => {
          const out = await ecs.send(new ecsSdk.DescribeContainerInstancesCommand({cluster, containerInstances: [t.value.containerInstanceArn as string]}))
          const ci = out.containerInstances?.[0]
          const attribute = (name: string) => ci?.attributes?.find((a) => a.name === name)?.value
          return {agentVersion: ci?.versionInfo?.agentVersion, ec2InstanceId: ci?.ec2InstanceId, osType: attribute('ecs.os-type'), vpcId: attribute('ecs.vpc-id'), subnetId: attribute('ecs.subnet-id')}
        })
      : undefined,
  )
  const kmsKeyArn = clusterFact.then((c) =>
    c.ok && c.value.exec?.kmsKeyId
      ? fact(async () => {
          const {DescribeKeyCommand} = await import('@aws-sdk/client-kms')
          const out = await (await clients.kms()).send(new DescribeKeyCommand({KeyId: c.value.exec?.kmsKeyId}))
          return out.KeyMetadata?.Arn ?? (c.value.exec?.kmsKeyId as string)
        })
      : undefined,
  )
  const principal = caller.then(async (c) => {
    if (!c.ok) return undefined
    if (!/:assumed-role\//.test(c.value.arn)) return c.value.principalArn
    // The role's ARN may carry a path the session ARN lacks: find it by its id.
    const roleId = c.value.userId.split(':')[0]
    try {
      const {ListRolesCommand} = await import('@aws-sdk/client-iam')
      const iam = await clients.iam()
      let Marker: string | undefined
      do {
        const out = await iam.send(new ListRolesCommand({Marker, MaxItems: 1000}))
        const role = out.Roles?.find((r) => r.RoleId === roleId)
        if (role?.Arn) return role.Arn
        Marker = out.IsTruncated ? out.Marker : undefined
      } while (Marker)
    } catch {
      // Without iam:ListRoles, the role ARN without its path is the best guess.
    }
    return c.value.principalArn
  })
  const instance = containerInstance.then((ci) =>
    ci?.ok && ci.value.ec2InstanceId
      ? fact(async () => {
          const {DescribeInstancesCommand} = await import('@aws-sdk/client-ec2')
          const out = await (await clients.ec2()).send(new DescribeInstancesCommand({InstanceIds: [ci.value.ec2InstanceId as string]}))
          const i = out.Reservations?.[0]?.Instances?.[0]
          return {profileArn: i?.IamInstanceProfile?.Arn, profileId: i?.IamInstanceProfile?.Id, securityGroupIds: (i?.SecurityGroups ?? []).map((g) => g.GroupId ?? '').filter(Boolean), publicIp: Boolean(i?.PublicIpAddress)}
        })
      : undefined,
  )

  // On EC2 without a task role, the instance role is the one to check: the account's instance
  // profiles (first page) are listed beside ec2:DescribeInstances, as soon as the task definition
  // shows no task role, so that the instance's profile maps to its role when DescribeInstances
  // answers, without a GetInstanceProfile round before the simulator (4 rounds instead of 5).
  // A profile not on that page, or a denied iam:ListInstanceProfiles, falls back to
  // iam:GetInstanceProfile.
  const instanceProfiles = Promise.all([task, taskDefinition]).then(([t, def]) =>
    t.ok && t.value.containerInstanceArn && !t.value.overrides?.taskRoleArn && def?.ok && !def.value.taskRoleArn
      ? fact(async () => {
          const {ListInstanceProfilesCommand} = await import('@aws-sdk/client-iam')
          const out = await (await clients.iam()).send(new ListInstanceProfilesCommand({MaxItems: 1000}))
          return out.InstanceProfiles ?? []
        })
      : undefined,
  )

  // The role: the task override's, the task definition's, or on EC2 the instance profile's.
  const role: Promise<Fact<RoleFacts | null> | undefined> = task.then(async (t) => {
    if (!t.ok) return undefined
    if (t.value.overrides?.taskRoleArn) return {ok: true, value: {arn: t.value.overrides.taskRoleArn, source: 'task override'}}
    const def = await taskDefinition
    if (def && !def.ok) return def
    if (def?.ok && def.value.taskRoleArn) return {ok: true, value: {arn: def.value.taskRoleArn, source: 'task definition'}}
    if (t.value.launchType !== 'EC2' && !t.value.containerInstanceArn) return {ok: true, value: null}
    const i = await instance
    if (!i) return {ok: true, value: null}
    if (!i.ok) return i
    const {profileArn, profileId} = i.value
    if (!profileArn) return {ok: true, value: null}
    const listed = await instanceProfiles
    const profile = listed?.ok ? listed.value.find((p) => p.Arn === profileArn || (profileId !== undefined && p.InstanceProfileId === profileId)) : undefined
    if (profile) {
      const arn = profile.Roles?.[0]?.Arn
      return {ok: true, value: arn ? {arn, source: 'instance profile' as const} : null}
    }
    return fact(async () => {
      const {GetInstanceProfileCommand} = await import('@aws-sdk/client-iam')
      const out = await (await clients.iam()).send(new GetInstanceProfileCommand({InstanceProfileName: profileArn.split('/').pop()}))
      const arn = out.InstanceProfile?.Roles?.[0]?.Arn
      return arn ? {arn, source: 'instance profile' as const} : null
    })
  })

  // Round 3: the simulator
  const simulate = async (source: string, requests: Array<{actions: string[]; resource?: string}>): Promise<Decisions> => {
    const {SimulatePrincipalPolicyCommand} = await import('@aws-sdk/client-iam')
    const iam = await clients.iam()
    const answers = await Promise.all(
      requests.map((r) => iam.send(new SimulatePrincipalPolicyCommand({PolicySourceArn: source, ActionNames: r.actions, ResourceArns: r.resource ? [r.resource] : undefined}))),
    )
    const decisions: Decisions = {}
    for (const a of answers) for (const e of a.EvaluationResults ?? []) if (e.EvalActionName && e.EvalDecision) decisions[e.EvalActionName] = e.EvalDecision
    return decisions
  }
  const callerDecisions = Promise.all([principal, task, clusterFact, kmsKeyArn]).then(([p, t, c, k]) => {
    if (!p || !t.ok) return undefined
    const requests: Array<{actions: string[]; resource?: string}> = [{actions: ['ecs:ExecuteCommand', 'ssm:StartSession'], resource: t.value.taskArn}]
    if (c.ok && c.value.exec?.kmsKeyId && k?.ok) requests.push({actions: ['kms:GenerateDataKey'], resource: k.value})
    return fact(() => simulate(p, requests))
  })
  const roleDecisions = Promise.all([role, task, clusterFact, kmsKeyArn, taskDefinition]).then(([r, t, c, k, def]) => {
    if (!r?.ok || !r.value || !t.ok) return undefined
    const {partition, account} = arnParts(t.value.taskArn ?? '')
    const exec = c.ok ? c.value.exec : undefined
    const requests: Array<{actions: string[]; resource?: string}> = [{actions: SSMMESSAGES_ACTIONS}]
    if (exec?.kmsKeyId && k?.ok) requests.push({actions: ['kms:Decrypt'], resource: k.value})
    if (exec?.s3BucketName) {
      const bucket = `arn:${partition}:s3:::${exec.s3BucketName}`
      requests.push({actions: ['s3:PutObject'], resource: `${bucket}/${exec.s3KeyPrefix ?? ''}*`})
      if (exec.s3EncryptionEnabled) requests.push({actions: ['s3:GetEncryptionConfiguration'], resource: bucket})
    }
    const {groups} = execLogGroups(exec, def?.ok ? def.value : undefined)
    if (groups.length > 0) requests.push({actions: [LOGS_ACTIONS[0]]})
    for (const group of groups) requests.push({actions: LOGS_ACTIONS.slice(1), resource: `arn:${partition}:logs:${options.region.name}:${account}:log-group:${group}:*`})
    return fact(() => simulate(r.value?.arn as string, requests))
  })

  // Port forwarding: the caller's ssm:StartSession on each document, one simulation per ARN (the
  // decision on the task itself is in callerDecisions).
  const documentDecisions = Promise.all([principal, task]).then(([p, t]) => {
    if (!options.portForward || !p || !t.ok) return undefined
    const {partition} = arnParts(t.value.taskArn ?? '')
    const decisionOn = async (document: string): Promise<[string, string]> => {
      const d = await simulate(p, [{actions: ['ssm:StartSession'], resource: documentArn(partition, options.region.name, document)}])
      return [document, d['ssm:StartSession'] ?? 'not simulated']
    }
    return fact(async () => Object.fromEntries(await Promise.all(FORWARD_DOCUMENTS.map(decisionOn))) as Decisions)
  })

  // Network: the task's subnet and security groups, then the endpoint audit. With --service, the
  // service's awsvpc configuration (round 1) lets the audit start in round 2, beside DescribeTasks.
  const needs = clusterFact.then((c) => {
    const list = [{service: 'ssmmessages', reason: 'ECS Exec sessions'}]
    if (c.ok && c.value.exec?.kmsKeyId) list.push({service: 'kms', reason: 'ECS Exec sessions encrypted with a KMS key'})
    return list
  })
  const audit = (network: {vpcId?: string; subnetIds: string[]; securityGroupIds: string[]}) =>
    fact(async () =>
      options.auditNetwork({ec2: await clients.ec2(), route53: await clients.route53()}, {region: options.region.name, network, needs: await needs}),
    )
  const serviceNetwork =
    options.service && !options.task && !options.described
      ? fact(async () => {
          const out = await ecs.send(new ecsSdk.DescribeServicesCommand({cluster, services: [options.service as string]}))
          const vpc = out.services?.[0]?.networkConfiguration?.awsvpcConfiguration
          return vpc ? {subnetIds: vpc.subnets ?? [], securityGroupIds: vpc.securityGroups ?? [], publicIp: vpc.assignPublicIp === 'ENABLED'} : undefined
        })
      : undefined
  const serviceAudit = serviceNetwork?.then((n) => (n.ok && n.value ? audit(n.value) : undefined))

  const taskNetwork: Promise<Fact<TaskNetwork> | undefined> = task.then(async (t) => {
    if (!t.ok) return undefined
    const eni = eniAttachmentOf(t.value)
    const service = serviceNetwork ? await serviceNetwork : undefined
    if (eni && service?.ok && service.value) {
      const {subnetIds, securityGroupIds, publicIp} = service.value
      return {ok: true, value: {mode: 'awsvpc' as const, subnetIds: eni.subnetId ? [eni.subnetId] : subnetIds, securityGroupIds, availabilityZone: t.value.availabilityZone, publicIp}}
    }
    if (eni?.eniId) {
      return fact(async () => {
        const {DescribeNetworkInterfacesCommand} = await import('@aws-sdk/client-ec2')
        const out = await (await clients.ec2()).send(new DescribeNetworkInterfacesCommand({NetworkInterfaceIds: [eni.eniId as string]}))
        const n = out.NetworkInterfaces?.[0]
        return {
          mode: 'awsvpc' as const,
          vpcId: n?.VpcId,
          subnetIds: [n?.SubnetId ?? eni.subnetId].filter((s): s is string => Boolean(s)),
          securityGroupIds: (n?.Groups ?? []).map((g) => g.GroupId ?? '').filter(Boolean),
          availabilityZone: n?.AvailabilityZone ?? t.value.availabilityZone,
          publicIp: Boolean(n?.Association?.PublicIp),
        }
      })
    }
    const ci = await containerInstance
    if (!ci) return undefined
    if (!ci.ok) return ci
    const i = await instance
    return {
      ok: true,
      value: {
        mode: 'bridge/host' as const,
        vpcId: ci.value.vpcId,
        subnetIds: ci.value.subnetId ? [ci.value.subnetId] : [],
        securityGroupIds: i?.ok ? i.value.securityGroupIds : [],
        availabilityZone: t.value.availabilityZone,
        publicIp: i?.ok ? i.value.publicIp : undefined,
      },
    }
  })
  const network = taskNetwork.then(async (n) => {
    if (!n) return undefined
    if (!n.ok) return n
    const report = (serviceAudit ? await serviceAudit : undefined) ?? (await audit({vpcId: n.value.vpcId, subnetIds: n.value.subnetIds, securityGroupIds: n.value.securityGroupIds}))
    return report.ok ? {ok: true as const, value: {task: n.value, report: report.value}} : report
  })

  const [callerF, pluginF, clusterF, taskF, defF, ciF, kmsF, roleF, callerD, roleD, networkF] = await Promise.all([
    caller,
    plugin,
    clusterFact,
    task,
    taskDefinition,
    containerInstance,
    kmsKeyArn,
    role,
    callerDecisions,
    roleDecisions,
    network,
  ])
  const documentD = await documentDecisions
  return {
    region: options.region,
    caller: callerF.ok ? {ok: true, value: {arn: callerF.value.arn, account: callerF.value.account, principalArn: callerF.value.principalArn}} : callerF,
    plugin: pluginF,
    cluster: clusterF,
    task: taskF,
    taskDefinition: defF,
    containerInstance: ciF ? (ciF.ok ? {ok: true, value: {agentVersion: ciF.value.agentVersion, ec2InstanceId: ciF.value.ec2InstanceId, osType: ciF.value.osType}} : ciF) : undefined,
    kmsKeyArn: kmsF,
    role: roleF,
    callerDecisions: callerD,
    roleDecisions: roleD,
    network: networkF,
    documentDecisions: documentD,
  }
}
