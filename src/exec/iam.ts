import type {IamDeclaration} from '../iam/declaration.js'
import {endpointAuditActions} from '../endpoints/iam.js'

/**
 * The pre-flight's route to ssmmessages (src/exec/reach.ts): the task's ENI, then the reads of the
 * shared endpoint audit (src/endpoints/gather.ts). A denied read is a warning, never a stop.
 */
const ROUTE_WHEN = 'awsvpc tasks, unless --no-check; a denied read only warns'
export const PREFLIGHT_ROUTE_ACTIONS: IamDeclaration['actions'] = [
  {action: 'ec2:DescribeNetworkInterfaces', why: 'pre-flight: read the subnet and security groups of the task\'s network interface', when: ROUTE_WHEN},
  ...endpointAuditActions('pre-flight, the route to ssmmessages', ROUTE_WHEN),
]

export const execIam: IamDeclaration = {
  command: 'exec',
  actions: [
    {action: 'ecs:ListClusters', why: 'offer the clusters to pick from'},
    {action: 'ecs:ListServices', why: 'offer the services to pick from'},
    {action: 'ecs:ListTasks', why: 'offer the running tasks to pick from'},
    {action: 'ecs:DescribeTasks', why: 'read the task, its containers and their exec agents'},
    {action: 'ecs:ExecuteCommand', why: 'open the ECS Exec session'},
    {action: 'ssm:TerminateSession', why: 'close the session when the plugin cannot start'},
    {action: 'kms:GenerateDataKey', why: 'session-manager-plugin encrypts the session with the cluster\'s exec KMS key', when: 'the cluster sets an exec KMS key'},
    ...PREFLIGHT_ROUTE_ACTIONS,
  ],
}

export const execPortForwardIam: IamDeclaration = {
  command: 'exec port-forward',
  actions: [
    {action: 'ecs:ListClusters', why: 'offer the clusters to pick from', when: 'without --cluster'},
    {action: 'ecs:ListServices', why: 'offer the services to pick from', when: 'without --task or --service'},
    {action: 'ecs:ListTasks', why: 'offer the running tasks to pick from', when: 'without --task'},
    {action: 'ecs:DescribeTasks', why: 'read the task, its containers and their exec agents'},
    // ssm:StartSession is authorised on the task and on the document (AWS-StartPortForwardingSession,
    // or …ToRemoteHost with --host): "Actions, resources, and condition keys for AWS Systems Manager".
    {action: 'ssm:StartSession', why: 'open the port-forwarding session (on the task and the AWS-StartPortForwardingSession* document)'},
    {action: 'ssm:TerminateSession', why: 'end the session when the plugin cannot start or was killed, or on Ctrl-C before it started'},
    ...PREFLIGHT_ROUTE_ACTIONS,
  ],
}

export const execCheckIam: IamDeclaration = {
  command: 'exec check',
  actions: [
    {action: 'ecs:DescribeClusters', why: 'read the cluster\'s exec configuration (KMS key, logging)'},
    {action: 'ecs:ListClusters', why: 'offer the clusters to pick from', when: 'without --cluster'},
    {action: 'ecs:ListServices', why: 'offer the services to pick from', when: 'without --task or --service'},
    {action: 'ecs:ListTasks', why: 'find the tasks of a service'},
    {action: 'ecs:DescribeServices', why: 'read the service\'s subnets and security groups', when: 'with --service'},
    {action: 'ecs:DescribeTasks', why: 'read the task, its containers and their exec agents'},
    {action: 'ecs:DescribeTaskDefinition', why: 'read the task role, init process, read-only root file system'},
    {action: 'ecs:DescribeContainerInstances', why: 'read the ECS agent version on EC2'},
    {action: 'iam:SimulatePrincipalPolicy', why: 'test the caller\'s and the task role\'s permissions'},
    {action: 'iam:GetInstanceProfile', why: 'find the instance role on EC2 tasks without a task role', when: 'the instance profile is not among those iam:ListInstanceProfiles returned'},
    {action: 'iam:ListInstanceProfiles', why: 'map the EC2 instance profile to its role one round earlier', when: 'EC2 tasks without a task role'},
    {action: 'iam:ListRoles', why: 'resolve the role behind an assumed-role caller'},
    {action: 'ec2:DescribeInstances', why: 'find the instance profile and security groups of an EC2 task'},
    {action: 'ec2:DescribeNetworkInterfaces', why: 'read the subnet and security groups of the task\'s network interface'},
    ...endpointAuditActions('the route to ssmmessages (and kms)'),
    {action: 'kms:DescribeKey', why: 'check the exec KMS key'},
    {action: 'sts:GetCallerIdentity', why: 'identify the caller'},
  ],
}
