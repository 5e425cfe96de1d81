/**
 * The EC2 launch type: image pulls, secrets, environment files, EFS mounts and the awslogs driver
 * go out through the container instance's own network (its primary ENI: its subnet and security
 * groups), not the task's ENI; awsvpc task ENIs on EC2 never get a public IP. Only what runs
 * inside the task's network namespace (ECS Exec's SSM agent, the application, a FireLens router)
 * uses the task ENI. ECS developer guide, "Amazon ECS task networking options for the EC2 launch
 * type" (awsvpc: "the task ENI … does not receive a public IP address"; the agent uses the
 * instance's primary ENI) and "Amazon ECS interface VPC endpoints" (the agent's endpoints).
 */
import {DescribeContainerInstancesCommand, ListContainerInstancesCommand, type ECSClient} from '@aws-sdk/client-ecs'
import {DescribeInstancesCommand, type EC2Client} from '@aws-sdk/client-ec2'

import type {EndpointNeed} from './types.js'
import {chunk} from '../aws/chunk.js'

/** The network of a cluster's ACTIVE EC2 container instances. */
export interface InstanceNetwork {
  instanceIds: string[]
  vpcIds: string[]
  subnetIds: string[]
  securityGroupIds: string[]
  /** Every instance has a public IPv4 address (an internet gateway route then carries its traffic). */
  publicIp: boolean
}

/** Services the container instance reaches for the task (the agent and the Docker daemon on the instance). */
const INSTANCE_SERVICES = new Set(['ecr.api', 'ecr.dkr', 's3', 'logs', 'secretsmanager', 'ssm', 'ecs', 'ecs-agent', 'ecs-telemetry', 'elasticfilesystem'])

/**
 * Pure: which needs go through the instance's network and which through the task's ENI. Needs of
 * ECS Exec (the SSM agent runs in the task) and FireLens outputs (the router is a container of the
 * task) stay on the task; with bridge or host network mode everything uses the instance.
 */
export function splitNeeds(needs: EndpointNeed[], awsvpc: boolean): {instance: EndpointNeed[]; task: EndpointNeed[]} {
  if (!awsvpc) return {instance: needs, task: []}
  const inTask = (n: EndpointNeed) => !INSTANCE_SERVICES.has(n.service) || /FireLens output|^cluster: executeCommandConfiguration|^service: enableExecuteCommand/.test(n.reason)
  return {instance: needs.filter((n) => !inTask(n)), task: needs.filter(inTask)}
}

/** Gathers the cluster's ACTIVE container instances and their EC2 network: 3 calls (more with many instances). */
export async function gatherInstanceNetwork(ecs: ECSClient, ec2: EC2Client, cluster: string): Promise<InstanceNetwork> {
  const arns: string[] = []
  let token: string | undefined
  do {
    const page = await ecs.send(new ListContainerInstancesCommand({cluster, status: 'ACTIVE', nextToken: token}))
    arns.push(...(page.containerInstanceArns ?? []))
    token = page.nextToken
  } while (token)
  if (arns.length === 0) return {instanceIds: [], vpcIds: [], subnetIds: [], securityGroupIds: [], publicIp: false}
  const described = await Promise.all(chunk(arns, 100).map((containerInstances) => ecs.send(new DescribeContainerInstancesCommand({cluster, containerInstances}))))
  const instanceIds = described.flatMap((d) => d.containerInstances ?? []).map((ci) => ci.ec2InstanceId).filter((id): id is string => Boolean(id))
  if (instanceIds.length === 0) return {instanceIds: [], vpcIds: [], subnetIds: [], securityGroupIds: [], publicIp: false}
  const pages = await Promise.all(chunk(instanceIds, 200).map((InstanceIds) => ec2.send(new DescribeInstancesCommand({InstanceIds}))))
  const instances = pages.flatMap((p) => (p.Reservations ?? []).flatMap((r) => r.Instances ?? []))
  const unique = <T>(xs: T[]) => [...new Set(xs)]
  return {
    instanceIds,
    vpcIds: unique(instances.map((i) => i.VpcId).filter((v): v is string => Boolean(v))),
    subnetIds: unique(instances.map((i) => i.SubnetId).filter((v): v is string => Boolean(v))),
    securityGroupIds: unique(instances.flatMap((i) => (i.SecurityGroups ?? []).map((g) => g.GroupId)).filter((v): v is string => Boolean(v))),
    publicIp: instances.length > 0 && instances.every((i) => Boolean(i.PublicIpAddress)),
  }
}

