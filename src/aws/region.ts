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
  if (given?.region) return wellFormed(given)
  const name = profile ?? env.AWS_PROFILE ?? 'default'
  const fromProfile = await profileSetting(name, 'region')
  if (fromProfile) return wellFormed({region: fromProfile, source: `profile ${name}`})
  throw new UsageError(`No AWS region: none of --region, AWS_REGION, AWS_DEFAULT_REGION or the region of profile ${name} is set.`, {
    hint: 'Pass --region (e.g. --region eu-west-1), export AWS_REGION, set "region" in the ecsops config file, or add "region = …" to the profile in ~/.aws/config.',
    code: 'NoRegion',
  })
}

/**
 * Region codes are lowercase words joined by hyphens and end in a number: eu-west-1,
 * us-gov-west-1, cn-north-1, us-isob-east-1 ("Regions and Zones", AWS General Reference). A
 * malformed one ("eu west 1", "EU-WEST-1") would otherwise fail deep in the SDK's endpoint rules.
 */
function wellFormed(found: RegionSource): RegionSource {
  if (/^[a-z]{2,}(-[a-z]+)+-\d{1,2}$/.test(found.region)) return found
  throw new UsageError(`"${found.region}" (from ${found.source}) is not an AWS region code.`, {hint: 'Region codes look like eu-west-1 or us-east-2: lowercase, hyphens, a number at the end.', code: 'BadRegion'})
}

/** Reads one key of a profile from ~/.aws/config (AWS_CONFIG_FILE honoured); undefined when absent. */
export async function profileSetting(profile: string, key: string): Promise<string | undefined> {
  const {loadSharedConfigFiles} = await import('@smithy/shared-ini-file-loader')
  const {configFile, credentialsFile} = await loadSharedConfigFiles({ignoreCache: true})
  return configFile[profile]?.[key] ?? credentialsFile[profile]?.[key]
}

/** Every profile's keys, the credentials file's over the config file's, as the SDK merges them (parseKnownFiles). */
export async function sharedProfiles(): Promise<Record<string, Record<string, string | undefined>>> {
  const {loadSharedConfigFiles} = await import('@smithy/shared-ini-file-loader')
  const {configFile, credentialsFile} = await loadSharedConfigFiles({ignoreCache: true})
  const merged: Record<string, Record<string, string | undefined>> = {}
  for (const name of new Set([...Object.keys(configFile), ...Object.keys(credentialsFile)])) merged[name] = {...configFile[name], ...credentialsFile[name]}
  return merged
}

/** The profiles of ~/.aws/config and ~/.aws/credentials (AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE honoured). */
export async function knownProfiles(): Promise<string[]> {
  const {loadSharedConfigFiles} = await import('@smithy/shared-ini-file-loader')
  const {configFile, credentialsFile} = await loadSharedConfigFiles({ignoreCache: true})
  return [...new Set([...Object.keys(configFile), ...Object.keys(credentialsFile)])].sort()
}

/**
 * A named profile (--profile, AWS_PROFILE or the config file) must exist: the SDK's credential
 * chain would otherwise fall through to the next source (environment keys, the container's or
 * instance's role) and act as another identity, maybe in another account. `default` is exempt:
 * the AWS CLI, too, runs without one.
 */
export async function assertProfileExists(profile: string | undefined, source: string | undefined): Promise<void> {
  if (!profile || profile === 'default') return
  const profiles = await knownProfiles()
  if (profiles.includes(profile)) return
  const {closest} = await import('fastest-levenshtein')
  const guess = profiles.length > 0 ? closest(profile, profiles) : undefined
  throw new UsageError(`Profile "${profile}"${source ? ` (from ${source})` : ''} is not in ~/.aws/config or ~/.aws/credentials${guess ? `: did you mean "${guess}"?` : '.'}`, {
    hint: profiles.length > 0 ? `Known profiles: ${profiles.join(', ')}. ecsops never falls back to other credentials when a named profile is missing.` : 'No profile is defined: run `aws configure --profile NAME` (or `aws configure sso`), or drop the profile to use the default credential chain.',
    code: 'ProfileNotFound',
  })
}
