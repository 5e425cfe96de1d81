import {readdirSync, readFileSync} from 'node:fs'
import {join, relative} from 'node:path'
import {fileURLToPath} from 'node:url'
import {describe, expect, it} from 'vitest'

const root = fileURLToPath(new URL('../..', import.meta.url))
const commandsDir = join(root, 'src/commands')

function commandFiles(dir: string): string[] {
  return readdirSync(dir, {withFileTypes: true}).flatMap((e) => (e.isDirectory() ? commandFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []))
}

/** `src/commands/exec/index.ts` → `exec`, `src/commands/exec/check.ts` → `exec:check`. */
const idOf = (file: string) => relative(commandsDir, file).replace(/\.ts$/, '').replace(/\/index$/, '').split('/').join(':')

describe('oclif.manifest.json', () => {
  // Committed, and rewritten by npm run build: a missing file fails every test below.
  const manifest = JSON.parse(readFileSync(join(root, 'oclif.manifest.json'), 'utf8'))
  const files = commandFiles(commandsDir)

  it('lists exactly the commands in src/commands', () => {
    expect(Object.keys(manifest.commands).sort()).toEqual(files.map(idOf).sort())
  })

  it.each(files.map((f) => [idOf(f), f]))('has the current flags and arguments of %s', async (id, file) => {
    const {default: Command} = await import(file)
    const flags = Object.keys({json: true, ...Command.baseFlags, ...Command.flags}).sort()
    expect(Object.keys(manifest.commands[id]?.flags ?? {}).sort()).toEqual(flags)
    expect(Object.keys(manifest.commands[id]?.args ?? {}).sort()).toEqual(Object.keys(Command.args ?? {}).sort())
    expect(manifest.commands[id]?.summary).toBe(Command.summary)
  })
})
