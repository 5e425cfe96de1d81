import {UsageError} from '../errors.js'
import {displayPath, findConfigFile, loadConfigFile} from './load.js'
import type {EnvironmentConfig, ExecConfig, MigrateConfig} from './schema.js'

/** The flags every command shares, plus the target flags a command may define. */
export interface SettingFlags {
  profile?: string
  region?: string
  env?: string
  config?: string
  cluster?: string
  service?: string
  container?: string
}

export type SettingKey = 'profile' | 'region' | 'cluster' | 'service' | 'container'

/** Where a value came from, in the user's words: `--cluster`, `ECSOPS_CLUSTER`, `.ecsops.yml (environments.prd)`. */
export type Sources = Partial<Record<SettingKey | 'env' | 'configFile', string>>

export interface Settings {
  /** Absolute path of the config file in use, if any. */
  configFile?: string
  /** The selected named environment, if any. */
  env?: string
  profile?: string
  /** The region given by flag, env var or config file; the profile's region is resolved by the AWS layer. */
  region?: string
  cluster?: string
  service?: string
  container?: string
  migrate: MigrateConfig
  exec: ExecConfig
  sources: Sources
  /** Environments the file defines, for messages. */
  environments: string[]
}

/** Environment variables read for each setting, in order. */
export const ENV_VARS: Record<SettingKey, string[]> = {
  profile: ['AWS_PROFILE'],
  region: ['AWS_REGION', 'AWS_DEFAULT_REGION'],
  cluster: ['ECSOPS_CLUSTER'],
  service: ['ECSOPS_SERVICE'],
  container: ['ECSOPS_CONTAINER'],
}

const KEYS: SettingKey[] = ['profile', 'region', 'cluster', 'service', 'container']

/**
 * Merges flags > environment variables > the selected config environment > the file's top-level
 * defaults, and records where each value came from.
 */
export async function resolveSettings(flags: SettingFlags, env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Promise<Settings> {
  const sources: Sources = {}
  const explicit = flags.config ? {path: flags.config, source: '--config'} : env.ECSOPS_CONFIG ? {path: env.ECSOPS_CONFIG, source: 'ECSOPS_CONFIG'} : undefined
  const path = findConfigFile(cwd, explicit)
  const file = path ? (await loadConfigFile(path, cwd)).config : undefined
  const shown = path ? displayPath(path, cwd) : undefined
  if (path) sources.configFile = explicit?.source ?? 'found from the working directory'

  const envName = flags.env ?? env.ECSOPS_ENV
  if (envName !== undefined) sources.env = flags.env === undefined ? 'ECSOPS_ENV' : '--env'
  const environments = Object.keys(file?.environments ?? {})
  let selected: EnvironmentConfig | undefined
  if (envName !== undefined) {
    if (!file) {
      throw new UsageError(`Environment "${envName}" (from ${sources.env}) needs a config file, and none was found.`, {
        hint: 'Create .ecsops.yml in the project (see the README), or pass --config PATH.',
        code: 'UnknownEnvironment',
      })
    }
    // Own keys only: `constructor`, `toString` or `__proto__` are no environment of the file.
    selected = file.environments && Object.hasOwn(file.environments, envName) ? file.environments[envName] : undefined
    if (!selected) {
      throw new UsageError(`Unknown environment "${envName}" (from ${sources.env}) in ${shown}.`, {
        hint: environments.length > 0 ? `Known environments: ${environments.join(', ')}.` : `${shown} defines no environments.`,
        code: 'UnknownEnvironment',
      })
    }
  }

  const values: Partial<Record<SettingKey, string>> = {}
  for (const key of KEYS) {
    const flagValue = flags[key]
    // `--cluster "$UNSET"` must not quietly fall back to the config file's cluster (maybe production).
    if (flagValue !== undefined && flagValue.trim() === '') {
      throw new UsageError(`--${key} is empty.`, {hint: `Give --${key} a value, or leave the flag out to use ${[...ENV_VARS[key], 'the config file'].join(', then ')}.`, code: 'EmptyValue'})
    }
    if (flagValue !== undefined) {
      values[key] = flagValue
      sources[key] = `--${key}`
      continue
    }
    const emptyEcsopsVar = ENV_VARS[key].find((name) => name.startsWith('ECSOPS_') && env[name] !== undefined && env[name]!.trim() === '')
    if (emptyEcsopsVar) {
      throw new UsageError(`${emptyEcsopsVar} is set but empty.`, {hint: `Unset it (unset ${emptyEcsopsVar}) to use the config file, or give it a value.`, code: 'EmptyValue'})
    }
    // Empty AWS_* variables count as unset, as the AWS CLI treats them.
    const fromEnv = ENV_VARS[key].find((name) => env[name])
    if (fromEnv) {
      values[key] = env[fromEnv]
      sources[key] = fromEnv
      continue
    }
    if (selected?.[key] !== undefined) {
      values[key] = selected[key]
      sources[key] = `${shown} (environments.${envName})`
      continue
    }
    if (file?.[key] !== undefined) {
      values[key] = file[key]
      sources[key] = `${shown}`
    }
  }

  return {
    configFile: path,
    env: envName,
    ...values,
    migrate: {
      ...file?.migrate,
      ...selected?.migrate,
      envVars: {...file?.migrate?.envVars, ...selected?.migrate?.envVars},
    },
    exec: {...file?.exec, ...selected?.exec},
    sources,
    environments,
  }
}
