import {describe, expect, it} from 'vitest'

import {clusterNameOf, clusterOfTaskArn, serviceNameOf, taskIdOf} from '../../src/aws/arn.js'

const NEW_TASK = 'arn:aws:ecs:eu-west-1:123456789012:task/app-prd/0123456789abcdef0123456789abcdef'
const OLD_TASK = 'arn:aws:ecs:eu-west-1:123456789012:task/0123456789abcdef0123456789abcdef'

describe('ARN helpers', () => {
  it('takes the cluster name from a cluster ARN (any partition) and passes names through', () => {
    expect(clusterNameOf('arn:aws:ecs:eu-west-1:123456789012:cluster/app-prd')).toBe('app-prd')
    expect(clusterNameOf('arn:aws-cn:ecs:cn-north-1:123456789012:cluster/app')).toBe('app')
    expect(clusterNameOf('app-prd')).toBe('app-prd')
  })

  it('takes the task id from either task ARN format or a bare id', () => {
    expect(taskIdOf(NEW_TASK)).toBe('0123456789abcdef0123456789abcdef')
    expect(taskIdOf(OLD_TASK)).toBe('0123456789abcdef0123456789abcdef')
    expect(taskIdOf('0123456789abcdef0123456789abcdef')).toBe('0123456789abcdef0123456789abcdef')
  })

  it('takes the service name from either service ARN format or a name', () => {
    expect(serviceNameOf('arn:aws:ecs:eu-west-1:123456789012:service/app-prd/web')).toBe('web')
    expect(serviceNameOf('arn:aws:ecs:eu-west-1:123456789012:service/web')).toBe('web')
    expect(serviceNameOf('web')).toBe('web')
  })

  it('finds the cluster only in a new-format task ARN', () => {
    expect(clusterOfTaskArn(NEW_TASK)).toBe('app-prd')
    expect(clusterOfTaskArn(OLD_TASK)).toBeUndefined()
    expect(clusterOfTaskArn('0123456789abcdef')).toBeUndefined()
  })
})
