import {chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {delimiter, join} from 'node:path'

import type {AwsStub} from './aws-stub.js'
import {cleanEnv} from './cli.js'

/**
 * A stand-in `session-manager-plugin` (a Node script, `source`) in a bin directory of its own.
 * `env` gives a spawned CLI that directory first on PATH, the stub's endpoint and credentials,
 * and `FAKE_PLUGIN_RECORD`: the file the script records its argv and environment in.
 */
export function installStandInPlugin(source: string, prefix: string) {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  const binDir = join(dir, 'bin')
  mkdirSync(binDir, {recursive: true})
  writeFileSync(join(binDir, 'session-manager-plugin'), source)
  chmodSync(join(binDir, 'session-manager-plugin'), 0o755)
  return {
    dir,
    env(stub: AwsStub, extra: Record<string, string | undefined> = {}) {
      const record = join(dir, `record-${Math.random().toString(36).slice(2)}.json`)
      return {record, env: cleanEnv({...stub.env(), PATH: `${binDir}${delimiter}${process.env.PATH}`, FAKE_PLUGIN_RECORD: record, ...extra})}
    },
    remove: () => rmSync(dir, {recursive: true, force: true}),
  }
}
