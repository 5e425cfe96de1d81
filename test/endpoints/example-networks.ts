/**
 * The networks behind examples/*.json: what check-endpoints holds once AWS has answered (the
 * workloads with the needs derived from their task definitions by needs.ts, and the VPC records
 * in the SDK's shapes), for three typical faults. examples.test.ts writes each through
 * snapshotDocument() and compares it with the committed file (`npx vitest run -u` rewrites them).
 */
import type {RouteTable, SecurityGroup, Subnet, VpcEndpoint} from '@aws-sdk/client-ec2'
import type {Service, TaskDefinition} from '@aws-sdk/client-ecs'

import type {GatheredAudit, Subject, TaskVerdict} from '../../src/endpoints/check.js'
import {requiredEndpoints} from '../../src/endpoints/needs.js'
import type {VpcSnapshot} from '../../src/endpoints/snapshot.js'

const FULL_ACCESS = '{"Version":"2008-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}'

interface Net {
  region: string
  account: string
  vpcId: string
}

const subnet = (n: Net, id: string, az: string, cidr: string, name: string): Subnet => ({
  SubnetId: id,
  SubnetArn: `arn:aws:ec2:${n.region}:${n.account}:subnet/${id}`,
  VpcId: n.vpcId,
  AvailabilityZone: az,
  AvailabilityZoneId: `${n.region === 'eu-west-1' ? 'euw1' : 'euc1'}-az${az.slice(-1) === 'a' ? 1 : az.slice(-1) === 'b' ? 2 : 3}`,
  CidrBlock: cidr,
  OwnerId: n.account,
  State: 'available',
  MapPublicIpOnLaunch: false,
  AvailableIpAddressCount: 4000,
  Tags: [{Key: 'Name', Value: name}],
})

const routeTable = (n: Net, id: string, subnets: string[], routes: RouteTable['Routes'], main = false): RouteTable => ({
  RouteTableId: id,
  VpcId: n.vpcId,
  OwnerId: n.account,
  Associations: [...(main ? [{Main: true, RouteTableId: id, RouteTableAssociationId: `rtbassoc-${id.slice(4)}0`}] : []), ...subnets.map((s, i) => ({Main: false, SubnetId: s, RouteTableId: id, RouteTableAssociationId: `rtbassoc-${id.slice(4)}${i + 1}`}))],
  Routes: [{DestinationCidrBlock: '10.0.0.0/16', GatewayId: 'local', Origin: 'CreateRouteTable', State: 'active'}, ...(routes ?? [])],
})

const interfaceEndpoint = (n: Net, id: string, service: string, subnets: string[], overrides: Partial<VpcEndpoint> = {}): VpcEndpoint => ({
  VpcEndpointId: id,
  VpcEndpointType: 'Interface',
  VpcId: n.vpcId,
  ServiceName: `com.amazonaws.${n.region}.${service}`,
  State: 'available' as VpcEndpoint['State'],
  PrivateDnsEnabled: true,
  SubnetIds: subnets,
  Groups: [{GroupId: 'sg-0e1d2c3b4a5968778', GroupName: 'vpc-endpoints'}],
  PolicyDocument: FULL_ACCESS,
  OwnerId: n.account,
  ...overrides,
})

const ecrImage = (n: Net, repo: string) => `${n.account}.dkr.ecr.${n.region}.amazonaws.com/${repo}`
const taskSg = (n: Net, id: string, name: string): SecurityGroup => ({GroupId: id, GroupName: name, VpcId: n.vpcId, OwnerId: n.account, Description: name, IpPermissions: []})
const endpointSg = (n: Net, permissions: SecurityGroup['IpPermissions']): SecurityGroup => ({GroupId: 'sg-0e1d2c3b4a5968778', GroupName: 'vpc-endpoints', VpcId: n.vpcId, OwnerId: n.account, Description: 'HTTPS from the ECS tasks', IpPermissions: permissions})

function serviceSubject(n: Net, cluster: string, service: Service, taskDefinition: TaskDefinition): Subject {
  const net = service.networkConfiguration!.awsvpcConfiguration!
  return {
    name: service.serviceName!,
    arn: `arn:aws:ecs:${n.region}:${n.account}:service/${cluster}/${service.serviceName}`,
    title: `service ${service.serviceName}`,
    subnetIds: net.subnets!,
    securityGroupIds: net.securityGroups!,
    assignPublicIp: net.assignPublicIp === 'ENABLED',
    vpcId: n.vpcId,
    needs: requiredEndpoints({taskDefinition, service, region: n.region}),
  }
}

function audit(n: Net, subjects: Subject[], subjectsText: string, vpc: VpcSnapshot, task?: TaskVerdict): GatheredAudit {
  return {
    region: n.region,
    subjects,
    subjectsText,
    notes: [],
    ...(task ? {task} : {}),
    gathered: {snapshots: new Map([[vpc.vpcId, vpc]]), targets: subjects.map((s) => ({vpcId: s.vpcId!, subnetIds: s.subnetIds, securityGroupIds: s.securityGroupIds}))},
  }
}

/**
 * A private VPC (no NAT gateway) in eu-west-1, three AZs, two Fargate services. The endpoints were
 * added by hand over time: ecr.dkr has a subnet in eu-west-1a only, and nobody added ssmmessages
 * when ECS Exec was switched on for `api`. An sqs endpoint no service needs is still billed.
 */
export function privateVpcMissingSsmmessages(): GatheredAudit {
  const n: Net = {region: 'eu-west-1', account: '210987654321', vpcId: 'vpc-0a1b2c3d4e5f60718'}
  const [a, b, c] = ['subnet-0a11c0ffee0000001', 'subnet-0b22c0ffee0000002', 'subnet-0c33c0ffee0000003']
  const api: Service = {
    serviceName: 'api',
    launchType: 'FARGATE',
    platformVersion: 'LATEST',
    enableExecuteCommand: true,
    networkConfiguration: {awsvpcConfiguration: {subnets: [a, b, c], securityGroups: ['sg-0a9b8c7d6e5f40312'], assignPublicIp: 'DISABLED'}},
  }
  const apiTd: TaskDefinition = {
    family: 'api',
    networkMode: 'awsvpc',
    requiresCompatibilities: ['FARGATE'],
    containerDefinitions: [
      {
        name: 'php',
        image: ecrImage(n, 'shop/api:2026.11.3'),
        environment: [{name: 'APP_ENV', value: 'production'}, {name: 'DB_HOST', value: 'shop.cluster-c1a2b3.eu-west-1.rds.amazonaws.com'}],
        secrets: [{name: 'DB_PASSWORD', valueFrom: `arn:aws:secretsmanager:${n.region}:${n.account}:secret:shop/db-password-Q1w2E3`}],
        logConfiguration: {logDriver: 'awslogs', options: {'awslogs-group': '/ecs/shop/api', 'awslogs-region': n.region, 'awslogs-stream-prefix': 'api'}},
      },
    ],
  }
  const worker: Service = {
    serviceName: 'worker',
    launchType: 'FARGATE',
    networkConfiguration: {awsvpcConfiguration: {subnets: [a, b, c], securityGroups: ['sg-0a9b8c7d6e5f40312'], assignPublicIp: 'DISABLED'}},
  }
  const workerTd: TaskDefinition = {
    family: 'worker',
    networkMode: 'awsvpc',
    requiresCompatibilities: ['FARGATE'],
    containerDefinitions: [
      {
        name: 'queue',
        image: ecrImage(n, 'shop/api:2026.11.3'),
        secrets: [{name: 'MAIL_API_KEY', valueFrom: '/shop/prod/mail-api-key'}],
        logConfiguration: {logDriver: 'awslogs', options: {'awslogs-group': '/ecs/shop/worker', 'awslogs-region': n.region, 'awslogs-stream-prefix': 'worker'}},
      },
    ],
  }
  const all = [a, b, c]
  const vpc: VpcSnapshot = {
    vpcId: n.vpcId,
    region: n.region,
    accountId: n.account,
    dnsSupport: true,
    dnsHostnames: true,
    subnets: [subnet(n, a, 'eu-west-1a', '10.0.0.0/20', 'shop-private-a'), subnet(n, b, 'eu-west-1b', '10.0.16.0/20', 'shop-private-b'), subnet(n, c, 'eu-west-1c', '10.0.32.0/20', 'shop-private-c')],
    routeTables: [routeTable(n, 'rtb-0d4e5f6a7b8c9d0e1', all, []), routeTable(n, 'rtb-0f0e0d0c0b0a09080', [], [], true)],
    endpoints: [
      interfaceEndpoint(n, 'vpce-01a2b3c4d5e6f7081', 'ecr.api', all),
      interfaceEndpoint(n, 'vpce-02b3c4d5e6f708192', 'ecr.dkr', [a]),
      interfaceEndpoint(n, 'vpce-03c4d5e6f70819203', 'logs', all),
      interfaceEndpoint(n, 'vpce-04d5e6f7081920314', 'secretsmanager', all),
      interfaceEndpoint(n, 'vpce-05e6f708192031425', 'ssm', all),
      interfaceEndpoint(n, 'vpce-06f70819203142536', 'sqs', [a, b]),
      {VpcEndpointId: 'vpce-0708192031425364a', VpcEndpointType: 'Gateway', VpcId: n.vpcId, ServiceName: `com.amazonaws.${n.region}.s3`, State: 'available' as VpcEndpoint['State'], RouteTableIds: ['rtb-0d4e5f6a7b8c9d0e1'], PolicyDocument: FULL_ACCESS, OwnerId: n.account},
    ],
    securityGroups: [taskSg(n, 'sg-0a9b8c7d6e5f40312', 'shop-tasks'), endpointSg(n, [{IpProtocol: 'tcp', FromPort: 443, ToPort: 443, UserIdGroupPairs: [{GroupId: 'sg-0a9b8c7d6e5f40312', UserId: n.account}]}])],
    hostedZones: [],
    privateDnsNames: {'ecr.dkr': `*.dkr.ecr.${n.region}.amazonaws.com`},
  }
  return audit(n, [serviceSubject(n, 'shop-prd', api, apiTd), serviceSubject(n, 'shop-prd', worker, workerTd)], '2 services in cluster shop-prd', vpc)
}

/**
 * A spoke VPC in eu-central-1 whose interface endpoints live in a central hub VPC, reached through
 * Route 53 private hosted zones associated with the spoke. S3 was centralised too, as an
 * interface endpoint: ECR image layers need the S3 *gateway* in the task VPC.
 */
export function centralHubS3InterfaceOnly(): GatheredAudit {
  const n: Net = {region: 'eu-central-1', account: '345678901234', vpcId: 'vpc-0c0ffee1234567890'}
  const [a, b] = ['subnet-0aa1b2c3d4e5f6071', 'subnet-0bb1b2c3d4e5f6072']
  const checkout: Service = {
    serviceName: 'checkout',
    capacityProviderStrategy: [{capacityProvider: 'FARGATE', weight: 1}, {capacityProvider: 'FARGATE_SPOT', weight: 3}],
    networkConfiguration: {awsvpcConfiguration: {subnets: [a, b], securityGroups: ['sg-0c1d2e3f4a5b6c7d8'], assignPublicIp: 'DISABLED'}},
  }
  const td: TaskDefinition = {
    family: 'checkout',
    networkMode: 'awsvpc',
    requiresCompatibilities: ['FARGATE'],
    containerDefinitions: [
      {
        name: 'app',
        image: ecrImage(n, 'payments/checkout:1.42.0'),
        environment: [{name: 'PAYMENT_PROVIDER_URL', value: 'https://api.psp.example/v2'}],
        secrets: [{name: 'PSP_API_KEY', valueFrom: `arn:aws:secretsmanager:${n.region}:${n.account}:secret:checkout/psp-key-AbCdEf`}],
        logConfiguration: {logDriver: 'awslogs', options: {'awslogs-group': '/ecs/checkout', 'awslogs-region': n.region, 'awslogs-stream-prefix': 'app'}},
      },
    ],
  }
  const zones = ['api.ecr', 'dkr.ecr', 'logs', 'secretsmanager'].map((name, i) => ({id: `Z0${i + 1}2345678ABCDEFGHIJK`, name: `${name}.${n.region}.amazonaws.com`}))
  const vpc: VpcSnapshot = {
    vpcId: n.vpcId,
    region: n.region,
    accountId: n.account,
    dnsSupport: true,
    dnsHostnames: true,
    subnets: [subnet(n, a, 'eu-central-1a', '10.0.0.0/22', 'payments-private-a'), subnet(n, b, 'eu-central-1b', '10.0.4.0/22', 'payments-private-b')],
    routeTables: [routeTable(n, 'rtb-0aa0bb0cc0dd0ee0f', [a, b], [{DestinationCidrBlock: '10.0.0.0/8', TransitGatewayId: 'tgw-0123456789abcdef0', Origin: 'CreateRoute', State: 'active'}], true)],
    endpoints: [interfaceEndpoint(n, 'vpce-0f1e2d3c4b5a69788', 's3', [a, b], {PrivateDnsEnabled: true, DnsEntries: [{DnsName: `*.vpce-0f1e2d3c4b5a69788-abcdefgh.s3.${n.region}.vpce.amazonaws.com`}]})],
    securityGroups: [taskSg(n, 'sg-0c1d2e3f4a5b6c7d8', 'checkout-tasks'), endpointSg(n, [{IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{CidrIp: '10.0.0.0/8'}]}])],
    hostedZones: zones,
    privateDnsNames: {'ecr.api': `api.ecr.${n.region}.amazonaws.com`, 'ecr.dkr': `*.dkr.ecr.${n.region}.amazonaws.com`, logs: `logs.${n.region}.amazonaws.com`, secretsmanager: `secretsmanager.${n.region}.amazonaws.com`},
  }
  return audit(n, [serviceSubject(n, 'payments', checkout, td)], '1 service in cluster payments', vpc)
}

/**
 * A task of service `billing` that failed to start, audited with --task: the VPC has NAT gateways,
 * and someone added a secretsmanager endpoint whose security group admits only subnet a. With
 * private DNS on, tasks in subnet b resolve Secrets Manager to the endpoint and time out,
 * although the NAT would have carried the traffic. The S3 gateway is on one route table of two.
 */
export function natVpcTaskFailedToStart(): GatheredAudit {
  const n: Net = {region: 'eu-west-1', account: '456789012345', vpcId: 'vpc-0b1111aaaa2222ccc'}
  const [a, b] = ['subnet-0a0a0a0a0a0a0a0a1', 'subnet-0b0b0b0b0b0b0b0b2']
  const billing: Service = {
    serviceName: 'billing',
    launchType: 'FARGATE',
    networkConfiguration: {awsvpcConfiguration: {subnets: [a, b], securityGroups: ['sg-0b1c2d3e4f5a6b7c8'], assignPublicIp: 'DISABLED'}},
  }
  const td: TaskDefinition = {
    family: 'billing',
    networkMode: 'awsvpc',
    requiresCompatibilities: ['FARGATE'],
    containerDefinitions: [
      {
        name: 'app',
        image: ecrImage(n, 'billing/app:7.3.1'),
        environment: [{name: 'LOG_LEVEL', value: 'info'}],
        secrets: [{name: 'STRIPE_SECRET', valueFrom: `arn:aws:secretsmanager:${n.region}:${n.account}:secret:billing/stripe-9XyZ12`}],
        logConfiguration: {logDriver: 'awslogs', options: {'awslogs-group': '/ecs/billing', 'awslogs-region': n.region, 'awslogs-stream-prefix': 'app'}},
      },
    ],
  }
  const taskId = '5f0c2a7e9b1d4c3e8a6f0b2d4c6e8a01'
  const subject = {...serviceSubject(n, 'billing', billing, td), subnetIds: [b, a], title: `task ${taskId} (service billing)`}
  const task: TaskVerdict = {
    taskArn: `arn:aws:ecs:${n.region}:${n.account}:task/billing/${taskId}`,
    lastStatus: 'STOPPED',
    stopCode: 'TaskFailedToStart',
    stoppedReason: `ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secret from asm: service call has been retried 5 time(s): failed to fetch secret arn:aws:secretsmanager:${n.region}:${n.account}:secret:billing/stripe-9XyZ12 from secrets manager: RequestCanceled: request context canceled caused by: context deadline exceeded`,
    containerReasons: [],
    service: 'billing',
    taskDefinitionArn: `arn:aws:ecs:${n.region}:${n.account}:task-definition/billing:31`,
    explainedBy: [],
  }
  const nat = (id: string) => [{DestinationCidrBlock: '0.0.0.0/0', NatGatewayId: id, Origin: 'CreateRoute', State: 'active'}] satisfies RouteTable['Routes']
  const vpc: VpcSnapshot = {
    vpcId: n.vpcId,
    region: n.region,
    accountId: n.account,
    dnsSupport: true,
    dnsHostnames: true,
    subnets: [subnet(n, a, 'eu-west-1a', '10.0.10.0/24', 'billing-private-a'), subnet(n, b, 'eu-west-1b', '10.0.11.0/24', 'billing-private-b')],
    routeTables: [routeTable(n, 'rtb-0aaaa1111bbbb2222', [a], nat('nat-0aaaa1111bbbb2222')), routeTable(n, 'rtb-0cccc3333dddd4444', [b], nat('nat-0cccc3333dddd4444')), routeTable(n, 'rtb-0eeee5555ffff6666', [], [], true)],
    endpoints: [
      interfaceEndpoint(n, 'vpce-0123abcd4567ef890', 'secretsmanager', [a, b]),
      {VpcEndpointId: 'vpce-0987fedc6543ba210', VpcEndpointType: 'Gateway', VpcId: n.vpcId, ServiceName: `com.amazonaws.${n.region}.s3`, State: 'available' as VpcEndpoint['State'], RouteTableIds: ['rtb-0aaaa1111bbbb2222'], PolicyDocument: FULL_ACCESS, OwnerId: n.account},
    ],
    securityGroups: [taskSg(n, 'sg-0b1c2d3e4f5a6b7c8', 'billing-tasks'), endpointSg(n, [{IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{CidrIp: '10.0.10.0/24', Description: 'billing-private-a'}]}])],
    hostedZones: [],
    privateDnsNames: {},
  }
  return audit(n, [subject], `task ${taskId}`, vpc, task)
}

export const EXAMPLES = {
  'private-vpc-missing-ssmmessages': privateVpcMissingSsmmessages,
  'central-hub-s3-interface-only': centralHubS3InterfaceOnly,
  'nat-vpc-task-failed-to-start': natVpcTaskFailedToStart,
} as const
