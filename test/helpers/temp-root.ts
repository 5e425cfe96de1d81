import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

// vitest globalSetup: every temporary file of a test run (the tests' own mkdtemp, the built
// CLI's, a stand-in plugin's) goes under one directory, removed when the run ends, so a run
// leaves nothing in the machine's temporary folder. The workers and the CLIs they spawn inherit
// TMPDIR, which os.tmpdir() reads.
export default function setup(): () => void {
  const root = mkdtempSync(join(tmpdir(), 'ecsops-test-run-'))
  process.env.TMPDIR = root
  return () => rmSync(root, {recursive: true, force: true})
}
