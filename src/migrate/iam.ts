import type {IamDeclaration} from '../iam/declaration.js'
import {migratePreflightActions} from '../preflight/iam.js'

export const migrateIam: IamDeclaration = {
  command: 'migrate',
  actions: [
    {action: 'ecs:DescribeServices', why: 'copy the service\'s task definition, network and launch settings'},
    {action: 'ecs:ListServices', why: 'name the services a cluster has when the one given is unknown', when: 'when the service is not found'},
    {action: 'ecs:ListClusters', why: 'offer the clusters to pick from (never taken silently)', when: 'without --cluster'},
    {action: 'ecs:DescribeTaskDefinition', why: 'find the container to override and its log configuration'},
    {action: 'ecs:RunTask', why: 'start the one-off task'},
    {action: 'ecs:DescribeTasks', why: 'follow the task until it stops and read the exit code'},
    {action: 'ecs:StopTask', why: 'stop the task on timeout or interrupt, or once the overridden container (not essential) has exited'},
    {action: 'ecs:TagResource', why: 'tag the task at launch', when: 'with --tag'},
    {action: 'sts:GetCallerIdentity', why: 'show the account in the confirmation asked in a terminal (needs no permission)'},
    {action: 'iam:PassRole', why: 'pass the task and execution roles to ECS'},
    {action: 'logs:GetLogEvents', why: 'stream the container\'s CloudWatch log'},
    // The preflight (ecsops preflight's checks) run with --preflight, or when a task fails to start.
    ...migratePreflightActions,
  ],
}
