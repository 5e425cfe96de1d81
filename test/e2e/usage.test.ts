import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'

import {cleanEnv, runCli} from '../helpers/cli.js'

describe('-h is --help (package.json oclif.additionalHelpFlags)', () => {
  it('at the root', async () => {
    const [short, long] = await Promise.all([runCli(['-h']), runCli(['--help'])])
    expect(short.code).toBe(0)
    expect(short.stderr).toBe('')
    expect(short.stdout).toBe(long.stdout)
    expect(short.stdout).toContain('USAGE')
  })

  it('on a command, served from the help cache and rendered live alike', async () => {
    const live = cleanEnv({ECSOPS_HELP_CACHE: 'off'})
    const [short, long, shortLive] = await Promise.all([runCli(['config', '-h']), runCli(['config', '--help']), runCli(['config', '-h'], {env: live})])
    for (const r of [short, shortLive]) {
      expect(r.code).toBe(0)
      expect(r.stderr).toBe('')
      expect(r.stdout).toBe(long.stdout)
    }
  })

  it('after other flags and on a topic', async () => {
    const [withFlags, topic, topicLong, subcommand] = await Promise.all([runCli(['migrate', '--cluster', 'x', '-h']), runCli(['exec', '-h']), runCli(['exec', '--help']), runCli(['exec', 'check', '-h'])])
    expect(withFlags.code).toBe(0)
    expect(withFlags.stdout).toContain('USAGE\n  $ ecsops migrate')
    expect(topic.code).toBe(0)
    expect(topic.stdout).toBe(topicLong.stdout)
    expect(subcommand.code).toBe(0)
    expect(subcommand.stdout).toContain('USAGE\n  $ ecsops exec check')
  })
})

describe('an unknown command or flag: ecsops\'s error style, the nearest name, exit 2, no question', () => {
  it('suggests the nearest command', async () => {
    const r = await runCli(['mirgate', '--cluster', 'x'])
    expect(r.code).toBe(2)
    expect(r.stdout).toBe('')
    expect(r.stderr).toBe('error: "mirgate" is not an ecsops command. Did you mean migrate?\n  Run ecsops migrate --help to see its usage, or ecsops --help for every command.\n')
  })

  it('the same for `help mirgate` and `mirgate --help`; `help migrate` is `migrate --help`; a plugin command\'s help is help, not a run', async () => {
    for (const args of [['help', 'mirgate'], ['mirgate', '--help'], ['mirgate', '-h']]) {
      const r = await runCli(args, {env: cleanEnv()})
      expect(r.code, args.join(' ')).toBe(2)
      expect(r.stderr).toContain('error: "mirgate" is not an ecsops command. Did you mean migrate?')
      expect(r.stderr).not.toContain('›')
    }
    const [viaHelp, direct] = await Promise.all([runCli(['help', 'migrate'], {env: cleanEnv()}), runCli(['migrate', '--help'], {env: cleanEnv()})])
    expect(viaHelp.code).toBe(0)
    expect(viaHelp.stdout).toBe(direct.stdout)
    const autocomplete = await runCli(['autocomplete', '--help'], {env: cleanEnv()})
    expect(autocomplete.code).toBe(0)
    expect(autocomplete.stdout).toContain('Display autocomplete installation instructions.')
    expect(autocomplete.stderr).not.toContain('Building the autocomplete cache')
  })

  it('suggests a command under a topic with the words the user types', async () => {
    const r = await runCli(['exec', 'chek'])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('error: "exec chek" is not an ecsops command. Did you mean exec check?\n')
  })

  it('suggests nothing when nothing is close', async () => {
    const r = await runCli(['deploy'])
    expect(r.code).toBe(2)
    expect(r.stderr).toBe('error: "deploy" is not an ecsops command.\n  Run ecsops --help for the list of commands.\n')
  })

  it('prints the error document under --json', async () => {
    const r = await runCli(['mirgate', '--json'])
    expect(r.code).toBe(2)
    expect(JSON.parse(r.stdout)).toEqual({
      ok: false,
      error: {code: 'CommandNotFound', message: '"mirgate" is not an ecsops command. Did you mean migrate?', hint: 'Run ecsops migrate --help to see its usage, or ecsops --help for every command.', exitCode: 2},
    })
  })

  it('suggests the nearest flag of the command', async () => {
    const r = await runCli(['config', '--clustr', 'x'])
    expect(r.code).toBe(2)
    expect(r.stdout).toBe('')
    expect(r.stderr).toBe('error: Unknown flag --clustr. Did you mean --cluster?\n  Run ecsops config --help for its flags.\n')
  })

  it('suggests global flags and --no- forms too, for each unknown flag', async () => {
    const r = await runCli(['exec', 'check', '--regin', 'eu-west-1', '--no-identty', '--json'])
    expect(r.code).toBe(2)
    expect(JSON.parse(r.stdout).error).toEqual({code: 'UnknownFlag', message: 'Unknown flags: --regin (did you mean --region?), --no-identty.', hint: 'Run ecsops exec check --help for its flags.', exitCode: 2})
  })
})

describe('a config file with several problems', () => {
  it('names all of them, each with its line and key path, and exits 2', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ecsops-usage-'))
    writeFileSync(join(dir, '.ecsops.yml'), 'serivce: web\nenvironments:\n  prd:\n    clustr: app\n    region: Ireland\n')
    const r = await runCli(['config', '--no-identity'], {cwd: dir})
    expect(r.code).toBe(2)
    expect(r.stdout).toBe('')
    expect(r.stderr.split('\n').slice(0, 4)).toEqual([
      'error: .ecsops.yml: 3 problems:',
      '  .ecsops.yml:1:1: serivce: unknown key; did you mean "service"?',
      '  .ecsops.yml:4:5: environments.prd.clustr: unknown key; did you mean "cluster"?',
      '  .ecsops.yml:5:5: environments.prd.region: expected an AWS region such as "eu-west-1"',
    ])
    expect(r.stderr).not.toContain('more problem')
  })
})

describe('ecsops config: the credential source and endpoint overrides, without calling AWS', () => {
  it('--no-identity works them out from the environment and files, and says so', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ecsops-usage-'))
    writeFileSync(join(dir, 'aws-config'), '[profile dev]\nregion = eu-west-1\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = Dev\nendpoint_url = http://dev.local\n')
    const env = cleanEnv({AWS_CONFIG_FILE: join(dir, 'aws-config'), AWS_ENDPOINT_URL_ECS: 'http://127.0.0.1:9', AWS_ACCESS_KEY_ID: 'AKIDENV', AWS_SECRET_ACCESS_KEY: 's'})
    const r = await runCli(['config', '--profile', 'dev', '--no-identity'], {cwd: dir, env})
    expect(r.code).toBe(0)
    expect(r.stderr).toBe('')
    expect(r.stdout).toContain('\nProfile       dev  (--profile)\nCredentials   SSO of profile dev (sso-session corp)  (from the environment and files; not resolved)\nRegion        eu-west-1  (profile dev)\nEndpoint ECS  http://127.0.0.1:9  (AWS_ENDPOINT_URL_ECS)\nEndpoint      http://dev.local  (profile dev (endpoint_url))\n')
    const json = await runCli(['config', '--no-identity', '--json'], {cwd: dir, env: {...env, AWS_REGION: 'eu-west-1'}})
    expect(json.code).toBe(0)
    const doc = JSON.parse(json.stdout)
    expect(doc.profile).toEqual({value: null, source: null})
    expect(doc.credentials).toEqual({kind: 'environment', description: 'environment variables AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY', determinedBy: 'files'})
    expect(doc.endpointOverrides).toEqual([{service: 'ECS', url: 'http://127.0.0.1:9', source: 'AWS_ENDPOINT_URL_ECS'}])
  })
})
