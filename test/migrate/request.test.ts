import {describe, expect, it} from 'vitest'

import {UsageError} from '../../src/errors.js'
import {
  buildRunTaskRequest,
  chooseCommand,
  parseCapacityProvider,
  parseCommandJson,
  parseEnvVars,
  parseTags,
  shellWords,
  splitList,
  type RequestOverrides,
  type RequestPlan,
  type ServiceFacts,
} from '../../src/migrate/request.js'

const TD = 'arn:aws:ecs:eu-west-1:123456789012:task-definition/web:42'
const fargateService: ServiceFacts = {
  name: 'web',
  status: 'ACTIVE',
  taskDefinition: TD,
  launchType: 'FARGATE',
  platformVersion: '1.4.0',
  network: {subnets: ['subnet-a', 'subnet-b'], securityGroups: ['sg-1'], assignPublicIp: 'DISABLED'},
}
const noOverrides: RequestOverrides = {environment: {}, startedBy: 'ecsops', tags: []}
const plan = (over: Partial<RequestPlan> = {}, overrides: Partial<RequestOverrides> = {}): RequestPlan => ({
  cluster: 'app',
  service: fargateService,
  taskDefinitionArn: TD,
  networkMode: 'awsvpc',
  container: 'php',
  command: ['php', 'artisan', 'migrate', '--force'],
  overrides: {...noOverrides, ...overrides},
  ...over,
})

describe('buildRunTaskRequest', () => {
  it('copies the service: revision, network, launch type, platform version', () => {
    expect(buildRunTaskRequest(plan({clientToken: 'tok'}))).toEqual({
      cluster: 'app',
      taskDefinition: TD,
      launchType: 'FARGATE',
      platformVersion: '1.4.0',
      networkConfiguration: {awsvpcConfiguration: {subnets: ['subnet-a', 'subnet-b'], securityGroups: ['sg-1'], assignPublicIp: 'DISABLED'}},
      overrides: {containerOverrides: [{name: 'php', command: ['php', 'artisan', 'migrate', '--force']}]},
      startedBy: 'ecsops',
      clientToken: 'tok',
      count: 1,
    })
  })

  it('copies a capacity provider strategy instead of a launch type', () => {
    const strategy = [{capacityProvider: 'FARGATE', weight: 1, base: 1}]
    const request = buildRunTaskRequest(plan({service: {...fargateService, launchType: undefined, capacityProviderStrategy: strategy}}))
    expect(request.capacityProviderStrategy).toEqual(strategy)
    expect(request.launchType).toBeUndefined()
  })

  it('lets --launch-type replace the service strategy, and --capacity-provider the service launch type', () => {
    const strategy = [{capacityProvider: 'FARGATE_SPOT', weight: 1}]
    const a = buildRunTaskRequest(plan({service: {...fargateService, launchType: undefined, capacityProviderStrategy: strategy}}, {launchType: 'FARGATE'}))
    expect(a.launchType).toBe('FARGATE')
    expect(a.capacityProviderStrategy).toBeUndefined()
    const b = buildRunTaskRequest(plan({}, {capacityProviders: [{capacityProvider: 'FARGATE', base: 1}]}))
    expect(b.capacityProviderStrategy).toEqual([{capacityProvider: 'FARGATE', base: 1}])
    expect(b.launchType).toBeUndefined()
  })

  it('sends neither when the service uses the cluster default strategy', () => {
    const request = buildRunTaskRequest(plan({service: {...fargateService, launchType: undefined}}))
    expect(request).not.toHaveProperty('launchType')
    expect(request).not.toHaveProperty('capacityProviderStrategy')
  })

  it('drops the platform version for EC2', () => {
    expect(buildRunTaskRequest(plan({}, {launchType: 'EC2'}))).not.toHaveProperty('platformVersion')
  })

  it('lets each network flag override its piece only', () => {
    const request = buildRunTaskRequest(plan({}, {securityGroups: ['sg-9'], assignPublicIp: true, platformVersion: 'LATEST'}))
    expect(request.networkConfiguration?.awsvpcConfiguration).toEqual({subnets: ['subnet-a', 'subnet-b'], securityGroups: ['sg-9'], assignPublicIp: 'ENABLED'})
    expect(request.platformVersion).toBe('LATEST')
    const b = buildRunTaskRequest(plan({}, {subnets: ['subnet-z'], assignPublicIp: false}))
    expect(b.networkConfiguration?.awsvpcConfiguration).toEqual({subnets: ['subnet-z'], securityGroups: ['sg-1'], assignPublicIp: 'DISABLED'})
  })

  it('builds the network from flags alone without a service', () => {
    const request = buildRunTaskRequest(plan({service: undefined}, {subnets: ['subnet-z'], securityGroups: ['sg-2']}))
    expect(request.networkConfiguration).toEqual({awsvpcConfiguration: {subnets: ['subnet-z'], securityGroups: ['sg-2']}})
    expect(request).not.toHaveProperty('launchType')
  })

  it('is a usage error when awsvpc has no network to copy', () => {
    expect(() => buildRunTaskRequest(plan({service: undefined}))).toThrow(UsageError)
    expect(() => buildRunTaskRequest(plan({service: undefined}))).toThrow(expect.objectContaining({hint: 'Pass --subnets (and --security-groups), or --service to copy the network of a service.', exitCode: 2}))
    expect(() => buildRunTaskRequest(plan({service: {...fargateService, network: undefined}}))).toThrow(/service web has no awsvpc network configuration/)
  })

  it('needs no network for bridge mode', () => {
    expect(buildRunTaskRequest(plan({service: {...fargateService, network: undefined}, networkMode: 'bridge'}))).not.toHaveProperty('networkConfiguration')
  })

  it('overrides environment, cpu, memory, task role; tags and startedBy', () => {
    const request = buildRunTaskRequest(
      plan({}, {environment: {APP_ENV: 'production', EMPTY: ''}, cpu: 512, memory: 1024, taskRoleArn: 'arn:aws:iam::1:role/r', startedBy: 'ci-123', tags: [{key: 'team', value: 'pay'}]}),
    )
    expect(request.overrides).toEqual({
      containerOverrides: [{name: 'php', command: ['php', 'artisan', 'migrate', '--force'], environment: [{name: 'APP_ENV', value: 'production'}, {name: 'EMPTY', value: ''}], cpu: 512, memory: 1024}],
      taskRoleArn: 'arn:aws:iam::1:role/r',
    })
    expect(request.startedBy).toBe('ci-123')
    expect(request.tags).toEqual([{key: 'team', value: 'pay'}])
  })

  it('leaves the command out when the task definition\'s own runs', () => {
    expect(buildRunTaskRequest(plan({command: undefined})).overrides?.containerOverrides).toEqual([{name: 'php'}])
  })
})

describe('flag parsers', () => {
  it('parses KEY=VALUE env vars, keeping = in values', () => {
    expect(parseEnvVars(['A=1', 'URL=postgres://x?a=b', 'EMPTY='])).toEqual({A: '1', URL: 'postgres://x?a=b', EMPTY: ''})
  })

  it.each(['A', '=1', '1A=x', 'A B=1', ''])('rejects env var %j', (pair) => {
    expect(() => parseEnvVars([pair])).toThrow(/--env-var/)
  })

  it('parses tags and rejects a tag without =', () => {
    expect(parseTags(['team=pay', 'empty='])).toEqual([{key: 'team', value: 'pay'}, {key: 'empty', value: ''}])
    expect(() => parseTags(['team'])).toThrow(/--tag "team"/)
  })

  it('parses NAME[:WEIGHT[:BASE]]', () => {
    expect(parseCapacityProvider('FARGATE_SPOT')).toEqual({capacityProvider: 'FARGATE_SPOT'})
    expect(parseCapacityProvider('FARGATE_SPOT:3')).toEqual({capacityProvider: 'FARGATE_SPOT', weight: 3})
    expect(parseCapacityProvider('FARGATE:0:1')).toEqual({capacityProvider: 'FARGATE', weight: 0, base: 1})
    expect(() => parseCapacityProvider('FARGATE:x')).toThrow(/NAME\[:WEIGHT\[:BASE\]\]/)
  })

  it('parses a JSON array command and rejects anything else', () => {
    expect(parseCommandJson('["php","artisan","migrate","--force"]')).toEqual(['php', 'artisan', 'migrate', '--force'])
    for (const bad of ['php artisan migrate', '[]', '{"a":1}', '["php", 1]', "['php']", '"php"']) {
      expect(() => parseCommandJson(bad), bad).toThrow(/JSON array of strings/)
    }
  })

  it('splits comma lists, ignoring blanks', () => {
    expect(splitList('subnet-a, subnet-b,')).toEqual(['subnet-a', 'subnet-b'])
    expect(splitList(',')).toBeUndefined()
    expect(splitList(undefined)).toBeUndefined()
  })

  it('quotes words for display', () => {
    expect(shellWords(['php', 'artisan', 'db:seed', '--class=DummySeeder'])).toBe('php artisan db:seed --class=DummySeeder')
    expect(shellWords(['sh', '-c', "echo 'hi' && exit 3"])).toBe(`sh -c 'echo '\\''hi'\\'' && exit 3'`)
  })
})

describe('chooseCommand', () => {
  it('prefers the words after --, then --command, then the config, then the task definition', () => {
    expect(chooseCommand(['php', 'artisan', 'migrate'], undefined, ['x'])).toEqual({command: ['php', 'artisan', 'migrate'], source: 'arguments after --'})
    expect(chooseCommand([], '["php","artisan"]', ['x'])).toEqual({command: ['php', 'artisan'], source: '--command'})
    expect(chooseCommand([], undefined, ['x'], '.ecsops.yml')).toEqual({command: ['x'], source: '.ecsops.yml (migrate.command)'})
    expect(chooseCommand([], undefined, undefined)).toEqual({source: 'the task definition'})
  })

  it('refuses both -- and --command', () => {
    expect(() => chooseCommand(['a'], '["b"]', undefined)).toThrow(/not both/)
  })
})
