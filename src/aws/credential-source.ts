/**
 * Where the credentials of a run come from, and which endpoint overrides are in effect, for
 * `ecsops config`. Pure: the caller reads the environment, ~/.aws/config and ~/.aws/credentials
 * (and, after a call, the credentials the SDK resolved).
 */

export type CredentialSourceKind = 'environment' | 'profile' | 'assume-role' | 'web-identity' | 'credential_process' | 'sso' | 'login' | 'container' | 'instance-metadata' | 'none'

export interface CredentialSource {
  kind: CredentialSourceKind
  /** In the user's words: `environment variables AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY`, `SSO of profile dev`. */
  description: string
  /** `sdk`: read from the credentials the SDK resolved; `files`: worked out from the environment and files as the SDK would. */
  determinedBy: 'sdk' | 'files'
}

/** One profile's keys, as @smithy/shared-ini-file-loader returns them (config and credentials files merged). */
export type ProfileSection = Record<string, string | undefined>

const set = (value: string | undefined) => value !== undefined && value !== ''

/**
 * The credential source the SDK's default chain picks, in its order (defaultProvider of
 * @aws-sdk/credential-provider-node, resolveProfileData of @aws-sdk/credential-provider-ini):
 * environment keys unless a profile is named; the profile (assume role, static keys, web
 * identity, credential_process, SSO, login, in that order); the web identity of
 * AWS_WEB_IDENTITY_TOKEN_FILE; the container's credentials endpoint; instance metadata.
 */
export function predictCredentialSource(env: NodeJS.ProcessEnv, profileName: string | undefined, profiles: Record<string, ProfileSection>): CredentialSource {
  const source = (kind: CredentialSourceKind, description: string): CredentialSource => ({kind, description, determinedBy: 'files'})
  const named = profileName ?? (set(env.AWS_PROFILE) ? env.AWS_PROFILE : undefined)
  if (!named && set(env.AWS_ACCESS_KEY_ID) && set(env.AWS_SECRET_ACCESS_KEY)) {
    return source('environment', `environment variables AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY${set(env.AWS_SESSION_TOKEN) ? ', AWS_SESSION_TOKEN' : ''}`)
  }
  const name = named ?? 'default'
  const p = Object.hasOwn(profiles, name) ? profiles[name] : undefined
  if (p) {
    if (set(p.role_arn) && (set(p.source_profile) || set(p.credential_source))) {
      const via = set(p.source_profile) ? `source_profile ${p.source_profile}` : `credential_source ${p.credential_source}`
      return source('assume-role', `role ${p.role_arn} assumed by profile ${name} (${via})`)
    }
    if (set(p.aws_access_key_id) && set(p.aws_secret_access_key)) return source('profile', `keys of profile ${name}`)
    if (set(p.role_arn) && set(p.web_identity_token_file)) return source('web-identity', `web identity token of profile ${name} for role ${p.role_arn}`)
    if (set(p.credential_process)) return source('credential_process', `credential_process of profile ${name}`)
    if (['sso_start_url', 'sso_account_id', 'sso_session', 'sso_region', 'sso_role_name'].some((key) => set(p[key]))) return source('sso', `SSO of profile ${name}${set(p.sso_session) ? ` (sso-session ${p.sso_session})` : ''}`)
    if (set(p.login_session)) return source('login', `aws login session of profile ${name}`)
  }
  if (set(env.AWS_WEB_IDENTITY_TOKEN_FILE) && set(env.AWS_ROLE_ARN)) return source('web-identity', `web identity token (AWS_WEB_IDENTITY_TOKEN_FILE) for role ${env.AWS_ROLE_ARN}`)
  if (set(env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI) || set(env.AWS_CONTAINER_CREDENTIALS_FULL_URI)) {
    return source('container', `container credentials (${set(env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI) ? 'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI' : 'AWS_CONTAINER_CREDENTIALS_FULL_URI'})`)
  }
  if (set(env.AWS_EC2_METADATA_DISABLED) && env.AWS_EC2_METADATA_DISABLED !== 'false') {
    return source('none', named ? `none: profile ${name} has no credentials, and instance metadata is disabled` : 'none: no environment keys, no profile with credentials, instance metadata disabled')
  }
  return source('instance-metadata', 'EC2 instance metadata (the instance profile\'s role)')
}

/**
 * The kind the SDK recorded on the credentials it resolved (`$source`, the feature ids of
 * @aws-sdk/core's setCredentialFeature, sent in the user agent). Assume-role features come
 * first: a role assumed from a profile with keys carries CREDENTIALS_PROFILE too. The default
 * chain's instance-metadata provider records nothing: undefined then.
 */
export function kindOfResolved(features: Record<string, string> | undefined): CredentialSourceKind | undefined {
  if (!features) return undefined
  const has = (pattern: RegExp) => Object.keys(features).some((f) => pattern.test(f))
  if (has(/WEB_ID/)) return 'web-identity'
  if (has(/ASSUME_ROLE|SOURCE_PROFILE|NAMED_PROVIDER/)) return 'assume-role'
  if (has(/PROCESS/)) return 'credential_process'
  if (has(/SSO/)) return 'sso'
  if (has(/LOGIN/)) return 'login'
  if (has(/^CREDENTIALS_ENV_VARS$/)) return 'environment'
  if (has(/^CREDENTIALS_PROFILE$/)) return 'profile'
  if (has(/^CREDENTIALS_HTTP$/)) return 'container'
  if (has(/^CREDENTIALS_IMDS$/)) return 'instance-metadata'
  return undefined
}

const GENERIC: Record<CredentialSourceKind, string> = {
  environment: 'environment variables AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY',
  profile: 'keys of a profile',
  'assume-role': 'an assumed role',
  'web-identity': 'a web identity token',
  credential_process: 'a credential_process',
  sso: 'SSO',
  login: 'an aws login session',
  container: 'container credentials',
  'instance-metadata': 'EC2 instance metadata',
  none: 'none',
}

/** The prediction, confirmed (determinedBy sdk) or corrected by what the SDK actually resolved. */
export function credentialSource(predicted: CredentialSource, resolved: Record<string, string> | undefined): CredentialSource {
  const kind = kindOfResolved(resolved)
  if (!kind) return predicted
  return kind === predicted.kind ? {...predicted, determinedBy: 'sdk'} : {kind, description: GENERIC[kind], determinedBy: 'sdk'}
}

export interface EndpointOverride {
  /** `all` for AWS_ENDPOINT_URL and a profile's endpoint_url; else the service id (`ECS`, `EC2`, `SSM`). */
  service: string
  url: string
  /** `AWS_ENDPOINT_URL_ECS`, `profile dev (endpoint_url)`. */
  source: string
}

/**
 * The endpoint overrides in effect, most specific first, as the SDK applies them (AWS SDKs and
 * Tools reference guide, "Service-specific endpoints"): AWS_ENDPOINT_URL_<SERVICE>, then
 * AWS_ENDPOINT_URL, then the profile's `endpoint_url` (ecsops sets AWS_PROFILE so that it
 * applies). AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true, or the profile's
 * ignore_configured_endpoint_urls, turns them all off.
 */
export function endpointOverrides(env: NodeJS.ProcessEnv, profileName: string | undefined, profile: ProfileSection | undefined): EndpointOverride[] {
  if (env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS?.toLowerCase() === 'true' || profile?.ignore_configured_endpoint_urls?.toLowerCase() === 'true') return []
  const found: EndpointOverride[] = []
  for (const [name, url] of Object.entries(env).sort(([a], [b]) => a.localeCompare(b))) {
    const match = /^AWS_ENDPOINT_URL_([A-Z0-9_]+)$/.exec(name)
    if (match && set(url)) found.push({service: match[1], url: url!, source: name})
  }
  if (set(env.AWS_ENDPOINT_URL)) found.push({service: 'all', url: env.AWS_ENDPOINT_URL!, source: 'AWS_ENDPOINT_URL'})
  if (set(profile?.endpoint_url)) found.push({service: 'all', url: profile!.endpoint_url!, source: `profile ${profileName ?? 'default'} (endpoint_url)`})
  return found
}
