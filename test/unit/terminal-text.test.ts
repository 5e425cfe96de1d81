import {describe, expect, it} from 'vitest'

import {safeForTerminal} from '../../src/ui/terminal-text.js'

describe('safeForTerminal: a container log line shown in a terminal', () => {
  it('keeps colours', () => {
    expect(safeForTerminal('\u001B[31mred\u001B[0m and \u001B[1;32mbold green\u001B[39m')).toBe('\u001B[31mred\u001B[0m and \u001B[1;32mbold green\u001B[39m')
  })

  it('removes screen clearing, cursor moves, window titles, hyperlinks, bells and backspaces', () => {
    expect(safeForTerminal('a\u001B[2Jb\u001B[Hc\u001B[10;5Hd')).toBe('abcd')
    expect(safeForTerminal('\u001B]0;owned\u0007title')).toBe('title')
    expect(safeForTerminal('\u001B]8;;http://x\u001B\\link\u001B]8;;\u001B\\')).toBe('link')
    expect(safeForTerminal('ding\u0007 back\b\b\bx')).toBe('ding backx')
    expect(safeForTerminal('\u001Bcreset')).toBe('reset')
  })

  it('keeps tabs and ordinary text, including non-ASCII', () => {
    expect(safeForTerminal('a\tb — ünïcödé ✔')).toBe('a\tb — ünïcödé ✔')
  })
})
