import {Flags} from '@oclif/core'

import {BaseCommand} from '../base-command.js'
import {UsageError} from '../errors.js'
import {ExitCode} from '../exit-codes.js'
import type {PreflightReport} from '../preflight/model.js'

const list = (value: string | undefined): string[] | undefined => (value === undefined ? undefined : value.split(',').map((s) => s.trim()).filter(Boolean))

export default class Preflight extends BaseCommand {
  static summary = 'Will this task start? Check its network, execution role and references first.'
  static description = `Checks what makes a task fail before it runs, each result ok, warn, fail or skip with its detail, fix and a stable code:
- network: the VPC endpoint audit of check-endpoints for the task's subnets (endpoint problem codes such as MISSING, PRIVATE_DNS_DISABLED);
- execution role: EXECUTION_ROLE_MISSING (ECR on Fargate, secrets, repositoryCredentials, awslogs or environment files without one), EXECUTION_ROLE_TRUST (ecs-tasks.amazonaws.com may not assume it), EXECUTION_ROLE_DENIED (the IAM simulator, on the real image repositories, log groups, secrets, parameters, KMS keys and S3 files, denies an action ECS needs; when the task role allows it instead, it says so);
- references: IMAGE_NOT_FOUND, SECRET_NOT_FOUND (secret or parameter), LOG_GROUP_NOT_FOUND (without awslogs-create-group), FARGATE_TASK_SIZE, CPU_ARCHITECTURE (a multi-arch image without the task's architecture).
A read that is denied is a skip naming the permission, never a fail. No secret value is ever read. An ok from the simulator means "allowed by the role's policies": resource policies, KMS key policies, VPC endpoint policies and some SCPs are not evaluated.

What is checked: a service (its exact task definition revision and network), a task definition with --subnets and --security-groups, or a stopped task (--task), whose stop reason is then explained: the results behind it carry "explains": true and the JSON has a top-level "explanation".

Exit status: 0 when no check fails, 1 when one does, 2 for bad flags, 3 for AWS errors.`

  static examples = [
    {description: 'Check the revision a service runs and its network', command: '<%= config.bin %> preflight --cluster prod --service web'},
    {description: 'A new task definition revision in a network, before any service uses it', command: '<%= config.bin %> preflight --task-definition web:43 --subnets subnet-1,subnet-2 --security-groups sg-1'},
    {description: 'Why did this task fail to start?', command: '<%= config.bin %> preflight --cluster prod --task 0123456789abcdef0123456789abcdef'},
    {description: 'As JSON in CI, failing the step on any failed check', command: '<%= config.bin %> preflight --env prd --json'},
  ]

  static flags = {
    cluster: Flags.string({description: 'ECS cluster name or ARN (default: ECSOPS_CLUSTER, then the config file).'}),
    service: Flags.string({description: 'Service whose task definition revision and network are checked (default: ECSOPS_SERVICE, then the config file).'}),
    'task-definition': Flags.string({description: 'Task definition to check (FAMILY, FAMILY:REVISION or ARN) instead of the service\'s revision.'}),
    task: Flags.string({description: 'A stopped task (id or ARN): check its task definition and network, and say which result explains its stop reason.', exclusive: ['service', 'task-definition']}),
    subnets: Flags.string({description: 'Comma-separated task subnets (default: the service\'s).'}),
    'security-groups': Flags.string({description: 'Comma-separated task security groups (default: the service\'s).'}),
    markdown: Flags.boolean({description: 'Print the report as Markdown (on GitHub Actions also appended to $GITHUB_STEP_SUMMARY).', exclusive: ['json']}),
  }

  async run(): Promise<PreflightReport> {
    const {flags} = await this.parse(Preflight)
    const ctx = await this.context({...flags, service: flags.task ? undefined : flags.service})
    const {ui, settings} = ctx
    if (flags['security-groups'] !== undefined && flags.subnets === undefined && !settings.service && !flags.task) {
      throw new UsageError('--security-groups needs --subnets (or a service whose subnets are used).', {hint: 'e.g. --subnets subnet-1,subnet-2 --security-groups sg-1'})
    }
    const region = (await ctx.region()).region
    const aws = await ctx.aws()
    const {runPreflight} = await import('../preflight/run.js')
    const {renderPreflightMarkdown, renderPreflightReport} = await import('../preflight/report.js')
    const spinner = ui.spinner('Preflight')
    let report: PreflightReport
    try {
      report = await runPreflight(
        aws,
        {
          region,
          cluster: settings.cluster,
          // With --task-definition the service lends its network: when named by --service, or when no --subnets are given.
          service: flags.task || (flags['task-definition'] && flags.service === undefined && flags.subnets !== undefined) ? undefined : settings.service,
          taskDefinition: flags['task-definition'],
          task: flags.task,
          subnets: list(flags.subnets),
          securityGroups: list(flags['security-groups']),
        },
        {onProgress: (text) => spinner.update(text)},
      )
    } catch (error) {
      if (error instanceof UsageError) spinner.stop()
      else spinner.fail('Preflight failed')
      throw error
    }
    spinner.stop()
    if (flags.markdown) {
      const markdown = renderPreflightMarkdown(report)
      ui.out(markdown)
      if (ui.githubActions) {
        const {appendCiFile} = await import('../ui/ci-file.js')
        const failed = appendCiFile(ui.env.GITHUB_STEP_SUMMARY, `${markdown}\n`)
        if (failed) ui.warn(`Could not write $GITHUB_STEP_SUMMARY (${failed}).`)
      }
    } else if (!ui.json) {
      for (const line of renderPreflightReport(report, ui.outColor, ui.width)) ui.out(line)
    }
    return this.finish(report, report.ok ? ExitCode.OK : ExitCode.PROBLEMS)
  }
}
