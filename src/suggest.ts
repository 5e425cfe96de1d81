import {distance} from 'fastest-levenshtein'

/**
 * The candidate a mistyped word most likely meant, or undefined when none is close: a unique
 * candidate the word begins (`mig` → `migrate`), else the nearest by edit distance within a
 * third of the word's length (at least 1): `mirgate` → `migrate`, `clustr` → `cluster`,
 * `serivce` → `service`, but `foo` suggests nothing rather than a random command.
 */
export function closestMatch(word: string, candidates: readonly string[]): string | undefined {
  const unique = [...new Set(candidates)].filter((c) => c !== word)
  if (unique.length === 0 || word.length === 0) return undefined
  const prefixed = unique.filter((c) => c.startsWith(word))
  if (word.length >= 2 && prefixed.length === 1) return prefixed[0]
  const limit = Math.max(1, Math.floor(word.length / 3))
  let best: {candidate: string; d: number} | undefined
  for (const candidate of unique) {
    const d = distance(word.toLowerCase(), candidate.toLowerCase())
    if (d <= limit && (!best || d < best.d)) best = {candidate, d}
  }
  return best?.candidate
}

/** The flag definitions oclif's parser saw, as far as naming them goes. */
export interface FlagNames {
  [name: string]: {char?: string; aliases?: string[]; charAliases?: string[]; allowNo?: boolean; hidden?: boolean}
}

/** Every spelling a user may type for these flags: `--cluster`, `--no-identity`, `-c`. */
export function flagSpellings(flags: FlagNames): string[] {
  const spellings: string[] = []
  for (const [name, flag] of Object.entries(flags)) {
    if (flag.hidden) continue
    spellings.push(`--${name}`, ...(flag.aliases ?? []).map((a) => `--${a}`))
    if (flag.allowNo) spellings.push(`--no-${name}`)
    if (flag.char) spellings.push(`-${flag.char}`)
    spellings.push(...(flag.charAliases ?? []).map((c) => `-${c}`))
  }
  return spellings
}

/**
 * `--clustr=x` → `--clustr (did you mean --cluster?)`: each unknown flag as typed (without its
 * value), with the nearest known spelling when one is close.
 */
export function unknownFlagsMessage(typed: readonly string[], flags: FlagNames): {message: string; suggestions: Array<string | undefined>} {
  const known = flagSpellings(flags)
  const names = typed.map((t) => t.split('=')[0])
  const suggestions = names.map((n) => (n.startsWith('--') ? closestMatch(n, known.filter((k) => k.startsWith('--'))) : undefined))
  const described = names.map((n, i) => (suggestions[i] ? `${n} (did you mean ${suggestions[i]}?)` : n))
  if (names.length === 1) return {message: `Unknown flag ${names[0]}.${suggestions[0] ? ` Did you mean ${suggestions[0]}?` : ''}`, suggestions}
  return {message: `Unknown flags: ${described.join(', ')}.`, suggestions}
}
