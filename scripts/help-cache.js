// Build step: records what `ecsops <command> --help` prints when stdout is not a terminal (oclif's
// own renderer, at its fixed 80 columns) in dist/help-cache.json. bin/run.js serves these texts
// without loading oclif, as oclif.manifest.json saves loading the command modules. In a terminal
// (any width) or with OCLIF_COLUMNS / FORCE_COLOR set, oclif renders the help live.
import {spawnSync} from 'node:child_process'
import {readFileSync, writeFileSync} from 'node:fs'

const root = new URL('..', import.meta.url)
const manifest = JSON.parse(readFileSync(new URL('oclif.manifest.json', root), 'utf8'))
const run = new URL('bin/run.js', root).pathname
const env = {...process.env, ECSOPS_HELP_CACHE: 'off'}
delete env.OCLIF_COLUMNS
delete env.FORCE_COLOR

const help = {}
for (const [id, command] of Object.entries(manifest.commands)) {
  if (command.hidden) continue
  const words = id.split(':')
  const r = spawnSync(process.execPath, [run, ...words, '--help'], {env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe']})
  if (r.status !== 0 || r.stderr) throw new Error(`ecsops ${words.join(' ')} --help failed (${r.status}): ${r.stderr}`)
  help[words.join(' ')] = r.stdout
}
writeFileSync(new URL('dist/help-cache.json', root), JSON.stringify({version: manifest.version, help}))
console.log(`wrote help for ${Object.keys(help).length} commands to dist/help-cache.json`)
