import type {IamDeclaration} from '../iam/declaration.js'

export const migrateIam: IamDeclaration = {
  command: 'migrate',
  actions: [
    {action: 'ecs:DescribeServices', why: 'copy the service\'s task definition, network and launch settings'},
    {action: 'ecs:ListServices', why: 'name the services a cluster has when the one given is unknown', when: 'when the service is not found'},
    {action: 'ecs:DescribeTaskDefinition', why: 'find the container to override and its log configuration'},
    {action: 'ecs:RunTask', why: 'start the one-off task'},
    {action: 'ecs:DescribeTasks', why: 'follow the task until it stops and read the exit code'},
    {action: 'ecs:StopTask', why: 'stop the task on timeout or interrupt'},
    {action: 'ecs:TagResource', why: 'tag the task at launch', when: 'with --tag'},
    {action: 'iam:PassRole', why: 'pass the task and execution roles to ECS'},
    {action: 'logs:GetLogEvents', why: 'stream the container\'s CloudWatch log'},
  ],
}
