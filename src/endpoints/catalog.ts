/**
 * What ecsops knows about each AWS service an ECS task may need a VPC endpoint for:
 * endpoint type, default private DNS name, what a task sees when it cannot reach the
 * service, and the actions an endpoint policy must allow. Pure data, no SDK import.
 *
 * Sources (checked November 2026):
 * - ECS: https://docs.aws.amazon.com/AmazonECS/latest/developerguide/vpc-endpoints.html
 *   (ecs, ecs-agent, ecs-telemetry: the container agent's, so the EC2 launch type's; Fargate
 *   tasks do not need them. In Regions introduced on or after 2023-12-23, e.g. ca-west-1,
 *   whoever creates one of the three must create all three: "If you do not configure all of
 *   the endpoints, your traffic will go over the public endpoints").
 * - FireLens destinations: the endpoint services are `kinesis-firehose` and `kinesis-streams`
 *   (Firehose developer guide, "Using Amazon Data Firehose with AWS PrivateLink"; Kinesis Data
 *   Streams developer guide, "Using Kinesis Data Streams with interface VPC endpoints"; the AWS
 *   CDK's InterfaceVpcEndpointAwsService list), whose private DNS names are firehose.<region>
 *   and kinesis.<region>.
 * - Partitions: endpoint service names are not always `com.amazonaws.<region>.<key>`: the China
 *   Regions name several services `cn.com.amazonaws.<region>.<key>` and the prefix differs per
 *   service (aws-cdk issue 11140, fixed in aws-cdk PR 16139), so the audit takes the names from
 *   DescribeVpcEndpointServices and uses these only when that call failed. ARNs are
 *   `arn:aws-cn:` in China and `arn:aws-us-gov:` in GovCloud ("Identify AWS resources with
 *   Amazon Resource Names (ARNs)", IAM user guide).
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
  /** Tasks start and run without it (its problems are info, never errors). */
  advisory?: boolean
}

const CATALOG: Record<string, EndpointServiceInfo> = {
  'ecr.api': {
    type: 'Interface',
    privateDnsName: 'api.ecr.{region}.amazonaws.com',
    symptom: 'tasks fail to start: "ResourceInitializationError: unable to pull secrets or registry auth ... unable to retrieve ecr registry auth ... i/o timeout"',
    // GetAuthorizationToken takes no resource (its Resource is always `*`): an Allow limited to
    // repository ARNs does not allow it (ECR user guide, "Private registry authentication").
    policyNeeds: {actions: ['ecr:GetAuthorizationToken'], resource: '*'},
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
  // The agent endpoints' private DNS names are ecs-a.<region> and ecs-t.<region> (with ecs.<region>,
  // the three private hosted zones AWS documents for centralised ECS endpoints: "Centralized VPC
  // endpoints for Amazon ECS", ECS developer guide vpc-endpoints page and the AWS re:Post article).
  'ecs-agent': {
    type: 'Interface',
    privateDnsName: 'ecs-a.{region}.amazonaws.com',
    symptom: 'the ECS agent cannot poll for work: container instances disconnect and tasks stay PENDING',
  },
  'ecs-telemetry': {
    type: 'Interface',
    privateDnsName: 'ecs-t.{region}.amazonaws.com',
    symptom: 'the ECS agent cannot send metrics: CloudWatch service metrics and Container Insights stay empty',
  },
  // The elasticfilesystem endpoint serves the EFS *API* (create, describe); the NFS mount goes to
  // the file system's mount targets in the VPC on TCP 2049 (EFS user guide, "Working with interface
  // VPC endpoints in Amazon EFS"): mounting does not need it.
  elasticfilesystem: {
    type: 'Interface',
    privateDnsName: 'elasticfilesystem.{region}.amazonaws.com',
    symptom: 'calls to the EFS API from the tasks fail (mounting an EFS volume does not use this endpoint: it needs a mount target in the task\'s Availability Zone, reachable on TCP 2049)',
    advisory: true,
  },
  xray: {
    type: 'Interface',
    privateDnsName: 'xray.{region}.amazonaws.com',
    symptom: 'the X-Ray daemon cannot send traces: traces are missing',
  },
  'kinesis-firehose': {
    type: 'Interface',
    privateDnsName: 'firehose.{region}.amazonaws.com',
    symptom: 'FireLens cannot deliver logs to Kinesis Data Firehose: logs are missing',
  },
  'kinesis-streams': {
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

/** The AWS partition of a Region: `aws-cn` (cn-*), `aws-us-gov` (us-gov-*), `aws-iso` (us-iso-*), `aws-iso-b` (us-isob-*), else `aws`. */
export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn'
  if (region.startsWith('us-gov-')) return 'aws-us-gov'
  if (region.startsWith('us-isob-')) return 'aws-iso-b'
  if (region.startsWith('us-iso-')) return 'aws-iso'
  return 'aws'
}

/** The ECR image layer bucket's objects (ECR user guide, VPC endpoints, "Create the Amazon S3 gateway endpoint"), in the Region's partition. */
export function starportLayerObjects(region: string): string {
  return `arn:${partitionOf(region)}:s3:::prod-${region}-starport-layer-bucket/*`
}

/** The usual endpoint service name; `names` (from DescribeVpcEndpointServices) wins when it has the service. */
export function endpointServiceName(region: string, service: string, names?: Record<string, string>): string {
  return names?.[service] ?? `com.amazonaws.${region}.${service}`
}

/** The names an endpoint service may have in the Region (`cn.com.amazonaws.` too in China), for DescribeVpcEndpointServices' service-name filter. */
export function candidateServiceNames(region: string, service: string): string[] {
  const plain = `com.amazonaws.${region}.${service}`
  return partitionOf(region) === 'aws-cn' ? [plain, `cn.${plain}`] : [plain]
}

/** `com.amazonaws.eu-west-1.ecr.dkr` or `cn.com.amazonaws.cn-north-1.ecr.dkr` → `ecr.dkr`; other names (PrivateLink partners) unchanged. */
export function serviceKeyOf(serviceName: string, region: string): string {
  for (const prefix of [`com.amazonaws.${region}.`, `cn.com.amazonaws.${region}.`]) {
    if (serviceName.startsWith(prefix)) return serviceName.slice(prefix.length)
  }
  return serviceName
}

export function withRegion(text: string, region: string): string {
  return text.replaceAll('{region}', region).replaceAll('arn:aws:', `arn:${partitionOf(region)}:`)
}

/** The three ECS endpoints of the container agent: in Regions introduced on or after 2023-12-23, all three or none (see the header). */
export const ECS_AGENT_ENDPOINTS = ['ecs', 'ecs-agent', 'ecs-telemetry'] as const

/**
 * Regions introduced on or after 2023-12-23 (ECS vpc-endpoints page, "Considerations for endpoints
 * in Regions introduced starting on December 23, 2023"; ca-west-1 is AWS's own example, the others
 * opened after that date): there, an ECS endpoint without the other two sends the agent's traffic
 * to the public endpoints.
 */
export const REGIONS_WITH_ALL_OR_NO_ECS_ENDPOINTS = new Set([
  'ca-west-1',
  'ap-southeast-5',
  'ap-southeast-7',
  'mx-central-1',
  'ap-east-2',
  'ap-southeast-6',
])
