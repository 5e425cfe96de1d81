import {existsSync, lstatSync, readFileSync} from 'node:fs'
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
      // A name that exists counts, even a dangling or looping symlink: reading it then fails with
      // exit 2, instead of a parent directory's config file being used silently.
      if (nameExists(candidate)) return candidate
    }
    const parent = dirname(dir)
    if (parent === dir) return undefined
    dir = parent
  }
}

function nameExists(path: string): boolean {
  try {
    lstatSync(path)
    return true
  } catch {
    return false
  }
}

/** A short name for messages: relative to cwd when inside it. */
export function displayPath(path: string, cwd = process.cwd()): string {
  const rel = relative(cwd, path)
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path
}

/** Where a key path is written in the file, as `:line:col`; '' when unknown (JSON, or no such key). */
type Locate = (path: readonly PropertyKey[]) => string

/**
 * YAML, strictly: a syntax error, an unknown tag (`!Ref ClusterName` would otherwise become the
 * literal string), a duplicate key or an alias bomb (aliases expanding without end) is a
 * UsageError naming the file, line and column. Duplicate keys are found in one pass (the yaml
 * package's own uniqueKeys check compares every pair of keys: 20,000 environments took seconds).
 */
async function parseYaml(text: string, shown: string): Promise<{value: unknown; locate: Locate}> {
  const {parseDocument, isMap, isScalar, visit, LineCounter} = await import('yaml')
  const lineCounter = new LineCounter()
  const doc = parseDocument(text, {prettyErrors: true, uniqueKeys: false, lineCounter})
  const at = (error: {linePos?: Array<{line: number; col: number}>}) => (error.linePos?.[0] ? `:${error.linePos[0].line}:${error.linePos[0].col}` : '')
  const problem = doc.errors[0] ?? doc.warnings[0]
  if (problem) {
    throw new UsageError(`${shown}${at(problem)}: ${doc.errors.length > 0 ? 'not valid YAML' : 'unsupported YAML'}: ${problem.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}`, {
      code: 'ConfigInvalid',
      hint: doc.errors.length > 0 ? 'Fix the syntax of the file.' : 'ecsops reads plain YAML: tags such as !Ref or !Sub are CloudFormation\'s, not values ecsops can resolve.',
    })
  }
  let duplicate: string | undefined
  visit(doc, {
    Map(_, map) {
      if (!isMap(map) || duplicate) return
      const seen = new Set<unknown>()
      for (const pair of map.items) {
        const key = isScalar(pair.key) ? pair.key.value : String(pair.key)
        if (seen.has(key)) duplicate = String(key)
        seen.add(key)
      }
    },
  })
  if (duplicate !== undefined) throw new UsageError(`${shown}: the key "${duplicate}" is given twice in one mapping.`, {code: 'ConfigInvalid', hint: 'Keep one of them.'})
  // `:line:col` of the key a path ends with (`environments.prd.clustr` → where `clustr:` is written).
  const locate: Locate = (path) => {
    if (path.length === 0) return ''
    const parent = path.length === 1 ? doc.contents : doc.getIn(path.slice(0, -1), true)
    if (!isMap(parent)) return ''
    const pair = parent.items.find((p) => String(isScalar(p.key) ? p.key.value : p.key) === String(path.at(-1)))
    const offset = (pair?.key as {range?: number[]} | undefined)?.range?.[0]
    if (offset === undefined) return ''
    const {line, col} = lineCounter.linePos(offset)
    return `:${line}:${col}`
  }
  try {
    return {value: doc.toJS({maxAliasCount: 100}), locate}
  } catch (error) {
    throw new UsageError(`${shown}: YAML aliases expand too far (${(error as Error).message}).`, {code: 'ConfigInvalid', hint: 'Use fewer aliases (*name): a file whose aliases multiply is refused.'})
  }
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
  let locate: Locate = () => ''
  if (path.endsWith('.json')) {
    try {
      raw = JSON.parse(text)
    } catch (error) {
      throw new UsageError(`${shown}: not valid JSON: ${(error as Error).message}`, {code: 'ConfigInvalid', hint: 'Fix the syntax of the file.'})
    }
  } else {
    ;({value: raw, locate} = await parseYaml(text, shown))
  }
  if (raw === null || raw === undefined) raw = {}
  const {configFileSchema} = await import('./schema.js')
  const parsed = configFileSchema.safeParse(raw)
  if (!parsed.success) {
    // Every problem at once, each with its key path (and line in a YAML file), in file order.
    const {configProblems, keyPath} = await import('./problems.js')
    const lines = configProblems(parsed.error.issues, configFileSchema)
      .map((problem) => ({where: locate(problem.path), problem}))
      .map(({where, problem}, index) => {
        const [, line = Infinity, col = 0] = where.split(':').map(Number)
        return {line, col, index, text: `${shown}${where}: ${keyPath(problem.path)}: ${problem.message}`}
      })
      .sort((a, b) => a.line - b.line || a.col - b.col || a.index - b.index)
      .map((l) => l.text)
    throw new UsageError(lines.length === 1 ? lines[0] : `${shown}: ${lines.length} problems:\n${lines.map((l) => `  ${l}`).join('\n')}`, {
      code: 'ConfigInvalid',
      hint: 'Allowed keys: profile, region, cluster, service, container, migrate {command, envVars, timeout, container, preflight}, exec {container, command}, environments {NAME: …}.',
    })
  }
  return {path, config: parsed.data}
}
