/** The shapes of `ecsops preflight`: what is checked (target), what was learned (facts), what was found (results). No SDK runtime import. */
import type {TaskDefinition} from '@aws-sdk/client-ecs'

import type {VpcReport} from '../endpoints/api.js'

/** A fact ecsops tried to learn: its value, or why it could not (the AWS error code and message). */
export type Fact<T> = {ok: true; value: T} | {ok: false; code: string; message: string}

export type CheckStatus = 'ok' | 'warn' | 'fail' | 'skip'
export type PreflightGroup = 'network' | 'execution-role' | 'references'

/** One result, shaped as `exec check`'s, plus a stable `code` on warn and fail. */
export interface PreflightResult {
  /** Stable id, e.g. `execution-role.permissions`, `references.image.app`. */
  id: string
  group: PreflightGroup
  title: string
  status: CheckStatus
  detail: string
  /** What to do about a warn or fail (or the permission that would let a skipped check run); null when nothing is to be done. */
  fix: string | null
  /** Stable on warn and fail (`IMAGE_NOT_FOUND`, `EXECUTION_ROLE_DENIED`, an endpoint problem code); null otherwise. */
  code: string | null
  /** With --task: this result explains the task's stop reason. */
  explains?: true
}

/** What is about to run, and how: the input of gathering. */
export interface PreflightTarget {
  region: string
  taskDefinition: TaskDefinition
  /** FARGATE, EC2, EXTERNAL (from the launch type or capacity providers; FARGATE when only the task definition says so). */
  launchType: string
  platformVersion?: string
  /** The awsvpc network the task gets; undefined when unknown (a task definition without --subnets). */
  network?: {subnetIds: string[]; securityGroupIds: string[]; assignPublicIp?: boolean}
  /** RunTask overrides, when migrate passes its request. */
  overrides?: {taskRoleArn?: string; executionRoleArn?: string; cpu?: string; memory?: string}
  /** Where the target came from, for the report: `service web (revision it runs now)`, `--task-definition`. */
  source: string
}

/** The IAM simulator's decision per action and resource: `allowed`, `explicitDeny`, `implicitDeny`. */
export type Decisions = Record<string, Record<string, string>>

/** An image in ECR as DescribeImages (and, for a multi-arch index, BatchGetImage) describes it. */
export interface ImageFacts {
  digest?: string
  mediaType?: string
  /** Architectures of a manifest list / OCI index (`amd64`, `arm64`); undefined for a single-platform image. */
  architectures?: Fact<string[]>
}

/** A Secrets Manager secret as DescribeSecret describes it (never its value). */
export interface SecretFacts {
  arn: string
  /** Key id, key ARN or alias ARN; absent for the AWS managed key aws/secretsmanager. */
  kmsKeyId?: string
}

/** A Parameter Store parameter as DescribeParameters describes it (never its value). */
export interface ParameterFacts {
  name: string
  type?: string
  keyId?: string
}

/** The execution role as iam:GetRole describes it: its trust policy (decoded JSON text). */
export interface RoleFacts {
  arn: string
  trustPolicy: string
}

/** Everything preflight learned, as plain data: the input of the pure checks. */
export interface PreflightFacts {
  target: PreflightTarget
  /** The endpoint audit; undefined when not run (see `networkSkipped`). */
  network?: Fact<VpcReport>
  networkSkipped?: string
  /** iam:GetRole of the execution role; undefined when there is none. */
  executionRole?: Fact<RoleFacts>
  /** Simulator decisions of the execution role, and of the task role (for the "the task role allows it" hint). */
  executionDecisions?: Fact<Decisions>
  taskRoleDecisions?: Fact<Decisions>
  /** Keyed by the image string of the container definition. */
  images: Record<string, Fact<ImageFacts>>
  /** Keyed by the secret id sent to DescribeSecret (ARN without the ECS suffixes, or name). */
  secrets: Record<string, Fact<SecretFacts>>
  /** Keyed by region: the parameters DescribeParameters found there (absent names do not exist). */
  parameters: Record<string, Fact<Record<string, ParameterFacts>>>
  /** Keyed by `region|group`: whether the log group exists. */
  logGroups: Record<string, Fact<boolean>>
}

/** The top-level `explanation` of a stopped task (--task). */
export interface Explanation {
  taskArn: string
  lastStatus?: string
  stopCode?: string
  stoppedReason?: string
  containerReasons: string[]
  /** Ids of the results that explain the stop reason. */
  explainedBy: string[]
  /** One sentence: which results explain it, or that none does. */
  text: string
}

/** The --json document of `ecsops preflight`. */
export interface PreflightReport {
  ok: boolean
  region: string
  taskDefinitionArn: string
  source: string
  results: PreflightResult[]
  summary: Record<CheckStatus, number>
  /** What the checks cannot see, so that a clean report is not read as more than it is. */
  notEvaluated: string[]
  explanation?: Explanation
}
