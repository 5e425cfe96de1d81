import {existsSync, readFileSync} from 'node:fs'
import {dirname, isAbsolute, join, relative, resolve} from 'node:path'

import {UsageError} from '../errors.js'
import type {ConfigFile} from './schema.js'

/** File names looked for in the working directory and each parent, in this order. */
export const CONFIG_FILE_NAMES = ['.ecsops.yml', '.ecsops.yaml', 'ecsops.config.json', '.ecsops.json']

export interface LoadedConfig {
  path: string
  config: ConfigFile
}

/** The config file to use: `explicit` (--config or ECSOPS_CONFIG), else the nearest one upwards from cwd. */
export function findConfigFile(cwd: string, explicit?: {path: string; source: string}): string | undefined {
  if (explicit) {
    const path = isAbsolute(explicit.path) ? explicit.path : resolve(cwd, explicit.path)
    if (!existsSync(path)) {
      throw new UsageError(`Config file ${explicit.path} (from ${explicit.source}) does not exist.`, {
        hint: `Create it, or fix ${explicit.source}. Looked for: ${path}`,
        code: 'ConfigNotFound',
      })
    }
    return path
  }
  let dir = resolve(cwd)
  for (;;) {
    for (const name of CONFIG_FILE_NAMES) {
      const candidate = join(dir, name)
      if (existsSync(candidate)) return candidate
    }
    const parent = dirname(dir)
    if (parent === dir) return undefined
    dir = parent
  }
}

/** A short name for messages: relative to cwd when inside it. */
export function displayPath(path: string, cwd = process.cwd()): string {
  const rel = relative(cwd, path)
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path
}

/** Reads, parses (YAML or JSON) and validates a config file; any problem is a UsageError naming file and key. */
export async function loadConfigFile(path: string, cwd = process.cwd()): Promise<LoadedConfig> {
  const shown = displayPath(path, cwd)
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    throw new UsageError(`Cannot read config file ${shown}: ${(error as Error).message}`, {code: 'ConfigUnreadable'})
  }
  let raw: unknown
  if (path.endsWith('.json')) {
    try {
      raw = JSON.parse(text)
    } catch (error) {
      throw new UsageError(`${shown}: not valid JSON: ${(error as Error).message}`, {code: 'ConfigInvalid', hint: 'Fix the syntax of the file.'})
    }
  } else {
    const {parseDocument} = await import('yaml')
    const doc = parseDocument(text, {prettyErrors: true, uniqueKeys: true})
    if (doc.errors.length > 0) {
      const first = doc.errors[0]
      const at = first.linePos?.[0] ? `:${first.linePos[0].line}:${first.linePos[0].col}` : ''
      throw new UsageError(`${shown}${at}: not valid YAML: ${first.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}`, {code: 'ConfigInvalid', hint: 'Fix the syntax of the file.'})
    }
    raw = doc.toJS()
  }
  if (raw === null || raw === undefined) raw = {}
  const {configFileSchema} = await import('./schema.js')
  const parsed = configFileSchema.safeParse(raw)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    const keyPath = issue.path.length > 0 ? issue.path.map(String).join('.') : '(top level)'
    const more = parsed.error.issues.length > 1 ? ` (and ${parsed.error.issues.length - 1} more problem${parsed.error.issues.length > 2 ? 's' : ''})` : ''
    throw new UsageError(`${shown}: ${keyPath}: ${issue.message}${more}`, {
      code: 'ConfigInvalid',
      hint: 'Allowed keys: profile, region, cluster, service, container, migrate {command, envVars, timeout, container}, exec {container, command}, environments {NAME: …}.',
    })
  }
  return {path, config: parsed.data}
}
