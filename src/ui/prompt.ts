import {UsageError} from '../errors.js'
import type {Ui} from './output.js'

export interface Choice<T> {
  value: T
  /** What the list shows. */
  name: string
  /** Extra text shown for the highlighted choice. */
  description?: string
  /** Text matched by the search box; defaults to the name. */
  keywords?: string
}

export interface PickOptions<T> {
  /** "Which service?" */
  message: string
  /** The flag that gives this value without a prompt, named in the error when no terminal is there. */
  flag: string
  choices: Choice<T>[]
  /** What a choice is called, for messages: "service", "task". */
  noun: string
}

const MAX_LISTED = 10

/**
 * Picks one of several candidates: the only one without asking, a searchable prompt in a
 * terminal, else an error that names the flag and lists the candidates.
 */
export async function pickOne<T>(ui: Ui, options: PickOptions<T>): Promise<T> {
  const {choices, flag, noun} = options
  if (choices.length === 0) throw new UsageError(`No ${noun} to choose from.`, {hint: `Pass --${flag}.`})
  if (choices.length === 1) {
    ui.info(`Using ${noun} ${choices[0].name} (the only one).`)
    return choices[0].value
  }
  if (!ui.interactive) {
    const listed = choices.slice(0, MAX_LISTED).map((c) => c.name)
    const more = choices.length > MAX_LISTED ? `, … (${choices.length - MAX_LISTED} more)` : ''
    throw new UsageError(`--${flag} is required when ecsops cannot prompt (no terminal, or CI is set): ${choices.length} ${noun}s match.`, {
      hint: `Candidates: ${listed.join(', ')}${more}.`,
      code: 'MissingFlag',
    })
  }
  const {search} = await import('@inquirer/prompts')
  return search<T>({
    message: options.message,
    pageSize: 12,
    source: (term) => {
      const needle = (term ?? '').toLowerCase()
      return choices
        .filter((c) => (c.keywords ?? c.name).toLowerCase().includes(needle))
        .map((c) => ({value: c.value, name: c.name, description: c.description}))
    },
  })
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
