import type {Task, TaskDefinition} from '@aws-sdk/client-ecs'

import type {PluginProbe} from './plugin.js'

/** A fact ecsops tried to learn: its value, or why it could not (the AWS error code and message). */
export type Fact<T> = {ok: true; value: T} | {ok: false; code: string; message: string}

/** The IAM simulator's answer per action: `allowed`, `implicitDeny`, `explicitDeny`. */
export type Decisions = Record<string, string>

export interface ExecConfiguration {
  kmsKeyId?: string
  /** DEFAULT, NONE or OVERRIDE. */
  logging?: string
  s3BucketName?: string
  s3KeyPrefix?: string
  s3EncryptionEnabled?: boolean
  cloudWatchLogGroupName?: string
  cloudWatchEncryptionEnabled?: boolean
}

export interface ClusterFacts {
  arn: string
  name: string
  /** Absent when the cluster has no executeCommandConfiguration at all. */
  exec?: ExecConfiguration
}

export interface RoleFacts {
  arn: string
  /** Where the role comes from. */
  source: 'task definition' | 'task override' | 'instance profile'
}

/** The verdict of the endpoint audit, in the shape of `src/endpoints/api.ts`'s VpcReport. */
export interface NetworkReport {
  vpcId: string
  subnets: Array<{subnetId: string; availabilityZone?: string; internetRoute: 'nat' | 'igw' | 'none' | 'unknown'}>
  findings: Array<{service: string; endpointService?: string; status: 'ok' | 'missing' | 'misconfigured' | 'unknown' | 'unused'; severity?: string; problems: Array<{code: string; detail: string}>; fix?: string}>
}

export interface TaskNetwork {
  mode: 'awsvpc' | 'bridge/host'
  vpcId?: string
  subnetIds: string[]
  securityGroupIds: string[]
  availabilityZone?: string
  /** The task's ENI has a public IP (only useful with an internet gateway route). */
  publicIp?: boolean
}

/** Everything `exec check` learned, as plain data: the input of the pure checks. */
export interface ExecFacts {
  region: {name: string; source: string}
  caller: Fact<{arn: string; account: string; principalArn: string}>
  plugin: PluginProbe
  cluster: Fact<ClusterFacts>
  /** The task, or why it could not be read (not found, ClusterNotFoundException…). */
  task: Fact<Task>
  taskDefinition?: Fact<TaskDefinition>
  /** EC2 launch type: the container instance's agent version and EC2 instance. */
  containerInstance?: Fact<{agentVersion?: string; ec2InstanceId?: string; /** `ecs.os-type`: linux or windows. */ osType?: string}>
  kmsKeyArn?: Fact<string>
  /** The role the task's SSM agent uses, or why none was found. */
  role?: Fact<RoleFacts | null>
  /** Simulator decisions for the caller (ecs:ExecuteCommand, ssm:StartSession, kms:GenerateDataKey). */
  callerDecisions?: Fact<Decisions>
  /** Simulator decisions for the task (or instance) role. */
  roleDecisions?: Fact<Decisions>
  network?: Fact<{task: TaskNetwork; report: NetworkReport}>
  /** Simulator decisions for the caller's ssm:StartSession on each port-forwarding document, keyed by document name. */
  documentDecisions?: Fact<Decisions>
}

export type CheckStatus = 'ok' | 'warn' | 'fail' | 'skip'
export type CheckGroup = 'caller' | 'cluster' | 'task' | 'containers' | 'role' | 'network' | 'port-forward'

export interface CheckResult {
  /** Stable id, e.g. `task.exec-enabled`, `container.app.agent`. */
  id: string
  group: CheckGroup
  title: string
  status: CheckStatus
  detail: string
  /** What to do about a warn or fail; null when nothing is to be done. */
  fix: string | null
}

export interface ExecCheckReport {
  region: string
  cluster: string
  task: string
  results: CheckResult[]
  summary: Record<CheckStatus, number>
}
