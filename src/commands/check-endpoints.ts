import {Flags} from '@oclif/core'

import {BaseCommand, type CommandContext} from '../base-command.js'
import type {CheckOutcome, EndpointsDocument} from '../endpoints/check.js'
import {UsageError} from '../errors.js'
import {ExitCode} from '../exit-codes.js'

/** The --json document of an offline audit: the live one, plus where its facts came from. */
type Document = EndpointsDocument & {source?: 'snapshot'; gatheredAt?: string}

const list = (value: string | undefined): string[] => (value ?? '').split(',').map((s) => s.trim()).filter(Boolean)

export default class CheckEndpoints extends BaseCommand {
  static summary = 'Audit the VPC endpoints that ECS tasks in private subnets need.'
  static description = `Derives from each service's task definition which endpoints its tasks need (ECR, S3, CloudWatch Logs, Secrets Manager, Parameter Store, ssmmessages, ECS …), then checks that each exists in the tasks' VPC and works: available, private DNS on, an endpoint subnet in every AZ of the tasks, a security group admitting TCP 443 from the tasks, the S3 gateway on the task subnets' route tables, an endpoint policy that lets ECS through. Endpoints reached through Route 53 private hosted zones (a central hub VPC) count as present; subnets shared from another account are reported as unknown, not missing. What cannot be verified from here (an endpoint policy with conditions or specific principals, a prefix-list rule, the VPC's DNS attributes when DescribeVpcAttribute is denied) is reported as unknown (a warning), never as ok or broken.

--save-snapshot FILE also writes what was gathered (the workloads with the endpoints their task definitions need, and each VPC's subnets, route tables, endpoints, security groups, DNS attributes and hosted zones; never an environment value, a secret or a credential); --snapshot FILE audits such a file later, or on another machine, with no AWS call, no credentials and no region.

A missing endpoint is an error when the task subnets have no NAT or internet gateway route, else a warning (the traffic works through the NAT, billed per GB). Fixes are printed as AWS CLI commands and never run.

Exit status: 0 when no finding is at or above --fail-on (default error), 1 otherwise, 2 for bad flags, 3 for AWS errors.`

  static examples = [
    {description: 'Audit one service', command: '<%= config.bin %> check-endpoints --cluster prod --service api'},
    {description: 'Every service of a cluster, failing the CI step on warnings too', command: '<%= config.bin %> check-endpoints --cluster prod --all-services --fail-on warning'},
    {description: 'Why did this task fail to start?', command: '<%= config.bin %> check-endpoints --cluster prod --task 0123456789abcdef0123456789abcdef'},
    {description: 'A network before any service exists', command: '<%= config.bin %> check-endpoints --vpc vpc-0abc --subnets subnet-1,subnet-2 --security-groups sg-1 --needs ecr,logs,secretsmanager,ssmmessages'},
    {description: 'A Markdown report for a pull request, with a drawing of each VPC (also appended to the GitHub step summary)', command: '<%= config.bin %> check-endpoints --env prd --all-services --markdown'},
    {description: 'Save what was gathered, to hand over or audit later', command: '<%= config.bin %> check-endpoints --cluster prod --all-services --save-snapshot prod-network.json'},
    {description: 'Audit a saved snapshot: no AWS call, no credentials', command: '<%= config.bin %> check-endpoints --snapshot examples/private-vpc-missing-ssmmessages.json'},
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
    'save-snapshot': Flags.string({description: 'Also write what was gathered to this JSON file (no environment values, secrets or credentials), to audit later with --snapshot.'}),
    snapshot: Flags.string({description: 'Audit a file written by --save-snapshot (or one of examples/) instead of AWS: no AWS call, no credentials or region needed.'}),
  }

  async run(): Promise<Document> {
    const {flags} = await this.parse(CheckEndpoints)
    const ctx = await this.context({...flags, service: undefined})
    if (flags.markdown && flags.json) throw new UsageError('--markdown and --json cannot be used together.', {hint: 'Pick one output format.'})
    if (flags.snapshot !== undefined) return this.offline(flags, ctx)
    const {ui, settings} = ctx
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
    let cluster = settings.cluster
    if (!networkMode && !cluster && !(flags.task?.startsWith('arn:'))) {
      // No cluster anywhere: the account's clusters in a picker (a terminal), or listed in the error.
      const [{chooseCluster}, {clusterNameOf}] = await Promise.all([import('../aws/choose-cluster.js'), import('../aws/arn.js')])
      const missing = new UsageError('Which cluster? No cluster was given.', {hint: 'Pass --cluster NAME (or set ECSOPS_CLUSTER, or cluster: in .ecsops.yml).', code: 'MissingCluster'})
      cluster = clusterNameOf(await chooseCluster(ui, await aws.ecs(), missing, {region, takeOnlyOne: true}))
    }
    if (!networkMode && !flags.task && !flags['all-services'] && services.length === 0 && cluster) {
      // No service named: pick one (the only one is taken; without a terminal the error lists the candidates).
      const {pickOne} = await import('../ui/prompt.js')
      const names = await listServiceNames(await aws.ecs(), cluster)
      if (names.length === 0) throw new UsageError(`Cluster ${cluster} has no services.`, {hint: 'Audit a network instead: --vpc V --subnets a,b --needs ecr,logs.'})
      services = [await pickOne(ui, {message: 'Which service?', flag: 'service', noun: 'service', choices: names.map((n) => ({value: n, name: n}))})]
    }
    const spinner = ui.spinner('Auditing VPC endpoints')
    let outcome
    try {
      outcome = await checkEndpoints(aws, {
        region,
        cluster,
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
    if (flags['save-snapshot'] !== undefined) {
      const {snapshotDocument, writeSnapshot} = await import('../endpoints/snapshot-file.js')
      const file = flags['save-snapshot']
      await writeSnapshot(file, snapshotDocument(outcome.gathered, {gatheredAt: new Date(), version: this.config.version}))
      ui.info(`Snapshot written to ${file}; audit it offline with: ecsops check-endpoints --snapshot ${file}`)
    }
    return this.report(ctx, outcome, {markdown: flags.markdown, title: `VPC endpoints (${region})`})
  }

  /** --snapshot FILE: the same audit over what the file holds; no AWS client is ever created. */
  private async offline(flags: {snapshot?: string; region?: string; markdown?: boolean; 'fail-on'?: 'error' | 'warning'} & Record<string, unknown>, ctx: CommandContext): Promise<Document> {
    const file = flags.snapshot!
    const conflicting = ['cluster', 'service', 'all-services', 'task', 'vpc', 'subnets', 'security-groups', 'needs', 'save-snapshot'].filter((f) => flags[f] !== undefined && flags[f] !== false)
    if (conflicting.length > 0) throw new UsageError(`--snapshot audits what the file holds; it cannot be combined with ${conflicting.map((f) => `--${f}`).join(', ')}.`, {hint: 'Choose the services, task or network when saving the snapshot (--save-snapshot).'})
    const {readSnapshot} = await import('../endpoints/snapshot-file.js')
    const loaded = await readSnapshot(file)
    const {region} = loaded.audit
    if (flags.region !== undefined && flags.region !== region) throw new UsageError(`--region ${flags.region}: the snapshot ${file} was taken in ${region}.`, {hint: 'Drop --region: an offline audit takes the region from the file.'})
    ctx.ui.info(`Auditing the snapshot ${file} (${[loaded.account && `account ${loaded.account}`, region, `gathered ${loaded.gatheredAt}`].filter(Boolean).join(', ')}): no AWS call.`)
    const {checkEndpoints} = await import('../endpoints/check.js')
    const noAws = (): Promise<never> => Promise.reject(new Error('an offline audit (--snapshot) makes no AWS call'))
    const outcome = await checkEndpoints({ecs: noAws, ec2: noAws, route53: noAws}, {region, network: loaded.audit.network, failOn: flags['fail-on'], offline: loaded.audit})
    const document: Document = {...outcome.document, source: 'snapshot', gatheredAt: loaded.gatheredAt}
    return this.report(ctx, {...outcome, document}, {markdown: flags.markdown, title: `VPC endpoints (${region}, snapshot of ${loaded.gatheredAt})`})
  }

  /** Prints the outcome (human text, or Markdown with a drawing of each VPC) and sets the exit code; --json prints the returned document. */
  private async report(ctx: CommandContext, outcome: CheckOutcome & {document: Document}, options: {markdown?: boolean; title: string}): Promise<Document> {
    const {ui} = ctx
    const [{renderFixes, renderMarkdown, renderSection, renderTaskVerdict, summaryLine}, {wrapLines}] = await Promise.all([import('../endpoints/render.js'), import('../ui/wrap.js')])
    const {document, sections, notes, subjects} = outcome
    const summary = summaryLine(document.vpcs, subjects)
    for (const note of notes) ui.warn(note)

    if (options.markdown) {
      const {renderDiagrams} = await import('../endpoints/mermaid.js')
      const diagrams = renderDiagrams(document.vpcs.map((report) => ({report, snapshot: outcome.gathered.gathered.snapshots.get(report.vpcId), region: document.region})))
      const markdown = renderMarkdown({title: options.title, summary, sections, diagrams})
      ui.out(markdown)
      if (ui.githubActions) {
        // A summary file that cannot be written (missing directory, full disk) is a warning: the exit code is the audit's.
        const {appendCiFile} = await import('../ui/ci-file.js')
        const failed = appendCiFile(ui.env.GITHUB_STEP_SUMMARY, `${markdown}\n`)
        if (failed) ui.warn(`Could not write $GITHUB_STEP_SUMMARY (${failed}).`)
      }
    } else if (!ui.json) {
      const paint = ui.outColor
      for (const section of sections) for (const line of renderSection(section, paint, ui.width)) ui.out(line)
      for (const line of renderFixes(sections.flatMap((s) => s.findings), paint, ui.width)) ui.out(line)
      for (const line of wrapLines(summary, ui.width)) ui.out(document.ok ? paint.green(line) : paint.red(line))
      for (const line of wrapLines(`Not evaluated: ${document.notEvaluated.join('; ')}.`, ui.width)) ui.out(paint.dim(line))
    }
    if (document.task && !ui.json) {
      for (const line of renderTaskVerdict(document.task, document.vpcs.flatMap((v) => v.findings), options.markdown)) ui.out(line)
    }
    return this.finish(document, document.ok ? ExitCode.OK : ExitCode.PROBLEMS)
  }
}
