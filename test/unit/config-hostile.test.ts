/** Config files that exist in odd ways (issue 14, items 4 and 12, and the quadratic parse). */
import {mkdirSync, mkdtempSync, symlinkSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'

import {findConfigFile, loadConfigFile} from '../../src/config/load.js'
import {resolveSettings} from '../../src/config/settings.js'

/** A parent directory with a valid config, and a child directory to run in. */
function nested(): {parent: string; child: string} {
  const parent = mkdtempSync(join(tmpdir(), 'ecsops-cfg-'))
  writeFileSync(join(parent, '.ecsops.yml'), 'cluster: parent-cluster\n')
  const child = join(parent, 'app')
  mkdirSync(child)
  return {parent, child}
}

describe('config files that exist in odd ways', () => {
  it('a dangling .ecsops.yml symlink is exit 2 naming it, never the parent\'s config', async () => {
    const {child} = nested()
    symlinkSync(join(child, 'gone.yml'), join(child, '.ecsops.yml'))
    expect(findConfigFile(child)).toBe(join(child, '.ecsops.yml'))
    await expect(resolveSettings({}, {}, child)).rejects.toMatchObject({exitCode: 2, code: 'ConfigUnreadable', message: expect.stringContaining('.ecsops.yml')})
  })

  it('a symlink loop is exit 2 too', async () => {
    const {child} = nested()
    symlinkSync(join(child, '.ecsops.yml'), join(child, '.ecsops.yml'))
    await expect(resolveSettings({}, {}, child)).rejects.toMatchObject({exitCode: 2, code: 'ConfigUnreadable'})
  })

  it('a directory named .ecsops.yml cannot be read: exit 2', async () => {
    const {child} = nested()
    mkdirSync(join(child, '.ecsops.yml'))
    await expect(resolveSettings({}, {}, child)).rejects.toMatchObject({exitCode: 2, code: 'ConfigUnreadable'})
  })
})

describe('YAML that is not plain data', () => {
  const file = (text: string) => {
    const dir = mkdtempSync(join(tmpdir(), 'ecsops-cfg-'))
    writeFileSync(join(dir, '.ecsops.yml'), text)
    return join(dir, '.ecsops.yml')
  }

  it('a custom tag (!Ref) is exit 2 naming the line, not a literal string', async () => {
    const error = await loadConfigFile(file('region: eu-west-1\ncluster: !Ref ClusterName\n')).catch((e: unknown) => e)
    expect(error).toMatchObject({exitCode: 2, code: 'ConfigInvalid'})
    expect((error as Error).message).toMatch(/\.ecsops\.yml:2:\d+: unsupported YAML: .*!Ref/)
  })

  it('an alias bomb is exit 2 naming the file, not a ReferenceError', async () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x]', 'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]', 'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]', 'd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]', 'e: [*d, *d, *d, *d, *d, *d, *d, *d, *d]'].join('\n')
    const error = await loadConfigFile(file(`${bomb}\n`)).catch((e: unknown) => e)
    expect(error).toMatchObject({exitCode: 2, code: 'ConfigInvalid', message: expect.stringMatching(/\.ecsops\.yml: YAML aliases expand too far/)})
  })

  it('a duplicate key is exit 2 naming it, at any depth', async () => {
    await expect(loadConfigFile(file('cluster: a\ncluster: b\n'))).rejects.toMatchObject({code: 'ConfigInvalid', message: expect.stringContaining('the key "cluster" is given twice')})
    await expect(loadConfigFile(file('environments:\n  prd: {cluster: a}\n  prd: {cluster: b}\n'))).rejects.toMatchObject({message: expect.stringContaining('"prd"')})
  })

  it('20,000 environments parse (the duplicate check is one pass)', async () => {
    let text = 'environments:\n'
    for (let i = 0; i < 20_000; i++) text += `  e${i}: {cluster: c${i}}\n`
    const {config} = await loadConfigFile(file(text))
    expect(Object.keys(config.environments ?? {})).toHaveLength(20_000)
  })
})
