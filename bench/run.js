// `npm run bench`: runs every benchmark in this folder (after the build) and fails if any misses its target.
import {spawnSync} from 'node:child_process'
import {readdirSync} from 'node:fs'
import {fileURLToPath} from 'node:url'

const dir = fileURLToPath(new URL('.', import.meta.url))
const only = process.argv.slice(2)
const benches = readdirSync(dir)
  .filter((f) => f.endsWith('.js') && f !== 'run.js' && !f.startsWith('_'))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort((a, b) => (a === 'startup.js' ? -1 : b === 'startup.js' ? 1 : a.localeCompare(b)))

const failed = []
for (const file of benches) {
  console.log(`\n== ${file}`)
  const r = spawnSync(process.execPath, [`${dir}${file}`], {stdio: 'inherit'})
  if (r.status !== 0) failed.push(file)
}
console.log(failed.length === 0 ? `\nall ${benches.length} benchmarks met their targets` : `\ntargets missed: ${failed.join(', ')}`)
process.exit(failed.length === 0 ? 0 : 1)
