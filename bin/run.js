#!/usr/bin/env node
// Entry point. Imports nothing heavy: oclif reads oclif.manifest.json and loads only the command that runs.
import {readFileSync} from 'node:fs'

const argv = process.argv.slice(2)
if (argv.length === 1 && argv[0] === '--version') {
  // The most frequent call in CI logs; print oclif's own format without loading oclif.
  const {name, version} = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'))
  process.stdout.write(`${name}/${version} ${process.platform}-${process.arch} node-${process.version}\n`)
} else {
  const {execute} = await import('@oclif/core/execute')
  await execute({dir: import.meta.url})
}
