import type {IamAction, IamDeclaration} from '../iam/declaration.js'

/**
 * The reads of the shared endpoint audit (src/endpoints/api.ts auditNetwork), for every command
 * that runs it: `purpose` says what for (`pre-flight: the route to ssmmessages`), `when` when only
 * in some cases. One list, so that a read the audit gains is declared everywhere at once.
 */
export function endpointAuditActions(purpose: string, when?: string): IamAction[] {
  const reads: Array<[string, string]> = [
    ['ec2:DescribeSubnets', 'read the task subnets, their VPC, AZs and owners'],
    ['ec2:DescribeRouteTables', 'find internet routes and S3 gateway associations'],
    ['ec2:DescribeVpcEndpoints', 'list the VPC endpoints'],
    ['ec2:DescribeSecurityGroups', 'check that endpoints admit port 443'],
    ['ec2:DescribeVpcAttribute', 'check the VPC\'s DNS support and hostnames'],
    ['ec2:DescribeNatGateways', 'tell a private NAT gateway (no internet) from a public one'],
    ['ec2:DescribeVpcEndpointServices', 'learn each endpoint service\'s exact name and private DNS name'],
    ['route53:ListHostedZonesByVPC', 'find centralised endpoints behind private hosted zones'],
  ]
  return reads.map(([action, why]) => ({action, why: `${purpose}: ${why}`, ...(when ? {when} : {})}))
}

export const checkEndpointsIam: IamDeclaration = {
  command: 'check-endpoints',
  actions: [
    {action: 'ecs:DescribeClusters', why: 'read the cluster\'s exec KMS configuration'},
    {action: 'ecs:ListServices', why: 'list the services with --all-services'},
    {action: 'ecs:ListClusters', why: 'offer the clusters to pick from', when: 'without --cluster'},
    {action: 'ecs:DescribeServices', why: 'read each service\'s network and task definition'},
    {action: 'ecs:DescribeTaskDefinition', why: 'derive the endpoints each service needs'},
    {action: 'ecs:DescribeTasks', why: 'audit the service behind a stopped task (--task)'},
    {action: 'ecs:ListContainerInstances', why: 'find the container instances of EC2 services (image pulls, secrets and awslogs go through their network)'},
    {action: 'ecs:DescribeContainerInstances', why: 'find the EC2 instances behind the container instances'},
    {action: 'ec2:DescribeInstances', why: 'read the container instances\' subnets, security groups and public IPs'},
    ...endpointAuditActions('the audit'),
    {action: 'sts:GetCallerIdentity', why: 'learn the caller\'s account with --vpc/--subnets, to tell a shared subnet from a missing endpoint (needs no permission)'},
  ],
}
