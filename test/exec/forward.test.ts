import {describe, expect, it} from 'vitest'

import {documentArn, forwardingLine, forwardRequest, forwardSpec, parsePort} from '../../src/exec/forward.js'
import {forwardExitCode} from '../../src/exec/forward-session.js'
import {CLUSTER_ARN, TASK_ARN, TASK_ID} from './fixtures.js'

const target = {clusterArn: CLUSTER_ARN, taskArn: TASK_ARN, runtimeId: `${TASK_ID}-3252`}

describe('forwardSpec', () => {
  it('defaults --local-port to --port, and keeps a given one', () => {
    expect(forwardSpec({port: 5432})).toEqual({port: 5432, host: undefined, localPort: 5432})
    expect(forwardSpec({port: '5432', localPort: '15432', host: 'db.internal'})).toEqual({port: 5432, host: 'db.internal', localPort: 15_432})
  })

  it('an empty or blank --host means the task itself', () => {
    expect(forwardSpec({port: 80, host: ''}).host).toBeUndefined()
    expect(forwardSpec({port: 80, host: '  '}).host).toBeUndefined()
  })

  it('rejects what is not a TCP port, naming the flag (exit 2)', () => {
    for (const bad of ['0', '65536', '-1', 'abc', '54.32', '5432x', '']) {
      expect(() => parsePort(bad, '--port'), bad).toThrow(expect.objectContaining({exitCode: 2, message: `--port must be a TCP port number from 1 to 65535, not "${bad}".`}))
    }
    expect(() => forwardSpec({port: 5432, localPort: 70_000})).toThrow(expect.objectContaining({message: expect.stringContaining('--local-port')}))
    expect(parsePort('1', '--port')).toBe(1)
    expect(parsePort(65_535, '--port')).toBe(65_535)
  })
})

describe('forwardRequest', () => {
  it('with --host: AWS-StartPortForwardingSessionToRemoteHost with host, portNumber and localPortNumber as lists of strings', () => {
    expect(forwardRequest(target, {port: 5432, host: 'mydb.cluster-abc.eu-west-1.rds.amazonaws.com', localPort: 15_432})).toEqual({
      Target: `ecs:prod_${TASK_ID}_${TASK_ID}-3252`,
      DocumentName: 'AWS-StartPortForwardingSessionToRemoteHost',
      Parameters: {host: ['mydb.cluster-abc.eu-west-1.rds.amazonaws.com'], portNumber: ['5432'], localPortNumber: ['15432']},
    })
  })

  it('without: AWS-StartPortForwardingSession, no host parameter (the document has none)', () => {
    expect(forwardRequest(target, {port: 8080, localPort: 8080})).toEqual({
      Target: `ecs:prod_${TASK_ID}_${TASK_ID}-3252`,
      DocumentName: 'AWS-StartPortForwardingSession',
      Parameters: {portNumber: ['8080'], localPortNumber: ['8080']},
    })
  })

  it('takes the cluster name from the cluster ARN and the id from an old-format task ARN', () => {
    const old = {clusterArn: 'arn:aws:ecs:eu-west-1:123456789012:cluster/app-prd', taskArn: `arn:aws:ecs:eu-west-1:123456789012:task/${TASK_ID}`, runtimeId: 'r-1'}
    expect(forwardRequest(old, {port: 1, localPort: 2}).Target).toBe(`ecs:app-prd_${TASK_ID}_r-1`)
  })
})

describe('documentArn', () => {
  it('has no account, and follows the partition', () => {
    expect(documentArn('aws', 'eu-west-1', 'AWS-StartPortForwardingSession')).toBe('arn:aws:ssm:eu-west-1::document/AWS-StartPortForwardingSession')
    expect(documentArn('aws-cn', 'cn-north-1', 'AWS-StartPortForwardingSessionToRemoteHost')).toBe('arn:aws-cn:ssm:cn-north-1::document/AWS-StartPortForwardingSessionToRemoteHost')
  })
})

describe('forwardingLine', () => {
  it('names the local and remote ends, the task and the container', () => {
    expect(forwardingLine({port: 5432, host: 'db.internal', localPort: 15_432}, TASK_ARN, 'app')).toBe(`Forwarding 127.0.0.1:15432 → db.internal:5432 through task ${TASK_ID} (container app). Ctrl-C to stop.`)
    expect(forwardingLine({port: 8080, localPort: 8080}, TASK_ARN, 'web')).toBe(`Forwarding 127.0.0.1:8080 → localhost:8080 through task ${TASK_ID} (container web). Ctrl-C to stop.`)
  })
})

describe('forwardExitCode', () => {
  it('is 0 for a session the user ended, 143 for SIGTERM, else the plugin\'s code', () => {
    expect(forwardExitCode(0, 'SIGINT')).toBe(0)
    // Killed by the Ctrl-C before its own handler was installed.
    expect(forwardExitCode(130, 'SIGINT')).toBe(0)
    expect(forwardExitCode(130, undefined)).toBe(0)
    expect(forwardExitCode(143, 'SIGTERM')).toBe(143)
    expect(forwardExitCode(0, 'SIGTERM')).toBe(143)
    expect(forwardExitCode(1, 'SIGINT')).toBe(1)
    expect(forwardExitCode(1, undefined)).toBe(1)
    expect(forwardExitCode(0, undefined)).toBe(0)
  })
})
