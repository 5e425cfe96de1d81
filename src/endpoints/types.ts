/** The public shapes of the endpoint audit (re-exported by api.ts). No SDK import. */

export type EndpointServiceKey =
  | 'ecr.api'
  | 'ecr.dkr'
  | 's3'
  | 'logs'
  | 'ssm'
  | 'secretsmanager'
  | 'ssmmessages'
  | 'kms'
  | 'ecs'
  | 'ecs-agent'
  | 'ecs-telemetry'
  | 'elasticfilesystem'
  | (string & {})

/** Actions the tasks perform through an endpoint on one resource (checked against its endpoint policy). */
export interface Access {
  actions: string[]
  /** The resource ARN; `*` for actions that take no resource (ecr:GetAuthorizationToken); left out: the service's usual one. */
  resource?: string
}

/** One endpoint a task needs; reason: which container/field (or flag) asks for it. */
export interface EndpointNeed {
  service: EndpointServiceKey
  reason: string
  /**
   * The resource the tasks reach through the endpoint, when known (an S3 object ARN such as the
   * ECR layer bucket or an environment file): the endpoint policy is checked against it. Without
   * one, the audit checks the service's usual resource (for s3: the ECR layer bucket).
   */
  resource?: string
  /** What the need does through the endpoint when it is not the catalog's usual actions (an environment file also needs s3:GetBucketLocation on its bucket). */
  access?: Access[]
}

export interface Problem {
  code: string
  detail: string
}

export interface Finding {
  /** `ecr.dkr` */
  service: string
  /** `com.amazonaws.<region>.ecr.dkr` */
  endpointService: string
  type: 'Interface' | 'Gateway'
  requiredBy: string[]
  status: 'ok' | 'missing' | 'misconfigured' | 'unknown' | 'unused'
  severity: 'error' | 'warning' | 'info'
  endpointId: string | null
  provider: 'vpc' | 'central' | null
  problems: Problem[]
  /** The AWS CLI command(s) that fix the problems: printed, never executed. */
  fix?: string
  /** With provider "central": the Route 53 private hosted zone that serves the name. */
  hostedZoneId?: string
}

export interface SubnetRoute {
  subnetId: string
  availabilityZone: string
  /** `unknown`: the subnet's route table is not visible (a subnet shared through AWS RAM). */
  internetRoute: 'nat' | 'igw' | 'none' | 'unknown'
}

export interface VpcReport {
  vpcId: string
  subnets: SubnetRoute[]
  findings: Finding[]
}

export interface NetworkTarget {
  vpcId?: string
  subnetIds: string[]
  securityGroupIds: string[]
}

export const SEVERITY_RANK = {info: 0, warning: 1, error: 2} as const
