import type {IamDeclaration} from '../iam/declaration.js'

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
    {action: 'ec2:DescribeVpcEndpoints', why: 'list the VPC endpoints'},
    {action: 'ec2:DescribeSubnets', why: 'read the task subnets, their AZs and owners'},
    {action: 'ec2:DescribeRouteTables', why: 'find internet routes and S3 gateway associations'},
    {action: 'ec2:DescribeSecurityGroups', why: 'check that endpoints admit port 443'},
    {action: 'ec2:DescribeVpcAttribute', why: 'check the VPC\'s DNS support and hostnames'},
    {action: 'ec2:DescribeNatGateways', why: 'tell a private NAT gateway (no internet) from a public one'},
    {action: 'ec2:DescribeVpcEndpointServices', why: 'learn each service\'s exact name and private DNS name'},
    {action: 'sts:GetCallerIdentity', why: 'learn the caller\'s account with --vpc/--subnets, to tell a shared subnet from a missing endpoint (needs no permission)'},
    {action: 'route53:ListHostedZonesByVPC', why: 'find centralised endpoints behind private hosted zones'},
  ],
}
