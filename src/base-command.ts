import {Command, Errors, Flags} from '@oclif/core'

import type {AwsClients} from './aws/clients.js'
import type {RegionSource} from './aws/region.js'
import type {Settings, SettingFlags} from './config/settings.js'
import {EcsopsError, UsageError} from './errors.js'
import {ExitCode} from './exit-codes.js'
import type {FlagNames} from './suggest.js'
import {createUi, debugEnabled, type Ui} from './ui/output.js'

export interface CommandContext {
  settings: Settings
  ui: Ui
  /** Region and where it came from; a UsageError (exit 2) when none is found. */
  region(): Promise<RegionSource>
  /** The AWS clients of this run, created on first use. */
  aws(): Promise<AwsClients>
}

/** The working directory; one that was deleted (or moved) under the shell is exit 2, said plainly. */
function workingDirectory(): string {
  try {
    return process.cwd()
  } catch {
    throw new UsageError('The working directory no longer exists (it was deleted or moved).', {hint: 'cd to an existing directory and run ecsops again.', code: 'NoWorkingDirectory'})
  }
}

/** The JSON document printed for an error under --json. */
export interface ErrorDocument {
  ok: false
  error: {code: string; message: string; hint?: string; exitCode: number}
}

/**
 * What every ecsops command shares: the global flags, --json, the settings and AWS context,
 * and one error → message → exit code path. Commands stay thin: parse, call the feature,
 * return its result (printed by --json) and set the exit code with `finish`.
 */
export abstract class BaseCommand extends Command {
  static enableJsonFlag = true

  static baseFlags = {
    profile: Flags.string({description: 'AWS named profile (default: AWS_PROFILE, then the config file).', helpGroup: 'GLOBAL'}),
    region: Flags.string({description: 'AWS region (default: AWS_REGION, AWS_DEFAULT_REGION, the config file, the profile).', helpGroup: 'GLOBAL'}),
    env: Flags.string({description: 'Named environment of the config file (default: ECSOPS_ENV).', helpGroup: 'GLOBAL'}),
    config: Flags.string({description: 'Config file (default: ECSOPS_CONFIG, else .ecsops.yml found upwards).', helpGroup: 'GLOBAL'}),
    debug: Flags.boolean({description: 'Show stack traces and AWS request details on stderr (also DEBUG=ecsops*).', helpGroup: 'GLOBAL'}),
  }

  /** The output of this run, once `context()` has built it (errors before that use a default one). */
  protected ui?: Ui
  private regionUsed?: string
  private profileUsed?: string

  /** Builds the settings, output and lazy AWS context from the parsed flags. */
  protected async context(flags: SettingFlags & {json?: boolean; debug?: boolean}): Promise<CommandContext> {
    const ui = createUi({json: flags.json ?? false, debug: flags.debug})
    this.ui = ui
    const {resolveSettings} = await import('./config/settings.js')
    const settings = await resolveSettings(flags, process.env, workingDirectory())
    this.profileUsed = settings.profile
    let region: Promise<RegionSource> | undefined
    let clients: Promise<AwsClients> | undefined
    const resolveRegionOnce = () => {
      region ??= import('./aws/region.js').then(async ({assertProfileExists, resolveRegion}) => {
        await assertProfileExists(settings.profile, settings.sources.profile)
        return resolveRegion(settings.region ? {region: settings.region, source: settings.sources.region ?? 'config'} : undefined, settings.profile)
      })
      return region
    }
    return {
      settings,
      ui,
      region: resolveRegionOnce,
      aws: () => {
        clients ??= (async () => {
          const {region: name} = await resolveRegionOnce()
          this.regionUsed = name
          const {createAwsClients} = await import('./aws/clients.js')
          const {secret} = await import('./ui/prompt.js')
          return createAwsClients({
            region: name,
            profile: settings.profile,
            profileSource: settings.sources.profile,
            warn: (line) => ui.warn(line),
            version: this.config.version,
            mfaCode: ui.interactive ? (serial) => secret(ui, `MFA code for ${serial}:`, 'An MFA code') : undefined,
            debug: debugEnabled(process.env, flags.debug) ? (line) => ui.debug(`aws: ${line}`) : undefined,
          })
        })()
        return clients
      },
    }
  }

  /** Sets the process exit code and returns the result (which --json prints). */
  protected finish<T>(result: T, exitCode: number): T {
    process.exitCode = exitCode
    return result
  }

  protected override async catch(err: Error & {oclif?: {exit?: number}; exitCode?: number}): Promise<void> {
    // this.exit(n) and help/version exits: no message, just the code.
    if (err instanceof Errors.ExitError) {
      process.exitCode = err.oclif.exit
      return
    }
    const unknownFlags = (err as {flags?: unknown}).flags
    const parsedFlags = (err as {parse?: {input?: {flags?: FlagNames}}}).parse?.input?.flags
    if (Array.isArray(unknownFlags) && parsedFlags) {
      // oclif's NonExistentFlagsError ("Nonexistent flag: --clustr"): name the flag the user meant.
      const {unknownFlagsMessage} = await import('./suggest.js')
      const bin = this.config.bin
      const command = [bin, ...(this.id ? this.id.split(':') : [])].join(' ')
      err = new UsageError(unknownFlagsMessage(unknownFlags.map(String), parsedFlags).message, {code: 'UnknownFlag', hint: `Run ${command} --help for its flags.`})
    }
    const {toEcsopsError} = await import('./aws/errors.js')
    const error = err.oclif?.exit === undefined ? toEcsopsError(err, {command: this.id ?? undefined, profile: this.profileUsed, region: this.regionUsed}) : err
    const exit = error instanceof EcsopsError ? error.exitCode : (err.oclif?.exit ?? ExitCode.USAGE)
    const hint = error instanceof EcsopsError ? error.hint : undefined
    const code = error instanceof EcsopsError ? (error.code ?? error.name) : 'UsageError'
    const message = error.message.replace(/\n\s*See more help with --help\s*$/, '').trim()
    const ui = this.ui ?? createUi({json: this.jsonEnabled()})
    ui.error(message)
    if (hint) ui.info(`  ${hint}`)
    if (debugEnabled(process.env, this.argv.includes('--debug'))) ui.info(ui.color.dim(err.stack ?? String(err)))
    if (this.jsonEnabled()) {
      const document: ErrorDocument = {ok: false, error: {code, message, hint, exitCode: exit}}
      ui.writeJson(document)
    }
    process.exitCode = exit
  }
}
