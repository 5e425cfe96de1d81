import {Flags} from '@oclif/core'

import {BaseCommand} from '../../base-command.js'
import type {ExecCheckReport} from '../../exec/model.js'

export default class ExecCheck extends BaseCommand {
  static summary = 'Check everything ECS Exec needs for a task, and say how to fix what is missing.'
  static description = `Covers every check of AWS's amazon-ecs-exec-checker (v0.7): the caller's permissions and session-manager-plugin, the cluster's exec configuration (KMS key, logging), the task (RUNNING, launch type, platform or agent version, exec enabled, each container's ExecuteCommandAgent, init process, read-only root file system, AWS keys in the environment, PID mode), the task role's permissions, and the route to ssmmessages (VPC endpoint or NAT/internet gateway, with the audit of check-endpoints).

With --port-forward, also what \`ecsops exec port-forward\` needs: the caller's ssm:StartSession on the task and on the documents AWS-StartPortForwardingSession and AWS-StartPortForwardingSessionToRemoteHost (and no advice to deny ssm:StartSession).

Each result is ok, warn, fail or skip, with its detail and fix. Exit 1 when any check fails, else 0. Independent AWS calls run concurrently.`

  static examples = [
    {description: 'Check one task', command: '<%= config.bin %> exec check --cluster prod --task 0123456789abcdef'},
    {description: 'Check the newest task of a service, as JSON', command: '<%= config.bin %> exec check --env prd --service web --json'},
    {description: 'Check what port forwarding through a task needs too', command: '<%= config.bin %> exec check --cluster prod --task 0123456789abcdef --port-forward'},
  ]

  static flags = {
    cluster: Flags.string({description: 'ECS cluster name or ARN (default: ECSOPS_CLUSTER, then the config file; else picked).'}),
    task: Flags.string({description: 'Task id or ARN.', exclusive: ['service']}),
    service: Flags.string({description: 'Check the newest RUNNING task of this service (default: ECSOPS_SERVICE, then the config file).'}),
    'port-forward': Flags.boolean({description: 'Also check what `ecsops exec port-forward` needs: the caller\'s ssm:StartSession on the task and on the AWS-StartPortForwardingSession documents.'}),
  }

  async run(): Promise<ExecCheckReport> {
    const {flags} = await this.parse(ExecCheck)
    const ctx = await this.context(flags)
    const {execCheck} = await import('../../exec/run.js')
    const {renderCheckReport} = await import('../../exec/report.js')
    const {settings} = ctx
    const {report, exitCode} = await execCheck(ctx, {cluster: settings.cluster, service: flags.task ? undefined : settings.service, task: flags.task}, {portForward: flags['port-forward']})
    if (!ctx.ui.json) for (const line of renderCheckReport(report, ctx.ui.outColor, ctx.ui.width)) ctx.ui.out(line)
    return this.finish(report, exitCode)
  }
}
