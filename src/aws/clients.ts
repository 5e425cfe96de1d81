import type {CloudWatchLogsClient} from '@aws-sdk/client-cloudwatch-logs'
import type {EC2Client} from '@aws-sdk/client-ec2'
import type {ECRClient} from '@aws-sdk/client-ecr'
import type {ECSClient} from '@aws-sdk/client-ecs'
import type {IAMClient} from '@aws-sdk/client-iam'
import type {KMSClient} from '@aws-sdk/client-kms'
import type {Route53Client} from '@aws-sdk/client-route-53'
import type {SecretsManagerClient} from '@aws-sdk/client-secrets-manager'
import type {SSMClient} from '@aws-sdk/client-ssm'
import type {STSClient} from '@aws-sdk/client-sts'
import type {AwsCredentialIdentity, AwsCredentialIdentityProvider} from '@smithy/types'

import {AwsCallError, UsageError} from '../errors.js'

export interface AwsOptions {
  region: string
  /** Named profile (--profile or the config file); undefined means the SDK's default chain and AWS_PROFILE. */
  profile?: string
  /** ecsops version, sent as `ecsops/<version>` in the user agent. */
  version: string
  /** Asks for an MFA code when an assume-role profile needs one; absent means "cannot ask". */
  mfaCode?: (mfaSerial: string) => Promise<string>
  /** Receives one line per AWS call (--debug): service, operation, input, status, attempts. */
  debug?: (line: string) => void
  /** Where the profile was named (`--profile`, `AWS_PROFILE`, the config file), for messages. */
  profileSource?: string
  /** Prints one warning line (stderr); the SDK's own warnings are routed here. */
  warn?: (line: string) => void
}

/**
 * With a profile named (init.profile or AWS_PROFILE) and AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY
 * exported, the SDK uses the profile and skips the environment keys: the first link of
 * defaultProvider in @aws-sdk/credential-provider-node (dist-cjs/index.js, 3.972) throws
 * "AWS_PROFILE is set, skipping fromEnv provider." with tryNextLink, and prints a 9-line
 * "Multiple credential sources detected" console.warn that names AWS_PROFILE even when the profile
 * came from --profile (createAwsClients sets AWS_PROFILE). This says the same in one line.
 * (The AWS CLI differs: it prefers the environment keys over AWS_PROFILE, but not over --profile.)
 */
export function ignoredEnvironmentKeys(profile: string | undefined, profileSource: string | undefined, env: NodeJS.ProcessEnv): string | undefined {
  if (!profile || !env.AWS_ACCESS_KEY_ID || !env.AWS_SECRET_ACCESS_KEY) return undefined
  return `AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are set but not used: profile ${profile}${profileSource ? ` (from ${profileSource})` : ''} supplies the credentials, as the AWS SDK prefers a named profile.`
}

/** The SDK's "Multiple credential sources detected" warning, replaced by ignoredEnvironmentKeys. */
const MULTIPLE_SOURCES_WARNING = /Multiple credential sources detected/

interface CallLog {
  clientName?: string
  commandName?: string
  input?: unknown
  metadata?: {httpStatusCode?: number; attempts?: number; totalRetryDelay?: number; requestId?: string}
  error?: unknown
}

/** One readable line for the SDK's logger middleware record (inputs already filtered of secrets by the SDK). */
export function describeCall(record: CallLog, outcome: string): string {
  const m = record.metadata ?? {}
  const retries = m.attempts && m.attempts > 1 ? `, ${m.attempts} attempts, ${m.totalRetryDelay ?? 0} ms retry delay` : ''
  return `${(record.clientName ?? 'AWS').replace(/Client$/, '')}.${(record.commandName ?? '?').replace(/Command$/, '')} ${JSON.stringify(record.input ?? {})} → ${outcome}${m.httpStatusCode ? ` HTTP ${m.httpStatusCode}` : ''}${retries}`
}

/**
 * The one place that builds AWS SDK clients. Each client is imported and created on first use
 * (so help and version never load the SDK), all share one credential provider (an SSO or
 * assume-role login happens once), retry in adaptive mode and identify as ecsops.
 */
export interface AwsClients {
  readonly region: string
  readonly profile?: string
  ecs(): Promise<ECSClient>
  ec2(): Promise<EC2Client>
  iam(): Promise<IAMClient>
  /** CloudWatch Logs in this region, or in `region` (an awslogs group may live elsewhere). */
  logs(region?: string): Promise<CloudWatchLogsClient>
  sts(): Promise<STSClient>
  /** Systems Manager in this region, or in `region` (a parameter ARN of another region). */
  ssm(region?: string): Promise<SSMClient>
  /** ECR in this region, or in the region of an image's registry. */
  ecr(region?: string): Promise<ECRClient>
  /** Secrets Manager in this region, or in the region of a secret's ARN. */
  secretsManager(region?: string): Promise<SecretsManagerClient>
  kms(): Promise<KMSClient>
  route53(): Promise<Route53Client>
  /** The resolved credentials, e.g. to hand to session-manager-plugin. */
  credentials(): Promise<AwsCredentialIdentity>
  /** The URL the ECS client sends requests to (endpoint overrides included). */
  ecsEndpointUrl(): Promise<string>
  /** The URL the SSM client sends requests to: what `aws ssm start-session` hands to session-manager-plugin. */
  ssmEndpointUrl(): Promise<string>
}

export function createAwsClients(options: AwsOptions): AwsClients {
  // Setting AWS_PROFILE (rather than passing `profile`) makes the SDK honour the profile's
  // endpoint_url and services sections too, as the AWS CLI does.
  if (options.profile) process.env.AWS_PROFILE = options.profile
  // The SDK's Node 20 end-of-support warning would print in every CI log; the README says it instead.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true'

  let provider: AwsCredentialIdentityProvider | undefined
  const warn = options.warn ?? ((line: string) => process.stderr.write(`warning: ${line}\n`))
  const credentialProvider = async (): Promise<AwsCredentialIdentityProvider> => {
    if (!provider) {
      const ignored = ignoredEnvironmentKeys(options.profile ?? process.env.AWS_PROFILE, options.profile ? options.profileSource : 'AWS_PROFILE', process.env)
      if (ignored) warn(ignored)
      const {fromNodeProviderChain} = await import('@aws-sdk/credential-providers')
      const processProfile = await credentialProcessProfile(options.profile ?? process.env.AWS_PROFILE)
      if (processProfile) {
        provider = processCredentials(processProfile.name, processProfile.command)
        return provider
      }
      provider = fromNodeProviderChain({
        profile: options.profile,
        // Any logger but the NoOpLogger receives the chain's warnings instead of console.warn.
        logger: {
          debug: () => {},
          info: () => {},
          warn: (...content: unknown[]) => {
            const text = content.map(String).join(' ')
            if (MULTIPLE_SOURCES_WARNING.test(text)) options.debug?.(`credentials: ${text.replace(/\s+/g, ' ').trim()}`)
            else warn(text.trim())
          },
          error: () => {},
        },
        mfaCodeProvider: async (serial: string) => {
          if (!options.mfaCode) {
            throw new UsageError(`Profile ${options.profile ?? process.env.AWS_PROFILE ?? 'default'} needs an MFA code (${serial}), and there is no terminal to ask for it.`, {
              hint: 'Run ecsops in a terminal, or give CI credentials that need no MFA (OIDC web identity, or keys in the environment).',
              code: 'MfaRequired',
            })
          }
          return options.mfaCode(serial)
        },
      })
    }
    return provider
  }

  const common = async () => ({
    region: options.region,
    credentials: await credentialProvider(),
    retryMode: 'adaptive',
    maxAttempts: Number(process.env.AWS_MAX_ATTEMPTS) || 5,
    customUserAgent: [['ecsops', options.version]] as [string, string][],
    requestHandler: {requestTimeout: 30_000, connectionTimeout: 5_000, throwOnRequestTimeout: true},
    logger: options.debug ? callLogger(options.debug) : undefined,
  })

  const cache = new Map<string, Promise<unknown>>()
  function lazy<T>(key: string, make: (config: Awaited<ReturnType<typeof common>>) => Promise<T>): (region?: string) => Promise<T> {
    return (region?: string) => {
      const where = region ?? options.region
      const id = `${key}@${where}`
      if (!cache.has(id)) cache.set(id, common().then((config) => make({...config, region: where})))
      return cache.get(id) as Promise<T>
    }
  }

  const clients: AwsClients = {
    region: options.region,
    profile: options.profile,
    ecs: lazy('ecs', async (c) => new (await import('@aws-sdk/client-ecs')).ECSClient(c)),
    ec2: lazy('ec2', async (c) => new (await import('@aws-sdk/client-ec2')).EC2Client(c)),
    iam: lazy('iam', async (c) => new (await import('@aws-sdk/client-iam')).IAMClient(c)),
    logs: lazy('logs', async (c) => new (await import('@aws-sdk/client-cloudwatch-logs')).CloudWatchLogsClient(c)),
    sts: lazy('sts', async (c) => new (await import('@aws-sdk/client-sts')).STSClient(c)),
    ssm: lazy('ssm', async (c) => new (await import('@aws-sdk/client-ssm')).SSMClient(c)),
    ecr: lazy('ecr', async (c) => new (await import('@aws-sdk/client-ecr')).ECRClient(c)),
    secretsManager: lazy('secretsmanager', async (c) => new (await import('@aws-sdk/client-secrets-manager')).SecretsManagerClient(c)),
    kms: lazy('kms', async (c) => new (await import('@aws-sdk/client-kms')).KMSClient(c)),
    route53: lazy('route53', async (c) => new (await import('@aws-sdk/client-route-53')).Route53Client(c)),
    async credentials() {
      return (await credentialProvider())()
    },
    async ecsEndpointUrl() {
      const ecs = await clients.ecs()
      return endpointUrlOf(ecs)
    },
    async ssmEndpointUrl() {
      return endpointUrlOf(await clients.ssm())
    },
  }
  return clients
}

/**
 * A profile whose credentials come from its own `credential_process` (no role to assume on top):
 * its failure must be said as such, with the process's own stderr. The SDK's chain would move on
 * to the next source and end with "Could not load credentials from any providers".
 */
async function credentialProcessProfile(profile: string | undefined): Promise<{name: string; command: string} | undefined> {
  if (!profile) return undefined
  const {profileSetting} = await import('./region.js')
  const command = await profileSetting(profile, 'credential_process')
  if (!command || (await profileSetting(profile, 'role_arn'))) return undefined
  return {name: profile, command}
}

/** fromProcess for the profile, its failure an error naming the profile and quoting what the process wrote to stderr. */
export function processCredentials(profile: string, command: string): AwsCredentialIdentityProvider {
  let inner: AwsCredentialIdentityProvider | undefined
  return async () => {
    inner ??= (await import('@aws-sdk/credential-providers')).fromProcess({profile})
    try {
      return await inner()
    } catch (error) {
      // child_process puts "Command failed: <command>" first, then what the process wrote to stderr.
      const said = ((error as Error).message ?? '').split('\n').slice(1).map((l) => l.trim()).filter(Boolean).join(' ')
      throw new AwsCallError(`The credential_process of profile ${profile} failed${said ? `: ${said}` : `: ${(error as Error).message}`}`, {
        code: 'CredentialProcessFailed',
        hint: `Run it by hand to see why: ${command}`,
        cause: error,
      })
    }
  }
}

function callLogger(write: (line: string) => void) {
  const ignore = () => {}
  return {
    debug: ignore,
    trace: ignore,
    info: (record: CallLog) => write(describeCall(record, 'ok')),
    warn: (message: unknown) => write(String(message)),
    error: (record: CallLog) => write(describeCall(record, `failed: ${(record.error as Error | undefined)?.name ?? 'error'}`)),
  }
}

/** The base URL a client sends to: its configured endpoint override, else what its endpoint rules give. */
export async function endpointUrlOf(client: {config: object}): Promise<string> {
  const config = client.config as unknown as {
    endpoint?: () => Promise<{protocol: string; hostname: string; port?: number; path: string}>
    serviceConfiguredEndpoint?: () => Promise<string | undefined>
    endpointProvider: (params: Record<string, unknown>) => {url: URL}
    region: () => Promise<string>
    useFipsEndpoint: () => Promise<boolean>
    useDualstackEndpoint: () => Promise<boolean>
  }
  if (config.endpoint) {
    const ep = await config.endpoint()
    return `${ep.protocol}//${ep.hostname}${ep.port ? `:${ep.port}` : ''}${ep.path === '/' ? '' : ep.path}`
  }
  const configured = await config.serviceConfiguredEndpoint?.()
  if (configured) return configured.replace(/\/$/, '')
  const {url} = config.endpointProvider({
    Region: await config.region(),
    UseFIPS: await config.useFipsEndpoint(),
    UseDualStack: await config.useDualstackEndpoint(),
  })
  return url.href.replace(/\/$/, '')
}
