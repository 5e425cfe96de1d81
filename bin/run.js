#!/usr/bin/env node
// Entry point. Imports nothing heavy: oclif reads oclif.manifest.json and loads only the command that runs.
import {readFileSync} from 'node:fs'
import module from 'node:module'
import {fileURLToPath} from 'node:url'

// `ecsops help <command words>` is `ecsops <command words> --help`: one path for both, so that a
// mistyped name gets the same "did you mean" (src/hooks/command-not-found.ts) and the cached text.
if (process.argv[2] === 'help' && process.argv.length > 3 && !process.argv.slice(3).some((word) => word.startsWith('-'))) {
  process.argv.splice(2, process.argv.length - 2, ...process.argv.slice(3), '--help')
}
const readJson = (path) => JSON.parse(readFileSync(new URL(path, import.meta.url), 'utf8'))
// `ecsops mirgate --help`: oclif's help would say "Command mirgate not found" in its own style;
// without the help flag, the command_not_found hook says it in ecsops's, with the nearest name.
if (process.argv.slice(3).some((word) => word === '--help' || word === '-h') && process.argv[2] && !process.argv[2].startsWith('-')) {
  const words = []
  for (const word of process.argv.slice(2)) {
    if (word.startsWith('-')) break
    words.push(word)
  }
  try {
    // Our commands, and those of the plugins package.json names (help, autocomplete).
    const manifests = [readJson('../oclif.manifest.json')]
    for (const plugin of readJson('../package.json').oclif.plugins ?? []) {
      try {
        manifests.push(JSON.parse(readFileSync(fileURLToPath(import.meta.resolve(`${plugin}/oclif.manifest.json`)), 'utf8')))
      } catch {
        manifests.push({commands: {[plugin.split('plugin-').pop()]: {}}})
      }
    }
    const ids = manifests.flatMap((m) => Object.keys(m.commands)).map((id) => id.split(':').join(' '))
    const typed = words.join(' ')
    const known = (id) => id === typed || id.startsWith(`${typed} `) || typed.startsWith(`${id} `)
    if (!ids.some(known)) process.argv = process.argv.filter((word) => word !== '--help' && word !== '-h')
  } catch {
    // No manifest (a development checkout before its build): oclif's own message then.
  }
}
const argv = process.argv.slice(2)

/** `ecsops <command words> --help` (or `-h`, package.json oclif.additionalHelpFlags) outside a terminal: the text oclif rendered at build time (scripts/help-cache.js). */
function cachedHelp() {
  if (!['--help', '-h'].includes(argv.at(-1)) || argv.slice(0, -1).some((word) => word.startsWith('-'))) return undefined
  if (process.stdout.isTTY || process.env.OCLIF_COLUMNS || process.env.FORCE_COLOR || process.env.ECSOPS_HELP_CACHE === 'off') return undefined
  try {
    const cache = readJson('../dist/help-cache.json')
    return cache.version === readJson('../package.json').version ? cache.help[argv.slice(0, -1).join(' ')] : undefined
  } catch {
    return undefined
  }
}

// Before oclif and the output layer take over (src/ui/output.ts guardStreams): a version or help
// text written to a closed pipe or a full disk is one line on stderr, not a stack trace.
const onStdoutError = (error) => {
  if (error.code !== 'EPIPE') process.stderr.write(`warning: cannot write to stdout (${error.code ?? error.message}).\n`)
}
process.stdout.on('error', onStdoutError)

if (argv.length === 1 && argv[0] === '--version') {
  // The most frequent call in CI logs; print oclif's own format without loading oclif.
  const {name, version} = readJson('../package.json')
  process.stdout.write(`${name}/${version} ${process.platform}-${process.arch} node-${process.version}\n`)
} else {
  const help = cachedHelp()
  if (help === undefined) {
    module.enableCompileCache?.() // Node 22.1+: caches compiled modules between runs.
    const {execute} = await import('@oclif/core/execute')
    await execute({dir: import.meta.url})
  } else {
    process.stdout.write(help)
  }
}
