import {Errors, Flags} from '@oclif/core'

import {BaseCommand} from '../base-command.js'
import {UsageError} from '../errors.js'
import type {MigrateResult} from '../migrate/run.js'

export default class Migrate extends BaseCommand {
  static summary = 'Run a one-off task (a migration) cloned from a service; exit with its exit code.'
  static description = `Copies the service's exact task definition revision, awsvpc network, launch type or capacity provider strategy and platform version, starts one task with the command of one container overridden, prints each status change on stderr and the container's CloudWatch log on stdout, and exits with that container's exit code, so a CI step fails when the migration fails.

The command is taken from the words after --, else --command (a JSON array), else migrate.command in the config file; without one ecsops refuses, unless --task-definition-command asks for the task definition's own. ecsops ends as soon as the container has exited with its code (the result is final then; ECS deprovisions the task for seconds to minutes more): --wait-stopped waits for STOPPED. When the overridden container is not essential, ecsops stops the task once that container has exited (its other containers would keep it running).

In a terminal (stdin), ecsops asks before starting the task, on stderr, even when stdout is piped: --yes skips the question. On GitHub Actions it writes the step outputs task-arn, exit-code, outcome, log-group and log-stream to $GITHUB_OUTPUT and a job summary to $GITHUB_STEP_SUMMARY; on GitLab CI the log is a collapsible section.

Exit codes: the container's own exit code (0 on success); 2 bad input; 3 AWS error (unknown cluster, service or task definition, access denied); 124 --timeout reached (the task is stopped unless --no-stop-on-timeout); 125 the container never ran (RunTask failures, TaskFailedToStart, CannotPullContainerError, ResourceInitializationError) or has no exit code (the task was stopped under it, e.g. SpotInterruption); 130/143/129/131 interrupted by SIGINT/SIGTERM/SIGHUP/SIGQUIT (the task is stopped unless --no-stop-on-interrupt).`

  static examples = [
    {description: 'Run the Laravel migrations of the prd environment', command: '<%= config.bin %> migrate --env prd -- php artisan migrate --force'},
    {description: 'Seed with an extra variable, from CI, without a question', command: '<%= config.bin %> migrate --cluster app --service web --env-var APP_DEBUG=false --yes -- php artisan db:seed --class=DummySeeder --force'},
    {description: 'Show the RunTask request without starting anything', command: '<%= config.bin %> migrate --cluster app --service web --dry-run -- php artisan migrate --force'},
    {description: 'Check the network, execution role, image, secrets and log group first; start nothing (exit 125) if a check fails', command: '<%= config.bin %> migrate --env prd --preflight -- php artisan migrate --force'},
    {description: 'Start the task and return at once', command: '<%= config.bin %> migrate --cluster app --service web --no-wait --command \'["php","artisan","migrate","--force"]\''},
  ]

  static strict = false

  static flags = {
    cluster: Flags.string({description: 'ECS cluster name or ARN (default: ECSOPS_CLUSTER, then the config file).'}),
    service: Flags.string({description: 'Service to copy the task definition and network from (default: ECSOPS_SERVICE, then the config file).'}),
    container: Flags.string({description: 'Container whose command is overridden (default: ECSOPS_CONTAINER, migrate.container, the only or the only essential container).'}),
    'task-definition': Flags.string({description: 'Run this task definition (FAMILY, FAMILY:REVISION or ARN) instead of the revision the service runs.', exclusive: ['latest']}),
    latest: Flags.boolean({description: 'Run the newest ACTIVE revision of the service\'s task definition family.', exclusive: ['task-definition']}),
    'env-var': Flags.string({description: 'Environment variable for the container, KEY=VALUE (repeatable; adds to migrate.envVars).', multiple: true}),
    command: Flags.string({description: 'The command as a JSON array, e.g. \'["php","artisan","migrate","--force"]\' (instead of the words after --).'}),
    cpu: Flags.integer({description: 'CPU units for the container.'}),
    memory: Flags.integer({description: 'Memory (MiB) for the container.'}),
    'task-cpu': Flags.string({description: 'CPU for the whole task, e.g. 1024 or "1 vCPU" (on Fargate, a valid combination with the task memory is checked first).'}),
    'task-memory': Flags.string({description: 'Memory for the whole task, e.g. 2048 or "2 GB".'}),
    'task-role-arn': Flags.string({description: 'Task role for this task.'}),
    'platform-version': Flags.string({description: 'Fargate platform version (default: the service\'s).'}),
    'launch-type': Flags.string({description: 'Launch type (default: the service\'s).', options: ['FARGATE', 'EC2', 'EXTERNAL'], exclusive: ['capacity-provider']}),
    'capacity-provider': Flags.string({description: 'Capacity provider NAME[:WEIGHT[:BASE]] (repeatable; default: the service\'s strategy).', multiple: true, exclusive: ['launch-type']}),
    subnets: Flags.string({description: 'Comma-separated subnet ids (default: the service\'s).'}),
    'security-groups': Flags.string({description: 'Comma-separated security group ids (default: the service\'s).'}),
    'assign-public-ip': Flags.boolean({description: 'Give the task a public IP (default: as the service).', allowNo: true}),
    timeout: Flags.string({description: 'Stop waiting after this long, e.g. 30m, 90s, 1h30m (default: migrate.timeout, else 1h).'}),
    wait: Flags.boolean({description: 'Wait for the task to stop (--no-wait prints the task ARN and exits 0 once it is accepted).', default: true, allowNo: true}),
    logs: Flags.boolean({description: 'Follow the container\'s CloudWatch log on stdout (--no-logs: status only).', default: true, allowNo: true}),
    'dry-run': Flags.boolean({description: 'Print the exact RunTask request as JSON and start nothing (environment values masked as ***).'}),
    'show-values': Flags.boolean({description: 'With --dry-run, print the environment values instead of ***.', dependsOn: ['dry-run']}),
    preflight: Flags.boolean({description: 'Before RunTask, run `ecsops preflight`\'s checks (network, execution role, image, secrets, log group) on the exact task; when one fails, start nothing and exit 125 (config: migrate.preflight).', allowNo: true}),
    yes: Flags.boolean({char: 'y', description: 'Do not ask for confirmation in a terminal.'}),
    'stop-on-interrupt': Flags.boolean({description: 'On SIGINT, SIGTERM, SIGHUP or SIGQUIT, stop the task (--no-stop-on-interrupt: leave it running and print how to follow it).', default: true, allowNo: true}),
    'stop-on-timeout': Flags.boolean({description: 'When --timeout is reached, stop the task (--no-stop-on-timeout: leave it running).', default: true, allowNo: true}),
    'started-by': Flags.string({description: 'The task\'s startedBy (default: ecsops/<random id>, unique per run).'}),
    tag: Flags.string({description: 'Tag for the task, KEY=VALUE (repeatable).', multiple: true}),
    'wait-stopped': Flags.boolean({description: 'Wait for the task to reach STOPPED (by default ecsops ends as soon as the container has exited with its code, while ECS still deprovisions the task).'}),
    'task-definition-command': Flags.boolean({description: 'Run the container\'s own command from the task definition (without a command, ecsops refuses: it is often a server that never exits).'}),
  }

  async run(): Promise<MigrateResult> {
    const {flags, argv} = await this.parse(Migrate)
    const ctx = await this.context(flags)
    const {commandWords, migrateInputFrom} = await import('../migrate/options.js')
    const words = commandWords(this.argv, argv as string[])
    let input
    try {
      input = migrateInputFrom(flags, ctx.settings, words, process.env)
    } catch (error) {
      // No cluster anywhere: the account's clusters in a picker (a terminal), or listed in the error.
      if (!(error instanceof UsageError && error.code === 'MissingCluster')) throw error
      const aws = await ctx.aws()
      const [{chooseCluster}, {clusterNameOf}] = await Promise.all([import('../aws/choose-cluster.js'), import('../aws/arn.js')])
      const cluster = await chooseCluster(ctx.ui, await aws.ecs(), error, {region: aws.region, takeOnlyOne: false})
      input = migrateInputFrom(flags, {...ctx.settings, cluster: clusterNameOf(cluster)}, words, process.env)
    }
    const aws = await ctx.aws()
    const {migrate} = await import('../migrate/run.js')
    const {confirm} = await import('../ui/prompt.js')
    const {explainWithPreflight, preflightForMigrate} = await import('../preflight/run.js')
    const result = await migrate(
      {
        ecs: await aws.ecs(),
        logs: (region) => aws.logs(region),
        region: aws.region,
        ui: ctx.ui,
        confirm: (message) => confirm(ctx.ui, message),
        // The account is asked for (STS, no permission needed) only when the question is asked.
        context: {profile: ctx.settings.profile, env: ctx.settings.env, account: ctx.ui.promptable && !input.yes && !input.dryRun ? await accountOf(aws) : undefined},
        explainStartFailure: explainWithPreflight(aws, aws.region),
        preflight: (target, onProgress) => preflightForMigrate(aws, target, {onProgress}),
      },
      input,
    )
    return this.finish(result, result.exit)
  }

  /** On GitHub Actions an error that ends the step (bad input, an AWS error) is an annotation too. */
  protected override async catch(err: Error & {oclif?: {exit?: number}; exitCode?: number}): Promise<void> {
    if (process.env.GITHUB_ACTIONS === 'true' && !(err instanceof Errors.ExitError)) {
      const [{toEcsopsError}, {annotation}, {createUi}] = await Promise.all([import('../aws/errors.js'), import('../migrate/annotation.js'), import('../ui/output.js')])
      const message = (err.oclif?.exit === undefined ? toEcsopsError(err, {command: 'migrate'}).message : err.message).replace(/\n\s*See more help with --help\s*$/, '').trim()
      ;(this.ui ?? createUi({json: this.jsonEnabled()})).out(annotation('error', message))
    }
    return super.catch(err)
  }
}

async function accountOf(aws: {sts(): Promise<import('@aws-sdk/client-sts').STSClient>}): Promise<string | undefined> {
  try {
    const {callerIdentity} = await import('../aws/identity.js')
    return (await callerIdentity(await aws.sts())).account || undefined
  } catch {
    return undefined
  }
}
