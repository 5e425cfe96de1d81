import {endpointAuditActions} from '../endpoints/iam.js'
import type {IamDeclaration} from '../iam/declaration.js'

const MIGRATE = 'with migrate --preflight, or to explain a task that never started'

/** The AWS actions `ecsops preflight` sends. Nothing reads a secret's value: DescribeSecret and DescribeParameters only. */
export const preflightIam: IamDeclaration = {
  command: 'preflight',
  actions: [
    {action: 'ecs:DescribeServices', why: 'read the service\'s exact task definition revision and network', when: 'with --service, or --task of a service'},
    {action: 'ecs:ListServices', why: 'name the services a cluster has when the one given is unknown', when: 'when the service is not found'},
    {action: 'ecs:DescribeTaskDefinition', why: 'read the images, secrets, log groups and roles the task definition references'},
    {action: 'ecs:DescribeTasks', why: 'read the stopped task to explain (its task definition, subnet, stop reason)', when: 'with --task'},
    {action: 'iam:GetRole', why: 'read the execution role\'s trust policy'},
    {action: 'iam:SimulatePrincipalPolicy', why: 'test what the execution role (and the task role, for the hint) may do on the real resources'},
    {action: 'ecr:DescribeImages', why: 'check that each ECR image tag or digest exists'},
    {action: 'ecr:BatchGetImage', why: 'read the platforms of a multi-arch image index', when: 'Fargate, an image index'},
    {action: 'secretsmanager:DescribeSecret', why: 'check that each secret exists and find its KMS key (never its value)'},
    {action: 'ssm:DescribeParameters', why: 'check that each parameter exists and find its KMS key (never its value)'},
    {action: 'logs:DescribeLogGroups', why: 'check that each awslogs group exists'},
    ...endpointAuditActions('the network check'),
  ],
}

/** What `migrate --preflight` (and the explanation of a task that never started) adds to migrate's own actions. */
export const migratePreflightActions = preflightIam.actions.filter((a) => !['ecs:DescribeTasks', 'ecs:ListServices', 'ecs:DescribeServices', 'ecs:DescribeTaskDefinition'].includes(a.action)).map((a) => ({...a, when: MIGRATE}))
