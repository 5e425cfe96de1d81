import {AwsCallError, EcsopsError} from '../errors.js'

/** What an AWS SDK error looks like from outside: a name (the error code) and metadata. */
interface SdkErrorLike {
  name?: string
  message?: string
  code?: string
  $metadata?: {httpStatusCode?: number; requestId?: string}
  $fault?: 'client' | 'server'
}

const ACCESS_DENIED = new Set(['AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation', 'UnauthorizedException', 'AuthorizationError', 'AuthorizationErrorException'])
const EXPIRED = new Set(['ExpiredToken', 'ExpiredTokenException', 'RequestExpired', 'TokenRefreshRequired', 'InvalidClientTokenId', 'UnrecognizedClientException', 'InvalidSignatureException', 'SignatureDoesNotMatch'])
const THROTTLED = new Set(['ThrottlingException', 'Throttling', 'TooManyRequestsException', 'RequestLimitExceeded', 'RequestThrottled'])
const NETWORK = new Set(['ECONNREFUSED', 'ENOTFOUND', 'ECONNRESET', 'ETIMEDOUT', 'EAI_AGAIN', 'EHOSTUNREACH', 'TimeoutError', 'RequestTimeout'])

export interface AwsErrorContext {
  /** The ecsops command, for the `ecsops iam-policy <command>` hint. */
  command?: string
  profile?: string
  region?: string
}

/**
 * ECS's ClusterNotFoundException says only "Cluster not found.": name the cluster (and the
 * Region) the command asked for. Other errors pass through unchanged.
 */
export function namingTheCluster(error: unknown, cluster: string, region?: string): unknown {
  if ((error as Error)?.name !== 'ClusterNotFoundException') return error
  const name = /^arn:[^:]+:ecs:[^:]*:[^:]*:cluster\/(.+)$/.exec(cluster)?.[1] ?? cluster
  return new AwsCallError(`Cluster "${name}" not found${region ? ` in ${region}` : ''} (ClusterNotFoundException).`, {
    hint: `Check the cluster name and the region: \`aws ecs list-clusters${region ? ` --region ${region}` : ''}\` lists the clusters there.`,
    code: 'ClusterNotFoundException',
    cause: error,
  })
}

export function isSdkError(err: unknown): err is SdkErrorLike & Error {
  return err instanceof Error && ('$metadata' in err || '$fault' in err)
}

/** Extracts `ecs:RunTask` from "… is not authorized to perform: ecs:RunTask on resource …". */
export function deniedAction(message: string): string | undefined {
  return /perform:?\s+([a-z0-9-]+:[A-Za-z0-9]+)/.exec(message)?.[1]
}

/**
 * An answer that is not AWS's: a proxy's 502 page, a captive portal, a region whose endpoint does
 * not exist behind a resolver that answers anyway. The SDK then fails to parse it ("SyntaxError:
 * Unexpected token '<'", or an error named Unknown); say the HTTP status and the host instead.
 */
function notAnAwsAnswer(err: unknown): AwsCallError | undefined {
  const e = err as SdkErrorLike & {$response?: {statusCode?: number; headers?: Record<string, string>; body?: unknown}}
  const status = e?.$metadata?.httpStatusCode ?? e?.$response?.statusCode
  const unparsed = e?.name === 'SyntaxError' || /Deserialization error|Unexpected token '<'|not valid JSON/i.test(e?.message ?? '') || (e?.name === 'Unknown' && (e.message ?? 'Unknown') === 'Unknown')
  if (!unparsed || !(err instanceof Error)) return undefined
  const type = e.$response?.headers?.['content-type']
  const host = endpointHost()
  return new AwsCallError(`AWS did not answer: ${host ? `${host} ` : 'the endpoint '}returned HTTP ${status ?? '?'}${type ? ` (${type.split(';')[0]})` : ''}, not an AWS response.`, {
    code: 'NotAwsResponse',
    hint: 'A proxy (HTTPS_PROXY), a captive portal or a firewall answered instead of AWS, or the region or endpoint is wrong: check --region, AWS_ENDPOINT_URL* and the proxy settings.',
    cause: err,
  })
}

/** The endpoint override in use (AWS_ENDPOINT_URL), as a host, for messages; undefined means AWS's own. */
function endpointHost(): string | undefined {
  const url = process.env.AWS_ENDPOINT_URL
  if (!url) return undefined
  try {
    return new URL(url).host
  } catch {
    return url
  }
}

/**
 * Turns anything the SDK or the network threw into an error the user can act on: the AWS
 * error code is kept, the message says what failed, the hint says what to do.
 * Errors ecsops raised itself pass through unchanged.
 */
export function toEcsopsError(err: unknown, context: AwsErrorContext = {}): EcsopsError {
  if (err instanceof EcsopsError) return err
  const e = (err ?? {}) as SdkErrorLike & Error
  const name = e.name ?? 'Error'
  const code = e.code && NETWORK.has(e.code) ? e.code : name
  const message = (e.message ?? String(err)).trim()
  const profileFlag = context.profile ? ` --profile ${context.profile}` : ''
  const policyHint = context.command ? ` \`ecsops iam-policy ${context.command}\` prints every permission this command needs.` : ''

  const notAws = notAnAwsAnswer(err)
  if (notAws) return notAws

  if (ACCESS_DENIED.has(name) || /not authorized to perform/i.test(message)) {
    const action = deniedAction(message)
    return new AwsCallError(`${name}: ${message}`, {
      code: name,
      hint: `${action ? `Grant ${action} to the caller` : 'Grant the missing permission to the caller'} (\`ecsops config\` shows who the caller is).${policyHint}`,
      cause: err,
    })
  }
  if (EXPIRED.has(name) || /sso session .*expired|token .*expired|refresh.*token/i.test(message)) {
    return new AwsCallError(`${name}: ${message}`, {
      code: name,
      hint: `Refresh your credentials: \`aws sso login${profileFlag}\` for an SSO profile, or new keys / a new session for others.`,
      cause: err,
    })
  }
  if (name === 'CredentialsProviderError' || /could not load credentials/i.test(message)) {
    return new AwsCallError(`No usable AWS credentials: ${message}`, {
      code: 'CredentialsProviderError',
      hint: `Set AWS_PROFILE or --profile, export AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or run \`aws sso login${profileFlag}\`.`,
      cause: err,
    })
  }
  if (THROTTLED.has(name)) {
    return new AwsCallError(`${name}: AWS kept throttling the requests after retrying: ${message}`, {
      code: name,
      hint: 'Try again in a minute, or raise AWS_MAX_ATTEMPTS.',
      cause: err,
    })
  }
  if (NETWORK.has(code) || /socket hang up|connect ECONNREFUSED|getaddrinfo/i.test(message)) {
    const endpoint = process.env.AWS_ENDPOINT_URL ? ` (AWS_ENDPOINT_URL=${process.env.AWS_ENDPOINT_URL})` : ''
    return new AwsCallError(`Could not reach AWS${endpoint}: ${message}`, {
      code,
      hint: 'Check the network, proxy (HTTPS_PROXY) and any endpoint override, then try again.',
      cause: err,
    })
  }
  if (name === 'ClusterNotFoundException') {
    return new AwsCallError(`ClusterNotFoundException: ${message}`, {
      code: name,
      hint: `Check the cluster name and the region${context.region ? ` (${context.region})` : ''}: \`aws ecs list-clusters\` lists the clusters there.`,
      cause: err,
    })
  }
  if (isSdkError(err)) {
    return new AwsCallError(`${name}: ${message}`, {code: name, cause: err})
  }
  return new EcsopsError(message, {code: name, cause: err})
}
