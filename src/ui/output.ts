/**
 * The output layer. stdout carries the result (report, JSON document, a migration's log lines);
 * stderr carries progress, spinners, warnings and errors. Features never write to the
 * process streams themselves: they receive a `Ui`.
 */

export interface Streams {
  stdout: NodeJS.WritableStream & {isTTY?: boolean; columns?: number}
  stderr: NodeJS.WritableStream & {isTTY?: boolean; columns?: number}
  stdin: {isTTY?: boolean}
  env: NodeJS.ProcessEnv
}

export interface Progress {
  /** Changes the spinner text (or, without a TTY, prints it as a new line). */
  update(text: string): void
  succeed(text?: string): void
  /** Ends the spinner leaving `text` on screen with a neutral mark (a status reached, not a success). */
  persist(text: string): void
  fail(text?: string): void
  warn(text?: string): void
  /** Removes the spinner without a final line. */
  stop(): void
}

export interface Colors {
  bold(s: string): string
  dim(s: string): string
  red(s: string): string
  green(s: string): string
  yellow(s: string): string
  cyan(s: string): string
}

export interface Ui {
  /** --json was given: stdout is reserved for the one JSON document. */
  readonly json: boolean
  /** stdin and stdout are terminals and CI is unset: pickers and prompts are allowed. */
  readonly interactive: boolean
  /**
   * stdin is a terminal and CI is unset: a yes/no question can be asked (on stderr), whatever
   * stdout is, so that `ecsops migrate … | tee log` still asks before a production run.
   */
  readonly promptable: boolean
  /** stderr is a terminal with a width and CI is unset: spinners are shown. */
  readonly fancy: boolean
  /** stdout is a terminal: text that is not ours (a container's log) is shown without control sequences. */
  readonly stdoutIsTerminal: boolean
  /** Running in GitHub Actions (GITHUB_ACTIONS=true): annotations and groups are understood. */
  readonly githubActions: boolean
  /** Colours for what goes to stderr (progress, warnings, errors): decided by stderr. */
  readonly color: Colors
  /** Colours for what `out` writes (reports): decided by stdout, so that `> file`, `| less` and `| grep` get none. */
  readonly outColor: Colors
  /** The width `out` wraps to: stdout's columns in a terminal, 80 otherwise. */
  readonly width: number
  readonly env: NodeJS.ProcessEnv
  /** One line of result on stdout (under --json, results go to stderr instead). */
  out(line: string): void
  /** One line of progress or information on stderr. */
  info(line: string): void
  warn(line: string): void
  error(line: string): void
  /** Debug detail on stderr, only with --debug or DEBUG=ecsops*. */
  debug(line: string): void
  spinner(text: string): Progress
  /** The raw JSON document on stdout; only the command layer calls this. */
  writeJson(value: unknown): void
}

export interface UiOptions {
  json?: boolean
  debug?: boolean
  streams?: Partial<Streams>
}

const codes = {bold: [1, 22], dim: [2, 22], red: [31, 39], green: [32, 39], yellow: [33, 39], cyan: [36, 39]} as const

export function makeColors(enabled: boolean): Colors {
  const wrap = ([open, close]: readonly [number, number]) => (s: string) => (enabled ? `\u001B[${open}m${s}\u001B[${close}m` : s)
  return {bold: wrap(codes.bold), dim: wrap(codes.dim), red: wrap(codes.red), green: wrap(codes.green), yellow: wrap(codes.yellow), cyan: wrap(codes.cyan)}
}

/**
 * Whether text for `stream` is coloured. FORCE_COLOR decides first (`0`/`false` off, anything
 * else on: the convention of Node's own util.inspect and chalk/supports-color); then NO_COLOR
 * set to a non-empty value turns colour off (no-color.org: "when present and not an empty
 * string"); TERM=dumb and CI logs get none; otherwise a terminal gets colour, a file or pipe none.
 */
export function colorEnabled(stream: {isTTY?: boolean}, env: NodeJS.ProcessEnv): boolean {
  const force = env.FORCE_COLOR
  if (force !== undefined) return !/^(0|false)$/i.test(force)
  if (env.NO_COLOR) return false
  if (env.TERM === 'dumb' || isCi(env)) return false
  return Boolean(stream.isTTY)
}

/** The width to wrap stdout's text to: the terminal's columns (at least 40), or 80 in a file, a pipe or CI. */
export function outputWidth(stream: {isTTY?: boolean; columns?: number}): number {
  return stream.isTTY && (stream.columns ?? 0) > 0 ? Math.max(40, stream.columns!) : 80
}

/** CI is set at all (even CI=false), as ora and most tools read it. */
export function isCi(env: NodeJS.ProcessEnv): boolean {
  return env.CI !== undefined
}

export function debugEnabled(env: NodeJS.ProcessEnv, flag = false): boolean {
  return flag || /(^|,)\s*ecsops(\*|:|,|$)/.test(env.DEBUG ?? '')
}

function timestamp(): string {
  return new Date().toISOString().slice(11, 19)
}

/** Streams whose writes failed (EPIPE, ENOSPC, EIO): nothing more is written to them. */
const brokenStreams = new WeakSet<object>()
const guardedStreams = new WeakSet<object>()

/**
 * Write errors on stdout or stderr (a closed pipe, a full disk, a terminal that hung up) are said
 * once on the other stream, if it still works, and never thrown: a migration being watched goes on
 * being supervised (and its task stopped on a signal) whatever happens to its output.
 */
export function guardStreams(stdout: NodeJS.WritableStream, stderr: NodeJS.WritableStream): void {
  const guard = (stream: NodeJS.WritableStream, name: string, other: NodeJS.WritableStream) => {
    if (guardedStreams.has(stream) || typeof stream.on !== 'function') return
    guardedStreams.add(stream)
    // @oclif/core adds a listener to process.stdout that rethrows every error but EPIPE (an
    // uncaught exception with a stack trace on a full disk); this one replaces it.
    if (stream === process.stdout || stream === process.stderr) stream.removeAllListeners('error')
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (brokenStreams.has(stream)) return
      brokenStreams.add(stream)
      safeWrite(other, `warning: cannot write to ${name} (${error.code ?? error.message}): what would go there is lost from here on.\n`)
    })
  }
  guard(stdout, 'stdout', stderr)
  guard(stderr, 'stderr', stdout)
}

/** Writes unless the stream has failed before; a synchronous failure marks it failed. */
export function safeWrite(stream: NodeJS.WritableStream, text: string): void {
  if (brokenStreams.has(stream) || (stream as {destroyed?: boolean}).destroyed) return
  try {
    stream.write(text)
  } catch {
    brokenStreams.add(stream)
  }
}

export function createUi(options: UiOptions = {}): Ui {
  const streams: Streams = {stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env, ...options.streams}
  const {stdout, stderr, stdin, env} = streams
  guardStreams(stdout, stderr)
  const ci = isCi(env)
  const json = options.json ?? false
  const interactive = Boolean(stdin.isTTY && stdout.isTTY) && !ci
  const promptable = Boolean(stdin.isTTY) && !ci
  // A terminal that reports no width (some `script` or container set-ups) makes ora redraw without end.
  // TERM=dumb cannot redraw a line: plain progress lines there too.
  const fancy = Boolean(stderr.isTTY) && (stderr.columns ?? 0) > 0 && !ci && env.TERM !== 'dumb'
  const colorOn = colorEnabled(stderr, env)
  const color = makeColors(colorOn)
  // Under --json, `out` writes to stderr: stderr's colours then.
  const outColor = json ? color : makeColors(colorEnabled(stdout, env))
  const debugOn = debugEnabled(env, options.debug)
  const writeErr = (line: string) => safeWrite(stderr, `${line}\n`)

  const ui: Ui = {
    json,
    interactive,
    promptable,
    fancy,
    stdoutIsTerminal: Boolean(stdout.isTTY),
    githubActions: env.GITHUB_ACTIONS === 'true',
    color,
    outColor,
    width: outputWidth(json ? stderr : stdout),
    env,
    out(line) {
      if (json) writeErr(line)
      else safeWrite(stdout, `${line}\n`)
    },
    info: writeErr,
    warn: (line) => writeErr(`${color.yellow('warning:')} ${line}`),
    error: (line) => writeErr(`${color.red('error:')} ${line}`),
    debug(line) {
      if (debugOn) writeErr(color.dim(`debug: ${line}`))
    },
    spinner(text) {
      return fancy ? oraSpinner(text, stderr, colorOn) : plainProgress(text, writeErr, color)
    },
    writeJson(value) {
      safeWrite(stdout, `${JSON.stringify(value, null, 2)}\n`)
    },
  }
  return ui
}

/** Without a terminal: one timestamped line per change, nothing animated, nothing rewritten. */
function plainProgress(text: string, write: (line: string) => void, color: Colors): Progress {
  let current = text
  write(`[${timestamp()}] ${text}`)
  const finish = (mark: string, t?: string) => {
    if (t) write(`[${timestamp()}] ${mark}${t}`)
  }
  return {
    update(t) {
      if (t !== current) write(`[${timestamp()}] ${t}`)
      current = t
    },
    succeed: (t) => finish('', t),
    persist: (t) => finish('', t),
    fail: (t) => finish(color.red('✖ '), t),
    warn: (t) => finish(color.yellow('⚠ '), t),
    stop() {},
  }
}

/** In a terminal: an ora spinner on stderr, loaded only when one is shown; without colour (NO_COLOR) its frames and marks are plain. */
function oraSpinner(text: string, stream: NodeJS.WritableStream, colorOn: boolean): Progress {
  let spinner: {text: string; succeed(t?: string): void; fail(t?: string): void; warn(t?: string): void; stop(): void; stopAndPersist(o: {symbol: string; text: string}): void} | undefined
  let pending: Array<(s: NonNullable<typeof spinner>) => void> = []
  let latest = text
  import('ora').then(({default: ora}) => {
    spinner = ora({text: latest, stream: stream as NodeJS.WritableStream & {isTTY: true}, discardStdin: false, color: colorOn ? 'cyan' : false}).start()
    for (const action of pending) action(spinner)
    pending = []
  }, () => {})
  const act = (action: (s: NonNullable<typeof spinner>) => void) => (spinner ? action(spinner) : pending.push(action))
  return {
    update(t) {
      latest = t
      if (spinner) spinner.text = t
    },
    // ora colours its own marks (log-symbols): without colour, the same marks uncoloured.
    succeed: (t) => act((s) => (colorOn ? s.succeed(t) : s.stopAndPersist({symbol: '✔', text: t ?? s.text}))),
    persist: (t) => act((s) => s.stopAndPersist({symbol: '•', text: t})),
    fail: (t) => act((s) => (colorOn ? s.fail(t) : s.stopAndPersist({symbol: '✖', text: t ?? s.text}))),
    warn: (t) => act((s) => (colorOn ? s.warn(t) : s.stopAndPersist({symbol: '⚠', text: t ?? s.text}))),
    stop: () => act((s) => s.stop()),
  }
}
