import type {Cluster, ContainerDefinition, Service, TaskDefinition} from '@aws-sdk/client-ecs'
import {describe, expect, it} from 'vitest'

import {ecrImageRegion, effectiveLaunchType, execLoggingNeeds, needsFromList, requiredEndpoints, secretSource} from '../../src/endpoints/needs.js'

/**
 * The needs rules at their edges (each rule's AWS page is cited in src/endpoints/needs.ts):
 * partitions other than aws, launch types from each source, FireLens outputs, volumes, Service
 * Connect on some deployments only, options that are absent.
 */
const REGION = 'eu-west-1'
const ECR_IMAGE = '111122223333.dkr.ecr.eu-west-1.amazonaws.com/app:1'
const td = (containers: ContainerDefinition[], extra: Partial<TaskDefinition> = {}): TaskDefinition => ({family: 'app', requiresCompatibilities: ['FARGATE'], containerDefinitions: containers, ...extra})
const needsOf = (containers: ContainerDefinition[], extra: Partial<Parameters<typeof requiredEndpoints>[0]> = {}) => requiredEndpoints({taskDefinition: td(containers), region: REGION, ...extra})
const services = (needs: {service: string}[]) => needs.map((n) => n.service)

describe('image and secret sources', () => {
  it('an ECR image only when the registry host starts the image name', () => {
    expect(ecrImageRegion('111122223333.dkr.ecr-fips.us-gov-west-1.amazonaws.com/app:1')).toBe('us-gov-west-1')
    expect(ecrImageRegion('111122223333.dkr.ecr.cn-north-1.amazonaws.com.cn/app:1')).toBe('cn-north-1')
    expect(ecrImageRegion('mirror.example.com/111122223333.dkr.ecr.eu-west-1.amazonaws.com/app:1')).toBeUndefined()
  })

  it('Secrets Manager ARNs of every partition; anything else is Parameter Store', () => {
    expect(secretSource('arn:aws-cn:secretsmanager:cn-north-1:111122223333:secret:db-AbCdEf')).toBe('secretsmanager')
    expect(secretSource('arn:aws-us-gov:secretsmanager:us-gov-west-1:111122223333:secret:db-AbCdEf')).toBe('secretsmanager')
    expect(secretSource('/app/arn:aws:secretsmanager:eu-west-1:1:secret:x')).toBe('ssm')
    expect(secretSource('arn:aws:ssm:eu-west-1:111122223333:parameter/app/db')).toBe('ssm')
  })
})

describe('effectiveLaunchType', () => {
  const fargateTd = td([])
  it('the flag first (any case), then the service\'s launch type, then its capacity providers, then the task definition', () => {
    expect(effectiveLaunchType({launchType: 'ec2', taskDefinition: fargateTd})).toBe('EC2')
    expect(effectiveLaunchType({service: {launchType: 'EC2'} as Service, taskDefinition: fargateTd})).toBe('EC2')
    expect(effectiveLaunchType({service: {capacityProviderStrategy: [{capacityProvider: 'asg-cp'}, {capacityProvider: 'FARGATE_SPOT'}]} as Service, taskDefinition: td([], {requiresCompatibilities: ['EC2']})})).toBe('FARGATE')
    expect(effectiveLaunchType({service: {capacityProviderStrategy: [{weight: 1} as never]} as Service, taskDefinition: fargateTd})).toBe('EC2')
    expect(effectiveLaunchType({taskDefinition: td([], {requiresCompatibilities: ['EC2']})})).toBe('EC2')
    expect(effectiveLaunchType({taskDefinition: td([], {requiresCompatibilities: undefined, compatibilities: ['EC2']})})).toBe('EC2')
    expect(effectiveLaunchType({taskDefinition: td([], {requiresCompatibilities: undefined})})).toBe('FARGATE')
  })
})

describe('ECR on old Fargate platforms', () => {
  const image = [{name: 'web', image: ECR_IMAGE}]
  it.each([
    ['1.3.0', false],
    ['1.4.0', true],
    ['2.0.0', true],
    ['LATEST', true],
    ['latest', true],
  ])('platform %s needs ecr.api: %s', (platformVersion, api) => {
    expect(services(needsOf(image, {platformVersion})).includes('ecr.api')).toBe(api)
  })
})

describe('FireLens outputs and configuration', () => {
  it.each([
    ['cloudwatch', 'logs'],
    ['cloudwatch_logs', 'logs'],
    ['firehose', 'kinesis-firehose'],
    ['kinesis_firehose', 'kinesis-firehose'],
    ['kinesis', 'kinesis-streams'],
    ['kinesis_streams', 'kinesis-streams'],
    ['s3', 's3'],
    ['CloudWatch_Logs', 'logs'],
  ])('output %s needs %s', (Name, service) => {
    expect(needsOf([{name: 'app', image: 'nginx', logConfiguration: {logDriver: 'awsfirelens', options: {Name}}}])).toEqual([{service, reason: `container app: FireLens output ${Name.toLowerCase()}`}])
  })

  it('the output name may be spelled `name`; an output without an AWS destination needs nothing', () => {
    expect(services(needsOf([{name: 'app', image: 'nginx', logConfiguration: {logDriver: 'awsfirelens', options: {name: 'firehose'}}}]))).toEqual(['kinesis-firehose'])
    expect(needsOf([{name: 'app', image: 'nginx', logConfiguration: {logDriver: 'awsfirelens', options: {Name: 'datadog'}}}])).toEqual([])
    expect(needsOf([{name: 'app', image: 'nginx', logConfiguration: {logDriver: 'awsfirelens'}}])).toEqual([])
  })

  it('a configuration file in S3 needs s3, with the object as the resource; a file in the image needs nothing', () => {
    const router = (options: Record<string, string>): ContainerDefinition => ({name: 'log_router', image: 'public.ecr.aws/aws-observability/aws-for-fluent-bit:stable', firelensConfiguration: {type: 'fluentbit', options}})
    expect(needsOf([router({'config-file-type': 's3', 'config-file-value': 'arn:aws:s3:::cfg/extra.conf'})])).toEqual([
      {
        service: 's3',
        reason: 'container log_router: firelensConfiguration config-file-value arn:aws:s3:::cfg/extra.conf',
        resource: 'arn:aws:s3:::cfg/extra.conf',
        access: [
          {actions: ['s3:GetObject'], resource: 'arn:aws:s3:::cfg/extra.conf'},
          {actions: ['s3:GetBucketLocation'], resource: 'arn:aws:s3:::cfg'},
        ],
      },
    ])
    expect(needsOf([router({'config-file-type': 's3'})])).toEqual([{service: 's3', reason: 'container log_router: firelensConfiguration config-file-value'}])
    expect(needsOf([router({'config-file-type': 'file', 'config-file-value': '/fluent-bit/etc/extra.conf'})])).toEqual([])
  })
})

describe('awslogs, secrets, environment files', () => {
  it('awslogs without options, or to this Region, needs logs; the group is named when there is one', () => {
    expect(needsOf([{name: 'app', image: 'nginx', logConfiguration: {logDriver: 'awslogs'}}])).toEqual([{service: 'logs', reason: 'container app: logConfiguration awslogs'}])
    expect(needsOf([{name: 'app', image: 'nginx', logConfiguration: {logDriver: 'awslogs', options: {'awslogs-region': REGION}}}])).toEqual([{service: 'logs', reason: 'container app: logConfiguration awslogs'}])
  })

  it('the log driver\'s secretOptions are secrets too; the same secret twice is one need', () => {
    const secret = {name: 'DD_API_KEY', valueFrom: 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:dd-AbCdEf'}
    const needs = needsOf([{name: 'app', image: 'nginx', secrets: [secret, secret], logConfiguration: {logDriver: 'awsfirelens', options: {Name: 'datadog'}, secretOptions: [{name: 'apikey', valueFrom: '/dd/key'}]}}])
    expect(needs).toEqual([
      {service: 'secretsmanager', reason: `container app: secret DD_API_KEY (valueFrom ${secret.valueFrom})`},
      {service: 'ssm', reason: 'container app: secret apikey (valueFrom /dd/key)'},
    ])
  })

  it('environment files: an S3 object ARN is the resource; a bucket ARN without a key, or another partition, still needs s3', () => {
    const files = (environmentFiles: NonNullable<ContainerDefinition['environmentFiles']>) => needsOf([{name: 'app', image: 'nginx', environmentFiles}])
    expect(files([{type: 's3', value: 'arn:aws:s3:::cfg/app.env'}])).toEqual([
      {
        service: 's3',
        reason: 'container app: environmentFiles arn:aws:s3:::cfg/app.env',
        resource: 'arn:aws:s3:::cfg/app.env',
        access: [
          {actions: ['s3:GetObject'], resource: 'arn:aws:s3:::cfg/app.env'},
          {actions: ['s3:GetBucketLocation'], resource: 'arn:aws:s3:::cfg'},
        ],
      },
    ])
    expect(files([{type: 's3', value: 'arn:aws:s3:::cfg'}])).toEqual([{service: 's3', reason: 'container app: environmentFiles arn:aws:s3:::cfg'}])
    expect(files([{type: 's3', value: 'arn:aws-cn:s3:::cfg/app.env'}])[0]!.resource).toBe('arn:aws-cn:s3:::cfg/app.env')
    expect(files([{value: 'arn:aws:s3:::cfg/b.env'} as never])).toEqual([
      {
        service: 's3',
        reason: 'container app: environmentFiles arn:aws:s3:::cfg/b.env',
        resource: 'arn:aws:s3:::cfg/b.env',
        access: [
          {actions: ['s3:GetObject'], resource: 'arn:aws:s3:::cfg/b.env'},
          {actions: ['s3:GetBucketLocation'], resource: 'arn:aws:s3:::cfg'},
        ],
      },
    ])
    expect(files([{type: 'other' as never, value: 'https://example.com/app.env'}])).toEqual([])
  })
})

describe('task-wide needs', () => {
  it('EFS volumes, named or not; other volumes need nothing', () => {
    const needs = requiredEndpoints({taskDefinition: td([], {volumes: [{name: 'data', efsVolumeConfiguration: {fileSystemId: 'fs-1'}}, {efsVolumeConfiguration: {} as never}, {name: 'scratch', host: {}}]}), region: REGION})
    expect(needs).toEqual([
      {service: 'elasticfilesystem', reason: 'volume data: efsVolumeConfiguration fs-1'},
      {service: 'elasticfilesystem', reason: 'volume ?: efsVolumeConfiguration'},
    ])
  })

  it('exec on the service, with the cluster\'s KMS key', () => {
    expect(requiredEndpoints({taskDefinition: td([]), region: REGION, service: {enableExecuteCommand: true} as Service, execKmsKeyId: 'alias/exec'})).toEqual([
      {service: 'ssmmessages', reason: 'service: enableExecuteCommand'},
      {service: 'kms', reason: 'cluster: executeCommandConfiguration.kmsKeyId alias/exec'},
    ])
  })

  it('the EC2 launch type needs the agent endpoints; EXTERNAL (ECS Anywhere) needs none of them, even in a newer Region', () => {
    expect(requiredEndpoints({taskDefinition: td([]), region: REGION, launchType: 'EC2'})).toEqual(['ecs', 'ecs-agent', 'ecs-telemetry'].map((service) => ({service, reason: 'launch type EC2: ECS container agent'})))
    expect(requiredEndpoints({taskDefinition: td([]), region: 'mx-central-1', launchType: 'EXTERNAL'})).toEqual([])
  })

  it('Service Connect on any one deployment needs ecs-agent', () => {
    const service = {deployments: [{id: 'old'}, {id: 'new', serviceConnectConfiguration: {enabled: true}}]} as Service
    expect(requiredEndpoints({taskDefinition: td([]), region: REGION, service})).toEqual([{service: 'ecs-agent', reason: 'service: serviceConnectConfiguration (Service Connect agent)'}])
  })
})

describe('--needs lists', () => {
  it('trims, drops empty items, expands ecr, exec and ecs-ec2 in any case, and keeps each service once', () => {
    expect(needsFromList([' logs ', '', ' ', 'ECR', 'exec', 'ecs-ec2', 'logs'])).toEqual([
      {service: 'logs', reason: '--needs logs'},
      {service: 'ecr.api', reason: '--needs ECR'},
      {service: 'ecr.dkr', reason: '--needs ECR'},
      {service: 's3', reason: '--needs ECR'},
      {service: 'ssmmessages', reason: '--needs exec'},
      {service: 'ecs', reason: '--needs ecs-ec2'},
      {service: 'ecs-agent', reason: '--needs ecs-ec2'},
      {service: 'ecs-telemetry', reason: '--needs ecs-ec2'},
    ])
  })
})

describe('execLoggingNeeds', () => {
  const cluster = (executeCommandConfiguration: object | undefined): Cluster => ({clusterName: 'prod', configuration: executeCommandConfiguration ? {executeCommandConfiguration} : undefined})
  it('only OVERRIDE logging with exec on: its log group and bucket', () => {
    const override = cluster({logging: 'OVERRIDE', logConfiguration: {cloudWatchLogGroupName: '/ecs/exec', s3BucketName: 'exec-audit'}})
    expect(execLoggingNeeds(override, true)).toEqual([
      {service: 'logs', reason: 'cluster: executeCommandConfiguration logs ECS Exec sessions to CloudWatch Logs group /ecs/exec'},
      {
        service: 's3',
        reason: 'cluster: executeCommandConfiguration logs ECS Exec sessions to S3 bucket exec-audit',
        resource: 'arn:aws:s3:::exec-audit/*',
        access: [{actions: ['s3:PutObject'], resource: 'arn:aws:s3:::exec-audit/*'}],
      },
    ])
    expect(execLoggingNeeds(override, false)).toEqual([])
    expect(execLoggingNeeds(cluster({logging: 'DEFAULT'}), true)).toEqual([])
    expect(execLoggingNeeds(cluster({logging: 'OVERRIDE'}), true)).toEqual([])
    expect(execLoggingNeeds(cluster(undefined), true)).toEqual([])
    expect(execLoggingNeeds(undefined, true)).toEqual([])
  })
})
