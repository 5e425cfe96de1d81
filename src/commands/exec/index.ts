import {Flags} from '@oclif/core'

import {BaseCommand} from '../../base-command.js'
import type {SessionResult} from '../../exec/session.js'

export default class Exec extends BaseCommand {
  static summary = 'Open an interactive shell in a running ECS container (ECS Exec).'
  static description = `Picks the target (cluster, service, RUNNING task, container with a RUNNING ExecuteCommandAgent) from flags, the config environment or searchable prompts; a single candidate is taken without asking, and without a terminal a missing choice is an error naming the flag. A fast pre-flight (session-manager-plugin installed, exec agent RUNNING) runs first; then ExecuteCommand opens the session and session-manager-plugin carries it. ecsops exits with the plugin's exit code.

The command sent is the bare program \`bash\` by default. Another command goes after -- (\`ecsops exec --task T -- ls -la /\`) or in --command, as a JSON array (\`--command '["ls","-la","/"]'\`, as migrate takes it) or a plain string (\`--command "rails console"\`). ECS takes the command as one string, run without a shell: words are joined with shell quoting (a word with spaces stays one word), and pipes or redirections need \`-- sh -c '…'\`. A Windows host path (C:/Program Files/Git/usr/bin/bash, as Git Bash rewrites /bin/bash) is turned back into the bare program name with a warning.`

  static examples = [
    {description: 'Pick everything interactively', command: '<%= config.bin %> exec'},
    {description: 'A shell in the app container of a service', command: '<%= config.bin %> exec --env prd --service web --container app'},
    {description: 'A Rails console in a given task', command: '<%= config.bin %> exec --cluster prod --task 0123456789abcdef --command "rails console"'},
    {description: 'One command, its words after --', command: '<%= config.bin %> exec --cluster prod --task 0123456789abcdef -- ls -la /'},
  ]

  static flags = {
    cluster: Flags.string({description: 'ECS cluster name or ARN (default: ECSOPS_CLUSTER, then the config file; else picked).'}),
    service: Flags.string({description: 'ECS service whose tasks are offered (default: ECSOPS_SERVICE, then the config file; else picked).'}),
    task: Flags.string({description: 'Task id or ARN (else a RUNNING task is picked).'}),
    container: Flags.string({description: 'Container name (default: ECSOPS_CONTAINER, the config file\'s exec.container or container; else picked).'}),
    command: Flags.string({description: 'Command to run in the container: a JSON array of words, or a plain string (default: the words after --, the config file\'s exec.command, else bash).'}),
    check: Flags.boolean({description: 'Run the pre-flight checks before opening the session.', default: true, allowNo: true}),
  }

  // The command's words come after --.
  static strict = false

  async run(): Promise<SessionResult> {
    const {flags, argv} = await this.parse(Exec)
    const {commandFrom, commandWordsOf} = await import('../../exec/command.js')
    const words = commandWordsOf(this.argv, argv as string[])
    const ctx = await this.context(flags)
    const {execSession, wantedContainer} = await import('../../exec/run.js')
    const {settings} = ctx
    const container = wantedContainer(settings)
    const result = await execSession(
      ctx,
      {cluster: settings.cluster, service: settings.service, task: flags.task, container},
      {command: commandFrom(words, flags.command, settings.exec.command), check: flags.check},
    )
    return this.finish(result, result.exitCode)
  }
}
