/** Which findings explain a task's stoppedReason. Pure. */
import type {Finding} from './types.js'

interface Clue {
  pattern: RegExp
  services: string[]
}

/**
 * Host names and phrases in ECS stop reasons, mapped to the endpoint services that serve them.
 * Examples of the texts (ECS troubleshooting pages "CannotPullContainer task errors" and
 * "ResourceInitializationError"):
 * - ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve ecr registry auth: ... Post "https://api.ecr.eu-west-1.amazonaws.com/": dial tcp ...: i/o timeout
 * - ResourceInitializationError: unable to pull secrets or registry auth: ... unable to retrieve secret from asm: ...
 * - ResourceInitializationError: unable to pull secrets or registry auth: ... unable to retrieve secrets from ssm: ...
 * - CannotPullContainerError: ... dial tcp ...: i/o timeout (registry host, or prod-<region>-starport-layer-bucket for layers)
 * - ResourceInitializationError: failed to validate logger args: create stream has been retried 1 times: failed to create Cloudwatch log stream: ...
 */
const SPECIFIC: Clue[] = [
  {pattern: /api\.ecr\.|ecr registry auth/i, services: ['ecr.api']},
  {pattern: /\.dkr\.ecr\./i, services: ['ecr.dkr']},
  {pattern: /starport-layer-bucket|\.s3[.-]|s3\.amazonaws|failed to download env files|envfile/i, services: ['s3']},
  {pattern: /secret from asm|secretsmanager/i, services: ['secretsmanager']},
  {pattern: /from ssm|ssm\.[a-z0-9-]+\.amazonaws|\bssm\b.*parameter/i, services: ['ssm']},
  {pattern: /cloudwatch log stream|logs\.[a-z0-9-]+\.amazonaws|awslogs|logger args/i, services: ['logs']},
  {pattern: /ssmmessages/i, services: ['ssmmessages']},
  {pattern: /\bkms\b/i, services: ['kms']},
  {pattern: /\bEFS\b|elasticfilesystem/i, services: ['elasticfilesystem']},
  {pattern: /ecs-a-|ecs-t-|ecs\.[a-z0-9-]+\.amazonaws/i, services: ['ecs', 'ecs-agent', 'ecs-telemetry']},
]

const GENERAL: Clue[] = [
  {pattern: /unable to pull secrets or registry auth/i, services: ['ecr.api', 'secretsmanager', 'ssm']},
  {pattern: /CannotPullContainerError/i, services: ['ecr.api', 'ecr.dkr', 's3']},
]

/** A host that no AWS endpoint serves (Docker Hub, ghcr.io …): no finding can explain it. */
const FOREIGN_HOST = /(registry-1\.docker\.io|docker\.io|ghcr\.io|quay\.io|gcr\.io|public\.ecr\.aws)/i

export function servicesNamedBy(stoppedReason: string): string[] {
  const specific = SPECIFIC.filter((c) => c.pattern.test(stoppedReason)).flatMap((c) => c.services)
  if (specific.length > 0) return [...new Set(specific)]
  if (FOREIGN_HOST.test(stoppedReason)) return []
  return [...new Set(GENERAL.filter((c) => c.pattern.test(stoppedReason)).flatMap((c) => c.services))]
}

const NETWORK = /timeout|timed out|dial tcp|connection refused|connection reset|no such host|send request failed|context deadline exceeded|network is unreachable/i
const DENIED = /AccessDenied|not authorized|explicit deny/i

/**
 * The findings (not ok, not unused) for the services a stop reason points at; empty when none
 * does. An access-denied reason (without a network error) is explained only by a restrictive
 * endpoint policy (or one whose conditions could not be evaluated, POLICY_UNVERIFIED): a missing
 * endpoint does not cause AccessDenied, an IAM role does.
 */
export function findingsExplaining(stoppedReason: string, findings: Finding[]): Finding[] {
  const services = servicesNamedBy(stoppedReason)
  if (services.length === 0) return []
  const deniedOnly = DENIED.test(stoppedReason) && !NETWORK.test(stoppedReason)
  return findings.filter(
    (f) => services.includes(f.service) && f.status !== 'ok' && f.status !== 'unused' && (!deniedOnly || f.problems.some((p) => p.code === 'POLICY_RESTRICTIVE' || p.code === 'POLICY_UNVERIFIED')),
  )
}
