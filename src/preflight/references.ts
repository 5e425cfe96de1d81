/**
 * Pure: what a task definition references (images, secrets and parameters, log groups,
 * environment files) and what its execution role must therefore be allowed. Each rule cites the
 * page it follows.
 */
import type {ContainerDefinition, TaskDefinition} from '@aws-sdk/client-ecs'

import {partitionOf} from '../endpoints/catalog.js'
import type {Fact, ParameterFacts, PreflightTarget, SecretFacts} from './model.js'

export interface EcrImage {
  container: string
  image: string
  registryId: string
  region: string
  repository: string
  /** `latest` when the image names neither a tag nor a digest. */
  tag?: string
  digest?: string
  /** `arn:aws:ecr:<region>:<registry>:repository/<name>`: the resource of the pull actions. */
  repositoryArn: string
}

export interface SecretReference {
  container: string
  /** Where the reference is: `secrets DB_PASSWORD`, `repositoryCredentials`, `logConfiguration.secretOptions TOKEN`. */
  field: string
  valueFrom: string
  store: 'secretsmanager' | 'ssm'
  region: string
  /** Secrets Manager: what DescribeSecret is asked for (the ARN without `:json-key:version-stage:version-id`, or a name). */
  secretId?: string
  /** Secrets Manager: the ARN to simulate when DescribeSecret could not say (a partial ARN matches `name-*` policies only approximately). */
  secretArn?: string
  /** Parameter Store: the names DescribeParameters is asked for (`db` and `/db` when an ARN cannot tell them apart). */
  parameterNames?: string[]
  /** Parameter Store: the ARN ssm:GetParameters is simulated on. */
  parameterArn?: string
  /** A Secrets Manager secret read through Parameter Store (`/aws/reference/secretsmanager/<name>`). */
  viaParameterStore?: boolean
}

export interface LogReference {
  container: string
  group: string
  region: string
  createGroup: boolean
}

export interface EnvFileReference {
  container: string
  arn: string
  bucket: string
  key: string
}

export interface References {
  ecrImages: EcrImage[]
  /** Images from other registries (Docker Hub, public.ecr.aws, ghcr.io …): not checked. */
  otherImages: Array<{container: string; image: string}>
  secrets: SecretReference[]
  logs: LogReference[]
  envFiles: EnvFileReference[]
}

/** One permission the execution role needs: action on resource, and why (which reference). */
export interface Permission {
  action: string
  resource: string
  why: string
}

const ECR_IMAGE = /^(\d{12})\.dkr\.ecr(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?\/([^@]+?)(?::([\w][\w.-]{0,127}))?(?:@(sha256:[a-f0-9]{64}))?$/

/** `123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/app:1.2` → its registry, region, repository and tag; undefined for other registries. */
export function parseEcrImage(image: string, container = ''): EcrImage | undefined {
  const m = ECR_IMAGE.exec(image.trim())
  if (!m) return undefined
  const [, registryId, region, repository, tag, digest] = m
  return {
    container,
    image,
    registryId: registryId!,
    region: region!,
    repository: repository!,
    tag: tag ?? (digest ? undefined : 'latest'),
    digest,
    repositoryArn: `arn:${partitionOf(region!)}:ecr:${region}:${registryId}:repository/${repository}`,
  }
}

const arnParts = (arn: string) => {
  const [, partition = 'aws', service = '', region = '', account = '', ...rest] = arn.split(':')
  return {partition, service, region, account, resource: rest.join(':')}
}

/** The account of the task definition's ARN (the account the task runs in). */
export function accountOf(taskDefinition: Pick<TaskDefinition, 'taskDefinitionArn'>): string {
  return arnParts(taskDefinition.taskDefinitionArn ?? '').account
}

/**
 * A `secrets[].valueFrom`, `repositoryCredentials.credentialsParameter` or
 * `logConfiguration.secretOptions[].valueFrom`, parsed. "Pass Secrets Manager secrets through
 * Amazon ECS environment variables" (ECS developer guide): a Secrets Manager valueFrom is the
 * secret's ARN, optionally followed by `:json-key:version-stage:version-id`. "Pass Systems
 * Manager parameters through Amazon ECS environment variables": a parameter in the task's Region
 * may be named by its name, otherwise by its ARN `arn:aws:ssm:<region>:<account>:parameter/<name>`
 * (a name starting with `/` loses that slash in the ARN, so `parameter/a` is `a` or `/a`).
 * `/aws/reference/secretsmanager/<name>` reads a Secrets Manager secret through Parameter Store.
 */
export function parseSecretReference(valueFrom: string, context: {container: string; field: string; region: string; account: string}): SecretReference {
  const base = {container: context.container, field: context.field, valueFrom}
  if (/^arn:aws[a-z-]*:secretsmanager:/.test(valueFrom)) {
    const parts = valueFrom.split(':')
    const secretArn = parts.slice(0, 7).join(':')
    return {...base, store: 'secretsmanager', region: parts[3] || context.region, secretId: secretArn, secretArn}
  }
  let name = valueFrom
  let region = context.region
  let account = context.account
  let partition = partitionOf(context.region)
  if (valueFrom.startsWith('arn:')) {
    const arn = arnParts(valueFrom)
    region = arn.region || region
    account = arn.account || account
    partition = arn.partition
    name = arn.resource.replace(/^parameter/, '')
  }
  const bare = name.replace(/^\//, '')
  const parameterArn = `arn:${partition}:ssm:${region}:${account}:parameter/${bare}`
  const reference = /^\/?aws\/reference\/secretsmanager\/(.+)$/.exec(name)
  if (reference) {
    const secretName = reference[1]!
    return {...base, store: 'secretsmanager', region, secretId: secretName, secretArn: `arn:${partition}:secretsmanager:${region}:${account}:secret:${secretName}`, parameterArn, viaParameterStore: true}
  }
  // From an ARN `parameter/a/b` is `/a/b`; `parameter/a` is `a` or `/a`. A bare name is what it says.
  const parameterNames = valueFrom.startsWith('arn:') ? (bare.includes('/') ? [`/${bare}`] : [bare, `/${bare}`]) : [name]
  return {...base, store: 'ssm', region, parameterNames, parameterArn}
}

/** `arn:aws:s3:::bucket/path/file.env` → bucket and key. */
function parseS3Arn(arn: string): {bucket: string; key: string} {
  const resource = arn.replace(/^arn:[^:]*:s3:::/, '')
  const slash = resource.indexOf('/')
  return slash < 0 ? {bucket: resource, key: ''} : {bucket: resource.slice(0, slash), key: resource.slice(slash + 1)}
}

function containerReferences(c: ContainerDefinition, region: string, account: string, into: References): void {
  const container = c.name ?? '?'
  if (c.image) {
    const ecr = parseEcrImage(c.image, container)
    if (ecr) into.ecrImages.push(ecr)
    else into.otherImages.push({container, image: c.image})
  }
  for (const s of c.secrets ?? []) if (s.valueFrom) into.secrets.push(parseSecretReference(s.valueFrom, {container, field: `secrets ${s.name ?? '?'}`, region, account}))
  for (const s of c.logConfiguration?.secretOptions ?? []) if (s.valueFrom) into.secrets.push(parseSecretReference(s.valueFrom, {container, field: `logConfiguration.secretOptions ${s.name ?? '?'}`, region, account}))
  const credentials = c.repositoryCredentials?.credentialsParameter
  if (credentials) into.secrets.push(parseSecretReference(credentials, {container, field: 'repositoryCredentials', region, account}))
  const log = c.logConfiguration
  if (log?.logDriver === 'awslogs' && log.options?.['awslogs-group']) {
    // "Using the awslogs log driver" (ECS developer guide): awslogs-create-group "true" creates the group (with logs:CreateLogGroup).
    into.logs.push({container, group: log.options['awslogs-group'], region: log.options['awslogs-region'] ?? region, createGroup: log.options['awslogs-create-group'] === 'true'})
  }
  for (const f of c.environmentFiles ?? []) if (f.value && (f.type ?? 's3') === 's3') into.envFiles.push({container, arn: f.value, ...parseS3Arn(f.value)})
}

/** Pure: every reference of the task definition, container by container. */
export function referencesOf(taskDefinition: TaskDefinition, region: string): References {
  const account = accountOf(taskDefinition)
  const refs: References = {ecrImages: [], otherImages: [], secrets: [], logs: [], envFiles: []}
  for (const c of taskDefinition.containerDefinitions ?? []) containerReferences(c, region, account, refs)
  return refs
}

/** The agent (not the container instance's role) pulls ECR images and writes awslogs with the execution role. */
export function agentUsesExecutionRoleForPulls(launchType: string): boolean {
  return launchType !== 'EC2'
}

/**
 * Why the task needs an execution role ("Amazon ECS task execution IAM role", ECS developer
 * guide): on Fargate (and external instances) to pull from a private ECR repository and to
 * send logs with awslogs; on every launch type for private registry authentication
 * (repositoryCredentials) and for secrets from Secrets Manager or Parameter Store; and for
 * environment files in S3 ("Pass an individual environment variable … environmentFiles").
 * Empty: no execution role is needed.
 */
export function executionRoleReasons(refs: References, launchType: string): string[] {
  const reasons: string[] = []
  if (agentUsesExecutionRoleForPulls(launchType)) {
    for (const i of refs.ecrImages) reasons.push(`container ${i.container} pulls ${i.image} from ECR`)
    for (const l of refs.logs) reasons.push(`container ${l.container} logs to ${l.group} with awslogs`)
  }
  for (const s of refs.secrets) reasons.push(`container ${s.container} reads ${s.field} from ${s.store === 'ssm' ? 'Parameter Store' : 'Secrets Manager'}`)
  for (const f of refs.envFiles) reasons.push(`container ${f.container} reads the environment file ${f.arn}`)
  return [...new Set(reasons)]
}

/** Action groups, for messages and for telling what ECS reads with the execution role. */
export const ECR_PULL_ACTIONS = ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchCheckLayerAvailability']

/** The log group's resource in IAM policies ("Overview of managing access permissions to your CloudWatch Logs resources": `log-group:<name>:*` for actions other than the log-group-level ones). */
export function logGroupArn(group: string, region: string, account: string): string {
  return `arn:${partitionOf(region)}:logs:${region}:${account}:log-group:${group}:*`
}

/**
 * A KMS key as the simulator needs it: a key ARN. DescribeSecret's KmsKeyId is "the key ID or
 * alias ARN" and is omitted for the AWS managed key aws/secretsmanager (Secrets Manager API,
 * DescribeSecret); DescribeParameters' KeyId is `alias/aws/ssm` for the AWS managed key. A key id
 * is made an ARN in the secret's account and region; an alias cannot be (undefined, `alias`).
 */
export function kmsKeyArn(keyId: string | undefined, region: string, account: string): {arn?: string; alias?: string; managed?: boolean} {
  if (!keyId) return {managed: true}
  if (/^(arn:[^:]+:kms:[^:]*:[^:]*:)?alias\/aws\//.test(keyId)) return {managed: true}
  if (/^arn:[^:]+:kms:[^:]*:[^:]*:key\//.test(keyId)) return {arn: keyId}
  if (/^[0-9a-f-]{36}$|^mrk-[0-9a-f]{32}$/.test(keyId)) return {arn: `arn:${partitionOf(region)}:kms:${region}:${account}:key/${keyId}`}
  return {alias: keyId}
}

export interface ResolvedSecrets {
  /** DescribeSecret's answers, by secret id. */
  secrets: Record<string, SecretFacts | undefined>
  /** Customer managed KMS key ids of SecureString parameters, by parameter ARN. */
  parameterKeys: Record<string, string | undefined>
}

/**
 * Pure: every permission the execution role needs, with the real resource ARNs. "Amazon ECS task
 * execution IAM role" (ECS developer guide): ecr:GetAuthorizationToken (resource `*`) and
 * ecr:BatchCheckLayerAvailability, GetDownloadUrlForLayer, BatchGetImage on the repository;
 * logs:CreateLogStream and PutLogEvents (+ CreateLogGroup with awslogs-create-group);
 * secretsmanager:GetSecretValue on each secret and ssm:GetParameters on each parameter, with
 * kms:Decrypt "only required if your key uses a custom KMS key"; s3:GetObject on each
 * environment file and s3:GetBucketLocation on its bucket.
 */
export function executionRolePermissions(refs: References, target: Pick<PreflightTarget, 'launchType' | 'region' | 'taskDefinition'>, resolved: ResolvedSecrets): Permission[] {
  const account = accountOf(target.taskDefinition)
  const out: Permission[] = []
  const add = (action: string, resource: string, why: string) => {
    if (!out.some((p) => p.action === action && p.resource === resource)) out.push({action, resource, why})
  }
  if (agentUsesExecutionRoleForPulls(target.launchType)) {
    for (const i of refs.ecrImages) {
      add('ecr:GetAuthorizationToken', '*', `pull ${i.image}`)
      for (const action of ECR_PULL_ACTIONS) add(action, i.repositoryArn, `pull ${i.image}`)
    }
    for (const l of refs.logs) {
      const arn = logGroupArn(l.group, l.region, account)
      add('logs:CreateLogStream', arn, `awslogs of container ${l.container}`)
      add('logs:PutLogEvents', arn.replace(/:\*$/, ':log-stream:*'), `awslogs of container ${l.container}`)
      if (l.createGroup) add('logs:CreateLogGroup', arn, `awslogs-create-group of container ${l.container}`)
    }
  }
  for (const s of refs.secrets) {
    const why = `${s.field} of container ${s.container}`
    if (s.store === 'ssm' || s.viaParameterStore) add('ssm:GetParameters', s.parameterArn!, why)
    if (s.store === 'secretsmanager') {
      const described = s.secretId ? resolved.secrets[s.secretId] : undefined
      add('secretsmanager:GetSecretValue', described?.arn ?? s.secretArn!, why)
      const key = kmsKeyArn(described?.kmsKeyId, s.region, arnParts(described?.arn ?? s.secretArn!).account || account)
      if (key.arn) add('kms:Decrypt', key.arn, `the customer managed key of ${s.field} of container ${s.container}`)
    } else {
      const key = kmsKeyArn(resolved.parameterKeys[s.parameterArn!], s.region, arnParts(s.parameterArn!).account || account)
      if (key.arn) add('kms:Decrypt', key.arn, `the customer managed key of ${s.field} of container ${s.container}`)
    }
  }
  for (const f of refs.envFiles) {
    add('s3:GetObject', f.arn, `environment file of container ${f.container}`)
    add('s3:GetBucketLocation', `arn:${partitionOf(target.region)}:s3:::${f.bucket}`, `environment file of container ${f.container}`)
  }
  return out
}

/** Keys given as aliases (other than the AWS managed ones): the simulator cannot be asked about them without kms:DescribeKey. */
export function aliasedKeys(refs: References, resolved: ResolvedSecrets): string[] {
  const aliases = new Set<string>()
  for (const s of refs.secrets) {
    const keyId = s.store === 'secretsmanager' ? (s.secretId ? resolved.secrets[s.secretId]?.kmsKeyId : undefined) : resolved.parameterKeys[s.parameterArn!]
    const key = kmsKeyArn(keyId, s.region, '')
    if (key.alias) aliases.add(key.alias)
  }
  return [...aliases]
}

/** Pure: what DescribeSecret and DescribeParameters said, in the form the permissions need (unknown where they failed). */
export function resolveSecrets(refs: References, secrets: Record<string, Fact<SecretFacts>>, parameters: Record<string, Fact<Record<string, ParameterFacts>>>): ResolvedSecrets {
  const resolved: ResolvedSecrets = {secrets: {}, parameterKeys: {}}
  for (const [id, f] of Object.entries(secrets)) resolved.secrets[id] = f.ok ? f.value : undefined
  for (const ref of refs.secrets.filter((r) => r.store === 'ssm')) {
    const found = parameters[ref.region]
    const parameter = found?.ok ? (ref.parameterNames ?? []).map((n) => found.value[n]).find(Boolean) : undefined
    if (parameter?.type === 'SecureString') resolved.parameterKeys[ref.parameterArn!] = parameter.keyId
  }
  return resolved
}
