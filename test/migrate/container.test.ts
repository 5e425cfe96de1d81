import type {ContainerDefinition} from '@aws-sdk/client-ecs'
import {describe, expect, it} from 'vitest'

import {awslogsOf, pickContainer} from '../../src/migrate/container.js'
import {UsageError} from '../../src/errors.js'

const app: ContainerDefinition = {name: 'app', essential: true}
const nginx: ContainerDefinition = {name: 'nginx', essential: true}
const datadog: ContainerDefinition = {name: 'datadog', essential: false}
const implicitEssential: ContainerDefinition = {name: 'worker'}

describe('pickContainer', () => {
  it('takes the container asked for, saying where the name came from', () => {
    expect(pickContainer([app, nginx], {name: 'nginx', source: '--container'})).toEqual({name: 'nginx', why: '--container'})
  })

  it('rejects an unknown name, listing the containers', () => {
    expect(() => pickContainer([app, nginx], {name: 'php', source: '--container'}, 'task definition web:3')).toThrow(UsageError)
    expect(() => pickContainer([app, nginx], {name: 'php', source: '--container'}, 'task definition web:3')).toThrow(
      expect.objectContaining({message: expect.stringContaining('"php" (from --container) is not in task definition web:3'), hint: expect.stringContaining('app, nginx'), exitCode: 2}),
    )
    expect(() => pickContainer([app, nginx], {name: 'php', source: '--container'})).toThrow(UsageError)
  })

  it('takes the only container', () => {
    expect(pickContainer([datadog])).toEqual({name: 'datadog', why: 'the only container'})
  })

  it('takes the only essential container beside sidecars', () => {
    expect(pickContainer([datadog, app])).toEqual({name: 'app', why: 'the only essential container'})
  })

  it('treats a container without `essential` as essential (the ECS default)', () => {
    expect(() => pickContainer([implicitEssential, app])).toThrow(/2 containers \(2 essential\)/)
  })

  it('is an error listing the names when several are essential', () => {
    expect(() => pickContainer([app, nginx, datadog])).toThrow(expect.objectContaining({code: 'AmbiguousContainer', hint: expect.stringContaining('app, nginx, datadog')}))
  })
})

describe('awslogsOf', () => {
  const awslogs = (options: Record<string, string>): ContainerDefinition => ({name: 'app', logConfiguration: {logDriver: 'awslogs', options}})

  it('builds <prefix>/<container>/<task id> in awslogs-group', () => {
    expect(awslogsOf(awslogs({'awslogs-group': '/ecs/web', 'awslogs-stream-prefix': 'ecs', 'awslogs-region': 'eu-west-1'}), 'abc123')).toEqual({
      group: '/ecs/web',
      stream: 'ecs/app/abc123',
      region: 'eu-west-1',
    })
  })

  it('says why there is no log to follow', () => {
    expect(awslogsOf({name: 'app'}, 'x')).toEqual({none: 'it has no log configuration'})
    expect(awslogsOf({name: 'app', logConfiguration: {logDriver: 'fluentd'}}, 'x')).toEqual({none: 'it logs with the fluentd driver, not awslogs'})
    expect(awslogsOf(awslogs({'awslogs-stream-prefix': 'ecs'}), 'x')).toMatchObject({none: expect.stringContaining('awslogs-group')})
    expect(awslogsOf(awslogs({'awslogs-group': 'g'}), 'x')).toMatchObject({none: expect.stringContaining('awslogs-stream-prefix')})
  })
})
