import type {CredentialSource, EndpointOverride} from '../aws/credential-source.js'
import type {CallerIdentity} from '../aws/identity.js'
import type {Settings} from './settings.js'

export interface SourcedValue {
  value: string | null
  source: string | null
}

/** The document `ecsops config --json` prints. */
export interface ConfigReport {
  configFile: string | null
  env: SourcedValue
  profile: SourcedValue
  region: SourcedValue
  cluster: SourcedValue
  service: SourcedValue
  container: SourcedValue
  migrate: Settings['migrate']
  exec: Settings['exec']
  environments: string[]
  /** Where the credentials come from: what the SDK resolved, else worked out from the environment and files. */
  credentials: CredentialSource
  /** AWS_ENDPOINT_URL_<SERVICE>, AWS_ENDPOINT_URL and the profile's endpoint_url in effect, most specific first. */
  endpointOverrides: EndpointOverride[]
  identity: CallerIdentity | null
  identityError: {code: string; message: string} | null
}

export interface AwsFacts {
  credentials: CredentialSource
  endpointOverrides: EndpointOverride[]
}

export function configReport(settings: Settings, region: {region: string; source: string} | undefined, aws: AwsFacts, identity: CallerIdentity | null, identityError: ConfigReport['identityError']): ConfigReport {
  const sourced = (value: string | undefined, source: string | undefined): SourcedValue => ({value: value ?? null, source: value === undefined ? null : (source ?? null)})
  const profileSource = settings.profile === undefined ? undefined : settings.sources.profile
  return {
    configFile: settings.configFile ?? null,
    env: sourced(settings.env, settings.sources.env),
    // No profile named: none is shown; the credentials line says where the keys come from (maybe the default profile).
    profile: sourced(settings.profile, profileSource),
    region: sourced(region?.region, region?.source),
    cluster: sourced(settings.cluster, settings.sources.cluster),
    service: sourced(settings.service, settings.sources.service),
    container: sourced(settings.container, settings.sources.container),
    migrate: settings.migrate,
    exec: settings.exec,
    environments: settings.environments,
    credentials: aws.credentials,
    endpointOverrides: aws.endpointOverrides,
    identity,
    identityError,
  }
}

/** The human form: one aligned line per setting with its source. */
export function renderConfigReport(report: ConfigReport, dim: (s: string) => string = (s) => s): string[] {
  const rows: Array<[string, string, string | null]> = [
    ['Config file', report.configFile ?? '(none found)', null],
    ['Environment', report.env.value ?? '(none)', report.env.source],
    ['Profile', report.profile.value ?? '(none)', report.profile.source],
    ['Credentials', report.credentials.description, report.credentials.determinedBy === 'sdk' ? null : 'from the environment and files; not resolved'],
    ['Region', report.region.value ?? '(none)', report.region.source],
    ...report.endpointOverrides.map(({service, url, source}): [string, string, string] => [service === 'all' ? 'Endpoint' : `Endpoint ${service}`, url, source]),
    ['Cluster', report.cluster.value ?? '(not set)', report.cluster.source],
    ['Service', report.service.value ?? '(not set)', report.service.source],
    ['Container', report.container.value ?? '(not set)', report.container.source],
  ]
  if (report.migrate.command) rows.push(['Migrate command', JSON.stringify(report.migrate.command), null])
  if (report.migrate.timeout) rows.push(['Migrate timeout', report.migrate.timeout, null])
  if (report.exec.command) rows.push(['Exec command', report.exec.command, null])
  if (report.environments.length > 0) rows.push(['Environments', report.environments.join(', '), null])
  if (report.identity) {
    rows.push(['Account', report.identity.account, null], ['Caller', report.identity.arn, null])
    if (report.identity.principalArn !== report.identity.arn) rows.push(['Principal', report.identity.principalArn, null])
  } else if (report.identityError) {
    rows.push(['Caller', `unknown: ${report.identityError.code}`, null])
  }
  const width = Math.max(...rows.map(([label]) => label.length))
  return rows.map(([label, value, source]) => `${label.padEnd(width)}  ${value}${source ? dim(`  (${source})`) : ''}`)
}
