/**
 * Text that is not ours (a container's log) shown in a terminal: colours (SGR, `ESC[…m`) are kept;
 * every other control sequence is removed, so a log line cannot clear the screen, move the
 * cursor, reset the terminal, retitle the window or write a hyperlink or clipboard sequence (OSC;
 * ECMA-48 control functions), nor ring the bell or backspace over what was printed.
 */
const CONTROL = new RegExp(
  [
    '\\u001B\\][\\s\\S]*?(?:\\u0007|\\u001B\\\\|$)', // OSC … BEL or ST (titles, hyperlinks, clipboard)
    '\\u001B\\[[0-?]*[ -/]*[@-~]', // CSI (colours when it ends in m; cursor, erase, modes otherwise)
    '\\u001B(?:[ -/]+[0-~]|[0-~]|$)', // other escapes (ESC c resets the terminal)
    '[\\u0000-\\u0008\\u000B-\\u001A\\u001C-\\u001F\\u007F\\u009B]', // C0 controls but tab and newline
  ].join('|'),
  'g',
)

/** A colour (SGR) sequence: ESC [ parameters m. */
const isColour = (sequence: string) => sequence.startsWith('\u001B[') && /^[0-9;:]*m$/.test(sequence.slice(2))

export function safeForTerminal(line: string): string {
  return line.replace(CONTROL, (sequence) => (isColour(sequence) ? sequence : ''))
}
