import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'

import {resolveSettings} from '../../src/config/settings.js'

/**
 * The selected environment overrides the file's top-level defaults key by key, for every key the
 * two levels share, in `migrate` and `exec` too; keys set at one level only come from there; an
 * environment that is not selected changes nothing.
 */

const BOTH_LEVELS = `
profile: default-profile
region: eu-west-1
cluster: default-cluster
service: default-service
container: default-container
migrate:
  command: [php, artisan, migrate]
  timeout: 10m
  container: default-migrator
  envVars: {LOG_LEVEL: info, APP_ENV: staging}
exec:
  container: default-shell-container
  command: sh
environments:
  prd:
    profile: prd-profile
    region: eu-central-1
    cluster: prd-cluster
    service: prd-service
    container: prd-container
    migrate:
      command: [php, artisan, migrate, --force]
      timeout: 30m
      container: prd-migrator
      envVars: {APP_ENV: production}
    exec:
      container: prd-shell-container
      command: bash
  partial:
    cluster: partial-cluster
    migrate:
      timeout: 45m
    exec:
      command: zsh
  bare:
    cluster: bare-cluster
`

function fileWith(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'ecsops-precedence-'))
  writeFileSync(join(dir, '.ecsops.yml'), text)
  return dir
}

describe('an environment overrides the top-level defaults, key by key', () => {
  it('every target key set at both levels comes from the selected environment', async () => {
    const s = await resolveSettings({env: 'prd'}, {}, fileWith(BOTH_LEVELS))
    expect({profile: s.profile, region: s.region, cluster: s.cluster, service: s.service, container: s.container}).toEqual({
      profile: 'prd-profile',
      region: 'eu-central-1',
      cluster: 'prd-cluster',
      service: 'prd-service',
      container: 'prd-container',
    })
    for (const key of ['profile', 'region', 'cluster', 'service', 'container'] as const) expect(s.sources[key]).toBe('.ecsops.yml (environments.prd)')
  })

  it('migrate keys set at both levels come from the environment; envVars merge with the environment winning a shared name', async () => {
    const s = await resolveSettings({env: 'prd'}, {}, fileWith(BOTH_LEVELS))
    expect(s.migrate).toEqual({
      command: ['php', 'artisan', 'migrate', '--force'],
      timeout: '30m',
      container: 'prd-migrator',
      envVars: {LOG_LEVEL: 'info', APP_ENV: 'production'},
    })
  })

  it('exec keys set at both levels come from the environment', async () => {
    const s = await resolveSettings({env: 'prd'}, {}, fileWith(BOTH_LEVELS))
    expect(s.exec).toEqual({container: 'prd-shell-container', command: 'bash'})
  })

  it('a key the environment does not set keeps the default, one key at a time', async () => {
    const s = await resolveSettings({env: 'partial'}, {}, fileWith(BOTH_LEVELS))
    expect(s.cluster).toBe('partial-cluster')
    expect(s.service).toBe('default-service')
    expect(s.sources.service).toBe('.ecsops.yml')
    expect(s.migrate).toEqual({command: ['php', 'artisan', 'migrate'], timeout: '45m', container: 'default-migrator', envVars: {LOG_LEVEL: 'info', APP_ENV: 'staging'}})
    expect(s.exec).toEqual({container: 'default-shell-container', command: 'zsh'})
  })

  it('an environment without migrate or exec sections leaves the defaults whole', async () => {
    const s = await resolveSettings({env: 'bare'}, {}, fileWith(BOTH_LEVELS))
    expect(s.migrate).toEqual({command: ['php', 'artisan', 'migrate'], timeout: '10m', container: 'default-migrator', envVars: {LOG_LEVEL: 'info', APP_ENV: 'staging'}})
    expect(s.exec).toEqual({container: 'default-shell-container', command: 'sh'})
  })

  it('without an environment selected, no environment leaks in', async () => {
    const s = await resolveSettings({}, {}, fileWith(BOTH_LEVELS))
    expect(s).toMatchObject({profile: 'default-profile', region: 'eu-west-1', cluster: 'default-cluster', service: 'default-service', container: 'default-container'})
    expect(s.migrate).toEqual({command: ['php', 'artisan', 'migrate'], timeout: '10m', container: 'default-migrator', envVars: {LOG_LEVEL: 'info', APP_ENV: 'staging'}})
    expect(s.exec).toEqual({container: 'default-shell-container', command: 'sh'})
    expect(s.env).toBeUndefined()
    expect(s.sources.env).toBeUndefined()
  })

  it('migrate and exec only in an environment are taken from it; no file at all gives empty sections', async () => {
    const onlyEnv = fileWith('environments:\n  prd:\n    migrate:\n      envVars: {A: "1"}\n    exec:\n      command: bash\n')
    const s = await resolveSettings({}, {ECSOPS_ENV: 'prd'}, onlyEnv)
    expect(s.migrate).toEqual({envVars: {A: '1'}})
    expect(s.exec).toEqual({command: 'bash'})
    expect(s.sources.env).toBe('ECSOPS_ENV')
    expect(s.configFile).toBe(join(onlyEnv, '.ecsops.yml'))

    const none = await resolveSettings({}, {}, mkdtempSync(join(tmpdir(), 'ecsops-nofile-')))
    expect(none.migrate).toEqual({envVars: {}})
    expect(none.exec).toEqual({})
    expect(none.environments).toEqual([])
  })

  it('--env wins over ECSOPS_ENV, and says so', async () => {
    const s = await resolveSettings({env: 'prd'}, {ECSOPS_ENV: 'partial'}, fileWith(BOTH_LEVELS))
    expect(s.env).toBe('prd')
    expect(s.sources.env).toBe('--env')
    expect(s.exec.command).toBe('bash')
  })
})

describe('selecting an environment that cannot be', () => {
  it('a file without environments: says so, exit 2', async () => {
    const dir = fileWith('cluster: shared\n')
    const error = await resolveSettings({}, {ECSOPS_ENV: 'prd'}, dir).catch((e) => e)
    expect(error).toMatchObject({message: 'Unknown environment "prd" (from ECSOPS_ENV) in .ecsops.yml.', hint: '.ecsops.yml defines no environments.', code: 'UnknownEnvironment', exitCode: 2})
  })

  it('no config file at all: says how to make one', async () => {
    const error = await resolveSettings({env: 'prd'}, {}, mkdtempSync(join(tmpdir(), 'ecsops-nofile-'))).catch((e) => e)
    expect(error).toMatchObject({
      message: 'Environment "prd" (from --env) needs a config file, and none was found.',
      hint: 'Create .ecsops.yml in the project (see the README), or pass --config PATH.',
      code: 'UnknownEnvironment',
      exitCode: 2,
    })
  })

  it('an unknown one among several: lists them, code UnknownEnvironment', async () => {
    const error = await resolveSettings({env: 'dev'}, {}, fileWith(BOTH_LEVELS)).catch((e) => e)
    expect(error).toMatchObject({hint: 'Known environments: prd, partial, bare.', code: 'UnknownEnvironment'})
  })

  it('no file: no config file source either', async () => {
    const s = await resolveSettings({}, {}, mkdtempSync(join(tmpdir(), 'ecsops-nofile-')))
    expect(s.sources).toEqual({})
    expect(s.configFile).toBeUndefined()
  })
})
