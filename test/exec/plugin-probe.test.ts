import {chmodSync, mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {delimiter, join} from 'node:path'
import {afterEach, describe, expect, it} from 'vitest'

import {compareVersions, atLeast, parsePluginVersion, pluginCall, pluginEnvironment, pluginInstallHint, probePlugin, type Runner} from '../../src/exec/plugin.js'

/** How ecsops finds, reads and calls session-manager-plugin, beyond the happy path. */

const GUIDE = 'https://docs.aws.amazon.com/systems-manager/latest/userguide/session-manager-working-with-install-plugin.html'

describe('versions', () => {
  it('reads a version of any number of digits per part', () => {
    expect(parsePluginVersion('12.0.1.0')).toBe('12.0.1.0')
    expect(parsePluginVersion('session-manager-plugin 1.2.650.0 (linux_amd64)')).toBe('1.2.650.0')
  })

  it('compares every part, a missing one counting as 0', () => {
    expect(compareVersions('1.2.536', '1.2.536.1')).toBeLessThan(0)
    expect(compareVersions('1.2.536.1', '1.2.536')).toBeGreaterThan(0)
    expect(atLeast('1.2.536', '1.2.536.1')).toBe(false)
    expect(compareVersions('2', '1.99.99.99')).toBeGreaterThan(0)
  })
})

describe('the plugin\'s environment', () => {
  const base = {session: {sessionId: 's'}, region: 'eu-west-1', clusterArn: 'prod', taskArn: 'abc', runtimeId: 'r', endpointUrl: 'https://ecs.eu-west-1.amazonaws.com'}

  it('adds exactly the variables it needs: no session token or profile variable when there is none', () => {
    expect(pluginCall({...base, credentials: {accessKeyId: 'AKIAX', secretAccessKey: 'secret'}}).env).toStrictEqual({AWS_ACCESS_KEY_ID: 'AKIAX', AWS_SECRET_ACCESS_KEY: 'secret', AWS_REGION: 'eu-west-1'})
    expect(pluginCall({...base, profile: 'prd'}).env).toStrictEqual({AWS_REGION: 'eu-west-1'})
  })

  it('keeps the caller\'s session token when it hands over no credentials of its own', () => {
    const call = pluginCall({...base, profile: 'prd'})
    expect(pluginEnvironment({AWS_SESSION_TOKEN: 'caller-token', AWS_SECURITY_TOKEN: 'legacy', PATH: '/bin'}, call)).toStrictEqual({AWS_SESSION_TOKEN: 'caller-token', AWS_SECURITY_TOKEN: 'legacy', PATH: '/bin', AWS_REGION: 'eu-west-1'})
  })

  it('drops both token variables when it hands over keys without a token', () => {
    const call = pluginCall({...base, credentials: {accessKeyId: 'AKIAX', secretAccessKey: 'secret'}})
    expect(pluginEnvironment({AWS_SESSION_TOKEN: 'stale', AWS_SECURITY_TOKEN: 'stale', PATH: '/bin'}, call)).toStrictEqual({PATH: '/bin', AWS_ACCESS_KEY_ID: 'AKIAX', AWS_SECRET_ACCESS_KEY: 'secret', AWS_REGION: 'eu-west-1'})
  })
})

describe('install hints', () => {
  it('every OS gets the guide; others get only the guide', () => {
    expect(pluginInstallHint('darwin')).toBe(`Install the Session Manager plugin: \`brew install --cask session-manager-plugin\` (or the bundle from ${GUIDE}).`)
    expect(pluginInstallHint('linux')).toContain(`package from ${GUIDE}, e.g.`)
    expect(pluginInstallHint('win32')).toContain(`(see ${GUIDE})`)
    expect(pluginInstallHint('freebsd')).toBe(`Install the Session Manager plugin: ${GUIDE}.`)
  })
})

describe('probePlugin with a runner', () => {
  it('runs `session-manager-plugin --version`, with a timeout', async () => {
    const calls: Array<Parameters<Runner>> = []
    await probePlugin(async (...args) => {
      calls.push(args)
      return {stdout: '1.2.650.0\n', stderr: ''}
    })
    expect(calls).toEqual([['session-manager-plugin', ['--version'], {timeoutMs: 5000, signal: undefined}]])
  })

  it('a version on stderr counts; no version at all is installed with a problem', async () => {
    expect(await probePlugin(async () => ({stdout: '', stderr: '1.2.398.0\n'}))).toEqual({installed: true, version: '1.2.398.0'})
    expect(await probePlugin(async () => ({stdout: '  The Session Manager plugin was installed successfully. Use the AWS CLI to start a session.\n', stderr: ''}))).toEqual({
      installed: true,
      problem: '`session-manager-plugin --version` printed no version: The Session Manager plugin was installed successfully. Use the AWS CLI to start a session.',
    })
    const long = 'x'.repeat(300)
    expect((await probePlugin(async () => ({stdout: long, stderr: ''}))).problem).toBe(`\`session-manager-plugin --version\` printed no version: ${'x'.repeat(120)}`)
  })

  it('a failure other than ENOENT: the first line of the error, or "timed out"', async () => {
    const fail = (error: object) => probePlugin(async () => Promise.reject(Object.assign(new Error('Command failed: session-manager-plugin --version\nsegmentation fault'), error)))
    expect(await fail({code: 1})).toEqual({installed: false, problem: '`session-manager-plugin --version` failed: Command failed: session-manager-plugin --version'})
    expect(await fail({killed: true, signal: 'SIGTERM'})).toEqual({installed: false, problem: '`session-manager-plugin --version` failed: timed out'})
  })
})

describe('probePlugin on this machine (the real runner, a stand-in plugin on PATH)', () => {
  const path = process.env.PATH
  afterEach(() => {
    process.env.PATH = path
  })

  const onPath = (script: string) => {
    const dir = mkdtempSync(join(tmpdir(), 'ecsops-probe-'))
    writeFileSync(join(dir, 'session-manager-plugin'), `#!/bin/sh\n${script}\n`)
    chmodSync(join(dir, 'session-manager-plugin'), 0o755)
    process.env.PATH = `${dir}${delimiter}${path}`
  }

  it('reads the version the plugin prints', async () => {
    onPath('echo 1.2.707.0')
    expect(await probePlugin()).toEqual({installed: true, version: '1.2.707.0'})
  })

  it('a plugin that exits non-zero is not usable', async () => {
    onPath('echo broken >&2; exit 3')
    expect(await probePlugin()).toEqual({installed: false, problem: '`session-manager-plugin --version` failed: Command failed: session-manager-plugin --version'})
  })

  it('no plugin on PATH', async () => {
    process.env.PATH = mkdtempSync(join(tmpdir(), 'ecsops-empty-'))
    expect(await probePlugin()).toEqual({installed: false, problem: 'session-manager-plugin is not on PATH'})
  })
})
