import {readdirSync, readFileSync} from 'node:fs'
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

  it('gives the two set-up commands that .ci/run runs', () => {
    const ci = readFileSync(join(root, '.ci/run'), 'utf8')
    expect(readme).toContain('npm ci && npm run build && ./bin/run.js --help')
    expect(readme).toContain('\nnpm test\n')
    expect(ci).toMatch(/npm ci/)
    expect(ci).toMatch(/npm run build/)
    expect(ci).toMatch(/npm test/)
  })
})
