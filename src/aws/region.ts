import {UsageError} from '../errors.js'

export interface RegionSource {
  region: string
  /** Where the region came from, in the user's words: `--region`, `AWS_REGION`, `profile prod`, … */
  source: string
}

/**
 * Resolves the region in the AWS CLI's order. `given` is what flags, environment variables
 * (--region, AWS_REGION, AWS_DEFAULT_REGION) and the config file already settled, in that
 * order (see config/settings.ts); without it, the profile's `region` is read. Instance metadata
 * is never asked: off EC2 it costs seconds before failing.
 */
export async function resolveRegion(given: RegionSource | undefined, profile: string | undefined, env: NodeJS.ProcessEnv = process.env): Promise<RegionSource> {
  if (given?.region) return given
  const name = profile ?? env.AWS_PROFILE ?? 'default'
  const fromProfile = await profileSetting(name, 'region')
  if (fromProfile) return {region: fromProfile, source: `profile ${name}`}
  throw new UsageError(`No AWS region: none of --region, AWS_REGION, AWS_DEFAULT_REGION or the region of profile ${name} is set.`, {
    hint: 'Pass --region (e.g. --region eu-west-1), export AWS_REGION, set "region" in the ecsops config file, or add "region = …" to the profile in ~/.aws/config.',
    code: 'NoRegion',
  })
}

/** Reads one key of a profile from ~/.aws/config (AWS_CONFIG_FILE honoured); undefined when absent. */
export async function profileSetting(profile: string, key: string): Promise<string | undefined> {
  const {loadSharedConfigFiles} = await import('@smithy/shared-ini-file-loader')
  const {configFile, credentialsFile} = await loadSharedConfigFiles({ignoreCache: true})
  return configFile[profile]?.[key] ?? credentialsFile[profile]?.[key]
}

/** Whether the profile exists in either shared file; used to fail early on a typo'd --profile. */
export async function profileExists(profile: string): Promise<boolean> {
  const {loadSharedConfigFiles} = await import('@smithy/shared-ini-file-loader')
  const {configFile, credentialsFile} = await loadSharedConfigFiles({ignoreCache: true})
  return profile in configFile || profile in credentialsFile
}
