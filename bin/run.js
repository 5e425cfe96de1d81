#!/usr/bin/env node
// Entry point. Imports nothing heavy: oclif reads oclif.manifest.json and loads only the command that runs.
import {readFileSync} from 'node:fs'
import module from 'node:module'

const argv = process.argv.slice(2)
const readJson = (path) => JSON.parse(readFileSync(new URL(path, import.meta.url), 'utf8'))

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
