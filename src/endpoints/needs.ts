import type {Cluster, ContainerDefinition, Service, TaskDefinition} from '@aws-sdk/client-ecs'

import {ECS_AGENT_ENDPOINTS, partitionOf, starportLayerObjects} from './catalog.js'
import type {EndpointNeed} from './types.js'

export interface NeedsInput {
  taskDefinition: TaskDefinition
  service?: Service
  launchType?: string
  platformVersion?: string
  enableExecuteCommand?: boolean
  execKmsKeyId?: string
  region: string
}

/** `123456789012.dkr.ecr.eu-west-1.amazonaws.com/app:1` → {account, region}; otherwise undefined (Docker Hub, ghcr.io, public.ecr.aws …). */
export function ecrImageRegion(image: string): string | undefined {
  const match = /^\d{12}\.dkr\.ecr(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?\//.exec(image)
  return match?.[1]
}

/** Where a secret's valueFrom lives: Secrets Manager ARN, else Parameter Store (ARN or name). */
export function secretSource(valueFrom: string): 'secretsmanager' | 'ssm' {
  return /^arn:aws[a-z-]*:secretsmanager:/.test(valueFrom) ? 'secretsmanager' : 'ssm'
}

/** FARGATE, EC2 or EXTERNAL, from the explicit launch type, the service, its capacity providers, or the task definition. */
export function effectiveLaunchType(input: Pick<NeedsInput, 'launchType' | 'service' | 'taskDefinition'>): string {
  if (input.launchType) return input.launchType.toUpperCase()
  const service = input.service
  if (service?.launchType) return service.launchType
  const strategy = service?.capacityProviderStrategy ?? []
  if (strategy.length > 0) return strategy.some((s) => s.capacityProvider?.startsWith('FARGATE')) ? 'FARGATE' : 'EC2'
  const compat = input.taskDefinition.requiresCompatibilities ?? input.taskDefinition.compatibilities ?? []
  if (compat.includes('FARGATE')) return 'FARGATE'
  if (compat.includes('EC2')) return 'EC2'
  return 'FARGATE'
}

/**
 * Linux Fargate platform versions before 1.4.0 pulled from ECR through ecr.dkr alone. Windows
 * Fargate has its own versions, 1.0.0 being current ("Fargate Windows platform versions", ECS
 * developer guide): the rule never applies to a WINDOWS_* operatingSystemFamily.
 */
export function fargateBefore140(platformVersion: string | undefined, operatingSystemFamily?: string): boolean {
  if (operatingSystemFamily?.toUpperCase().startsWith('WINDOWS')) return false
  if (!platformVersion || platformVersion.toUpperCase() === 'LATEST') return false
  const [major = 0, minor = 0] = platformVersion.split('.').map(Number)
  return major < 1 || (major === 1 && minor < 4)
}

const FIRELENS_OUTPUTS: Record<string, string> = {
  cloudwatch: 'logs',
  cloudwatch_logs: 'logs',
  // Endpoint service names kinesis-firehose and kinesis-streams (see catalog.ts).
  firehose: 'kinesis-firehose',
  kinesis_firehose: 'kinesis-firehose',
  kinesis: 'kinesis-streams',
  kinesis_streams: 'kinesis-streams',
  s3: 's3',
}

/**
 * Pure: the VPC endpoints the tasks of a task definition (run by a service, or alone) need,
 * each with the reason (container and field). Each rule and the AWS page it follows:
 * - ECR image in this Region → ecr.api + ecr.dkr + the s3 *gateway* (layers live in
 *   prod-<region>-starport-layer-bucket); Fargate platform 1.3.0 and earlier used ecr.dkr + s3
 *   alone. ECR "Amazon ECR interface VPC endpoints (AWS PrivateLink)", Considerations:
 *   https://docs.aws.amazon.com/AmazonECR/latest/userguide/vpc-endpoints.html
 *   Images from other registries (Docker Hub, public.ecr.aws, another Region's ECR) need the
 *   internet (NAT), which no endpoint of this VPC replaces: they add no need.
 * - awslogs → logs (same ECR page, "CloudWatch Logs"; an awslogs-region other than the task's
 *   is served by that Region's endpoint, not this VPC's: no need).
 * - secrets/valueFrom and logConfiguration.secretOptions → secretsmanager (a Secrets Manager
 *   ARN) or ssm (a parameter name or ARN, /aws/reference/secretsmanager/… included);
 *   repositoryCredentials → secretsmanager. "Pass sensitive data to an Amazon ECS container":
 *   https://docs.aws.amazon.com/AmazonECS/latest/developerguide/specifying-sensitive-data.html
 * - environmentFiles in S3 → s3 ("Pass an individual environment variable … environmentFiles",
 *   https://docs.aws.amazon.com/AmazonECS/latest/developerguide/use-environment-file.html).
 * - enableExecuteCommand → ssmmessages; + kms with the cluster's executeCommandConfiguration
 *   kmsKeyId; session logging OVERRIDE → logs/s3 (execLoggingNeeds). ECS Exec page:
 *   https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs-exec.html
 * - EC2 launch type → ecs, ecs-agent, ecs-telemetry (the container agent's). Fargate tasks never
 *   need them, in any Region: the new-Region rule only says that whoever creates one of the three
 *   there must create all three (audit.ts, ECS_ENDPOINTS_INCOMPLETE). ECS "Amazon ECS interface
 *   VPC endpoints (AWS PrivateLink)", Considerations:
 *   https://docs.aws.amazon.com/AmazonECS/latest/developerguide/vpc-endpoints.html
 * - A secret or parameter ARN of another Region is read from that Region's endpoint, as an
 *   awslogs-region is: no need of this VPC.
 * - Service Connect → ecs-agent (its Envoy agent is managed through the agent endpoint; issue 5).
 * - EFS volumes → elasticfilesystem (issue 5). The EFS page says this endpoint serves the EFS
 *   *API*; the NFS mount itself goes to the mount targets in the VPC (port 2049), so a missing
 *   elasticfilesystem endpoint does not always stop a mount:
 *   https://docs.aws.amazon.com/efs/latest/ug/efs-vpc-endpoints.html
 * - FireLens (awsfirelens) outputs → their destination (cloudwatch → logs, firehose, kinesis,
 *   s3); a configuration file in S3 → s3 ("Example Amazon ECS task definition: Route logs to
 *   FireLens"); X-Ray daemon / ADOT collector sidecar → xray ("Running the X-Ray daemon on
 *   Amazon ECS", https://docs.aws.amazon.com/xray/latest/devguide/xray-daemon-ecs.html).
 */
export function requiredEndpoints(input: NeedsInput): EndpointNeed[] {
  const needs: EndpointNeed[] = []
  const seen = new Set<string>()
  const add = (service: string, reason: string, extra: Pick<EndpointNeed, 'resource' | 'access'> = {}) => {
    const key = `${service}\u0000${reason}`
    if (seen.has(key)) return
    seen.add(key)
    needs.push({service, reason, ...extra})
  }
  const {taskDefinition: td, region} = input
  const launchType = effectiveLaunchType(input)
  const platformVersion = input.platformVersion ?? input.service?.platformVersion
  const oldFargate = launchType === 'FARGATE' && fargateBefore140(platformVersion, td.runtimePlatform?.operatingSystemFamily)

  for (const container of td.containerDefinitions ?? []) needsOfContainer(container, region, oldFargate, add)

  for (const volume of td.volumes ?? []) {
    if (volume.efsVolumeConfiguration) add('elasticfilesystem', `volume ${volume.name ?? '?'}: efsVolumeConfiguration ${volume.efsVolumeConfiguration.fileSystemId ?? ''}`.trim())
  }

  const exec = input.enableExecuteCommand ?? input.service?.enableExecuteCommand ?? false
  if (exec) {
    add('ssmmessages', 'service: enableExecuteCommand')
    if (input.execKmsKeyId) add('kms', `cluster: executeCommandConfiguration.kmsKeyId ${input.execKmsKeyId}`)
  }

  if (launchType === 'EC2') {
    for (const s of ECS_AGENT_ENDPOINTS) add(s, 'launch type EC2: ECS container agent')
  }

  const serviceConnect =
    input.service?.deployments?.some((d) => d.serviceConnectConfiguration?.enabled) ??
    false
  if (serviceConnect) add('ecs-agent', 'service: serviceConnectConfiguration (Service Connect agent)')
  return needs
}

/** An ARN naming another Region (`arn:aws:ssm:us-east-1:…` read from eu-west-1); a bare parameter name is this Region's. */
export function inOtherRegion(arnOrName: string, region: string): boolean {
  const arnRegion = /^arn:[^:]+:[^:]+:([^:]*):/.exec(arnOrName)?.[1]
  return Boolean(arnRegion) && arnRegion !== region
}

/** An S3 object ARN (`arn:aws:s3:::bucket/key`) as the resource of an s3 need; other values give none. */
function s3Object(value: string | undefined): string | undefined {
  return value && /^arn:aws[\w-]*:s3:::[^/]+\/.+/.test(value) ? value : undefined
}

/**
 * Reading an S3 object at task start (an environment file, a FireLens configuration): the agent
 * calls s3:GetObject on the object and s3:GetBucketLocation on its bucket ("Pass an individual
 * environment variable … environmentFiles", required permissions), so the endpoint policy must
 * allow both.
 */
function readsS3Object(object: string | undefined): Pick<EndpointNeed, 'resource' | 'access'> {
  if (!object) return {}
  const bucket = object.slice(0, object.indexOf('/'))
  return {resource: object, access: [{actions: ['s3:GetObject'], resource: object}, {actions: ['s3:GetBucketLocation'], resource: bucket}]}
}

type AddNeed = (service: string, reason: string, extra?: Pick<EndpointNeed, 'resource' | 'access'>) => void

function needsOfContainer(c: ContainerDefinition, region: string, oldFargate: boolean, add: AddNeed): void {
  const name = `container ${c.name ?? '?'}`
  const image = c.image ?? ''
  const imageRegion = ecrImageRegion(image)
  if (imageRegion === region) {
    if (!oldFargate) add('ecr.api', `${name}: image ${image}`)
    add('ecr.dkr', `${name}: image ${image}`)
    add('s3', `${name}: image layers of ${image}`, {resource: starportLayerObjects(region)})
  }
  if (c.repositoryCredentials?.credentialsParameter) add('secretsmanager', `${name}: repositoryCredentials`)

  const log = c.logConfiguration
  // awslogs writing to another Region (awslogs-region) goes to that Region's endpoint: no endpoint of this VPC serves it.
  const logRegion = log?.options?.['awslogs-region']
  // awslogs-create-group true: the agent also calls logs:CreateLogGroup ("Using the awslogs log driver", awslogs-create-group).
  const createsGroup = log?.options?.['awslogs-create-group'] === 'true'
  if (log?.logDriver === 'awslogs' && (!logRegion || logRegion === region)) {
    add('logs', `${name}: logConfiguration awslogs${log.options?.['awslogs-group'] ? ` (${log.options['awslogs-group']})` : ''}${createsGroup ? ' with awslogs-create-group' : ''}`, createsGroup ? {access: [{actions: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:CreateLogGroup']}]} : {})
  }
  if (log?.logDriver === 'awsfirelens') {
    const output = (log.options?.Name ?? log.options?.name ?? '').toLowerCase()
    const service = FIRELENS_OUTPUTS[output]
    if (service) add(service, `${name}: FireLens output ${output}`)
  }
  for (const secret of [...(c.secrets ?? []), ...(log?.secretOptions ?? [])]) {
    if (secret.valueFrom && !inOtherRegion(secret.valueFrom, region)) add(secretSource(secret.valueFrom), `${name}: secret ${secret.name ?? ''} (valueFrom ${secret.valueFrom})`)
  }
  // FireLens reading its configuration file from S3 (config-file-type s3): FireLens page,
  // https://docs.aws.amazon.com/AmazonECS/latest/developerguide/firelens-taskdef.html
  const firelensOptions = c.firelensConfiguration?.options
  if (firelensOptions?.['config-file-type'] === 's3') add('s3', `${name}: firelensConfiguration config-file-value ${firelensOptions['config-file-value'] ?? ''}`.trim(), readsS3Object(s3Object(firelensOptions['config-file-value'])))
  for (const file of c.environmentFiles ?? []) {
    if (file.type === 's3' || file.value?.startsWith('arn:aws')) add('s3', `${name}: environmentFiles ${file.value ?? ''}`, readsS3Object(s3Object(file.value)))
  }
  if (/(^|\/)aws-xray-daemon(:|@|$)|xray-daemon|aws-otel-collector/.test(image)) add('xray', `${name}: X-Ray/ADOT sidecar ${image}`)
}

/** `--needs ecr,logs,ssm` → needs; `ecr` expands to ecr.api, ecr.dkr and the s3 gateway. */
export function needsFromList(list: string[], reason = '--needs'): EndpointNeed[] {
  const needs: EndpointNeed[] = []
  for (const raw of list.map((s) => s.trim()).filter(Boolean)) {
    const key = raw.toLowerCase()
    const services = key === 'ecr' ? ['ecr.api', 'ecr.dkr', 's3'] : key === 'exec' ? ['ssmmessages'] : key === 'ecs-ec2' ? ['ecs', 'ecs-agent', 'ecs-telemetry'] : [key]
    for (const service of services) if (!needs.some((n) => n.service === service)) needs.push({service, reason: `${reason} ${raw}`})
  }
  return needs
}

/**
 * Pure: what ECS Exec session logging needs, from the cluster's executeCommandConfiguration.
 * With logging OVERRIDE the SSM agent in the task writes the session output itself to the named
 * CloudWatch Logs group (→ logs) and/or S3 bucket (→ s3); with DEFAULT it uses the container's
 * awslogs configuration, already a need of the task definition. ECS Exec page, "Logging and
 * auditing using ECS Exec": https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs-exec.html
 */
export function execLoggingNeeds(cluster: Cluster | undefined, enableExecuteCommand: boolean, region = ''): EndpointNeed[] {
  const config = cluster?.configuration?.executeCommandConfiguration
  if (!enableExecuteCommand || config?.logging !== 'OVERRIDE') return []
  const needs: EndpointNeed[] = []
  const log = config.logConfiguration
  if (log?.cloudWatchLogGroupName) needs.push({service: 'logs', reason: `cluster: executeCommandConfiguration logs ECS Exec sessions to CloudWatch Logs group ${log.cloudWatchLogGroupName}`})
  if (log?.s3BucketName) {
    // The SSM agent writes the session log (s3:PutObject) and, with s3EncryptionEnabled, reads the
    // bucket's encryption (s3:GetEncryptionConfiguration): ECS Exec page, "IAM permissions required
    // for Amazon CloudWatch Logs or Amazon S3 Logging". Not the image layer bucket.
    const bucket = `arn:${partitionOf(region)}:s3:::${log.s3BucketName}`
    const objects = `${bucket}/${log.s3KeyPrefix ? `${log.s3KeyPrefix.replace(/\/$/, '')}/` : ''}*`
    needs.push({
      service: 's3',
      reason: `cluster: executeCommandConfiguration logs ECS Exec sessions to S3 bucket ${log.s3BucketName}`,
      resource: objects,
      access: [{actions: ['s3:PutObject'], resource: objects}, ...(log.s3EncryptionEnabled ? [{actions: ['s3:GetEncryptionConfiguration'], resource: bucket}] : [])],
    })
  }
  return needs
}
