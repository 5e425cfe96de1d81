import {Flags} from '@oclif/core'

import {BaseCommand} from '../base-command.js'
import type {ConfigReport} from '../config/report.js'
import {ExitCode} from '../exit-codes.js'

export default class Config extends BaseCommand {
  static summary = 'Show the resolved settings, where each came from, and who AWS thinks you are.'
  static description = `Resolves flags, environment variables, the config file and the AWS profile exactly as every other command does, then asks STS who the caller is (account and ARN). It shows where the credentials come from (environment variables, a profile's keys, an assumed role, SSO, credential_process, web identity, container or instance metadata) and every endpoint override in effect (AWS_ENDPOINT_URL_<SERVICE>, AWS_ENDPOINT_URL, the profile's endpoint_url). Run it first when a CI job talks to the wrong account or region.

Precedence, highest first: flags, environment variables (AWS_PROFILE, AWS_REGION, AWS_DEFAULT_REGION, ECSOPS_CLUSTER, ECSOPS_SERVICE, ECSOPS_CONTAINER), the selected environment of the config file (--env / ECSOPS_ENV), the file's top-level defaults, the profile's region.`

  static examples = [
    {description: 'Settings and caller identity for the prd environment', command: '<%= config.bin %> config --env prd'},
    {description: 'As JSON, for a CI log', command: '<%= config.bin %> config --env prd --json'},
    {description: 'Settings only, without calling AWS', command: '<%= config.bin %> config --no-identity'},
  ]

  static flags = {
    cluster: Flags.string({description: 'ECS cluster name or ARN (default: ECSOPS_CLUSTER, then the config file).'}),
    service: Flags.string({description: 'ECS service name (default: ECSOPS_SERVICE, then the config file).'}),
    container: Flags.string({description: 'Container name (default: ECSOPS_CONTAINER, then the config file).'}),
    identity: Flags.boolean({description: 'Ask STS for the caller identity.', default: true, allowNo: true}),
  }

  async run(): Promise<ConfigReport> {
    const {flags} = await this.parse(Config)
    const ctx = await this.context(flags)
    const {configReport, renderConfigReport} = await import('../config/report.js')
    const region = await ctx.region()
    let identity: ConfigReport['identity'] = null
    let identityError: ConfigReport['identityError'] = null
    let exit: number = ExitCode.OK
    if (flags.identity) {
      const {callerIdentity} = await import('../aws/identity.js')
      const {toEcsopsError} = await import('../aws/errors.js')
      try {
        identity = await callerIdentity(await (await ctx.aws()).sts())
      } catch (error) {
        const e = toEcsopsError(error, {command: 'config', profile: ctx.settings.profile, region: region.region})
        identityError = {code: e.code ?? e.name, message: e.message}
        ctx.ui.error(e.message)
        if (e.hint) ctx.ui.info(`  ${e.hint}`)
        exit = e.exitCode
      }
    }
    const {credentialSource, endpointOverrides, predictCredentialSource} = await import('../aws/credential-source.js')
    const {sharedProfiles} = await import('../aws/region.js')
    const profiles = await sharedProfiles()
    const profileName = ctx.settings.profile
    const section = profiles[profileName ?? process.env.AWS_PROFILE ?? 'default']
    // After a successful call the SDK's credentials say what it resolved (the chain is memoized: no second login).
    const resolved = identity ? ((await (await ctx.aws()).credentials()) as {$source?: Record<string, string>}).$source : undefined
    const aws = {
      credentials: credentialSource(predictCredentialSource(process.env, profileName, profiles), resolved),
      endpointOverrides: endpointOverrides(process.env, profileName ?? process.env.AWS_PROFILE, section),
    }
    const report = configReport(ctx.settings, region, aws, identity, identityError)
    if (!ctx.ui.json) for (const line of renderConfigReport(report, ctx.ui.outColor.dim)) ctx.ui.out(line)
    return this.finish(report, exit)
  }
}
