/**
 * Behaviours a mutation check found untested (issue 15): each test is about what users get, and
 * fails if the plausible bug it names comes back.
 */
import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import type {Task} from '@aws-sdk/client-ecs'
import {describe, expect, it} from 'vitest'

import {resolveSettings} from '../../src/config/settings.js'
import {auditVpc} from '../../src/endpoints/audit.js'
import {passes} from '../../src/endpoints/check.js'
import {execIam} from '../../src/exec/iam.js'
import {PLUGIN_ENV_RESPONSE_VERSION, pluginCall} from '../../src/exec/plugin.js'
import {declares} from '../../src/iam/policy.js'
import {migrateIam} from '../../src/migrate/iam.js'
import {exitCodeOf} from '../../src/migrate/outcome.js'
import {healthyVpc, interfaceEndpoint, mainTable, natTable, workload} from '../endpoints/fixtures.js'

describe('exit codes at the edge of what a process can return', () => {
  const stopped = (exitCode: number): Task => ({lastStatus: 'STOPPED', stopCode: 'EssentialContainerExited', containers: [{name: 'app', lastStatus: 'STOPPED', exitCode}]})
  it('255 is passed through; 256 and beyond (not a process exit code) become 1', () => {
    expect(exitCodeOf(stopped(255), 'app')).toMatchObject({exit: 255, containerExitCode: 255, kind: 'failed'})
    expect(exitCodeOf(stopped(256), 'app')).toMatchObject({exit: 1, containerExitCode: 256})
    expect(exitCodeOf(stopped(-1), 'app')).toMatchObject({exit: 1})
  })
})

describe('the plugin contract at its version boundary', () => {
  const input = (pluginVersion: string) => ({
    session: {sessionId: 's', streamUrl: 'wss://x', tokenValue: 'secret-token'},
    region: 'eu-west-1',
    clusterArn: 'arn:aws:ecs:eu-west-1:1:cluster/prod',
    taskArn: 'arn:aws:ecs:eu-west-1:1:task/prod/abc',
    runtimeId: 'abc-1',
    endpointUrl: 'https://ecs.eu-west-1.amazonaws.com',
    pluginVersion,
  })
  it(`exactly ${PLUGIN_ENV_RESPONSE_VERSION} takes the session from the environment (the token never in argv); one below takes it in argv`, () => {
    const at = pluginCall(input(PLUGIN_ENV_RESPONSE_VERSION))
    expect(at.args[0]).toBe('AWS_SSM_START_SESSION_RESPONSE')
    expect(at.args.join(' ')).not.toContain('secret-token')
    const below = pluginCall(input('1.2.535.9'))
    expect(below.args[0]).toContain('secret-token')
  })
})

describe('config: an environment overrides the file-level migrate and exec keys', () => {
  it('the same key at both levels: the selected environment wins; another environment does not leak', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ecsops-mutants-'))
    writeFileSync(
      join(dir, '.ecsops.yml'),
      'migrate: {timeout: 10m, container: php, envVars: {A: file, B: file}}\nexec: {container: app, command: sh}\nenvironments:\n  prd: {migrate: {timeout: 30m, envVars: {A: prd}}, exec: {container: web}}\n  stg: {migrate: {timeout: 5m}}\n',
    )
    const prd = await resolveSettings({env: 'prd'}, {}, dir)
    expect(prd.migrate).toMatchObject({timeout: '30m', container: 'php', envVars: {A: 'prd', B: 'file'}})
    expect(prd.exec).toEqual({container: 'web', command: 'sh'})
    const none = await resolveSettings({}, {}, dir)
    expect(none.migrate.timeout).toBe('10m')
    expect(none.exec).toEqual({container: 'app', command: 'sh'})
  })
})

describe('a restrictive endpoint policy behind a NAT', () => {
  it('is an error and fails the audit: private DNS sends the traffic to the endpoint, the NAT cannot route around the policy', () => {
    const blocking = JSON.stringify({Statement: [{Effect: 'Allow', Principal: '*', Action: 'logs:DescribeLogGroups', Resource: '*'}]})
    const vpc = healthyVpc({endpoints: [interfaceEndpoint('logs', {PolicyDocument: blocking})], routeTables: [natTable(['subnet-a', 'subnet-b']), mainTable]})
    const {report} = auditVpc(vpc, [workload(['logs'])])
    const logs = report.findings.find((f) => f.service === 'logs')!
    expect(logs).toMatchObject({status: 'misconfigured', severity: 'error'})
    expect(logs.problems.map((p) => p.code)).toEqual(['POLICY_RESTRICTIVE'])
    expect(passes([report])).toBe(false)
  })
})

describe('iam-policy declares what the features need, not only what the tests happened to send', () => {
  it('exec with a KMS key needs kms:GenerateDataKey (the plugin encrypts the session); migrate --tag needs ecs:TagResource', () => {
    expect(declares(execIam, 'kms:GenerateDataKey')).toBe(true)
    expect(declares(migrateIam, 'ecs:TagResource')).toBe(true)
    expect(declares(migrateIam, 'iam:PassRole')).toBe(true)
    expect(declares(execIam, 'ecs:ExecuteCommand')).toBe(true)
  })
})
