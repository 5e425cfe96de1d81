/**
 * What ecsops knows about each AWS service an ECS task may need a VPC endpoint for:
 * endpoint type, default private DNS name, what a task sees when it cannot reach the
 * service, and the actions an endpoint policy must allow. Pure data, no SDK import.
 *
 * Sources (checked November 2026):
 * - ECS: https://docs.aws.amazon.com/AmazonECS/latest/developerguide/vpc-endpoints.html
 *   (ecs, ecs-agent, ecs-telemetry; required for Fargate too in Regions introduced on or
 *   after 2023-12-23, e.g. ca-west-1).
 * - ECR: https://docs.aws.amazon.com/AmazonECR/latest/userguide/vpc-endpoints.html
 *   (ecr.api + ecr.dkr for Fargate platform 1.4.0+, the s3 *gateway* endpoint for layers,
 *   and the layer bucket arn:aws:s3:::prod-<region>-starport-layer-bucket/*).
 * - Secrets/parameters: https://docs.aws.amazon.com/AmazonECS/latest/developerguide/specifying-sensitive-data.html
 * - ECS Exec: https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs-exec.html
 *   (ssmmessages; kms when the cluster's executeCommandConfiguration names a KMS key).
 * - Private DNS names as DescribeVpcEndpointServices reports them (PrivateDnsName).
 */

export interface EndpointServiceInfo {
  type: 'Interface' | 'Gateway'
  /** PrivateDnsName as DescribeVpcEndpointServices reports it; `{region}` is replaced. */
  privateDnsName?: string
  /** What tasks show when they cannot reach the service (for error severity). */
  symptom: string
  /** Actions (and resource) the endpoint policy must allow for ECS to work. */
  policyNeeds?: {actions: string[]; resource?: string}
}

const CATALOG: Record<string, EndpointServiceInfo> = {
  'ecr.api': {
    type: 'Interface',
    privateDnsName: 'api.ecr.{region}.amazonaws.com',
    symptom: 'tasks fail to start: "ResourceInitializationError: unable to pull secrets or registry auth ... unable to retrieve ecr registry auth ... i/o timeout"',
    policyNeeds: {actions: ['ecr:GetAuthorizationToken']},
  },
  'ecr.dkr': {
    type: 'Interface',
    privateDnsName: '*.dkr.ecr.{region}.amazonaws.com',
    symptom: 'tasks fail to start: "CannotPullContainerError: ... dial tcp ...: i/o timeout"',
    policyNeeds: {actions: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer']},
  },
  s3: {
    type: 'Gateway',
    symptom: 'tasks fail to start: "CannotPullContainerError" while downloading image layers from prod-{region}-starport-layer-bucket (and environment files in S3 cannot be read)',
    policyNeeds: {actions: ['s3:GetObject'], resource: 'arn:aws:s3:::prod-{region}-starport-layer-bucket/*'},
  },
  logs: {
    type: 'Interface',
    privateDnsName: 'logs.{region}.amazonaws.com',
    symptom: 'tasks fail to start: "ResourceInitializationError: failed to validate logger args: ... failed to create Cloudwatch log stream"',
    policyNeeds: {actions: ['logs:CreateLogStream', 'logs:PutLogEvents']},
  },
  ssm: {
    type: 'Interface',
    privateDnsName: 'ssm.{region}.amazonaws.com',
    symptom: 'tasks fail to start: "ResourceInitializationError: unable to pull secrets or registry auth ... unable to retrieve secrets from ssm"',
    policyNeeds: {actions: ['ssm:GetParameters']},
  },
  secretsmanager: {
    type: 'Interface',
    privateDnsName: 'secretsmanager.{region}.amazonaws.com',
    symptom: 'tasks fail to start: "ResourceInitializationError: unable to pull secrets or registry auth ... unable to retrieve secret from asm"',
    policyNeeds: {actions: ['secretsmanager:GetSecretValue']},
  },
  ssmmessages: {
    type: 'Interface',
    privateDnsName: 'ssmmessages.{region}.amazonaws.com',
    symptom: 'ECS Exec fails: the ExecuteCommandAgent never reaches RUNNING and `execute-command` hangs or answers TargetNotConnectedException',
    policyNeeds: {actions: ['ssmmessages:CreateControlChannel', 'ssmmessages:CreateDataChannel', 'ssmmessages:OpenControlChannel', 'ssmmessages:OpenDataChannel']},
  },
  kms: {
    type: 'Interface',
    privateDnsName: 'kms.{region}.amazonaws.com',
    symptom: 'ECS Exec sessions fail: the session cannot be encrypted with the cluster\'s KMS key',
    policyNeeds: {actions: ['kms:Decrypt']},
  },
  ecs: {
    type: 'Interface',
    privateDnsName: 'ecs.{region}.amazonaws.com',
    symptom: 'the ECS agent cannot reach the ECS control plane: instances do not register, tasks stay PROVISIONING/PENDING',
  },
  'ecs-agent': {
    type: 'Interface',
    privateDnsName: 'ecs-a-*.{region}.amazonaws.com',
    symptom: 'the ECS agent cannot poll for work: container instances disconnect and tasks stay PENDING',
  },
  'ecs-telemetry': {
    type: 'Interface',
    privateDnsName: 'ecs-t-*.{region}.amazonaws.com',
    symptom: 'the ECS agent cannot send metrics: CloudWatch service metrics and Container Insights stay empty',
  },
  elasticfilesystem: {
    type: 'Interface',
    privateDnsName: 'elasticfilesystem.{region}.amazonaws.com',
    symptom: 'tasks fail to start: "ResourceInitializationError: failed to invoke EFS utils commands to set up EFS volumes"',
  },
  xray: {
    type: 'Interface',
    privateDnsName: 'xray.{region}.amazonaws.com',
    symptom: 'the X-Ray daemon cannot send traces: traces are missing',
  },
  firehose: {
    type: 'Interface',
    privateDnsName: 'firehose.{region}.amazonaws.com',
    symptom: 'FireLens cannot deliver logs to Kinesis Data Firehose: logs are missing',
  },
  kinesis: {
    type: 'Interface',
    privateDnsName: 'kinesis.{region}.amazonaws.com',
    symptom: 'FireLens cannot deliver logs to Kinesis Data Streams: logs are missing',
  },
  monitoring: {
    type: 'Interface',
    privateDnsName: 'monitoring.{region}.amazonaws.com',
    symptom: 'metrics cannot be sent to CloudWatch',
  },
}

export function serviceInfo(service: string): EndpointServiceInfo {
  return CATALOG[service] ?? {type: 'Interface', privateDnsName: `${service}.{region}.amazonaws.com`, symptom: `tasks cannot reach ${service}`}
}

export function knownServices(): string[] {
  return Object.keys(CATALOG)
}

export function endpointServiceName(region: string, service: string): string {
  return `com.amazonaws.${region}.${service}`
}

/** `com.amazonaws.eu-west-1.ecr.dkr` → `ecr.dkr`; other names (PrivateLink partners) unchanged. */
export function serviceKeyOf(serviceName: string, region: string): string {
  const prefix = `com.amazonaws.${region}.`
  return serviceName.startsWith(prefix) ? serviceName.slice(prefix.length) : serviceName
}

export function withRegion(text: string, region: string): string {
  return text.replaceAll('{region}', region)
}

/**
 * Regions introduced on or after 2023-12-23, where AWS documents ecs, ecs-agent and
 * ecs-telemetry endpoints as required for Fargate too (ECS vpc-endpoints page,
 * "Considerations for endpoints in Regions introduced starting on December 23, 2023").
 * ca-west-1 is AWS's own example; the others opened after that date.
 */
export const REGIONS_NEEDING_ECS_ENDPOINTS_ON_FARGATE = new Set([
  'ca-west-1',
  'ap-southeast-5',
  'ap-southeast-7',
  'mx-central-1',
  'ap-east-2',
  'ap-southeast-6',
])
