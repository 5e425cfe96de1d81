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
