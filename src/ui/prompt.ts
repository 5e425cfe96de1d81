import {EcsopsError, UsageError} from '../errors.js'
import {ExitCode} from '../exit-codes.js'
import type {Ui} from './output.js'

export interface Choice<T> {
  value: T
  /** What the list shows. */
  name: string
  /** Extra text shown for the highlighted choice. */
  description?: string
  /** Text matched by the search box; defaults to the name. */
  keywords?: string
  /** Shown but not selectable, with the reason (a task with ECS Exec off). */
  disabled?: string
}

export interface PickOptions<T> {
  /** "Which service?" */
  message: string
  /** The flag that gives this value without a prompt, named in the error when no terminal is there. */
  flag: string
  choices: Choice<T>[]
  /** What a choice is called, for messages: "service", "task". */
  noun: string
  /** Take a single candidate without asking (default). False for a choice that starts something: it is asked, or named in the error. */
  takeOnlyOne?: boolean
}

const MAX_LISTED = 20

/**
 * Ctrl-C at a prompt (inquirer's ExitPromptError, "User force closed the prompt with SIGINT") is an
 * interrupt: `Cancelled`, exit 130, as the shell would; Ctrl-D (end of input) is a plain cancel.
 */
export function cancelled(error: unknown, what: string): never {
  if ((error as Error | undefined)?.name !== 'ExitPromptError') throw error
  if (/SIGINT/.test((error as Error).message)) throw new EcsopsError(`Cancelled (Ctrl-C): ${what}.`, {exit: ExitCode.SIGINT, code: 'Cancelled'})
  throw new EcsopsError(`Cancelled: ${what}.`, {exit: ExitCode.PROBLEMS, code: 'Cancelled'})
}

/**
 * Picks one of several candidates: the only one without asking, a searchable prompt in a
 * terminal, else an error that names the flag and lists the candidates.
 */
export async function pickOne<T>(ui: Ui, options: PickOptions<T>): Promise<T> {
  const {choices, flag, noun} = options
  const usable = choices.filter((c) => !c.disabled)
  const listOf = (items: Choice<T>[]) => {
    // One per line, so that `grep` and a copy of one name work; the first 20, then how many more.
    const listed = items.slice(0, MAX_LISTED).map((c) => `    ${c.name}${c.disabled ? ` (${c.disabled})` : ''}`)
    if (items.length > MAX_LISTED) listed.push(`    … and ${items.length - MAX_LISTED} more`)
    return listed.join('\n')
  }
  if (choices.length === 0) throw new UsageError(`No ${noun} to choose from.`, {hint: `Pass --${flag}.`})
  if (usable.length === 0) throw new UsageError(`No ${noun} can be chosen: ${choices.length === 1 ? 'the only one' : `all ${choices.length}`} ${choices.length === 1 ? 'is' : 'are'} unavailable.`, {hint: listOf(choices).replace(/^ {4}/gm, '  ')})
  if (usable.length === 1 && options.takeOnlyOne !== false) {
    ui.info(`Using ${noun} ${usable[0]!.name} (the only one${usable.length < choices.length ? ' available' : ''}).`)
    return usable[0]!.value
  }
  if (!ui.interactive) {
    throw new UsageError(`--${flag} is required when ecsops cannot prompt (no terminal, or CI is set): ${usable.length} ${noun}${usable.length === 1 ? '' : 's'} match${usable.length === 1 ? 'es' : ''}.`, {
      hint: `Pass one with --${flag}:\n${listOf(choices)}`,
      code: 'MissingFlag',
    })
  }
  const {search} = await import('@inquirer/prompts')
  try {
    return await search<T>({
      message: options.message,
      pageSize: 12,
      source: (term) => {
        const needle = (term ?? '').toLowerCase()
        return choices
          .filter((c) => (c.keywords ?? c.name).toLowerCase().includes(needle))
          .map((c) => ({value: c.value, name: c.name, description: c.description, disabled: c.disabled}))
      },
    })
  } catch (error) {
    return cancelled(error, `no ${noun} was chosen`)
  }
}

/**
 * Asks yes/no when stdin is a terminal, on stderr (stdout may be piped to `tee`). Without a
 * terminal, the caller decides (no question is ever answered silently).
 */
export async function confirm(ui: Ui, message: string, flag = 'yes'): Promise<boolean> {
  if (!ui.promptable) throw new UsageError(`Confirmation needed and ecsops cannot prompt here.`, {hint: `Pass --${flag}.`})
  const {confirm: ask} = await import('@inquirer/prompts')
  return ask({message, default: false}, {output: process.stderr})
}

/** A masked prompt (MFA codes); throws when there is no terminal. */
export async function secret(ui: Ui, message: string, what: string): Promise<string> {
  if (!ui.interactive) throw new UsageError(`${what} is needed and ecsops cannot prompt here (no terminal, or CI is set).`)
  const {password} = await import('@inquirer/prompts')
  return password({message, mask: '*'})
}
