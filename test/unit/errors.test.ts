import {describe, expect, it} from 'vitest'
import {ECSServiceException} from '@aws-sdk/client-ecs'

import {deniedAction, toEcsopsError} from '../../src/aws/errors.js'
import {EcsopsError, UsageError} from '../../src/errors.js'

const sdkError = (name: string, message: string) =>
  new ECSServiceException({name, message, $fault: 'client', $metadata: {httpStatusCode: 400}})

describe('toEcsopsError', () => {
  it('passes ecsops errors through unchanged', () => {
    const e = new UsageError('bad flag')
    expect(toEcsopsError(e)).toBe(e)
  })

  it('names the denied action and points to iam-policy', () => {
    const e = toEcsopsError(sdkError('AccessDeniedException', 'User: arn:aws:iam::1:user/ci is not authorized to perform: ecs:RunTask on resource: *'), {command: 'migrate'})
    expect(e.exitCode).toBe(3)
    expect(e.code).toBe('AccessDeniedException')
    expect(e.message).toMatch(/^AccessDeniedException: User: .* ecs:RunTask/)
    expect(e.hint).toMatch(/^Grant ecs:RunTask to the caller/)
    expect(e.hint).toMatch(/ecsops iam-policy migrate/)
  })

  it('suggests aws sso login for the profile on an expired token', () => {
    const e = toEcsopsError(sdkError('ExpiredTokenException', 'The security token included in the request is expired'), {profile: 'prod'})
    expect(e.exitCode).toBe(3)
    expect(e.hint).toMatch(/aws sso login --profile prod/)
  })

  it('explains missing credentials', () => {
    const err = Object.assign(new Error('Could not load credentials from any providers'), {name: 'CredentialsProviderError'})
    const e = toEcsopsError(err)
    expect(e.exitCode).toBe(3)
    expect(e.code).toBe('CredentialsProviderError')
  })

  it('keeps the code of network errors', () => {
    const err = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), {code: 'ECONNREFUSED'})
    const e = toEcsopsError(err)
    expect(e.code).toBe('ECONNREFUSED')
    expect(e.message).toMatch(/^Could not reach AWS/)
    expect(e.exitCode).toBe(3)
  })

  it('keeps ClusterNotFoundException with a hint naming the region', () => {
    const e = toEcsopsError(sdkError('ClusterNotFoundException', 'Cluster not found.'), {region: 'eu-west-1'})
    expect(e.code).toBe('ClusterNotFoundException')
    expect(e.hint).toMatch(/eu-west-1/)
  })

  it('turns any other SDK error into an AWS error (exit 3) and a plain error into exit 1', () => {
    expect(toEcsopsError(sdkError('InvalidParameterException', 'nope')).exitCode).toBe(3)
    const plain = toEcsopsError(new Error('boom'))
    expect(plain).toBeInstanceOf(EcsopsError)
    expect(plain.exitCode).toBe(1)
  })
})

describe('deniedAction', () => {
  it('extracts the action from the usual AWS phrasings', () => {
    expect(deniedAction('is not authorized to perform: ecs:ExecuteCommand on resource')).toBe('ecs:ExecuteCommand')
    expect(deniedAction('not authorized to perform iam:PassRole on resource')).toBe('iam:PassRole')
    expect(deniedAction('Access denied')).toBeUndefined()
  })
})
