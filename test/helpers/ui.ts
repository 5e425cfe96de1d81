import {makeColors, type Progress, type Ui} from '../../src/ui/output.js'

/** A Ui that records what a feature printed, split as the real one splits it. */
export interface RecordingUi extends Ui {
  stdout: string[]
  stderr: string[]
  json_: unknown[]
}

export function recordingUi(options: {json?: boolean; interactive?: boolean; promptable?: boolean; stdoutIsTerminal?: boolean; githubActions?: boolean; env?: NodeJS.ProcessEnv} = {}): RecordingUi {
  const stdout: string[] = []
  const stderr: string[] = []
  const json_: unknown[] = []
  const progress = (text: string): Progress => {
    stderr.push(text)
    return {
      update: (t) => stderr.push(t),
      succeed: (t) => t && stderr.push(t),
      persist: (t) => stderr.push(t),
      fail: (t) => t && stderr.push(t),
      warn: (t) => t && stderr.push(t),
      stop() {},
    }
  }
  return {
    stdout,
    stderr,
    json_,
    json: options.json ?? false,
    interactive: options.interactive ?? false,
    promptable: options.promptable ?? options.interactive ?? false,
    fancy: false,
    stdoutIsTerminal: options.stdoutIsTerminal ?? false,
    githubActions: options.githubActions ?? false,
    color: makeColors(false),
    outColor: makeColors(false),
    width: 80,
    env: options.env ?? {},
    out: (line) => (options.json ? stderr : stdout).push(line),
    info: (line) => stderr.push(line),
    warn: (line) => stderr.push(`warning: ${line}`),
    error: (line) => stderr.push(`error: ${line}`),
    debug() {},
    spinner: progress,
    writeJson: (value) => json_.push(value),
  }
}
