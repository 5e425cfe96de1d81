/** Fixtures of `ecsops preflight`: a Fargate service with 2 containers, 3 secrets (2 Secrets Manager, 1 Parameter Store) and 2 ECR images, in the documented shapes. */
import {CloudWatchLogsClient} from '@aws-sdk/client-cloudwatch-logs'
import {EC2Client} from '@aws-sdk/client-ec2'
import type {DescribeImagesCommandOutput} from '@aws-sdk/client-ecr'
import {ECRClient} from '@aws-sdk/client-ecr'
import {ECSClient, type DescribeServicesCommandOutput, type DescribeTaskDefinitionCommandOutput, type Task, type TaskDefinition} from '@aws-sdk/client-ecs'
import {IAMClient, type GetRoleCommandOutput, type SimulatePrincipalPolicyCommandInput, type SimulatePrincipalPolicyCommandOutput} from '@aws-sdk/client-iam'
import {Route53Client} from '@aws-sdk/client-route-53'
import {SecretsManagerClient, type DescribeSecretCommandOutput} from '@aws-sdk/client-secrets-manager'
import {SSMClient, type DescribeParametersCommandOutput} from '@aws-sdk/client-ssm'

import type {RunClients} from '../../src/preflight/run.js'
import type {Decisions, PreflightFacts, PreflightTarget} from '../../src/preflight/model.js'
import {executionRolePermissions, referencesOf, resolveSecrets} from '../../src/preflight/references.js'

export const REGION = 'eu-west-1'
export const ACCOUNT = '123456789012'
export const EXECUTION_ROLE = `arn:aws:iam::${ACCOUNT}:role/ecsTaskExecutionRole`
export const TASK_ROLE = `arn:aws:iam::${ACCOUNT}:role/web-app`
export const TD_ARN = `arn:aws:ecs:${REGION}:${ACCOUNT}:task-definition/web:42`
export const APP_IMAGE = `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/team/web:1.4.2`
export const PROXY_IMAGE = `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/proxy@sha256:${'a'.repeat(64)}`
/** As the task definition names it (partial ARN, a JSON key suffix); DescribeSecret answers the full ARN with its random suffix. */
export const DB_SECRET = `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:prod/db`
export const DB_SECRET_FULL = `${DB_SECRET}-AbCdEf`
export const API_SECRET = `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:prod/api-XyZ123`
export const DB_KEY = `arn:aws:kms:${REGION}:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`
export const FLAGS_PARAMETER = `arn:aws:ssm:${REGION}:${ACCOUNT}:parameter/prod/flags`

export function taskDefinition(extra: Partial<TaskDefinition> = {}): TaskDefinition {
  return {
    taskDefinitionArn: TD_ARN,
    family: 'web',
    revision: 42,
    requiresCompatibilities: ['FARGATE'],
    networkMode: 'awsvpc',
    cpu: '512',
    memory: '1024',
    executionRoleArn: EXECUTION_ROLE,
    taskRoleArn: TASK_ROLE,
    containerDefinitions: [
      {
        name: 'app',
        image: APP_IMAGE,
        essential: true,
        secrets: [
          {name: 'DB_PASSWORD', valueFrom: `${DB_SECRET}:password::`},
          {name: 'API_KEY', valueFrom: API_SECRET},
          {name: 'FLAGS', valueFrom: FLAGS_PARAMETER},
        ],
        logConfiguration: {logDriver: 'awslogs', options: {'awslogs-group': '/ecs/web', 'awslogs-region': REGION, 'awslogs-stream-prefix': 'web'}},
      },
      {
        name: 'proxy',
        image: PROXY_IMAGE,
        essential: true,
        logConfiguration: {logDriver: 'awslogs', options: {'awslogs-group': '/ecs/web', 'awslogs-region': REGION, 'awslogs-stream-prefix': 'proxy'}},
      },
    ],
    ...extra,
  }
}

export const describedTaskDefinition = (td: TaskDefinition = taskDefinition()): DescribeTaskDefinitionCommandOutput => ({$metadata: {}, taskDefinition: td})

export const describedService = (extra: Partial<NonNullable<DescribeServicesCommandOutput['services']>[number]> = {}): DescribeServicesCommandOutput => ({
  $metadata: {},
  services: [
    {
      serviceName: 'web',
      serviceArn: `arn:aws:ecs:${REGION}:${ACCOUNT}:service/prod/web`,
      status: 'ACTIVE',
      taskDefinition: TD_ARN,
      launchType: 'FARGATE',
      platformVersion: 'LATEST',
      networkConfiguration: {awsvpcConfiguration: {subnets: ['subnet-a'], securityGroups: ['sg-task'], assignPublicIp: 'DISABLED'}},
      ...extra,
    },
  ],
  failures: [],
})

export const trustPolicy = (statement: object = {Effect: 'Allow', Principal: {Service: 'ecs-tasks.amazonaws.com'}, Action: 'sts:AssumeRole'}) =>
  encodeURIComponent(JSON.stringify({Version: '2012-10-17', Statement: [statement]}))

export const role = (arn = EXECUTION_ROLE, policy = trustPolicy()): GetRoleCommandOutput => ({
  $metadata: {},
  Role: {Path: '/', RoleName: arn.split('/').pop()!, RoleId: 'AROAEXEC', Arn: arn, CreateDate: new Date('2024-01-01'), AssumeRolePolicyDocument: policy},
})

export const image = (digest = `sha256:${'b'.repeat(64)}`, mediaType = 'application/vnd.docker.distribution.manifest.v2+json'): DescribeImagesCommandOutput => ({
  $metadata: {},
  imageDetails: [{registryId: ACCOUNT, repositoryName: 'team/web', imageDigest: digest, imageTags: ['1.4.2'], imageManifestMediaType: mediaType}],
})

export const secret = (arn: string, kmsKeyId?: string): DescribeSecretCommandOutput => ({$metadata: {}, ARN: arn, Name: arn.split(':secret:')[1], KmsKeyId: kmsKeyId})

export const parameters = (names: Array<{name: string; keyId?: string}>): DescribeParametersCommandOutput => ({
  $metadata: {},
  Parameters: names.map((p) => ({Name: p.name, Type: 'SecureString', KeyId: p.keyId ?? 'alias/aws/ssm', Version: 3})),
})

/**
 * The simulator as AWS answers it: one EvaluationResult per action, ResourceSpecificResults per
 * resource ("the simulator now returns a single EvaluationResult per action"). It rejects what
 * AWS rejects: no PolicySourceArn or no ActionNames.
 */
export function simulator(decide: (role: string, action: string, resource: string) => 'allowed' | 'implicitDeny' | 'explicitDeny') {
  return (input: SimulatePrincipalPolicyCommandInput): SimulatePrincipalPolicyCommandOutput => {
    if (!input.PolicySourceArn || !input.ActionNames?.length) throw Object.assign(new Error('1 validation error detected'), {name: 'InvalidInputException'})
    const resources = input.ResourceArns?.length ? input.ResourceArns : ['*']
    return {
      $metadata: {},
      IsTruncated: false,
      EvaluationResults: input.ActionNames.map((action) => {
        const specific = resources.map((resource) => ({EvalResourceName: resource, EvalResourceDecision: decide(input.PolicySourceArn!, action, resource)}))
        const worst = specific.find((s) => s.EvalResourceDecision === 'explicitDeny') ?? specific.find((s) => s.EvalResourceDecision === 'implicitDeny') ?? specific[0]!
        return {EvalActionName: action, EvalResourceName: '*', EvalDecision: worst.EvalResourceDecision, ResourceSpecificResults: specific}
      }),
    }
  }
}

export function runClients(region = REGION): RunClients {
  return {
    ecs: async () => new ECSClient({region}),
    ec2: async () => new EC2Client({region}),
    route53: async () => new Route53Client({region}),
    iam: async () => new IAMClient({region}),
    ecr: async (r?: string) => new ECRClient({region: r ?? region}),
    secretsManager: async (r?: string) => new SecretsManagerClient({region: r ?? region}),
    ssm: async (r?: string) => new SSMClient({region: r ?? region}),
    logs: async (r?: string) => new CloudWatchLogsClient({region: r ?? region}),
  }
}

export function target(extra: Partial<PreflightTarget> = {}): PreflightTarget {
  return {region: REGION, taskDefinition: taskDefinition(), launchType: 'FARGATE', platformVersion: 'LATEST', network: {subnetIds: ['subnet-a'], securityGroupIds: ['sg-task']}, source: 'service web', ...extra}
}

/** Facts where everything exists and every permission is allowed: each test changes one thing. */
/** Decisions for every permission the facts' target needs, from `decide` (allowed by default). */
export function decisionsFor(facts: Omit<PreflightFacts, 'executionDecisions' | 'taskRoleDecisions'>, decide: (action: string, resource: string) => string = () => 'allowed'): Decisions {
  const refs = referencesOf(facts.target.taskDefinition, facts.target.region)
  const decisions: Decisions = {}
  for (const p of executionRolePermissions(refs, facts.target, resolveSecrets(refs, facts.secrets, facts.parameters))) (decisions[p.action] ??= {})[p.resource] = decide(p.action, p.resource)
  return decisions
}

/** Facts where everything exists and every permission is allowed: each test changes one thing. */
export function healthyFacts(extra: Partial<PreflightFacts> = {}): PreflightFacts {
  const base: PreflightFacts = {
    target: target(),
    network: {ok: true, value: {vpcId: 'vpc-1', subnets: [{subnetId: 'subnet-a', availabilityZone: 'eu-west-1a', internetRoute: 'nat'}], findings: []}},
    executionRole: {ok: true, value: {arn: EXECUTION_ROLE, trustPolicy: decodeURIComponent(trustPolicy())}},
    images: {[APP_IMAGE]: {ok: true, value: {digest: `sha256:${'b'.repeat(64)}`, mediaType: 'application/vnd.docker.distribution.manifest.v2+json'}}, [PROXY_IMAGE]: {ok: true, value: {digest: `sha256:${'a'.repeat(64)}`}}},
    secrets: {[DB_SECRET]: {ok: true, value: {arn: DB_SECRET_FULL, kmsKeyId: DB_KEY}}, [API_SECRET]: {ok: true, value: {arn: API_SECRET}}},
    parameters: {[REGION]: {ok: true, value: {'/prod/flags': {name: '/prod/flags', type: 'SecureString', keyId: 'alias/aws/ssm'}}}},
    logGroups: {[`${REGION}|/ecs/web`]: {ok: true, value: true}},
    ...extra,
  }
  return {executionDecisions: {ok: true, value: decisionsFor(base)}, taskRoleDecisions: {ok: true, value: decisionsFor(base, () => 'implicitDeny')}, ...base}
}

export const stoppedTask = (extra: Partial<Task> = {}): Task => ({
  taskArn: `arn:aws:ecs:${REGION}:${ACCOUNT}:task/prod/0f1e2d3c4b5a69788796a5b4c3d2e1f0`,
  clusterArn: `arn:aws:ecs:${REGION}:${ACCOUNT}:cluster/prod`,
  taskDefinitionArn: TD_ARN,
  group: 'service:web',
  launchType: 'FARGATE',
  platformVersion: '1.4.0',
  lastStatus: 'STOPPED',
  stopCode: 'TaskFailedToStart',
  attachments: [{type: 'ElasticNetworkInterface', details: [{name: 'subnetId', value: 'subnet-b'}, {name: 'networkInterfaceId', value: 'eni-1'}]}],
  containers: [{name: 'app', lastStatus: 'STOPPED'}, {name: 'proxy', lastStatus: 'STOPPED'}],
  ...extra,
})
