// Start-up benchmark (issue 2): `ecsops --version` and `ecsops migrate --help` against bare `node -e 0`,
// measured side by side (interleaved) in one run; peak memory of `--help`; SDK modules loaded.
// Targets: --version median ≤ 3 × node, migrate --help ≤ 4 × node, --help peak RSS < 100 MB, no SDK client loaded.
import {spawnSync} from 'node:child_process'
import {existsSync, mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const run = join(root, 'bin/run.js')
const runs = Number(process.env.BENCH_RUNS) || 21
const env = {PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: '1', CI: 'true'}
const helpTarget = existsSync(join(root, 'dist/commands/migrate.js')) ? 'migrate' : 'config'

const cases = [
  {name: 'node -e 0', args: ['-e', '0']},
  {name: 'ecsops --version', args: [run, '--version'], limit: 3},
  {name: `ecsops ${helpTarget} --help`, args: [run, helpTarget, '--help'], limit: 4},
  // What a terminal user waits for: oclif loads and renders the help live (no build-time text).
  {name: `  (rendered live)`, args: [run, helpTarget, '--help'], env: {ECSOPS_HELP_CACHE: 'off'}},
  {name: 'ecsops --help', args: [run, '--help']},
]

const timings = new Map(cases.map((c) => [c.name, []]))
for (let i = 0; i < runs; i++) {
  for (const c of cases) {
    const start = process.hrtime.bigint()
    const r = spawnSync(process.execPath, c.args, {env: {...env, ...c.env}, stdio: 'ignore'})
    const ms = Number(process.hrtime.bigint() - start) / 1e6
    if (r.status !== 0) {
      console.error(`${c.name} exited ${r.status}`)
      process.exit(1)
    }
    if (i > 0) timings.get(c.name).push(ms) // first round warms the file cache
  }
}
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)]
}
const base = median(timings.get('node -e 0'))
let ok = true
for (const c of cases) {
  const m = median(timings.get(c.name))
  const ratio = m / base
  const verdict = c.limit ? (ratio <= c.limit ? `ok (target ≤ ${c.limit}×)` : `MISSED (target ≤ ${c.limit}×)`) : c.name === 'node -e 0' ? 'baseline' : 'no target'
  if (c.limit && ratio > c.limit) ok = false
  console.log(`${c.name.padEnd(24)} median ${m.toFixed(1).padStart(7)} ms  ${ratio.toFixed(2)}× node  ${verdict}`)
}

// Peak memory and modules loaded by --help.
const tmp = mkdtempSync(join(tmpdir(), 'ecsops-bench-'))
const rssFile = join(tmp, 'rss')
const traceFile = join(tmp, 'imports')
writeFileSync(traceFile, '')
const probe = fileURLToPath(new URL('./_rss-probe.mjs', import.meta.url))
const trace = join(root, 'test/helpers/trace-imports.mjs')
for (const args of [['--help'], [helpTarget, '--help'], ['--version']]) {
  const r = spawnSync(process.execPath, ['--import', probe, '--import', trace, run, ...args], {env: {...env, ECSOPS_BENCH_RSS_FILE: rssFile, ECSOPS_TRACE_IMPORTS: traceFile}, stdio: 'ignore'})
  const rssMb = Number(readFileSync(rssFile, 'utf8')) / 1024
  const sdk = readFileSync(traceFile, 'utf8').split('\n').filter((u) => /@aws-sdk\/(client-|credential-provider)/.test(u))
  const fine = r.status === 0 && rssMb < 100 && sdk.length === 0
  if (!fine) ok = false
  console.log(`ecsops ${args.join(' ').padEnd(17)} peak RSS ${rssMb.toFixed(1)} MB (target < 100 MB), AWS SDK modules loaded: ${sdk.length} ${fine ? 'ok' : 'MISSED'}`)
  writeFileSync(traceFile, '')
}
process.exit(ok ? 0 : 1)
