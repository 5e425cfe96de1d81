/**
 * Text that fits the terminal: prose wrapped at word boundaries with a hanging indent, tables that
 * drop columns rather than break their rows. Colour codes do not count towards a width
 * (wrap-ansi and string-width, both already in the tree through @oclif/core). Commands meant to
 * be copied are never passed here: a broken command line cannot be pasted.
 */
import stringWidth from 'string-width'
import wrapAnsi from 'wrap-ansi'

/**
 * `text` as lines of at most `width` columns: the first starts with `indent`, the others with
 * `hanging` (by default `indent` plus two spaces). A word longer than a line (an ARN) is kept
 * whole on a line of its own rather than cut.
 */
export function wrapLines(text: string, width: number, indent = '', hanging = `${indent}  `): string[] {
  const room = Math.max(20, width - hanging.length)
  const first = Math.max(20, width - indent.length)
  // The first line has `indent`, the others `hanging`: wrap to the narrower, then re-flow the first.
  const words = wrapAnsi(text, Math.min(room, first), {hard: false, trim: true}).split('\n')
  return words.map((line, i) => `${i === 0 ? indent : hanging}${line}`)
}

/** The display width of a line (colour codes and wide characters counted as the terminal does). */
export const displayWidth = (s: string): number => stringWidth(s)

/**
 * Rows as aligned columns (two spaces apart) within `width`: when they do not fit, the columns of
 * `droppable` go, in that order, until they do. The first row is the header.
 */
export function fitTable(rows: string[][], width: number, droppable: number[] = []): string[][] {
  let keep = rows[0]!.map((_, i) => i)
  const total = (cols: number[]) => cols.reduce((sum, i) => sum + Math.max(...rows.map((r) => displayWidth(r[i] ?? ''))), 0) + 2 * (cols.length - 1)
  for (const drop of droppable) {
    if (total(keep) <= width) break
    keep = keep.filter((i) => i !== drop)
  }
  return rows.map((r) => keep.map((i) => r[i] ?? ''))
}

/** Aligned lines of a fitted table (the last column is not padded). */
export function alignTable(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => displayWidth(r[i] ?? ''))))
  return rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell + ' '.repeat(widths[i]! - displayWidth(cell)))).join('  '))
}
