import {appendFileSync} from 'node:fs'

/**
 * Appends to a file a CI system reads ($GITHUB_OUTPUT, $GITHUB_STEP_SUMMARY); a failure (a missing
 * directory, a full disk, a directory in its place) is returned for the caller to warn about,
 * never thrown: the exit code stays the command's.
 */
export function appendCiFile(path: string | undefined, text: string): string | undefined {
  if (!path) return undefined
  try {
    appendFileSync(path, text)
    return undefined
  } catch (error) {
    return `${(error as NodeJS.ErrnoException).code ?? 'error'}: ${(error as Error).message}`
  }
}
