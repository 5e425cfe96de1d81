/** NO_COLOR in a terminal uncolours the spinner and its marks too (issue 14, item 15). */
import {Writable} from 'node:stream'
import {describe, expect, it} from 'vitest'

// chalk (ora's colours) decides once, when first imported: make it colour, as in a real terminal.
process.env.FORCE_COLOR = '1'
const {createUi} = await import('../../src/ui/output.js')

function terminal() {
  const chunks: string[] = []
  const stream = Object.assign(new Writable({write: (c, _e, done) => (chunks.push(String(c)), done())}), {isTTY: true, columns: 100, cursorTo: () => true, clearLine: () => true, moveCursor: () => true})
  return {stream, text: () => chunks.join('')}
}

async function spin(env: NodeJS.ProcessEnv): Promise<string> {
  const stderr = terminal()
  const ui = createUi({streams: {stdout: terminal().stream, stderr: stderr.stream, stdin: {isTTY: true}, env}})
  const p = ui.spinner('Task PENDING')
  await new Promise((resolve) => setTimeout(resolve, 150))
  p.succeed('Task done')
  p.fail('Task failed')
  await new Promise((resolve) => setTimeout(resolve, 50))
  return stderr.text()
}

const COLOUR = /\u001B\[(3\d|9\d)m/ // eslint-disable-line no-control-regex

describe('the spinner in a terminal', () => {
  it('is coloured by default', async () => {
    expect(await spin({})).toMatch(COLOUR)
  })

  it('has no colour with NO_COLOR, its ✔ mark kept', async () => {
    const text = await spin({NO_COLOR: '1'})
    expect(text).not.toMatch(COLOUR)
    expect(text).toContain('✔ Task done')
  })

  it('is not drawn at all with TERM=dumb', () => {
    const ui = createUi({streams: {stdout: terminal().stream, stderr: terminal().stream, stdin: {isTTY: true}, env: {TERM: 'dumb'}}})
    expect(ui.fancy).toBe(false)
  })
})
