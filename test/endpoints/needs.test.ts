import type {ContainerDefinition, Service, TaskDefinition} from '@aws-sdk/client-ecs'
import {describe, expect, it} from 'vitest'

import {ecrImageRegion, effectiveLaunchType, needsFromList, requiredEndpoints, secretSource} from '../../src/endpoints/needs.js'

const REGION = 'eu-west-1'
const ECR_IMAGE = '111122223333.dkr.ecr.eu-west-1.amazonaws.com/app:1.2.3'

const td = (containers: ContainerDefinition[], extra: Partial<TaskDefinition> = {}): TaskDefinition => ({
  family: 'app',
  requiresCompatibilities: ['FARGATE'],
  networkMode: 'awsvpc',
  containerDefinitions: containers,
  ...extra,
})
const services = (needs: {service: string}[]) => [...new Set(needs.map((n) => n.service))]

describe('requiredEndpoints', () => {
  it('an ECR image in the Region needs ecr.api, ecr.dkr and the s3 gateway, with the container as reason', () => {
    const needs = requiredEndpoints({taskDefinition: td([{name: 'web', image: ECR_IMAGE}]), region: REGION})
    expect(needs).toEqual([
      {service: 'ecr.api', reason: `container web: image ${ECR_IMAGE}`},
      {service: 'ecr.dkr', reason: `container web: image ${ECR_IMAGE}`},
      {service: 's3', reason: `container web: image layers of ${ECR_IMAGE}`, resource: `arn:aws:s3:::prod-${REGION}-starport-layer-bucket/*`},
    ])
  })

  it('images from Docker Hub, public.ecr.aws or another Region need no ECR endpoint', () => {
    const containers: ContainerDefinition[] = [
      {name: 'a', image: 'nginx:1.27'},
      {name: 'b', image: 'docker.io/library/redis:7'},
      {name: 'c', image: 'public.ecr.aws/nginx/nginx:latest'},
      {name: 'd', image: 'ghcr.io/org/tool:1'},
      {name: 'e', image: '111122223333.dkr.ecr.us-east-1.amazonaws.com/app:1'},
    ]
    expect(requiredEndpoints({taskDefinition: td(containers), region: REGION})).toEqual([])
  })

  it('Fargate platform 1.3.0 pulled through ecr.dkr alone; 1.4.0 and LATEST need ecr.api too', () => {
    const t = td([{name: 'web', image: ECR_IMAGE}])
    expect(services(requiredEndpoints({taskDefinition: t, region: REGION, platformVersion: '1.3.0'}))).toEqual(['ecr.dkr', 's3'])
    expect(services(requiredEndpoints({taskDefinition: t, region: REGION, platformVersion: '1.4.0'}))).toEqual(['ecr.api', 'ecr.dkr', 's3'])
    expect(services(requiredEndpoints({taskDefinition: t, region: REGION, platformVersion: 'LATEST'}))).toEqual(['ecr.api', 'ecr.dkr', 's3'])
  })

  it('awslogs → logs, naming the log group', () => {
    const needs = requiredEndpoints({
      taskDefinition: td([{name: 'web', image: 'nginx', logConfiguration: {logDriver: 'awslogs', options: {'awslogs-group': '/ecs/app', 'awslogs-region': REGION}}}]),
      region: REGION,
    })
    expect(needs).toEqual([{service: 'logs', reason: 'container web: logConfiguration awslogs (/ecs/app)'}])
  })

  it('secrets from Secrets Manager → secretsmanager, from Parameter Store (ARN or name) → ssm', () => {
    const needs = requiredEndpoints({
      taskDefinition: td([
        {
          name: 'web',
          image: 'nginx',
          secrets: [
            {name: 'DB_PASSWORD', valueFrom: 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:db-AbCdEf'},
            {name: 'API_KEY', valueFrom: 'arn:aws:ssm:eu-west-1:111122223333:parameter/app/api-key'},
            {name: 'PLAIN', valueFrom: '/app/plain'},
          ],
        },
      ]),
      region: REGION,
    })
    expect(needs.map((n) => n.service)).toEqual(['secretsmanager', 'ssm', 'ssm'])
    expect(needs[0]!.reason).toBe('container web: secret DB_PASSWORD (valueFrom arn:aws:secretsmanager:eu-west-1:111122223333:secret:db-AbCdEf)')
  })

  it('environmentFiles in S3 → s3; repositoryCredentials → secretsmanager', () => {
    const needs = requiredEndpoints({
      taskDefinition: td([
        {name: 'web', image: 'registry.example.com/app:1', environmentFiles: [{type: 's3', value: 'arn:aws:s3:::cfg/app.env'}], repositoryCredentials: {credentialsParameter: 'arn:aws:secretsmanager:eu-west-1:1:secret:reg'}},
      ]),
      region: REGION,
    })
    expect(needs).toEqual([
      {service: 'secretsmanager', reason: 'container web: repositoryCredentials'},
      {
        service: 's3',
        reason: 'container web: environmentFiles arn:aws:s3:::cfg/app.env',
        resource: 'arn:aws:s3:::cfg/app.env',
        // The agent reads the object and asks for its bucket's location: both go through the endpoint.
        access: [
          {actions: ['s3:GetObject'], resource: 'arn:aws:s3:::cfg/app.env'},
          {actions: ['s3:GetBucketLocation'], resource: 'arn:aws:s3:::cfg'},
        ],
      },
    ])
  })

  it('enableExecuteCommand → ssmmessages, plus kms when the cluster names an exec KMS key', () => {
    const t = td([{name: 'web', image: 'nginx'}])
    const service: Service = {serviceName: 'api', enableExecuteCommand: true}
    expect(services(requiredEndpoints({taskDefinition: t, service, region: REGION}))).toEqual(['ssmmessages'])
    expect(services(requiredEndpoints({taskDefinition: t, service, region: REGION, execKmsKeyId: 'alias/exec'}))).toEqual(['ssmmessages', 'kms'])
    expect(services(requiredEndpoints({taskDefinition: t, enableExecuteCommand: false, service, region: REGION}))).toEqual([])
  })

  it('EC2 launch type → ecs, ecs-agent, ecs-telemetry; Fargate never, not even in Regions launched after 2023-12-23', () => {
    const t = td([{name: 'web', image: 'nginx'}])
    expect(services(requiredEndpoints({taskDefinition: t, launchType: 'EC2', region: REGION}))).toEqual(['ecs', 'ecs-agent', 'ecs-telemetry'])
    expect(services(requiredEndpoints({taskDefinition: t, launchType: 'FARGATE', region: REGION}))).toEqual([])
    expect(services(requiredEndpoints({taskDefinition: t, launchType: 'FARGATE', region: 'ca-west-1'}))).toEqual([])
    expect(services(requiredEndpoints({taskDefinition: t, launchType: 'EC2', region: 'ca-west-1'}))).toEqual(['ecs', 'ecs-agent', 'ecs-telemetry'])
  })

  it('Windows Fargate 1.0.0 is current: ECR needs ecr.api too (the before-1.4.0 rule is Linux only)', () => {
    const windows = td([{name: 'web', image: ECR_IMAGE}], {runtimePlatform: {operatingSystemFamily: 'WINDOWS_SERVER_2022_CORE', cpuArchitecture: 'X86_64'}})
    expect(services(requiredEndpoints({taskDefinition: windows, launchType: 'FARGATE', platformVersion: '1.0.0', region: REGION}))).toEqual(['ecr.api', 'ecr.dkr', 's3'])
    const linux = td([{name: 'web', image: ECR_IMAGE}], {runtimePlatform: {operatingSystemFamily: 'LINUX'}})
    expect(services(requiredEndpoints({taskDefinition: linux, launchType: 'FARGATE', platformVersion: '1.3.0', region: REGION}))).toEqual(['ecr.dkr', 's3'])
  })

  it('a secret or parameter ARN in another Region is no need of this VPC; a bare parameter name is', () => {
    const t = td([
      {
        name: 'web',
        image: 'nginx',
        secrets: [
          {name: 'A', valueFrom: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf'},
          {name: 'B', valueFrom: 'arn:aws:ssm:us-east-1:123456789012:parameter/app/key'},
          {name: 'C', valueFrom: '/app/local'},
          {name: 'D', valueFrom: `arn:aws:secretsmanager:${REGION}:123456789012:secret:api-AbCdEf`},
        ],
      },
    ])
    expect(requiredEndpoints({taskDefinition: t, region: REGION}).map((n) => n.reason)).toEqual([
      'container web: secret C (valueFrom /app/local)',
      `container web: secret D (valueFrom arn:aws:secretsmanager:${REGION}:123456789012:secret:api-AbCdEf)`,
    ])
  })

  it('ECR layers in China and GovCloud are objects of that partition\'s starport bucket', () => {
    const image = (region: string, suffix = '') => `123456789012.dkr.ecr.${region}.amazonaws.com${suffix}/app:1`
    const s3 = (region: string, suffix = '') => requiredEndpoints({taskDefinition: td([{name: 'web', image: image(region, suffix)}]), region}).find((n) => n.service === 's3')?.resource
    expect(s3('cn-north-1', '.cn')).toBe('arn:aws-cn:s3:::prod-cn-north-1-starport-layer-bucket/*')
    expect(s3('us-gov-west-1')).toBe('arn:aws-us-gov:s3:::prod-us-gov-west-1-starport-layer-bucket/*')
    expect(s3(REGION)).toBe(`arn:aws:s3:::prod-${REGION}-starport-layer-bucket/*`)
  })

  it('Service Connect → ecs-agent; EFS volumes → elasticfilesystem', () => {
    const t = td([{name: 'web', image: 'nginx'}], {volumes: [{name: 'data', efsVolumeConfiguration: {fileSystemId: 'fs-123'}}]})
    const service: Service = {serviceName: 'api', launchType: 'FARGATE', deployments: [{status: 'PRIMARY', serviceConnectConfiguration: {enabled: true}}]}
    expect(requiredEndpoints({taskDefinition: t, service, region: REGION})).toEqual([
      {service: 'elasticfilesystem', reason: 'volume data: efsVolumeConfiguration fs-123'},
      {service: 'ecs-agent', reason: 'service: serviceConnectConfiguration (Service Connect agent)'},
    ])
  })

  it('FireLens outputs and X-Ray sidecars need what they send to', () => {
    const needs = requiredEndpoints({
      taskDefinition: td([
        {name: 'router', image: 'public.ecr.aws/aws-observability/aws-for-fluent-bit:stable', firelensConfiguration: {type: 'fluentbit'}},
        {name: 'web', image: 'nginx', logConfiguration: {logDriver: 'awsfirelens', options: {Name: 'cloudwatch_logs', region: REGION}}},
        {name: 'audit', image: 'nginx', logConfiguration: {logDriver: 'awsfirelens', options: {Name: 'kinesis_firehose'}}},
        {name: 'xray', image: 'public.ecr.aws/xray/aws-xray-daemon:3.x'},
        {name: 'events', image: 'nginx', logConfiguration: {logDriver: 'awsfirelens', options: {Name: 'kinesis_streams'}}},
      ]),
      region: REGION,
    })
    expect(needs.map((n) => [n.service, n.reason])).toEqual([
      ['logs', 'container web: FireLens output cloudwatch_logs'],
      ['kinesis-firehose', 'container audit: FireLens output kinesis_firehose'],
      ['xray', 'container xray: X-Ray/ADOT sidecar public.ecr.aws/xray/aws-xray-daemon:3.x'],
      ['kinesis-streams', 'container events: FireLens output kinesis_streams'],
    ])
  })

  it('one need per container and field: two ECR containers give two reasons each', () => {
    const needs = requiredEndpoints({taskDefinition: td([{name: 'web', image: ECR_IMAGE}, {name: 'sidecar', image: ECR_IMAGE}]), region: REGION})
    expect(needs.filter((n) => n.service === 'ecr.dkr').map((n) => n.reason)).toEqual([`container web: image ${ECR_IMAGE}`, `container sidecar: image ${ECR_IMAGE}`])
  })
})

describe('helpers', () => {
  it('ecrImageRegion reads the Region of an ECR image only', () => {
    expect(ecrImageRegion(ECR_IMAGE)).toBe('eu-west-1')
    expect(ecrImageRegion('111122223333.dkr.ecr-fips.us-east-1.amazonaws.com/app')).toBe('us-east-1')
    expect(ecrImageRegion('nginx:latest')).toBeUndefined()
  })

  it('secretSource', () => {
    expect(secretSource('arn:aws:secretsmanager:eu-west-1:1:secret:x')).toBe('secretsmanager')
    expect(secretSource('arn:aws:ssm:eu-west-1:1:parameter/x')).toBe('ssm')
    expect(secretSource('x')).toBe('ssm')
  })

  it('effectiveLaunchType: flag, service, capacity providers, task definition', () => {
    const t = td([], {requiresCompatibilities: ['EC2']})
    expect(effectiveLaunchType({taskDefinition: t})).toBe('EC2')
    expect(effectiveLaunchType({taskDefinition: t, launchType: 'fargate'})).toBe('FARGATE')
    expect(effectiveLaunchType({taskDefinition: t, service: {capacityProviderStrategy: [{capacityProvider: 'FARGATE_SPOT'}]}})).toBe('FARGATE')
    expect(effectiveLaunchType({taskDefinition: td([]), service: {capacityProviderStrategy: [{capacityProvider: 'my-asg'}]}})).toBe('EC2')
  })

  it('needsFromList expands ecr and keeps each service once', () => {
    expect(needsFromList(['ecr', 'logs', 's3', ' ssm '])).toEqual([
      {service: 'ecr.api', reason: '--needs ecr'},
      {service: 'ecr.dkr', reason: '--needs ecr'},
      {service: 's3', reason: '--needs ecr'},
      {service: 'logs', reason: '--needs logs'},
      {service: 'ssm', reason: '--needs ssm'},
    ])
  })
})
