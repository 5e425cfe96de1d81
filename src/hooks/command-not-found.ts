import type {Hook} from '@oclif/core'

import type {ErrorDocument} from '../base-command.js'
import {ExitCode} from '../exit-codes.js'
import {closestMatch} from '../suggest.js'
import {createUi} from '../ui/output.js'

/**
 * `ecsops mirgate`: oclif fires this hook (package.json oclif.hooks) only when no command
 * matches, and imports it only then, so it costs `--version` and `--help` nothing. It prints in
 * ecsops's own error style, with the nearest command, and exits 2 (a usage error) without asking:
 * @oclif/plugin-not-found would prompt on a terminal, print oclif's style and exit 127.
 */
const hook: Hook.CommandNotFound = async function (options) {
  const separator = options.config.topicSeparator
  const shown = (id: string) => id.replaceAll(':', separator)
  const visible = options.config.commands.filter((c) => !c.hidden)
  const ids = [...visible.map((c) => c.id), ...visible.flatMap((c) => c.aliases)]
  const typed = shown(options.id)
  const guess = closestMatch(typed, ids.map(shown))
  const bin = options.config.bin
  const message = `"${typed}" is not an ${bin} command.${guess ? ` Did you mean ${guess}?` : ''}`
  const hint = guess ? `Run ${bin} ${guess} --help to see its usage, or ${bin} --help for every command.` : `Run ${bin} --help for the list of commands.`
  const json = (options.argv ?? []).includes('--json')
  const ui = createUi({json})
  ui.error(message)
  ui.info(`  ${hint}`)
  if (json) {
    const document: ErrorDocument = {ok: false, error: {code: 'CommandNotFound', message, hint, exitCode: ExitCode.USAGE}}
    ui.writeJson(document)
  }
  process.exitCode = ExitCode.USAGE
}

export default hook
