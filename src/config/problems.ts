import {z} from 'zod'

import {closestMatch} from '../suggest.js'

/** One thing wrong in a config file: where (key path) and what. */
export interface ConfigProblem {
  /** Key path in the file, e.g. `["environments", "prd", "clustr"]`; empty for the file itself. */
  path: PropertyKey[]
  message: string
}

/** The subset of a zod issue read here (zod 4's `$ZodIssue`). */
interface Issue {
  code: string
  path: PropertyKey[]
  message: string
  keys?: string[]
  issues?: Array<{message: string}>
}

/**
 * The keys an object of `schema` accepts at `path` (`["environments", "prd", "migrate"]` →
 * command, envVars, …), read from the schema itself so that suggestions follow it; [] where
 * the path leads to no object.
 */
export function knownKeysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  let at: unknown = schema
  const unwrap = () => {
    while (at instanceof z.ZodOptional || at instanceof z.ZodNullable || at instanceof z.ZodDefault) at = at.unwrap()
  }
  unwrap()
  for (const key of path) {
    if (at instanceof z.ZodObject) at = (at.shape as Record<string, unknown>)[String(key)]
    else if (at instanceof z.ZodRecord) at = at.valueType
    else return []
    unwrap()
  }
  return at instanceof z.ZodObject ? Object.keys(at.shape) : []
}

/**
 * Every issue zod found, one problem each, in the user's words: an unknown key is named with its
 * full path and the nearest allowed key (`serivce` → did you mean "service"?), or the keys
 * allowed there when none is close; a bad environment name says what a name may contain.
 */
export function configProblems(issues: readonly Issue[], schema: z.ZodType): ConfigProblem[] {
  const problems: ConfigProblem[] = []
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      const known = knownKeysAt(schema, issue.path)
      for (const key of issue.keys ?? []) {
        const guess = closestMatch(key, known)
        const next = guess ? `did you mean "${guess}"?` : known.length > 0 ? `allowed here: ${known.join(', ')}.` : ''
        problems.push({path: [...issue.path, key], message: `unknown key${next ? `; ${next}` : '.'}`})
      }
    } else if (issue.code === 'invalid_key') {
      problems.push({path: issue.path, message: issue.issues?.[0]?.message ?? issue.message})
    } else {
      problems.push({path: issue.path, message: issue.message})
    }
  }
  return problems
}

/** `environments.prd.clustr`; `(top level)` for the file itself. */
export function keyPath(path: readonly PropertyKey[]): string {
  return path.length > 0 ? path.map(String).join('.') : '(top level)'
}
