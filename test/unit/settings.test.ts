import {mkdirSync, mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'

import {resolveSettings} from '../../src/config/settings.js'
import {UsageError} from '../../src/errors.js'

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'ecsops-settings-'))
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), {recursive: true})
    writeFileSync(join(dir, name), text)
  }
  return dir
}

const YAML = `
region: eu-west-1
cluster: shared
migrate:
  timeout: 10m
  envVars: {LOG_LEVEL: info}
environments:
  prd:
    profile: prod
    region: eu-central-1
    cluster: app-prd
    service: web
    migrate:
      command: [php, artisan, migrate, --force]
      envVars: {APP_ENV: production}
  stg:
    cluster: app-stg
`

describe('resolveSettings', () => {
  it('migrate.preflight is set per environment, over the file default', async () => {
    const yaml = 'migrate:\n  preflight: false\nenvironments:\n  prd:\n    migrate:\n      preflight: true\n  stg: {}\n'
    expect((await resolveSettings({env: 'prd'}, {}, project({'.ecsops.yml': yaml}))).migrate.preflight).toBe(true)
    expect((await resolveSettings({env: 'stg'}, {}, project({'.ecsops.yml': yaml}))).migrate.preflight).toBe(false)
  })

  it('uses the file defaults when no environment is selected', async () => {
    const s = await resolveSettings({}, {}, project({'.ecsops.yml': YAML}))
    expect(s.cluster).toBe('shared')
    expect(s.region).toBe('eu-west-1')
    expect(s.sources.cluster).toBe('.ecsops.yml')
    expect(s.environments).toEqual(['prd', 'stg'])
  })

  it('lets the selected environment override the defaults and merges migrate settings', async () => {
    const s = await resolveSettings({env: 'prd'}, {}, project({'.ecsops.yml': YAML}))
    expect(s).toMatchObject({env: 'prd', profile: 'prod', region: 'eu-central-1', cluster: 'app-prd', service: 'web'})
    expect(s.migrate).toEqual({command: ['php', 'artisan', 'migrate', '--force'], timeout: '10m', envVars: {LOG_LEVEL: 'info', APP_ENV: 'production'}})
    expect(s.sources.cluster).toBe('.ecsops.yml (environments.prd)')
    expect(s.sources.env).toBe('--env')
  })

  it('lets environment variables override the config file, and flags override both', async () => {
    const dir = project({'.ecsops.yml': YAML})
    const env = {ECSOPS_CLUSTER: 'from-env', AWS_PROFILE: 'ci', AWS_DEFAULT_REGION: 'us-east-1', ECSOPS_ENV: 'prd'}
    const fromEnv = await resolveSettings({}, env, dir)
    expect(fromEnv).toMatchObject({cluster: 'from-env', profile: 'ci', region: 'us-east-1', service: 'web', env: 'prd'})
    expect(fromEnv.sources).toMatchObject({cluster: 'ECSOPS_CLUSTER', profile: 'AWS_PROFILE', region: 'AWS_DEFAULT_REGION', env: 'ECSOPS_ENV'})
    const fromFlags = await resolveSettings({cluster: 'from-flag', region: 'ap-south-1', profile: 'me'}, env, dir)
    expect(fromFlags).toMatchObject({cluster: 'from-flag', region: 'ap-south-1', profile: 'me'})
    expect(fromFlags.sources).toMatchObject({cluster: '--cluster', region: '--region', profile: '--profile'})
  })

  it('prefers AWS_REGION over AWS_DEFAULT_REGION', async () => {
    const s = await resolveSettings({}, {AWS_REGION: 'eu-west-3', AWS_DEFAULT_REGION: 'us-east-1'}, project({}))
    expect(s.region).toBe('eu-west-3')
    expect(s.sources.region).toBe('AWS_REGION')
  })

  it('finds the config file in a parent directory', async () => {
    const dir = project({'.ecsops.yml': YAML, 'app/sub/.keep': ''})
    const s = await resolveSettings({}, {}, join(dir, 'app/sub'))
    expect(s.configFile).toBe(join(dir, '.ecsops.yml'))
  })

  it('reads a JSON config file given by ECSOPS_CONFIG', async () => {
    const dir = project({'conf/ecsops.config.json': JSON.stringify({cluster: 'json-cluster'})})
    const s = await resolveSettings({}, {ECSOPS_CONFIG: 'conf/ecsops.config.json'}, dir)
    expect(s.cluster).toBe('json-cluster')
    expect(s.sources.configFile).toBe('ECSOPS_CONFIG')
  })

  it('works without any config file', async () => {
    const s = await resolveSettings({cluster: 'c'}, {}, project({}))
    expect(s.configFile).toBeUndefined()
    expect(s.cluster).toBe('c')
  })

  it('rejects an unknown environment and lists the known ones', async () => {
    const err = await resolveSettings({env: 'prod'}, {}, project({'.ecsops.yml': YAML})).catch((e) => e)
    expect(err).toBeInstanceOf(UsageError)
    expect(err.message).toBe('Unknown environment "prod" (from --env) in .ecsops.yml.')
    expect(err.hint).toBe('Known environments: prd, stg.')
    expect(err.exitCode).toBe(2)
  })

  it('rejects --env when there is no config file', async () => {
    const err = await resolveSettings({env: 'prd'}, {}, project({})).catch((e) => e)
    expect(err).toBeInstanceOf(UsageError)
    expect(err.message).toMatch(/needs a config file/)
  })

  it('rejects a --config path that does not exist', async () => {
    const err = await resolveSettings({config: 'missing.yml'}, {}, project({})).catch((e) => e)
    expect(err.message).toBe('Config file missing.yml (from --config) does not exist.')
  })
})

describe('config file validation', () => {
  const invalid = async (text: string, name = '.ecsops.yml') => {
    const err = await resolveSettings({}, {}, project({[name]: text})).catch((e) => e)
    expect(err).toBeInstanceOf(UsageError)
    return err.message as string
  }

  it('names the file, line and column of a YAML syntax error', async () => {
    expect(await invalid('cluster: [unclosed\n')).toMatch(/^\.ecsops\.yml:\d+:\d+: not valid YAML/)
  })

  it('names the key path and what was expected', async () => {
    expect(await invalid('environments:\n  prd:\n    migrate:\n      command: php artisan migrate\n')).toMatch(/^\.ecsops\.yml:4:7: environments\.prd\.migrate\.command: expected a list of strings/)
  })

  it('rejects unknown keys, naming the key the schema has nearest', async () => {
    expect(await invalid('clustr: app\n')).toBe('.ecsops.yml:1:1: clustr: unknown key; did you mean "cluster"?')
    expect(await invalid('environments:\n  prd:\n    serivce: web\n')).toBe('.ecsops.yml:3:5: environments.prd.serivce: unknown key; did you mean "service"?')
    expect(await invalid('exec:\n  shell: sh\n')).toBe('.ecsops.yml:2:3: exec.shell: unknown key; allowed here: container, command.')
  })

  it('names every problem at once, each with its key path and line, in file order', async () => {
    const text = 'serivce: web\nregion: Ireland\nenvironments:\n  prd:\n    clustr: app\n    migrate: {comand: [x], timeout: soon}\n  "b a": {}\n'
    expect(await invalid(text)).toBe(
      [
        '.ecsops.yml: 6 problems:',
        '  .ecsops.yml:1:1: serivce: unknown key; did you mean "service"?',
        '  .ecsops.yml:2:1: region: expected an AWS region such as "eu-west-1"',
        '  .ecsops.yml:5:5: environments.prd.clustr: unknown key; did you mean "cluster"?',
        '  .ecsops.yml:6:15: environments.prd.migrate.comand: unknown key; did you mean "command"?',
        '  .ecsops.yml:6:28: environments.prd.migrate.timeout: expected a duration such as "30m", "90s" or "1h"',
        '  .ecsops.yml:7:3: environments.b a: expected an environment name of letters, digits, ".", "_" or "-"',
      ].join('\n'),
    )
  })

  it('names every problem of a JSON file too, without lines', async () => {
    expect(await invalid('{"serivce": "x", "environments": {"p": {"regon": "eu-west-1"}}}', 'ecsops.config.json')).toBe(
      'ecsops.config.json: 2 problems:\n  ecsops.config.json: environments.p.regon: unknown key; did you mean "region"?\n  ecsops.config.json: serivce: unknown key; did you mean "service"?',
    )
  })

  it('rejects a malformed region and a malformed timeout', async () => {
    expect(await invalid('region: Ireland\n')).toMatch(/region: expected an AWS region/)
    expect(await invalid('migrate:\n  timeout: soon\n')).toMatch(/migrate\.timeout: expected a duration/)
    expect(await invalid('migrate:\n  preflight: yes please\n')).toMatch(/migrate\.preflight: expected true or false/)
  })

  it('rejects invalid JSON', async () => {
    expect(await invalid('{"cluster": ', 'ecsops.config.json')).toMatch(/^ecsops\.config\.json: not valid JSON/)
  })

  it('accepts an empty file', async () => {
    const dir = project({'.ecsops.yml': ''})
    const s = await resolveSettings({}, {}, dir)
    expect(s.configFile).toBe(join(dir, '.ecsops.yml'))
    expect(s.cluster).toBeUndefined()
    expect(s.sources.configFile).toBe('found from the working directory')
  })
})
