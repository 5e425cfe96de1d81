import {Args, Flags} from '@oclif/core'

import {BaseCommand} from '../base-command.js'
import {UsageError} from '../errors.js'
import {ExitCode} from '../exit-codes.js'
import {DECLARATIONS} from '../iam/declarations.js'
import {policyFor, type PolicyDocument} from '../iam/policy.js'

export default class IamPolicy extends BaseCommand {
  static summary = 'Print the least-privilege IAM policy for one command, or for all.'
  static description = `The policy is generated from the list of AWS actions each command declares; the test suite checks that every AWS call a command makes is in its list. iam:PassRole is limited to passing roles to ECS tasks. Resources are "*": narrow them to your clusters and roles where you can.`

  static examples = [
    {description: 'What a CI role needs to run migrations', command: '<%= config.bin %> iam-policy migrate'},
    {description: 'Everything ecsops can call, with the reason for each action', command: '<%= config.bin %> iam-policy --explain'},
    {description: 'Save the policy for the exec checker (the command as typed: two words, quoted or not)', command: '<%= config.bin %> iam-policy exec check > ecs-exec-check.json'},
  ]

  static args = {
    command: Args.string({description: `Command to print the policy for, as typed (\`exec check\`, \`"exec check"\` and \`exec:check\` are the same): ${DECLARATIONS.map((d) => d.command).join(', ')} (default: all).`}),
  }

  // A subcommand is two words (`exec check`, `exec port-forward`): the words after the first are read from argv.
  static strict = false

  static flags = {
    explain: Flags.boolean({description: 'List each action with why the command calls it, instead of the JSON policy.'}),
  }

  async run(): Promise<PolicyDocument> {
    const {argv, flags} = await this.parse(IamPolicy)
    const ui = (await this.context(flags)).ui
    const given = (argv as string[]).join(' ')
    const wanted = given.replace(/:/g, ' ').replace(/\s+/g, ' ').trim() || undefined
    const declarations = wanted ? DECLARATIONS.filter((d) => d.command === wanted) : DECLARATIONS
    if (declarations.length === 0) {
      throw new UsageError(`Unknown command "${given}" for iam-policy.`, {hint: `Choose one of: ${DECLARATIONS.map((d) => d.command).join(', ')}.`})
    }
    const policy = policyFor(declarations)
    if (flags.explain && !ui.json) {
      const {wrapLines} = await import('../ui/wrap.js')
      const column = Math.max(...declarations.flatMap((d) => d.actions.map((a) => a.action.length))) + 4
      for (const d of declarations) {
        ui.out(ui.outColor.bold(`ecsops ${d.command}`))
        // The action, then why (and when) wrapped in a column of its own: narrow terminals get the why under the action.
        const side = column <= ui.width / 2
        const hanging = ' '.repeat(side ? column : 6)
        for (const a of d.actions) {
          const why = wrapLines(`${a.why}${a.when ? ` (${a.when})` : ''}`, ui.width, hanging, hanging)
          if (side) why[0] = `${`  ${a.action}`.padEnd(column)}${why[0]!.trimStart()}`
          else why.unshift(`  ${a.action}`)
          for (const line of why) ui.out(line)
        }
      }
    } else if (!ui.json) {
      ui.out(JSON.stringify(policy, null, 2))
    }
    return this.finish(policy, ExitCode.OK)
  }
}
