import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {spawnSync} from 'node:child_process'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {startAwsStub, StubError, type AwsStub} from '../helpers/aws-stub.js'
import {cleanEnv, RUN_JS, runCli} from '../helpers/cli.js'

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'))

function dirWith(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'ecsops-e2e-'))
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text)
  return dir
}

const CONFIG = `
cluster: shared
environments:
  prd: {profile: prod, region: eu-central-1, cluster: app-prd, service: web}
  stg: {cluster: app-stg}
`

describe('ecsops (built CLI)', () => {
  it('prints its version in oclif\'s format', async () => {
    const r = await runCli(['--version'])
    expect(r.code).toBe(0)
    expect(r.stdout).toBe(`ecsops/${pkg.version} ${process.platform}-${process.arch} node-${process.version}\n`)
  })

  it('lists every command in the root help', async () => {
    const r = await runCli(['--help'])
    expect(r.code).toBe(0)
    for (const command of ['config', 'iam-policy', 'autocomplete']) expect(r.stdout).toContain(command)
  })

  it('shows examples in command help', async () => {
    const r = await runCli(['config', '--help'])
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('$ ecsops config --env prd')
    expect(r.stdout).toContain('GLOBAL FLAGS')
  })

  it('serves each command\'s help outside a terminal exactly as oclif renders it', async () => {
    const manifest = JSON.parse(readFileSync(new URL('../../oclif.manifest.json', import.meta.url), 'utf8'))
    const ids = Object.keys(manifest.commands).map((id) => id.split(':'))
    expect(ids.length).toBeGreaterThan(1)
    for (const words of ids) {
      const cached = await runCli([...words, '--help'])
      const live = await runCli([...words, '--help'], {env: cleanEnv({ECSOPS_HELP_CACHE: 'off'})})
      expect(cached.code).toBe(0)
      expect(cached.stdout).toContain('USAGE')
      expect(cached.stdout).toBe(live.stdout)
    }
  })

  it('renders help live when the width is set (OCLIF_COLUMNS)', async () => {
    const narrow = await runCli(['migrate', '--help'], {env: cleanEnv({OCLIF_COLUMNS: '60'})})
    const standard = await runCli(['migrate', '--help'])
    expect(narrow.code).toBe(0)
    const usage = (text: string) => text.slice(text.indexOf('USAGE'), text.indexOf('FLAGS'))
    expect(Math.max(...usage(narrow.stdout).split('\n').map((l) => l.length))).toBeLessThanOrEqual(60)
    expect(Math.max(...usage(standard.stdout).split('\n').map((l) => l.length))).toBeGreaterThan(60)
  })

  it('rejects an unknown flag with exit 2 and no stack trace', async () => {
    const r = await runCli(['config', '--bogus'])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/error: Unknown flag --bogus\.\n/)
    expect(r.stderr).not.toMatch(/\n\s+at /)
  })

  it('fails with exit 2 and names all four sources when no region is found', async () => {
    const r = await runCli(['config'], {cwd: dirWith({})})
    expect(r.code).toBe(2)
    expect(r.stdout).toBe('')
    expect(r.stderr).toMatch(/^error: No AWS region: none of --region, AWS_REGION, AWS_DEFAULT_REGION or the region of profile default is set\.$/m)
  })

  it('fails with exit 2 on a malformed config file, naming file and key', async () => {
    const r = await runCli(['config', '--region', 'eu-west-1'], {cwd: dirWith({'.ecsops.yml': 'environments:\n  prd:\n    clustr: x\n'})})
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/^error: \.ecsops\.yml:3:5: environments\.prd\.clustr: unknown key; did you mean "cluster"\?$/m)
  })

  it('fails with exit 2 on an unknown environment, listing the known ones', async () => {
    const r = await runCli(['config', '--env', 'prod'], {cwd: dirWith({'.ecsops.yml': CONFIG})})
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('error: Unknown environment "prod" (from --env) in .ecsops.yml.')
    expect(r.stderr).toContain('Known environments: prd, stg.')
  })

  it('prints one JSON error document on stdout under --json', async () => {
    const r = await runCli(['config', '--env', 'prod', '--json'], {cwd: dirWith({'.ecsops.yml': CONFIG})})
    expect(r.code).toBe(2)
    expect(JSON.parse(r.stdout)).toEqual({
      ok: false,
      error: {code: 'UnknownEnvironment', message: 'Unknown environment "prod" (from --env) in .ecsops.yml.', hint: 'Known environments: prd, stg.', exitCode: 2},
    })
  })

  it('prints the IAM policy of one command as JSON', async () => {
    const r = await runCli(['iam-policy', 'migrate'])
    expect(r.code).toBe(0)
    const policy = JSON.parse(r.stdout)
    expect(policy.Statement[0].Action).toContain('ecs:RunTask')
    expect(policy.Statement[1].Action).toEqual(['iam:PassRole'])
  })

  it('rejects an unknown command for iam-policy with exit 2', async () => {
    const r = await runCli(['iam-policy', 'deploy'])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/Unknown command "deploy"/)
  })

  it('loads no AWS SDK client for --help and --version', () => {
    for (const args of [['--version'], ['--help'], ['config', '--help']]) {
      const trace = join(mkdtempSync(join(tmpdir(), 'ecsops-trace-')), 'imports.txt')
      writeFileSync(trace, '')
      const hook = fileURLToPath(new URL('../helpers/trace-imports.mjs', import.meta.url))
      const r = spawnSync(process.execPath, ['--import', hook, RUN_JS, ...args], {env: {...cleanEnv(), ECSOPS_TRACE_IMPORTS: trace}, encoding: 'utf8'})
      expect(r.status).toBe(0)
      const loaded = readFileSync(trace, 'utf8')
      expect(loaded).toContain('/bin/run.js')
      expect(loaded).not.toMatch(/@aws-sdk\/client-/)
      expect(loaded).not.toMatch(/@aws-sdk\/credential-provider/)
    }
  })
})

describe('ecsops config against a local AWS stand-in', () => {
  let stub: AwsStub
  /** Requests signed with this key get STS's answer to an expired session token. */
  const EXPIRED_KEY = 'AKIDEXPIRED'
  /** The calls of one run, told apart by the access key it signed with (whatever ran before). */
  const callsSignedWith = (accessKeyId: string) => stub.calls.filter((c) => c.accessKeyId === accessKeyId)
  beforeAll(async () => {
    stub = await startAwsStub({
      'sts:GetCallerIdentity': (_input, call) => {
        if (call.accessKeyId === EXPIRED_KEY) throw new StubError('ExpiredToken', 'The security token included in the request is expired')
        return {UserId: 'AROAEXAMPLE:alice', Account: '123456789012', Arn: 'arn:aws:sts::123456789012:assumed-role/Deployer/alice'}
      },
    })
  })
  afterAll(() => stub.close())

  it('shows each setting with its source, and the caller identity', async () => {
    const r = await runCli(['config', '--env', 'stg', '--service', 'api'], {cwd: dirWith({'.ecsops.yml': CONFIG}), env: cleanEnv(stub.env({AWS_ACCESS_KEY_ID: 'AKIDSTG'}))})
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/^Environment\s+stg\s+\(--env\)$/m)
    expect(r.stdout).toMatch(/^Region\s+eu-west-1\s+\(AWS_REGION\)$/m)
    expect(r.stdout).toMatch(/^Cluster\s+app-stg\s+\(\.ecsops\.yml \(environments\.stg\)\)$/m)
    expect(r.stdout).toMatch(/^Service\s+api\s+\(--service\)$/m)
    // Keys exported, no profile named: the credentials line says so (not "Profile default (SDK default chain)").
    expect(r.stdout).toMatch(/^Profile\s+\(none\)$/m)
    expect(r.stdout).toMatch(/^Credentials\s+environment variables AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY$/m)
    expect(r.stdout).toContain(`\nEndpoint      ${stub.url}  (AWS_ENDPOINT_URL)\n`)
    expect(r.stdout).toMatch(/^Account\s+123456789012$/m)
    expect(r.stdout).toMatch(/^Principal\s+arn:aws:iam::123456789012:role\/Deployer$/m)
    expect(callsSignedWith('AKIDSTG').map((c) => `${c.service}:${c.action}`)).toEqual(['sts:GetCallerIdentity'])
  })

  it('prints one JSON document with values and sources under --json, using the environment\'s profile', async () => {
    const dir = dirWith({'.ecsops.yml': CONFIG, credentials: '[prod]\naws_access_key_id = AKIDPROD\naws_secret_access_key = prod-secret\n'})
    const env = cleanEnv(stub.env({ECSOPS_ENV: 'prd', AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined, AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials')}))
    const r = await runCli(['config', '--json'], {cwd: dir, env})
    expect(r.code).toBe(0)
    const doc = JSON.parse(r.stdout)
    expect(doc).toMatchObject({
      env: {value: 'prd', source: 'ECSOPS_ENV'},
      profile: {value: 'prod', source: '.ecsops.yml (environments.prd)'},
      region: {value: 'eu-west-1', source: 'AWS_REGION'},
      cluster: {value: 'app-prd', source: '.ecsops.yml (environments.prd)'},
      identity: {account: '123456789012', arn: 'arn:aws:sts::123456789012:assumed-role/Deployer/alice'},
      identityError: null,
    })
    expect(doc.credentials).toEqual({kind: 'profile', description: 'keys of profile prod', determinedBy: 'sdk'})
    expect(doc.endpointOverrides).toEqual([{service: 'all', url: stub.url, source: 'AWS_ENDPOINT_URL'}])
    // Signed with the environment's profile's keys, with ecsops's user agent.
    const calls = callsSignedWith('AKIDPROD')
    expect(calls.map((c) => c.input.Action)).toEqual(['GetCallerIdentity'])
    expect(calls[0]!.userAgent).toContain(`ecsops/${pkg.version}`)
  })

  it('exits 3 with the AWS error code and an sso hint when the token has expired', async () => {
    const r = await runCli(['config'], {cwd: dirWith({}), env: cleanEnv(stub.env({AWS_ACCESS_KEY_ID: EXPIRED_KEY}))})
    expect(r.code).toBe(3)
    expect(r.stderr).toMatch(/^error: ExpiredToken: The security token included in the request is expired$/m)
    expect(r.stderr).toMatch(/aws sso login/)
    expect(r.stdout).toMatch(/^Caller\s+unknown: ExpiredToken$/m)
  })
})
