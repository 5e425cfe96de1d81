import {Flags} from '@oclif/core'

import {BaseCommand} from '../../base-command.js'
import type {ForwardResult} from '../../exec/forward-session.js'

export default class ExecPortForward extends BaseCommand {
  static summary = 'Forward a local port through a running task: to a host it reaches, or its port.'
  static description = `Picks the target like \`ecsops exec\` (cluster, service, RUNNING task, container with a RUNNING ExecuteCommandAgent; flags or the config environment skip each step) and runs the same pre-flight. Then ssm:StartSession opens a Session Manager port-forwarding session into that container: with --host, document AWS-StartPortForwardingSessionToRemoteHost (the task connects to HOST:PORT); without, AWS-StartPortForwardingSession (a port of the task itself). session-manager-plugin listens on 127.0.0.1:LOCAL_PORT (default: --port) until Ctrl-C.

A local port already in use is an error (exit 2) before any session starts. Ctrl-C ends the session and exits 0; otherwise ecsops exits with the plugin's exit code. The caller needs ssm:StartSession on the task and on the document (\`ecsops exec check\` verifies it, \`ecsops iam-policy "exec port-forward"\` prints it).`

  static examples = [
    {description: 'Reach an RDS database through a task of the web service, on localhost:5432', command: '<%= config.bin %> exec port-forward --env prd --service web --host mydb.cluster-abc123.eu-west-1.rds.amazonaws.com --port 5432'},
    {description: 'The same on another local port (a local PostgreSQL already uses 5432)', command: '<%= config.bin %> exec port-forward --cluster prod --service web --host mydb.cluster-abc123.eu-west-1.rds.amazonaws.com --port 5432 --local-port 15432'},
    {description: 'A container\'s own port: the app\'s port 8080 of a given task on localhost:8080', command: '<%= config.bin %> exec port-forward --cluster prod --task 0123456789abcdef --container app --port 8080'},
  ]

  static flags = {
    cluster: Flags.string({description: 'ECS cluster name or ARN (default: ECSOPS_CLUSTER, then the config file; else picked).'}),
    service: Flags.string({description: 'ECS service whose tasks are offered (default: ECSOPS_SERVICE, then the config file; else picked).'}),
    task: Flags.string({description: 'Task id or ARN (else a RUNNING task is picked).'}),
    container: Flags.string({description: 'Container the session goes through (default: ECSOPS_CONTAINER, the config file\'s exec.container or container; else picked).'}),
    port: Flags.integer({description: 'Remote port: on --host, else on the task itself.', required: true, min: 1, max: 65_535}),
    host: Flags.string({description: 'Remote host the task connects to (an RDS endpoint, an internal load balancer). Without it, the port is the task\'s own.'}),
    'local-port': Flags.integer({description: 'Port on 127.0.0.1 (default: --port).', min: 1, max: 65_535}),
    check: Flags.boolean({description: 'Run the pre-flight checks before opening the session.', default: true, allowNo: true}),
  }

  async run(): Promise<ForwardResult> {
    const {flags} = await this.parse(ExecPortForward)
    const ctx = await this.context(flags)
    const {portForwardSession, wantedContainer} = await import('../../exec/run.js')
    const {forwardSpec} = await import('../../exec/forward.js')
    const spec = forwardSpec({port: flags.port, host: flags.host, localPort: flags['local-port']})
    const {settings} = ctx
    const result = await portForwardSession(ctx, {cluster: settings.cluster, service: settings.service, task: flags.task, container: wantedContainer(settings)}, spec, {check: flags.check})
    return this.finish(result, result.exitCode)
  }
}
