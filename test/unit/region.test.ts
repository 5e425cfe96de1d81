import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterEach, describe, expect, it, vi} from 'vitest'

import {resolveRegion} from '../../src/aws/region.js'

function awsConfig(text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'ecsops-aws-')), 'config')
  writeFileSync(file, text)
  return file
}

describe('resolveRegion', () => {
  afterEach(() => vi.unstubAllEnvs())

  it('a malformed region is exit 2 naming where it came from; real codes of every partition pass', async () => {
    for (const bad of ['eu west 1', 'EU-WEST-1', 'euwest1', 'eu-west']) {
      await expect(resolveRegion({region: bad, source: '--region'}, undefined, {})).rejects.toMatchObject({exitCode: 2, code: 'BadRegion', message: `"${bad}" (from --region) is not an AWS region code.`})
    }
    for (const good of ['eu-west-1', 'us-gov-west-1', 'cn-northwest-1', 'us-isob-east-1', 'ap-southeast-7', 'mx-central-1']) {
      expect((await resolveRegion({region: good, source: '--region'}, undefined, {})).region).toBe(good)
    }
  })

  it('keeps a region already settled by flag, env or config file', async () => {
    expect(await resolveRegion({region: 'eu-west-1', source: '--region'}, undefined, {})).toEqual({region: 'eu-west-1', source: '--region'})
  })

  it("falls back to the profile's region", async () => {
    vi.stubEnv('AWS_CONFIG_FILE', awsConfig('[profile prod]\nregion = eu-north-1\n[default]\nregion = us-west-2\n'))
    vi.stubEnv('AWS_SHARED_CREDENTIALS_FILE', '/nonexistent')
    expect(await resolveRegion(undefined, 'prod', {})).toEqual({region: 'eu-north-1', source: 'profile prod'})
    expect(await resolveRegion(undefined, undefined, {})).toEqual({region: 'us-west-2', source: 'profile default'})
    expect(await resolveRegion(undefined, undefined, {AWS_PROFILE: 'prod'})).toEqual({region: 'eu-north-1', source: 'profile prod'})
  })

  it('fails naming all four sources when no region is found', async () => {
    vi.stubEnv('AWS_CONFIG_FILE', awsConfig('[profile other]\nregion = eu-north-1\n'))
    vi.stubEnv('AWS_SHARED_CREDENTIALS_FILE', '/nonexistent')
    const err = await resolveRegion(undefined, 'prod', {}).catch((e) => e)
    expect(err.exitCode).toBe(2)
    expect(err.message).toBe('No AWS region: none of --region, AWS_REGION, AWS_DEFAULT_REGION or the region of profile prod is set.')
  })
})
