import {UsageError} from '../errors.js'
import {shellWords} from '../migrate/request.js'
import {closestMatch} from '../suggest.js'

/**
 * The program sent to the container. ECS Exec runs it inside the container, so it must be a bare
 * program name (`bash`, `sh`, `rails console`) and never a path of the operator's machine: Git Bash
 * on Windows rewrites `/bin/bash` into `C:/Program Files/Git/usr/bin/bash` before ecsops sees it,
 * and the container has no such file.
 */
export const DEFAULT_COMMAND = 'bash'

export interface ContainerCommand {
  /** What ExecuteCommand receives. */
  command: string
  /** The value as given, when it was a host path and was turned back into a bare program. */
  rewrittenFrom?: string
}

/** `C:/…`, `C:\…`, `\\server\…`, `/c/Program Files/…` (MSYS), or a path into a Git for Windows / MSYS2 / Cygwin tree. */
const WINDOWS_PATH = /^(?:[A-Za-z]:[\\/]|\\\\|[A-Za-z]:$)/
const MSYS_TREE = /^\/[a-zA-Z]\/(?:Program Files|msys64|cygwin|Git|Users)/i
const HOST_TREE = /(?:^|[\\/])(?:Program Files(?: \(x86\))?[\\/]Git|msys64|cygwin64|cygwin|Git[\\/]usr)[\\/]/i

function baseName(path: string): string {
  const last = path.split(/[\\/]/).filter(Boolean).pop() ?? path
  return last.replace(/\.exe$/i, '')
}

/**
 * Turns the value of --command (or the config's exec.command) into what the container runs.
 * The program (first word) may carry arguments: `rails console` stays as it is. A Windows host
 * path to a program (`C:/Program Files/Git/usr/bin/bash`, `C:\…\bash.exe`) becomes its bare
 * name, reported in `rewrittenFrom` so the caller can warn. Container paths such as `/bin/sh`
 * are left alone: they are what the operator meant.
 */
export function containerCommand(value: string | undefined): ContainerCommand {
  const given = (value ?? '').trim()
  if (given === '') return {command: DEFAULT_COMMAND}
  const {program, rest} = splitProgram(given)
  const isHostPath = WINDOWS_PATH.test(program) || MSYS_TREE.test(program) || HOST_TREE.test(program) || /\.exe$/i.test(program)
  if (!isHostPath) return {command: given}
  const bare = baseName(program)
  return {command: rest ? `${bare} ${rest}` : bare, rewrittenFrom: given}
}

/**
 * Splits the program from its arguments. A Windows path may contain spaces
 * (`C:/Program Files/Git/usr/bin/bash -l`): the program then ends at the first word that ends
 * in a known executable name or `.exe`, else at the first space.
 */
function splitProgram(value: string): {program: string; rest: string} {
  // A quoted program (`"C:/Program Files/Git/usr/bin/bash" -l`, as a Windows shell or a config file may write it).
  const quoted = /^(["'])(.+?)\1(?:\s+(.*))?$/.exec(value)
  if (quoted) return {program: quoted[2], rest: (quoted[3] ?? '').trim()}
  if (/^(?:[A-Za-z]:[\\/]|\/[a-zA-Z]\/)/.test(value)) {
    const exe = /^(.*?\.exe)(?:\s+(.*))?$/i.exec(value)
    if (exe) return {program: exe[1], rest: exe[2] ?? ''}
    // The program ends at the last path separator's word; what follows a space after it is arguments.
    const lastSep = Math.max(value.lastIndexOf('/'), value.lastIndexOf('\\'))
    const space = value.indexOf(' ', lastSep)
    return space === -1 ? {program: value, rest: ''} : {program: value.slice(0, space), rest: value.slice(space + 1).trim()}
  }
  const space = value.indexOf(' ')
  return space === -1 ? {program: value, rest: ''} : {program: value.slice(0, space), rest: value.slice(space + 1).trim()}
}

/**
 * The command of `ecsops exec`, from the words after `--` (`ecsops exec --task T -- ls -la /`), or
 * --command as a JSON array (`'["ls","-la","/"]'`, as migrate takes it) or as a plain string
 * (`"rails console"`), else the config file's exec.command; undefined means the default, bare `bash`.
 *
 * ECS takes one command string (ExecuteCommand API reference, request parameter `command`, "The
 * command to run on the container", Type: String;
 * https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ExecuteCommand.html) and
 * session-manager-plugin carries the session without touching it: no shell of this machine sees
 * it, and it is not handed to a shell in the container either (the SSM agent splits it into words),
 * so pipes or redirections need an explicit `sh -c '…'`. Words are therefore joined
 * with shell quoting (migrate's shellWords): a word with spaces or quotes stays one word.
 */
export function commandFrom(words: string[], flag: string | undefined, configured: string | undefined): string | undefined {
  if (words.length > 0 && flag !== undefined) throw new UsageError('Give the command either after -- or with --command, not both.', {code: 'ConflictingFlags'})
  if (words.length > 0) return shellWords(words)
  if (flag !== undefined && isJsonArray(flag)) return shellWords(commandArray(flag))
  return flag ?? configured
}

/** `["ls","-la"]` (or a broken attempt at one, `["ls",`); not a plain command that starts with `[`, such as `[ -f /x ]`. */
function isJsonArray(text: string): boolean {
  const t = text.trim()
  if (/^\[\s*"/.test(t)) return true
  try {
    return Array.isArray(JSON.parse(t))
  } catch {
    return false
  }
}

function commandArray(text: string): string[] {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    value = undefined
  }
  if (!Array.isArray(value) || value.length === 0 || !value.every((v) => typeof v === 'string' && v !== '')) {
    throw new UsageError(`--command is not a JSON array of words: ${text}`, {
      hint: `E.g. --command '["ls","-la","/"]', --command "ls -la /", or the words after --: ecsops exec --task <task> -- ls -la /`,
      code: 'BadCommand',
    })
  }
  return value as string[]
}

/** The commands under `exec`, for a mistyped one. */
const EXEC_SUBCOMMANDS = ['check', 'port-forward']

/** The words after the first `--` of the raw argv; a word before it is a mistake (`ecsops exec ls` would otherwise be ignored). */
export function commandWordsOf(rawArgv: string[], parsedArgs: string[]): string[] {
  const separator = rawArgv.indexOf('--')
  const after = separator === -1 ? [] : rawArgv.slice(separator + 1)
  const stray = parsedArgs.length - after.length
  if (stray > 0) {
    // `ecsops exec chek`: a subcommand mistyped, said as the unknown-command error says it.
    const meant = stray === parsedArgs.length && rawArgv.indexOf(parsedArgs[0]!) === 0 ? closestMatch(parsedArgs[0]!, EXEC_SUBCOMMANDS) : undefined
    if (meant) throw new UsageError(`"exec ${parsedArgs[0]}" is not an ecsops command. Did you mean exec ${meant}?`, {hint: 'Run ecsops exec --help for the exec commands; a command to run in the container goes after --.', code: 'CommandNotFound'})
    throw new UsageError(`Unexpected argument "${parsedArgs[0]}": the command to run goes after --.`, {
      hint: 'E.g. ecsops exec --task <task> -- ls -la / (or --command "ls -la /").',
      code: 'UnexpectedArgument',
    })
  }
  return after
}
