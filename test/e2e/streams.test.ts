/** Output that cannot be written (issue 14, item 6): one line on the other stream, never a stack trace. */
import {closeSync, openSync} from 'node:fs'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {runCli} from '../helpers/cli.js'

describe('write errors on stdout (built CLI)', () => {
  let full: number
  beforeAll(() => {
    full = openSync('/dev/full', 'w')
  })
  afterAll(() => closeSync(full))

  it.each([[['--version']], [['iam-policy']], [['migrate', '--help']], [['iam-policy', '--json']]])('ecsops %j > /dev/full: one warning naming ENOSPC, no stack trace, exit 0', async (args) => {
    const r = await runCli(args, {stdout: full})
    expect(r.stderr.match(/^warning: cannot write to stdout \(ENOSPC\)/gm)).toHaveLength(1)
    expect(r.stderr).not.toMatch(/\n\s+at /)
    expect(r.code).toBe(0)
  })

  it('a reader that has gone (EPIPE, as `| head -1`) is no error at all', async () => {
    const r = await runCli(['iam-policy'], {stdout: 'closed'})
    expect(r.code).toBe(0)
    expect(r.stderr).not.toMatch(/\n\s+at /)
  })
})

describe('a working directory deleted under the shell (built CLI)', () => {
  it('is exit 2 saying so, not ENOENT uv_cwd', async () => {
    const {spawnSync} = await import('node:child_process')
    const {mkdtempSync} = await import('node:fs')
    const {tmpdir} = await import('node:os')
    const {join} = await import('node:path')
    const {RUN_JS, cleanEnv} = await import('../helpers/cli.js')
    const dir = mkdtempSync(join(tmpdir(), 'ecsops-gone-'))
    const r = spawnSync('sh', ['-c', `cd "${dir}" && rmdir "${dir}" && exec "${process.execPath}" "${RUN_JS}" config --no-identity`], {env: cleanEnv({AWS_REGION: 'eu-west-1'}), encoding: 'utf8'})
    expect(r.status).toBe(2)
    expect(r.stderr).toContain('error: The working directory no longer exists (it was deleted or moved).')
    expect(r.stderr).not.toContain('uv_cwd')
  })
})
