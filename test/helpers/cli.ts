import {spawn} from 'node:child_process'
import {fileURLToPath} from 'node:url'

export const RUN_JS = fileURLToPath(new URL('../../bin/run.js', import.meta.url))

export interface CliResult {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
}

/** An environment with no AWS settings of the developer's machine: tests add what they need. */
export function cleanEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NO_COLOR: '1',
    CI: 'true',
    AWS_CONFIG_FILE: '/nonexistent/aws-config',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/aws-credentials',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_MAX_ATTEMPTS: '1',
  }
  for (const [k, v] of Object.entries(extra)) {
    if (v === undefined) delete env[k]
    else env[k] = v
  }
  return env
}

/**
 * Runs the built CLI (`bin/run.js`) as a user would, asynchronously so that a stub AWS server
 * in this process keeps answering. Resolves with the exit code and both streams.
 */
export function runCli(
  args: string[],
  options: {
    env?: NodeJS.ProcessEnv
    cwd?: string
    input?: string
    timeoutMs?: number
    onSpawn?: (pid: number) => void
    /** A file descriptor for the child's stdout (e.g. /dev/full opened for writing), or `closed`: a pipe whose reader has gone (EPIPE). */
    stdout?: number | 'closed'
  } = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const out = typeof options.stdout === 'number' ? options.stdout : 'pipe'
    const child = spawn(process.execPath, [RUN_JS, ...args], {cwd: options.cwd, env: options.env ?? cleanEnv(), stdio: ['pipe', out, 'pipe']})
    let stdout = ''
    let stderr = ''
    if (options.stdout === 'closed') child.stdout?.destroy()
    else child.stdout?.on('data', (d) => (stdout += d))
    child.stderr?.on('data', (d) => (stderr += d))
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 15_000)
    child.on('error', reject)
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      resolve({code, signal, stdout, stderr})
    })
    if (child.pid && options.onSpawn) options.onSpawn(child.pid)
    child.stdin?.end(options.input ?? '')
  })
}
