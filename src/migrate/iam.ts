import type {IamDeclaration} from '../iam/declaration.js'

const AUDIT = 'to explain a task that failed to start for a network reason'

export const migrateIam: IamDeclaration = {
  command: 'migrate',
  actions: [
    {action: 'ecs:DescribeServices', why: 'copy the service\'s task definition, network and launch settings'},
    {action: 'ecs:ListServices', why: 'name the services a cluster has when the one given is unknown', when: 'when the service is not found'},
    {action: 'ecs:DescribeTaskDefinition', why: 'find the container to override and its log configuration'},
    {action: 'ecs:RunTask', why: 'start the one-off task'},
    {action: 'ecs:DescribeTasks', why: 'follow the task until it stops and read the exit code'},
    {action: 'ecs:StopTask', why: 'stop the task on timeout or interrupt, or once the overridden container (not essential) has exited'},
    {action: 'ecs:TagResource', why: 'tag the task at launch', when: 'with --tag'},
    {action: 'sts:GetCallerIdentity', why: 'show the account in the confirmation asked in a terminal (needs no permission)'},
    {action: 'iam:PassRole', why: 'pass the task and execution roles to ECS'},
    {action: 'logs:GetLogEvents', why: 'stream the container\'s CloudWatch log'},
    // The endpoint audit run when a task fails to start for a network reason.
    {action: 'ec2:DescribeSubnets', why: 'find the VPC of the task subnets', when: AUDIT},
    {action: 'ec2:DescribeRouteTables', why: 'see whether the subnets reach a NAT gateway or the S3 gateway endpoint', when: AUDIT},
    {action: 'ec2:DescribeVpcEndpoints', why: 'list the VPC endpoints the task could use', when: AUDIT},
    {action: 'ec2:DescribeSecurityGroups', why: 'check that the endpoints admit port 443 from the task', when: AUDIT},
    {action: 'ec2:DescribeVpcAttribute', why: 'check the VPC\'s DNS support and hostnames', when: AUDIT},
    {action: 'ec2:DescribeNatGateways', why: 'tell a private NAT gateway (no internet) from a public one', when: AUDIT},
    {action: 'ec2:DescribeVpcEndpointServices', why: 'learn each endpoint service\'s private DNS name', when: AUDIT},
    {action: 'route53:ListHostedZonesByVPC', why: 'find centralised endpoints behind private hosted zones', when: AUDIT},
  ],
}
