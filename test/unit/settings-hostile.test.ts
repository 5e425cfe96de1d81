/** Values a shell or a config file gives by accident (issue 14, items 3 and 5). */
import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'

import {resolveSettings} from '../../src/config/settings.js'

function project(yaml: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'ecsops-settings-'))
  writeFileSync(join(dir, '.ecsops.yml'), yaml)
  return dir
}

const YAML = 'cluster: app-prd\nregion: eu-west-1\nenvironments:\n  stg: {cluster: app-stg}\n'

describe('resolveSettings with hostile values', () => {
  it.each(['constructor', 'toString', '__proto__', 'hasOwnProperty'])('--env %s is an unknown environment, never the top-level defaults', async (name) => {
    await expect(resolveSettings({env: name}, {}, project(YAML))).rejects.toMatchObject({exitCode: 2, code: 'UnknownEnvironment', hint: 'Known environments: stg.'})
  })

  it.each(['cluster', 'region', 'service', 'container', 'profile'] as const)('an explicitly empty --%s is exit 2, not the config file\'s value', async (key) => {
    const error = await resolveSettings({[key]: ''}, {}, project(YAML)).catch((e: unknown) => e)
    expect(error).toMatchObject({exitCode: 2, code: 'EmptyValue', message: `--${key} is empty.`})
    await expect(resolveSettings({[key]: '  '}, {}, project(YAML))).rejects.toMatchObject({code: 'EmptyValue'})
  })

  it('the hint of an empty flag names where the value would come from instead, in order', async () => {
    await expect(resolveSettings({region: ''}, {}, project(YAML))).rejects.toMatchObject({hint: 'Give --region a value, or leave the flag out to use AWS_REGION, then AWS_DEFAULT_REGION, then the config file.'})
    await expect(resolveSettings({cluster: ' '}, {}, project(YAML))).rejects.toMatchObject({hint: 'Give --cluster a value, or leave the flag out to use ECSOPS_CLUSTER, then the config file.'})
  })

  it('ECSOPS_SERVICE of blanks is set but empty too, with how to unset it', async () => {
    await expect(resolveSettings({}, {ECSOPS_SERVICE: '  '}, project(YAML))).rejects.toMatchObject({
      exitCode: 2,
      code: 'EmptyValue',
      message: 'ECSOPS_SERVICE is set but empty.',
      hint: 'Unset it (unset ECSOPS_SERVICE) to use the config file, or give it a value.',
    })
  })

  it('ECSOPS_CLUSTER="" is exit 2; an empty AWS_REGION counts as unset, as for the AWS CLI', async () => {
    await expect(resolveSettings({}, {ECSOPS_CLUSTER: ''}, project(YAML))).rejects.toMatchObject({exitCode: 2, message: 'ECSOPS_CLUSTER is set but empty.'})
    const s = await resolveSettings({}, {AWS_REGION: '', ECSOPS_SERVICE: 'web'}, project(YAML))
    expect(s).toMatchObject({region: 'eu-west-1', cluster: 'app-prd', service: 'web'})
    expect(s.sources.region).toBe('.ecsops.yml')
  })
})
