/** Issue 10: what a one-off task copies from its service, and the RunTask requests AWS would reject. */
import type {Service} from '@aws-sdk/client-ecs'
import {describe, expect, it} from 'vitest'

import {capacityKind, checkFargateSize, checkRunTaskLimits, cloneWarnings, fargateMemoryFor, mergeTags, realArgv, serviceSettings, taskSizeValue} from '../../src/migrate/clone.js'
import {buildRunTaskRequest, replacesSpot, type RequestOverrides, type RequestPlan, type ServiceFacts} from '../../src/migrate/request.js'
import {serviceFacts} from '../../src/migrate/resolve.js'

const TD = 'arn:aws:ecs:eu-west-1:123456789012:task-definition/web:42'
const noOverrides: RequestOverrides = {environment: {}, startedBy: 'ecsops/abc', tags: []}

/** A service as DescribeServices (include TAGS) describes it. */
const described = (over: Partial<Service> = {}): Service => ({
  serviceName: 'web',
  status: 'ACTIVE',
  taskDefinition: TD,
  launchType: 'FARGATE',
  platformVersion: '1.4.0',
  networkConfiguration: {awsvpcConfiguration: {subnets: ['subnet-a'], securityGroups: ['sg-1'], assignPublicIp: 'ENABLED'}},
  deployments: [{id: 'ecs-svc/1', status: 'PRIMARY', taskDefinition: TD, rolloutState: 'COMPLETED', runningCount: 2, desiredCount: 2}],
  ...over,
})
const plan = (service: ServiceFacts | undefined, overrides: Partial<RequestOverrides> = {}, over: Partial<RequestPlan> = {}): RequestPlan => ({
  cluster: 'app',
  service,
  taskDefinitionArn: TD,
  networkMode: 'awsvpc',
  container: 'php',
  command: ['php', 'artisan', 'migrate'],
  overrides: {...noOverrides, ...overrides},
  ...over,
})

describe('the capacity a one-off task runs on', () => {
  it('Fargate Spot in the service\'s strategy becomes FARGATE, unless --capacity-provider says otherwise', () => {
    const spot = serviceFacts(described({launchType: undefined, capacityProviderStrategy: [{capacityProvider: 'FARGATE_SPOT', weight: 3}, {capacityProvider: 'FARGATE', weight: 1}]}))
    const request = buildRunTaskRequest(plan(spot))
    expect(request).toMatchObject({launchType: 'FARGATE', platformVersion: '1.4.0'})
    expect(request.capacityProviderStrategy).toBeUndefined()
    expect(replacesSpot(plan(spot))).toBe(true)
    const chosen = buildRunTaskRequest(plan(spot, {capacityProviders: [{capacityProvider: 'FARGATE_SPOT'}]}))
    expect(chosen.capacityProviderStrategy).toEqual([{capacityProvider: 'FARGATE_SPOT'}])
    expect(replacesSpot(plan(spot, {capacityProviders: [{capacityProvider: 'FARGATE_SPOT'}]}))).toBe(false)
    expect(cloneWarnings(spot.settings, {serviceName: 'web', revisionRun: 'web:42', spotReplaced: true})[0]).toMatch(/uses FARGATE instead/)
  })

  it('platformVersion only for Fargate: never with EXTERNAL, EC2 or an Auto Scaling group provider', () => {
    const fargate = serviceFacts(described())
    expect(buildRunTaskRequest(plan(fargate, {launchType: 'EXTERNAL'})).platformVersion).toBeUndefined()
    expect(buildRunTaskRequest(plan(fargate, {capacityProviders: [{capacityProvider: 'my-asg-provider'}]})).platformVersion).toBeUndefined()
    expect(buildRunTaskRequest(plan(fargate, {capacityProviders: [{capacityProvider: 'FARGATE'}]})).platformVersion).toBe('1.4.0')
    expect(capacityKind({capacityProviderStrategy: [{capacityProvider: 'FARGATE'}, {capacityProvider: 'asg'}]})).toBe('other')
  })

  it('assignPublicIp ENABLED is never sent for EC2 (the service\'s is dropped, the flag is exit 2)', () => {
    const ec2 = serviceFacts(described({launchType: 'EC2', platformVersion: undefined}))
    expect(buildRunTaskRequest(plan(ec2)).networkConfiguration).toEqual({awsvpcConfiguration: {subnets: ['subnet-a'], securityGroups: ['sg-1']}})
    expect(() => buildRunTaskRequest(plan(ec2, {assignPublicIp: true}))).toThrow(expect.objectContaining({code: 'NotFargate', exitCode: 2}))
    expect(buildRunTaskRequest(plan(serviceFacts(described()))).networkConfiguration?.awsvpcConfiguration?.assignPublicIp).toBe('ENABLED')
  })

  it('a network configuration only for awsvpc: none for bridge, and --subnets with bridge is exit 2', () => {
    const ec2 = serviceFacts(described({launchType: 'EC2', networkConfiguration: undefined}))
    expect(buildRunTaskRequest(plan(ec2, {}, {networkMode: 'bridge'})).networkConfiguration).toBeUndefined()
    // The service's awsvpc network is not sent with a --task-definition revision in bridge mode.
    expect(buildRunTaskRequest(plan(serviceFacts(described({launchType: 'EC2'})), {}, {networkMode: 'bridge'})).networkConfiguration).toBeUndefined()
    expect(() => buildRunTaskRequest(plan(ec2, {subnets: ['subnet-a']}, {networkMode: 'host'}))).toThrow(expect.objectContaining({code: 'NotAwsvpc', exitCode: 2}))
  })
})

describe('service settings the one-off task copies', () => {
  const rich = described({
    launchType: 'EC2',
    platformVersion: undefined,
    placementConstraints: [{type: 'memberOf', expression: 'attribute:ecs.instance-type =~ t3.*'}],
    placementStrategy: [{type: 'spread', field: 'attribute:ecs.availability-zone'}],
    enableExecuteCommand: true,
    enableECSManagedTags: true,
    propagateTags: 'SERVICE',
    tags: [{key: 'team', value: 'payments'}, {key: 'env', value: 'prd'}],
    deployments: [
      {
        status: 'PRIMARY',
        taskDefinition: TD,
        rolloutState: 'COMPLETED',
        volumeConfigurations: [{name: 'scratch', managedEBSVolume: {roleArn: 'arn:aws:iam::123456789012:role/ecsInfra', sizeInGiB: 20, volumeType: 'gp3', filesystemType: 'ext4', tagSpecifications: [{resourceType: 'volume', propagateTags: 'SERVICE'}]}}],
      },
    ],
  })

  it('copies placement (EC2), exec, managed tags, the service\'s tags (propagateTags SERVICE is not sent) and EBS volumes', () => {
    const request = buildRunTaskRequest(plan(serviceFacts(rich), {tags: [{key: 'env', value: 'migration'}]}))
    expect(request).toMatchObject({
      placementConstraints: rich.placementConstraints,
      placementStrategy: rich.placementStrategy,
      enableExecuteCommand: true,
      enableECSManagedTags: true,
      tags: [{key: 'team', value: 'payments'}, {key: 'env', value: 'migration'}],
      volumeConfigurations: [{name: 'scratch', managedEBSVolume: {roleArn: 'arn:aws:iam::123456789012:role/ecsInfra', sizeInGiB: 20, volumeType: 'gp3', filesystemType: 'ext4'}}],
    })
    expect(request.propagateTags).toBeUndefined()
    expect(request.volumeConfigurations?.[0]?.managedEBSVolume).not.toHaveProperty('tagSpecifications')
  })

  it('Fargate tasks take no placement; TASK_DEFINITION propagation is kept', () => {
    const request = buildRunTaskRequest(plan(serviceFacts({...rich, launchType: 'FARGATE', propagateTags: 'TASK_DEFINITION'})))
    expect(request.placementConstraints).toBeUndefined()
    expect(request.placementStrategy).toBeUndefined()
    expect(request.propagateTags).toBe('TASK_DEFINITION')
  })

  it('mergeTags: a --tag wins over the service tag with its key; aws: tags are not copied', () => {
    expect(mergeTags([{key: 'a', value: '1'}, {key: 'aws:cloudformation:stack-name', value: 's'}], [{key: 'a', value: '2'}])).toEqual([{key: 'a', value: '2'}])
  })
})

describe('warnings', () => {
  it('an entryPoint makes the command its arguments: the real argv is said', () => {
    expect(realArgv({entryPoint: ['/docker-entrypoint.sh']}, ['php', 'artisan', 'migrate'])).toEqual(['/docker-entrypoint.sh', 'php', 'artisan', 'migrate'])
    const [warning] = cloneWarnings(undefined, {revisionRun: 'web:42', spotReplaced: false, definition: {name: 'php', entryPoint: ['sh', '-c']}, command: ['php artisan migrate']})
    expect(warning).toBe('Container php has an entryPoint: the command becomes its arguments, and the container runs ["sh","-c","php artisan migrate"].')
  })

  it('Service Connect, and a service mid-deployment with both revisions and the rollout state', () => {
    const settings = serviceSettings(
      described({
        deployments: [
          {status: 'PRIMARY', taskDefinition: `${TD.slice(0, -2)}43`, rolloutState: 'IN_PROGRESS', runningCount: 1, desiredCount: 3, serviceConnectConfiguration: {enabled: true}},
          {status: 'ACTIVE', taskDefinition: TD, rolloutState: 'COMPLETED', runningCount: 2, desiredCount: 0},
        ],
      }),
    )
    const warnings = cloneWarnings(settings, {serviceName: 'web', revisionRun: 'web:43', spotReplaced: false})
    expect(warnings[0]).toMatch(/^Service web uses Service Connect, which a task started by RunTask cannot join/)
    expect(warnings[1]).toBe('Service web is mid-deployment: PRIMARY web:43 (IN_PROGRESS, 1/3 running); ACTIVE web:42 (COMPLETED, 2/0 running). The one-off task runs web:43, the PRIMARY deployment\'s revision, which may not be what most running tasks are.')
    expect(cloneWarnings(serviceSettings(described()), {serviceName: 'web', revisionRun: 'web:42', spotReplaced: false})).toEqual([])
  })
})

describe('what RunTask rejects, checked first', () => {
  it('Fargate task sizes: the documented table, and values in vCPU/GB', () => {
    expect(fargateMemoryFor(256)).toEqual([512, 1024, 2048])
    expect(fargateMemoryFor(16_384).at(-1)).toBe(122_880)
    expect(fargateMemoryFor(300)).toEqual([])
    expect(taskSizeValue('1 vCPU', 'cpu')).toBe(1024)
    expect(taskSizeValue('2 GB', 'memory')).toBe(2048)
    expect(taskSizeValue('2 GB', 'cpu')).toBeUndefined()
    expect(() => checkFargateSize('256', '4096', {})).toThrow(expect.objectContaining({code: 'BadTaskSize', exitCode: 2}))
    expect(() => checkFargateSize(undefined, '4096', {cpu: '256', memory: '512'})).toThrow(/256 CPU units with 4096 MiB/)
    expect(() => checkFargateSize('1 vCPU', '3 GB', {})).not.toThrow()
    expect(() => checkFargateSize(undefined, undefined, {cpu: '256', memory: '4096'})).not.toThrow()
  })

  it('--task-cpu/--task-memory go to the task-level overrides', () => {
    expect(buildRunTaskRequest(plan(serviceFacts(described()), {taskCpu: '1024', taskMemory: '2048'})).overrides).toMatchObject({cpu: '1024', memory: '2048'})
  })

  it('overrides over 8192 characters, more than 50 tags, aws: keys, long or duplicate keys', () => {
    const request = buildRunTaskRequest(plan(serviceFacts(described())))
    expect(() => checkRunTaskLimits(request)).not.toThrow()
    const big = buildRunTaskRequest(plan(serviceFacts(described()), {environment: {BLOB: 'x'.repeat(8200)}}))
    expect(() => checkRunTaskLimits(big)).toThrow(expect.objectContaining({code: 'OverridesTooLarge'}))
    const at = (tags: Array<{key: string; value: string}>) => () => checkRunTaskLimits({...request, tags})
    expect(at(Array.from({length: 51}, (_, i) => ({key: `k${i}`, value: 'v'})))).toThrow(/51 tags/)
    expect(at(Array.from({length: 50}, (_, i) => ({key: `k${i}`, value: 'v'})))).not.toThrow()
    expect(at([{key: 'aws:x', value: 'v'}])).toThrow(/reserved aws: prefix/)
    expect(at([{key: 'k'.repeat(129), value: 'v'}])).toThrow(/too long/)
    expect(at([{key: 'k'.repeat(128), value: 'v'.repeat(256)}])).not.toThrow()
    expect(at([{key: 'a', value: '1'}, {key: 'a', value: '2'}])).toThrow(/given twice/)
  })
})

describe('EBS volumes configured at launch', () => {
  it('are sent only for the volumes the task definition run configures at launch', () => {
    const withVolume = serviceFacts(described({deployments: [{status: 'PRIMARY', taskDefinition: TD, volumeConfigurations: [{name: 'scratch', managedEBSVolume: {roleArn: 'arn:aws:iam::1:role/infra', sizeInGiB: 20}}]}]}))
    expect(buildRunTaskRequest(plan(withVolume, {}, {volumesConfiguredAtLaunch: ['scratch']})).volumeConfigurations?.map((v) => v.name)).toEqual(['scratch'])
    // A --task-definition or --latest revision without that volume: RunTask would reject the configuration.
    expect(buildRunTaskRequest(plan(withVolume, {}, {volumesConfiguredAtLaunch: []})).volumeConfigurations).toBeUndefined()
  })
})
