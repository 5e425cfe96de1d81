// Preloaded with `node --import`: writes the process's peak resident memory (KiB) to $ECSOPS_BENCH_RSS_FILE on exit.
import {writeFileSync} from 'node:fs'

process.on('exit', () => {
  if (process.env.ECSOPS_BENCH_RSS_FILE) writeFileSync(process.env.ECSOPS_BENCH_RSS_FILE, String(process.resourceUsage().maxRSS))
})
