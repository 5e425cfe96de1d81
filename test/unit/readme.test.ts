import {existsSync, readdirSync, readFileSync} from 'node:fs'
import {join, relative} from 'node:path'
import {fileURLToPath} from 'node:url'
import {describe, expect, it} from 'vitest'

import {ExitCode} from '../../src/exit-codes.js'

const root = fileURLToPath(new URL('../..', import.meta.url))
const readme = readFileSync(join(root, 'README.md'), 'utf8')

function commandIds(dir = join(root, 'src/commands')): string[] {
  return readdirSync(dir, {withFileTypes: true}).flatMap((e) =>
    e.isDirectory() ? commandIds(join(dir, e.name)) : [relative(join(root, 'src/commands'), join(dir, e.name)).replace(/\.ts$/, '').replace(/\/index$/, '').split('/').join(' ')],
  )
}

describe('README', () => {
  it('documents every exit code of the table in src/exit-codes.ts', () => {
    const table = readme.slice(readme.indexOf('## Exit codes'))
    for (const code of Object.values(ExitCode)) expect(table).toMatch(new RegExp(`^\\| ${code} \\|`, 'm'))
  })

  it('shows an example of every command', () => {
    for (const id of commandIds()) expect(readme).toContain(`ecsops ${id} `)
  })

  it('gives the two set-up commands: install, build and audit an example, then npm test (which .ci/run runs)', () => {
    const ci = readFileSync(join(root, '.ci/run'), 'utf8')
    // The first command ends by auditing an example snapshot (test/endpoints/snapshot-cli.test.ts runs it).
    const first = /```sh\n(npm ci && npm run build && \.\/bin\/run\.js check-endpoints --snapshot (examples\/[\w.-]+\.json))\n```/.exec(readme)
    expect(first, 'the set-up command').not.toBeNull()
    expect(existsSync(join(root, first![2]!))).toBe(true)
    expect(readme.indexOf(first![1]!)).toBeLessThan(readme.indexOf('\nnpm test\n'))
    expect(readme).toContain('\nnpm test\n')
    expect(ci).toMatch(/npm ci/)
    expect(ci).toMatch(/npm run build/)
    expect(ci).toMatch(/npm test/)
  })
})
