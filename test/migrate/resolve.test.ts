import {describe, expect, it} from 'vitest'

import {clusterNameOf, taskIdOf} from '../../src/aws/arn.js'
import {familyOf, servicesHint} from '../../src/migrate/resolve.js'

describe('servicesHint', () => {
  const many = Array.from({length: 12}, (_, i) => `svc-${String(i).padStart(2, '0')}`)

  it('lists the names closest to a typo first, then the others alphabetically', () => {
    expect(servicesHint('app', 'wbe', ['worker', 'api', 'web', 'admin'])).toBe('Services in app: web, admin, api, worker.')
    expect(servicesHint('app', 'api', ['billing-api', 'web', 'api-internal'])).toBe('Services in app: api-internal, billing-api, web.')
  })

  it('shows ten and counts the others, saying when the cluster has more than were listed', () => {
    expect(servicesHint('app', 'x', many)).toBe('Services in app: svc-00, svc-01, svc-02, svc-03, svc-04, svc-05, svc-06, svc-07, svc-08, svc-09, … (2 more).')
    expect(servicesHint('app', 'x', many, true)).toContain(', … (2+ more).')
    expect(servicesHint('app', 'x', ['a', 'b'], true)).toBe('Services in app: a, b, … (more).')
  })

  it('says when the cluster has no services', () => {
    expect(servicesHint('app', 'web', [])).toBe('Cluster app has no services.')
  })
})

describe('names from ARNs', () => {
  it('takes the cluster name from a cluster ARN, the family from a task definition, the id from either task ARN format', () => {
    expect(clusterNameOf('arn:aws:ecs:eu-west-1:123456789012:cluster/app')).toBe('app')
    expect(clusterNameOf('app')).toBe('app')
    expect(familyOf('arn:aws:ecs:eu-west-1:123456789012:task-definition/web:42')).toBe('web')
    expect(familyOf('web:42')).toBe('web')
    expect(taskIdOf('arn:aws:ecs:eu-west-1:123456789012:task/app/0123456789abcdef')).toBe('0123456789abcdef')
    expect(taskIdOf('arn:aws:ecs:eu-west-1:123456789012:task/0123456789abcdef')).toBe('0123456789abcdef')
  })
})
