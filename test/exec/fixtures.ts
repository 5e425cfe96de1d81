import type {Container, ContainerDefinition, Task, TaskDefinition} from '@aws-sdk/client-ecs'

import {EC2Client} from '@aws-sdk/client-ec2'
import {ECSClient} from '@aws-sdk/client-ecs'
import {IAMClient} from '@aws-sdk/client-iam'
import {KMSClient} from '@aws-sdk/client-kms'
import {Route53Client} from '@aws-sdk/client-route-53'
import {STSClient} from '@aws-sdk/client-sts'

import type {ExecCheckClients} from '../../src/exec/facts.js'
import type {ExecFacts, NetworkReport} from '../../src/exec/model.js'

export const CLUSTER_ARN = 'arn:aws:ecs:eu-west-1:123456789012:cluster/prod'
export const TASK_ID = '0f1e2d3c4b5a69788796a5b4c3d2e1f0'
export const TASK_ARN = `arn:aws:ecs:eu-west-1:123456789012:task/prod/${TASK_ID}`
export const TASK_ROLE = 'arn:aws:iam::123456789012:role/app-task'
/** The sidecar GuardDuty Runtime Monitoring adds to Fargate tasks. */
export const GUARDDUTY = 'aws-guardduty-agent-0a1b2c'
export const KEY_ARN = 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab'

/** A runtimeId of the shape ECS gives (`<task id>-<digits>`), different for each container name. */
export const runtimeIdOf = (name: string) => `${TASK_ID}-${String([...name].reduce((h, c) => (h * 131 + c.charCodeAt(0)) % 9_999_999_967, 7)).padStart(10, '0')}`

export function container(name: string, agent: string | null = 'RUNNING', extra: Partial<Container> = {}): Container {
  return {
    name,
    image: `${name}:latest`,
    runtimeId: runtimeIdOf(name),
    lastStatus: 'RUNNING',
    managedAgents: agent === null ? undefined : [{name: 'ExecuteCommandAgent', lastStatus: agent, lastStartedAt: new Date('2026-11-25T10:00:00Z')}],
    ...extra,
  }
}

export function task(extra: Partial<Task> = {}): Task {
  return {
    taskArn: TASK_ARN,
    clusterArn: CLUSTER_ARN,
    taskDefinitionArn: 'arn:aws:ecs:eu-west-1:123456789012:task-definition/web:42',
    lastStatus: 'RUNNING',
    desiredStatus: 'RUNNING',
    launchType: 'FARGATE',
    platformVersion: '1.4.0',
    platformFamily: 'Linux',
    enableExecuteCommand: true,
    availabilityZone: 'eu-west-1a',
    group: 'service:web',
    startedAt: new Date('2026-11-25T10:00:00Z'),
    attachments: [
      {id: 'sc', type: 'ServiceConnect', status: 'ATTACHED', details: [{name: 'ContainerName', value: 'ecs-service-connect-x'}]},
      {
        id: 'eni',
        type: 'ElasticNetworkInterface',
        status: 'ATTACHED',
        details: [
          {name: 'subnetId', value: 'subnet-a'},
          {name: 'networkInterfaceId', value: 'eni-0a'},
          {name: 'privateIPv4Address', value: '10.0.1.10'},
        ],
      },
    ],
    // The exec target is not the first container: GuardDuty Runtime Monitoring's sidecar (no
    // managed agent, cannot be exec'ed) comes first, as in a real task that has it.
    containers: [container(GUARDDUTY, null), container('app')],
    ...extra,
  }
}

export function containerDefinition(name: string, extra: Partial<ContainerDefinition> = {}): ContainerDefinition {
  return {name, image: `${name}:latest`, linuxParameters: {initProcessEnabled: true}, readonlyRootFilesystem: false, environment: [{name: 'APP_ENV', value: 'production'}], ...extra}
}

export function taskDefinition(extra: Partial<TaskDefinition> = {}): TaskDefinition {
  return {family: 'web', revision: 42, taskRoleArn: TASK_ROLE, containerDefinitions: [containerDefinition('app')], ...extra}
}

export function natReport(internetRoute: 'nat' | 'igw' | 'none' = 'nat', findings: NetworkReport['findings'] = []): NetworkReport {
  return {vpcId: 'vpc-1', subnets: [{subnetId: 'subnet-a', availabilityZone: 'eu-west-1a', internetRoute}], findings}
}

const allowed = (actions: string[]) => Object.fromEntries(actions.map((a) => [a, 'allowed']))

/** Facts of a task where everything is right: Fargate 1.4.0, exec on, role allowed, NAT route. */
export function goodFacts(): ExecFacts {
  return {
    region: {name: 'eu-west-1', source: 'AWS_REGION'},
    caller: {ok: true, value: {arn: 'arn:aws:sts::123456789012:assumed-role/Dev/alice', account: '123456789012', principalArn: 'arn:aws:iam::123456789012:role/Dev'}},
    plugin: {installed: true, version: '1.2.650.0'},
    cluster: {ok: true, value: {arn: CLUSTER_ARN, name: 'prod', exec: {logging: 'DEFAULT'}}},
    task: {ok: true, value: task()},
    taskDefinition: {ok: true, value: taskDefinition()},
    role: {ok: true, value: {arn: TASK_ROLE, source: 'task definition'}},
    callerDecisions: {ok: true, value: {'ecs:ExecuteCommand': 'allowed', 'ssm:StartSession': 'implicitDeny'}},
    roleDecisions: {ok: true, value: allowed(['ssmmessages:CreateControlChannel', 'ssmmessages:CreateDataChannel', 'ssmmessages:OpenControlChannel', 'ssmmessages:OpenDataChannel'])},
    network: {ok: true, value: {task: {mode: 'awsvpc', vpcId: 'vpc-1', subnetIds: ['subnet-a'], securityGroupIds: ['sg-1'], availabilityZone: 'eu-west-1a', publicIp: false}, report: natReport()}},
  }
}

/** Real SDK clients in `region` for exec check's gathering (tests mock their `send`). */
export function checkClients(region: string): ExecCheckClients {
  return {
    ecs: async () => new ECSClient({region}),
    ec2: async () => new EC2Client({region}),
    iam: async () => new IAMClient({region}),
    sts: async () => new STSClient({region}),
    kms: async () => new KMSClient({region}),
    route53: async () => new Route53Client({region}),
  }
}
