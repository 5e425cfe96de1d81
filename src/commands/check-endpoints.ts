import {Flags} from '@oclif/core'

import {BaseCommand} from '../base-command.js'
import type {EndpointsDocument} from '../endpoints/check.js'
import {UsageError} from '../errors.js'
import {ExitCode} from '../exit-codes.js'

const list = (value: string | undefined): string[] => (value ?? '').split(',').map((s) => s.trim()).filter(Boolean)

export default class CheckEndpoints extends BaseCommand {
  static summary = 'Audit the VPC endpoints that ECS tasks in private subnets need.'
  static description = `Derives from each service's task definition which endpoints its tasks need (ECR, S3, CloudWatch Logs, Secrets Manager, Parameter Store, ssmmessages, ECS …), then checks that each exists in the tasks' VPC and works: available, private DNS on, an endpoint subnet in every AZ of the tasks, a security group admitting TCP 443 from the tasks, the S3 gateway on the task subnets' route tables, an endpoint policy that lets ECS through. Endpoints reached through Route 53 private hosted zones (a central hub VPC) count as present; subnets shared from another account are reported as unknown, not missing. What cannot be verified from here (an endpoint policy with conditions or specific principals, a prefix-list rule, the VPC's DNS attributes when DescribeVpcAttribute is denied) is reported as unknown (a warning), never as ok or broken.

A missing endpoint is an error when the task subnets have no NAT or internet gateway route, else a warning (the traffic works through the NAT, billed per GB). Fixes are printed as AWS CLI commands and never run.

Exit status: 0 when no finding is at or above --fail-on (default error), 1 otherwise, 2 for bad flags, 3 for AWS errors.`

  static examples = [
    {description: 'Audit one service', command: '<%= config.bin %> check-endpoints --cluster prod --service api'},
    {description: 'Every service of a cluster, failing the CI step on warnings too', command: '<%= config.bin %> check-endpoints --cluster prod --all-services --fail-on warning'},
    {description: 'Why did this task fail to start?', command: '<%= config.bin %> check-endpoints --cluster prod --task 0123456789abcdef0123456789abcdef'},
    {description: 'A network before any service exists', command: '<%= config.bin %> check-endpoints --vpc vpc-0abc --subnets subnet-1,subnet-2 --security-groups sg-1 --needs ecr,logs,secretsmanager,ssmmessages'},
    {description: 'A Markdown report for a pull request (also appended to the GitHub step summary)', command: '<%= config.bin %> check-endpoints --env prd --all-services --markdown'},
  ]

  static flags = {
    cluster: Flags.string({description: 'ECS cluster name or ARN (default: ECSOPS_CLUSTER, then the config file).'}),
    service: Flags.string({description: 'Service to audit; repeat for several (default: ECSOPS_SERVICE, then the config file).', multiple: true}),
    'all-services': Flags.boolean({description: 'Audit every service of the cluster.'}),
    task: Flags.string({description: 'A stopped task (id or ARN): audit the service or task definition behind it and say which finding explains its stoppedReason.'}),
    vpc: Flags.string({description: 'Audit this VPC for --needs, before any service exists.'}),
    subnets: Flags.string({description: 'Comma-separated task subnets (with --needs; default with --vpc: all its subnets).'}),
    'security-groups': Flags.string({description: 'Comma-separated task security groups (with --needs).'}),
    needs: Flags.string({
      description: 'Comma-separated endpoint services the tasks need: ecr (= ecr.api, ecr.dkr, s3), ecr.api, ecr.dkr, s3, logs, ssm, secretsmanager, ssmmessages, kms, ecs, ecs-agent, ecs-telemetry, elasticfilesystem …',
    }),
    markdown: Flags.boolean({description: 'Print the report as Markdown (on GitHub Actions also appended to $GITHUB_STEP_SUMMARY).'}),
    'fail-on': Flags.option({options: ['error', 'warning'] as const, description: 'Exit 1 when a finding has this severity or worse.', default: 'error'})(),
  }

  async run(): Promise<EndpointsDocument> {
    const {flags} = await this.parse(CheckEndpoints)
    const ctx = await this.context({...flags, service: undefined})
    const {ui, settings} = ctx
    if (flags.markdown && flags.json) throw new UsageError('--markdown and --json cannot be used together.', {hint: 'Pick one output format.'})
    const networkMode = flags.needs !== undefined || flags.vpc !== undefined || flags.subnets !== undefined
    if (networkMode) {
      if (flags.needs === undefined) throw new UsageError('--vpc/--subnets audit a network for --needs, and --needs is missing.', {hint: 'Add e.g. --needs ecr,logs,secretsmanager (or audit a service with --service).'})
      if (list(flags.needs).length === 0) throw new UsageError('--needs is empty.', {hint: 'Name endpoint services, e.g. --needs ecr,logs,ssm.'})
      if (flags.vpc === undefined && flags.subnets === undefined) throw new UsageError('--needs needs a network: --vpc V and/or --subnets a,b.', {hint: 'e.g. --vpc vpc-0abc --subnets subnet-1,subnet-2 --needs ecr,logs'})
      if (flags.task || flags['all-services'] || flags.service) throw new UsageError('--needs audits a network; it cannot be combined with --service, --all-services or --task.')
    }
    if (flags.task && (flags['all-services'] || flags.service)) throw new UsageError('--task audits the service behind one task; drop --service/--all-services.')
    if (flags['all-services'] && flags.service) throw new UsageError('--service and --all-services cannot be used together.')

    const region = (await ctx.region()).region
    const aws = await ctx.aws()
    const {checkEndpoints, listServiceNames} = await import('../endpoints/check.js')
    let services = flags.service ?? (settings.service ? [settings.service] : [])
    if (!networkMode && !flags.task && !flags['all-services'] && services.length === 0 && settings.cluster) {
      // No service named: pick one (the only one is taken; without a terminal the error lists the candidates).
      const {pickOne} = await import('../ui/prompt.js')
      const names = await listServiceNames(await aws.ecs(), settings.cluster)
      if (names.length === 0) throw new UsageError(`Cluster ${settings.cluster} has no services.`, {hint: 'Audit a network instead: --vpc V --subnets a,b --needs ecr,logs.'})
      services = [await pickOne(ui, {message: 'Which service?', flag: 'service', noun: 'service', choices: names.map((n) => ({value: n, name: n}))})]
    }
    const {renderMarkdown, renderSection, renderTaskVerdict, summaryLine} = await import('../endpoints/render.js')
    const spinner = ui.spinner('Auditing VPC endpoints')
    let outcome
    try {
      outcome = await checkEndpoints(aws, {
        region,
        cluster: settings.cluster,
        services,
        allServices: flags['all-services'],
        task: flags.task,
        network: networkMode ? {vpcId: flags.vpc, subnetIds: list(flags.subnets), securityGroupIds: list(flags['security-groups']), needs: list(flags.needs)} : undefined,
        failOn: flags['fail-on'],
        onProgress: (text) => spinner.update(text),
      })
    } catch (error) {
      // A usage error (a missing --cluster) is not an audit that failed.
      if (error instanceof UsageError) spinner.stop()
      else spinner.fail('Audit failed')
      throw error
    }
    spinner.stop()
    const {document, sections, notes, subjects} = outcome
    const summary = summaryLine(document.vpcs, subjects)
    for (const note of notes) ui.warn(note)

    if (flags.markdown) {
      const markdown = renderMarkdown({title: `VPC endpoints (${region})`, summary, sections})
      ui.out(markdown)
      if (ui.githubActions) {
        // A summary file that cannot be written (missing directory, full disk) is a warning: the exit code is the audit's.
        const {appendCiFile} = await import('../ui/ci-file.js')
        const failed = appendCiFile(ui.env.GITHUB_STEP_SUMMARY, `${markdown}\n`)
        if (failed) ui.warn(`Could not write $GITHUB_STEP_SUMMARY (${failed}).`)
      }
    } else if (!ui.json) {
      for (const section of sections) for (const line of renderSection(section, ui.color)) ui.out(line)
      ui.out(document.ok ? ui.color.green(summary) : ui.color.red(summary))
      ui.out(ui.color.dim(`Not evaluated: ${document.notEvaluated.join('; ')}.`))
    }
    if (document.task && !ui.json) {
      for (const line of renderTaskVerdict(document.task, document.vpcs.flatMap((v) => v.findings), flags.markdown)) ui.out(line)
    }
    return this.finish(document, document.ok ? ExitCode.OK : ExitCode.PROBLEMS)
  }
}
