// Benchmark of config file parsing (run after `npm run build`): node bench/config.js
// A config with N environments must parse in time linear in N (the yaml package's own duplicate-key
// check was quadratic: 5,000 environments took 0.7 s, 100,000 took 71 s). Target: 100,000 in ≤ 10 s (on 2 cores),
// and 20× the environments in ≤ 40× the time.
import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {loadConfigFile} from '../dist/config/load.js'

const dir = mkdtempSync(join(tmpdir(), 'ecsops-bench-config-'))
async function timed(n) {
  let text = 'cluster: shared\nenvironments:\n'
  for (let i = 0; i < n; i++) text += `  env${i}: {cluster: app-${i}, service: web, region: eu-west-1}\n`
  const path = join(dir, `.ecsops-${n}.yml`)
  writeFileSync(path, text)
  const start = process.hrtime.bigint()
  await loadConfigFile(path)
  return Number(process.hrtime.bigint() - start) / 1e6
}
await timed(1000) // warm-up
const small = await timed(5000)
const large = await timed(100_000)
const ok = large <= 10_000 && large / small <= 40
console.log(`config: ${ok ? 'ok  ' : 'FAIL'} parse: 5,000 environments ${small.toFixed(0)} ms, 100,000 environments ${large.toFixed(0)} ms (×${(large / small).toFixed(1)} for ×20; target ≤ 10 s and ≤ ×40)`)
process.exit(ok ? 0 : 1)
