import {describe, expect, it} from 'vitest'

import {clusterNameOf, taskIdOf} from '../../src/aws/arn.js'
import {
  atLeast,
  compareVersions,
  parsePluginVersion,
  pluginCall,
  pluginEnvironment,
  pluginInstallHint,
  probePlugin,
  sessionTarget,
} from '../../src/exec/plugin.js'

const session = {sessionId: 'ecs-execute-command-0abc', streamUrl: 'wss://ssmmessages.eu-west-1.amazonaws.com/v1/data-channel/ecs-execute-command-0abc?role=publish_subscribe', tokenValue: 'AAEAAtoken'}
const base = {
  session,
  region: 'eu-west-1',
  clusterArn: 'arn:aws:ecs:eu-west-1:123456789012:cluster/prod',
  taskArn: 'arn:aws:ecs:eu-west-1:123456789012:task/prod/0f1e2d3c4b5a69788796a5b4c3d2e1f0',
  runtimeId: '0f1e2d3c4b5a69788796a5b4c3d2e1f0-2531612879',
  endpointUrl: 'https://ecs.eu-west-1.amazonaws.com',
}

describe('ids', () => {
  it('takes the cluster name from a cluster ARN and passes names through', () => {
    expect(clusterNameOf('arn:aws:ecs:eu-west-1:1:cluster/prod')).toBe('prod')
    expect(clusterNameOf('prod')).toBe('prod')
  })
  it('takes the task id from both ARN formats and a bare id', () => {
    expect(taskIdOf('arn:aws:ecs:eu-west-1:1:task/prod/abc123')).toBe('abc123')
    expect(taskIdOf('arn:aws:ecs:eu-west-1:1:task/abc123')).toBe('abc123')
    expect(taskIdOf('abc123')).toBe('abc123')
  })
  it('builds the Session Manager target from the cluster ARN, not the task ARN', () => {
    expect(sessionTarget(base.clusterArn, 'arn:aws:ecs:eu-west-1:1:task/abc', 'abc-1')).toBe('ecs:prod_abc_abc-1')
  })
})

describe('versions', () => {
  it('parses the plugin --version output', () => {
    expect(parsePluginVersion('1.2.650.0\n')).toBe('1.2.650.0')
    expect(parsePluginVersion('session-manager-plugin version 1.2.398.0')).toBe('1.2.398.0')
    expect(parsePluginVersion('nothing')).toBeUndefined()
  })
  it('compares numerically, not as strings', () => {
    expect(compareVersions('1.10.0', '1.9.9')).toBeGreaterThan(0)
    expect(compareVersions('1.4', '1.4.0')).toBe(0)
    expect(atLeast('1.2.536.0', '1.2.536.0')).toBe(true)
    expect(atLeast('1.2.497.0', '1.2.536.0')).toBe(false)
    expect(atLeast('1.50.10', '1.50.2')).toBe(true)
  })
})

describe('pluginCall', () => {
  it('passes six arguments and the response in AWS_SSM_START_SESSION_RESPONSE for a plugin ≥ 1.2.536.0', () => {
    const call = pluginCall({...base, profile: 'prd', pluginVersion: '1.2.650.0'})
    expect(call.file).toBe('session-manager-plugin')
    expect(call.args).toEqual([
      'AWS_SSM_START_SESSION_RESPONSE',
      'eu-west-1',
      'StartSession',
      'prd',
      '{"Target":"ecs:prod_0f1e2d3c4b5a69788796a5b4c3d2e1f0_0f1e2d3c4b5a69788796a5b4c3d2e1f0-2531612879"}',
      'https://ecs.eu-west-1.amazonaws.com',
    ])
    expect(call.env.AWS_SSM_START_SESSION_RESPONSE).toBe(JSON.stringify(session))
    expect(call.args.join(' ')).not.toContain('AAEAAtoken')
    expect(call.responseInEnv).toBe(true)
  })

  it('gives older (or unknown) plugins the JSON itself, still with six arguments and "" for no profile', () => {
    for (const pluginVersion of ['1.2.497.0', undefined]) {
      const call = pluginCall({...base, pluginVersion})
      expect(call.args).toHaveLength(6)
      expect(call.args[0]).toBe('{"sessionId":"ecs-execute-command-0abc","streamUrl":"wss://ssmmessages.eu-west-1.amazonaws.com/v1/data-channel/ecs-execute-command-0abc?role=publish_subscribe","tokenValue":"AAEAAtoken"}')
      expect(call.args[3]).toBe('')
      expect(call.env.AWS_SSM_START_SESSION_RESPONSE).toBeUndefined()
    }
  })

  it('passes the resolved credentials in the environment, replacing a stale session token', () => {
    const call = pluginCall({...base, pluginVersion: '1.2.650.0', credentials: {accessKeyId: 'ASIAX', secretAccessKey: 'secret', sessionToken: 'tok'}})
    expect(call.env).toMatchObject({AWS_ACCESS_KEY_ID: 'ASIAX', AWS_SECRET_ACCESS_KEY: 'secret', AWS_SESSION_TOKEN: 'tok', AWS_REGION: 'eu-west-1'})
    const noToken = pluginCall({...base, credentials: {accessKeyId: 'AKIAX', secretAccessKey: 'secret'}})
    const env = pluginEnvironment({PATH: '/bin', AWS_SESSION_TOKEN: 'old', AWS_PROFILE: 'x'}, noToken)
    expect(env.AWS_SESSION_TOKEN).toBeUndefined()
    expect(env).toMatchObject({PATH: '/bin', AWS_ACCESS_KEY_ID: 'AKIAX'})
  })

  it('with credentials handed over, names the profile in AWS_PROFILE, not as the argument the plugin would resolve again', () => {
    // aws-sdk-go v1 (the plugin) reads a profile given as its argument before the environment's
    // keys: an SSO or MFA assume-role profile would be resolved again, or fail, in the plugin.
    const call = pluginCall({...base, profile: 'prd', pluginVersion: '1.2.650.0', credentials: {accessKeyId: 'ASIAX', secretAccessKey: 'secret', sessionToken: 'tok'}})
    expect(call.args).toHaveLength(6)
    expect(call.args[3]).toBe('')
    expect(pluginEnvironment({AWS_PROFILE: 'other'}, call)).toMatchObject({AWS_PROFILE: 'prd', AWS_ACCESS_KEY_ID: 'ASIAX', AWS_SESSION_TOKEN: 'tok'})
    // Without credentials to hand over, the profile is the plugin's argument, as the AWS CLI passes it.
    expect(pluginCall({...base, profile: 'prd'}).args[3]).toBe('prd')
  })
})

describe('the plugin probe and install hints', () => {
  it('reads the version', async () => {
    expect(await probePlugin(async () => ({stdout: '1.2.650.0\n', stderr: ''}))).toEqual({installed: true, version: '1.2.650.0'})
  })
  it('reports a missing plugin', async () => {
    const probe = await probePlugin(async () => {
      throw Object.assign(new Error('spawn session-manager-plugin ENOENT'), {code: 'ENOENT'})
    })
    expect(probe).toEqual({installed: false, problem: 'session-manager-plugin is not on PATH'})
  })
  it('can be ended when no longer needed: the runner receives the abort signal', async () => {
    const probing = new AbortController()
    const probe = probePlugin(
      (_file, _args, {signal}) =>
        new Promise((_resolve, reject) => {
          signal?.addEventListener('abort', () => reject(Object.assign(new Error('The operation was aborted'), {code: 'ABORT_ERR'})))
        }),
      probing.signal,
    )
    probing.abort()
    expect(await probe).toMatchObject({installed: false})
  })
  it('says how to install it per OS', () => {
    expect(pluginInstallHint('darwin')).toContain('brew install --cask session-manager-plugin')
    expect(pluginInstallHint('win32')).toContain('SessionManagerPluginSetup.exe')
    expect(pluginInstallHint('linux')).toContain('session-manager-plugin.deb')
  })
})
