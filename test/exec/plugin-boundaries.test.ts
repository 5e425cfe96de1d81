import {describe, expect, it} from 'vitest'

import {callerChecks} from '../../src/exec/checks.js'
import {pluginCall, SESSION_RESPONSE_VARIABLE} from '../../src/exec/plugin.js'
import {openSession, type SessionDeps} from '../../src/exec/session.js'
import {recordingUi} from '../helpers/ui.js'
import {CLUSTER_ARN, TASK_ARN, container, goodFacts, task} from './fixtures.js'

/**
 * session-manager-plugin 1.2.536.0 is the first to read the StartSession response from
 * AWS_SSM_START_SESSION_RESPONSE (its release notes): that version itself gets the variable, the
 * one before it the JSON on its command line, and only the older one is warned about.
 */
const base = {
  session: {sessionId: 's-1', streamUrl: 'wss://ssmmessages.eu-west-1.amazonaws.com/v1/data-channel/s-1', tokenValue: 'TOKEN'},
  region: 'eu-west-1',
  clusterArn: CLUSTER_ARN,
  taskArn: TASK_ARN,
  runtimeId: 'r-1',
  endpointUrl: 'https://ecs.eu-west-1.amazonaws.com',
}

describe('plugin version exactly at the boundary', () => {
  it.each([
    ['1.2.536.0', true],
    ['1.2.536.1', true],
    ['1.2.537', true],
    ['1.2.535.999', false],
    ['1.2.536', true],
  ])('%s reads the response from the environment: %s', (pluginVersion, inEnv) => {
    const call = pluginCall({...base, pluginVersion})
    expect(call.responseInEnv).toBe(inEnv)
    expect(call.args[0]).toBe(inEnv ? SESSION_RESPONSE_VARIABLE : JSON.stringify(base.session))
    expect(call.env[SESSION_RESPONSE_VARIABLE]).toBe(inEnv ? JSON.stringify(base.session) : undefined)
    // The session token is on the command line (where `ps` shows it) only for an older plugin.
    expect(call.args.some((arg) => arg.includes(base.session.tokenValue))).toBe(!inEnv)
  })

  it('exec check: 1.2.536.0 is ok, 1.2.535.0 is a warning', () => {
    const plugin = (version: string) => callerChecks({...goodFacts(), plugin: {installed: true, version}}, 'linux').find((r) => r.id === 'caller.plugin')!
    expect(plugin('1.2.536.0')).toMatchObject({status: 'ok', detail: 'session-manager-plugin 1.2.536.0'})
    expect(plugin('1.2.535.0')).toMatchObject({status: 'warn'})
    expect(plugin('1.2.535.0').detail).toBe('session-manager-plugin 1.2.535.0, older than 1.2.536.0: the session token must be passed on its command line')
  })

  it('exec: no warning for 1.2.536.0, a warning for 1.2.535.0', async () => {
    const warnings = async (version: string) => {
      const ui = recordingUi()
      // The run stops at the missing runtimeId, after the version warning and before any AWS call.
      const onlyProbe = {probe: async () => ({installed: true, version})} as unknown as SessionDeps
      await expect(openSession(ui, {clusterArn: CLUSTER_ARN, task: task(), container: container('app', 'RUNNING', {runtimeId: undefined})}, {check: true}, onlyProbe)).rejects.toMatchObject({code: 'NoRuntimeId'})
      return ui.stderr.filter((l) => l.startsWith('warning:'))
    }
    expect(await warnings('1.2.536.0')).toEqual([])
    expect(await warnings('1.2.535.0')).toEqual(['warning: session-manager-plugin 1.2.535.0 is older than 1.2.536.0: the session token is passed on its command line. Update the plugin.'])
  })
})
